/**
 * Random numbers from keys, as JAX's `jax.random`: a key is an immutable value, `splitKey` derives
 * independent keys from it, and each draw is a pure function of its key and shape, so a program gives
 * the same numbers on every run and machine and no hidden state is shared. The generator is counter
 * based: element i of a draw is Threefry-2x32 (20 rounds, JAX's and Random123's hash) of the key and
 * the counter i. The bits and JAX's `PRNGKey` hashing agree; the mapping of bits to floats is our own,
 * so the numbers are not JAX's stream. Draws are constant tensor nodes, as `zeros` and `ones` are:
 * pass `.value` as a transform's x.
 * @module
 */
import { countArg } from './constructors.js';
import { ArgumentError } from './errors.js';
import { checkShape, tensor, type Tensor } from './node.js';
import { checkOptions, option, type OptionsSpec } from './options.js';
import { checkedSize, type Shape } from './shape.js';
import { shown } from './shown.js';
import { noExtraArguments } from './arity.js';

/**
 * A random key (JAX's `PRNGKey`): two 32-bit words, immutable. Make one with {@link randomKey},
 * derive more with {@link splitKey}, and use each key for one draw.
 *
 * @example
 * ```ts
 * const key: RandomKey = randomKey(0);
 * ```
 */
export class RandomKey {
  /** @internal Keys are made by randomKey and splitKey. */
  /** @internal */
  readonly words: readonly [number, number];

  constructor(words: readonly [number, number]) {
    // `new RandomKey(0)` (JAX's PRNGKey(0) spelled as a class) would read no words and give every
    // such key the same stream: only the two 32-bit words randomKey and splitKey make are a key.
    const uint32 = (w: unknown) => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w < 2 ** 32;
    if (!Array.isArray(words) || words.length !== 2 || !words.every(uint32) || arguments.length !== 1) {
      throw new ArgumentError(`new RandomKey(…) takes no seed: make a key with randomKey(seed), and more from it with splitKey(key, n)`);
    }
    this.words = Object.freeze([words[0], words[1]]) as readonly [number, number];
    Object.freeze(this);
  }

  /**
   * `RandomKey(w0, w1)`, for logs.
   * @example
   * ```ts
   * String(randomKey(7)); // 'RandomKey(0, 7)'
   * ```
   */
  toString(): string {
    return `RandomKey(${this.words[0]}, ${this.words[1]})`;
  }
}

const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24];

/**
 * Threefry-2x32 with 20 rounds: the 64-bit counter (x0, x1) hashed under the key (k0, k1), as
 * Random123's threefry2x32_20 and JAX's `threefry_2x32` compute it. Writes the two words to out. @internal
 */
export function threefry2x32(k0: number, k1: number, x0: number, x1: number, out: Uint32Array): void {
  const ks = [k0 >>> 0, k1 >>> 0, (k0 ^ k1 ^ 0x1bd11bda) >>> 0];
  let a = (x0 + ks[0]) >>> 0;
  let b = (x1 + ks[1]) >>> 0;
  for (let block = 0; block < 5; block++) {
    for (let r = 0; r < 4; r++) {
      const rot = ROTATIONS[(block % 2) * 4 + r];
      a = (a + b) >>> 0;
      b = ((b << rot) | (b >>> (32 - rot))) >>> 0;
      b = (b ^ a) >>> 0;
    }
    // Key injection after every four rounds, with the block number added to the second word.
    a = (a + ks[(block + 1) % 3]) >>> 0;
    b = (b + ks[(block + 2) % 3] + block + 1) >>> 0;
  }
  out[0] = a;
  out[1] = b;
}

/**
 * A key from a seed, a safe integer (JAX's `jax.random.PRNGKey(seed)`: the high and low 32 bits of
 * the seed are the key's words).
 *
 * @example
 * ```ts
 * const key = randomKey(42);
 * ```
 */
export function randomKey(seed: number): RandomKey {
  noExtraArguments('randomKey', arguments, 1, 'randomKey(seed)');
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new ArgumentError(`randomKey: the seed must be a safe integer, got ${shown(seed)}`);
  }
  // Two's complement for negative seeds, as a 64-bit integer's words.
  const high = Math.floor(seed / 2 ** 32);
  return new RandomKey([high >>> 0, (seed - high * 2 ** 32) >>> 0]);
}

function keyArg(key: unknown, opName: string): RandomKey {
  if (!(key instanceof RandomKey)) {
    throw new ArgumentError(`${opName}: expected a key from randomKey(seed) or splitKey(key), got ${shown(key)}`);
  }
  return key;
}

/** The most keys one splitKey call makes: 2²², some 400 MB of key objects. */
const MAX_SPLIT = 2 ** 22;

