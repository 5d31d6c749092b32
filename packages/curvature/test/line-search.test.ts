// The strong Wolfe line search: what it accepts satisfies the conditions it reports, on smooth, noisy
// and partly undefined functions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { strongWolfeSearch, type LineFunction, type StrongWolfeParameters } from '../src/line-search.js';
import { CurvatureInputError } from '../src/errors.js';

const params: StrongWolfeParameters = { c1: 1e-4, c2: 0.9, maxEvaluations: 30, noise: 0 };

/** φ and φ′ from a closure, counting calls. */
function line(f: (a: number) => number, df: (a: number) => number): LineFunction<number> & { calls: number } {
  const phi = ((a: number) => {
    phi.calls++;
    return { value: f(a), slope: df(a), payload: a };
  }) as LineFunction<number> & { calls: number };
  phi.calls = 0;
  return phi;
}

describe('strongWolfeSearch', () => {
  it('returns a point that satisfies both strong Wolfe conditions (property: random smooth 1-D functions)', () => {
    // φ(α) = q(α − m)² + (sq/k)·sin(kα): smooth, bounded below, non-convex when s·k > 2; kept when φ′(0) < 0.
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (q, m, s, k, alpha1) => {
          const f = (a: number) => q * (a - m) ** 2 + s * q * Math.sin(k * a) / k;
          const df = (a: number) => 2 * q * (a - m) + s * q * Math.cos(k * a);
          const slope0 = df(0);
          fc.pre(slope0 < 0);
          const phi = line(f, df);
          const r = strongWolfeSearch(phi, f(0), slope0, alpha1, params);
          expect(r.evaluations).toBe(phi.calls);
          expect(r.outcome).toBe('strong-wolfe');
          const p = r.point!;
          expect(p.payload).toBe(p.alpha);
          expect(p.value).toBeLessThanOrEqual(f(0) + params.c1 * p.alpha * slope0);
          expect(Math.abs(p.slope)).toBeLessThanOrEqual(-params.c2 * slope0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds the exact minimizer of a quadratic when the cubic interpolation lands on it', () => {
    const phi = line((a) => (a - 3) ** 2, (a) => 2 * (a - 3));
    const r = strongWolfeSearch(phi, 9, -6, 100, { ...params, c2: 0.1 });
    expect(r.outcome).toBe('strong-wolfe');
    expect(r.point!.alpha).toBeCloseTo(3, 12);
  });

  it('extrapolates from a tiny first step and backtracks from a huge one', () => {
    const f = (a: number) => (a - 1e4) ** 2;
    const df = (a: number) => 2 * (a - 1e4);
    const small = strongWolfeSearch(line(f, df), f(0), df(0), 1e-6, params);
    expect(small.outcome).toBe('strong-wolfe');
    const big = strongWolfeSearch(line(f, df), f(0), df(0), 1e12, params);
    expect(big.outcome).toBe('strong-wolfe');
  });

  it('treats NaN and Infinity as "too far" and shortens the step', () => {
    // Defined only for α < 1.5 (Infinity, then NaN beyond): the first trial, α = 50, is far outside.
    const f = (a: number) => (a < 1.5 ? (a - 1) ** 2 : a < 1.7 ? Infinity : NaN);
    const df = (a: number) => (a < 1.5 ? 2 * (a - 1) : NaN);
    const r = strongWolfeSearch(line(f, df), 1, -2, 50, params);
    expect(r.outcome).toBe('strong-wolfe');
    expect(r.point!.alpha).toBeLessThan(1.5);
    expect(Number.isFinite(r.point!.value)).toBe(true);
  });

  it('inside the noise of φ it trusts the slope (approximate Wolfe); a plain Wolfe search stalls there', () => {
    // The stall near a tight minimum: the true decrease along the line (≈ 1e-14) is far below the
    // rounding of φ, so every trial *reads* 1e-9 above φ(0), while the slopes are still accurate.
    const base = 1;
    const f = (a: number) => (a === 0 ? base : base + 1e-14 * ((a - 1) ** 2 - 1) + 1e-9);
    const df = (a: number) => 2e-14 * (a - 1);
    const noisy = strongWolfeSearch(line(f, df), base, df(0), 0.3, { ...params, noise: 1e-6 * base });
    expect(noisy.outcome).toBe('approximate-wolfe');
    const p = noisy.point!;
    expect(p.slope).toBeGreaterThanOrEqual(params.c2 * df(0));
    expect(p.slope).toBeLessThanOrEqual(-0.8 * df(0));
    expect(p.value).toBeLessThanOrEqual(base + 1e-6 * base);
    const plain = strongWolfeSearch(line(f, df), base, df(0), 0.3, params);
    expect(plain.outcome).toBe('failed');
  });

  it('refuses, without evaluating, a slope0 that is not < 0 (not a descent direction) and an alpha1 that is not > 0', () => {
    // These used to return { outcome: 'failed', evaluations: 0 }, which read like a hard problem.
    const phi = line((a) => a * a, (a) => 2 * a);
    const descent = /slope0 = φ′\(0\) must be a finite number < 0, got (0|1): d is not a descent direction/;
    expect(() => strongWolfeSearch(phi, 0, 0, 1, params)).toThrow(CurvatureInputError);
    expect(() => strongWolfeSearch(phi, 0, 0, 1, params)).toThrow(descent);
    expect(() => strongWolfeSearch(phi, 0, 1, 1, params)).toThrow(descent);
    expect(() => strongWolfeSearch(phi, 0, Number.NaN, 1, params)).toThrow('strongWolfeSearch: slope0 = φ′(0) must be a finite number < 0, got NaN');
    expect(() => strongWolfeSearch(phi, 0, -Infinity, 1, params)).toThrow('got -Infinity');
    for (const alpha1 of [0, -1, Number.NaN, Infinity]) {
      expect(() => strongWolfeSearch(phi, 0, -1, alpha1, params)).toThrow(
        `strongWolfeSearch: alpha1 (the first trial step) must be a finite number > 0, got ${alpha1}`,
      );
    }
    expect(phi.calls).toBe(0);
  });

  it('reports a failure when φ′ contradicts φ (a wrong gradient), within its evaluation budget', () => {
    // φ rises, but the "slope" claims it falls: no step can satisfy sufficient decrease.
    const phi = line((a) => a, () => -1);
    const r = strongWolfeSearch(phi, 0, -1, 1, params);
    expect(r.outcome).toBe('failed');
    expect(r.point).toBeNull();
    expect(r.evaluations).toBeLessThanOrEqual(params.maxEvaluations);
  });

  it('returns the best sufficient-decrease point when the curvature condition cannot be met in budget', () => {
    // Steep descent forever: φ = −e^α never flattens, every step is a decrease.
    const phi = line((a) => -Math.exp(a), (a) => -Math.exp(a));
    const r = strongWolfeSearch(phi, -1, -1, 1, { ...params, maxEvaluations: 5 });
    expect(r.outcome).toBe('sufficient-decrease');
    expect(r.evaluations).toBe(5);
    expect(r.point!.value).toBeLessThan(-1);
  });
});
