// r = a mod b with the sign of b (NumPy's remainder, JAX's jnp.remainder, Python's %):
// r = a − b·q with q = ⌊a/b⌋;  ∂r/∂a = 1,  ∂r/∂b = −q  (piecewise linear: every second partial is 0).
// The value is JavaScript's % (C's fmod: exact, the sign of a) moved by b where the signs differ, as
// NumPy and JAX do, so it is exact as well wherever r + b is; r = 0 takes b's sign. b = 0, a = ±∞ or a
// NaN operand give NaN, with NaN partials. Where r jumps (a/b an integer) the partials are those of
// the piece on the right, q = a/b. q is the quotient of the piece r is on (NumPy's floor_divide), not
// ⌊a/b⌋, which rounds up to the next piece at remainder(1, 0.1). For b = ±∞ and finite a, q is 0
// (r = a), or −1 where the signs differ (r = b).
import { defineBinary } from '../elementwise/binary.js';
import { selfContained } from '../elementwise/self-contained.js';

/** a mod b with the sign of b. */
export const remainderNumber = selfContained((a: number, b: number): number => {
  const r = a % b;
  if (r === 0) return b < 0 ? -0 : 0;
  return r < 0 !== b < 0 ? r + b : r;
});

/**
 * The integer quotient q of r = a − b·q, NaN where r is: the q of the piece the computed r is on,
 * found from fmod as NumPy's divmod finds it. ⌊a/b⌋ is not that q where a/b rounds up to an integer:
 * remainder(1, 0.1) is 0.0999… = 1 − 9·0.1, on the piece q = 9, while 1/0.1 rounds to 10.
 */
function quotient(a: number, b: number): number {
  const r = a % b;
  if (r !== r) return NaN;
  // Exact for infinite b too: (a − a)/±∞ = 0, then −1 where the signs differ.
  let q = (a - r) / b;
  if (r !== 0 && r < 0 !== b < 0) q -= 1;
  if (q === 0) return 0;
  // q is an integer up to the rounding of the division: round it (NumPy's floordiv).
  const f = Math.floor(q);
  return q - f > 0.5 ? f + 1 : f;
}

/**
 * The remainder of a/b with the sign of b, elementwise with broadcasting (NumPy's `remainder` and
 * `mod`, JAX's `jnp.remainder`, Python's `%`): a − b·⌊a/b⌋. For C's `fmod` (the sign of a) write
 * `a.sub(b.mul(trunc(a.div(b))))`. The derivative is 1 in a and −q in b, q the quotient of the piece r is on
 * (NumPy's `floor_divide(a, b)`; 9, not 10, at remainder(1, 0.1) = 1 − 9·0.1).
 *
 * @function
 * @example
 * ```ts
 * remainder(tensor([5, -5, 5]), tensor([3, 3, -3])).value; // [2, 1, -1]
 * grad((p: Tensor) => remainder(p.at(0), p.at(1)))([7.5, 2]); // [1, -3]
 * ```
 */
export const remainder = defineBinary({
  name: 'remainder',
  f: remainderNumber,
  da: (o, a, b) => o.step2(a, b, (u, v) => (u % v === u % v ? 1 : NaN)),
  db: (o, a, b) => o.step2(a, b, (u, v) => -quotient(u, v)),
  // The piece (a, b) is on: another quotient in a compiled replay is a branch change.
  branch: quotient,
});
