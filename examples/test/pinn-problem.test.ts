// The PINN example's loss: u_xx by nested transforms (both modes) against a hand-derived second-order
// propagation, and the loss against the same formula evaluated by hand, on random networks and points.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valueAndGrad } from '@dualtape/core';
import { nestedSecondDerivative } from '../lib/pinn-checks.js';
import { evaluate, initialParams, linspace, parameterCount, pinnLoss, randomArray, secondDerivativeByHand, type PinnParams } from '../lib/pinn-problem.js';

const sizesArb = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }).map((hidden) => [1, ...hidden, 1]);
const paramsOf = (sizes: readonly number[], seed: number): PinnParams => {
  const shape = initialParams(sizes);
  return Object.fromEntries(Object.entries(shape).map(([k, a], i) => [k, randomArray(a.length, seed + i, 1.5)]));
};
const closeTo = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number) => {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1, ...Array.from(want, Math.abs));
  for (let k = 0; k < want.length; k++) expect(Math.abs(got[k] - want[k])).toBeLessThanOrEqual(tol * scale);
};

describe('PINN example problem', () => {
  it('u_xx by two nested grads and by two nested jvps equals the hand-derived propagation, for any tanh network', () => {
    fc.assert(fc.property(sizesArb, fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 2, max: 9 }), (sizes, seed, m) => {
      const params = paramsOf(sizes, seed);
      const x = randomArray(m, seed + 99);
      const byHand = secondDerivativeByHand(sizes, params, x);
      closeTo(nestedSecondDerivative(sizes, params, x, 'grad'), byHand, 1e-12);
      closeTo(nestedSecondDerivative(sizes, params, x, 'jvp'), byHand, 1e-12);
    }), { numRuns: 25 });
  });

  it('the loss is mean (u_xx + π² sin πx)² + ½(u(0)² + u(1)²), in both modes', () => {
    fc.assert(fc.property(sizesArb, fc.integer({ min: 1, max: 1000 }), (sizes, seed) => {
      const params = paramsOf(sizes, seed);
      const x = linspace(7);
      const uxx = secondDerivativeByHand(sizes, params, x);
      const [u0, u1] = evaluate(sizes, params, Float64Array.of(0, 1));
      let residual = 0;
      for (let j = 0; j < x.length; j++) residual += (uxx[j] + Math.PI ** 2 * Math.sin(Math.PI * x[j])) ** 2;
      const want = residual / x.length + 0.5 * (u0 * u0 + u1 * u1);
      for (const mode of ['grad', 'jvp'] as const) {
        const got = valueAndGrad(pinnLoss(sizes, mode, x.length))(params).value;
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, want));
      }
    }), { numRuns: 20 });
  });

  it('initial weights: Glorot-uniform bounds, zero biases, W stored [fan_in, fan_out] as the transpose of pinn.py\'s', () => {
    const sizes = [1, 20, 20, 1];
    const p = initialParams(sizes);
    expect(Object.keys(p)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    expect(Object.values(p).reduce((n, a) => n + a.length, 0)).toBe(parameterCount(sizes));
    const drawn = randomArray(20 * 20, 2, Math.sqrt(6 / 40)); // pinn.py's W_2, (fan_out × fan_in) row-major
    for (let o = 0; o < 20; o++) for (let i = 0; i < 20; i++) expect(p.W2[i * 20 + o]).toBe(drawn[o * 20 + i]);
    expect(Math.max(...p.W2.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 40));
    expect(p.b2.every((b) => b === 0)).toBe(true);
  });
});
