// y = Σₖ xₖ (all elements → a scalar), or along one axis (→ a tensor).
// Linear: R{y} = Σ R{xₖ};  x̄ₖ += ȳ and R{x̄ₖ} += R{ȳ} (no second-order term).
import { ArgumentError } from '../errors.js';
import { Scalar, Tensor, newScalar, newTensor } from '../node.js';
import { normalizeAxis } from '../shape.js';
import { NO_INPUT, checkLive, registerRule } from '../tape.js';

const SUM_ALL = registerRule({
  name: 'sum',
  tangent(t, i) {
    const x = t.tensorAt(t.in0[i]);
    t.dot[i] = x.dataDot ? total(x.dataDot) : 0;
  },
  backward(t, i) {
    const x = t.tensorAt(t.in0[i]);
    const yBar = t.bar[i];
    const yBarDot = t.barDot[i];
    if (t.sweepBar && yBar !== 0) addConstant((x.bar ??= new Float64Array(x.size)), yBar);
    if (t.sweepBarDot && yBarDot !== 0) addConstant((x.barDot ??= new Float64Array(x.size)), yBarDot);
  },
});

/** x viewed as [outer, n, inner]; y = Σ over the middle index, shape [outer, inner]. */
interface AxisView {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
}

const SUM_AXIS = registerRule({
  name: 'sum',
  tangent(t, i) {
    const y = t.tensorAt(i);
    const x = t.tensorAt(t.in0[i]);
    y.dataDot = x.dataDot ? reduce(x.dataDot, t.saved.get(i) as AxisView) : null;
  },
  backward(t, i) {
    const y = t.tensorAt(i);
    const x = t.tensorAt(t.in0[i]);
    const view = t.saved.get(i) as AxisView;
    if (t.sweepBar && y.bar) spread(y.bar, (x.bar ??= new Float64Array(x.size)), view);
    if (t.sweepBarDot && y.barDot) spread(y.barDot, (x.barDot ??= new Float64Array(x.size)), view);
  },
});

/**
 * Sum of all elements (a scalar node), or along `axis` (a tensor; `keepDims` keeps the axis as 1).
 * @example `sum(x)`, `x.sum()`, `sum(m, 1)` (row sums of a matrix)
 */
export function sum(x: Tensor | Scalar): Scalar;
export function sum(x: Tensor, axis: number, keepDims?: boolean): Tensor;
export function sum(x: Tensor | Scalar, axis?: number, keepDims = false): Scalar | Tensor {
  if (x instanceof Scalar) {
    if (axis !== undefined) throw new ArgumentError('sum: a scalar has no axes');
    return x;
  }
  if (!(x instanceof Tensor)) throw new ArgumentError(`sum: expected a node, got ${typeof x}`);
  const t = checkLive(x.tape, 'sum');
  const active = t.active[x.id] === 1;
  if (axis === undefined) {
    const y = newScalar(t, SUM_ALL, x.id, NO_INPUT, active, total(x.data), 0);
    if (active && t.withTangent && x.dataDot) t.dot[y.id] = total(x.dataDot);
    return y;
  }
  const a = normalizeAxis(axis, x.shape, 'sum');
  const view = axisView(x.shape, a);
  const shape = keepDims ? x.shape.map((d, k) => (k === a ? 1 : d)) : x.shape.filter((_, k) => k !== a);
  const y = newTensor(t, SUM_AXIS, x.id, NO_INPUT, active, shape, reduce(x.data, view), null);
  t.saved.set(y.id, view);
  if (active && t.withTangent && x.dataDot) y.dataDot = reduce(x.dataDot, view);
  return y;
}

export function axisView(shape: readonly number[], axis: number): AxisView {
  let outer = 1;
  let inner = 1;
  for (let k = 0; k < axis; k++) outer *= shape[k];
  for (let k = axis + 1; k < shape.length; k++) inner *= shape[k];
  return { outer, n: shape[axis], inner };
}

function total(xs: Float64Array): number {
  let s = 0;
  for (let k = 0; k < xs.length; k++) s += xs[k];
  return s;
}

function addConstant(target: Float64Array, c: number): void {
  for (let k = 0; k < target.length; k++) target[k] += c;
}

function reduce(xs: Float64Array, { outer, n, inner }: AxisView): Float64Array {
  const ys = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const base = (o * n + j) * inner;
      for (let k = 0; k < inner; k++) ys[o * inner + k] += xs[base + k];
    }
  }
  return ys;
}

function spread(yBar: Float64Array, xBar: Float64Array, { outer, n, inner }: AxisView): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const base = (o * n + j) * inner;
      for (let k = 0; k < inner; k++) xBar[base + k] += yBar[o * inner + k];
    }
  }
}
