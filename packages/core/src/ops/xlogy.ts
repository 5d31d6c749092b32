// y = x·ln b, and 0 where x = 0 (for every b but NaN, b = 0 and b < 0 included: SciPy's and JAX's
// xlogy, the convention that makes 0·ln 0 = 0 in entropies);
// ∂y/∂x = ln b;  ∂y/∂b = x/b;  ∂²y/∂x² = 0;  ∂²y/∂x∂b = 1/b;  ∂²y/∂b² = −x/b².
// Where x = 0, y is 0 for every b, so ∂y/∂b and ∂²y/∂b² are exactly 0 there: x/b and −x/b² are
// formed as products with the factor x, and the algebra's structural zero makes 0·(1/0) = 0 (JAX's
// x/b gives NaN at x = b = 0). ∂y/∂x = ln b is −∞ at b = 0 (y = x·(−∞) for x ≠ 0), as in JAX.
// The value is one product of x with the correctly rounded Math.log: no cancellation to guard.
import type { Algebra, Value } from '../algebra/algebra.js';
import { defineBinary } from '../elementwise/binary.js';
import { defineTimesInverse } from './x-times-inverse.js';
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

// ∂y/∂b = x·r as an op when a transform is nested (./x-times-inverse.ts says why).
const xlogyRatio = defineTimesInverse('xlogyRatio', inverse, (b) => 1 / b);

