// y = x rounded toward zero (the integer part);  dy/dx = 0 (also at the jumps);  d²y/dx² = 0.
// NaN in, NaN out; ±0 and ±∞ are kept.
import { defineUnary } from '../elementwise/unary.js';

/**
 * The integer part of x, rounded toward zero, elementwise (NumPy's and JAX's `trunc`). Its
 * derivative is 0 everywhere.
 *
 * @function
 * @example
 * ```ts
 * trunc(tensor([1.7, -1.7])).value; // [1, -1]
 * ```
 */
export const trunc = defineUnary({
  name: 'trunc',
  f: (x) => Math.trunc(x),
  df: (o, x) => o.step(x, (v) => (v === v ? 0 : NaN)),
  d2f: () => 0,
  branch: (x) => Math.trunc(x),
});
