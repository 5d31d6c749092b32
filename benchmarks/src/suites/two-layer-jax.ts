/**
 * The two-layer network in jax-js (@jax-js/jax) on its wasm device, eager and jit, float32 and
 * float64. H·v by forward-over-reverse, as JAX does it: `jvp(grad(f), [w], [v])`, which also
 * returns ∇f.
 *
 * Quirks handled here (measured on these machines):
 * - Node 20 has no `Float16Array`, which jax-js tests with `instanceof`: a stub class is installed
 *   on globalThis before jax-js is imported;
 * - backends must be started with `await init('wasm')` before any array is made;
 * - arrays are reference-counted and every call consumes its arguments: closures use `X.ref`, and
 *   each call passes `.ref` of the parameters; `dataSync()` consumes the results;
 * - jit + float64 gives a wrong second-order result when the loss is written `sum(r²)·0.5`;
 *   written `sum(0.5·r²)` it is right. The fair rows use the latter; the former is kept as a
 *   WRONG row;
 * - on wasm, float64 `exp`/`tanh` are only about float32-accurate (measured below), so float64
 *   H·v cannot reach the 1e-10 float64 tolerance.
 */
import type * as JAX from '@jax-js/jax';
import { errorMessage } from '../lib/measure.js';
import { reference, twoLayerProblem } from '../lib/problem.js';
import type { JaxVariant, Precision, Size, TwoLayerResult } from '../lib/protocol.js';
import { evaluate, HandBaseline, notRun } from './two-layer-common.js';

type Tree = { w1: JAX.Array; b1: JAX.Array; w2: JAX.Array; b2: JAX.Array };
type HvpFn = (p: Tree, v: Tree) => [Tree, Tree];
const KEYS = ['w1', 'b1', 'w2', 'b2'] as const;

interface Variant {
  readonly id: string;
  readonly label: string;
  readonly precision: Precision;
  readonly jit: boolean;
  /** true: `sum(0.5·r²)`; false: `sum(r²)·0.5`. */
  readonly halfInside: boolean;
  readonly note?: string;
}

const TIMED: Record<JaxVariant, Variant> = {
  'eager-f32': { id: 'jax.eager.f32', label: 'jax-js wasm eager float32: jvp(grad(f))', precision: 'float32', jit: false, halfInside: true },
  'jit-f32': { id: 'jax.jit.f32', label: 'jax-js wasm jit float32: jvp(grad(f))', precision: 'float32', jit: true, halfInside: true, note: 'compilation excluded (first call untimed)' },
  'eager-f64': { id: 'jax.eager.f64', label: 'jax-js wasm eager float64: jvp(grad(f))', precision: 'float64', jit: false, halfInside: true },
  'jit-f64': { id: 'jax.jit.f64', label: 'jax-js wasm jit float64: jvp(grad(f))', precision: 'float64', jit: true, halfInside: true, note: 'compilation excluded (first call untimed)' },
  'jit-f64-sumhalf': { id: 'jax.jit.f64.sumthenhalf', label: 'jax-js wasm jit float64, loss written sum(r²)·0.5', precision: 'float64', jit: true, halfInside: false, note: 'same loss written sum(r²)·0.5 instead of sum(0.5·r²)' },
};

/** The other spellings, checked for accuracy only (not timed, in the eager-f32 process) where W is small enough to be cheap. */
const CHECKED_ONLY: Variant[] = [
  { id: 'x', label: 'eager float32, sum(r²)·0.5', precision: 'float32', jit: false, halfInside: false },
  { id: 'x', label: 'jit float32, sum(r²)·0.5', precision: 'float32', jit: true, halfInside: false },
  { id: 'x', label: 'eager float64, sum(r²)·0.5', precision: 'float64', jit: false, halfInside: false },
];

/**
 * `pnpm bench` runs each variant in its own process, so that one jit program's memory (wasm memory
 * never shrinks) cannot slow the next variant or its baseline; `--quick` runs them all in one.
 */
