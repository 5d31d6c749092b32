// Views that cost no copy: matmul reads a transposed operand in place (the transpose node's data and
// tangent are deferred and never made), a reshape and an add hand their adjoint lanes to their input
// instead of copying them, and a leaf's tangent is v itself. Checked for the numbers (against the
// transpose made explicitly, closed forms and finite differences, at orders 1–3), for aliasing (no
// result shares an array with x, v or another result) and for the copies themselves (counted).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkpoint, compile, formatTrace, gradAndHvp, grad, hessian, hvp, hvpMany, hvpOperator, jvp, matmul, reshape, sparseHessian,
  tensor, trace, transpose, valueAndGrad, vjp,
  type Scalar, type Tensor,
} from '../src/index.js';
import { checkGrads, seededUniform } from '../src/testing/index.js';
import { madeDuring } from './allocations.js';

const random = seededUniform(7);
const rand = (n: number) => Float64Array.from({ length: n }, () => 2 * random() - 1);
/** The matrix transpose of a rows×cols row-major array, made by hand. */
const transposed = (a: Float64Array, rows: number, cols: number) => {
  const out = new Float64Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
};
const closeVec = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) => {
  expect(a.length).toBe(b.length);
  const scale = Math.max(1, ...Array.from(b, Math.abs));
  for (let k = 0; k < b.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThanOrEqual(tol * scale);
};

describe('matmul reads a transposed operand in place', () => {
  const N = 5, D = 4, H = 3;
  const X = rand(N * D);
  // E(W) = ½ Σ tanh(X·Wᵀ)², W H×D: once through transpose(), once with Wᵀ given as data of its own.
  const viaTranspose = (w: Tensor) => tensor(X, [N, D]).matmul(w.reshape([H, D]).transpose()).tanh().square().sum().mul(0.5);
  const viaExplicit = (wt: Tensor) => tensor(X, [N, D]).matmul(wt.reshape([D, H])).tanh().square().sum().mul(0.5);

  it('gives the value, ∇E and H·v of the product with the transpose made explicitly', () => {
    const w = rand(H * D), v = rand(H * D);
    const a = gradAndHvp(viaTranspose, w, v);
    const b = gradAndHvp(viaExplicit, transposed(w, H, D), transposed(v, H, D));
    expect(Math.abs((a.value as number) - (b.value as number))).toBeLessThanOrEqual(1e-13);
    closeVec(a.grad as Float64Array, transposed(b.grad as Float64Array, D, H));
    closeVec(a.hvp as Float64Array, transposed(b.hvp as Float64Array, D, H));
  });

  it('passes checkGrads to order 3 with either or both operands transposed, 2-D and batched', () => {
    const cases: Array<[string, (p: { a: Tensor; b: Tensor }) => Scalar, { a: Float64Array; b: Float64Array }]> = [
      ['Aᵀ·B', (p) => transpose(p.a.reshape([3, 2])).matmul(p.b.reshape([3, 4])).sin().sum(), { a: rand(6), b: rand(12) }],
      ['A·Bᵀ', (p) => p.a.reshape([2, 3]).matmul(transpose(p.b.reshape([4, 3]))).sin().sum(), { a: rand(6), b: rand(12) }],
      ['Aᵀ·Bᵀ', (p) => matmul(transpose(p.a.reshape([3, 2])), transpose(p.b.reshape([4, 3]))).sin().sum(), { a: rand(6), b: rand(12) }],
      ['batched A·Bᵀ (last two axes)', (p) => p.a.reshape([2, 2, 3]).matmul(p.b.reshape([2, 4, 3]).transpose([0, 2, 1])).sin().sum(), { a: rand(12), b: rand(24) }],
      ['a batch permutation is not read through, and still right', (p) => p.a.reshape([2, 2, 3]).transpose([1, 0, 2]).matmul(p.b.reshape([3, 4])).sin().sum(), { a: rand(12), b: rand(12) }],
      ['the transpose also used elsewhere', (p) => {
        const bt = transpose(p.b.reshape([4, 3]));
        return p.a.reshape([2, 3]).matmul(bt).sin().sum().add(bt.square().sum());
      }, { a: rand(6), b: rand(12) }],
    ];
    for (const [name, f, x] of cases) {
      const failed = checkGrads(f, x, { order: 3 }).filter((c) => !c.passed);
      expect(failed, name).toEqual([]);
    }
  });

  it('the transpose node still shows its values and tangent when read', () => {
    const w = rand(6), v = rand(6);
    let value: Float64Array | null = null, tangent: Float64Array | null = null;
    gradAndHvp((x: Tensor) => {
      const t = x.reshape([2, 3]).transpose();
      const y = tensor(rand(4), [2, 2]).matmul(t.transpose()).sum();
      value = Float64Array.from(t.value);
      tangent = Float64Array.from(t.tangent);
      return y;
    }, w, v);
    expect(Array.from(value!)).toEqual(Array.from(transposed(w, 2, 3)));
    expect(Array.from(tangent!)).toEqual(Array.from(transposed(v, 2, 3)));
  });

  it('a trace says which operand the product reads transposed, and that the transpose node is not read', () => {
    const t = trace((w: Tensor) => tensor([1, 2, 3, 4], [2, 2]).matmul(w.reshape([2, 2]).transpose()).tanh().sum(), rand(4), rand(4));
    const product = t.rows.find((r) => r.op === 'matmul')!;
    const transposeRow = t.rows.find((r) => r.op === 'transpose')!;
    expect(product.inputs).toEqual([1, 2]); // the constant and the reshape, not the transpose (#3)
    expect(product.detail).toBe('reads #2 transposed, in place');
    expect(Array.from(transposeRow.adjoint as Float64Array)).toEqual([0, 0, 0, 0]);
    const text = formatTrace(t);
    expect(text).toMatch(/3 +transpose .*not read by a later node/);
    expect(text).toMatch(/4 +matmul .*reads #2 transposed, in place/);
  });

  it('hvpOperator and a compiled program give the same numbers as gradAndHvp at new points and directions', () => {
    const w0 = rand(H * D);
    const op = hvpOperator(viaTranspose, w0);
    const program = compile(viaTranspose, w0);
    for (let r = 0; r < 3; r++) {
      const v = rand(H * D);
      closeVec(op.apply(v) as Float64Array, gradAndHvp(viaTranspose, w0, v).hvp as Float64Array, 1e-13);
      const w = rand(H * D);
      const replayed = program.gradAndHvp(w, v);
      const fresh = gradAndHvp(viaTranspose, w, v);
      closeVec(replayed.grad as Float64Array, fresh.grad as Float64Array, 1e-13);
      closeVec(replayed.hvp as Float64Array, fresh.hvp as Float64Array, 1e-13);
    }
  });

  it('the Hessian of a loss with a transposed weight is symmetric and equals stacked HVPs', () => {
    const w = rand(H * D);
    const Hm = hessian(viaTranspose, w) as Float64Array;
    const n = H * D;
    for (let j = 0; j < n; j++) {
      const e = new Float64Array(n);
      e[j] = 1;
      closeVec(Hm.subarray(j * n, (j + 1) * n), hvp(viaTranspose, w, e) as Float64Array, 1e-12);
      for (let k = 0; k < j; k++) expect(Math.abs(Hm[j * n + k] - Hm[k * n + j])).toBeLessThanOrEqual(1e-12);
    }
  });

  it('nested: the gradient of ‖∇E‖² through a transposed weight agrees with finite differences of ‖∇E‖²', () => {
    const w = rand(H * D), d = rand(H * D);
    const gradNormSq = (x: Tensor) => {
      const g = grad(viaTranspose)(x) as unknown as Tensor;
      return g.square().sum();
    };
    const g = grad(gradNormSq)(w) as Float64Array;
    const h = 1e-5;
    const at = (s: number) => valueAndGrad(gradNormSq)(w.map((wi, k) => wi + s * d[k])).value as number;
    const fd = (at(h) - at(-h)) / (2 * h);
    const exact = g.reduce((s, gk, k) => s + gk * d[k], 0);
    expect(Math.abs(exact - fd)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(fd)));
  });
});

describe('every transform through a transposed operand, on random networks', () => {
  // y = tanh(X·op(W1) + b)·op(W2), E = ½ Σ y², with each weight stored as given or transposed and read
  // through transpose() or as is; the reference stores every weight in the product's own layout.
  const arb = fc.record({
    n: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 4 }), h: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 3 }),
    t1: fc.boolean(), t2: fc.boolean(), seed: fc.integer({ min: 1, max: 1e6 }),
  });
  it('gradAndHvp, jvp, vjp, hvpMany, hessian, sparseHessian, checkpoint and compile agree with the explicit layout', () => {
    fc.assert(fc.property(arb, ({ n, d, h, k, t1, t2, seed }) => {
      const r = seededUniform(seed);
      const draw = (m: number) => Float64Array.from({ length: m }, () => 2 * r() - 1);
      const X = draw(n * d), b = draw(h);
      // Stored layouts: W1 as [h, d] when t1 (read transposed), else [d, h]; W2 as [k, h] when t2, else [h, k].
      const s1: [number, number] = t1 ? [h, d] : [d, h], s2: [number, number] = t2 ? [k, h] : [h, k];
      const layer = (w1: Tensor, w2: Tensor) => {
        const a = tensor(X, [n, d]).matmul(t1 ? w1.reshape(s1).transpose() : w1.reshape(s1)).add(tensor(b, [h]));
        return a.tanh().matmul(t2 ? w2.reshape(s2).transpose() : w2.reshape(s2));
      };
      const f = (p: { w1: Tensor; w2: Tensor }) => layer(p.w1, p.w2).square().sum().mul(0.5);
      const x = { w1: draw(d * h), w2: draw(h * k) }, v = { w1: draw(d * h), w2: draw(h * k) };
      // The reference: the same weights in [d, h] and [h, k] layout, no transpose anywhere.
      const toRef = (q: { w1: Float64Array; w2: Float64Array }) => ({ w1: t1 ? transposed(q.w1, h, d) : q.w1, w2: t2 ? transposed(q.w2, k, h) : q.w2 });
      const fromRef = (q: { w1: Float64Array; w2: Float64Array }) => ({ w1: t1 ? transposed(q.w1, d, h) : q.w1, w2: t2 ? transposed(q.w2, h, k) : q.w2 });
      const g = (p: { w1: Tensor; w2: Tensor }) =>
        tensor(X, [n, d]).matmul(p.w1.reshape([d, h])).add(tensor(b, [h])).tanh().matmul(p.w2.reshape([h, k])).square().sum().mul(0.5);
      const ref = gradAndHvp(g, toRef(x), toRef(v));
      const refGrad = fromRef(ref.grad as { w1: Float64Array; w2: Float64Array });
      const refHvp = fromRef(ref.hvp as { w1: Float64Array; w2: Float64Array });
      const flatOf = (q: { w1: ArrayLike<number>; w2: ArrayLike<number> }) => Float64Array.from([...Array.from(q.w1), ...Array.from(q.w2)]);

      const got = gradAndHvp(f, x, v);
      closeVec(flatOf(got.grad as never), flatOf(refGrad));
      closeVec(flatOf(got.hvp as never), flatOf(refHvp));
      const gv = flatOf(refGrad).reduce((s_, gi, i) => s_ + gi * flatOf(v)[i], 0);
      expect(Math.abs((jvp(f, x, v).tangent as number) - gv)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(gv)));
      closeVec(flatOf(vjp(f, x).pullback(1) as never), flatOf(refGrad));
      const W = d * h + h * k;
      const Hm = hessian(f, x) as Float64Array;
      closeVec(Array.from({ length: W }, (_, i) => Hm.subarray(i * W, (i + 1) * W).reduce((s_, hij, j) => s_ + hij * flatOf(v)[j], 0)), flatOf(refHvp));
      const V = new Float64Array(2 * W);
      V.set(flatOf(v));
      V.set(flatOf(refGrad), W);
      const many = hvpMany(f, x, V) as Float64Array;
      closeVec(many.subarray(0, W), flatOf(refHvp));
      const S = sparseHessian(f, x);
      const Sv = new Float64Array(W);
      S.rows.forEach((row, e) => (Sv[row] += S.values[e] * flatOf(v)[S.cols[e]]));
      closeVec(Sv, flatOf(refHvp));
      const cp = checkpoint((w: { w1: Tensor; w2: Tensor }) => layer(w.w1, w.w2));
      const viaCheckpoint = gradAndHvp((p: { w1: Tensor; w2: Tensor }) => cp(p).square().sum().mul(0.5), x, v);
      closeVec(flatOf(viaCheckpoint.hvp as never), flatOf(refHvp));
      const replayed = compile(f, x).gradAndHvp(x, v);
      closeVec(flatOf(replayed.hvp as never), flatOf(refHvp));
    }), { numRuns: 60 });
  });
});

