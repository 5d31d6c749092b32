// y = cos x;  dy/dx = −sin x;  d²y/dx² = −y.
import { defineUnary } from '../elementwise/unary.js';
import { sin } from './sin.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * Cosine, elementwise.
 * @function
 * @example
 * ```ts
 * cos(tensor([0, Math.PI])).value;     // [1, -1]
 * hvp((x: Scalar) => cos(x), 0, 1);    // -1: cos″(0)
 * ```
 */
export const cos = defineUnary({
  name: 'cos',
  f: selfContained((x) => Math.cos(x)),
  df: (o, x) => o.neg(o.map(sin, x)),
  d2f: (o, _x, y) => o.neg(y),
});
