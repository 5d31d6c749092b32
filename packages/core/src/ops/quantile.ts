// y = the q-quantile of x along an axis (or of x flattened), by NumPy's default 'linear' method: with
// the line sorted, s, and position p = q·(n − 1) = i + t (i an integer, 0 ≤ t < 1),
//   y = s_i + t·(s_{i+1} − s_i)        (t < 1/2)
//   y = s_{i+1} − (1 − t)·(s_{i+1} − s_i)   (t ≥ 1/2)
// NumPy's two forms of the interpolation, so a quantile equals the order statistic it lands on and
// rounds as NumPy's does. Built from sort (a gather through the values' order, whose branch a
// compiled replay watches), a gather of the two order statistics and that arithmetic: the derivative
// is (1 − t) on the element at s_i and t on the one at s_{i+1}, every second derivative 0. A line
// holding a NaN has quantile NaN (NumPy): both order statistics are then its last, a NaN.
import { ArgumentError } from '../errors.js';
import { constantTensor, type Scalar, type Tensor } from '../node.js';
import { axisView } from '../algebra/numbers.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { alongAxisMap, gather } from './index-map.js';
import { shown, tensorArg, noExtraArguments } from './op-args.js';
import { reshape } from './reshape.js';
import { sort } from './sort.js';
import { stack } from './stack.js';

/** The q values, checked: each a number in [0, 1]. */
function quantileLevels(q: unknown, opName: string): number[] {
  const list = typeof q === 'number' ? [q] : Array.isArray(q) || ArrayBuffer.isView(q) ? Array.from(q as ArrayLike<unknown>) : null;
  if (list === null) throw new ArgumentError(`${opName}: q must be a number in [0, 1] or a list of them, got ${shown(q)}`);
  for (const v of list) {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new ArgumentError(`${opName}: q must lie in [0, 1] (a quantile, not a percentile: 0.9, not 90), got ${shown(v)}`);
    }
  }
  return list as number[];
}

/** Along `axis` of the sorted s (shape), the order statistic at `positions[line]` of each line, keeping the axis as 1. */
function orderStatistic(s: Tensor, axis: number, positions: Int32Array): Tensor {
  return gather(s, alongAxisMap(positions, s.shape, axis, 1));
}

/** One quantile of each line of x (shape, NaN lines marked), from x sorted along axis: the axis kept as 1. */
function oneQuantile(s: Tensor, axis: number, q: number, nanLine: Uint8Array): Tensor {
  const n = s.shape[axis];
  const p = q * (n - 1);
  const i = Math.floor(p), t = p - i;
  const lo = Int32Array.from(nanLine, (nan) => (nan ? n - 1 : i));
  const below = orderStatistic(s, axis, lo);
  if (t === 0) return below;
  const hi = Int32Array.from(nanLine, (nan) => (nan ? n - 1 : i + 1));
  const above = orderStatistic(s, axis, hi);
  const gap = above.sub(below);
  return t < 0.5 ? below.add(gap.mul(t)) : above.sub(gap.mul(1 - t));
}

/**
 * The q-quantile of x along `axis` (one axis, negative from the end), or of x flattened without one
 * (NumPy's and JAX's `quantile` with the default `'linear'` method): q is a number in [0, 1] or a list
 * of them, and a list adds a leading axis of its length to the result (an empty list, an empty
 * axis). `keepDims` keeps the reduced axis as 1 (every axis when `axis` is left out, as NumPy). The
 * flattened quantile of one q is a scalar.
 *
 * Between two order statistics the value is interpolated linearly (NumPy's formula), and so is the
 * derivative: it goes to the two elements that sort next to the quantile, in proportion, and every
 * second derivative is 0. A line holding a NaN gives NaN. Ties follow {@link sort}'s stable order; in
 * `compile`, values that sort in another order are a branch change. An empty line is an
 * `ArgumentError` (NumPy raises too), and so is a q outside [0, 1].
 *
 * @example
 * ```ts
 * quantile(tensor([1, 2, 3, 4]), 0.5).value;       // 2.5
 * quantile(m, [0.1, 0.9], 1);                       // shape [2, rows]: the 10th and 90th percentiles of each row
 * grad((x: Tensor) => quantile(x, 0.25))(Float64Array.of(4, 1, 3, 2)); // [0, 0.25, 0, 0.75]
 * ```
 */
export function quantile(x: Tensor, q: number, axis?: undefined, keepDims?: false): Scalar;
export function quantile(x: Tensor, q: number | readonly number[], axis?: number, keepDims?: boolean): Tensor;
export function quantile(x: Tensor, q: number | readonly number[], axis?: number, keepDims = false): Scalar | Tensor {
  if (arguments.length > 4) noExtraArguments('quantile', arguments, 4, 'quantile(x, q, axis, keepDims)');
  return quantileOf(x, q, axis, keepDims, 'quantile');
}

/** quantile, checked and named as `opName` (median calls it). */
export function quantileOf(x: Tensor, q: unknown, axis: number | undefined, keepDims: boolean, opName: string): Scalar | Tensor {
  const xt = tensorArg(x, opName);
  const levels = quantileLevels(q, opName);
  if (axis !== undefined && typeof axis !== 'number') {
    throw new ArgumentError(`${opName}: axis must be one axis (a number, negative from the end) or left out for x flattened, got ${shown(axis)} (for several axes, moveAxis them together and reshape first)`);
  }
  if (typeof keepDims !== 'boolean') throw new ArgumentError(`${opName}: keepDims must be true or false, got ${shown(keepDims)}`);
  const flat = axis === undefined;
  const source = flat ? reshape(xt, [xt.size]) : xt;
  const a = flat ? 0 : normalizeAxis(axis, xt.shape, opName);
  const { outer, n, inner } = axisView(source.shape, a);
  if (n === 0) {
    throw new ArgumentError(`${opName}: ${flat ? 'x' : `axis ${a} of x`} (shape ${formatShape(xt.shape)}) is empty; a quantile needs at least one element`);
  }
  // Each quantile keeps the axis as 1; the result drops it (or keeps it, or is a scalar).
  const kept = source.shape.map((d, k) => (k === a ? 1 : d));
  const shape = flat ? (keepDims ? xt.shape.map(() => 1) : []) : keepDims ? kept : kept.filter((_, k) => k !== a);
  // No levels, no quantiles: an empty leading axis (NumPy, JAX), with nothing to differentiate.
  if (levels.length === 0) return constantTensor(xt.tape, new Float64Array(0), [0, ...shape]);
  const s = sort(source, a);
  // NaN sorts last: a line holds one exactly when its last sorted element is NaN.
  const nanLine = new Uint8Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < inner; c++) nanLine[o * inner + c] = Number.isNaN(s.data[(o * n + n - 1) * inner + c]) ? 1 : 0;
  }
  if (typeof q === 'number' && flat && !keepDims) return oneQuantile(s, a, levels[0], nanLine).at(0);
  const each = levels.map((level) => reshape(oneQuantile(s, a, level, nanLine), shape));
  return typeof q === 'number' ? each[0] : stack(each, 0);
}
