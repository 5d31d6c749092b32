// y = tanh x;  dy/dx = 1 − y²;  d²y/dx² = −2y(1 − y²). The second is PRML's h″(a) for tanh units.
import { defineUnary } from '../elementwise/unary.js';

/** Hyperbolic tangent, elementwise. @example `tanh(x)` or `x.tanh()` */
export const tanh = defineUnary({
  name: 'tanh',
  f: (x) => Math.tanh(x),
  df: (_x, y) => 1 - y * y,
  d2f: (_x, y, dy) => -2 * y * dy,
});
