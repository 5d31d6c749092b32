// y = ln Φ(x), Φ the standard normal distribution function; with r(x) = φ(x)/Φ(x):
//   dy/dx = r;   d²y/dx² = −r·(x + r);   r′ = −r·c and c′ = 1 − r·c, where c = x + r.
// Value: for x > 0, log1p(−Φ(−x)) (Φ(−x) is accurate where ln Φ(x) is tiny: ln Φ(10) = −7.6e−24);
// for −2 ≤ x ≤ 0, ln Φ(x); below, ln Φ(x) = −x²/2 − ln √(2π) − ln T, with T = r(x) from the
// continued fraction of the Mills ratio (special/normal-distribution.ts): three terms of one sign,
// so nothing cancels and nothing underflows at any x (ln Φ(−1e10) = −5e19). This replaces the
// asymptotic series JAX and SciPy use below x = −20 and agrees with it there to rounding.
// The second derivative needs x + r, which cancels as x → −∞ (r ≈ −x − 1/x): below x = −2 it is the
// fraction's tail c itself, formed without the subtraction. r and c are ops of their own, so the
// derivatives of every order are products and sums of r, c and x (third and higher orders, r·(c(c + r)
// − 1) and beyond, cancel in the far left tail: the relative error grows like x⁴·ε there).
import type { Algebra, Value } from '../algebra/algebra.js';
import { defineUnary } from '../elementwise/unary.js';
import { normalCdfNumber } from './gelu.js';
import { LN_SQRT_2PI, millsFraction, normalPdfNumber } from './special/normal-distribution.js';

/** r(x) = φ(x)/Φ(x). */
function ratioNumber(x: number): number {
  if (x < -2) return millsFraction(-x).t;
  if (x !== x) return x;
  return normalPdfNumber(x) / normalCdfNumber(x);
}

/** c(x) = x + φ(x)/Φ(x), without cancellation below x = −2. */
function gapNumber(x: number): number {
  if (x < -2) return millsFraction(-x).c;
  return x + ratioNumber(x);
}

/** The second derivative of r and of c alike: −(r′c + r·c′) = r·(c·(c + r) − 1). */
function curvature(o: Algebra, x: Value): Value {
  const r = o.map(ndtrRatio, x), c = o.map(ndtrGap, x);
  return o.mul(r, o.sub(o.mul(c, o.add(c, r)), 1));
}

/** r(x) = φ(x)/Φ(x), logNdtr's derivative. */
const ndtrRatio = defineUnary({
  name: 'ndtrRatio',
  f: ratioNumber,
  df: (o, x, y) => o.neg(o.mul(y, o.map(ndtrGap, x))),
  d2f: (o, x) => curvature(o, x),
});

/** c(x) = x + φ(x)/Φ(x). */
const ndtrGap = defineUnary({
  name: 'ndtrGap',
  f: gapNumber,
  df: (o, x, y) => o.sub(1, o.mul(o.map(ndtrRatio, x), y)),
  d2f: (o, x) => curvature(o, x),
});

/** ln Φ(x) in float64. */
export function logNdtrNumber(x: number): number {
  if (x > 0) return Math.log1p(-normalCdfNumber(-x));
  if (x >= -2) return Math.log(normalCdfNumber(x));
  if (x !== x) return x;
  if (x === -Infinity) return x;
  const z = -x;
  return -0.5 * z * z - LN_SQRT_2PI - Math.log(millsFraction(z).t);
}

/**
 * The logarithm of the standard normal distribution function, ln Φ(x), elementwise, stable for
 * x ≪ 0 and x ≫ 0 (JAX's `jax.scipy.special.log_ndtr`).
 *
 * @function
 * @example
 * ```ts
 * logNdtr(tensor([0, -40])).value;      // [-0.6931, -804.6084]
 * grad((x: Scalar) => logNdtr(x))(-40); // 40.0250, φ/Φ ≈ −x − 1/x
 * ```
 */
export const logNdtr = defineUnary({
  name: 'logNdtr',
  f: logNdtrNumber,
  df: (o, x) => o.map(ndtrRatio, x),
  d2f: (o, x, _y, dy) => o.neg(o.mul(dy, o.map(ndtrGap, x))),
});
