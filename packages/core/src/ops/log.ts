// y = ln x;  dy/dx = 1/x;  d²y/dx² = −1/x². Domain x > 0.
import { defineUnary } from '../elementwise/unary.js';

/** Natural logarithm, elementwise. @example `log(x)` or `x.log()` */
export const log = defineUnary({
  name: 'log',
  f: (x) => Math.log(x),
  df: (o, x) => o.div(1, x),
  d2f: (o, _x, _y, dy) => o.neg(o.mul(dy, dy)),
});
