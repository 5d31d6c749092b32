// erf and erfc in float64 from W. J. Cody's rational Chebyshev approximations: "Rational Chebyshev
// approximations for the error function", Math. Comp. 23 (1969) 631–637, with the coefficients and
// interval split of his SPECFUN routine CALERF (netlib.org/specfun/erf), rewritten here:
//
//   |x| ≤ 0.46875       erf(x)  = x·R₁(x²)
//   0.46875 < |x| ≤ 4   erfc(x) = e^(−x²)·R₂(|x|)
//   |x| > 4             erfc(x) = e^(−x²)/|x|·(1/√π + R₃(1/x²)/x²)
//
// e^(−x²) is formed as e^(−h)·(1 − l) with x² = h + l split exactly (Dekker's product), so the
// rounding of x² (relative error ~x²·2⁻⁵³) never reaches the result, at the cost of one exp. Below
// e^(−700) the factor e^(−h) is split in two equal halves, so erfc keeps full relative accuracy down
// through the subnormal range (erfc(x) underflows to 0 only past x ≈ 27.2). The rational functions are
// written out in Horner form with Cody's coefficients (CALERF's A, B, C, D, P, Q) as literals. Against
// loops over coefficient arrays with e^(−x²) as two exps, that is 1.6× faster (14 against 22 ns an
// element) and about as accurate, over 40,000 points against mpmath: at most 5.7 ulps for erfc (the
// former form 5.5), 2.9 for erf (3.1), and 6.3 for gelu, which builds on erfc (5.4). See
// test/elementwise-accuracy.test.ts.

import { productError } from './exact-product.js';

/** 1/√π */
const ONE_OVER_SQRT_PI = 0.56418958354775628695;
/** Past this, erfc(x) < 2⁻¹⁰⁷⁵: it rounds to 0. */
const ERFC_UNDERFLOW = 27.3;

/** erf(x) for |x| ≤ 0.46875 (Cody's first interval, coefficients A and B). */
function erfSmall(x: number): number {
  const z = x * x;
  const num = (((0.185777706184603153 * z + 3.1611237438705656) * z + 113.864154151050156) * z + 377.485237685302021) * z;
  const den = (((z + 23.6012909523441209) * z + 244.024637934444173) * z + 1282.61652607737228) * z;
  return (x * (num + 3209.37758913846947)) / (den + 2844.23683343917062);
}

/** e^(−y²) for y ≥ 0 without the rounding error of y², times `scale`, kept accurate into subnormals. */
function expMinusSquare(y: number, scale: number): number {
  const h = y * y;
  const l = productError(y, y, h); // y² − h, exactly
  const tail = scale - scale * l; // scale·e^(−l), to within l²/2 < 2⁻¹⁰⁰
  if (h < 700) return Math.exp(-h) * tail;
  const half = Math.exp(-h / 2);
  return half * (half * tail); // one rounding into the subnormal range, at the end
}

/** erfc(y) for y > 0.46875 (Cody's second and third intervals: coefficients C, D and P, Q). */
function erfcLarge(y: number): number {
  if (y >= ERFC_UNDERFLOW) return 0;
  if (y <= 4) {
    const num = (((((((2.15311535474403846e-8 * y + 0.564188496988670089) * y + 8.88314979438837594) * y + 66.1191906371416295) * y +
      298.635138197400131) * y + 881.952221241769090) * y + 1712.04761263407058) * y + 2051.07837782607147) * y;
    const den = (((((((y + 15.7449261107098347) * y + 117.693950891312499) * y + 537.181101862009858) * y + 1621.38957456669019) * y +
      3290.79923573345963) * y + 4362.61909014324716) * y + 3439.36767414372164) * y;
    return expMinusSquare(y, (num + 1230.33935479799725) / (den + 1230.33935480374942));
  }
  const z = 1 / (y * y);
  const num = ((((0.0163153871373020978 * z + 0.305326634961232344) * z + 0.360344899949804439) * z + 0.125781726111229246) * z +
    0.0160837851487422766) * z;
  const den = ((((z + 2.56852019228982242) * z + 1.87295284992346047) * z + 0.527905102951428412) * z + 0.0605183413124413191) * z;
  const r = (z * (num + 6.58749161529837803e-4)) / (den + 2.33520497626869185e-3);
  return expMinusSquare(y, (ONE_OVER_SQRT_PI - r) / y);
}

/** The error function erf(x) = (2/√π)∫₀ˣ e^(−t²) dt. */
export function erfNumber(x: number): number {
  const y = Math.abs(x);
  if (!(y > 0.46875)) return erfSmall(x); // NaN too
  const r = 1 - erfcLarge(y);
  return x < 0 ? -r : r;
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate where erf(x) is near 1. */
export function erfcNumber(x: number): number {
  const y = Math.abs(x);
  if (!(y > 0.46875)) return 1 - erfSmall(x);
  const r = erfcLarge(y);
  return x < 0 ? 2 - r : r;
}
