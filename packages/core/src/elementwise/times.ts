/**
 * Symbolic zeros. An exact zero adjoint or tangent means "nothing flows here", and an exact zero
 * partial derivative means "this path does not exist" (∂²(a·b)/∂a² = 0, a factor multiplied by the
 * constant 0). Either must give 0 even when the other factor is ±∞ or NaN (sqrt′ at 0, log′ at 0, a
 * branch masked out by `where`), not the IEEE 0·∞ = NaN; and the scalar and tensor forms of a
 * function then agree. Every rule multiplies adjoints and tangents into derivatives through this.
 * @module
 */

/** u·d, or 0 when either factor is an exact zero (even if the other is ±∞ or NaN). */
export function times(u: number, d: number): number {
  return u === 0 || d === 0 ? 0 : u * d;
}
