// Random keys and draws: the Threefry-2x32 hash against Random123's known answer and JAX's
// threefry_2x32, keys against JAX's PRNGKey, and the draws' distributions by fixed statistical tests
// (deterministic: the keys are fixed, so each statistic is one number, checked against its bound).
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, OptionError, RandomKey, ShapeError, grad, ndtr, randomKey, randomNormal, randomUniform, splitKey, tensor,
  type Tensor,
} from '../src/index.js';
import { threefry2x32 } from '../src/random.js';
import { expectError } from './expect-error.js';

const out = new Uint32Array(2);
const hash = (k0: number, k1: number, x0: number, x1: number) => (threefry2x32(k0, k1, x0, x1, out), [out[0], out[1]]);

describe('Threefry-2x32', () => {
  it('gives Random123\'s known answer and JAX\'s threefry_2x32 values', () => {
    // Random123 kat_vectors: threefry2x32_20, key 0 and counter 0 → 6b200159 99ba4efe.
    expect(hash(0, 0, 0, 0)).toEqual([0x6b200159, 0x99ba4efe]);
    // jax._src.random.threefry2x32.threefry_2x32([0x12345678, 0x9abcdef0], arange(6)): counters (j, j + 3).
    expect(hash(0x12345678, 0x9abcdef0, 0, 3)).toEqual([763154297, 2793666216]);
    expect(hash(0x12345678, 0x9abcdef0, 1, 4)).toEqual([1583069150, 2154091483]);
    expect(hash(0x12345678, 0x9abcdef0, 2, 5)).toEqual([1927580369, 3316728533]);
  });

  it('randomKey(seed) has JAX\'s PRNGKey words', () => {
    expect(randomKey(42).words).toEqual([0, 42]);
    expect(randomKey(-1).words).toEqual([4294967295, 4294967295]);
    expect(randomKey(2 ** 40 + 5).words).toEqual([256, 5]);
    expect(String(randomKey(7))).toBe('RandomKey(0, 7)');
  });
});

describe('draws', () => {
  const n = 100_000;

  it('are pure functions of the key and shape, and split keys give other numbers', () => {
    const key = randomKey(1);
    expect(Array.from(randomNormal(key, [5]).value)).toEqual(Array.from(randomNormal(key, [5]).value));
    // Element i depends on i alone: a longer draw starts with the shorter one.
    expect(Array.from(randomUniform(key, [8]).value).slice(0, 3)).toEqual(Array.from(randomUniform(key, [3]).value));
    const [a, b] = splitKey(key);
    expect(a).toBeInstanceOf(RandomKey);
    const drawn = [key, a, b].map((k) => randomUniform(k, [1]).value[0]);
    expect(new Set(drawn).size).toBe(3);
    expect(splitKey(key, 5).map((k) => k.words.join())).toEqual(splitKey(key, 5).map((k) => k.words.join()));
    expect(new Set(splitKey(key, 1000).map((k) => k.words.join())).size).toBe(1000);
    expect(randomNormal(key, [2, 3]).shape).toEqual([2, 3]);
  });

  it('uniform: in [min, max), mean and variance of the uniform law within 4 standard errors', () => {
    const u = randomUniform(randomKey(2), [n]).value;
    expect(u.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = u.reduce((s, v) => s + v, 0) / n;
    const variance = u.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(4 * Math.sqrt(1 / 180 / n));
    const w = randomUniform(randomKey(3), [1000], { min: -2, max: 3 }).value;
    expect(w.every((v) => v >= -2 && v < 3)).toBe(true);
    // A span of one ulp: every number is min (never max).
    expect(randomUniform(randomKey(4), [100], { min: 1, max: 1 + 2 ** -52 }).value.every((v) => v === 1)).toBe(true);
  });

  it('normal: mean 0, variance 1, and the Kolmogorov–Smirnov distance to Φ below its 1% bound', () => {
    const z = Float64Array.from(randomNormal(randomKey(5), [n]).value).sort();
    const mean = z.reduce((s, v) => s + v, 0) / n;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    const cdf = ndtr(tensor(z)).value;
    let ks = 0;
    cdf.forEach((F, i) => (ks = Math.max(ks, Math.abs(F - i / n), Math.abs(F - (i + 1) / n))));
    expect(ks).toBeLessThan(1.63 / Math.sqrt(n));
    expect(z.every(Number.isFinite)).toBe(true);
  });

  it('are constants inside f: an initialisation drawn there has no derivative', () => {
    const g = grad((w: Tensor) => w.mul(randomNormal(randomKey(6), [3])).sum())([0, 0, 0]) as Float64Array;
    expect(Array.from(g)).toEqual(Array.from(randomNormal(randomKey(6), [3]).value));
  });

  it('name bad keys, seeds, shapes and options', () => {
    expectError(() => randomKey(0.5), ArgumentError, 'randomKey', 'safe integer');
    expectError(() => randomKey(2 ** 60), ArgumentError, 'randomKey');
    expectError(() => randomNormal(42 as never, [2]), ArgumentError, 'randomNormal', 'randomKey(seed)');
    expectError(() => randomNormal(randomKey(0), [-1]), ShapeError, 'randomNormal');
    expectError(() => randomUniform(randomKey(0), [2], { min: 1, max: 1 }), ArgumentError, 'randomUniform', 'below max');
    expectError(() => randomUniform(randomKey(0), [2], { low: 0 } as never), OptionError, 'randomUniform');
    expectError(() => splitKey(randomKey(0), 0), ArgumentError, 'splitKey', 'n');
  });

  it('new RandomKey(seed) is refused (it made one key for every seed), and a key\'s words cannot be changed', () => {
    const make = RandomKey as unknown as new (...a: unknown[]) => RandomKey;
    for (const args of [[0], [42], [1, 2], ['abc'], [[1]], [[1, -1]], [[0.5, 1]], [[0, 2 ** 32]]]) {
      expectError(() => new make(...args), ArgumentError, 'new RandomKey', 'randomKey(seed)');
    }
    const key = randomKey(0);
    expect(() => ((key.words as unknown as number[])[1] = 99)).toThrow(TypeError);
    expect(String(key)).toBe('RandomKey(0, 0)');
    expect(Array.from(randomNormal(new make([0, 0]), [3]).value)).toEqual(Array.from(randomNormal(key, [3]).value));
  });
});
