// The digamma function ψ = (ln Γ)′ and the polygamma functions ψ⁽ⁿ⁾ = ψ's n-th derivative, in float64.
//
// ψ(x), x > 0:
//   x ≥ 10          ln x − 1/(2x) − Σ_{j≤15} B_{2j}/(2j·x^(2j))                      (DLMF 5.11.2)
//   2 < x < 10      down to [1, 2]: ψ(x) = ψ(x − n) + Σ_{k=1..n} 1/(x − k)   (each x − k exact)
//   1 ≤ x ≤ 2       Taylor series about ψ's positive zero x₀ = 1.4616…:
//                   ψ(x₀ + h) = Σ_{k≥1} (−1)ᵏ⁺¹ ζ(k+1, x₀) hᵏ, h = (x − x₀ʰⁱ) − x₀ˡᵒ   (DLMF 5.15.1)
//   0 < x < 1       ψ(x) = ψ(x + 1) − 1/x, the series evaluated at h = (x − (x₀ʰⁱ − 1)) − x₀ˡᵒ
// The series about x₀ gives full relative accuracy at the zero itself (h is exact to ~2⁻¹⁰⁶); its
// radius is x₀ (the pole at 0), so |h| ≤ 0.54 needs 44 terms.
//
// ψ⁽ⁿ⁾(x), n ≥ 1, x > 0:  (−1)ⁿ⁺¹ n! ζ(n+1, x)  with the Hurwitz zeta kernel  (DLMF 25.11.12).
//
// x < 0, odd n ≤ 15 (|x| ≤ 2⁴⁰): the series n!·Σ_{k≥0} 1/(x + k)ⁿ⁺¹ itself (DLMF 5.15.1), whose terms
// are all positive (polygammaNegativeOdd): within 2.4 ulps, where the reflection below reached 8.5
// at n = 3 and 24 at n = 9; about 6× the reflection's time.
//
// x < 0, otherwise (reflection, DLMF 5.15.6 differentiated n times):
//   ψ⁽ⁿ⁾(x) = (−1)ⁿ ψ⁽ⁿ⁾(1 − x) − πⁿ⁺¹ · cot⁽ⁿ⁾(πx),
// with cot⁽ⁿ⁾ a polynomial Pₙ in c = cot(πx): P₀ = c, Pₖ₊₁ = −(1 + c²)·Pₖ′(c). The terms of each Pₙ share
// one sign and one parity, so it evaluates without cancellation. At a pole (x = 0, −1, −2, …) the value
// is the two-sided limit where there is one: +∞ for odd n (ψ′, ψ‴, …), NaN for even n (ψ, ψ″, …).
// Near the zeros of ψ⁽ⁿ⁾ on the negative axis (even n) the reflection cancels, and the error is a few
// ulps of its terms, not of the result.
import { BERNOULLI_EVEN } from './bernoulli.js';
import { hurwitzZeta, hurwitzZetaScaled, timesPowerOfTwo } from './hurwitz-zeta.js';
import { cotPi } from './trig-pi.js';

/** ψ's positive zero x₀ = x₀ʰⁱ + x₀ˡᵒ (x₀ʰⁱ the nearest double; checked in the tests to 2⁻¹⁰⁰). */
const ROOT_HI = 1.4616321449683622;
const ROOT_LO = 9.549995429965697e-17;
const ROOT_TERMS = 44;

let rootSeries: Float64Array | null = null;

/** c_k = (−1)ᵏ⁺¹ ζ(k+1, x₀), from ζ(s, x₀) ≈ ζ(s, x₀ʰⁱ) − s·x₀ˡᵒ·ζ(s+1, x₀ʰⁱ). */
function rootCoefficients(): Float64Array {
  if (rootSeries === null) {
    const c = new Float64Array(ROOT_TERMS + 1);
    let next = hurwitzZeta(2, ROOT_HI);
    for (let k = 1; k <= ROOT_TERMS; k++) {
      const s = k + 1;
      const zeta = next;
      next = hurwitzZeta(s + 1, ROOT_HI);
      c[k] = (k % 2 === 1 ? 1 : -1) * (zeta - s * ROOT_LO * next);
    }
    rootSeries = c;
  }
  return rootSeries;
}

/** ψ(x₀ + h) for |h| ≤ 0.54. */
function aboutRoot(h: number): number {
  const c = rootCoefficients();
  let s = c[ROOT_TERMS];
  for (let k = ROOT_TERMS - 1; k >= 1; k--) s = s * h + c[k];
  return s * h;
}

/** ψ(x) for x ≥ 10. */
function asymptotic(x: number): number {
  const x2 = x * x;
  let series = 0;
  let power = x2;
  for (let j = 1; j <= BERNOULLI_EVEN.length; j++) {
    const term = BERNOULLI_EVEN[j - 1] / (2 * j * power);
    series += term;
    if (Math.abs(term) < 1e-18) break;
    power *= x2;
  }
  return Math.log(x) - 0.5 / x - series;
}

/** ψ(x) for finite x > 0. */
function digammaPositive(x: number): number {
  if (x >= 10) return asymptotic(x);
  if (x > 2) {
    let t = x;
    let sum = 0;
    while (t > 2) {
      t -= 1;
      sum += 1 / t; // largest last: t falls towards 1
    }
    return aboutRoot(t - ROOT_HI - ROOT_LO) + sum;
  }
  if (x >= 1) return aboutRoot(x - ROOT_HI - ROOT_LO);
  return aboutRoot(x - (ROOT_HI - 1) - ROOT_LO) - 1 / x;
}

/** n! = mantissa·2^exponent, correctly rounded (exact integers in BigInt), cached; exponent 0 up to 170!. */
const factorials: { mantissa: number; exponent: number }[] = [];
let exactFactorial = 1n;

