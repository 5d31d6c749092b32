// Checks shared by the tests that compare a loss's derivatives with a reference computed elsewhere
// (mpmath, JAX): an entrywise agreement test, and H·v by the four routes the engine offers.
import { expect } from 'vitest';
import { dot, grad, gradAndHvp, hvp, jvp, tensor, type Scalar, type Tensor } from '../src/index.js';

export const EPS = 2 ** -52;

/**
 * Each component of `actual` within rtol·max(floor, largest |expected|) of `expected` (floor 0: purely
 * relative to the reference's scale; 1: absolute below 1).
 */
export function expectAgrees(actual: number | Float64Array, expected: number | readonly number[], rtol: number, what: string, floor = 0): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length, what).toBe(e.length);
  const bound = rtol * Math.max(floor, ...e.map(Math.abs));
  a.forEach((ak, k) => expect(Math.abs(ak - e[k]), `${what} [${k}]: ${ak}, reference ${e[k]}`).toBeLessThanOrEqual(bound));
}

/** A loss's value, gradient and H·v at one point along one direction, with the tolerance of each. */
export interface RoutesCase {
  readonly x: readonly number[];
  readonly v: readonly number[];
  readonly value: number;
  readonly grad: readonly number[];
  readonly hvp: readonly number[];
}

/**
 * f's value, gradient and H·v (gradAndHvp) against the reference, and H·v again by `hvp`, by the
 * gradient of ⟨∇f, v⟩ and by the tangent of ∇f along v, each within `tolerances` (relative, with
 * `floor` as in {@link expectAgrees}).
 */
export function expectHvpByFourRoutes(
  f: (x: Tensor) => Scalar, c: RoutesCase, tolerances: { value: number; grad: number; hvp: number }, floor = 0,
): void {
  const r = gradAndHvp(f, c.x, c.v);
  expectAgrees(r.value as number, c.value, tolerances.value, 'value', floor);
  expectAgrees(r.grad as Float64Array, c.grad, tolerances.grad, 'gradient', floor);
  expectAgrees(r.hvp as Float64Array, c.hvp, tolerances.hvp, 'H·v', floor);
  expectAgrees(hvp(f, c.x, c.v) as Float64Array, c.hvp, tolerances.hvp, 'hvp alone', floor);
  const v = tensor(c.v);
  expectAgrees(grad((t: Tensor) => dot(grad(f)(t) as unknown as Tensor, v))(c.x) as Float64Array, c.hvp, tolerances.hvp, 'grad∘grad', floor);
  expectAgrees(jvp((t: Tensor) => grad(f)(t) as unknown as Tensor, c.x, c.v).tangent as Float64Array, c.hvp, tolerances.hvp, 'jvp∘grad', floor);
}
