// y = arcosh x;  dy/dx = 1/√(x² − 1);  d²y/dx² = −x/(x² − 1)^(3/2) = −(x·dy/dx)·(dy/dx)². Domain
// x ≥ 1; infinite derivatives at 1. √(x² − 1) is formed as √(x − 1)·√(x + 1): exact near 1, no
// overflow for large x.
import { defineUnary } from '../elementwise/unary.js';
import { sqrt } from './sqrt.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * Inverse hyperbolic cosine, elementwise; NaN below 1.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => acosh(x))(1.25); // 1.3333… = 1/√(1.5625 − 1)
 * ```
 */
export const acosh = defineUnary({
  name: 'acosh',
  f: selfContained((x) => Math.acosh(x)),
  df: (o, x) => o.div(1, o.mul(o.map(sqrt, o.sub(x, 1)), o.map(sqrt, o.add(x, 1)))),
  d2f: (o, x, _y, dy) => o.neg(o.mul(o.mul(x, dy), o.mul(dy, dy))),
});
