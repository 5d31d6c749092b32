// y = cosh x;  dy/dx = sinh x;  d²y/dx² = cosh x = y.
import { defineUnary } from '../elementwise/unary.js';
import { sinh } from './sinh.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * Hyperbolic cosine, elementwise.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => cosh(x))(0); // 0 = sinh 0
 * ```
 */
export const cosh = defineUnary({
  name: 'cosh',
  f: selfContained((x) => Math.cosh(x)),
  df: (o, x) => o.map(sinh, x),
  d2f: (_o, _x, y) => y,
});
