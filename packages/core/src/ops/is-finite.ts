// y = 1 where x is finite (not NaN or ±∞), else 0 (NumPy's and JAX's `isfinite`);  dy/dx = 0 everywhere.
import { defineUnary } from '../elementwise/unary.js';

/**
 * 1 where x is finite (not NaN or ±∞) and 0 elsewhere, elementwise (NumPy's and JAX's `isfinite`, as 0/1
 * numbers). Its derivative is 0: use it as a mask for {@link where}; `where(isFinite(x), x, 0)` replaces NaN and
 * ±∞ by 0, with the derivative of x where it is kept.
 *
 * @function
 * @example
 * ```ts
 * isFinite(tensor([1, NaN, Infinity, -2])).value; // [1, 0, 0, 1]
 * ```
 */
export const isFinite = defineUnary({
  name: 'isFinite',
  f: (x) => (Number.isFinite(x) ? 1 : 0),
  df: () => 0,
  d2f: () => 0,
  // Which side x is on: another in a compiled replay is a branch change (as for the comparisons).
  branch: (x) => (Number.isFinite(x) ? 1 : 0),
});
