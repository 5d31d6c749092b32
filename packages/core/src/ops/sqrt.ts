// y = √x;  dy/dx = 1/(2y);  d²y/dx² = −1/(4y³) = −(dy/dx)/(2x). Domain x ≥ 0; infinite derivatives at 0.
import { defineUnary } from '../elementwise/unary.js';

/**
 * Square root, elementwise; NaN for x < 0.
 * @function
 * @example
 * ```ts
 * sqrt(tensor([4, 9])).value;          // [2, 3]
 * grad((x: Scalar) => sqrt(x))(4);     // 0.25 = 1/(2√x)
 * ```
 */
export const sqrt = defineUnary({
  name: 'sqrt',
  f: (x) => Math.sqrt(x),
  df: (o, _x, y) => o.div(0.5, y),
  d2f: (o, _x, y, dy) => o.neg(o.div(o.mul(0.5, dy), o.mul(y, y))),
});
