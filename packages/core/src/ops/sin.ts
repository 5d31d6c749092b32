// y = sin x;  dy/dx = cos x;  d²y/dx² = −y.
import { defineUnary } from '../elementwise/unary.js';

/** Sine, elementwise. @example `sin(x)` or `x.sin()` */
export const sin = defineUnary({
  name: 'sin',
  f: (x) => Math.sin(x),
  df: (x) => Math.cos(x),
  d2f: (_x, y) => -y,
});
