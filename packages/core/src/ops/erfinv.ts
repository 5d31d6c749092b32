// y = erf⁻¹(x) on [−1, 1];  dy/dx = (√π/2)·e^(y²);  d²y/dx² = 2y·(dy/dx)².
// erfinv(±1) = ±∞ (and the derivatives +∞ there), NaN outside [−1, 1].
// Value: Giles' single-precision approximation (M. Giles, "Approximating the erfinv function", GPU
// Computing Gems, 2011: ~4e−7 relative) as a start, then steps on our erf/erfc until the correction is
// below an ulp: Halley's on erf(y) = x for |x| ≤ ½, Newton's on ln erfc(y) = ln(1 − x) above, where
// 1 − x is exact (Sterbenz) and erfc keeps its relative accuracy as y grows (erf(y) − x would be all
// rounding near x = 1). The residual's rounding (erf's 3 ulps) sets the accuracy.
// The derivative (√π/2)e^(y²) is its own op, erfinvSlope: e^(y²) turns an error δ of y into a relative
// one of 2yδ, so fl(y)'s rounding alone would cost up to 70 ulps near x = 1. For x > ½ it takes y to
// double-double (the correction one more Newton step gives, below an ulp of y) and y² with its rounding
// error (Dekker), so only the residual's rounding (erfc's) and exp's are left.
import { defineUnary } from '../elementwise/unary.js';
import { erfNumber, erfcNumber } from './special/error-function.js';
import { productError } from './special/exact-product.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const SQRT_PI_OVER_2 = 0.886226925452758;

/** Giles' single-precision erfinv, ~4e−7 relative on (−1, 1); only a starting point here. */
function gilesStart(x: number): number {
  let w = -Math.log((1 - x) * (1 + x));
  let p: number;
  if (w < 5) {
    w -= 2.5;
    p = 2.81022636e-8;
    p = 3.43273939e-7 + p * w;
    p = -3.5233877e-6 + p * w;
    p = -4.39150654e-6 + p * w;
    p = 0.00021858087 + p * w;
    p = -0.00125372503 + p * w;
    p = -0.00417768164 + p * w;
    p = 0.246640727 + p * w;
    p = 1.50140941 + p * w;
  } else {
    w = Math.sqrt(w) - 3;
    p = -0.000200214257;
    p = 0.000100950558 + p * w;
    p = 0.00134934322 + p * w;
    p = -0.00367342844 + p * w;
    p = 0.00573950773 + p * w;
    p = -0.0076224613 + p * w;
    p = 0.00943887047 + p * w;
    p = 1.00167406 + p * w;
    p = 2.83297682 + p * w;
  }
  return p * x;
}

/** Newton's step on ln erfc(y) = ln(1 − x) from y, for x > ½ (1 − x is exact there). */
function newtonStep(x: number, y: number): number {
  const q = 1 - x;
  const e = erfcNumber(y);
  return (Math.log1p((e - q) / q) * e) / (TWO_OVER_SQRT_PI * Math.exp(-y * y));
}

/** erf⁻¹(x) for x in [0, 1), refined by Newton's and Halley's methods. */
function erfinvPositive(x: number): number {
  let y = gilesStart(x);
  if (x > 0.5) {
    // Newton's method on ln erfc(y) = ln(1 − x): erfc varies like e^(−y²), so on erfc itself a start
    // that is 0.7 too small (Giles' form beyond its range, 1 − x < 6e−8) gains only ~1/(2y) a step;
    // ln erfc is nearly quadratic, and the step converges from there in three or four.
    for (let step = 0; step < 10; step++) {
      const delta = newtonStep(x, y);
      y += delta;
      if (!(Math.abs(delta) > 2 ** -60 * y)) break;
    }
    return y;
  }
  // Halley's method on erf(y) = x (f″/f′ = −2y, so the step is r/(1 + y·r)): Giles' start is close.
  for (let step = 0; step < 6; step++) {
    const r = (erfNumber(y) - x) / (TWO_OVER_SQRT_PI * Math.exp(-y * y));
    const delta = r / (1 + y * r);
    y -= delta;
    if (!(Math.abs(delta) > 2 ** -60 * y)) break;
  }
  return y;
}

/** erf⁻¹(x): odd, ±∞ at ±1, NaN outside [−1, 1]. */
export function erfinvNumber(x: number): number {
  if (!(Math.abs(x) <= 1)) return NaN;
  if (Math.abs(x) === 1) return x * Infinity;
  if (x === 0) return x;
  return x < 0 ? -erfinvPositive(-x) : erfinvPositive(x);
}

/**
 * The inverse error function erf⁻¹(x), elementwise, on [−1, 1] (±∞ at ±1, NaN outside), to a few
 * ulps: JAX's `jax.scipy.special.erfinv`.
 *
 * @function
 * @example
 * ```ts
 * erfinv(tensor([0, 0.5, 1])).value;      // [0, 0.4769, Infinity]
 * grad((x: Scalar) => erfinv(x))(0);      // 0.8862 = √π/2
 * ```
 */
export const erfinv = defineUnary({
  name: 'erfinv',
  f: erfinvNumber,
  df: (o, x) => o.map(erfinvSlope, x),
  d2f: (o, _x, y, dy) => o.mul(o.mul(2, y), o.mul(dy, dy)),
});

/** (√π/2)·e^(y²), y = erf⁻¹(x), with y + δ and y² + its rounding error in the exponent for x > ½. */
function slopeNumber(x: number): number {
  const a = Math.abs(x);
  if (!(a < 1)) return a === 1 ? Infinity : NaN;
  const y = erfinvPositive(a);
  const s = y * y;
  if (a <= 0.5) return SQRT_PI_OVER_2 * Math.exp(s);
  const low = productError(y, y, s) + 2 * y * newtonStep(a, y); // y² − s, and 2yδ for y + δ
  return SQRT_PI_OVER_2 * Math.exp(s) * (1 + low);
}

/** erfinv′(x) = (√π/2)e^(y²); its derivative is 2y·s², and that one's 2s³ + 4y·s·s′. */
const erfinvSlope = defineUnary({
  name: 'erfinvSlope',
  f: slopeNumber,
  df: (o, x, s) => o.mul(o.mul(2, o.map(erfinv, x)), o.mul(s, s)),
  d2f: (o, x, s, ds) => o.add(o.mul(o.mul(2, s), o.mul(s, s)), o.mul(o.mul(4, o.map(erfinv, x)), o.mul(s, ds))),
});
