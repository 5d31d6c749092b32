// y = min(max(x, 0), 6);  dy/dx = 1 on (0, 6], 0 elsewhere;  d²y/dx² = 0.
// At the kinks the derivative is the left one, as relu's (0 at x = 0) and leakyRelu's: 0 at x = 0 and
// 1 at x = 6. (JAX's relu6 takes 0 at both; clip(x, 0, 6) would take ½ at both.) NaN in, NaN out.
import { defineUnary } from '../elementwise/unary.js';

/**
 * relu capped at 6, min(max(x, 0), 6), elementwise (JAX's `jax.nn.relu6`); at the kinks the left
 * derivative: 0 at x = 0, 1 at x = 6.
 *
 * @function
 * @example
 * ```ts
 * relu6(tensor([-1, 3, 8])).value;        // [0, 3, 6]
 * grad((x: Tensor) => relu6(x).sum())([0, 6, 7]); // [0, 1, 0]
 * ```
 */
export const relu6 = defineUnary({
  name: 'relu6',
  f: (x) => (x > 6 ? 6 : x > 0 || x !== x ? x : 0),
  df: (o, x) => o.step(x, (v) => (v > 0 && v <= 6 ? 1 : v !== v ? NaN : 0)),
  d2f: () => 0,
  branch: (x) => (x > 6 ? 2 : x > 0 ? 1 : x <= 0 ? 0 : NaN),
});
