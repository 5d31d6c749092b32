/**
 * The CNN in jax-js (@jax-js/jax) on its wasm device, eager and jit, float32 and float64. H·v by
 * forward-over-reverse, `jvp(grad(f), [w], [v])`, which also returns ∇f.
 *
 * The model is the same function as dualtape's: jax-js convolves NCHW data with OIHW filters
 * (`lax.convGeneralDilated`), so the images are stored NCHW and the HWIO filters are transposed
 * inside the loss; the pooled activations are transposed back to NHWC before the dense layer, so
 * parameters and H·v line up entry for entry. Average pooling is a reshape and a mean. Set-up
 * quirks (Float16Array stub, init('wasm'), reference counting with .ref) as in two-layer-jax.ts.
 */
import type * as JAX from '@jax-js/jax';
import { errorMessage } from '../lib/measure.js';
import type { CnnResult } from '../lib/cnn-protocol.js';
import type { Precision } from '../lib/protocol.js';
import { BLOCKS, DualtapeBaseline, cnnProblem, cnnReference, N, type Key } from './cnn-problem.js';
import { cnnNotRun, evaluateCnn, hvpError } from './cnn-rows.js';

type Tree = Record<Key, JAX.Array>;
type HvpFn = (p: Tree, v: Tree) => [Tree, Tree];

const VARIANTS: readonly { id: string; label: string; precision: Precision; jit: boolean }[] = [
  { id: 'jax.eager.f32', label: 'jax-js wasm eager float32: jvp(grad(f))', precision: 'float32', jit: false },
  { id: 'jax.jit.f32', label: 'jax-js wasm jit float32: jvp(grad(f))', precision: 'float32', jit: true },
  { id: 'jax.eager.f64', label: 'jax-js wasm eager float64: jvp(grad(f))', precision: 'float64', jit: false },
  { id: 'jax.jit.f64', label: 'jax-js wasm jit float64: jvp(grad(f))', precision: 'float64', jit: true },
];

/** NHWC → NCHW of the images, on the host. */
function toNchw(x: Float64Array, n: number, h: number, w: number, c: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let z = 0; z < w; z++) for (let ch = 0; ch < c; ch++) {
    out[((b * c + ch) * h + y) * w + z] = x[((b * h + y) * w + z) * c + ch];
  }
  return out;
}

export async function cnnJax(quick: boolean): Promise<CnnResult> {
  const problem = cnnProblem();
  const ref = cnnReference(problem);
  const baseline = new DualtapeBaseline(problem, quick);
  baseline.measure();
  const base = { suite: 'cnn', group: 'jax-js', N, W: problem.W, referenceFdErr: ref.fdErr } as const;
  let jax: typeof JAX;
  const notes: string[] = [];
  try {
    const g = globalThis as { Float16Array?: unknown };
    if (g.Float16Array === undefined) g.Float16Array = class Float16Array {};
    jax = await import('@jax-js/jax');
    const devices = await jax.init('wasm');
    if (!devices.includes('wasm')) throw new Error(`init('wasm') started only [${devices.join(', ')}]`);
    jax.defaultDevice('wasm');
    notes.push(`@jax-js/jax on wasm, ${typeof (globalThis as { Worker?: unknown }).Worker === 'undefined' ? 'single-threaded (Node 20 has no global Web Worker)' : 'with its Web Worker pool'}; all variants in one process`);
  } catch (e) {
    const why = `failed to load: ${errorMessage(e)}`;
    return { ...base, baselineTimings: baseline.timings, methods: VARIANTS.map((x) => cnnNotRun(x.id, x.label, x.precision, why)), notes };
  }
  const { numpy: np, lax, nn, grad, jvp, jit } = jax;
  const XN = toNchw(problem.X, N, 28, 28, 1);

  const setup = (precision: Precision) => {
    const dtype = precision === 'float64' ? np.float64 : np.float32;
    const arr = (a: Float64Array, shape: readonly number[]) =>
      precision === 'float64' ? np.array(Float64Array.from(a), { dtype, shape: [...shape] }) : np.array(Float32Array.from(a), { dtype, shape: [...shape] });
    const tree = (q: typeof problem.p) => Object.fromEntries(BLOCKS.map(([k, shape]) => [k, arr(q[k], shape)])) as Tree;
    return { X: arr(XN, [N, 1, 28, 28]), T: arr(problem.T, [N, 10]), p: tree(problem.p), v: tree(problem.v) };
  };
  const refTree = (t: Tree) => Object.fromEntries(BLOCKS.map(([k]) => [k, t[k].ref])) as Tree;
  // 2×2 average pooling of NCHW activations ('valid': an odd last row and column dropped).
  const pool = (h: JAX.Array, c: number, n: number) => np.mean(h.slice([], [], [0, 2 * n], [0, 2 * n]).reshape([N, c, n, 2, n, 2]), [3, 5]);

  const methods = VARIANTS.map((variant) => {
    try {
      const { X, T, p, v } = setup(variant.precision);
      const loss = (q: Tree): JAX.Array => {
        const conv = (x: JAX.Array, hwio: JAX.Array) => lax.convGeneralDilated(x, np.transpose(hwio, [3, 2, 0, 1]), [1, 1], 'VALID');
        const h1 = pool(np.tanh(conv(X.ref, q.w1).add(q.b1.reshape([1, 8, 1, 1]))), 8, 13);
        const h2 = pool(np.tanh(conv(h1, q.w2).add(q.b2.reshape([1, 16, 1, 1]))), 16, 5);
        const z = np.matmul(np.transpose(h2, [0, 2, 3, 1]).reshape([N, 400]), q.w3).add(q.b3);
        return np.sum(nn.logSoftmax(z).mul(T.ref).mul(-1 / N));
      };
      const eager = ((q: Tree, u: Tree) => jvp(grad(loss) as (q: Tree) => Tree, [q], [u])) as HvpFn;
      const compiled = variant.jit ? jit(eager as (q: Tree, u: Tree) => Tree[]) : null;
      const fn = (compiled ?? eager) as HvpFn;
      // One call: ∇f and H·v, both copied out to the host (dataSync consumes the arrays).
      const call = () => {
        const [gr, hv] = fn(refTree(p), refTree(v));
        for (const [k] of BLOCKS) gr[k].dataSync();
        return BLOCKS.map(([k]) => hv[k].dataSync());
      };
      const flat = (blocks: ArrayLike<number>[]) => {
        const out = new Float64Array(problem.W);
        let at = 0;
        for (const b of blocks) { out.set(b, at); at += b.length; }
        return out;
      };
      const row = evaluateCnn({
        id: variant.id, label: variant.label, precision: variant.precision, check: hvpError(() => flat(call()), ref.hvp), run: call,
        ...(variant.jit ? { note: 'compilation excluded (first call untimed)' } : {}),
      }, baseline);
      compiled?.dispose();
      return row;
    } catch (e) {
      return cnnNotRun(variant.id, variant.label, variant.precision, `threw: ${errorMessage(e)}`);
    }
  });
  return { ...base, baselineTimings: baseline.timings, methods, notes };
}
