// y = max(x, 0);  dy/dx = 1 for x > 0, else 0 (0 at the kink, as in JAX and PyTorch);  d²y/dx² = 0.
// NaN in, NaN out, for y and for dy/dx: a NaN must never turn into a clean 0.
import { defineUnary } from '../elementwise/unary.js';

/**
 * Rectified linear unit max(x, 0), elementwise; its derivative at 0 is 0.
 * @function
 * @example
 * ```ts
 * relu(tensor([-1, 2])).value;         // [0, 2]
 * ```
 */
export const relu = defineUnary({
  name: 'relu',
  f: (x) => (x > 0 || x !== x ? x : 0),
  df: (o, x) => o.step(x, (v) => (v > 0 ? 1 : v !== v ? NaN : 0)),
  d2f: () => 0,
  // Which side of the kink at 0: a replay that crosses it is a branch change (compile).
  branch: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
});
