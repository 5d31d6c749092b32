// y = x[start:end] along one axis. Linear: R{y} is the same slice of R{x}; the adjoint is scattered
// back into the slice's place (x̄[start:end] += ȳ) and likewise R{x̄}.
import { ArgumentError } from '../errors.js';
import { Tensor, newTensor } from '../node.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { NO_INPUT, checkLive, registerRule } from '../tape.js';
import { copyAlongAxis } from './blocks.js';
import { axisView } from './sum.js';

interface SliceSpec {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
  readonly start: number;
  readonly len: number;
}

const SLICE = registerRule({
  name: 'slice',
  tangent(t, i) {
    const x = t.tensorAt(t.in0[i]);
    t.tensorAt(i).dataDot = x.dataDot ? cut(x.dataDot, t.saved.get(i) as SliceSpec) : null;
  },
  backward(t, i) {
    const y = t.tensorAt(i);
    const x = t.tensorAt(t.in0[i]);
    const s = t.saved.get(i) as SliceSpec;
    if (t.sweepBar && y.bar) copyAlongAxis(y.bar, s.len, 0, (x.bar ??= new Float64Array(x.size)), s.n, s.start, s.len, s.outer, s.inner, true);
    if (t.sweepBarDot && y.barDot) copyAlongAxis(y.barDot, s.len, 0, (x.barDot ??= new Float64Array(x.size)), s.n, s.start, s.len, s.outer, s.inner, true);
  },
});

function cut(xs: Float64Array, s: SliceSpec): Float64Array {
  const ys = new Float64Array(s.outer * s.len * s.inner);
  copyAlongAxis(xs, s.n, s.start, ys, s.len, 0, s.len, s.outer, s.inner, false);
  return ys;
}

/**
 * Elements `start` (inclusive) to `end` (exclusive) along `axis` (default 0).
 * @example `slice(x, 0, 3)` (first three), `m.slice(1, 2, 1)` (second column of a matrix, kept 2-D)
 */
export function slice(x: Tensor, start: number, end: number, axis = 0): Tensor {
  const t = checkLive(x.tape, 'slice');
  const a = normalizeAxis(axis, x.shape, 'slice');
  const n = x.shape[a];
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end) {
    throw new ArgumentError(`slice: range [${start}, ${end}) is not within axis ${a} of shape ${formatShape(x.shape)}`);
  }
  const spec: SliceSpec = { ...axisView(x.shape, a), start, len: end - start };
  const shape = x.shape.map((d, k) => (k === a ? spec.len : d));
  const active = t.active[x.id] === 1;
  const y = newTensor(t, SLICE, x.id, NO_INPUT, active, shape, cut(x.data, spec), null);
  t.saved.set(y.id, spec);
  if (active && t.withTangent && x.dataDot) y.dataDot = cut(x.dataDot, spec);
  return y;
}
