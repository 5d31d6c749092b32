// Values with their tangents (R{·}), for backward rules written once over pairs: evaluating the
// adjoint's expression on (value, tangent) pairs gives Ā and R{Ā} together, so the second is the
// derivative of the first by construction (svd, pinv).
import type { Algebra, Value } from '../../algebra/algebra.js';
import type { Shape } from '../../shape.js';
import { stackProduct, swapLast } from './matrices.js';

/** A value and its tangent; 0 is a symbolic zero. */
export interface Pair {
  readonly v: Value;
  readonly d: Value;
}
export const pair = (v: Value, d: Value = 0): Pair => ({ v, d });
export const plus = (o: Algebra, a: Pair, b: Pair): Pair => pair(o.add(a.v, b.v), o.add(a.d, b.d));
export const minus = (o: Algebra, a: Pair, b: Pair): Pair => pair(o.sub(a.v, b.v), o.sub(a.d, b.d));
export const times = (o: Algebra, a: Pair, b: Pair): Pair => pair(o.mul(a.v, b.v), o.add(o.mul(a.d, b.v), o.mul(a.v, b.d)));
/** Each matrix transposed. */
export const swapped = (o: Algebra, a: Pair, s: Shape): Pair => pair(swapLast(o, a.v, s), swapLast(o, a.d, s));
export const spread = (o: Algebra, a: Pair, from: Shape, to: Shape): Pair =>
  pair(a.v === 0 ? 0 : o.broadcastTo(a.v, from, to), a.d === 0 ? 0 : o.broadcastTo(a.d, from, to));
/** op(A)·op(B) matrix by matrix, with the product rule for the tangent. */
export function product(o: Algebra, a: Pair, as: Shape, ta: boolean, b: Pair, bs: Shape, tb: boolean): Pair {
  return pair(
    stackProduct(o, a.v, as, ta, b.v, bs, tb),
    o.add(stackProduct(o, a.d, as, ta, b.v, bs, tb), stackProduct(o, a.v, as, ta, b.d, bs, tb)),
  );
}
