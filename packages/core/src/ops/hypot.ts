// y = √(a² + b²), without overflow or underflow (Math.hypot scales);  ∂y/∂a = a/y, ∂y/∂b = b/y;
// ∂²y/∂a² = b²/y³, ∂²y/∂a∂b = −ab/y³, ∂²y/∂b² = a²/y³. Written with u = 1/y as (a·u), (b·u) and
// products of those with u, so no square is formed. At the origin, a cone's apex, every partial is
// 0·∞ and the structural-zero convention (docs/conventions.md) makes it 0, the subgradient of least
// norm, as abs at 0. hypot(±∞, NaN) = ∞ (IEEE).
import type { Algebra, Value } from '../algebra/algebra.js';
import { defineBinary } from '../elementwise/binary.js';
import { selfContained } from '../elementwise/self-contained.js';

const inverse = (o: Algebra, y: Value): Value => o.div(1, y);

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
  da: (o, a, _b, y) => o.mul(a, inverse(o, y)),
  db: (o, _a, b, y) => o.mul(b, inverse(o, y)),
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
