// y = arctan x;  dy/dx = 1/(1 + x²);  d²y/dx² = −2x/(1 + x²)² = −2(x·dy/dx)·dy/dx, ordered so that
// x·dy/dx (≈ 1/x) is formed first and nothing underflows before the true value does.
import { defineUnary } from '../elementwise/unary.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * Inverse tangent, elementwise.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => atan(x))(1); // 0.5
 * ```
 */
export const atan = defineUnary({
  name: 'atan',
  f: selfContained((x) => Math.atan(x)),
  df: (o, x) => o.div(1, o.add(1, o.mul(x, x))),
  d2f: (o, x, _y, dy) => o.mul(-2, o.mul(o.mul(x, dy), dy)),
});
