// The scale d of a norm's reduction: the power of two (ord 2, std) or the multiple of the dominant
// |xₖ| (other p) by which x is divided before its terms are formed, so that no term over- or
// underflows (norm.ts, euclidean-norm.ts). Internal.

/**
 * d for a reduction whose dominant |xₖ| is m ≈ 2ᵉ: 2^(e − a) for p = 2 (xₖ/d exact), m·2⁻ᵃ otherwise
 * (the dominant term exactly 2^(ap)), so m/d ≈ 2ᵃ. a = 0 where it can be: pow's rounded exponent 1/p
 * costs |ln Σ(|xₖ|/d)ᵖ|·ε, and the tangents of the local derivatives (√″·Ṫ ≈ |v|/(y·2ᵃ)) overflow
 * before H·v does. Otherwise a is the exponent nearest 0 that keeps the adjoints of the scaled entries
 * and terms (≈ y·2⁻ᵃ and y·2⁻ᵃᵖ, y ≈ 2ᵉ) within 2^±1020; where none does (p < 0 at a subnormal m), d
 * stays within 2^±1022 of m so that 1/d is finite. The dominant term (m/d)ᵖ comes first: |ap| ≤ 1000.
 * d = 1 when m is 0 or not finite: scaling would only make NaN.
 */
export function scaleFor(m: number, p: number): number {
  if (!(m > 0 && m < Infinity)) return 1;
  const e = Math.floor(Math.log2(m));
  const u = (e - 1020) / p, w = (e + 1020) / p;
  const lo = Math.ceil(Math.max(e - 1020, Math.min(u, w)));
  const hi = Math.floor(Math.min(e + 1020, Math.max(u, w)));
  const fits = lo <= hi ? Math.min(Math.max(0, lo), hi) : Math.min(Math.max(0, e - 1022), e + 1022);
  const bound = Math.min(1000, Math.floor(1000 / Math.abs(p)));
  const a = Math.min(Math.max(fits, -bound), bound);
  return p === 2 ? 2 ** (e - a) : m * 2 ** -a;
}
