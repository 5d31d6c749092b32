// y = ln(1 + x), accurate for small |x|;  dy/dx = 1/(1+x);  d²y/dx² = −1/(1+x)². Domain x > −1.
import { defineUnary } from '../elementwise/unary.js';

/** ln(1 + x), elementwise. @example `log1p(x)` or `x.log1p()` */
export const log1p = defineUnary({
  name: 'log1p',
  f: (x) => Math.log1p(x),
  df: (o, x) => o.div(1, o.add(1, x)),
  d2f: (o, _x, _y, dy) => o.neg(o.mul(dy, dy)),
});
