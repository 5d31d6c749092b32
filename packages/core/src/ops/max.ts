// y = max of x over some axes (all by default).
// ∂y/∂xₖ = 1/c where xₖ equals the max and c elements tie for it, 0 elsewhere: the subgradient shared
// evenly, as `maximum` at a tie, so max([a, a]) has derivative 1 along [1, 1]. These weights are
// piecewise constant, so every second derivative is 0:
//   R{y} = Σ w ⊙ R{x};  x̄ += w ⊙ ȳ and R{x̄} += w ⊙ R{ȳ}, ȳ spread over the reduced axes.
// A group holding a NaN has max NaN and NaN weights (NaN propagates to its derivatives).
import type { Algebra, Value } from '../algebra/algebra.js';
import { ArgumentError } from '../errors.js';
import { shapeOf, type Lanes } from '../lanes.js';
import { newScalar, newTensor, type Scalar, type Tensor } from '../node.js';
import { broadcastMap, formatShape, sizeOf, type Shape } from '../shape.js';
import { NO_INPUT, registerRule, type OpRule } from '../tape.js';
import { keptAxes, reducedCount, reducedShape, reductionAxes, tensorArg, keepDimsArg, noExtraArguments } from './op-args.js';
import { keptShape, spread, total, type Axes } from './sum.js';
import { shown } from '../shown.js';

interface Spec {
  readonly axes: readonly number[];
  /** ∂y/∂x, of x's shape. */
  readonly weights: Float64Array;
}

/** max's numbers at x's current values, for a compiled replay: the values and the weights. */
function groupMaxOf(o: Algebra, L: Lanes, i: number): { values: Float64Array; weights: Float64Array } {
  const t = L.tape;
  const x = t.in0[i];
  const xs = shapeOf(t, x);
  return groupMax(o.numbers(L.val(x)) as Float64Array, xs, keptShape(xs, (t.saved.get(i) as Spec).axes));
}

const rule: OpRule = {
  name: 'max',
  // The same group maxima as recording; the weights saved then stay valid while `branch` agrees.
  primal(o, L, i) {
    const { values } = groupMaxOf(o, L, i);
    L.setVal(i, L.tape.isTensor(i) ? values : values[0]);
  },
  // Which elements win each group, and how many tie (the weights ∂y/∂x): another winner, or a tie
  // made or broken, is a branch change for a compiled replay.
  branch: (L, i) => groupMaxOf(L.tape.o, L, i).weights,
  tangent(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    const s = t.saved.get(i) as Spec;
    const xs = shapeOf(t, x);
    const xDot = L.dot(x);
    L.setDot(i, xDot === 0 ? 0 : total(o, o.mul(o.constant(s.weights, xs), xDot), xs, shapeOf(t, i), s.axes));
  },
  backward(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    const s = t.saved.get(i) as Spec;
    const xs = shapeOf(t, x), ys = shapeOf(t, i);
    const back = (g: Value): Value =>
      g === 0 ? 0 : o.mul(o.constant(s.weights, xs), spread(o, g, ys, xs, s.axes));
    if (L.sweepBar) L.addBar(x, back(L.bar(i)));
    if (L.sweepBarDot) L.addBarDot(x, back(L.barDot(i)));
  },
};
const MAX = registerRule(rule);

/**
 * The largest element (a scalar), or the largest along `axis` — a number or a list of numbers,
 * negative ones counting from the end — as a tensor (`keepDims` keeps each reduced axis as 1, every axis when `axis` is left out, as NumPy).
 * Where several elements tie for the max, the derivative is shared evenly among them (as `maximum`); NaN
 * anywhere in a reduction gives NaN. A max over no elements is an ArgumentError.
 *
 * @example
 * ```ts
 * max(x);           // a scalar
 * m.max(1);         // the largest of each row
 * max(t, [0, 1], true);
 * ```
 */
export function max(x: Tensor, axis?: undefined, keepDims?: false): Scalar;
export function max(x: Tensor, axis: number | readonly number[] | undefined, keepDims: true): Tensor;
export function max(x: Tensor, axis: number | readonly number[], keepDims?: boolean): Tensor;
export function max(x: Tensor, axis?: Axes, keepDims = false): Scalar | Tensor {
  if (arguments.length > 3) noExtraArguments('max', arguments, 3, 'max(x, axis, keepDims)');
  return extremum(x, axis, keepDims, 'max');
}

/** max, recorded under `opName` for messages (min calls it on −x). */
export function extremum(x: Tensor, axis: Axes, keepDims: boolean, opName: string): Scalar | Tensor {
  keepDimsArg(keepDims, opName);
  const xt = tensorArg(x, opName);
  axis = keptAxes(axis, xt.shape, keepDims);
  const t = xt.tape;
  const axes = reductionAxes(axis, xt.shape, opName);
  const kept = keptShape(xt.shape, axes);
  if (reducedCount(xt.shape, axes) === 0 && sizeOf(kept) > 0) {
    throw new ArgumentError(`${opName}: axes ${shown(axes)} of shape ${formatShape(xt.shape)} hold no elements; the ${opName} of nothing is undefined`);
  }
  const { values, weights } = groupMax(xt.data, xt.shape, kept);
  const active = t.active[xt.id] === 1;
  const y = axis === undefined
    ? newScalar(t, MAX, xt.id, NO_INPUT, active, values[0], 0)
    : newTensor(t, MAX, xt.id, NO_INPUT, active, reducedShape(xt.shape, axes, keepDims), values, null);
  t.saved.set(y.id, { axes, weights } satisfies Spec);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}

/**
 * The max of each group of x (the elements that reduce to one element of `kept`, x's shape with the
 * reduced axes as 1), and the weights ∂max/∂x: 1/c on the c elements that tie for a max, NaN over a
 * group holding a NaN.
 */
export function groupMax(xs: Float64Array, shape: Shape, kept: Shape): { values: Float64Array; weights: Float64Array } {
  const map = broadcastMap(kept, shape);
  const size = sizeOf(kept);
  const values = new Float64Array(size).fill(-Infinity);
  const hasNaN = new Uint8Array(size);
  for (let e = 0; e < xs.length; e++) {
    const g = map === null ? e : map[e];
    const v = xs[e];
    if (v !== v) hasNaN[g] = 1;
    // +0 beats −0, as in maximum and JAX (NumPy keeps whichever comes first).
    else if (v > values[g] || (v === 0 && values[g] === 0 && 1 / v > 0)) values[g] = v;
  }
  const ties = new Float64Array(size);
  for (let g = 0; g < size; g++) if (hasNaN[g]) values[g] = NaN;
  for (let e = 0; e < xs.length; e++) {
    const g = map === null ? e : map[e];
    if (xs[e] === values[g]) ties[g]++;
  }
  const weights = new Float64Array(xs.length);
  for (let e = 0; e < xs.length; e++) {
    const g = map === null ? e : map[e];
    weights[e] = hasNaN[g] ? NaN : xs[e] === values[g] ? 1 / ties[g] : 0;
  }
  return { values, weights };
}
