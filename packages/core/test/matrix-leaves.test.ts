// A parameter given as nested number arrays (a matrix leaf, [[1, 2], [3, 4]]) is the tensor of that
// shape, row-major, in every transform and in its directions: each result must equal the same call
// with the leaf flattened into a Float64Array and reshaped inside f.
import { describe, expect, it } from 'vitest';
import {
  ggnvp, grad, gradAndHvp, hessian, hvp, hvpMany, hvpOperator, jacobian, jvp, valueAndGrad, vjp, type Tensor,
} from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';

const rows = [[0.5, -1.2, 0.3], [1.1, 0.7, -0.4]];
const flat = Float64Array.from(rows.flat());
const dir = [[0.2, 0.1, -0.3], [0.5, -0.6, 0.4]];
const dirFlat = Float64Array.from(dir.flat());
const matrix = (x: Tensor) => (x.shape.length === 2 ? x : x.reshape([2, 3]));
const scalarF = (p: { m: Tensor; b: Tensor }) => matrix(p.m).tanh().matmul(p.b).square().sum().add(matrix(p.m).sum().square());
const vectorF = (p: { m: Tensor; b: Tensor }) => matrix(p.m).sin().matmul(p.b);
const b = [0.3, -0.8, 1.5];
const asRows = { m: rows, b };
const asFlat = { m: flat, b };
const vRows = { m: dir, b: [1, 0, -1] };
const vFlat = { m: dirFlat, b: [1, 0, -1] };

const same = (got: unknown, want: unknown): void => {
  const list = (x: unknown): number[] => typeof x === 'number' ? [x] : x instanceof Float64Array ? Array.from(x) : Object.values(x as object).flatMap(list);
  expect(list(got)).toEqual(list(want));
};

describe('matrix leaves given as nested arrays, in every transform', () => {
  it('grad, valueAndGrad, gradAndHvp, hvp, hvpOperator (apply and applyFlat), hvpMany, hessian', () => {
    same(grad(scalarF as never)(asRows as never), grad(scalarF as never)(asFlat as never));
    same(valueAndGrad(scalarF as never)(asRows as never), valueAndGrad(scalarF as never)(asFlat as never));
    same(gradAndHvp(scalarF as never, asRows as never, vRows as never), gradAndHvp(scalarF as never, asFlat as never, vFlat as never));
    same(hvp(scalarF as never, asRows as never, vRows as never), hvp(scalarF as never, asFlat as never, vFlat as never));
    const want = hvpOperator(scalarF as never, asFlat as never).apply(vFlat as never);
    same(hvpOperator(scalarF as never, asRows as never).apply(vRows as never), want);
    same(hvpOperator(scalarF as never, asRows as never).applyFlat(Float64Array.from([...dirFlat, 1, 0, -1])), want);
    const V = Float64Array.from({ length: 2 * 9 }, (_, k) => Math.sin(k));
    same(hvpMany(scalarF as never, asRows as never, V), hvpMany(scalarF as never, asFlat as never, V));
    const H = hessian(scalarF as never, asRows as never) as unknown as Float64Array;
    expect(H.length).toBe(81);
    same(H, hessian(scalarF as never, asFlat as never));
  });

  it('jvp, vjp, jacobian, ggnvp', () => {
    same(jvp(vectorF as never, asRows as never, vRows as never), jvp(vectorF as never, asFlat as never, vFlat as never));
    same(vjp(vectorF as never, asRows as never).pullback([1, -2]), vjp(vectorF as never, asFlat as never).pullback([1, -2]));
    const J = jacobian(vectorF as never, asRows as never) as unknown as Float64Array;
    expect(J.length).toBe(2 * 9);
    same(J, jacobian(vectorF as never, asFlat as never));
    const loss = (y: Tensor) => y.square().sum();
    same(ggnvp(vectorF as never, loss as never, asRows as never, vRows as never), ggnvp(vectorF as never, loss as never, asFlat as never, vFlat as never));
  });
});

describe('checkGrads with a matrix leaf', () => {
  it('moves the point in the leaf\'s own shape, so f sees the matrix at every difference', () => {
    // f reads W as a matrix (a flat leaf would be a vector of 6, and W·Wᵀ a scalar: another function).
    const f = (p: { W: Tensor }) => p.W.matmul(p.W.transpose()).sin().sum();
    const checks = checkGrads(f as never, { W: rows } as never, { order: 3, seed: 2 });
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.filter((c) => !c.passed)).toEqual([]);
  });
});