export async function twoLayerJax(size: Size, which: readonly JaxVariant[], quick: boolean): Promise<TwoLayerResult> {
  const problem = twoLayerProblem(size);
  const [D, H, K, N] = size;
  const ref = reference(problem);
  const hand = new HandBaseline(problem, quick);
  // The first baseline timing is taken before the peer is loaded.
  hand.measure();
  const base = { suite: 'two-layer', group: 'jax-js', size, W: problem.W } as const;

  let jax: typeof JAX;
  const notes: string[] = [];
  try {
    const g = globalThis as { Float16Array?: unknown };
    if (g.Float16Array === undefined) g.Float16Array = class Float16Array {};
    jax = await import('@jax-js/jax');
    const devices = await jax.init('wasm');
    if (!devices.includes('wasm')) throw new Error(`init('wasm') started only [${devices.join(', ')}]`);
    jax.defaultDevice('wasm');
    // jax-js dispatches wasm kernels to a pool of Web Workers only where a global Worker exists.
    notes.push(`@jax-js/jax on wasm, ${typeof (globalThis as { Worker?: unknown }).Worker === 'undefined' ? 'single-threaded (Node 20 has no global Web Worker for its kernel pool)' : 'with its Web Worker pool'}`);
  } catch (e) {
    const why = `failed to load: ${errorMessage(e)}`;
    return { ...base, handMs: hand.median(), handTimings: hand.timings, methods: which.map((x) => notRun(TIMED[x].id, TIMED[x].label, TIMED[x].precision, why)), notes: [] };
  }
  const { numpy: np, grad, jvp, jit } = jax;

  // How accurate are the float64 elementary functions the network needs?
  if (which.includes('eager-f64')) {
    const xs = Float64Array.from({ length: 401 }, (_, i) => -4 + i / 50);
    const tanh = np.tanh(np.array(xs, { dtype: np.float64 })).dataSync();
    const exp = np.exp(np.array(xs, { dtype: np.float64 })).dataSync();
    let et = 0;
    let ee = 0;
    xs.forEach((x, i) => {
      if (x !== 0) et = Math.max(et, Math.abs(tanh[i] - Math.tanh(x)) / Math.abs(Math.tanh(x)));
      ee = Math.max(ee, Math.abs(exp[i] - Math.exp(x)) / Math.exp(x));
    });
    notes.push(`jax-js wasm float64 accuracy on [−4, 4]: tanh max rel. error ${et.toExponential(1)}, exp ${ee.toExponential(1)} (Math.tanh/Math.exp: ~1e-16)`);
  }

  const setup = (precision: Precision) => {
    const dtype = precision === 'float64' ? np.float64 : np.float32;
    const arr = (a: Float64Array, shape: number[]) =>
      precision === 'float64' ? np.array(Float64Array.from(a), { dtype, shape }) : np.array(Float32Array.from(a), { dtype, shape });
    const X = arr(problem.X, [N, D]);
    const T = arr(problem.T, [N, K]);
    const tree = (q: typeof problem.p): Tree => ({ w1: arr(q.w1, [H, D]), b1: arr(q.b1, [H]), w2: arr(q.w2, [K, H]), b2: arr(q.b2, [K]) });
    return { X, T, p: tree(problem.p), v: tree(problem.v) };
  };
  const data: Partial<Record<Precision, ReturnType<typeof setup>>> = {};
  const refTree = (t: Tree): Tree => ({ w1: t.w1.ref, b1: t.b1.ref, w2: t.w2.ref, b2: t.b2.ref });
  const makeHvp = (variant: Variant) => {
    const { X, T, p, v } = (data[variant.precision] ??= setup(variant.precision));
    const loss = (q: Tree): JAX.Array => {
      const z = np.tanh(np.matmul(X.ref, q.w1.transpose()).add(q.b1));
      const r = np.matmul(z, q.w2.transpose()).add(q.b2).sub(T.ref);
      return variant.halfInside ? np.sum(r.ref.mul(r).mul(0.5)) : np.sum(r.ref.mul(r)).mul(0.5);
    };
    const eager = ((q: Tree, u: Tree) => jvp(grad(loss) as (q: Tree) => Tree, [q], [u])) as HvpFn;
    let fn: HvpFn = eager;
    let dispose = () => {};
    if (variant.jit) {
      const compiled = jit(eager as (q: Tree, u: Tree) => Tree[]);
      dispose = () => compiled.dispose();
      fn = compiled as unknown as HvpFn;
    }
    // One call: ∇f and H·v, both copied out to the host (dataSync consumes the arrays).
    const call = () => {
      const [g, hv] = fn(refTree(p), refTree(v));
      for (const k of KEYS) g[k].dataSync();
      return KEYS.map((k) => hv[k].dataSync());
    };
    return { call, dispose };
  };
  const flatOf = (blocks: ArrayLike<number>[]) => {
    const out = new Float64Array(problem.W);
    let at = 0;
    for (const b of blocks) { out.set(b, at); at += b.length; }
    return out;
  };

  const methods = which.map((name) => {
    const variant = TIMED[name];
    try {
      const { call, dispose } = makeHvp(variant);
      const row = evaluate({ id: variant.id, label: variant.label, precision: variant.precision, hvp: () => flatOf(call()), run: call, ...(variant.note ? { note: variant.note } : {}) }, ref.hvp, hand);
      dispose();
      return row;
    } catch (e) {
      return notRun(variant.id, variant.label, variant.precision, `threw: ${errorMessage(e)}`);
    }
  });
  if (which.includes('eager-f32') && problem.W < 100_000) {
    const checks = CHECKED_ONLY.map((variant) => {
      try {
        const { call, dispose } = makeHvp(variant);
        const hv = flatOf(call());
        dispose();
        let diff = 0;
        let scale = 0;
        for (let k = 0; k < hv.length; k++) { diff = Math.max(diff, Math.abs(hv[k] - ref.hvp[k])); scale = Math.max(scale, Math.abs(ref.hvp[k])); }
        return `${variant.label}: ${(diff / scale).toExponential(1)}`;
      } catch (e) {
        return `${variant.label}: threw ${errorMessage(e)}`;
      }
    });
    notes.push(`jax-js spellings checked, not timed (rel. error of H·v): ${checks.join('; ')}`);
  }
  return { ...base, handMs: hand.median(), handTimings: hand.timings, methods, notes };
}
