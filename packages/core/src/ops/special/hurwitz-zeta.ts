// The Hurwitz zeta function ζ(s, x) = Σ_{k≥0} (x + k)^(−s) for an integer s ≥ 2 and x > 0, the
// kernel of the polygamma functions: ψ⁽ⁿ⁾(x) = (−1)ⁿ⁺¹ n! ζ(n + 1, x).
//
// Euler–Maclaurin summation (DLMF 25.11.5–25.11.6): the first N terms directly, with
// w = x + N ≥ max(8, s + 6), then the remainder
//   ζ(s, w) ≈ w^(1−s)/(s−1) + w^(−s)/2 + Σ_{j≥1} B_{2j}/(2j)! · s(s+1)…(s+2j−2) · w^(−s−2j+1),
// whose j-th term is ≈ 2·(s−1)(s)…(s+2j−2)/(2πw)^(2j) of the first: after fifteen terms below 2⁻⁵⁶
// for every s (the largest at s = 2, w = 8), and far below for larger s.
// Every term is positive except the alternating corrections, which are tiny, so the sum has no
// cancellation. Two things keep it accurate for large s:
// - each x + k is rounded, and (x + k)^(−s) would turn that rounding into a relative error s·2⁻⁵³;
//   the exact rounding error δ (TwoSum) corrects it to first order, (b + δ)^(−s) ≈ b^(−s)(1 − sδ/b);
// - the result is returned as a mantissa and a binary exponent, ζ = m·2^(−s·e₀), because x^(−s)
//   leaves the float64 range long before n!·x^(−s) does.
import { BERNOULLI_EVEN } from './bernoulli.js';

/** B_{2j}/(2j)! for j = 1…15. */
const BERNOULLI_OVER_FACTORIAL = BERNOULLI_EVEN.map((b, k) => {
  let f = 1;
  for (let i = 2; i <= 2 * (k + 1); i++) f *= i;
  return b / f;
});

/** ζ(s, x) = mantissa·2^(−s·exponent): the scaled value and its scale. */
export interface ScaledZeta {
  readonly mantissa: number;
  /** 0, or ⌊log₂ x⌋ where x^(−s) would overflow or underflow: every term was divided by 2^(−s·e₀). */
  readonly exponent: number;
}

/**
 * bˢ for an integer s ≥ 1: by multiplication up to s = 3 (the orders of ψ′ and ψ″, which ln Γ's
 * derivatives need; two roundings at most), where Math.pow costs ~100 ns; by Math.pow above, where
 * chains of products would add up to several ulps.
 */
function integerPower(b: number, s: number): number {
  return s === 1 ? b : s === 2 ? b * b : s === 3 ? b * b * b : Math.pow(b, s);
}

/** (b + δ)^(−s)·2^(s·e₀) with b + δ the exact value of a rounded sum. */
function scaledPower(b: number, delta: number, s: number, e0: number): number {
  const p = 1 / integerPower(e0 === 0 ? b : timesPowerOfTwo(b, -e0), s);
  return delta === 0 ? p : p * (1 - (s * delta) / b);
}

/** ζ(s, x) as mantissa·2^(−s·e₀), for an integer s ≥ 2 and finite x > 0. */
export function hurwitzZetaScaled(s: number, x: number): ScaledZeta {
  // Scale only where x^(−s) could leave the float64 range; elsewhere e₀ = 0 costs nothing per term.
  const log2x = Math.log2(x);
  const e0 = Math.abs(log2x) * s < 600 ? 0 : Math.floor(log2x);
  const target = Math.max(8, s + 6);
  const n = x >= target ? 0 : Math.ceil(target - x);
  const w = x + n;
  const deltaW = n === 0 ? 0 : n - (w - x) + (x - (w - (w - x))); // TwoSum: w + deltaW = x + n exactly
  // The remainder at w: its leading term w^(1−s)/(s−1) on its own, then the rest, at most (s−1)/(2w)
  // of it, as w^(−s)·(½ + Σ_j …), all scaled by 2^(s·e₀).
  const scaledW = e0 === 0 ? w : timesPowerOfTwo(w, -e0);
  const a = scaledPower(scaledW, 0, s, 0);
  const lead = timesPowerOfTwo(1 / (integerPower(scaledW, s - 1) * (s - 1)), e0);
  let bracket = 0.5;
  let rising = s; // s(s+1)…(s+2j−2)
  let power = w; // w^(2j−1)
  for (let j = 1; j <= BERNOULLI_OVER_FACTORIAL.length; j++) {
    const term = (BERNOULLI_OVER_FACTORIAL[j - 1] * rising) / power;
    bracket += term;
    if (Math.abs(term) < 1e-18 * bracket) break;
    rising *= (s + 2 * j - 1) * (s + 2 * j);
    power *= w * w;
  }
  // d/dw of the remainder is ≈ −w^(−s)(1 + s/(2w)): first-order correction for w's rounding.
  bracket -= deltaW * (1 + s / (2 * w));
  let sum = lead + a * bracket;
  // Then the direct terms, smallest first.
  for (let k = n - 1; k >= 0; k--) {
    const b = x + k;
    const delta = k - (b - x) + (x - (b - (b - x))); // TwoSum: b + delta = x + k exactly
    sum += scaledPower(b, delta, s, e0);
  }
  return { mantissa: sum, exponent: e0 };
}

/** ζ(s, x) for an integer s ≥ 2 and finite x > 0 (may underflow or overflow; see hurwitzZetaScaled). */
export function hurwitzZeta(s: number, x: number): number {
  const { mantissa, exponent } = hurwitzZetaScaled(s, x);
  return timesPowerOfTwo(mantissa, -s * exponent);
}

/** v·2^k, exact unless the result leaves the normal range (then rounded once, at the end). */
export function timesPowerOfTwo(v: number, k: number): number {
  if (k === 0 || v === 0 || !Number.isFinite(v)) return v;
  // Steps of at most 2^±1000 keep each factor finite; only a final subnormal step rounds.
  while (k > 1000) {
    v *= 2 ** 1000;
    k -= 1000;
    if (!Number.isFinite(v)) return v;
  }
  while (k < -1000) {
    v *= 2 ** -1000;
    k += 1000;
    if (v === 0) return v;
  }
  return v * 2 ** k;
}
