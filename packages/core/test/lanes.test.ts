// k tangent lanes: hvpMany and hessian carry several directions through ONE tangent sweep and ONE
// reverse sweep (tangent-lanes.ts). Checked against the single-direction path (k separate
// hvpOperator applies: bit for bit where the arithmetic is the same, else ≤ 1e-13 relative), against
// central differences of the gradient, over every op of the op tables; and, over random expressions,
// the identities a Hessian obeys whatever its lanes: symmetry, equality with stacked H·eⱼ, linearity.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  OptionError, checkpoint, defineOp, flatten, getKernelBackend, grad, hessian, hvp, hvpMany, hvpOperator, tensor, unflatten,
  type Pytree, type Scalar, type Tensor,
} from '../src/index.js';
import { allowLaneCodegen } from '../src/scalar-lanes.js';
import { countingCube } from './counting-cube.js';
import { DEFAULT_HESSIAN_LANES, HESSIAN_LANE_CACHE, HESSIAN_LANE_MEMORY, defaultHessianLanes, hessianBlockWidth } from '../src/transforms.js';
import { seededUniform } from '../src/testing/index.js';
import { eachOpCase } from './op-tables/index.js';
import { fOf, scalarExpr, vecOf } from './random-expressions.js';

const random = seededUniform(1234);
const randomVector = (n: number) => Float64Array.from({ length: n }, () => 2 * random() - 1);
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** max|a − b| ≤ tol · max(1, max|b|), with both printed on failure. */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  expect(a.length, `${what}: lengths`).toBe(b.length);
  let diff = 0;
  for (let k = 0; k < a.length; k++) diff = Math.max(diff, Math.abs(a[k] - b[k]));
  const scale = Math.max(1, maxAbs(b));
  if (!(diff <= tol * scale)) {
    throw new Error(`${what}: max difference ${diff} > ${tol} × ${scale}\n  got      [${Array.from(a).join(', ')}]\n  expected [${Array.from(b).join(', ')}]`);
  }
}

/** Row j of a k×n matrix. */
const row = (M: Float64Array, j: number, n: number) => M.subarray(j * n, (j + 1) * n);

/** H·vⱼ for each row of V by one hvpOperator apply per direction: the single-direction path. */
function oneByOne(f: (x: never) => Scalar, x: Pytree, V: Float64Array): Float64Array {
  const op = hvpOperator(f as never, x);
  const n = op.size;
  const out = new Float64Array(V.length);
  for (let j = 0; j < V.length / n; j++) out.set(op.applyFlat(row(V, j, n).slice()), j * n);
  return out;
}

/** (∇f(x + hv) − ∇f(x − hv))/2h, Richardson-extrapolated from h and h/2, over the flattened parameters. */
function differenceOfGradients(f: (x: never) => Scalar, x: Pytree, v: Float64Array, h = 1e-3): Float64Array {
  const x0 = flatten(x);
  const g = grad(f);
  const at = (s: number) => flatten(g(unflatten(x, x0.map((xi, k) => xi + s * v[k])) as Pytree) as Pytree);
  const D = (step: number) => {
    const gp = at(step), gm = at(-step);
    return gp.map((p, k) => (p - gm[k]) / (2 * step));
  };
  const D1 = D(h), D2 = D(h / 2);
  return D2.map((d2, k) => (4 * d2 - D1[k]) / 3);
}

describe('hvpMany with k lanes, over every op of the op tables', () => {
  eachOpCase((c, x, label, family) => {
    const n = flatten(x).length;
    const k = 3;
    const V = randomVector(k * n);
    const lanes = hvpMany(c.f as never, x, V) as Float64Array;
    const single = oneByOne(c.f, x, V);
    expectClose(lanes, single, 1e-13, `${label}: lanes vs one direction at a time`);
    // Away from the matrix kernels the arithmetic per lane is the same: the same bits.
    if (family !== 'products' && family !== 'linalg' && family !== 'nn') {
      expect(Array.from(lanes), `${label}: bit for bit`).toEqual(Array.from(single));
    }
    const fd = differenceOfGradients(c.f, x, row(V, 1, n));
    expectClose(row(lanes, 1, n), fd, 1e-5, `${label}: lane 1 vs differences of the gradient`);
  });
});

