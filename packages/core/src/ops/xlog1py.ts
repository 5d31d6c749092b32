// y = x·ln(1 + b), and 0 where x = 0 (for every b but NaN: SciPy's and JAX's xlog1py);
// ∂y/∂x = ln(1 + b);  ∂y/∂b = x/(1 + b);  ∂²y/∂x² = 0;  ∂²y/∂x∂b = 1/(1 + b);  ∂²y/∂b² = −x/(1 + b)².
// ln(1 + b) is Math.log1p, accurate for tiny b where ln(1 + b) would round 1 + b. 1 + b in the
// derivatives costs at most half an ulp of relative accuracy (it is exact for b in [−2, −½], next to
// the pole at b = −1). As for xlogy, the b-derivatives are products with the factor x, so they are
// exactly 0 where x = 0, at b = −1 too.
import type { Algebra, Value } from '../algebra/algebra.js';
import { defineBinary } from '../elementwise/binary.js';
import { defineTimesInverse } from './x-times-inverse.js';
import { log1p } from './log1p.js';
import { reciprocal } from './reciprocal.js';

const inverse = (o: Algebra, b: Value) => o.map(reciprocal, o.add(1, b));

/**
 * x·ln(1 + b), elementwise with broadcasting, and 0 where x = 0 (also at b = −1): SciPy's and JAX's
 * `xlog1py`, accurate for tiny b.
 *
 * @function
 * @example
 * ```ts
 * xlog1py(tensor([0, 3]), tensor([-1, 1e-20])).value; // [0, 3e-20]
 * grad((p: Tensor) => xlog1py(p.at(0), p.at(1)))([2, 1]); // [0.6931, 1] = [ln 2, 2/2]
 * ```
 */
export const xlog1py = defineBinary({
  name: 'xlog1py',
  f: (x, b) => (x === 0 && b === b ? 0 : x * Math.log1p(b)),
  da: (o, _x, b) => o.map(log1p, b),
  db: (o, x, b) => (o.kind === 'nodes' ? o.map2(xlog1pyRatio, x, b) : o.mul(x, inverse(o, b))),
  dab: (o, _x, b) => inverse(o, b),
  dbb: (o, x, b) => {
    const r = inverse(o, b);
    return o.neg(o.mul(o.mul(x, r), r));
  },
});

// ∂y/∂b = x·r as an op when a transform is nested (./x-times-inverse.ts says why).
const xlog1pyRatio = defineTimesInverse('xlog1pyRatio', inverse, (b) => 1 / (1 + b));

