import { describe, expect, it } from 'vitest';
import { spectralDensity } from '../src/spectral-density.js';
import { CurvatureOptionError, NonSymmetricOperatorError } from '../src/errors.js';
import { operatorOf, randomMatrix, withSpectrum } from './helpers.js';

describe('spectralDensity (stochastic Lanczos quadrature)', () => {
  it('each probe is a Gauss rule: exact moments up to degree 2m − 1 (diagonal operator)', () => {
    // For A = diag(λ) and v = z/√n with Rademacher z, vᵀAᵖv = (1/n)Σλᵢᵖ exactly for every probe.
    const n = 40;
    const m = 8;
    const lambda = Float64Array.from({ length: n }, (_, i) => Math.cos((i * 2.3) % Math.PI));
    const r = spectralDensity((v) => v.map((x, i) => lambda[i] * x), n, { probes: 4, lanczosSteps: m, seed: 1 });
    expect(r.nodes).toHaveLength(4);
    r.nodes.forEach((nodes, s) => {
      expect(nodes.length).toBe(m);
      for (let p = 0; p < 2 * m; p++) {
        const quad = nodes.reduce((acc, t, j) => acc + r.weights[s][j] * t ** p, 0);
        const exact = lambda.reduce((acc, l) => acc + l ** p, 0) / n;
        expect(Math.abs(quad - exact)).toBeLessThan(1e-10);
      }
    });
  });

  it('two eigenvalue clusters: breakdown after 2 steps gives nodes {−1, 2} with mass ≈ 0.4 / 0.6', () => {
    const eig = [...new Array(20).fill(-1), ...new Array(30).fill(2)];
    const A = withSpectrum(eig, 3);
    const r = spectralDensity(operatorOf(A), 50, { probes: 30, lanczosSteps: 10, seed: 2 });
    let massLow = 0;
    for (let s = 0; s < 30; s++) {
      expect(r.nodes[s].length).toBe(2);
      expect(r.nodes[s][0]).toBeCloseTo(-1, 10);
      expect(r.nodes[s][1]).toBeCloseTo(2, 10);
      expect(r.weights[s][0] + r.weights[s][1]).toBeCloseTo(1, 12);
      massLow += r.weights[s][0] / 30;
    }
    expect(massLow).toBeGreaterThan(0.35);
    expect(massLow).toBeLessThan(0.45);
    expect(r.applies).toBe(2 + 30 * 2);
  });

  it('the smoothed density is non-negative, integrates to 1 and has the right mean', () => {
    const eig = Array.from({ length: 60 }, (_, i) => (i < 50 ? Math.sin(i) : 6 + i / 10));
    const A = withSpectrum(eig, 7);
    const r = spectralDensity(operatorOf(A), 60, { probes: 10, lanczosSteps: 20, seed: 5, gridSize: 2000 });
    expect(r.density.every((x) => x >= 0)).toBe(true);
    const h = r.grid[1] - r.grid[0];
    const mass = r.density.reduce((s, x) => s + x, 0) * h;
    expect(mass).toBeCloseTo(1, 4);
    // Mean of the density = average first moment = Hutchinson-type estimate of tr(A)/n.
    const mean = r.density.reduce((s, x, i) => s + x * r.grid[i], 0) * h;
    const quadMean = r.nodes.reduce((acc, t, s) => acc + t.reduce((a, x, j) => a + x * r.weights[s][j], 0), 0) / 10;
    expect(mean).toBeCloseTo(quadMean, 4);
    const exactMean = eig.reduce((s, x) => s + x, 0) / 60;
    expect(Math.abs(quadMean - exactMean)).toBeLessThan(0.5);
    // The outlier cluster near 6–6.9 shows up as a separate bump: density dips in between.
    const at = (t: number) => r.density[Math.round((t - r.grid[0]) / h)];
    expect(at(3.5)).toBeLessThan(0.1 * at(0.5));
    expect(r.grid[0]).toBeLessThan(-1);
    expect(r.grid[r.grid.length - 1]).toBeGreaterThan(6.9);
  });

  it('an operator c·I up to rounding (nodes a few ulps apart) gets the width of one node, not 1% of the rounding', () => {
    // 4·QQᵀ: its Lanczos nodes differ in the last bits; σ was 1e-17 and the grid collapsed (integral 16).
    for (const A of [withSpectrum(new Array(50).fill(4), 3), [[4, 1e-15], [1e-15, 4]]]) {
      const r = spectralDensity(operatorOf(A), A.length, { probes: 4, seed: 2 });
      expect(r.sigma).toBeCloseTo(0.04, 10);
      expect(new Set(r.grid).size).toBe(r.grid.length);
      const h = r.grid[1] - r.grid[0];
      expect(r.density.reduce((acc, x) => acc + x, 0) * h).toBeCloseTo(1, 5); // less the tails beyond ±5σ
    }
  });

  it('is reproducible and rejects non-symmetric operators', () => {
    const A = withSpectrum([1, 2, 3, 4, 5, 6], 1);
    const a = spectralDensity(operatorOf(A), 6, { probes: 3, lanczosSteps: 4, seed: 9, gridSize: 16 });
    const b = spectralDensity(operatorOf(A), 6, { probes: 3, lanczosSteps: 4, seed: 9, gridSize: 16 });
    expect(b).toEqual(a);
    expect(() => spectralDensity(operatorOf(randomMatrix(4, 4, 1)), 4)).toThrow(NonSymmetricOperatorError);
  });

  it('validates options', () => {
    const op = (v: Float64Array) => v;
    expect(() => spectralDensity(op, 3, { probes: 0 })).toThrow(/option 'probes' must be an integer ≥ 1, got 0/);
    expect(() => spectralDensity(op, 3, { gridSize: 1 })).toThrow(/gridSize/);
    expect(() => spectralDensity(op, 3, { sigma: 0 })).toThrow(/option 'sigma' must be a finite number > 0, got 0/);
  });

  it('refuses a grid larger than a vector may be, instead of an internal RangeError', () => {
    const op = operatorOf([[2, 0, 0], [0, 1, 0], [0, 0, 3]]);
    for (const gridSize of [2 ** 32, 1e16]) {
      expect(() => spectralDensity(op, 3, { gridSize })).toThrow(CurvatureOptionError);
      expect(() => spectralDensity(op, 3, { gridSize })).toThrow(/option 'gridSize' must be an integer ≥ 2 and ≤ 268435456/);
    }
  });
});
