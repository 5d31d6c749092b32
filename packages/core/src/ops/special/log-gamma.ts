// ln|Γ(x)| in float64, with full relative accuracy for x > 0, including next to its zeros at 1 and 2.
//
//   x ≥ 10          Stirling: (x − ½)ln x − x + ½ln 2π + Σ_{j≤15} B_{2j}/(2j(2j−1)x^(2j−1))  (DLMF 5.11.1)
//   2.5 < x < 10    down to (1.5, 2.5]: ln Γ(x) = ln Γ(x − n) + ln((x−1)(x−2)…(x−n))
//   1 ≤ x ≤ 2.5     ln Γ(x) = (x−1)(x−2)·G(x−2)
//   ½ ≤ x < 1       ln Γ(x) = (x−1)·H(x−1)
//   0 < x < ½       ln Γ(x) = ln Γ(x+1) − ln x = x(x−1)·G(x−1) − ln x
//   x ≤ 0           reflection: ln|Γ(x)| = ln(π/|sin πx|) − ln Γ(1−x); +∞ at the poles 0, −1, −2, …
//
// The two zeros are factored out exactly ((x−1) and (x−2) are exact there), so what is left is a power
// series without cancellation. From ln Γ(1+z) = −γz + Σ_{k≥2} (−1)ᵏζ(k)zᵏ/k (DLMF 5.7.3):
//   H(z) = ln Γ(1+z)/z = −γ + Σ_{k≥1} (−1)ᵏ⁺¹ ζ(k+1) zᵏ/(k+1),          all terms < 0 for z < 0;
//   G(z) = ln Γ(2+z)/(z(1+z)) = Σ_{k≥0} (−1)ᵏ Tₖ zᵏ,  Tₖ = Σ_{i≥k+2} (ζ(i) − 1)/i,   all > 0 for z < 0,
// where G's coefficients follow from ln Γ(2+z) = ln Γ(1+z) + ln(1+z) divided by 1 + z, and the
// identity Σ_{i≥2}(ζ(i) − 1)/i = 1 − γ turns each into a tail sum (no cancellation). ζ(i) − 1 comes
// from the Hurwitz zeta kernel, computed once on first use.
//
// Accuracy: a few ulps for x > 0 (see the test). For x < 0, near the zeros of ln|Γ| (x ≈ −2.457,
// −2.747, …) the reflection subtracts nearly equal numbers and the error is a few ulps of the
// terms (absolute ~1e-16 × |ln Γ(1−x)|), not of the result.
import { BERNOULLI_EVEN } from './bernoulli.js';
import { hurwitzZeta } from './hurwitz-zeta.js';
import { sinPi } from './trig-pi.js';

const EULER_GAMMA = 0.57721566490153286061;
const HALF_LN_2PI = 0.91893853320467274178;
/** Terms of G (|z| ≤ 1, ratio ½) and H (|z| ≤ ½, ratio ½) that reach 2⁻⁶⁰ of the sum. */
const TERMS = 58;

/** ζ(i) − 1 = Σ_{n≥2} n^(−i): directly where that converges fast, else by Euler–Maclaurin. */
function zetaMinusOne(i: number): number {
  if (i < 20) return hurwitzZeta(i, 2);
  let sum = 0;
  for (let n = 2; ; n++) {
    const term = Math.pow(n, -i);
    sum += term;
    if (term < 1e-20 * sum) return sum;
  }
}

let seriesG: Float64Array | null = null;
let seriesH: Float64Array | null = null;

function coefficients(): { g: Float64Array; h: Float64Array } {
  if (seriesG === null || seriesH === null) {
    const zm1 = new Float64Array(TERMS + 64);
    for (let i = 2; i < zm1.length; i++) zm1[i] = zetaMinusOne(i);
    // T_k = Σ_{i ≥ k+2} (ζ(i) − 1)/i, summed from the small end.
    const g = new Float64Array(TERMS);
    let tail = 0;
    for (let i = zm1.length - 1; i >= 2; i--) {
      tail += zm1[i] / i;
      const k = i - 2;
      if (k < TERMS) g[k] = k % 2 === 0 ? tail : -tail;
    }
    const h = new Float64Array(TERMS);
    h[0] = -EULER_GAMMA;
    for (let k = 1; k < TERMS; k++) h[k] = ((k % 2 === 1 ? 1 : -1) * (1 + zm1[k + 1])) / (k + 1);
    seriesG = g;
    seriesH = h;
  }
  return { g: seriesG, h: seriesH };
}

function horner(c: Float64Array, z: number): number {
  let s = c[c.length - 1];
  for (let k = c.length - 2; k >= 0; k--) s = s * z + c[k];
  return s;
}

/** ln Γ(x) for x ≥ 10 (Stirling's series). */
function stirling(x: number): number {
  let series = 0;
  const x2 = x * x;
  let power = x;
  for (let j = 1; j <= BERNOULLI_EVEN.length; j++) {
    const term = BERNOULLI_EVEN[j - 1] / (2 * j * (2 * j - 1) * power);
    series += term;
    if (Math.abs(term) < 1e-18 * x) break;
    power *= x2;
  }
  return (x - 0.5) * (Math.log(x) - 1) + (HALF_LN_2PI - 0.5) + series;
}

/** ln Γ(x) for finite x > 0. */
function logGammaPositive(x: number): number {
  if (x >= 10) return stirling(x);
  const { g, h } = coefficients();
  if (x > 2.5) {
    let product = 1;
    let t = x;
    while (t > 2.5) {
      t -= 1; // exact: t keeps x's last bit
      product *= t;
    }
    return (t - 1) * (t - 2) * horner(g, t - 2) + Math.log(product);
  }
  if (x >= 1) return (x - 1) * (x - 2) * horner(g, x - 2) + 0; // + 0: ln Γ(1) = +0, not (0·−1)·G = −0
  if (x >= 0.5) return (x - 1) * horner(h, x - 1);
  return x * (x - 1) * horner(g, x - 1) - Math.log(x);
}

/** ln|Γ(x)|: +∞ at 0, the negative integers and ±∞; NaN for NaN. */
export function logGammaNumber(x: number): number {
  if (x !== x) return x;
  if (x > 0) return x === Infinity ? x : logGammaPositive(x);
  if (x === -Infinity || Math.floor(x) === x) return Infinity;
  // Γ(x)Γ(1−x) = π/sin(πx)
  return Math.log(Math.PI / Math.abs(sinPi(x))) - logGammaPositive(1 - x);
}
