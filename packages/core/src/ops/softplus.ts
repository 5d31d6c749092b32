// y = ln(1 + eˣ);  dy/dx = σ(x);  d²y/dx² = σ(x)(1 − σ(x)).
// Evaluated as max(x, 0) + ln(1 + e^(−|x|)): exact at large |x|, where ln(1 + eˣ) would overflow.
import { defineUnary } from '../elementwise/unary.js';
import { sigmoid } from './sigmoid.js';

/** softplus(x) = ln(1 + eˣ), elementwise, stable for large |x|. @example `softplus(x)` or `x.softplus()` */
export const softplus = defineUnary({
  name: 'softplus',
  f: (x) => (x !== x ? x : Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))),
  df: (o, x) => o.map(sigmoid, x),
  // σ(x)·σ(−x), not s(1 − s): for large x, 1 − s cancels to rounding error.
  d2f: (o, x, _y, dy) => o.mul(dy, o.map(sigmoid, o.neg(x))),
});
