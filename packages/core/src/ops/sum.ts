// y = Σₖ xₖ over all elements (a scalar), or over some axes (a tensor).
// Linear: R{y} is the same sum of R{x}; x̄ += ȳ and R{x̄} += R{ȳ}, spread back over the summed axes.
import type { Algebra, Value } from '../algebra/algebra.js';
import { ArgumentError } from '../errors.js';
import { SCALAR_SHAPE, shapeOf } from '../lanes.js';
import { Scalar, Tensor, describeValue, newScalar, newTensor } from '../node.js';
import { normalizeAxes, type Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { keepDimsArg, keptAxes, noExtraArguments } from './op-args.js';

/** An axis, a list of axes (negative ones count from the end), or nothing (every axis). */
export type Axes = number | readonly number[] | undefined;

const rule: OpRule = {
  linear: true,
  name: 'sum',
  tangent(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    L.setDot(i, total(o, L.dot(x), shapeOf(t, x), shapeOf(t, i), t.saved.get(i) as readonly number[]));
  },
  backward(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    const xs = shapeOf(t, x), ys = shapeOf(t, i);
    const axes = t.saved.get(i) as readonly number[];
    if (L.sweepBar) L.addBar(x, spread(o, L.bar(i), ys, xs, axes));
    if (L.sweepBarDot) L.addBarDot(x, spread(o, L.barDot(i), ys, xs, axes));
  },
};
const SUM = registerRule(rule);

/** The shape with the summed axes kept as 1. */
export function keptShape(shape: Shape, axes: readonly number[]): Shape {
  return shape.map((d, k) => (axes.includes(k) ? 1 : d));
}

/** Σ of x (shape xs) over `axes`, as a value of shape ys (a scalar when ys is a scalar node's). */
export function total(o: Algebra, x: Value, xs: Shape, ys: Shape, axes: readonly number[]): Value {
  if (x === 0) return 0;
  const kept = keptShape(xs, axes);
  const s = o.reshape(o.sumTo(x, xs, kept), kept, ys);
  return ys === SCALAR_SHAPE ? o.demote(s) : s;
}

/** ȳ (shape ys) broadcast back over the summed axes to x's shape xs. */
export function spread(o: Algebra, g: Value, ys: Shape, xs: Shape, axes: readonly number[]): Value {
  if (g === 0) return 0;
  const kept = keptShape(xs, axes);
  const gt = ys === SCALAR_SHAPE ? o.promote(g) : g;
  return o.broadcastTo(o.reshape(gt, ys, kept), kept, xs);
}

/**
 * ⟨a, b⟩ over each line (the elements that `axes` reduce together) of shape xs, repeated over its
 * elements: the projection both Euclidean-norm and log-sum-exp rules are made of. ys is the shape a
 * line's number takes between the two steps (the kept shape, or a scalar node's).
 */
export function alongLines(o: Algebra, a: Value, b: Value, xs: Shape, ys: Shape, axes: readonly number[]): Value {
  if (a === 0 || b === 0) return 0;
  return spread(o, total(o, o.mul(a, b), xs, ys, axes), ys, xs, axes);
}

/**
 * Sum of all elements (a scalar node), or over `axis` — a number or a list of numbers, negative ones
 * counting from the end — as a tensor (`keepDims` keeps each summed axis as 1; with the axis left
 * out, every axis, so the result is a tensor of x's rank with every dimension 1, as NumPy). A sum over
 * no elements is 0.
 *
 * @example
 * ```ts
 * sum(x);               // a scalar
 * m.sum(1);             // row sums of a matrix
 * sum(t, [0, 2], true); // shape [1, n, 1] for t of shape [a, n, b]
 * ```
 */
export function sum(x: Tensor | Scalar, axis?: undefined, keepDims?: false): Scalar;
export function sum(x: Tensor, axis: number | readonly number[] | undefined, keepDims: true): Tensor;
export function sum(x: Tensor, axis: number | readonly number[], keepDims?: boolean): Tensor;
export function sum(x: Tensor | Scalar, axis?: Axes, keepDims = false): Scalar | Tensor {
  if (arguments.length > 3) noExtraArguments('sum', arguments, 3, 'sum(x, axis, keepDims)');
  keepDimsArg(keepDims, 'sum');
  if (x instanceof Scalar) {
    if (axis !== undefined) throw new ArgumentError('sum: a scalar has no axes');
    return x;
  }
  if (!(x instanceof Tensor)) throw new ArgumentError(`sum: expected a node, got ${describeValue(x)}`);
  const t = checkLive(x.tape, 'sum');
  axis = keptAxes(axis, x.shape, keepDims);
  const active = t.active[x.id] === 1;
  if (axis === undefined) {
    const axes = x.shape.map((_, k) => k);
    // The same summation as the rule's (and a compiled replay's): bit-identical results.
    const s = total(t.o, x.data, x.shape, SCALAR_SHAPE, axes) as number;
    const y = newScalar(t, SUM, x.id, NO_INPUT, active, s, 0);
    t.saved.set(y.id, axes);
    if (active && t.withTangent) rule.tangent(t.o, t, y.id);
    return y;
  }
  const axes = normalizeAxes(axis, x.shape, 'sum');
  const kept = keptShape(x.shape, axes);
  const shape = keepDims ? kept : x.shape.filter((_, k) => !axes.includes(k));
  const data = t.o.sumTo(x.data, x.shape, kept) as Float64Array;
  const y = newTensor(t, SUM, x.id, NO_INPUT, active, shape, data === x.data ? data.slice() : data, null);
  t.saved.set(y.id, axes);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}
