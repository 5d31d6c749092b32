// y = −x;  dy/dx = −1;  d²y/dx² = 0
import { defineUnary } from '../elementwise/unary.js';

/** Negation, elementwise. @example `neg(x)` or `x.neg()` */
export const neg = defineUnary({
  name: 'neg',
  f: (x) => -x,
  df: () => -1,
  d2f: () => 0,
});
