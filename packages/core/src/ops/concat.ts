// y = [x₁, x₂, …] joined along one axis. Linear: R{y} joins the R{xᵢ}; each x̄ᵢ (and R{x̄ᵢ}) takes back
// its own block of ȳ (and R{ȳ}).
import { ArgumentError, ShapeError } from '../errors.js';
import { Tensor, newTensor } from '../node.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { NO_INPUT, commonTape, registerRule, type Tape } from '../tape.js';
import { copyAlongAxis } from './blocks.js';
import { axisView } from './sum.js';

interface ConcatSpec {
  readonly inputs: readonly number[];
  readonly outer: number;
  readonly inner: number;
  /** Axis length of each input, and of the output. */
  readonly lengths: readonly number[];
  readonly total: number;
}

const CONCAT = registerRule({
  name: 'concat',
  tangent(t, i) {
    const s = t.saved.get(i) as ConcatSpec;
    const parts = s.inputs.map((id) => t.tensorAt(id));
    t.tensorAt(i).dataDot = parts.some((p) => p.dataDot) ? join(parts.map((p) => p.dataDot), s) : null;
  },
  backward(t, i) {
    const y = t.tensorAt(i);
    const s = t.saved.get(i) as ConcatSpec;
    let at = 0;
    s.inputs.forEach((id, j) => {
      const x = t.tensorAt(id);
      const len = s.lengths[j];
      if (t.active[id] === 1) {
        if (t.sweepBar && y.bar) copyAlongAxis(y.bar, s.total, at, (x.bar ??= new Float64Array(x.size)), len, 0, len, s.outer, s.inner, true);
        if (t.sweepBarDot && y.barDot) copyAlongAxis(y.barDot, s.total, at, (x.barDot ??= new Float64Array(x.size)), len, 0, len, s.outer, s.inner, true);
      }
      at += len;
    });
  },
});

function join(parts: ReadonlyArray<Float64Array | null>, s: ConcatSpec): Float64Array {
  const ys = new Float64Array(s.outer * s.total * s.inner);
  let at = 0;
  parts.forEach((p, j) => {
    if (p) copyAlongAxis(p, s.lengths[j], 0, ys, s.total, at, s.lengths[j], s.outer, s.inner, false);
    at += s.lengths[j];
  });
  return ys;
}

/**
 * Joins tensors along an existing axis (default 0); all other dimensions must agree.
 * @example `concat([a, b])`, `concat([m1, m2], 1)`
 */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ArgumentError('concat: needs at least one tensor');
  let t: Tape = xs[0].tape;
  for (const x of xs) t = commonTape(t, x.tape, 'concat');
  const first = xs[0].shape;
  const a = normalizeAxis(axis, first, 'concat');
  for (const x of xs) {
    if (x.shape.length !== first.length || x.shape.some((d, k) => k !== a && d !== first[k])) {
      throw new ShapeError(`concat: shapes ${formatShape(first)} and ${formatShape(x.shape)} differ outside axis ${a}`);
    }
  }
  const { outer, inner } = axisView(first, a);
  const lengths = xs.map((x) => x.shape[a]);
  const total = lengths.reduce((p, d) => p + d, 0);
  const spec: ConcatSpec = { inputs: xs.map((x) => x.id), outer, inner, lengths, total };
  const active = xs.some((x) => t.active[x.id] === 1);
  const shape = first.map((d, k) => (k === a ? total : d));
  const y = newTensor(t, CONCAT, xs[0].id, NO_INPUT, active, shape, join(xs.map((x) => x.data), spec), null);
  t.saved.set(y.id, spec);
  if (active && t.withTangent && xs.some((x) => x.dataDot)) y.dataDot = join(xs.map((x) => x.dataDot), spec);
  return y;
}
