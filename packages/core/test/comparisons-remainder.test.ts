// Comparisons (greater … notEqual), remainder and trunc: values against NumPy's (the literals below are
// NumPy 2 / JAX 0.10.2 output, not ours), derivatives against closed forms and central differences.
import { describe, expect, it } from 'vitest';
import {
  BranchChangeError, Scalar, compile, equal, grad, greater, greaterEqual, hessian, hvp, less, lessEqual, notEqual, remainder,
  isFinite, isInf, isNan, scalar, tensor, trunc, valueAndGrad, where, type Tensor,
} from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';
import { expectError } from './expect-error.js';

const same = (got: ArrayLike<number>, want: readonly number[]) => {
  expect(got.length).toBe(want.length);
  // Object.is: −0 and +0 differ, NaN equals NaN.
  want.forEach((w, k) => expect(Object.is(got[k], w), `element ${k}: got ${got[k]}, want ${w}`).toBe(true));
};

describe('comparisons', () => {
  const a = [1, 2, 3, NaN, 0, -0, Infinity, -Infinity];
  const b = [2, 2, 2, 1, -0, 0, Infinity, 0];
  it('give 0/1 as NumPy does, NaN comparing false (and not-equal), −0 equal to +0', () => {
    same(greater(tensor(a), tensor(b)).value, [0, 0, 1, 0, 0, 0, 0, 0]);
    same(greaterEqual(tensor(a), tensor(b)).value, [0, 1, 1, 0, 1, 1, 1, 0]);
    same(less(tensor(a), tensor(b)).value, [1, 0, 0, 0, 0, 0, 0, 1]);
    same(lessEqual(tensor(a), tensor(b)).value, [1, 1, 0, 0, 1, 1, 1, 1]);
    same(equal(tensor(a), tensor(b)).value, [0, 1, 0, 0, 1, 1, 1, 0]);
    same(notEqual(tensor(a), tensor(b)).value, [1, 0, 1, 1, 0, 0, 0, 1]);
  });

  it('broadcast, take numbers on either side, and give a scalar node for scalars', () => {
    const x = tensor([[1, 5], [3, 2]]);
    expect(greater(x, tensor([2, 4])).shape).toEqual([2, 2]);
    same(greater(x, tensor([2, 4])).value, [0, 1, 1, 0]);
    same(less(2.5, x).value, [0, 1, 1, 0]);
    same(x.lessEqual(tensor([[1], [2]])).value, [1, 0, 0, 1]);
    const g = grad((s: Scalar) => {
      const m = greater(s, 1);
      expect(m).toBeInstanceOf(Scalar);
      return m.mul(s.square());
    });
    expect(g(3)).toBe(6);
    expect(g(0.5)).toBe(0);
  });

  it('have zero derivatives of every order, in both operands', () => {
    for (const op of [greater, greaterEqual, less, lessEqual, equal, notEqual]) {
      const f = (p: { a: Tensor; b: Tensor }) => op(p.a, p.b).sum();
      const r = valueAndGrad(f)({ a: [1, -2, 3], b: [0.5, 0.5, 4] });
      same(r.grad.a as Float64Array, [0, 0, 0]);
      same(r.grad.b as Float64Array, [0, 0, 0]);
      same(hessian((x: Tensor) => op(x.at(0), x.at(1)).mul(1), [1, 2]), [0, 0, 0, 0]);
    }
  });

  it('select with where: leaky relu and a piecewise cubic, gradient and H·v in closed form', () => {
    const leaky = (x: Tensor) => where(greater(x, 0), x, x.mul(0.1)).sum();
    same(grad(leaky)([-1, 2, -3]) as Float64Array, [0.1, 1, 0.1]);
    // x² where x ≥ 1, x³ elsewhere: f″ is 2 or 6x.
    const piecewise = (x: Tensor) => where(greaterEqual(x, 1), x.square(), x.pow(3)).sum();
    const x = [1.5, 0.5, -2, 1];
    same(hvp(piecewise, x, [1, 1, 1, 1]) as Float64Array, [2, 3, -12, 2]);
    expect(checkGrads(piecewise, [1.5, 0.5, -2, 1.25], { order: 3 }).every((c) => c.passed)).toBe(true);
  });

  it('are watched by compile: another mask at a new point re-records (or throws when asked)', () => {
    const f = (x: Tensor) => where(less(x, 0), x.square(), x.mul(3)).sum();
    const program = compile(f, [-1, 2]);
    same(program.valueAndGrad([-2, 5]).grad as Float64Array, [-4, 3]);
    // The mask flips: the re-recorded program gives the new branch's derivative.
    same(program.valueAndGrad([2, -5]).grad as Float64Array, [3, -10]);
    const strict = compile(f, [-1, 2], { onBranchChange: 'throw' });
    expectError(() => strict.valueAndGrad([1, 2]), BranchChangeError);
    // As a factor too, like floor and sign: a comparison that comes out differently is another piece.
    const factor = compile((x: Tensor) => greater(x, 0).mul(x).sum(), [1, 2], { onBranchChange: 'throw' });
    same(factor.valueAndGrad([3, 4]).grad as Float64Array, [1, 1]);
    expectError(() => factor.valueAndGrad([3, -4]), BranchChangeError);
    same(compile((x: Tensor) => greater(x, 0).mul(x).sum(), [1, 2]).valueAndGrad([3, -4]).grad as Float64Array, [1, 0]);
  });
});

