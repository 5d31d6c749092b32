// Values at IEEE edges that JavaScript's own operators get otherwise: pow follows IEEE 754 §9.2.1
// (C99, NumPy, JAX), and where reads a NaN mask entry as nonzero (NumPy's bool(NaN) is True).
// Expected values are the standard's, written out; the other entries check that nothing else moved.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, grad, gradAndHvp, logDet, pow, relu, scalar, sign, tensor, valueAndGrad, where, type Scalar, type Tensor } from '../src/index.js';
import * as api from '../src/index.js';

const specials = [Infinity, -Infinity, NaN, 0, -0, 0.5, -2.5, 3, 1e308, 5e-324];

describe('pow at IEEE 754 edges', () => {
  it('1ᵇ = 1 for every b, (−1)^±∞ = 1, a⁰ = 1 for every a: constant and node exponents, scalars and tensors', () => {
    for (const b of specials) {
      expect(pow(scalar(1), b).value).toBe(1);
      expect(pow(tensor([1, 1]), tensor([b, b])).value).toEqual(Float64Array.of(1, 1));
      expect(pow(1, scalar(b)).value).toBe(1);
    }
    for (const b of [Infinity, -Infinity]) {
      expect(pow(scalar(-1), b).value).toBe(1);
      expect(pow(tensor([-1]), tensor([b])).value[0]).toBe(1);
    }
    for (const a of specials) {
      expect(pow(scalar(a), 0).value).toBe(1);
      expect(pow(tensor([a]), tensor([0])).value[0]).toBe(1);
    }
    // (−1)^NaN stays NaN (IEEE: NaN for a NaN exponent unless the base is 1).
    expect(pow(scalar(-1), NaN).value).toBeNaN();
  });

  it('equals Math.pow everywhere else (random bases and exponents, specials included)', () => {
    const value = fc.oneof(fc.double(), fc.constantFrom(...specials, -1, 1, 2, -3));
    fc.assert(fc.property(value, value, (a, b) => {
      const ieeeOne = a === 1 || (a === -1 && Math.abs(b) === Infinity);
      const expected = ieeeOne ? 1 : Math.pow(a, b);
      expect(Object.is(pow(scalar(a), b).value, expected)).toBe(true);
      expect(Object.is(pow(tensor([a]), tensor([b])).value[0], expected)).toBe(true);
    }), { numRuns: 2000, seed: 7 });
  });

  it('derivatives away from the edges are unchanged: d/da aᵖ and ∂/∂b aᵇ in closed form', () => {
    expect(grad((a: Scalar) => pow(a, 3))(-2)).toBe(12);
    expect(grad((b: Scalar) => pow(2, b))(3)).toBeCloseTo(8 * Math.LN2, 15);
    const r = gradAndHvp((x: Tensor) => pow(x.at(0), x.at(1)), [1, 2], [0, 1]);
    // ∂/∂b aᵇ = aᵇ ln a = 0 at a = 1; ∂²/∂b² = aᵇ ln²a = 0; ∂²/∂a∂b = a^(b−1)(1 + b ln a) = 1.
    expect(Array.from(r.grad as Float64Array)).toEqual([2, 0]);
    expect(Array.from(r.hvp as Float64Array)).toEqual([1, 0]);
  });
});

