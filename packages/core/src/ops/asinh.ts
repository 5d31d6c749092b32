// y = arsinh x;  dy/dx = 1/√(1 + x²);  d²y/dx² = −x/(1 + x²)^(3/2) = −(x·dy/dx)·(dy/dx)².
// √(1 + x²) is hypot(1, x), which does not overflow for |x| > 1e154 as 1 + x² would.
import { defineUnary } from '../elementwise/unary.js';
import { hypot } from './hypot.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * Inverse hyperbolic sine, elementwise.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => asinh(x))(0.75); // 0.8 = 1/√(1 + 0.5625)
 * ```
 */
export const asinh = defineUnary({
  name: 'asinh',
  f: selfContained((x) => Math.asinh(x)),
  df: (o, x) => o.div(1, o.map2(hypot, 1, x)),
  d2f: (o, x, _y, dy) => o.neg(o.mul(o.mul(x, dy), o.mul(dy, dy))),
});