/** Mixed scalar and tensor nodes, a matrix product on each side, broadcasting and a shared subexpression. */
const A = Float64Array.from({ length: 35 }, (_, k) => Math.sin(k + 1));
function mixed(x: Tensor): Scalar {
  const n = x.size;
  const Ax = tensor(A, [5, n]).matmul(x).tanh();
  const xA = x.reshape([1, n]).matmul(tensor(A, [5, n]).transpose()).sin().sum();
  let chain: Scalar = x.at(0);
  for (let i = 1; i < n; i++) chain = chain.mul(x.at(i)).add(x.at(i - 1).square()).tanh();
  return Ax.square().sum().add(xA).add(chain).add(x.square().sum().mul(0.5));
}
const x7 = Float64Array.from({ length: 7 }, (_, k) => 0.3 * Math.cos(k));

describe('lanes: widths and blocks', () => {
  it('k = 1, k not dividing n and k > n give the single-direction results', () => {
    for (const k of [1, 3, 10]) {
      const V = randomVector(k * 7);
      expectClose(hvpMany(mixed, x7, V) as Float64Array, oneByOne(mixed as never, x7, V), 1e-13, `k = ${k}`);
      // in blocks of 3 lanes (k = 10: 3 + 3 + 3 + 1)
      expectClose(hvpMany(mixed, x7, V, { lanes: 3 }) as Float64Array, oneByOne(mixed as never, x7, V), 1e-13, `k = ${k}, lanes 3`);
    }
  });

  it('hessian in blocks of 1, 2, 3, 7, 16 and 100 lanes equals the stacked single-direction columns', () => {
    const E = new Float64Array(49);
    for (let j = 0; j < 7; j++) E[j * 7 + j] = 1;
    const columns = oneByOne(mixed as never, x7, E); // row j = H·eⱼ
    const reference = Float64Array.from({ length: 49 }, (_, e) => columns[(e % 7) * 7 + Math.floor(e / 7)]);
    for (const lanes of [1, 2, 3, 7, 16, 100]) {
      const H = hessian(mixed, x7, { lanes }) as Float64Array;
      expectClose(H, reference, 1e-13, `lanes ${lanes}`);
    }
    // One lane per sweep is the single-direction sweep with k = 1: bit for bit.
    expect(Array.from(hessian(mixed, x7, { lanes: 1 }) as Float64Array)).toEqual(Array.from(reference));
  });

  it('wide products (lanes multiplied apart) and thin ones (lanes packed into one product) agree with one direction at a time', () => {
    // W is [40, 36]: wider than the packing threshold on both sides; the vectors make thin products.
    const P = Float64Array.from({ length: 36 * 3 }, (_, k) => Math.cos(k));
    const Q = Float64Array.from({ length: 5 * 40 }, (_, k) => Math.sin(2 * k));
    const f = (x: Tensor) => {
      const W = x.slice(0, 1440).reshape([40, 36]);
      const v = x.slice(1440, 1476);
      const left = W.matmul(tensor(P, [36, 3])).tanh().sum();
      const right = tensor(Q, [5, 40]).matmul(W).sin().sum();
      const thin = W.matmul(v).tanh().dot(W.matmul(v.square()));
      return left.add(right).add(thin).add(W.transpose().matmul(W).square().sum().mul(1e-3));
    };
    const x = Float64Array.from({ length: 1476 }, (_, k) => 0.2 * Math.sin(0.37 * k));
    const V = randomVector(3 * 1476);
    const got = hvpMany(f, x, V) as Float64Array;
    expectClose(got, oneByOne(f as never, x, V), 1e-13, 'lanes vs one at a time');
    expectClose(row(got, 0, 1476), differenceOfGradients(f as never, x, row(V, 0, 1476)), 1e-6, 'differences of the gradient');
  });

  it('products whose lanes are stacked into one product (a dense constant, both operands active, several terms) give the one-direction bits', () => {
    // A·x with a dense constant A takes the lanes as columns; the layer products of the network
    // (both operands active: sums of two terms) take them as rows and as columns, each term added
    // into one result. The WebAssembly kernels' numbers do not depend on a product's shape (with
    // fused multiply-adds the JS kernel of a lane's small product rounds differently: 1e-13 then).
    const n = 528, A = Float64Array.from({ length: 64 * n }, (_, k) => Math.sin(0.7 * k) / 8);
    const P = Float64Array.from({ length: 6 * 16 }, (_, k) => Math.cos(0.3 * k));
    const f = (x: Tensor) => {
      const W = x.slice(0, 32).reshape([2, 16]), Z = tensor(P, [6, 16]).matmul(W.transpose()).tanh(); // [6, 2]
      // Both operands active: U̇·v + U·v̇ (rows and columns), ḡ·vᵀ + g·v̇ᵀ, Uᵀ·ḡ + U̇ᵀ·g, each a sum of two stacked products.
      const U = x.slice(0, 512).reshape([32, 16]), v = x.slice(512, 528);
      const layer = Z.matmul(x.slice(32, 48).reshape([2, 8])).square().sum(); // small: lane by lane
      return tensor(A, [64, n]).matmul(x).tanh().sum().add(U.matmul(v).sin().sum()).add(layer);
    };
    const x = Float64Array.from({ length: n }, (_, k) => 0.3 * Math.cos(1.3 * k));
    for (const k of [1, 5, 16]) {
      const V = randomVector(k * n);
      const got = hvpMany(f, x, V) as Float64Array, single = oneByOne(f as never, x, V);
      if (getKernelBackend().fma) expectClose(got, single, 1e-13, `k = ${k}`);
      else expect(Array.from(got), `k = ${k}: bit for bit`).toEqual(Array.from(single));
    }
    const E = new Float64Array(n * n);
    for (let j = 0; j < n; j++) E[j * n + j] = 1;
    const columns = oneByOne(f as never, x, E);
    const reference = Float64Array.from({ length: n * n }, (_, e) => columns[(e % n) * n + Math.floor(e / n)]);
    for (const lanes of [16, 100]) {
      const H = hessian(f, x, { lanes }) as Float64Array;
      if (getKernelBackend().fma) expectClose(H, reference, 1e-13, `hessian, lanes ${lanes}`);
      else expect(Array.from(H), `hessian, lanes ${lanes}: bit for bit`).toEqual(Array.from(reference));
    }
  });

  it('a two-layer network (weight lanes meeting larger activations, taken lane by lane in batches of kernel jobs) gives the one-direction bits', () => {
    // Its layer products take their lanes apart (see modeOf); the lanes of one sum run as one
    // gemmBatch job per MAX_BATCH lanes (k = 6 and 9: a last, shorter batch), each lane's numbers
    // those of its own product.
    const N = 64, D = 30, H = 40, K = 5, n = H * D + H + K * H + K;
    // Column 7 of X is zero: a direction with ∞ in it meets 0·∞ (see the end).
    const X = Float64Array.from({ length: N * D }, (_, k) => (k % D === 7 ? 0 : Math.sin(0.37 * k)));
    const T = Float64Array.from({ length: N * K }, (_, k) => Math.cos(0.11 * k));
    const f = (x: Tensor) => {
      const W1 = x.slice(0, H * D).reshape([H, D]), b1 = x.slice(H * D, H * D + H);
      const W2 = x.slice(H * D + H, H * D + H + K * H).reshape([K, H]), b2 = x.slice(H * D + H + K * H, n);
      const y = tensor(X, [N, D]).matmul(W1.transpose()).add(b1).tanh().matmul(W2.transpose()).add(b2);
      return y.sub(tensor(T, [N, K])).square().sum().mul(0.5);
    };
    const x = Float64Array.from({ length: n }, (_, k) => 0.2 * Math.sin(1.3 * k));
    for (const k of [1, 4, 6, 9]) {
      const V = randomVector(k * n);
      const got = hvpMany(f, x, V) as Float64Array, single = oneByOne(f as never, x, V);
      if (getKernelBackend().fma) expectClose(got, single, 1e-13, `k = ${k}`);
      else expect(Array.from(got), `k = ${k}: bit for bit`).toEqual(Array.from(single));
    }
    // A lane of a batch whose products meet 0·∞ (∞ in W1[0][7], against the zero column of X): the
    // kernels give NaN where the rules' products keep the structural zero (docs/conventions.md), so
    // that lane is computed again as one direction's sum; the others keep theirs.
    const V = randomVector(6 * n);
    V[2 * n + 7] = Infinity;
    const got = hvpMany(f, x, V) as Float64Array, single = oneByOne(f as never, x, V);
    expect(Array.from(single).some(Number.isNaN), 'the one-direction result has no NaN').toBe(false);
    expect(Array.from(got), 'a lane with ∞').toEqual(Array.from(single));
  });

  it('an empty V gives an empty result, and a constant f zeros', () => {
    expect((hvpMany(mixed, x7, new Float64Array(0)) as Float64Array).length).toBe(0);
    expect(Array.from(hvpMany(() => 3, x7, randomVector(14)) as Float64Array)).toEqual(new Array(14).fill(0));
  });

  it('scalar Rosenbrock (scalar nodes reading a tensor leaf) against its closed-form Hessian', () => {
    const n = 10;
    const x = Float64Array.from({ length: n }, (_, k) => 0.7 + 0.1 * k);
    const f = (t: Tensor) => {
      let s: Scalar | undefined;
      for (let i = 0; i + 1 < n; i += 2) {
        const a = t.at(i), b = t.at(i + 1);
        const term = b.sub(a.square()).square().mul(100).add(a.neg().add(1).square());
        s = s ? s.add(term) : term;
      }
      return s!;
    };
    const V = randomVector(4 * n);
    const got = hvpMany(f, x, V) as Float64Array;
    for (let j = 0; j < 4; j++) {
      const v = row(V, j, n);
      const expected = new Float64Array(n);
      for (let i = 0; i < n; i += 2) {
        const a = x[i], b = x[i + 1];
        const haa = 1200 * a * a - 400 * b + 2, hab = -400 * a;
        expected[i] = haa * v[i] + hab * v[i + 1];
        expected[i + 1] = hab * v[i] + 200 * v[i + 1];
      }
      expectClose(row(got, j, n), expected, 1e-13, `direction ${j}`);
    }
  });

  it('the generated scalar sweeps give the same bits as the rules run once per direction', () => {
    const V = randomVector(5 * 7);
    const f = (x: Tensor) => mixed(x).add(x.at(2).sin().mul(x.at(5)).div(x.at(1).square().add(1)).pow(2));
    const generated = hvpMany(f, x7, V) as Float64Array;
    allowLaneCodegen(false);
    try {
      expect(Array.from(hvpMany(f, x7, V) as Float64Array)).toEqual(Array.from(generated));
    } finally {
      allowLaneCodegen(true);
    }
  });

  it('ops whose rules see one direction at a time (numeric defineOp rules, checkpoint) run once per lane', () => {
    const cube = defineOp({
      name: 'cubeOnNumbers',
      primal: (u: number) => u * u * u,
      tangent: ([u], [d]) => 3 * u * u * d,
      backward: ([u], _y, g) => [{ value: 3 * u.value * u.value * g.value, tangent: 3 * u.value * u.value * g.tangent + 6 * u.value * u.tangent * g.value }],
    });
    const block = checkpoint((y: Tensor) => y.tanh().mul(y).sum());
    const f = (x: Tensor) => (cube(x.sin()) as Tensor).sum().add(block(x.mul(x.at(0))));
    const x = [0.3, -0.8, 1.1];
    const V = randomVector(9);
    const got = hvpMany(f, x, V) as Float64Array;
    expect(Array.from(got)).toEqual(Array.from(oneByOne(f as never, x, V)));
    expectClose(row(got, 2, 3), differenceOfGradients(f as never, x, row(V, 2, 3)), 1e-6, 'differences of the gradient');
  });


  it('nodes the loss does not depend on are not swept (side work, an aux value, a transpose matmul reads in place), and the products are unchanged', () => {
    // Rules that count their calls (numeric defineOp rules run once per lane and element), one on
    // the loss's path and one off it. A sweep that visited the side work would call the second.
    const calls = { live: 0, side: 0 };
    const counting = (which: 'live' | 'side') => countingCube(`cube ${which}`, () => calls[which]++);
    const live = counting('live'), side = counting('side');
    const W0 = randomVector(12);
    const f = (p: { W: Tensor; x: Tensor }) => {
      const W = p.W.reshape([3, 4]);
      const h = tensor(Float64Array.of(0.5, -1, 2, 0.25, 1, -0.5, 0.75, 1.5), [2, 4]).matmul(W.transpose()).tanh(); // W.transpose() is read in place
      side(h.exp()); // side work: a tensor chain
      (side(p.x.at(0).mul(p.x.at(1))) as Scalar).add(1); // and a scalar one
      return (live(p.x) as Tensor).sum().add(h.square().sum().mul(p.x.at(2)));
    };
    const x = { W: W0, x: Float64Array.of(0.4, -0.7, 1.3) };
    const V = randomVector(5 * 15);
    for (const codegen of [true, false]) {
      allowLaneCodegen(codegen);
      try {
        calls.live = calls.side = 0;
        const got = hvpMany(f as never, x, V) as Float64Array;
        expect(calls.side, `side work swept (codegen ${codegen})`).toBe(0);
        expect(calls.live).toBeGreaterThan(0);
        expect(Array.from(got)).toEqual(Array.from(oneByOne(f as never, x, V)));
        expectClose(row(got, 1, 15), differenceOfGradients(f as never, x, row(V, 1, 15)), 1e-6, 'differences of the gradient');
        calls.side = 0;
        const [H, aux] = hessian((p: { W: Tensor; x: Tensor }) => [f(p), side(p.x.sin())] as const, x, { hasAux: true, lanes: 4 });
        expect(calls.side, 'an aux value swept').toBe(0);
        expect(Array.from(aux as Float64Array)).toEqual(Array.from(x.x, (u) => Math.sin(u) ** 3));
        expect(Array.from(H)).toEqual(Array.from(hessian(f as never, x, { lanes: 4 }) as Float64Array));
      } finally {
        allowLaneCodegen(true);
      }
    }
  });
  it('nested inside another transform, hvpMany keeps one sweep per direction and is differentiated exactly', () => {
    const f = (x: Tensor) => x.sin().mul(x.at(0)).sum();
    const V = Float64Array.of(1, 0, 0, 0.5, -1, 2);
    const nested = grad((x: Tensor) => (hvpMany(f, x, V) as unknown as Tensor).square().sum())([0.4, 0.9, -0.2]) as Float64Array;
    const separate = grad((x: Tensor) => {
      const a = hvp(f, x, row(V, 0, 3)) as unknown as Tensor, b = hvp(f, x, row(V, 1, 3)) as unknown as Tensor;
      return a.square().sum().add(b.square().sum());
    })([0.4, 0.9, -0.2]) as Float64Array;
    expectClose(nested, separate, 1e-13, 'grad of Σ(H·vⱼ)²');
  });

  it('checkFinite keeps one sweep per direction and still reports non-finite directions', () => {
    const V = randomVector(14);
    expectClose(hvpMany(mixed, x7, V, { checkFinite: true }) as Float64Array, oneByOne(mixed as never, x7, V), 1e-13, 'strict');
    V[3] = NaN;
    expect(() => hvpMany(mixed, x7, V, { checkFinite: true })).toThrow(/NaN|finite/i);
  });
});

