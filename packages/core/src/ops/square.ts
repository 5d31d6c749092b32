// y = x²;  dy/dx = 2x;  d²y/dx² = 2
import { defineUnary } from '../elementwise/unary.js';

/** x², elementwise. @example `square(x)` or `x.square()` */
export const square = defineUnary({
  name: 'square',
  f: (x) => x * x,
  df: (x) => 2 * x,
  d2f: () => 2,
});
