/**
 * The structural-zero product of two numbers, u·w with 0·x = 0 for every x (∞ and NaN included), as
 * the numbers algebra's `mul` forms it at top level (docs/conventions.md). For the values of internal
 * ops that must equal a top-level product bit for bit (hypotRatio, atan2's and pow's slopes, x·r); it
 * counts nothing, where the algebra's `times` counts the 0·∞ it resolves: an op's value has no tape.
 * @module
 */

/** u·w, 0 where either factor is 0 (+0: −0 never comes out, as from the algebra's product). */
export function structuralTimes(u: number, w: number): number {
  return u === 0 || w === 0 ? 0 : u * w + 0;
}
