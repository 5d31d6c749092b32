// x·r(b), with r = 1/b (xlogy's ∂y/∂b) or 1/(1 + b) (xlog1py's), as an op of its own: those ops record
// it when a transform is nested, instead of the product x·r, whose derivative x·(−r²) forms r², which
// under- or overflows where x·r² does not (0 for −1e-200 at (1e200, 1e200), −∞ for −1e300 at
// (1e-300, 1e-300)). With r′ = −r² (both r): ∂/∂x = r, ∂/∂b = −(x·r)·r, ∂²/∂x∂b = −r·r,
// ∂²/∂b² = 2((x·r)·r)·r, each product in an order that over- or underflows only where the result does.
// Valued as the top-level product, its structural zero at x = 0 included (0 at a pole of r too).
import type { Algebra, Value } from '../algebra/algebra.js';
import { defineBinary } from '../elementwise/binary.js';
import { structuralTimes } from '../elementwise/structural-times.js';

/**
 * The op x·r(b) named `name`, where `inverse` forms r in the algebra and `inverseNumber` in float64
 * (the same rounding: 1/b, or 1/(1 + b)).
 */
export function defineTimesInverse(name: string, inverse: (o: Algebra, b: Value) => Value, inverseNumber: (b: number) => number) {
  return defineBinary({
    name,
    f: (x, b) => structuralTimes(x, inverseNumber(b)),
    da: (o, _x, b) => inverse(o, b),
    db: (o, x, b) => {
      const r = inverse(o, b);
      return o.neg(o.mul(o.mul(x, r), r));
    },
    dab: (o, _x, b) => {
      const r = inverse(o, b);
      return o.neg(o.mul(r, r));
    },
    dbb: (o, x, b) => {
      const r = inverse(o, b);
      return o.mul(2, o.mul(o.mul(o.mul(x, r), r), r));
    },
  });
}
