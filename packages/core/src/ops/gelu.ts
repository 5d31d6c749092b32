// y = x·Φ(x), the exact (erf) GELU, with Φ(x) = erfc(−x/√2)/2 the standard normal distribution
// function and φ(x) = e^(−x²/2)/√(2π) its density:
//   dy/dx = Φ(x) + x·φ(x);   d²y/dx² = φ(x)(2 − x²), written 2φ − x·(xφ) so that x² cannot overflow.
// Tails: for x → −∞, Φ(x) is erfc of a large argument, accurate down to 5e−324 (x ≈ −38.5), and y
// is −0 beyond; gelu(−∞) = −0, gelu(∞) = ∞. The argument −x/√2 is carried to double-double, because
// erfc(t) turns a relative error ε in t into 2t²ε (≈ 1e−13 at t = 27) in the result.
import type { Algebra, Value } from '../algebra/algebra.js';
import { defineUnary } from '../elementwise/unary.js';
import { erfc } from './erfc.js';
import { exp } from './exp.js';
import { erfcNumber } from './special/error-function.js';
import { productError } from './special/exact-product.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_2PI = 0.3989422804014327;
/** 1/√2 − Math.SQRT1_2. */
const SQRT1_2_LO = -4.833646656726457e-17;

/** Φ(x) = erfc(−x/√2)/2 in float64, with −x/√2 = t + δ exact to first order in δ. */
export function normalCdfNumber(x: number): number {
  const p = x * Math.SQRT1_2;
  const t = -p;
  const c = erfcNumber(t);
  if (!(t > 0.5 && c > 0)) return 0.5 * c; // elsewhere δ moves erfc by less than half an ulp
  const delta = -productError(x, Math.SQRT1_2, p) - x * SQRT1_2_LO;
  return 0.5 * (c - delta * TWO_OVER_SQRT_PI * Math.exp(-t * t));
}

/**
 * Gaussian error linear unit x·Φ(x), elementwise, in its exact form (with erf, not the tanh
 * approximation); stable in both tails.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => gelu(x))(0); // 0.5 = Φ(0)
 * ```
 */
export const gelu = defineUnary({
  name: 'gelu',
  f: (x) => {
    const p = normalCdfNumber(x);
    return p === 0 ? -0 : x * p; // −∞·0 would be NaN
  },
  df: (o, x) => o.add(normalCdf(o, x), o.mul(x, normalDensity(o, x))),
  d2f: (o, x) => {
    const density = normalDensity(o, x);
    return o.sub(o.mul(2, density), o.mul(x, o.mul(x, density)));
  },
});

function normalCdf(o: Algebra, x: Value): Value {
  return o.mul(0.5, o.map(erfc, o.mul(-Math.SQRT1_2, x)));
}

function normalDensity(o: Algebra, x: Value): Value {
  return o.mul(INV_SQRT_2PI, o.map(exp, o.mul(-0.5, o.mul(x, x))));
}