describe("lanes: hessian's default block width", () => {
  it('is as many lanes as fit in 8 MB, at least 16 and at most n, evened out over the blocks; fewer than 16 only past 256 MB', () => {
    const MB = 2 ** 20;
    expect(HESSIAN_LANE_CACHE).toBe(8 * MB);
    expect(HESSIAN_LANE_MEMORY).toBe(256 * MB);
    expect(DEFAULT_HESSIAN_LANES).toBe(16);
    expect(defaultHessianLanes(0, 1000)).toBe(1);
    expect(defaultHessianLanes(1, 1000)).toBe(1);
    expect(defaultHessianLanes(5, 1000)).toBe(5); // n below 16: one block of n
    expect(defaultHessianLanes(300, 1024)).toBe(300); // small lanes: one block of every direction
    expect(defaultHessianLanes(20_000, 1024)).toBe(6667); // 8192 fit: three even blocks, not 8192 + 8192 + 3616
    expect(defaultHessianLanes(300, 19_360)).toBe(300); // the dense A·x of the benchmark: 433 fit, one block
    expect(defaultHessianLanes(600, 38_560)).toBe(200); // at n = 600: 217 fit, 3 blocks
    expect(defaultHessianLanes(785, 150_000)).toBe(53); // 55 fit: 15 blocks of 53 (the last 43)
    expect(defaultHessianLanes(785, 1 * MB)).toBe(16); // 8 fit: still 16
    expect(defaultHessianLanes(100, 1 * MB)).toBe(16); // 7 blocks: 15 would be even, but not below 16
    // The memory edge: 16 lanes of 16 MB are 256 MB; one byte more and 15 fit (7 blocks of 15, the last 10).
    expect(defaultHessianLanes(100, 16 * MB)).toBe(16);
    expect(defaultHessianLanes(100, 16 * MB + 1)).toBe(15);
    expect(defaultHessianLanes(100, 64 * MB)).toBe(4);
    expect(defaultHessianLanes(100, 300 * MB)).toBe(1); // not even one fits: one direction a sweep
  });

  it('hessian(f, x) chooses it from the recorded tape; { lanes } overrides it', () => {
    const dense = (W: number) => {
      const A = Float64Array.from({ length: W * W }, (_, k) => Math.sin(k) / Math.sqrt(W));
      return (x: Tensor) => tensor(A, [W, W]).matmul(x).tanh().sum().add(x.square().sum().mul(0.5));
    };
    const point = (W: number) => Float64Array.from({ length: W }, (_, k) => Math.cos(k));
    expect(hessianBlockWidth(dense(1), point(1))).toBe(1);
    expect(hessianBlockWidth(dense(5), point(5))).toBe(5);
    expect(hessianBlockWidth(dense(300), point(300))).toBe(300);
    expect(hessianBlockWidth(dense(600), point(600))).toBe(200);
    expect(hessianBlockWidth(dense(300), point(300), { lanes: 7 })).toBe(7);
    expect(hessianBlockWidth(dense(5), point(5), { lanes: 100 })).toBe(5);
    // A tape of 3 × 8000-element nodes a direction (384 kB): 21 fit, 37 directions in blocks of 19 and 18.
    const B = Float64Array.from({ length: 8000 * 37 }, (_, k) => Math.sin(0.3 * k) / 6);
    const tall = (x: Tensor) => tensor(B, [8000, 37]).matmul(x).tanh().square().sum();
    expect(hessianBlockWidth(tall, point(37))).toBe(19);
    // Nodes of about 2²⁰ elements: 16 lanes would pass 256 MB, so 7 (a direction 33.6 MB, just over 32).
    const wide = (x: Tensor) => x.reshape([1, 20]).broadcastTo([52_429, 20]).sin().sum();
    expect(hessianBlockWidth(wide, point(20))).toBe(7);
  });

  it('in blocks of the default width (W not a multiple of it, W = 1, W below 16) hessian is the stacked H·eⱼ bit for bit', () => {
    const unitColumns = (f: (x: Tensor) => Scalar, x: Float64Array) => {
      const n = x.length, E = new Float64Array(n * n);
      for (let j = 0; j < n; j++) E[j * n + j] = 1;
      const columns = oneByOne(f as never, x, E); // row j = H·eⱼ
      return Float64Array.from({ length: n * n }, (_, e) => columns[(e % n) * n + Math.floor(e / n)]);
    };
    const B = Float64Array.from({ length: 8000 * 37 }, (_, k) => Math.sin(0.3 * k) / 6);
    const tall = (x: Tensor) => tensor(B, [8000, 37]).matmul(x).tanh().square().sum().add(x.sin().mul(x.at(3)).sum());
    const elementwise = (x: Tensor) => x.sin().mul(x.exp()).add(x.square().tanh()).sum().mul(x.at(0));
    const cases: Array<[string, (x: Tensor) => Scalar, Float64Array]> = [
      ['37 directions, blocks of 19 and 18', tall, Float64Array.from({ length: 37 }, (_, k) => 0.4 * Math.cos(k))],
      ['W = 1', elementwise, Float64Array.of(0.7)],
      ['W = 11, one block', elementwise, Float64Array.from({ length: 11 }, (_, k) => 0.3 * k - 1)],
      ['W = 53, one block of 53', elementwise, Float64Array.from({ length: 53 }, (_, k) => Math.sin(k))],
    ];
    expect(hessianBlockWidth(tall, cases[0][2])).toBe(19);
    expect(hessianBlockWidth(elementwise, cases[3][2])).toBe(53);
    for (const [what, f, x] of cases) {
      const H = hessian(f, x) as Float64Array, reference = unitColumns(f, x);
      // Products are the one-direction bits on the WebAssembly kernels (see above); elementwise work always.
      if (getKernelBackend().fma && f === tall) expectClose(H, reference, 1e-13, what);
      else expect(Array.from(H), `${what}: bit for bit`).toEqual(Array.from(reference));
    }
  });
});

