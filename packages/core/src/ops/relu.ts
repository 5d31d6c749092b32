// y = max(x, 0);  dy/dx = 1 for x > 0, else 0 (0 at the kink, as in JAX and PyTorch);  d²y/dx² = 0.
import { defineUnary } from '../elementwise/unary.js';

/** Rectified linear unit, elementwise. @example `relu(x)` or `x.relu()` */
export const relu = defineUnary({
  name: 'relu',
  f: (x) => (x > 0 ? x : 0),
  df: (x) => (x > 0 ? 1 : 0),
  d2f: () => 0,
});
