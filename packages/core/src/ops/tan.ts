// y = tan x;  dy/dx = 1 + y²;  d²y/dx² = 2y(1 + y²). Poles at π/2 + kπ (where the float argument
// comes close, y is merely large: no double equals π/2).
import { defineUnary } from '../elementwise/unary.js';
import { selfContained } from '../elementwise/self-contained.js';

/**
 * Tangent, elementwise.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => tan(x))(Math.PI / 4); // ≈ 2 = 1 + tan²(π/4)
 * ```
 */
export const tan = defineUnary({
  name: 'tan',
  f: selfContained((x) => Math.tan(x)),
  df: (o, _x, y) => o.add(1, o.mul(y, y)),
  d2f: (o, _x, y, dy) => o.mul(2, o.mul(y, dy)),
});
