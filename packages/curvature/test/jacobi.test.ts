import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hessian, type Tensor } from '@dualtape/core';
import { jacobiEigen } from '../src/jacobi.js';
import { denseOperator } from '../src/operator.js';
import { tridiagonalEigen, tridiagonalEigenRows } from '../src/tridiagonal-eigen.js';
import { CurvatureInputError, DimensionMismatchError, NonFiniteValueError } from '../src/errors.js';
import { dotT, matvec, maxAbs, normT, randomSymmetric, sortedAscending, testRng, traceOf, withSpectrum, type Matrix } from './helpers.js';

/** Checks A v = λ v, orthonormality, ascending order and trace = Σλ. */
function checkDecomposition(A: Matrix, values: Float64Array, vectors: Float64Array[]): void {
  const n = A.length;
  const scale = Math.max(1, maxAbs(A));
  expect(values.length).toBe(n);
  for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
  for (let i = 0; i < n; i++) {
    const r = matvec(A, vectors[i]).map((x, k) => x - values[i] * vectors[i][k]);
    expect(normT(r)).toBeLessThan(1e-12 * n * scale);
    for (let j = 0; j <= i; j++) expect(dotT(vectors[i], vectors[j])).toBeCloseTo(i === j ? 1 : 0, 12);
  }
  const sum = values.reduce((s, x) => s + x, 0);
  expect(Math.abs(sum - traceOf(A))).toBeLessThan(1e-12 * n * scale);
}

describe('jacobiEigen', () => {
  it.each([1, 2, 7, 30])('random symmetric n = %i: A v = λ v, orthonormal, trace = Σλ', (n) => {
    const A = randomSymmetric(n, 100 + n);
    const { values, vectors } = jacobiEigen(A);
    checkDecomposition(A, values, vectors);
  });

  it('property: small random symmetric matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const A = randomSymmetric(n, seed);
        const { values, vectors } = jacobiEigen(A);
        checkDecomposition(A, values, vectors);
      }),
      { numRuns: 100 },
    );
  });

  it('recovers a prescribed spectrum, including repeated eigenvalues', () => {
    const eig = [4, -2, 4, 0.5, 0.5, 0.5, -7, 3];
    const A = withSpectrum(eig, 5);
    const { values, vectors } = jacobiEigen(A);
    const expected = sortedAscending(eig);
    values.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    checkDecomposition(A, values, vectors);
  });

  it('handles diagonal, zero and 1×1 matrices', () => {
    expect([...jacobiEigen([[3, 0], [0, -1]]).values]).toEqual([-1, 3]);
    expect([...jacobiEigen([[0, 0], [0, 0]]).values]).toEqual([0, 0]);
    const one = jacobiEigen([[5]]);
    expect([...one.values]).toEqual([5]);
    expect([...one.vectors[0]]).toEqual([1]);
  });

  it('handles widely varying magnitudes', () => {
    const A = withSpectrum([1e8, 1, 1e-6, -1e4], 9);
    const { values, vectors } = jacobiEigen(A);
    checkDecomposition(A, values, vectors);
    expect(values[3] / 1e8).toBeCloseTo(1, 12);
  });

  it('rejects non-symmetric, ragged, non-finite and empty input', () => {
    expect(() => jacobiEigen([[1, 2], [3, 4]])).toThrow(/not symmetric: A\[0\]\[1\] = 2, A\[1\]\[0\] = 3/);
    expect(() => jacobiEigen([[1, 2], [2]])).toThrow(DimensionMismatchError);
    expect(() => jacobiEigen([[1, NaN], [NaN, 1]])).toThrow(NonFiniteValueError);
    expect(() => jacobiEigen([])).toThrow(CurvatureInputError);
  });
});