describe('where with NaN in the mask', () => {
  it('picks a where the mask is NaN (nonzero), so the NaN shows instead of being read as false', () => {
    expect(Array.from(where([NaN, 0, -0, 2, true, false], tensor([1, 2, 3, 4, 5, 6]), tensor([10, 20, 30, 40, 50, 60])).value)).toEqual([1, 20, 30, 4, 5, 60]);
    const s = tensor([NaN, 2, -1]);
    // relu(sign(NaN)) = NaN: the mask entry is NaN, and y keeps s's NaN there.
    const y = where(relu(sign(s)), s, 0).value;
    expect(y[0]).toBeNaN();
    expect(Array.from(y.subarray(1))).toEqual([2, 0]);
  });

  it('a NaN mask entry passes a\'s derivatives, as a nonzero one does', () => {
    const f = (x: Tensor) => where(tensor([NaN, 0]), x.square(), x.mul(3)).sum();
    const r = gradAndHvp(f, [2, 5], [1, 1]);
    expect(Array.from(r.grad as Float64Array)).toEqual([4, 3]);
    expect(Array.from(r.hvp as Float64Array)).toEqual([2, 0]);
  });

  it('refuses a plain mask whose entries are not numbers or booleans (a nested array is read as NumPy reads it, never as true)', () => {
    // A nested mask has its shape: [2, 1] does not broadcast with [3, 2]; [3, 1] does.
    expect(() => where([[0], [0]], tensor([[1, 2], [3, 4], [5, 6]]), 0)).toThrow(ShapeError);
    expect(Array.from(where([[0], [1], [0]], tensor([[1, 2], [3, 4], [5, 6]]), 0).value)).toEqual([0, 0, 3, 4, 0, 0]);
    expect(() => where([[0], 1] as never, tensor([1, 2]), 0)).toThrow(/mask\[1\] is 1 where an array of length 1 belongs/);
    expect(() => where(['1', 0] as never, tensor([1, 2]), 0)).toThrow(/mask\[0\] is '1'/);
    // A tensor mask of the same numbers is fine, and so is a typed array.
    expect(Array.from(where(tensor([[0], [1], [0]]), tensor([[1, 2], [3, 4], [5, 6]]), 0).value)).toEqual([0, 0, 3, 4, 0, 0]);
    expect(Array.from(where(Uint8Array.of(1, 0), tensor([1, 2]), 0).value)).toEqual([1, 0]);
  });
});

describe('logDet where det A < 0 (conventions.md)', () => {
  // log of a negative number: NaN value and derivatives, except where the cofactor (∂det/∂aᵢⱼ) is
  // exactly 0, which the 0·NaN rule keeps at 0.
  const f = (A: Tensor) => logDet(A.reshape([2, 2]));
  it.each([
    [[0, 1, 1, 0], [0, NaN, NaN, 0]], // cofactors [[0, −1], [−1, 0]]
    [[1, 2, 3, 4], [NaN, NaN, NaN, NaN]], // cofactors [[4, −3], [−2, 1]]
    [[-1, 0, 0, 1], [NaN, 0, 0, NaN]], // cofactors [[1, 0], [0, −1]]
  ])('A = %j: value NaN, gradient %j', (A, expected) => {
    const { value, grad: g } = valueAndGrad(f)(A);
    expect(value).toBeNaN();
    Array.from(g as Float64Array).forEach((v, k) => expect(Object.is(v, expected[k])).toBe(true));
  });
});

describe('max and min of signed zeros', () => {
  // JAX 0.10 (x64): jnp.max([-0., 0.]) and jnp.max([0., -0.]) are 0.0, jnp.min of both -0.0, as
  // jnp.maximum/minimum; NumPy's max keeps whichever comes first (it gave −0 here before).
  const sign = (v: number) => (Object.is(v, -0) ? '-0' : String(v));
  it('max prefers +0 and min −0, in either order, as maximum and minimum do', () => {
    for (const xs of [[-0, 0], [0, -0], [-0, 0, -0], [0, -0, 0]]) {
      expect(sign(api.max(tensor(xs)).value), `max ${xs.map(sign)}`).toBe('0');
      expect(sign(api.min(tensor(xs)).value), `min ${xs.map(sign)}`).toBe('-0');
      expect(sign(api.max(tensor([xs]), 1).value[0]), `max along an axis ${xs.map(sign)}`).toBe('0');
    }
    expect(sign(api.max(tensor([-0, -0])).value)).toBe('-0');
    expect(sign(api.min(tensor([0, 0])).value)).toBe('0');
    expect(sign(api.maximum(scalar(-0), scalar(0)).value)).toBe('0');
    expect(sign(api.minimum(scalar(0), scalar(-0)).value)).toBe('-0');
  });
});
