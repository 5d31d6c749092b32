// Spent adjoint arrays: in the freeing sweeps of the transforms (grad, gradAndHvp, valueAndGrad, …) an
// elementwise rule's last writes go into the ȳ and R{ȳ} arrays it has just read for the last time, and a
// product's R-adjoint adds its two terms into the lane one after the other (Lanes.addBar, `spent`).
// Checked: the numbers are those of the sweeps that keep every lane (hvpOperator, compile), bit for bit,
// over random expressions; against finite differences and closed forms; and by counting the arrays made.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compile, grad, gradAndHvp, hvpOperator, mul, tensor, valueAndGrad, type Scalar, type Tensor } from '../src/index.js';
import { checkGrads, seededUniform } from '../src/testing/index.js';
import { fOf, point, scalarExpr } from './random-expressions.js';
import { madeDuring } from './allocations.js';

const random = seededUniform(2026);
const rand = (n: number) => Float64Array.from({ length: n }, () => 2 * random() - 1);
const bitsOf = (a: ArrayLike<number>) => Array.from(a, (x) => (Object.is(x, -0) ? '-0' : String(x)));

describe('a freeing sweep gives the numbers of a sweep that keeps its lanes, bit for bit', () => {
  it('over random expressions (elementwise chains, broadcasts, shared subexpressions, products)', () => {
    fc.assert(
      fc.property(scalarExpr, point, (e, { x, v }) => {
        const f = fOf(e);
        const r = gradAndHvp(f, x, v); // freeing: rules may write into their spent arrays
        const kept = hvpOperator(f, x); // records once, sweeps without freeing
        expect(bitsOf(r.hvp as Float64Array)).toEqual(bitsOf(kept.apply(v) as Float64Array));
        expect(bitsOf(r.grad as Float64Array)).toEqual(bitsOf(kept.grad as Float64Array));
        expect(bitsOf(grad(f)(x) as Float64Array)).toEqual(bitsOf(r.grad as Float64Array));
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('for an operand used twice (both partials into one lane) and a broadcast operand (summed back, not reused)', () => {
    const x = rand(12), v = rand(12), b = rand(4), vb = rand(4);
    const f = (p: { x: Tensor; b: Tensor }) => {
      const X = p.x.reshape([3, 4]);
      const y = mul(X.tanh(), X.tanh()).mul(p.b).sin(); // mul(t, t), then a row broadcast
      return y.mul(X).exp().sum();
    };
    const r = gradAndHvp(f, { x, b }, { x: v, b: vb });
    const program = compile(f, { x, b });
    const kept = program.gradAndHvp({ x, b }, { x: v, b: vb });
    expect(bitsOf(r.hvp.x as Float64Array)).toEqual(bitsOf(kept.hvp.x as Float64Array));
    expect(bitsOf(r.hvp.b as Float64Array)).toEqual(bitsOf(kept.hvp.b as Float64Array));
    expect(bitsOf(r.grad.x as Float64Array)).toEqual(bitsOf(kept.grad.x as Float64Array));
    const checks = checkGrads(f, { x, b }, { order: 3 });
    expect(checks.filter((c) => !c.passed)).toEqual([]);
  });

  it('a deep elementwise chain agrees with its closed form', () => {
    // f = Σ exp(sin(tanh x)): every node's rule writes into the arrays of the one after it.
    const x = rand(50), v = rand(50);
    const r = gradAndHvp((p: Tensor) => p.tanh().sin().exp().sum(), x, v);
    for (let k = 0; k < x.length; k++) {
      const t = Math.tanh(x[k]), s = Math.sin(t), c = Math.cos(t), e = Math.exp(s), dt = 1 - t * t;
      const g = e * c * dt; // f′
      // f″ = d/dx [e·c·(1 − t²)] = e·c²·dt² − e·s·dt² − 2t·e·c·dt
      const h = e * c * c * dt * dt - e * s * dt * dt - 2 * t * e * c * dt;
      expect(Math.abs((r.grad as Float64Array)[k] - g)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(g)));
      expect(Math.abs((r.hvp as Float64Array)[k] - h * v[k])).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(h * v[k])));
    }
  });
});

describe('the arrays a freeing sweep no longer makes', () => {
  it('an elementwise chain: two arrays per op forward, none per op backward', () => {
    const n = 1000, ops = 5;
    const x = rand(n), v = rand(n);
    const f = (p: Tensor): Scalar => p.tanh().sin().exp().cos().sigmoid().sum();
    // Forward: value and tangent of each op. Backward: the sum's ȳ = 1 spread over the shape (1), and
    // sigmoid's R{x̄}, which has no R{ȳ} array to reuse, since the sum's R{ȳ} is zero (1). Every other
    // x̄ and R{x̄} goes into the arrays of the op after it, the last into x's lanes.
    expect(madeCount(n, () => gradAndHvp(f, x, v))).toBe(2 * ops + 2);
    // A sweep that keeps its lanes (one H·v from a recorded point): a tangent and an R{x̄} per op.
    const kept = hvpOperator(f, x);
    expect(madeCount(n, () => kept.apply(v))).toBe(ops + ops);
    // valueAndGrad: values forward, one adjoint lane backward.
    expect(madeCount(n, () => valueAndGrad(f)(x))).toBe(ops + 1);
  });

  it('a hidden layer: its R-adjoint is one array, not the two products and their sum', () => {
    const N = 20, H = 30, K = 4;
    const X = rand(N * 6), w1 = rand(H * 6), w2 = rand(K * H), v1 = rand(H * 6), v2 = rand(K * H);
    const f = (p: { w1: Tensor; w2: Tensor }) =>
      tensor(X, [N, 6]).matmul(p.w1.reshape([H, 6]).transpose()).tanh().matmul(p.w2.reshape([K, H]).transpose()).square().sum();
    // Forward: the product and tanh, value and tangent (4). Backward: z̄ (one product), R{z̄} (the
    // sum of two products, one kernel call into one array), then tanh writes into those two.
    expect(madeCount(N * H, () => gradAndHvp(f, { w1, w2 }, { w1: v1, w2: v2 }))).toBe(4 + 2);
  });
});

/** New arrays of `size` numbers that `run` makes. */
const madeCount = (size: number, run: () => unknown) => madeDuring(size, run).made;
