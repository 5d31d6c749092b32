// y = 1 where x is +∞ or −∞, else 0 (NumPy's and JAX's `isinf`);  dy/dx = 0 everywhere.
import { defineUnary } from '../elementwise/unary.js';

/**
 * 1 where x is +∞ or −∞ and 0 elsewhere, elementwise (NumPy's and JAX's `isinf`, as 0/1
 * numbers). Its derivative is 0: use it as a mask for {@link where}; `where(isInf(x), 0, x)` replaces ±∞ by 0.
 *
 * @function
 * @example
 * ```ts
 * isInf(tensor([1, NaN, Infinity, -2])).value; // [0, 0, 1, 0]
 * ```
 */
export const isInf = defineUnary({
  name: 'isInf',
  f: (x) => (x === Infinity || x === -Infinity ? 1 : 0),
  df: () => 0,
  d2f: () => 0,
  // Which side x is on: another in a compiled replay is a branch change (as for the comparisons).
  branch: (x) => (x === Infinity || x === -Infinity ? 1 : 0),
});
