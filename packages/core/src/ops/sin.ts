// y = sin x;  dy/dx = cos x;  d²y/dx² = −y.
import { defineUnary } from '../elementwise/unary.js';
import { cos } from './cos.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * Sine, elementwise.
 * @function
 * @example
 * ```ts
 * sin(scalar(Math.PI / 2)).value;      // 1
 * grad((x: Scalar) => sin(x))(0);      // 1
 * ```
 */
export const sin = defineUnary({
  name: 'sin',
  f: selfContained((x) => Math.sin(x)),
  df: (o, x) => o.map(cos, x),
  d2f: (o, _x, y) => o.neg(y),
});
