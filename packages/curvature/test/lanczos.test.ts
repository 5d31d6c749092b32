import { describe, expect, it } from 'vitest';
import { lanczos } from '../src/lanczos.js';
import { powerIteration } from '../src/power-iteration.js';
import { jacobiEigen } from '../src/jacobi.js';
import { CurvatureInputError, DimensionMismatchError, NonSymmetricOperatorError } from '../src/errors.js';
import { dotT, matvec, normT, operatorOf, randomMatrix, randomSymmetric, withSpectrum, type Matrix } from './helpers.js';

const residual = (A: Matrix, lambda: number, v: Float64Array) =>
  normT(matvec(A, v).map((x, i) => x - lambda * v[i]));

describe('lanczos vs jacobi on random symmetric matrices (n = 30)', () => {
  const n = 30;
  const k = 3;
  it.each([1, 2, 3])('seed %i: 3 largest, 3 smallest and both, to 1e-8', (seed) => {
    const A = randomSymmetric(n, seed);
    const ref = jacobiEigen(A).values;
    const largest = lanczos(operatorOf(A), n, k, { seed });
    const smallest = lanczos(operatorOf(A), n, k, { which: 'smallest', seed });
    const both = lanczos(operatorOf(A), n, k, { which: 'both', seed });
    for (let i = 0; i < k; i++) {
      expect(Math.abs(largest.values[i] - ref[n - 1 - i])).toBeLessThan(1e-8);
      expect(Math.abs(smallest.values[i] - ref[i])).toBeLessThan(1e-8);
    }
    const expectedBoth = [...ref.slice(0, k), ...ref.slice(n - k)];
    expect(both.values.length).toBe(2 * k);
    both.values.forEach((v, i) => expect(Math.abs(v - expectedBoth[i])).toBeLessThan(1e-8));
    for (const r of [largest, smallest, both]) {
      expect(r.converged).toBe(true);
      r.vectors.forEach((y, i) => {
        expect(normT(y)).toBeCloseTo(1, 12);
        expect(residual(A, r.values[i], y)).toBeLessThan(1e-6);
        expect(r.residualBounds[i]).toBeLessThan(1e-6);
      });
    }
  });

  it('same seed → identical results; another seed → another start, same eigenvalues', () => {
    const A = randomSymmetric(n, 6);
    const a = lanczos(operatorOf(A), n, 2, { seed: 11 });
    const b = lanczos(operatorOf(A), n, 2, { seed: 11 });
    const c = lanczos(operatorOf(A), n, 2, { seed: 12 });
    expect(b).toEqual(a);
    expect(c.values[0]).toBeCloseTo(a.values[0], 8);
    expect([...c.vectors[0]]).not.toEqual([...a.vectors[0]]);
    const p1 = powerIteration(operatorOf(A), n, { seed: 11, maxIterations: 20 });
    expect(powerIteration(operatorOf(A), n, { seed: 11, maxIterations: 20 })).toEqual(p1);
  });

  it('run to n steps, the whole spectrum is recovered once (no ghosts: full reorthogonalization)', () => {
    const A = randomSymmetric(n, 7);
    const ref = jacobiEigen(A).values;
    const r = lanczos(operatorOf(A), n, n / 2, { which: 'both', tolerance: 0, seed: 7 });
    expect(r.iterations).toBe(n);
    r.values.forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThan(1e-10));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) expect(Math.abs(dotT(r.vectors[i], r.vectors[j]))).toBeLessThan(1e-8);
    }
  });

  it('Ritz vectors align with jacobi eigenvectors', () => {
    const A = randomSymmetric(n, 4);
    const ref = jacobiEigen(A);
    const r = lanczos(operatorOf(A), n, 2, { seed: 4 });
    expect(Math.abs(dotT(r.vectors[0], ref.vectors[n - 1]))).toBeCloseTo(1, 8);
    expect(Math.abs(dotT(r.vectors[1], ref.vectors[n - 2]))).toBeCloseTo(1, 8);
  });

  it('counts products: one per step plus two for the symmetry probe', () => {
    const op = operatorOf(randomSymmetric(n, 5));
    const r = lanczos(op, n, 2, { seed: 1 });
    expect(r.applies).toBe(op.count);
    expect(r.applies).toBe(r.iterations + 2);
    const op2 = operatorOf(randomSymmetric(n, 5));
    const r2 = lanczos(op2, n, 2, { seed: 1, checkSymmetry: false });
    expect(r2.applies).toBe(r2.iterations);
    expect([...r2.values]).toEqual([...r.values]);
  });
});

