// y = √(a² + b²), without overflow or underflow (Math.hypot scales);  ∂y/∂a = a/y, ∂y/∂b = b/y;
// ∂²y/∂a² = b²/y³, ∂²y/∂a∂b = −ab/y³, ∂²y/∂b² = a²/y³. Written with u = 1/y as (a·u), (b·u) and
// products of those with u, so no square is formed. At the origin, a cone's apex, every partial is
// 0·∞ and the structural-zero convention (docs/conventions.md) makes it 0, the subgradient of least
// norm, as abs at 0. hypot(±∞, NaN) = ∞ (IEEE).
// When a transform is nested, ∂y/∂a is the op hypotRatio(a, b) = a/y, with its own partials, not the
// product a·(1/y): the product rule would form ∂²y/∂a² as 1/y − a²/y³, which cancels where |b| ≪ |a|
// (0 for b²/y³ = 1e-16 at (1, 1e-8), 11% off at (0.5, 1e-8)). At top level the product is kept: the
// same number, without a second Math.hypot per element.
import type { Algebra, Value } from '../algebra/algebra.js';
import { defineBinary } from '../elementwise/binary.js';
import { selfContained } from '../elementwise/self-contained.js';
import { structuralTimes } from '../elementwise/structural-times.js';

const inverse = (o: Algebra, y: Value): Value => o.div(1, y);

/** a/y and b/y at the level of `o`: the op hypotRatio when nested, the product a·(1/y) at top level. */
const share = (o: Algebra, a: Value, b: Value, y: Value): Value =>
  o.kind === 'nodes' ? o.map2(hypotRatio, a, b) : o.mul(a, inverse(o, y));

/**
 * 1/y, s = a/y and c = b/y from a and b, products so that the origin gives structural zeros (atan2's
 * 1/r, sin θ and cos θ at top level too).
 */
export function polarUnit(o: Algebra, a: Value, b: Value): { u: Value; s: Value; c: Value } {
  const u = inverse(o, o.map2(hypot, a, b));
  return { u, s: o.mul(a, u), c: o.mul(b, u) };
}

// r = a/y (y = hypot(a, b)), ∂y/∂a as an op of its own; with s = a/y, c = b/y, u = 1/y:
// ∂r/∂a = c²u,  ∂r/∂b = −scu;  ∂²r/∂a² = −3sc²u²,  ∂²r/∂a∂b = c(2s² − c²)u²,  ∂²r/∂b² = s(2c² − s²)u².
// Its value is the top-level product a·(1/y), structural zero included, so that the two levels agree.
// Not part of the public API; atan2 takes its sin θ and cos θ from it when nested.
export const hypotRatio = defineBinary({
  name: 'hypotRatio',
  f: (a, b) => {
    const u = 1 / Math.hypot(a, b);
    return structuralTimes(a, u);
  },
  da: (o, a, b) => {
    const { u, c } = polarUnit(o, a, b);
    return o.mul(o.mul(c, c), u);
  },
  db: (o, a, b) => {
    const { u, s, c } = polarUnit(o, a, b);
    return o.neg(o.mul(o.mul(s, c), u));
  },
  daa: (o, a, b) => {
    const { u, s, c } = polarUnit(o, a, b);
    return o.mul(-3, o.mul(o.mul(s, o.mul(c, c)), o.mul(u, u)));
  },
  dab: (o, a, b) => {
    const { u, s, c } = polarUnit(o, a, b);
    return o.mul(o.mul(c, o.sub(o.mul(2, o.mul(s, s)), o.mul(c, c))), o.mul(u, u));
  },
  dbb: (o, a, b) => {
    const { u, s, c } = polarUnit(o, a, b);
    return o.mul(o.mul(s, o.sub(o.mul(2, o.mul(c, c)), o.mul(s, s))), o.mul(u, u));
  },
});

/**
 * √(a² + b²), elementwise with broadcasting; no overflow for large a, b.
 *
 * @function
 * @example
 * ```ts
 * grad((p: Tensor) => hypot(p.at(0), p.at(1)))([3, 4]); // [0.6, 0.8]
 * ```
 */
export const hypot = defineBinary({
  name: 'hypot',
  f: selfContained((a, b) => Math.hypot(a, b)),
  da: (o, a, b, y) => share(o, a, b, y),
  db: (o, a, b, y) => share(o, b, a, y),
  daa: (o, _a, b, y) => {
    const u = inverse(o, y), bu = o.mul(b, u);
    return o.mul(o.mul(bu, bu), u);
  },
  dab: (o, a, b, y) => {
    const u = inverse(o, y);
    return o.neg(o.mul(o.mul(o.mul(a, u), o.mul(b, u)), u));
  },
  dbb: (o, a, _b, y) => {
    const u = inverse(o, y), au = o.mul(a, u);
    return o.mul(o.mul(au, au), u);
  },
});
