// y = ln x;  dy/dx = 1/x;  d²y/dx² = −1/x². Domain x > 0.
import { defineUnary } from '../elementwise/unary.js';

/** Natural logarithm, elementwise. @example `log(x)` or `x.log()` */
export const log = defineUnary({
  name: 'log',
  f: (x) => Math.log(x),
  df: (x) => 1 / x,
  d2f: (x) => -1 / (x * x),
});