describe('adjoint lanes handed on by reshape and add, and v read in place', () => {
  it('add(x, x), add(r, r) of one reshape, chains of reshapes and a bias add give the closed-form derivatives', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 6, maxLength: 6 }), (xs) => {
      const x = Float64Array.from(xs), v = rand(6);
      // E = Σ sin(2x): ∇ = 2cos(2x), H·v = −4 sin(2x)·v
      const a = gradAndHvp((p: Tensor) => p.add(p).sin().sum(), x, v);
      const b = gradAndHvp((p: Tensor) => {
        const r = p.reshape([2, 3]);
        return r.add(r).reshape([3, 2]).reshape([6]).sin().sum();
      }, x, v);
      for (const r of [a, b]) {
        closeVec(r.grad as Float64Array, x.map((xi) => 2 * Math.cos(2 * xi)));
        closeVec(r.hvp as Float64Array, x.map((xi, k) => -4 * Math.sin(2 * xi) * v[k]));
      }
      // E = Σ_ij (x_ij + b_j)²: ∇x = 2(x + b), ∇b_j = Σ_i 2(x_ij + b_j); H·v likewise with v.
      const b0 = rand(3), vb = rand(3);
      const c = gradAndHvp((p: { x: Tensor; b: Tensor }) => p.x.reshape([2, 3]).add(p.b).square().sum(), { x, b: b0 }, { x: v, b: vb });
      const gx = x.map((xi, k) => 2 * (xi + b0[k % 3]));
      closeVec(c.grad.x as Float64Array, gx);
      closeVec(c.grad.b as Float64Array, [0, 1, 2].map((j) => gx[j] + gx[j + 3]));
      const hx = v.map((vi, k) => 2 * (vi + vb[k % 3]));
      closeVec(c.hvp.x as Float64Array, hx);
      closeVec(c.hvp.b as Float64Array, [0, 1, 2].map((j) => hx[j] + hx[j + 3]));
    }), { numRuns: 40 });
  });

  it('sweeps that keep their lanes (hvpOperator, vjp, compile) hand lanes on and stay right over many calls', () => {
    // x reaches the output through reshapes, adds of itself, a bias add and directly: its lane, once
    // taken from a view, keeps accumulating in the same sweep.
    const f = (p: { x: Tensor; b: Tensor }) => {
      const r = p.x.reshape([2, 3]);
      return r.add(r).add(p.b).tanh().reshape([6]).add(p.x).sin().sum().add(p.x.square().sum());
    };
    const x = { x: rand(6), b: rand(3) };
    const op = hvpOperator(f, x);
    const program = compile(f, x);
    const pull = vjp(f, x);
    const g0 = gradAndHvp(f, x, { x: rand(6), b: rand(3) }).grad as { x: Float64Array; b: Float64Array };
    for (let r = 0; r < 4; r++) {
      const v = { x: rand(6), b: rand(3) };
      const want = gradAndHvp(f, x, v);
      const wantHvp = want.hvp as { x: Float64Array; b: Float64Array };
      const applied = op.apply(v) as { x: Float64Array; b: Float64Array };
      closeVec(applied.x, wantHvp.x, 1e-14);
      closeVec(applied.b, wantHvp.b, 1e-14);
      const replayed = program.gradAndHvp(x, v);
      closeVec((replayed.hvp as { x: Float64Array }).x, wantHvp.x, 1e-14);
      closeVec((replayed.grad as { x: Float64Array }).x, g0.x, 1e-14);
      const pulled = pull.pullback(1) as { x: Float64Array; b: Float64Array };
      closeVec(pulled.x, g0.x, 1e-14);
      closeVec(pulled.b, g0.b, 1e-14);
    }
  });

  it('no result shares an array with x, v or another result, and x and v are unchanged', () => {
    const x = rand(6), v = rand(6);
    const x0 = x.slice(), v0 = v.slice();
    const f = (p: Tensor) => p.reshape([2, 3]).add(p.reshape([2, 3])).reshape([6]).tanh().sum();
    const r1 = gradAndHvp(f, x, v);
    const r2 = gradAndHvp(f, x, v);
    const arrays = [x, v, r1.grad, r1.hvp, r2.grad, r2.hvp] as Float64Array[];
    for (let i = 0; i < arrays.length; i++) for (let j = 0; j < i; j++) expect(arrays[i].buffer).not.toBe(arrays[j].buffer);
    expect(Array.from(x)).toEqual(Array.from(x0));
    expect(Array.from(v)).toEqual(Array.from(v0));
    expect(Array.from(r1.hvp as Float64Array)).toEqual(Array.from(r2.hvp as Float64Array));
  });

  it('the same array given as x and v is read, not changed', () => {
    const x = rand(4);
    const x0 = x.slice();
    const r = gradAndHvp((p: Tensor) => p.exp().sum(), x, x);
    closeVec(r.hvp as Float64Array, x0.map((xi) => Math.exp(xi) * xi));
    expect(Array.from(x)).toEqual(Array.from(x0));
  });
});

