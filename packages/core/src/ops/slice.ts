// y = x[start:end] along one axis. Linear: R{y} is the same slice of R{x}; the adjoint goes back into
// the slice's place, zeros elsewhere (x̄ += pad(ȳ)), and likewise R{x̄}.
import { ArgumentError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Tensor, describeValue, newTensor } from '../node.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';

interface SliceSpec {
  readonly axis: number;
  readonly start: number;
  readonly end: number;
}

const rule: OpRule = {
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
    if (L.sweepBar) L.addBar(x, o.pad(L.bar(i), ys, s.start, n, s.axis));
    if (L.sweepBarDot) L.addBarDot(x, o.pad(L.barDot(i), ys, s.start, n, s.axis));
  },
};
const SLICE = registerRule(rule);

/**
 * Elements `start` (inclusive) to `end` (exclusive) along `axis` (default 0).
 * @example `slice(x, 0, 3)` (first three), `m.slice(1, 2, 1)` (second column of a matrix, kept 2-D)
 */
export function slice(x: Tensor, start: number, end: number, axis = 0): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`slice: expected a tensor, got ${describeValue(x)}`);
  const t = checkLive(x.tape, 'slice');
  const a = normalizeAxis(axis, x.shape, 'slice');
  const n = x.shape[a];
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end) {
    throw new ArgumentError(`slice: range [${start}, ${end}) is not within axis ${a} of shape ${formatShape(x.shape)}`);
  }
  const spec: SliceSpec = { axis: a, start, end };
  const shape = x.shape.map((d, k) => (k === a ? end - start : d));
  const active = t.active[x.id] === 1;
  const y = newTensor(t, SLICE, x.id, NO_INPUT, active, shape, t.o.slice(x.data, x.shape, start, end, a) as Float64Array, null);
  t.saved.set(y.id, spec);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}
