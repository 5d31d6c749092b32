// The standard normal density φ and the functions of logNdtr's derivatives, in float64.
import { productError } from './exact-product.js';

const INV_SQRT_2PI = 0.3989422804014327;
/** ln √(2π). */
const LN_SQRT_2PI = 0.9189385332046728;

/**
 * φ(x) = e^(−x²/2)/√(2π), with x² carried to double-double: e^(−x²/2) turns an absolute error δ of
 * x²/2 into a relative one, and fl(x²)/2 is off by up to x²·2⁻⁵⁴ (≈ 4e−14 at x = 38).
 */
export function normalPdfNumber(x: number): number {
  const s = x * x;
  if (!(s < 1600)) return s === s ? 0 : s; // φ underflows from |x| ≈ 38.6 on; NaN stays NaN
  const e = productError(x, x, s);
  return INV_SQRT_2PI * Math.exp(-0.5 * s) * (1 - 0.5 * e);
}

/**
 * For z ≥ 2, T = z + c with c = 1/(z + 2/(z + 3/(z + …))): Laplace's continued fraction of the Mills
 * ratio, Φ(−z)/φ(z) = 1/T. So at x = −z, φ(x)/Φ(x) = T and x + φ(x)/Φ(x) = c, the difference that
 * cancels when formed from the ratio (x + r loses half its digits at x = −10). Evaluated backwards
 * from a depth that reaches float64 accuracy from z = 2 on (160 terms there, 16 at z = 20).
 */
export function millsFraction(z: number): { t: number; c: number } {
  const depth = Math.max(8, Math.ceil(320 / z));
  let f = z;
  for (let k = depth; k >= 2; k--) f = z + k / f;
  const c = 1 / f;
  return { t: z + c, c };
}

export { LN_SQRT_2PI };
