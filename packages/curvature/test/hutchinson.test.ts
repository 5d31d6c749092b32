import { describe, expect, it } from 'vitest';
import { hutchinsonDiagonal, hutchinsonTrace } from '../src/hutchinson.js';
import { CurvatureInputError, DimensionMismatchError } from '../src/errors.js';
import { operatorOf, randomSymmetric, traceOf } from './helpers.js';

const n = 50;
const A = randomSymmetric(n, 77);
const exactTrace = traceOf(A);

describe('hutchinsonTrace', () => {
  it.each([1, 2, 3, 4, 5])('seed %i: within 3 standard errors of the exact trace', (seed) => {
    const op = operatorOf(A);
    const r = hutchinsonTrace(op, n, { probes: 200, seed });
    expect(r.probes).toBe(200);
    expect(op.count).toBe(200);
    expect(r.standardError).toBeGreaterThan(0);
    expect(Math.abs(r.estimate - exactTrace)).toBeLessThan(3 * r.standardError);
  });

  it('the standard error matches the Rademacher variance 2Σ_{i≠j}A_ij² / probes', () => {
    let offSq = 0;
    A.forEach((row, i) => row.forEach((a, j) => (offSq += i === j ? 0 : a * a)));
    const predicted = Math.sqrt((2 * offSq) / 400);
    const r = hutchinsonTrace(operatorOf(A), n, { probes: 400, seed: 9 });
    expect(r.standardError / predicted).toBeGreaterThan(0.8);
    expect(r.standardError / predicted).toBeLessThan(1.25);
  });

  it('standard error shrinks like 1/√probes: 16 vs 256 probes ≈ 4×', () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const se16 = mean(seeds.map((seed) => hutchinsonTrace(operatorOf(A), n, { probes: 16, seed }).standardError));
    const se256 = mean(seeds.map((seed) => hutchinsonTrace(operatorOf(A), n, { probes: 256, seed }).standardError));
    expect(se16 / se256).toBeGreaterThan(3);
    expect(se16 / se256).toBeLessThan(5.3);
  });

  it('is exact with zero error bar for a diagonal operator (zᵢ² = 1)', () => {
    const d = Float64Array.from({ length: 10 }, (_, i) => i - 3.5);
    const r = hutchinsonTrace((v) => v.map((x, i) => d[i] * x), 10, { probes: 5 });
    expect(r.estimate).toBeCloseTo(d.reduce((s, x) => s + x, 0), 12);
    expect(r.standardError).toBe(0);
  });

  it('one probe: the error bar is Infinity, not NaN', () => {
    expect(hutchinsonTrace(operatorOf(A), n, { probes: 1 }).standardError).toBe(Infinity);
  });

  it('same seed → identical result; different seed → different estimate', () => {
    const a = hutchinsonTrace(operatorOf(A), n, { probes: 30, seed: 42 });
    const b = hutchinsonTrace(operatorOf(A), n, { probes: 30, seed: 42 });
    const c = hutchinsonTrace(operatorOf(A), n, { probes: 30, seed: 43 });
    expect(b).toEqual(a);
    expect(c.estimate).not.toBe(a.estimate);
  });

  it('rejects bad sizes', () => {
    expect(() => hutchinsonTrace(operatorOf(A), n, { probes: 0 })).toThrow(/option 'probes' must be an integer ≥ 1, got 0/);
    expect(() => hutchinsonTrace(operatorOf(A), 0)).toThrow(CurvatureInputError);
    expect(() => hutchinsonTrace(operatorOf(A), 49)).toThrow(DimensionMismatchError);
  });
});

describe('hutchinsonDiagonal', () => {
  it.each([1, 2, 3])('seed %i: errors are consistent with the standard errors', (seed) => {
    const r = hutchinsonDiagonal(operatorOf(A), n, { probes: 200, seed });
    const z = r.estimate.map((e, i) => (e - A[i][i]) / r.standardError[i]);
    const within3 = z.filter((zi) => Math.abs(zi) < 3).length;
    expect(within3).toBeGreaterThanOrEqual(0.9 * n);
    const meanAbs = z.reduce((s, zi) => s + Math.abs(zi), 0) / n;
    expect(meanAbs).toBeGreaterThan(0.5); // E|N(0,1)| ≈ 0.80: the error bars are not inflated
    expect(meanAbs).toBeLessThan(1.1); //   …nor too small
  });

  it('standard errors shrink ≈ 4× from 16 to 256 probes', () => {
    const se = (probes: number) => {
      const s = hutchinsonDiagonal(operatorOf(A), n, { probes, seed: 5 }).standardError;
      return s.reduce((acc, x) => acc + x, 0) / n;
    };
    const ratio = se(16) / se(256);
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(5.3);
  });

  it('exact for a diagonal operator', () => {
    const A2 = [
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, 3],
    ];
    const r = hutchinsonDiagonal(operatorOf(A2), 3, { probes: 3 });
    expect([...r.estimate]).toEqual([1, 2, 3]);
    expect([...r.standardError]).toEqual([0, 0, 0]);
  });

  it('reproducible', () => {
    const a = hutchinsonDiagonal(operatorOf(A), n, { probes: 10, seed: 3 });
    const b = hutchinsonDiagonal(operatorOf(A), n, { probes: 10, seed: 3 });
    expect(b).toEqual(a);
  });
});
