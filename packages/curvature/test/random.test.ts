import { describe, expect, it } from 'vitest';
import { createRng, normalVector, rademacherVector } from '../src/random.js';
import { CurvatureInputError } from '../src/errors.js';

describe('createRng', () => {
  it('is reproducible: same seed, same streams', () => {
    const a = createRng(123);
    const b = createRng(123);
    for (let i = 0; i < 100; i++) {
      expect(a.uniform()).toBe(b.uniform());
      expect(a.normal()).toBe(b.normal());
      expect(a.rademacher()).toBe(b.rademacher());
    }
  });

  it('gives different streams for nearby and large seeds', () => {
    const draws = (seed: number) => Array.from({ length: 8 }, createRng(seed).uniform);
    const seen = new Set([0, 1, 2, 2 ** 32, 2 ** 32 + 1, -1].map((s) => draws(s).join(',')));
    expect(seen.size).toBe(6);
  });

  it('uniform lies in [0, 1) with mean ½ and variance 1/12', () => {
    const rng = createRng(7);
    const n = 20000;
    const xs = Array.from({ length: n }, () => rng.uniform());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(variance).toBeCloseTo(1 / 12, 2);
  });

  it('normal has mean 0, variance 1 and kurtosis 3', () => {
    const v = normalVector(createRng(11), 40000);
    const n = v.length;
    const mean = v.reduce((s, x) => s + x, 0) / n;
    const m2 = v.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    const m4 = v.reduce((s, x) => s + (x - mean) ** 4, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThan(0.03);
    expect(Math.abs(m4 / (m2 * m2) - 3)).toBeLessThan(0.15);
  });

  it('rademacher gives only ±1, balanced', () => {
    const z = rademacherVector(createRng(3), 20000);
    expect(z.every((x) => x === 1 || x === -1)).toBe(true);
    const sum = z.reduce((s, x) => s + x, 0);
    expect(Math.abs(sum)).toBeLessThan(5 * Math.sqrt(z.length));
  });

  it('rejects non-integer seeds with a typed error naming the value', () => {
    expect(() => createRng(1.5)).toThrow(CurvatureInputError);
    expect(() => createRng(Number.NaN)).toThrow(/got NaN/);
  });
});
