// y = cos x;  dy/dx = −sin x;  d²y/dx² = −y.
import { defineUnary } from '../elementwise/unary.js';
import { sin } from './sin.js';

/** Cosine, elementwise. @example `cos(x)` or `x.cos()` */
export const cos = defineUnary({
  name: 'cos',
  f: (x) => Math.cos(x),
  df: (o, x) => o.neg(o.map(sin, x)),
  d2f: (o, _x, y) => o.neg(y),
});