describe('the copies a two-layer network no longer makes', () => {
  it('makes no array of W1’s size beyond the lanes the results need, on the reshape-transpose path', () => {
    const N = 8, D = 60, H = 50, K = 3;
    const w1 = rand(H * D), w2 = rand(K * H), v1 = rand(H * D), v2 = rand(K * H), X = rand(N * D);
    const f = (p: { w1: Tensor; w2: Tensor }) =>
      tensor(X, [N, D]).matmul(p.w1.reshape([H, D]).transpose()).tanh().matmul(reshape(p.w2, [K, H]).transpose()).square().sum();
    const x = { w1, w2 }, v = { w1: v1, w2: v2 };
    // gradAndHvp: the ∇ and H·v lanes, made by the products; no transpose, no copy of v, no lane copied on.
    expect(madeDuring(H * D, () => gradAndHvp(f, x, v))).toEqual({ made: 2, copied: 0 });
    // One H·v from the recorded point: its one lane, and nothing else.
    const op = hvpOperator(f, x);
    expect(madeDuring(H * D, () => op.apply(v))).toEqual({ made: 1, copied: 0 });
    // A compiled program: the same two lanes, handed out as they are (its next sweep makes new ones).
    const program = compile(f, x);
    expect(madeDuring(H * D, () => program.gradAndHvp(x, v))).toEqual({ made: 2, copied: 0 });
    // And the numbers are those of the transposes made explicitly.
    const r = gradAndHvp(f, x, v);
    const g = (p: { w1t: Tensor; w2t: Tensor }) => tensor(X, [N, D]).matmul(p.w1t.reshape([D, H])).tanh().matmul(p.w2t.reshape([H, K])).square().sum();
    const e = gradAndHvp(g, { w1t: transposed(w1, H, D), w2t: transposed(w2, K, H) }, { w1t: transposed(v1, H, D), w2t: transposed(v2, K, H) });
    closeVec(r.grad.w1 as Float64Array, transposed(e.grad.w1t as Float64Array, D, H));
    closeVec(r.hvp.w1 as Float64Array, transposed(e.hvp.w1t as Float64Array, D, H));
    closeVec(r.hvp.w2 as Float64Array, transposed(e.hvp.w2t as Float64Array, H, K));
    closeVec(op.apply(v).w1 as Float64Array, r.hvp.w1 as Float64Array, 1e-13);
    closeVec(program.gradAndHvp(x, v).hvp.w1 as Float64Array, r.hvp.w1 as Float64Array, 1e-13);
  });
});
