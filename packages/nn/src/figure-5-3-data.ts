/**
 * The four data sets of PRML Figure 5.3: N points with x uniform on [−1, 1] and t = f(x) (no noise) for
 * f(x) = x², sin(πx), |x| and the Heaviside step H(x). Seeded, so the figure is reproducible.
 *
 * @module
 */
import { mulberry32 } from './reference/index.js';

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
 * @example
 * ```ts
 * const sets = figure53Data(50, 7); // four CurveDatasets of 50 points each
 * ```
 */
export function figure53Data(N = 50, seed = 1): CurveDataset[] {
  return FIGURE_5_3_FUNCTIONS.map(({ name, f }, index) => {
    const rand = mulberry32(seed + index);
    const X = Float64Array.from({ length: N }, () => 2 * rand() - 1).sort();
    const T = X.map(f);
    return { name, f, X, T };
  });
}