describe('remainder', () => {
  const a = [5, -5, 5, -5, 0, -0, 7.5, 1e300, 3, -3, 1, -1, 5, Infinity, NaN, 2, 6, -6];
  const b = [3, 3, -3, -3, 2, 2, 2, 3, Infinity, Infinity, -Infinity, -Infinity, 0, 2, 2, NaN, 3, 3];

  it('is NumPy\'s remainder: the sign of b, exact, NaN at b = 0, a = ±∞ or NaN', () => {
    // numpy.remainder(a, b), NumPy 2 (JAX gives −0 where NumPy gives +0: a zero takes b's sign here).
    same(remainder(tensor(a), tensor(b)).value, [2, 1, -1, -2, 0, 0, 1.5, 0, 3, Infinity, -Infinity, -1, NaN, NaN, NaN, NaN, 0, 0]);
    same(remainder(tensor([-6, 6]), -3).value, [-0, -0]);
    expect(remainder(scalar(7), 2.5)).toBeInstanceOf(Scalar);
    expect(remainder(scalar(7), 2.5).value).toBe(2);
  });

  it('has derivatives 1 in a and −⌊a/b⌋ in b (JAX\'s, where the value is not NaN)', () => {
    const f = (p: { a: Tensor; b: Tensor }) => remainder(p.a, p.b).sum();
    // The points where the value is not NaN (a % b is NaN exactly where remainder is).
    const finite = a.map((_, k) => k).filter((k) => !Number.isNaN(a[k] % b[k]) && k < 16);
    const g = grad(f)({ a: finite.map((k) => a[k]), b: finite.map((k) => b[k]) }) as { a: Float64Array; b: Float64Array };
    // jax.grad(jnp.remainder, argnums=(0, 1)) at the same points.
    const jaxDb: Record<number, number> = { 0: -1, 1: 2, 2: 2, 3: -1, 4: -0, 5: -0, 6: -3, 7: -3.3333333333333335e299, 8: -0, 9: 1, 10: 1, 11: -0 };
    same(g.a, finite.map(() => 1));
    finite.forEach((k, j) => expect(g.b[j] === jaxDb[k] || (g.b[j] === 0 && jaxDb[k] === 0), `b̄ at (${a[k]}, ${b[k]})`).toBe(true));
    // NaN values have NaN derivatives (NaN in, NaN out).
    const nan = grad(f)({ a: [5, Infinity], b: [0, 2] }) as { a: Float64Array; b: Float64Array };
    expect([...nan.a, ...nan.b].every(Number.isNaN)).toBe(true);
  });

  it('agrees with central differences away from the jumps, second derivatives 0', () => {
    const f = (p: { a: Tensor; b: Tensor }) => remainder(p.a, p.b).mul(p.a.sin()).sum();
    expect(checkGrads(f, { a: [5.3, -4.1, 2.2], b: [1.5, 2.5, -0.7] }, { order: 3 }).every((c) => c.passed)).toBe(true);
    same(hessian((x: Tensor) => remainder(x.at(0), x.at(1)), [5.3, 1.5]), [0, 0, 0, 0]);
    // The method form, and a number on either side.
    same(grad((x: Tensor) => x.remainder(2).sum())([3.5, -0.5]) as Float64Array, [1, 1]);
    same(grad((x: Tensor) => remainder(7.5, x).sum())([2, -2]) as Float64Array, [-3, 4]);
  });
});

describe('trunc', () => {
  it('rounds toward zero as NumPy, with derivative 0 (NaN at NaN)', () => {
    // numpy.trunc
    same(trunc(tensor([1.7, -1.7, -0.5, 0.5, -0, Infinity, -Infinity, NaN])).value, [1, -1, -0, 0, -0, Infinity, -Infinity, NaN]);
    same(grad((x: Tensor) => trunc(x).mul(x).sum())([2.5, -1.5]) as Float64Array, [2, -1]);
    expect(grad((x: Scalar) => trunc(x))(NaN)).toBeNaN();
  });
});

describe('isNan, isFinite, isInf', () => {
  const x = [1, NaN, Infinity, -Infinity, -0, 5e-324, 1.7976931348623157e308];
  it('are NumPy\'s isnan, isfinite, isinf as 0/1 numbers', () => {
    same(isNan(tensor(x)).value, [0, 1, 0, 0, 0, 0, 0]);
    same(isFinite(tensor(x)).value, [1, 0, 0, 0, 1, 1, 1]);
    same(isInf(tensor(x)).value, [0, 0, 1, 1, 0, 0, 0]);
  });

  it('mask bad entries out of a loss: the gradient is that of the kept entries, 0 elsewhere', () => {
    // Σ where(isFinite(log x), log x, 0): at x ≤ 0 log is NaN or −∞ and is dropped; elsewhere 1/x.
    const g = grad((v: Tensor) => where(isFinite(v.log()), v.log(), 0).sum())([2, -1, 0, 4]) as Float64Array;
    same(g, [0.5, 0, 0, 0.25]);
    same(grad((v: Tensor) => where(isNan(v.sqrt()), 0, v.sqrt()).sum())([4, -4]) as Float64Array, [0.25, 0]);
    same(hessian((v: Tensor) => isInf(v).mul(v.square()).sum(), [1, 2]), [0, 0, 0, 0]);
  });
});
