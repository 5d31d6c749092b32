import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { steihaug } from '../src/steihaug.js';
import { CurvatureInputError } from '../src/errors.js';
import {
  dotT,
  matvec,
  normT,
  operatorOf,
  randomSPD,
  randomSymmetric,
  randomVector,
  solve,
  sub,
  withSpectrum,
  type Matrix,
} from './helpers.js';

/** m(p) = gᵀp + ½pᵀHp, computed densely in the test. */
const model = (H: Matrix, g: Float64Array, p: ArrayLike<number>) => dotT(g, p) + 0.5 * dotT(p, matvec(H, p));

/** The Cauchy point (Nocedal–Wright eq. 4.11–4.12): Steihaug must do at least as well. */
function cauchyPoint(H: Matrix, g: Float64Array, radius: number): Float64Array {
  const gn = normT(g);
  const gHg = dotT(g, matvec(H, g));
  const tau = gHg <= 0 ? 1 : Math.min(gn ** 3 / (radius * gHg), 1);
  return g.map((gi) => (-tau * radius * gi) / gn);
}

describe('steihaug', () => {
  it('on an indefinite matrix returns a boundary step with ‖p‖ = Δ', () => {
    const H = withSpectrum([3, 1, -0.5, -2], 2);
    const g = randomVector(4, 3);
    const radius = 0.7;
    const r = steihaug(operatorOf(H), g, radius);
    expect(['negative-curvature', 'boundary']).toContain(r.reason);
    expect(normT(r.p)).toBeCloseTo(radius, 12);
    expect(r.predictedReduction).toBeCloseTo(-model(H, g, r.p), 12);
    expect(r.predictedReduction).toBeGreaterThan(0);
  });

  it('interior solution equals the Newton step when it fits', () => {
    const H = randomSPD(10, 1, 4);
    const g = randomVector(10, 5);
    const newton = solve(H, g).map((x) => -x);
    const r = steihaug(operatorOf(H), g, 2 * normT(newton));
    expect(r.reason).toBe('converged');
    expect(normT(sub(r.p, newton)) / normT(newton)).toBeLessThan(1e-8);
    expect(r.predictedReduction).toBeCloseTo(-model(H, g, newton), 10);
    expect(r.applies).toBe(r.iterations);
  });

  it('SPD with the Newton step outside the region stops on the boundary', () => {
    const H = randomSPD(10, 0.1, 6);
    const g = randomVector(10, 7);
    const newtonNorm = normT(solve(H, g));
    const r = steihaug(operatorOf(H), g, 0.3 * newtonNorm);
    expect(r.reason).toBe('boundary');
    expect(normT(r.p)).toBeCloseTo(0.3 * newtonNorm, 10);
  });

  it('follows negative curvature to the boundary point of lower model value', () => {
    const H: Matrix = [
      [-1, 0],
      [0, -1],
    ];
    const r = steihaug(operatorOf(H), Float64Array.of(1, 0), 2);
    expect(r.reason).toBe('negative-curvature');
    expect(r.p[0]).toBeCloseTo(-2, 14);
    expect(r.p[1]).toBeCloseTo(0, 14);
    expect(r.predictedReduction).toBeCloseTo(2 + 2, 14); // −(gᵀp + ½pᵀHp) = −(−2 − 2)
  });

  it('on negative curvature picks the better of the two boundary points, not just τ > 0', () => {
    // Built so that the second CG direction has strong negative curvature and the boundary
    // point *behind* the iterate (τ < 0) has a ten times lower model value than the one ahead.
    const H: Matrix = [
      [1, 0],
      [0, -100],
    ];
    const g = Float64Array.of(-1, 0.01);
    const radius = 1.5;
    const r = steihaug(operatorOf(H), g, radius);
    expect(r.reason).toBe('negative-curvature');
    expect(r.iterations).toBe(2);
    // Global minimum of m on the boundary by brute force.
    let best = Infinity;
    for (let i = 0; i < 100000; i++) {
      const t = (2 * Math.PI * i) / 100000;
      best = Math.min(best, model(H, g, [radius * Math.cos(t), radius * Math.sin(t)]));
    }
    expect(model(H, g, r.p)).toBeLessThan(0.85 * best);
  });

  it('property: never worse than the Cauchy point, never outside the region', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.boolean(),
        (n, seed, radius, definite) => {
          const H = definite ? randomSPD(n, 0.01, seed) : randomSymmetric(n, seed);
          const g = randomVector(n, seed + 1);
          const r = steihaug(operatorOf(H), g, radius);
          expect(normT(r.p)).toBeLessThanOrEqual(radius * (1 + 1e-12));
          const slack = 1e-10 * (1 + Math.abs(model(H, g, r.p)));
          expect(model(H, g, r.p)).toBeLessThanOrEqual(model(H, g, cauchyPoint(H, g, radius)) + slack);
          expect(r.predictedReduction).toBeCloseTo(-model(H, g, r.p), 8);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('g = 0 gives p = 0 without products', () => {
    const r = steihaug(operatorOf(randomSPD(3, 1, 1)), new Float64Array(3), 1);
    expect(r).toMatchObject({ reason: 'converged', iterations: 0, applies: 0, predictedReduction: 0 });
  });

  it('respects maxIterations', () => {
    const H = randomSPD(30, 0.01, 9);
    const r = steihaug(operatorOf(H), randomVector(30, 10), 1e6, { maxIterations: 2 });
    expect(r.reason).toBe('max-iterations');
    expect(r.applies).toBe(2);
  });

  it('rejects a non-positive radius and non-finite g', () => {
    const op = operatorOf(randomSPD(2, 1, 1));
    expect(() => steihaug(op, Float64Array.of(1, 1), 0)).toThrow(CurvatureInputError);
    expect(() => steihaug(op, Float64Array.of(1, 1), -1)).toThrow(/radius must be a finite number > 0, got -1/);
    expect(() => steihaug(op, Float64Array.of(1, Infinity), 1)).toThrow(/g\[1\] is Infinity/);
  });
});