/**
 * `n` new keys from a key (used as JAX's `jax.random.split`, 2 by default), independent of each other
 * and of draws made with the key itself. Split a key rather than reuse it: the same key gives the same
 * numbers. The keys are not JAX's split keys: JAX hashes counters (0, j), which its own draws with
 * the key also use; ours hash (j, 2³² − 1), which no draw reaches.
 *
 * n is at most 2²² (4 194 304): each key is a JavaScript object of about
 * 100 bytes, so that many is some 400 MB, and a count near the 2³¹ tensor limit would exhaust the
 * heap, a crash no `catch` sees. For more keys, split in two levels (`splitKey(k, 1024)`, then each of
 * those), or draw one tensor with a single key instead of a key per element.
 *
 * @throws {ArgumentError} when key is not a key, or n is not an integer in [1, 2²²].
 * @example
 * ```ts
 * const [initKey, dropoutKey] = splitKey(randomKey(0));
 * ```
 */
export function splitKey(key: RandomKey, n = 2): RandomKey[] {
  noExtraArguments('splitKey', arguments, 2, 'splitKey(key, n)');
  const k = keyArg(key, 'splitKey').words;
  countArg(n, 'n', 'splitKey', 1);
  if (n > MAX_SPLIT) {
    throw new ArgumentError(
      `splitKey: n must be at most 2²² (${MAX_SPLIT}) keys, got ${shown(n)}: each key is an object, and that many would exhaust memory; ` +
        `split in two levels (splitKey(key, 1024), then each of those), or draw one tensor with one key`,
    );
  }
  const out = new Uint32Array(2);
  // Counters (j, 2³² − 1): a counter space that draws (high word 0 or 1) never reach.
  return Array.from({ length: n }, (_, j) => {
    threefry2x32(k[0], k[1], j, 0xffffffff, out);
    return new RandomKey([out[0], out[1]]);
  });
}

/**
 * Options of {@link randomUniform}.
 *
 * @example
 * ```ts
 * randomUniform(randomKey(0), [4], { min: -1, max: 1 });
 * ```
 */
export interface UniformOptions {
  /** The lower end, included (default 0). */
  readonly min?: number;
  /** The upper end, excluded (default 1). */
  readonly max?: number;
}
const UNIFORM_OPTIONS: OptionsSpec<UniformOptions> = { min: option.number(), max: option.number() };

/** 53 random bits of element i under counter high word `lane`, as a number in [0, 1). */
function uniform53(k: readonly [number, number], i: number, lane: number, out: Uint32Array): number {
  threefry2x32(k[0], k[1], i, lane, out);
  return ((out[0] >>> 5) * 67108864 + (out[1] >>> 6)) / 9007199254740992;
}

/** The largest double below x (finite x). */
function below(x: number): number {
  const bits = new BigInt64Array(Float64Array.of(x).buffer);
  bits[0] += x > 0 ? -1n : x < 0 ? 1n : 0n;
  const y = new Float64Array(bits.buffer)[0];
  return x === 0 ? -Number.MIN_VALUE : y;
}

function drawShape(shape: unknown, opName: string): { s: Shape; n: number } {
  const s = checkShape(shape, opName);
  return { s, n: checkedSize(s, opName) };
}

/**
 * Numbers uniform in [min, max) (0 and 1 by default) of the given shape, as JAX's
 * `jax.random.uniform(key, shape, minval, maxval)`: each has 53 random bits.
 *
 * @example
 * ```ts
 * const w = randomUniform(randomKey(0), [3, 2], { min: -0.5, max: 0.5 });
 * ```
 */
export function randomUniform(key: RandomKey, shape: Shape, options: UniformOptions = {}): Tensor {
  noExtraArguments('randomUniform', arguments, 3, 'randomUniform(key, shape, options)');
  const k = keyArg(key, 'randomUniform').words;
  const { min = 0, max = 1 } = checkOptions('randomUniform', options, UNIFORM_OPTIONS);
  if (!(min < max) || !Number.isFinite(max - min)) {
    throw new ArgumentError(`randomUniform: min must be below max, with a finite span, got ${min} and ${max}`);
  }
  const { s, n } = drawShape(shape, 'randomUniform');
  const out = new Uint32Array(2);
  const data = new Float64Array(n);
  const top = below(max);
  for (let i = 0; i < n; i++) {
    const y = min + (max - min) * uniform53(k, i, 0, out);
    // Rounding can reach max itself: the interval stays half-open.
    data[i] = y < max ? y : top;
  }
  return tensor(data, s);
}

/**
 * Standard normal numbers of the given shape, as JAX's `jax.random.normal(key, shape)`: Box–Muller
 * on two 53-bit uniforms per number (the first taken in (0, 1], so the logarithm is finite). Scale
 * and shift for other means and deviations: `randomNormal(key, shape).mul(sigma).add(mu)`.
 *
 * @example
 * ```ts
 * const w = randomNormal(randomKey(0), [784, 256]).mul(Math.sqrt(2 / 784)).value; // He initialisation
 * ```
 */
export function randomNormal(key: RandomKey, shape: Shape): Tensor {
  noExtraArguments('randomNormal', arguments, 2, 'randomNormal(key, shape)', 'the shape is one array: randomNormal(key, [2, 3])');
  const k = keyArg(key, 'randomNormal').words;
  const { s, n } = drawShape(shape, 'randomNormal');
  const out = new Uint32Array(2);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - uniform53(k, i, 0, out); // (0, 1]
    const v = uniform53(k, i, 1, out);
    data[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return tensor(data, s);
}