describe('lanes: the { lanes } option', () => {
  const f = (x: Tensor) => x.square().sum();
  for (const [name, call] of [
    ['hessian', (options: object) => hessian(f, [1, 2], options)],
    ['hvpMany', (options: object) => hvpMany(f, [1, 2], Float64Array.of(1, 0), options)],
  ] as const) {
    it(`${name}: 0, negative, non-integer and non-number widths, and a misspelled name, are OptionErrors`, () => {
      for (const lanes of [0, -2, 1.5, NaN, Infinity, '4']) {
        let error: unknown;
        try {
          call({ lanes });
        } catch (e) {
          error = e;
        }
        expect(error, `lanes: ${String(lanes)}`).toBeInstanceOf(OptionError);
        expect((error as OptionError).problem?.option).toBe('lanes');
        expect((error as OptionError).message).toMatch(/integer ≥ 1/);
      }
      let misspelled: unknown;
      try {
        call({ lane: 4 });
      } catch (e) {
        misspelled = e;
      }
      expect(misspelled).toBeInstanceOf(OptionError);
      expect((misspelled as OptionError).problem?.suggestion).toBe('lanes');
    });
  }

  it('the transform options still apply next to lanes', () => {
    expect(() => hessian(f, [1, 2], { lanes: 2, maxNodes: 1 })).toThrow(/budget/);
  });
});

