// y = eˣ − 1, accurate for small |x|;  dy/dx = d²y/dx² = eˣ. The derivative is eˣ itself, not y + 1,
// which would lose eˣ entirely for x < −37 (y rounds to −1).
import { defineUnary } from '../elementwise/unary.js';
import { exp } from './exp.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * eˣ − 1, elementwise, accurate where x is near 0 (where `exp(x) − 1` loses digits).
 *
 * @function
 * @example
 * ```ts
 * valueAndGrad((x: Scalar) => expm1(x))(1e-10);
 * // value = 1.00000000005e-10 (exp(x) − 1 gives 1.000000082740371e-10), grad = 1.0000000001
 * ```
 */
export const expm1 = defineUnary({
  name: 'expm1',
  f: selfContained((x) => Math.expm1(x)),
  df: (o, x) => o.map(exp, x),
  d2f: (_o, _x, _y, dy) => dy,
});
