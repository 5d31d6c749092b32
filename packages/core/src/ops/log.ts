// y = ln x;  dy/dx = 1/x;  d²y/dx² = −1/x². Domain x > 0.
import { defineUnary } from '../elementwise/unary.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * Natural logarithm, elementwise; NaN for x < 0, −∞ at 0.
 * @function
 * @example
 * ```ts
 * log(tensor([1, Math.E])).value;      // [0, 1]
 * grad((x: Scalar) => log(x))(4);      // 0.25
 * ```
 */
export const log = defineUnary({
  name: 'log',
  noParameterHint: 'log is the natural logarithm; for base b write log(x).div(Math.log(b)), or use log2 or log10',
  f: selfContained((x) => Math.log(x)),
  df: (o, x) => o.div(1, x),
  d2f: (o, _x, _y, dy) => o.neg(o.mul(dy, dy)),
});