describe('jacobiEigen across the float64 range (the convergence test squares entries)', () => {
  /** Eigenvalues of [[a, b], [b, c]] in closed form, arranged so that no intermediate over- or underflows. */
  const closedForm2x2 = (a: number, b: number, c: number): number[] => {
    const mean = a / 2 + c / 2;
    const radius = Math.hypot(a / 2 - c / 2, b);
    return [mean - radius, mean + radius];
  };
  const EPS = Number.EPSILON;

  /**
   * Eigenpairs and closed-form eigenvalues agree to rounding relative to max|entry| (plus a few
   * units of the last subnormal place, where rounding is absolute); no A·v product can overflow here.
   */
  function expect2x2(a: number, b: number, c: number): void {
    const scale = Math.max(Math.abs(a), Math.abs(b), Math.abs(c));
    const { values, vectors } = jacobiEigen([[a, b], [b, c]]);
    const rounding = (ulps: number) => ulps * (EPS * scale + Number.MIN_VALUE);
    closedForm2x2(a, b, c).forEach((x, i) => expect(Math.abs(values[i] - x)).toBeLessThanOrEqual(rounding(4)));
    vectors.forEach((v, i) => {
      expect(normT(v)).toBeCloseTo(1, 14);
      const r = [a * v[0] + b * v[1] - values[i] * v[0], b * v[0] + c * v[1] - values[i] * v[1]];
      expect(Math.hypot(r[0], r[1])).toBeLessThanOrEqual(rounding(8));
    });
    expect(Math.abs(dotT(vectors[0], vectors[1]))).toBeLessThan(1e-15);
  }

  it.each([1e200, -1e200, 1e300, 1e-170, 1e-200, 1e-300])('[[s, s], [s, −s]] at s = %s has eigenvalues ±√2·|s|', (s) => {
    const { values, sweeps } = jacobiEigen([[s, s], [s, -s]]);
    expect(sweeps).toBeGreaterThan(0);
    expect(Math.abs(values[0] / (-Math.SQRT2 * Math.abs(s)) - 1)).toBeLessThan(4 * EPS);
    expect(Math.abs(values[1] / (Math.SQRT2 * Math.abs(s)) - 1)).toBeLessThan(4 * EPS);
  });

  it('property: any 2×2 at scales 1e±200, 1e±300 and 2^±665, 2^±997 matches the closed form', () => {
    const unit = fc.double({ min: -1, max: 1, noNaN: true });
    const scale = fc.constantFrom(1e200, 1e-200, 1e300, 1e-300, 2 ** 665, 2 ** -665, 2 ** 997, 2 ** -997);
    fc.assert(
      fc.property(unit, unit, unit, scale, (a, b, c, s) => expect2x2(a * s, b * s, c * s)),
      { numRuns: 300 },
    );
  });

  it.each([665, -665, 997, -997])('A·2^%i (≈ 1e±200, 1e±300): eigenvalues scale by exactly 2^e, eigenvectors unchanged', (e) => {
    const A = randomSymmetric(6, 60);
    const ref = jacobiEigen(A);
    checkDecomposition(A, ref.values, ref.vectors);
    const scaled = jacobiEigen(A.map((row) => row.map((x) => x * 2 ** e)));
    expect([...scaled.values]).toEqual([...ref.values].map((x) => x * 2 ** e));
    expect(scaled.vectors).toEqual(ref.vectors);
    expect(scaled.sweeps).toBe(ref.sweeps);
  });

  it('property: scaling by 2^e for any e in [−990, 1000] scales the eigenvalues by exactly 2^e', () => {
    // Power-of-two scaling is exact while no entry leaves the normal range (|Gaussian| ≥ 1e-9 here).
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: -990, max: 1000 }), (n, seed, e) => {
        const A = randomSymmetric(n, seed);
        fc.pre(A.every((row) => row.every((x) => x === 0 || Math.abs(x) > 1e-9)));
        const ref = jacobiEigen(A);
        const scaled = jacobiEigen(A.map((row) => row.map((x) => x * 2 ** e)));
        expect([...scaled.values]).toEqual([...ref.values].map((x) => x * 2 ** e));
        expect(scaled.vectors).toEqual(ref.vectors);
      }),
      { numRuns: 100 },
    );
  });

  it('subnormal and near-overflow entries; an eigenvalue beyond the float64 range is ±Infinity', () => {
    expect([...jacobiEigen([[0, 2 ** -1060], [2 ** -1060, 0]]).values]).toEqual([-(2 ** -1060), 2 ** -1060]);
    expect([...jacobiEigen([[0, 2 ** 1023], [2 ** 1023, 0]]).values]).toEqual([-(2 ** 1023), 2 ** 1023]);
    expect([...jacobiEigen([[2 ** 1023, 2 ** 1023], [2 ** 1023, 2 ** 1023]]).values]).toEqual([0, Infinity]);
    // Entries 600 orders of magnitude apart in one matrix.
    expect2x2(1e300, 1e-300, -1e-300);
    expect2x2(1e-300, 1e300, 1e-300);
  });

  it('the all-zero matrix: no sweep, identity eigenvectors', () => {
    const r = jacobiEigen([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    expect([...r.values]).toEqual([0, 0, 0]);
    expect(r.sweeps).toBe(0);
    expect(r.vectors.map((v) => [...v])).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  });

  it('asymmetry is judged relative to max|A| at any scale', () => {
    expect(() => jacobiEigen([[0, 1e300], [1.001e300, 0]])).toThrow(/not symmetric/);
    expect(() => jacobiEigen([[0, 2 ** -1070], [2 ** -1069, 0]])).toThrow(/not symmetric/);
    const nearlySymmetric = [[0, 1e-300], [1e-300 * (1 + 1e-12), 0]];
    expect(Math.abs(jacobiEigen(nearlySymmetric).values[1] / 1e-300 - 1)).toBeLessThan(1e-11);
  });
});

