// y = cos x;  dy/dx = −sin x;  d²y/dx² = −y.
import { defineUnary } from '../elementwise/unary.js';

/** Cosine, elementwise. @example `cos(x)` or `x.cos()` */
export const cos = defineUnary({
  name: 'cos',
  f: (x) => Math.cos(x),
  df: (x) => -Math.sin(x),
  d2f: (_x, y) => -y,
});
