// sin(πx), cos(πx) and cot(πx) with the argument reduced exactly: x = n/2 + r with |r| ≤ ¼ is exact
// in float64 (for |x| < 2⁵², 2x and x − n/2 are exact), so only π·r is rounded. Math.sin(Math.PI * x)
// would instead lose all relative accuracy near the zeros at the integers, where the reflection
// formulas of Γ and ψ need it most.

/** n mod 4 and r with x = n/2 + r, |r| ≤ ¼ (finite x with |x| < 2⁵²). */
function reduce(x: number): { quadrant: number; r: number } {
  const n = Math.round(2 * x);
  return { quadrant: ((n % 4) + 4) % 4, r: x - n / 2 };
}

/** sin(πx): exact zeros at the integers, NaN for ±∞ and NaN. */
export function sinPi(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (Math.abs(x) >= 2 ** 52) return 0 * x; // every such double is an integer
  const { quadrant, r } = reduce(x);
  const s = Math.sin(Math.PI * r), c = Math.cos(Math.PI * r);
  return quadrant === 0 ? s : quadrant === 1 ? c : quadrant === 2 ? -s : -c;
}

/** cos(πx): exact zeros at the half-integers, NaN for ±∞ and NaN. */
export function cosPi(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (Math.abs(x) >= 2 ** 53) return 1; // every such double is an even integer
  if (Math.abs(x) >= 2 ** 52) return x % 2 === 0 ? 1 : -1;
  const { quadrant, r } = reduce(x);
  const s = Math.sin(Math.PI * r), c = Math.cos(Math.PI * r);
  return quadrant === 0 ? c : quadrant === 1 ? -s : quadrant === 2 ? -c : s;
}

/** cot(πx) = cos(πx)/sin(πx): ±∞ at the integers. */
export function cotPi(x: number): number {
  return cosPi(x) / sinPi(x);
}
