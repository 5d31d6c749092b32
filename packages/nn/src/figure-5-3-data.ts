/**
 * The four data sets of PRML Figure 5.3: N points with x uniform on [−1, 1] and t = f(x) (no noise) for
 * f(x) = x², sin(πx), |x| and the Heaviside step H(x). Seeded, so the figure is reproducible.
 *
 * @module
 */
import { OptionError, describeValue, noExtraArguments } from '@dualtape/core';
import { checkSeed, mulberry32Unchecked } from './reference/spec.js';

/** The most points {@link figure53Data} makes per data set: a figure needs tens, and memory is finite. */
const MAX_POINTS = 10_000_000;

/**
 * One regression data set: inputs X (N×1), targets T (N×1), and the generating function for plotting.
 *
 * @example
 * ```ts
 * const { name, X, T, f } = figure53Data()[0]; // name 'x²'
 * ```
 */
export interface CurveDataset {
  /** Short name for tables and panel titles, e.g. `'sin(πx)'`. */
  name: string;
  /** The function the targets were sampled from. */
  f: (x: number) => number;
  X: Float64Array;
  T: Float64Array;
}

/**
 * The generating functions of Figure 5.3, in the book's panel order (a)–(d). H(0) = 1 is a convention:
 * a sampled point lands exactly on 0 with probability zero.
 *
 * @example
 * ```ts
 * FIGURE_5_3_FUNCTIONS.map((d) => d.f(0.5)); // [0.25, 1, 0.5, 1]
 * ```
 */
export const FIGURE_5_3_FUNCTIONS: readonly { name: string; f: (x: number) => number }[] = Object.freeze([
  { name: 'x²', f: (x: number) => x * x },
  { name: 'sin(πx)', f: (x: number) => Math.sin(Math.PI * x) },
  { name: '|x|', f: (x: number) => Math.abs(x) },
  { name: 'H(x)', f: (x: number) => (x >= 0 ? 1 : 0) },
]);

/**
 * Samples the four data sets: each draws its own N inputs uniform on [−1, 1) from `seed` (plus its index,
 * so the sets differ), sorted so that the points can be drawn left to right.
 *
 * @throws {OptionError} when N is not an integer in [1, 10 000 000] or `seed` is not an integer.
 * @example
 * ```ts
 * const sets = figure53Data(50, 7); // four CurveDatasets of 50 points each
 * ```
 */
export function figure53Data(N = 50, seed = 1): CurveDataset[] {
  noExtraArguments('figure53Data', arguments, 2, 'figure53Data(N, seed)');
  if (!Number.isInteger(N) || N < 1 || N > MAX_POINTS) {
    throw new OptionError(`figure53Data: N (points per data set) must be an integer in [1, ${MAX_POINTS}], got ${describeValue(N)}`);
  }
  checkSeed('figure53Data', seed);
  return FIGURE_5_3_FUNCTIONS.map(({ name, f }, index) => {
    // Reduced modulo 2³² first (exact, and the same seed mod 2³² as before): seed + index would round
    // for |seed| ≥ 2⁵³ and give two sets the same points.
    const rand = mulberry32Unchecked((seed % 4294967296) + index);
    const X = Float64Array.from({ length: N }, () => 2 * rand() - 1).sort();
    const T = X.map(f);
    return { name, f, X, T };
  });
}