describe('lanes: random expressions (fast-check)', () => {
  const RUNS = { numRuns: 25, seed: 20261202 } as const;
  const sample = fc.integer({ min: 3, max: 6 }).chain((n) =>
    fc.record({ x: vecOf(n, 1.5), lanes: fc.integer({ min: 1, max: 8 }), k: fc.integer({ min: 1, max: 9 }), seed: fc.nat(1000) }));
  const tame = (f: (x: Tensor) => Scalar, x: Float64Array) => maxAbs(grad(f)(x) as Float64Array) < 1e6;

  it('hessian in blocks of lanes is symmetric and equals the stacked hvp(f, x, eⱼ)', () => {
    fc.assert(fc.property(scalarExpr, sample, (e, { x, lanes }) => {
      const f = fOf(e);
      fc.pre(tame(f, x));
      const n = x.length;
      const H = hessian(f, x, { lanes }) as Float64Array;
      const scale = Math.max(1, maxAbs(H));
      for (let j = 0; j < n; j++) {
        const ej = new Float64Array(n);
        ej[j] = 1;
        const column = hvp(f, x, ej) as Float64Array;
        expectClose(Float64Array.from({ length: n }, (_, i) => H[i * n + j]), column, 1e-13, `column ${j}`);
        for (let i = 0; i < j; i++) expect(Math.abs(H[i * n + j] - H[j * n + i])).toBeLessThanOrEqual(1e-10 * scale);
      }
    }), RUNS);
  });

  it('hvpMany is linear in V: H·(αU + βW) = αH·U + βH·W, and equals one direction at a time', () => {
    fc.assert(fc.property(scalarExpr, sample, (e, { x, k, lanes, seed }) => {
      const f = fOf(e);
      fc.pre(tame(f, x));
      const n = x.length;
      const r = seededUniform(seed + 1);
      const U = Float64Array.from({ length: k * n }, () => 2 * r() - 1);
      const W = Float64Array.from({ length: k * n }, () => 2 * r() - 1);
      const alpha = 0.75, beta = -1.25;
      const HU = hvpMany(f, x, U, { lanes }) as Float64Array;
      const HW = hvpMany(f, x, W, { lanes }) as Float64Array;
      const mix = hvpMany(f, x, U.map((u, m) => alpha * u + beta * W[m]), { lanes }) as Float64Array;
      expectClose(mix, HU.map((h, m) => alpha * h + beta * HW[m]), 1e-10, 'linearity');
      expectClose(HU, oneByOne(f as never, x, U), 1e-13, 'lanes vs one at a time');
    }), RUNS);
  });
});
