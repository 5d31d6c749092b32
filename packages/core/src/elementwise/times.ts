/**
 * Symbolic zeros. An exact zero adjoint or tangent means "nothing flows here", and an exact zero
 * partial derivative means "this path does not exist" (∂²(a·b)/∂a² = 0, a factor multiplied by the
 * constant 0). Either must give 0 even when the other factor is ±∞ or NaN (sqrt′ at 0, log′ at 0, a
 * branch masked out by `where`), not the IEEE 0·∞ = NaN; and the scalar and tensor forms of a
 * function then agree. Every rule multiplies adjoints and tangents into derivatives through this.
 * @module
 */

/**
 * The price: where a zero is not structural but happens at this point, the convention can be wrong.
 * (√x)² at 0 is x, with derivative 1, but its chain rule is 2√0 · (1/2√0) = 0·∞, and the convention
 * gives 0. So every such decision is counted, and `{ checkFinite: true }` turns any into a
 * FiniteError naming the node (see transforms.ts): strict mode never relies on the convention.
 */
let indeterminate = 0;

/** How many 0·∞ (or 0·NaN) products `times` has resolved to 0 so far in this process. */
export function indeterminateCount(): number {
  return indeterminate;
}

/** u·d, or 0 when either factor is an exact zero (even if the other is ±∞ or NaN). */
export function times(u: number, d: number): number {
  if (u === 0 || d === 0) {
    if (u - u !== 0 || d - d !== 0) indeterminate++; // the other factor is ±∞ or NaN
    return 0;
  }
  return u * d;
}