describe('tridiagonalEigen', () => {
  it('matches the closed form for the second-difference matrix tridiag(−1, 2, −1)', () => {
    const m = 25;
    const { values, vectors } = tridiagonalEigen(new Array(m).fill(2), new Array(m - 1).fill(-1));
    const exact = Array.from({ length: m }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (m + 1)));
    values.forEach((v, i) => expect(v).toBeCloseTo(exact[i], 13));
    // Eigenvectors are sin(jkπ/(m+1)) up to sign and normalization.
    const k = 3;
    const s = Float64Array.from({ length: m }, (_, j) => Math.sin(((j + 1) * (k + 1) * Math.PI) / (m + 1)));
    expect(Math.abs(dotT(s, vectors[k])) / normT(s)).toBeCloseTo(1, 12);
  });

  it('agrees with jacobiEigen on random tridiagonal matrices', () => {
    for (const seed of [1, 2, 3, 4]) {
      const m = 5 + 7 * seed;
      const r = testRng(seed);
      const d = Array.from({ length: m }, () => r.normal());
      const e = Array.from({ length: m - 1 }, () => r.normal());
      const dense: Matrix = Array.from({ length: m }, (_, i) =>
        Array.from({ length: m }, (_, j) => (i === j ? d[i] : Math.abs(i - j) === 1 ? e[Math.min(i, j)] : 0)),
      );
      const t = tridiagonalEigen(d, e);
      const ref = jacobiEigen(dense);
      t.values.forEach((v, i) => expect(v).toBeCloseTo(ref.values[i], 12));
      checkDecomposition(dense, t.values, t.vectors);
    }
  });

  it('handles zero off-diagonals (already diagonal, unsorted) and m = 1', () => {
    const t = tridiagonalEigen([3, -1, 2], [0, 0]);
    expect([...t.values]).toEqual([-1, 2, 3]);
    expect([...tridiagonalEigen([7], []).values]).toEqual([7]);
  });

  it('tracked rows equal the corresponding rows of the full eigenvector matrix', () => {
    const d = [1, 4, -2, 0.5, 3];
    const e = [0.7, -1.1, 0.3, 2];
    const full = tridiagonalEigen(d, e);
    const { values, rows } = tridiagonalEigenRows(d, e, [4, 0]);
    expect([...values]).toEqual([...full.values]);
    full.vectors.forEach((vec, i) => {
      expect(rows[0][i]).toBe(vec[4]);
      expect(rows[1][i]).toBe(vec[0]);
    });
  });

  it('rejects mismatched lengths', () => {
    expect(() => tridiagonalEigen([1, 2, 3], [1])).toThrow(/offDiag has length 1, expected 2/);
  });
});

describe('jacobiEigen and denseOperator take rows or a flat row-major matrix', () => {
  it.each([1, 3, 8])('n = %i: flat Float64Array, flat number[] and rows give the same decomposition', (n) => {
    const A = randomSymmetric(n, 40 + n);
    const flat = Float64Array.from(A.flat());
    const fromRows = jacobiEigen(A);
    for (const input of [flat, A.flat()]) {
      const r = jacobiEigen(input);
      expect([...r.values]).toEqual([...fromRows.values]);
      checkDecomposition(A, r.values, r.vectors);
      const v = Float64Array.from({ length: n }, (_, i) => i - 1.5);
      expect([...denseOperator(input)(v)]).toEqual([...denseOperator(A)(v)]);
    }
  });

  it('takes core\'s hessian(f, x) as it comes: ½xᵀAx gives the spectrum of A', () => {
    const eig = [3, -1, 0.25, 2];
    const A = withSpectrum(eig, 11);
    const f = (x: Tensor) => x.matmul(A).dot(x).mul(0.5);
    const H = hessian(f, [0.3, -0.2, 1, 0.5]);
    expect(H).toBeInstanceOf(Float64Array);
    const { values } = jacobiEigen(H);
    values.forEach((v, i) => expect(v).toBeCloseTo(sortedAscending(eig)[i], 12));
  });

  it('rejects a flat length that is not a perfect square, mixed rows and numbers, and non-finite entries', () => {
    expect(() => jacobiEigen(new Float64Array(5))).toThrow(/n² entries .* got 5, which is not a perfect square/);
    expect(() => jacobiEigen([1, [2]] as never)).toThrow(CurvatureInputError);
    expect(() => jacobiEigen([[1, 0], 2] as never)).toThrow(/row 1 is number/);
    expect(() => jacobiEigen(Float64Array.of(1, NaN, NaN, 1))).toThrow(NonFiniteValueError);
    expect(() => jacobiEigen(null as never)).toThrow(CurvatureInputError);
    expect(() => denseOperator(new Float64Array(0))).toThrow(/at least 1 row/);
  });
});
