// y = √x;  dy/dx = 1/(2y);  d²y/dx² = −1/(4y³). Domain x ≥ 0; the derivatives are infinite at 0.
import { defineUnary } from '../elementwise/unary.js';

/** Square root, elementwise. @example `sqrt(x)` or `x.sqrt()` */
export const sqrt = defineUnary({
  name: 'sqrt',
  f: (x) => Math.sqrt(x),
  df: (_x, y) => 0.5 / y,
  d2f: (_x, y) => -0.25 / (y * y * y),
});
