// stopGradient: the value passes, no derivative does, at any order and in every enclosing transform
// (JAX's lax.stop_gradient). Expected values are closed forms with the stopped quantity held fixed;
// the nested ones were also checked against jax.grad with lax.stop_gradient (jax 0.10.2, float64).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, compile, grad, gradAndHvp, hessian, hvp, jacobian, jvp, scalar, stopGradient, tensor, type Scalar, type Tensor,
} from '../src/index.js';
import { expectError } from './expect-error.js';

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(b)));

describe('stopGradient', () => {
  it('passes the value and stops the first derivative', () => {
    // d/dx (x·c) at c = x = 3 is c = 3; without the stop it would be 2x = 6.
    expect(grad((x: Scalar) => x.mul(stopGradient(x)))(3)).toBe(3);
    const { value, grad: g } = gradAndHvp((x: Tensor) => x.mul(stopGradient(x.exp())).sum(), [0.5, -1], [1, 1]);
    close(value, 0.5 * Math.exp(0.5) - Math.exp(-1));
    close((g as Float64Array)[0], Math.exp(0.5));
    close((g as Float64Array)[1], Math.exp(-1));
  });

  it('stops every order: H·v and hessian hold the stopped factor fixed', () => {
    // f = x²·c, c = x: f″ = 2c.
    expect(hvp((x: Scalar) => x.square().mul(stopGradient(x)), 3, 1)).toBe(6);
    // f = Σ sin(xᵢ)·cᵢ, c = x²: H = diag(−sin(xᵢ)·cᵢ).
    const x = [0.3, -1.2, 2];
    const H = hessian((t: Tensor) => t.sin().mul(stopGradient(t.square())).sum(), x);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) close(H[3 * i + j], i === j ? -Math.sin(x[i]) * x[i] ** 2 : 0);
    }
  });

  it('stops the derivatives of enclosing transforms too, as JAX does', () => {
    // g(x) = d/dy (y²·c)|_{y=x} = 2x·c with c = x held fixed at every level: g′ = 2c = 6 (JAX: 6.0).
    expect(grad((x: Scalar) => grad((y: Scalar) => y.square().mul(stopGradient(x)))(x) as unknown as Scalar)(3)).toBe(6);
    // The stop applied to the inner variable: d/dy (y·c·x) = c·x, and c is fixed for the outer
    // derivative as well: 3 (JAX: 3.0), not 6.
    expect(grad((x: Scalar) => grad((y: Scalar) => y.mul(stopGradient(y)).mul(x))(x) as unknown as Scalar)(3)).toBe(3);
    // Third order through three nested transforms: f = sin(x)·c₁ + x³·c₂, c₁ = x², c₂ = eˣ held fixed,
    // f‴ = −cos(x)·c₁ + 6·c₂ (JAX: 11.70774357305346 at 0.7).
    const f = (x: Scalar) => x.sin().mul(stopGradient(x.square())).add(x.pow(3).mul(stopGradient(x.exp())));
    const third = grad((x: Scalar) => grad((y: Scalar) => grad(f)(y) as unknown as Scalar)(x) as unknown as Scalar)(0.7);
    close(third, -Math.cos(0.7) * 0.49 + 6 * Math.exp(0.7));
  });

  it('gives the straight-through estimator', () => {
    // x + stop(round(x) − x): the value of round(x), the derivative of x.
    const { value, grad: g } = gradAndHvp((x: Tensor) => x.add(stopGradient(x.round().sub(x))).square().sum(), [2.7, -0.2], [1, 0]);
    expect(value).toBe(9 + 0);
    expect(Array.from(g as Float64Array)).toEqual([6, 0]);
  });

  it('agrees with the same function written with the stopped value as a constant, at random points', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 6 }), fc.double({ min: -2, max: 2, noNaN: true }), (xs, s) => {
        const c = xs.map((u) => u * u * s);
        const stopped = (x: Tensor) => x.mul(stopGradient(x.square().mul(s))).exp().sum();
        const fixed = (x: Tensor) => x.mul(tensor(c, [c.length])).exp().sum();
        const v = xs.map((_, k) => (k % 2 === 0 ? 1 : -0.5));
        const a = gradAndHvp(stopped, xs, v);
        const b = gradAndHvp(fixed, xs, v);
        expect(a.value).toBe(b.value);
        expect(Array.from(a.grad as Float64Array)).toEqual(Array.from(b.grad as Float64Array));
        expect(Array.from(a.hvp as Float64Array)).toEqual(Array.from(b.hvp as Float64Array));
      }),
      { numRuns: 50 },
    );
  });

  it('has a zero column in the Jacobian and no tangent', () => {
    const J = jacobian((x: Tensor) => x.add(stopGradient(x.mul(2))), [1, 2]);
    expect(Array.from(J)).toEqual([1, 0, 0, 1]);
    const { tangent } = jvp((x: Scalar) => stopGradient(x.square()), 3, 1);
    expect(tangent).toBe(0);
  });

  it('is recomputed by a compiled program at each new point', () => {
    // Recorded at 3, replayed at 5: d/dx (x·c) is c = 5 there (a constant made from x's numbers
    // at recording would give 3).
    const program = compile((x: Scalar) => x.mul(stopGradient(x)), 3);
    expect(program.gradAndHvp(5, 1)).toMatchObject({ value: 25, grad: 5, hvp: 0 });
  });

  it('keeps the shape and owns its numbers', () => {
    grad((x: Tensor) => {
      const y = stopGradient(x.reshape([2, 2]));
      expect(y.shape).toEqual([2, 2]);
      expect(y.data).not.toBe(x.data);
      expect(Array.from(y.data)).toEqual([1, 2, 3, 4]);
      return y.sum().add(x.sum());
    })([1, 2, 3, 4]);
  });

  it('refuses what is not a node, saying it is a constant already', () => {
    expectError(() => stopGradient(3 as never), ArgumentError, 'stopGradient', 'expected a node', 'already a constant');
    expectError(() => stopGradient(new Float64Array(2) as never), ArgumentError, 'stopGradient', 'already a constant');
    expectError(() => stopGradient(undefined as never), ArgumentError, 'stopGradient');
  });

  it('works on a node made outside any transform', () => {
    const c = stopGradient(scalar(2));
    expect(grad((x: Scalar) => x.mul(c))(5)).toBe(2);
  });
});
