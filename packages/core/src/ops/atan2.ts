// θ = atan2(a, b), the angle of the point (b, a) (NumPy's arctan2(y, x) with a = y, b = x).
// With r = hypot(a, b), s = a/r, c = b/r:  ∂θ/∂a = c/r,  ∂θ/∂b = −s/r;
// ∂²θ/∂a² = −2sc/r²,  ∂²θ/∂a∂b = (s² − c²)/r²,  ∂²θ/∂b² = 2sc/r².
// r comes from hypot, so nothing overflows for large a, b. At the origin θ jumps (its value there is
// IEEE's: ±0 or ±π by the signs of the zeros) and every partial is 0·∞, made 0 by the structural-zero
// convention. On the branch cut (b < 0, a = ±0) the derivatives are those of the side the sign of a
// selects.
import type { Algebra, Value } from '../algebra/algebra.js';
import { defineBinary } from '../elementwise/binary.js';
import { hypot } from './hypot.js';
import { selfContained } from '../elementwise/self-contained.js';

/** 1/r, sin θ and cos θ, formed as products so that a zero radius gives structural zeros. */
function polar(o: Algebra, a: Value, b: Value): { u: Value; s: Value; c: Value } {
  const u = o.div(1, o.map2(hypot, a, b));
  return { u, s: o.mul(a, u), c: o.mul(b, u) };
}

/**
 * The angle atan2(a, b) ∈ [−π, π] of the point (b, a), elementwise with broadcasting: `a` is the
 * y-coordinate, `b` the x-coordinate, as `Math.atan2(y, x)`.
 *
 * @function
 * @example
 * ```ts
 * grad((p: Tensor) => atan2(p.at(0), p.at(1)))([1, 1]); // [0.5, −0.5]
 * ```
 */
export const atan2 = defineBinary({
  name: 'atan2',
  f: selfContained((a, b) => Math.atan2(a, b)),
  da: (o, a, b) => {
    const { u, c } = polar(o, a, b);
    return o.mul(c, u);
  },
  db: (o, a, b) => {
    const { u, s } = polar(o, a, b);
    return o.neg(o.mul(s, u));
  },
  daa: (o, a, b) => {
    const { u, s, c } = polar(o, a, b);
    return o.mul(-2, o.mul(o.mul(s, c), o.mul(u, u)));
  },
  dab: (o, a, b) => {
    const { u, s, c } = polar(o, a, b);
    return o.mul(o.mul(o.sub(s, c), o.add(s, c)), o.mul(u, u));
  },
  dbb: (o, a, b) => {
    const { u, s, c } = polar(o, a, b);
    return o.mul(2, o.mul(o.mul(s, c), o.mul(u, u)));
  },
});
