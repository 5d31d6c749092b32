// y = x rounded to the nearest integer, halves to even (NumPy, JAX, IEEE roundTiesToEven: 0.5 → 0,
// 1.5 → 2, 2.5 → 2, −0.5 → −0);  dy/dx = 0 (also at the jumps);  d²y/dx² = 0. NaN in, NaN out.
import { defineUnary } from '../elementwise/unary.js';

/** Rounds half to even. Math.round rounds half up; r − x is exact for every double. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Nearest integer, elementwise, halves to even (as NumPy and JAX). Its derivative is 0 everywhere.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Tensor) => round(x).mul(x).sum())([0.5, 1.5, 2.5]); // [0, 2, 2]: the rounded values
 * ```
 */
export const round = defineUnary({
  name: 'round',
  noParameterHint: 'round gives an integer; for d decimals write round(x.mul(10 ** d)).div(10 ** d)',
  f: roundHalfEven,
  df: (o, x) => o.step(x, (v) => (v === v ? 0 : NaN)),
  d2f: () => 0,
  branch: (x) => roundHalfEven(x),
});
