/**
 * A small, seedable pseudo-random generator: xoshiro128** seeded through splitmix32.
 *
 * Why not `Math.random`: every randomized routine here (Lanczos start vectors, Hutchinson
 * probes, symmetry probes) must be reproducible from a `seed` option, bit for bit, across
 * runs and platforms. xoshiro128** uses only 32-bit integer ops (`Math.imul`, shifts), which
 * JavaScript evaluates identically everywhere.
 */
import { describeValue, noExtraArguments } from '@dualtape/core';
import { CurvatureInputError } from './errors.js';
import { checkSize } from './checks.js';
import { extraArgumentError } from './arity.js';

/**
 * Seed used when a routine's `seed` option is omitted, so results are reproducible by default.
 *
 * @example
 * ```ts
 * createRng().uniform() === createRng(DEFAULT_SEED).uniform(); // true
 * ```
 */
export const DEFAULT_SEED = 0x5eed;

/**
 * A seeded random stream.
 *
 * @example
 * ```ts
 * const rng = createRng(42);
 * rng.uniform();    // in [0, 1)
 * rng.normal();     // standard normal
 * rng.rademacher(); // +1 or -1
 * ```
 */
export interface Rng {
  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal N(0, 1) (Box–Muller; the second variate of each pair is cached). */
  normal(): number;
  /** +1 or −1 with probability ½ each. */
  rademacher(): number;
}

/**
 * Creates a generator from a seed (any safe integer; negative and > 2³² values are fine —
 * both 32-bit halves are mixed in).
 *
 * @throws {CurvatureInputError} when `seed` is not a safe integer.
 * @example
 * ```ts
 * const a = createRng(7), b = createRng(7);
 * a.uniform() === b.uniform(); // true
 * ```
 */
export function createRng(seed: number = DEFAULT_SEED): Rng {
  noExtraArguments('createRng', arguments, 1, 'createRng(seed)', undefined, extraArgumentError);
  if (!Number.isSafeInteger(seed)) {
    throw new CurvatureInputError(`createRng: seed must be a safe integer, got ${describeValue(seed)}`);
  }
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  // Two splitmix32 streams, one per 32-bit half of the seed, are XORed into the xoshiro state:
  // nearby seeds (1, 2, 3… or 0 and 2³²) get unrelated states, not just different ones.
  const a = splitmix32(lo);
  const b = splitmix32(hi);
  // fmix32 on the high stream keeps the two halves from cancelling (e.g. when lo = hi).
  let s0 = a() ^ fmix32(b());
  let s1 = a() ^ fmix32(b());
  let s2 = a() ^ fmix32(b());
  let s3 = a() ^ fmix32(b());
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point of xoshiro

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };

  let cachedNormal: number | null = null;
  return {
    nextUint32,
    uniform(): number {
      // 27 + 26 high bits of two draws → all 53 mantissa bits, as in the usual double recipe.
      const a = nextUint32() >>> 5;
      const b = nextUint32() >>> 6;
      return (a * 67108864 + b) / 9007199254740992;
    },
    normal(): number {
      if (cachedNormal !== null) {
        const z = cachedNormal;
        cachedNormal = null;
        return z;
      }
      const u1 = 1 - this.uniform(); // (0, 1]: log never sees 0
      const u2 = this.uniform();
      const r = Math.sqrt(-2 * Math.log(u1));
      cachedNormal = r * Math.sin(2 * Math.PI * u2);
      return r * Math.cos(2 * Math.PI * u2);
    },
    rademacher(): number {
      return nextUint32() >>> 31 === 1 ? 1 : -1;
    },
  };
}

/**
 * A vector of `n` independent standard normals.
 *
 * @throws {CurvatureInputError} when `rng` has no `normal()` method (use {@link createRng}), `n` is not
 *   an integer in [0, 2²⁸], or `rng.normal()` returns something other than a finite number.
 * @example
 * ```ts
 * const v = normalVector(createRng(1), 5);
 * ```
 */
export function normalVector(rng: Rng, n: number): Float64Array {
  noExtraArguments('normalVector', arguments, 2, 'normalVector(rng, n)', undefined, extraArgumentError);
  checkRng('normalVector', rng, 'normal');
  checkSize('normalVector', 'n', n, 0);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x: unknown = rng.normal();
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new CurvatureInputError(`normalVector: rng.normal() must return a finite number, got ${describeValue(x)}`);
    }
    v[i] = x;
  }
  return v;
}

/**
 * A vector of `n` independent Rademacher (±1) entries.
 *
 * @throws {CurvatureInputError} when `rng` has no `rademacher()` method (use {@link createRng}), `n` is
 *   not an integer in [0, 2²⁸], or `rng.rademacher()` returns something other than +1 or −1.
 * @example
 * ```ts
 * const z = rademacherVector(createRng(1), 5); // e.g. [1, -1, -1, 1, 1]
 * ```
 */
export function rademacherVector(rng: Rng, n: number): Float64Array {
  noExtraArguments('rademacherVector', arguments, 2, 'rademacherVector(rng, n)', undefined, extraArgumentError);
  checkRng('rademacherVector', rng, 'rademacher');
  checkSize('rademacherVector', 'n', n, 0);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x: unknown = rng.rademacher();
    if (x !== 1 && x !== -1) {
      throw new CurvatureInputError(`rademacherVector: rng.rademacher() must return 1 or -1, got ${describeValue(x)}`);
    }
    v[i] = x;
  }
  return v;
}

function checkRng(where: string, rng: unknown, method: 'normal' | 'rademacher'): void {
  if (rng === null || typeof rng !== 'object' || typeof (rng as Record<string, unknown>)[method] !== 'function') {
    throw new CurvatureInputError(
      `${where}: rng must be a generator with a ${method}() method, as createRng(seed) returns, got ${describeValue(rng)}`,
    );
  }
}

/** splitmix32: a counter through an avalanching output function; good for seeding. */
function splitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let t = state ^ (state >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

/** MurmurHash3's 32-bit finalizer (a bijection with full avalanche). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
