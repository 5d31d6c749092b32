// y = Φ(x) = erfc(−x/√2)/2, the standard normal distribution function;
// dy/dx = φ(x) = e^(−x²/2)/√(2π);  d²y/dx² = −x·φ(x).
// erfc, not 1 + erf: in the left tail Φ keeps its relative accuracy down to the subnormals
// (Φ(−38) ≈ 3e−316), where 1 + erf(x/√2) would be 0 from x ≈ −8.3 on. −x/√2 is carried to
// double-double (gelu's normalCdfNumber), as erfc magnifies a relative error of its argument by 2t².
// φ is its own op so that its value keeps full accuracy in the tails (x² in double-double), and its
// derivatives −xφ and (x² − 1)φ are products that vanish, not NaN, where φ underflows.
import { defineUnary } from '../elementwise/unary.js';
import { normalCdfNumber } from './gelu.js';
import { normalPdfNumber } from './special/normal-distribution.js';

/** φ(x), the standard normal density: ndtr's derivative. */
export const normalPdf = defineUnary({
  name: 'normalPdf',
  f: normalPdfNumber,
  df: (o, x, y) => o.neg(o.mul(x, y)),
  d2f: (o, x, y) => o.mul(o.sub(o.mul(x, x), 1), y),
});

/**
 * The standard normal distribution function Φ(x) = (1 + erf(x/√2))/2, elementwise, accurate in both
 * tails (JAX's `jax.scipy.special.ndtr`).
 *
 * @function
 * @example
 * ```ts
 * ndtr(tensor([0, -10])).value;     // [0.5, 7.6199e-24]
 * grad((x: Scalar) => ndtr(x))(0);  // 0.3989 = 1/√(2π)
 * ```
 */
export const ndtr = defineUnary({
  name: 'ndtr',
  f: normalCdfNumber,
  df: (o, x) => o.map(normalPdf, x),
  d2f: (o, x, _y, dy) => o.neg(o.mul(x, dy)),
});
