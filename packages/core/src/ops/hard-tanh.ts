// y = min(max(x, −1), 1);  dy/dx = 1 on (−1, 1], 0 elsewhere;  d²y/dx² = 0.
// At the kinks the derivative is the left one, as relu's and relu6's: 0 at x = −1 and 1 at x = 1.
// (JAX's hard_tanh takes 1 at both, PyTorch's Hardtanh 0 at both, clip(x, −1, 1) ½ at both.)
import { defineUnary } from '../elementwise/unary.js';

/**
 * x limited to [−1, 1], elementwise (JAX's `jax.nn.hard_tanh`); at the kinks the left derivative:
 * 0 at x = −1, 1 at x = 1.
 *
 * @function
 * @example
 * ```ts
 * hardTanh(tensor([-2, 0.5, 3])).value;       // [-1, 0.5, 1]
 * grad((x: Tensor) => hardTanh(x).sum())([-1, 1, 2]); // [0, 1, 0]
 * ```
 */
export const hardTanh = defineUnary({
  name: 'hardTanh',
  f: (x) => (x > 1 ? 1 : x > -1 || x !== x ? x : -1),
  df: (o, x) => o.step(x, (v) => (v > -1 && v <= 1 ? 1 : v !== v ? NaN : 0)),
  d2f: () => 0,
  branch: (x) => (x > 1 ? 2 : x > -1 ? 1 : x <= -1 ? 0 : NaN),
});
