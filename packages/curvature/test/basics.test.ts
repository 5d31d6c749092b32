import { describe, expect, it } from 'vitest';
import { axpy, dot, norm } from '../src/vector.js';
import { denseOperator } from '../src/operator.js';
import {
  CurvatureInputError,
  DimensionMismatchError,
  NonFiniteValueError,
  NonSymmetricOperatorError,
} from '../src/errors.js';
import { assertSymmetric } from '../src/symmetry.js';

describe('vector helpers', () => {
  it('dot, norm, axpy', () => {
    expect(dot(Float64Array.of(1, 2, 3), Float64Array.of(4, -5, 6))).toBe(4 - 10 + 18);
    expect(norm(Float64Array.of(3, 4))).toBe(5);
    expect(norm(new Float64Array(3))).toBe(0);
    const y = Float64Array.of(1, 1);
    expect(axpy(2, Float64Array.of(1, 2), y)).toBe(y);
    expect([...y]).toEqual([3, 5]);
  });

  it('norm does not overflow or underflow', () => {
    expect(norm(Float64Array.of(3e200, 4e200))).toBeCloseTo(5e200, -190);
    expect(norm(Float64Array.of(3e-200, 4e-200)) / 5e-200).toBeCloseTo(1, 12);
  });
});

describe('errors', () => {
  it('have names, share a base class, and carry expected/actual', () => {
    const e = new DimensionMismatchError('cg', 'x0', 3, 4);
    expect(e).toBeInstanceOf(CurvatureInputError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DimensionMismatchError');
    expect(e.message).toBe('cg: x0 has length 4, expected 3');
    expect([e.expected, e.actual]).toEqual([3, 4]);
    expect(new NonFiniteValueError('cg', 'b[2]', 2, NaN).name).toBe('NonFiniteValueError');
    expect(new CurvatureInputError('x').name).toBe('CurvatureInputError');
  });
});

describe('denseOperator', () => {
  it('multiplies and validates', () => {
    const A = denseOperator([
      [2, 1],
      [1, 3],
    ]);
    expect([...A(Float64Array.of(1, 2))]).toEqual([4, 7]);
    expect(() => A(Float64Array.of(1))).toThrow(DimensionMismatchError);
    expect(() => denseOperator([[1, 2], [3]])).toThrow(/row 1 has length 1, expected 2/);
    expect(() => denseOperator([[NaN]])).toThrow(NonFiniteValueError);
  });
});

describe('assertSymmetric', () => {
  it('accepts symmetric and rejects non-symmetric operators', () => {
    expect(assertSymmetric(denseOperator([[1, 2], [2, 5]]), 2)).toBe(2);
    expect(() => assertSymmetric(denseOperator([[1, 2], [0, 5]]), 2)).toThrow(NonSymmetricOperatorError);
  });

  it('tolerates rounding-level asymmetry but not a 1e-3 relative one', () => {
    const eps = 1e-13;
    const nearly = denseOperator([[1, 2 + eps], [2, 5]]);
    expect(() => assertSymmetric(nearly, 2)).not.toThrow();
    const off = denseOperator([[1, 2.002], [2, 5]]);
    expect(() => assertSymmetric(off, 2)).toThrow(/not symmetric/);
  });
});
