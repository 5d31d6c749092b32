// y = eˣ;  dy/dx = y;  d²y/dx² = y (the output is reused: no second exp).
import { defineUnary } from '../elementwise/unary.js';

/** eˣ, elementwise. @example `exp(x)` or `x.exp()` */
export const exp = defineUnary({
  name: 'exp',
  f: (x) => Math.exp(x),
  df: (_o, _x, y) => y,
  d2f: (_o, _x, y) => y,
});
