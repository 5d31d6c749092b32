// y = sinh x;  dy/dx = cosh x;  d²y/dx² = sinh x = y.
import { defineUnary } from '../elementwise/unary.js';
import { cosh } from './cosh.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * Hyperbolic sine, elementwise.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => sinh(x))(0); // 1 = cosh 0
 * ```
 */
export const sinh = defineUnary({
  name: 'sinh',
  f: selfContained((x) => Math.sinh(x)),
  df: (o, x) => o.map(cosh, x),
  d2f: (_o, _x, y) => y,
});
