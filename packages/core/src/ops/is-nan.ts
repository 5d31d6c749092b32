// y = 1 where x is NaN, else 0 (NumPy's and JAX's `isnan`);  dy/dx = 0 everywhere.
import { defineUnary } from '../elementwise/unary.js';

/**
 * 1 where x is NaN and 0 elsewhere, elementwise (NumPy's and JAX's `isnan`, as 0/1
 * numbers). Its derivative is 0: use it as a mask for {@link where}; `where(isNan(x), 0, x)` is NumPy's
 * `nan_to_num(x, nan=0)`, with the derivative of x where it is kept.
 *
 * @function
 * @example
 * ```ts
 * isNan(tensor([1, NaN, Infinity, -2])).value; // [0, 1, 0, 0]
 * ```
 */
export const isNan = defineUnary({
  name: 'isNan',
  f: (x) => (x !== x ? 1 : 0),
  df: () => 0,
  d2f: () => 0,
  // Which side x is on: another in a compiled replay is a branch change (as for the comparisons).
  branch: (x) => (x !== x ? 1 : 0),
});
