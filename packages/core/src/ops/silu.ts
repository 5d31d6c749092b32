// y = x·σ(x) (SiLU, swish);  dy/dx = σ(x)(1 + x·σ(−x));  d²y/dx² = σ(x)σ(−x)(2 + x(σ(−x) − σ(x))).
// σ(−x) stands for 1 − σ(x) throughout: it does not cancel for large x. In the left tail σ(x)
// underflows to 0 and y to −0 (silu(−∞) = −0, not −∞·0); every derivative term carries a factor σ(x)
// or σ(−x), so none is 0·∞ for finite x.
import { defineUnary } from '../elementwise/unary.js';
import { sigmoid, stableSigmoid } from './sigmoid.js';

/**
 * Sigmoid linear unit (swish) x·σ(x), elementwise, stable in both tails.
 *
 * @function
 * @example
 * ```ts
 * grad((x: Scalar) => silu(x))(0); // 0.5
 * ```
 */
export const silu = defineUnary({
  name: 'silu',
  f: (x) => {
    const s = stableSigmoid(x);
    return s === 0 ? -0 : x * s;
  },
  df: (o, x) => o.mul(o.map(sigmoid, x), o.add(1, o.mul(x, o.map(sigmoid, o.neg(x))))),
  d2f: (o, x) => {
    const s = o.map(sigmoid, x), sNeg = o.map(sigmoid, o.neg(x));
    return o.mul(o.mul(s, sNeg), o.add(2, o.mul(x, o.sub(sNeg, s))));
  },
});
