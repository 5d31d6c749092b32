// y = x[start:end] along one axis. Linear: R{y} is the same slice of R{x}; the adjoint goes back into
// the slice's place, zeros elsewhere (x̄ += pad(ȳ)), and likewise R{x̄}. With a step other than 1,
// x[start:end:step] is a gather (index-map.ts), whose adjoint scatters ȳ back the same way.
import { ArgumentError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Tensor, describeValue, newTensor } from '../node.js';
import { formatShape, normalizeAxis, type Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { gather, stridedMap } from './index-map.js';
import { shown } from '../shown.js';
import { noExtraArguments } from './op-args.js';

interface SliceSpec {
  readonly axis: number;
  readonly start: number;
  readonly end: number;
}

const rule: OpRule = {
  linear: true,
  name: 'slice',
  tangent(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    const s = t.saved.get(i) as SliceSpec;
    const xDot = L.dot(x);
    L.setDot(i, xDot === 0 ? 0 : o.slice(xDot, shapeOf(t, x), s.start, s.end, s.axis));
  },
  backward(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    const s = t.saved.get(i) as SliceSpec;
    const ys = shapeOf(t, i), n = shapeOf(t, x)[s.axis];
    // On the tape's own lanes, into the slice's place of x̄ once x̄ exists: many slices of one tensor
    // (a sequence read step by step) would otherwise each add a full-size padded array.
    const place = (into: Float64Array, v: Float64Array) => addBlock(into, v, ys, s.axis, s.start, n);
    if (L.sweepBar && !(L === t && t.addIntoLane(x, 'bar', L.bar(i), place))) L.addBar(x, o.pad(L.bar(i), ys, s.start, n, s.axis));
    if (L.sweepBarDot && !(L === t && t.addIntoLane(x, 'barDot', L.barDot(i), place))) {
      L.addBarDot(x, o.pad(L.barDot(i), ys, s.start, n, s.axis));
    }
  },
};
const SLICE = registerRule(rule);

/** into += v placed at [start, start + ys[axis]) along `axis` of an axis of length n (v of shape ys). */
function addBlock(into: Float64Array, v: Float64Array, ys: Shape, axis: number, start: number, n: number): void {
  let outer = 1, inner = 1;
  for (let k = 0; k < axis; k++) outer *= ys[k];
  for (let k = axis + 1; k < ys.length; k++) inner *= ys[k];
  const block = ys[axis] * inner;
  for (let p = 0; p < outer; p++) {
    const to = (p * n + start) * inner, from = p * block;
    for (let k = 0; k < block; k++) into[to + k] += v[from + k];
  }
}

/**
 * Elements `start` (inclusive) to `end` (exclusive) along `axis` (default 0), every `step`-th (default
 * 1), as Python's `x[start:end:step]`. Negative `start`/`end` count from the end of the axis; `null`
 * or `undefined` means from the first (or, for a negative step, the last) element and to the end in
 * the step's direction. A negative step walks backwards: `slice(x, null, null, 0, -1)` is x reversed.
 * Unlike Python, an index beyond the axis or a range that runs against the step is an ArgumentError
 * rather than silently clamped (start = end gives an empty slice).
 *
 * @example
 * ```ts
 * slice(x, 0, 3);                // the first three elements
 * m.slice(1, 2, 1);              // the second column of a matrix, kept 2-D
 * slice(x, -2, null);            // the last two
 * slice(x, null, null, 0, 2);    // every other element
 * ```
 */
export function slice(x: Tensor, start: number | null | undefined, end?: number | null, axis = 0, step = 1): Tensor {
  if (arguments.length > 5) noExtraArguments('slice', arguments, 5, 'slice(x, start, end, axis, step)');
  if (!(x instanceof Tensor)) throw new ArgumentError(`slice: expected a tensor, got ${describeValue(x)}`);
  const t = checkLive(x.tape, 'slice');
  const a = normalizeAxis(axis, x.shape, 'slice');
  const n = x.shape[a];
  if (typeof step !== 'number' || !Number.isInteger(step) || step === 0) {
    throw new ArgumentError(`slice: step must be a non-zero integer, got ${shown(step)}`);
  }
  const range = sliceRange(start, end, step, n);
  if (range === null) {
    const range = `[${shown(start)}, ${shown(end)})${step === 1 ? '' : ` by ${step}`}`;
    throw new ArgumentError(`slice: range ${range} is not within axis ${a} of shape ${formatShape(x.shape)}` +
      (step > 0 ? '' : '; with a negative step, start must not be below end'));
  }
  if (step !== 1) {
    const count = Math.max(0, Math.ceil((range.end - range.start) / step));
    return gather(x, stridedMap(x.shape, a, range.start, step, count));
  }
  const spec: SliceSpec = { axis: a, start: range.start, end: range.end };
  const shape = x.shape.map((d, k) => (k === a ? spec.end - spec.start : d));
  const active = t.active[x.id] === 1;
  const y = newTensor(t, SLICE, x.id, NO_INPUT, active, shape, t.o.slice(x.data, x.shape, spec.start, spec.end, a) as Float64Array, null);
  t.saved.set(y.id, spec);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}

/**
 * Python's slice bounds, normalized: start and end as positions along an axis of length n (end may be
 * −1, "before the first", for a negative step), or null when an index is not an integer, lies beyond
 * the axis, or the range runs against the step.
 */
function sliceRange(start: unknown, end: unknown, step: number, n: number): { start: number; end: number } | null {
  const at = (v: unknown, omitted: number, lo: number, hi: number): number | null => {
    if (v === null || v === undefined) return omitted;
    if (typeof v !== 'number' || !Number.isInteger(v)) return null;
    const k = v < 0 ? v + n : v;
    return k >= lo && k <= hi ? k : null;
  };
  if (step > 0) {
    const s = at(start, 0, 0, n), e = at(end, n, 0, n);
    return s === null || e === null || s > e ? null : { start: s, end: e };
  }
  // Backwards: start is an element (or n − 1 … nothing when the axis is empty); end may be −1.
  const s = at(start, n - 1, n === 0 ? -1 : 0, n - 1), e = at(end, -1, -1, n - 1);
  return s === null || e === null || s < e ? null : { start: s, end: e };
}
