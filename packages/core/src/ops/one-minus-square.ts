// y = 1 − x², an internal op of the rules of asin, acos and atanh: valued (1 − x)(1 + x), exact to a
// rounding near |x| = 1 where 1 − x·x has lost the digits of a small 1 − x²; dy/dx = −2x, d²y/dx² = −2.
// As an op of its own rather than the expression (1 − x)(1 + x), whose derivative nested transforms
// would form as (1 − x) − (1 + x): that cancels near 0 (0 at x = 1e-300, 5e-10 off at 1e-8) where
// −2x is exact. Not exported.
import { defineUnary } from '../elementwise/unary.js';

export const oneMinusSquare = defineUnary({
  name: 'oneMinusSquare',
  f: (x) => (1 - x) * (1 + x),
  df: (o, x) => o.mul(-2, x),
  d2f: () => -2,
});
