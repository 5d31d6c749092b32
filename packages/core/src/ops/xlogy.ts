// y = x·ln b, and 0 where x = 0 (for every b but NaN, b = 0 and b < 0 included: SciPy's and JAX's
// xlogy, the convention that makes 0·ln 0 = 0 in entropies);
// ∂y/∂x = ln b;  ∂y/∂b = x/b;  ∂²y/∂x² = 0;  ∂²y/∂x∂b = 1/b;  ∂²y/∂b² = −x/b².
// Where x = 0, y is 0 for every b, so ∂y/∂b and ∂²y/∂b² are exactly 0 there: x/b and −x/b² are
// formed as products with the factor x, and the algebra's structural zero makes 0·(1/0) = 0 (JAX's
// x/b gives NaN at x = b = 0). ∂y/∂x = ln b is −∞ at b = 0 (y = x·(−∞) for x ≠ 0), as in JAX.
// The value is one product of x with the correctly rounded Math.log: no cancellation to guard.
import type { Algebra, Value } from '../algebra/algebra.js';
import { defineBinary } from '../elementwise/binary.js';
import { log } from './log.js';
import { reciprocal } from './reciprocal.js';

/** 1/b, the factor of both x/b and −x/b² (never b², which over- and underflows where x/b² does not). */
const inverse = (o: Algebra, b: Value) => o.map(reciprocal, b);

/**
 * x·ln b, elementwise with broadcasting, and 0 where x = 0 (also at b = 0): SciPy's and JAX's
 * `xlogy`. Its derivative in b is 0 where x = 0.
 *
 * @function
 * @example
 * ```ts
 * xlogy(tensor([0, 2]), tensor([0, Math.E])).value;          // [0, 2]: 0·ln 0 is 0
 * grad((p: Tensor) => xlogy(p.at(0), p.at(1)))([0, 0]);     // [-Infinity, 0]
 * ```
 */
export const xlogy = defineBinary({
  name: 'xlogy',
  f: (x, b) => (x === 0 && b === b ? 0 : x * Math.log(b)),
  da: (o, _x, b) => o.map(log, b),
  db: (o, x, b) => (o.kind === 'nodes' ? o.map2(xlogyRatio, x, b) : o.mul(x, inverse(o, b))),
  dab: (o, _x, b) => inverse(o, b),
  dbb: (o, x, b) => {
    const r = inverse(o, b);
    return o.neg(o.mul(o.mul(x, r), r));
  },
});

// ∂y/∂b = x/b as an op when a transform is nested, not the product x·(1/b): differentiated, that
// formed x·(−1/b²), and 1/b² under- or overflows where x/b² does not (0 for −1e-200 at (1e200, 1e200),
// −∞ for −1e300 at (1e-300, 1e-300)). With r = 1/b: ∂/∂x = r, ∂/∂b = −(x·r)·r, ∂²/∂x∂b = −r², ∂²/∂b² =
// 2((x·r)·r)·r. Valued as the top-level product, its structural zero at x = 0 included.
const xlogyRatio = defineBinary({
  name: 'xlogyRatio',
  f: (x, b) => {
    const r = 1 / b;
    return x === 0 || r === 0 ? 0 : x * r + 0;
  },
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

