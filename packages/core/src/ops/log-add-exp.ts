// y = ln(eᵃ + eᵇ), evaluated as max(a, b) + log1p(e^(−|a − b|)): no overflow, exact when one term
// dominates. ∂y/∂a = σ(a − b), ∂y/∂b = σ(b − a) (the softmax weights of the two);
// ∂²y/∂a² = ∂²y/∂b² = σ(a − b)σ(b − a) = −∂²y/∂a∂b.
// a = b (±∞ included) gives a + ln 2, so logAddExp(−∞, −∞) = −∞ as NumPy; there the partials are
// σ(NaN) = NaN for infinite a = b (the two infinities leave the split undefined), ½ for finite ones.
import type { Algebra, Value } from '../algebra/algebra.js';
import { defineBinary } from '../elementwise/binary.js';
import { sigmoid, sigmoidSlope } from './sigmoid.js';

/**
 * σ(a − b)·σ(b − a), each factor stable on its own; when nested the op sigmoidSlope(a − b), whose
 * derivative σ′·(1 − 2σ) the product rule would form as a difference that cancels near a = b.
 */
function curvature(o: Algebra, a: Value, b: Value): Value {
  const d = o.sub(a, b);
  if (o.kind === 'nodes') return o.map(sigmoidSlope, d);
  return o.mul(o.map(sigmoid, d), o.map(sigmoid, o.neg(d)));
}

/**
 * ln(eᵃ + eᵇ), elementwise with broadcasting, without overflow.
 *
 * @function
 * @example
 * ```ts
 * grad((p: Tensor) => logAddExp(p.at(0), p.at(1)))([1000, 1000]); // [0.5, 0.5]; the value is 1000 + ln 2
 * ```
 */
export const logAddExp = defineBinary({
  name: 'logAddExp',
  f: (a, b) => {
    if (a === b) return a + Math.LN2;
    return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
  },
  da: (o, a, b) => o.map(sigmoid, o.sub(a, b)),
  db: (o, a, b) => o.map(sigmoid, o.sub(b, a)),
  daa: curvature,
  dab: (o, a, b) => o.neg(curvature(o, a, b)),
  dbb: curvature,
});
