// y = ln(1 + x), accurate for small |x|;  dy/dx = 1/(1+x);  d²y/dx² = −1/(1+x)². Domain x > −1.
import { defineUnary } from '../elementwise/unary.js';

/** ln(1 + x), elementwise. @example `log1p(x)` or `x.log1p()` */
export const log1p = defineUnary({
  name: 'log1p',
  f: (x) => Math.log1p(x),
  df: (x) => 1 / (1 + x),
  d2f: (_x, _y, dy) => -dy * dy,
});
