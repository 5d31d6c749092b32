// y = x·σ(x) (SiLU, swish);  dy/dx = σ(x)(1 + x·σ(−x));  d²y/dx² = σ(x)σ(−x)(2 + x(σ(−x) − σ(x))).
// σ(−x) stands for 1 − σ(x) throughout: it does not cancel for large x. In the left tail σ(x)
// underflows to 0 and y to −0 (silu(−∞) = −0, not −∞·0); every derivative term carries a factor σ(x)
// or σ(−x), so none is 0·∞ for finite x.
import { defineUnary } from '../elementwise/unary.js';
import type { Algebra, Value } from '../algebra/algebra.js';
import { sigmoid, sigmoidSlope, sigmoidSpread, stableSigmoid } from './sigmoid.js';

/** silu′ = σ(x)(1 + x·σ(−x)) at the level of o. */
const siluSlopeIn = (o: Algebra, x: Value): Value => o.mul(o.map(sigmoid, x), o.add(1, o.mul(x, o.map(sigmoid, o.neg(x)))));

// silu′(x) = σ(x)(1 + x·σ(−x)) as an op of its own, for nested transforms; with σ′ = sigmoidSlope and
// s = sigmoidSpread = 1 − 2σ:  silu″ = σ′(2 + x·s);  silu‴ = σ′(3s + x(s² − 2σ′)), whose two terms
// have one sign near 0 (−3x/2 and −x/2 there). Its value is the top-level product. Not exported.
const siluSlope = defineUnary({
  name: 'siluSlope',
  f: (x) => stableSigmoid(x) * (1 + x * stableSigmoid(-x)),
  df: (o, x) => o.mul(o.map(sigmoidSlope, x), o.add(2, o.mul(x, o.map(sigmoidSpread, x)))),
  d2f: (o, x) => {
    const s = o.map(sigmoidSpread, x);
    return o.mul(o.map(sigmoidSlope, x), o.add(o.mul(3, s), o.mul(x, o.sub(o.mul(s, s), o.mul(2, o.map(sigmoidSlope, x))))));
  },
});

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
  // When nested, the op siluSlope: the product rule would cancel near 0 in silu‴ (8e-8 off at 1e-9).
  df: (o, x) => (o.kind === 'nodes' ? o.map(siluSlope, x) : siluSlopeIn(o, x)),
  d2f: (o, x) => {
    // When nested, σ′ is the op sigmoidSlope and σ(−x) − σ(x) the op sigmoidSpread (−tanh(x/2)): the
    // product rule and the difference would cancel near 0 in silu‴. At top level the difference is
    // harmless (x times it is added to 2), so it is formed from the two sigmoids, one exp each.
    if (o.kind === 'nodes') return o.mul(o.map(sigmoidSlope, x), o.add(2, o.mul(x, o.map(sigmoidSpread, x))));
    const s = o.map(sigmoid, x), sNeg = o.map(sigmoid, o.neg(x));
    return o.mul(o.mul(s, sNeg), o.add(2, o.mul(x, o.sub(sNeg, s))));
  },
});
