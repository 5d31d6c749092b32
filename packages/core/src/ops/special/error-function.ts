// erf and erfc in float64 from W. J. Cody's rational Chebyshev approximations: "Rational Chebyshev
// approximations for the error function", Math. Comp. 23 (1969) 631–637, with the coefficients and
// interval split of his SPECFUN routine CALERF (netlib.org/specfun/erf), rewritten here:
//
//   |x| ≤ 0.46875       erf(x)  = x·R₁(x²)
//   0.46875 < |x| ≤ 4   erfc(x) = e^(−x²)·R₂(|x|)
//   |x| > 4             erfc(x) = e^(−x²)/|x|·(1/√π + R₃(1/x²)/x²)
//
// e^(−x²) is formed as e^(−s²)·e^(−(x−s)(x+s)) with s = x rounded down to a multiple of 1/16, so
// s² is exact and the rounding of x² (relative error ~x²·2⁻⁵³) never reaches the result. Below
// e^(−700) the first factor is split in two equal halves, so erfc keeps full relative accuracy down
// through the subnormal range (erfc(x) underflows to 0 only past x ≈ 27.2).

const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.952221241769090,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
const P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978];
const Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 2.33520497626869185e-3];
/** 1/√π */
const ONE_OVER_SQRT_PI = 0.56418958354775628695;
/** Past this, erfc(x) < 2⁻¹⁰⁷⁵: it rounds to 0. */
const ERFC_UNDERFLOW = 27.3;

/** erf(x) for |x| ≤ 0.46875 (Cody's first interval). */
function erfSmall(x: number): number {
  const z = x * x;
  let num = A[4] * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]) * z;
    den = (den + B[i]) * z;
  }
  return (x * (num + A[3])) / (den + B[3]);
}

/** e^(−y²) for y ≥ 0 without the rounding error of y², times `scale`, kept accurate into subnormals. */
function expMinusSquare(y: number, scale: number): number {
  const s = Math.trunc(16 * y) / 16;
  const tail = Math.exp(-(y - s) * (y + s)) * scale;
  const s2 = s * s;
  if (s2 < 700) return Math.exp(-s2) * tail;
  const half = Math.exp(-s2 / 2);
  return half * (half * tail); // one rounding into the subnormal range, at the end
}

/** erfc(y) for y > 0.46875 (Cody's second and third intervals). */
function erfcLarge(y: number): number {
  if (y >= ERFC_UNDERFLOW) return 0;
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return expMinusSquare(y, (num + C[7]) / (den + D[7]));
  }
  const z = 1 / (y * y);
  let num = P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * z;
    den = (den + Q[i]) * z;
  }
  const r = (z * (num + P[4])) / (den + Q[4]);
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