describe('lanczos on structured spectra', () => {
  it('finds well-separated outliers in far fewer than n steps', () => {
    const n = 200;
    const bulk = Array.from({ length: n - 3 }, (_, i) => -1 + (2 * i) / (n - 4));
    const A = withSpectrum([...bulk, 10, 8, -7], 12);
    const top = lanczos(operatorOf(A), n, 2, { seed: 3 });
    expect(top.values[0]).toBeCloseTo(10, 9);
    expect(top.values[1]).toBeCloseTo(8, 9);
    expect(top.iterations).toBeLessThan(60);
    const bottom = lanczos(operatorOf(A), n, 1, { which: 'smallest', seed: 3 });
    expect(bottom.values[0]).toBeCloseTo(-7, 9);
  });

  it('identity: breakdown after one step, restarts recover the multiplicity', () => {
    const r = lanczos((v) => v, 20, 3);
    expect([...r.values].map((x) => Math.round(x * 1e12) / 1e12)).toEqual([1, 1, 1]);
    expect(r.converged).toBe(true);
    // Restarted vectors are orthogonal, so the three Ritz vectors are orthonormal.
    expect(Math.abs(dotT(r.vectors[0], r.vectors[1]))).toBeLessThan(1e-12);
  });

  it('rank one u uᵀ: eigenvalues ‖u‖² and 0', () => {
    const u = Float64Array.of(1, 2, 3, 4, 5, 6);
    const op = (v: Float64Array) => u.map((ui) => ui * dotT(u, v));
    const r = lanczos(op, 6, 2);
    expect(r.values[0]).toBeCloseTo(91, 10);
    expect(Math.abs(r.values[1])).toBeLessThan(1e-10);
    expect(Math.abs(dotT(r.vectors[0], u)) / normT(u)).toBeCloseTo(1, 12);
  });

  it("k = n with which 'both' returns the whole spectrum once, ascending", () => {
    const eig = [3, -1, 2, 0.5];
    const r = lanczos(operatorOf(withSpectrum(eig, 2)), 4, 4, { which: 'both' });
    expect(r.values.length).toBe(4);
    [-1, 0.5, 2, 3].forEach((x, i) => expect(r.values[i]).toBeCloseTo(x, 12));
  });

  it('a user start vector is honoured (an eigenvector gives its eigenvalue at once)', () => {
    const A: Matrix = [
      [2, 0, 0],
      [0, 5, 0],
      [0, 0, -1],
    ];
    const r = lanczos(operatorOf(A), 3, 1, { start: Float64Array.of(0, 0, 3), maxIterations: 1, checkSymmetry: false });
    expect([...r.values]).toEqual([-1]);
    expect(r.iterations).toBe(1);
  });

  it('reports converged: false when maxIterations is too small', () => {
    const A = randomSymmetric(40, 8);
    const r = lanczos(operatorOf(A), 40, 1, { maxIterations: 4, seed: 2 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(4);
    expect(r.residualBounds[0]).toBeGreaterThan(1e-10);
  });
});

describe('lanczos input errors', () => {
  const A = operatorOf(randomSymmetric(5, 1));
  it('k = 0, k > n, non-integer k', () => {
    expect(() => lanczos(A, 5, 0)).toThrow(CurvatureInputError);
    expect(() => lanczos(A, 5, 0)).toThrow(/k must be an integer in \[1, 5\], got 0/);
    expect(() => lanczos(A, 5, 6)).toThrow(/k must be an integer in \[1, 5\], got 6/);
    expect(() => lanczos(A, 5, 1.5)).toThrow(/got 1.5/);
  });

  it('non-symmetric operator is detected (unless the check is disabled)', () => {
    const B = randomMatrix(6, 6, 3);
    expect(() => lanczos(operatorOf(B), 6, 1)).toThrow(NonSymmetricOperatorError);
    expect(() => powerIteration(operatorOf(B), 6)).toThrow(NonSymmetricOperatorError);
    expect(() => lanczos(operatorOf(B), 6, 1, { checkSymmetry: false })).not.toThrow();
  });

  it('bad start, maxIterations < k, wrong operator output size, bad which', () => {
    expect(() => lanczos(A, 5, 1, { start: new Float64Array(4) })).toThrow(DimensionMismatchError);
    expect(() => lanczos(A, 5, 1, { start: new Float64Array(5) })).toThrow(/start vector must be nonzero/);
    expect(() => lanczos(A, 5, 3, { maxIterations: 2 })).toThrow(/maxIterations must be an integer ≥ 3, got 2/);
    expect(() => lanczos(() => new Float64Array(3), 5, 1)).toThrow(/operator output has length 3, expected 5/);
    expect(() => lanczos(A, 5, 1, { which: 'middle' as never })).toThrow(/option 'which' must be one of 'largest', 'smallest', 'both', got 'middle'/);
  });
});

describe('powerIteration', () => {
  it('matches the top-|λ| eigenpair from jacobi on random symmetric matrices', () => {
    for (const seed of [1, 2, 3]) {
      const A = randomSymmetric(30, seed);
      const ref = jacobiEigen(A);
      const top = Math.abs(ref.values[0]) > Math.abs(ref.values[29]) ? 0 : 29;
      const r = powerIteration(operatorOf(A), 30, { seed, maxIterations: 50000 });
      expect(r.converged).toBe(true);
      expect(Math.abs(r.value - ref.values[top])).toBeLessThan(1e-8);
      expect(Math.abs(dotT(r.vector, ref.vectors[top]))).toBeCloseTo(1, 8);
      expect(residual(A, r.value, r.vector)).toBeLessThan(1e-8);
    }
  });

  it('finds a dominant negative eigenvalue with its sign', () => {
    const A = withSpectrum([-5, 2, 1, 0.5, -1], 3);
    const r = powerIteration(operatorOf(A), 5);
    expect(r.value).toBeCloseTo(-5, 10);
    expect(r.applies).toBe(r.iterations + 2);
  });

  it('cannot converge on ±λ of equal magnitude, and says so', () => {
    const r = powerIteration(operatorOf([[1, 0], [0, -1]]), 2, { maxIterations: 100, start: Float64Array.of(1, 1) });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(100);
    expect(r.value).toBeCloseTo(0, 12);
  });

  it('zero operator converges at once to λ = 0', () => {
    const r = powerIteration((v) => new Float64Array(v.length), 4);
    expect(r).toMatchObject({ value: 0, converged: true, iterations: 1 });
  });
});