function factorial(n: number): { mantissa: number; exponent: number } {
  for (let k = factorials.length; k <= n; k++) {
    if (k > 1) exactFactorial *= BigInt(k);
    // Keep 64 bits (rounding once, to 53, in Number()) and the rest as a power of two.
    const shift = k <= 170 ? 0 : Math.max(0, exactFactorial.toString(2).length - 64);
    factorials.push({ mantissa: Number(exactFactorial >> BigInt(shift)), exponent: shift });
  }
  return factorials[n];
}

/** (−1)ⁿ⁺¹ n! ζ(n+1, x) for n ≥ 1 and finite x > 0. */
function polygammaPositive(n: number, x: number): number {
  const zeta = hurwitzZetaScaled(n + 1, x);
  const f = factorial(n);
  let value: number;
  if (f.exponent === 0 && zeta.exponent === 0) {
    value = f.mantissa * zeta.mantissa; // overflows only where the result does
  } else {
    // Normalise the zeta mantissa first, so the product of mantissas cannot overflow on its own.
    const shift = Math.floor(Math.log2(zeta.mantissa));
    const m = timesPowerOfTwo(zeta.mantissa, -shift) * f.mantissa;
    value = timesPowerOfTwo(m, f.exponent + shift - (n + 1) * zeta.exponent);
  }
  return n % 2 === 1 ? value : -value;
}

const cotDerivatives: Float64Array[] = [Float64Array.of(0, 1)];

/** Coefficients (by power of c) of Pₙ with cot⁽ⁿ⁾(z) = Pₙ(cot z). */
function cotDerivative(n: number): Float64Array {
  for (let k = cotDerivatives.length; k <= n; k++) {
    const p = cotDerivatives[k - 1];
    // −(1 + c²)·P′(c): P′ has coefficient (i+1)p[i+1] at power i.
    const next = new Float64Array(p.length + 1);
    for (let i = 0; i + 1 < p.length; i++) {
      const d = (i + 1) * p[i + 1];
      next[i] -= d;
      next[i + 2] -= d;
    }
    cotDerivatives.push(next);
  }
  return cotDerivatives[n];
}

/** πⁿ⁺¹ · cot⁽ⁿ⁾(πx). */
function scaledCotDerivative(n: number, x: number): number {
  const c = cotPi(x);
  const p = cotDerivative(n);
  // Only powers of one parity are present: Horner in c², times c for odd powers.
  const odd = n % 2 === 0;
  const u = c * c;
  let top = p.length - 1;
  if ((top % 2 === 1) !== odd) top -= 1;
  let s = p[top];
  for (let i = top - 2; i >= 0; i -= 2) s = s * u + p[i];
  return piPower(n + 1) * (odd ? s * c : s);
}

/** πᵏ from π = π_hi + π_lo: Math.PI's own rounding (3.9e−17 relative) would count k times. */
function piPower(k: number): number {
  return Math.pow(Math.PI, k) * (1 + (k * PI_LO) / Math.PI);
}
const PI_LO = 1.2246467991473532e-16;

/** Odd orders up to this take the series at x < 0 (polygammaNegativeOdd). */
const SERIES_MAX_ORDER = 15;
/** Terms of that series summed one by one (the rest as a difference of two Hurwitz zetas). */
const NEAR_TERMS = 16;

/**
 * ψ⁽ⁿ⁾(x) = n!·Σ_{k≥0} 1/(x + k)ⁿ⁺¹ for odd n at x < 0 (not a pole, |x| ≤ 2⁴⁰): every term is
 * positive (an even power), so the sum has no cancellation, where the reflection's cot⁽ⁿ⁾ carries
 * cot's rounding n + 1 times over (up to 8.5 ulps at n = 3, 24 at n = 9; here about 2). With m the
 * terms left of 0 and f = x + m ∈ (0, 1): ζ(n+1, f) for the terms right of 0, the NEAR_TERMS = 16
 * terms nearest 0 on the left one by one (each x + k exact), and the farther ones as
 * ζ(n+1, 17 − f) − ζ(n+1, 1 − x), which are under 17⁻ⁿ of the total.
 */
function polygammaNegativeOdd(n: number, x: number): number {
  const s = n + 1, m = Math.ceil(-x), f = x + m;
  let sum = m > NEAR_TERMS ? hurwitzZeta(s, NEAR_TERMS + 1 - f) - hurwitzZeta(s, 1 - x) : 0;
  // Smallest terms first: from the farthest of the near ones to x + m − 1 = f − 1.
  for (let k = Math.max(0, m - NEAR_TERMS); k < m; k++) sum += 1 / Math.pow(x + k, s);
  sum += hurwitzZeta(s, f);
  return factorial(n).mantissa * sum; // n! exact (exponent 0) at these orders
}

/** ψ⁽ⁿ⁾(x) for an integer n ≥ 0 (ψ⁽⁰⁾ = ψ). See the module comment for poles and accuracy. */
export function psiNumber(n: number, x: number): number {
  if (x !== x) return x;
  if (x === Infinity) return n === 0 ? x : n % 2 === 1 ? 0 : -0;
  if (x > 0) return n === 0 ? digammaPositive(x) : polygammaPositive(n, x);
  if (x === -Infinity) return NaN;
  if (Math.floor(x) === x) return n % 2 === 1 ? Infinity : NaN;
  if (n % 2 === 1 && n <= SERIES_MAX_ORDER && x >= -(2 ** 40)) return polygammaNegativeOdd(n, x);
  const mirrored = psiNumber(n, 1 - x);
  return (n % 2 === 0 ? mirrored : -mirrored) - scaledCotDerivative(n, x);
}
