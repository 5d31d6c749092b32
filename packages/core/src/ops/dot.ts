// y = Σₖ aₖbₖ for two vectors.
//   R{y} = Σ (R{aₖ} bₖ + aₖ R{bₖ});
//   (āₖ, R{āₖ}) += (ȳ, R{ȳ})·(bₖ, R{bₖ}), and the same with a and b swapped.
import { ShapeError } from '../errors.js';
import { Tensor, newScalar } from '../node.js';
import { formatShape } from '../shape.js';
import { commonTape, registerRule } from '../tape.js';

const DOT = registerRule({
  name: 'dot',
  tangent(t, i) {
    t.dot[i] = tangentOf(t.tensorAt(t.in0[i]), t.tensorAt(t.in1[i]));
  },
  backward(t, i) {
    const a = t.tensorAt(t.in0[i]);
    const b = t.tensorAt(t.in1[i]);
    pullInto(t.active[a.id] === 1, a, b, t.bar[i], t.barDot[i], t.sweepBar, t.sweepBarDot);
    pullInto(t.active[b.id] === 1, b, a, t.bar[i], t.barDot[i], t.sweepBar, t.sweepBarDot);
  },
});

/** (x̄, R{x̄}) += (ȳ, R{ȳ})·(other, R{other}). */
function pullInto(
  active: boolean, x: Tensor, other: Tensor, yBar: number, yBarDot: number, sweepBar: boolean, sweepBarDot: boolean,
): void {
  if (!active) return;
  const o = other.data;
  if (sweepBar && yBar !== 0) {
    const xBar = (x.bar ??= new Float64Array(x.size));
    for (let k = 0; k < o.length; k++) xBar[k] += yBar * o[k];
  }
  const oDot = other.dataDot;
  if (sweepBarDot && (yBarDot !== 0 || (oDot && yBar !== 0))) {
    const xBarDot = (x.barDot ??= new Float64Array(x.size));
    for (let k = 0; k < o.length; k++) xBarDot[k] += yBarDot * o[k] + (oDot ? yBar * oDot[k] : 0);
  }
}

function tangentOf(a: Tensor, b: Tensor): number {
  let s = 0;
  const { data: as, dataDot: aDot } = a;
  const { data: bs, dataDot: bDot } = b;
  for (let k = 0; k < as.length; k++) s += (aDot ? aDot[k] * bs[k] : 0) + (bDot ? as[k] * bDot[k] : 0);
  return s;
}

/** Inner product of two vectors of equal length, a scalar node. @example `dot(a, b)`, `a.dataDot(b)` */
export function dot(a: Tensor, b: Tensor): ReturnType<typeof newScalar> {
  const t = commonTape(a.tape, b.tape, 'dot');
  if (a.shape.length !== 1 || b.shape.length !== 1 || a.size !== b.size) {
    throw new ShapeError(`dot: expected two vectors of equal length, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  let s = 0;
  for (let k = 0; k < a.size; k++) s += a.data[k] * b.data[k];
  const active = t.active[a.id] === 1 || t.active[b.id] === 1;
  const y = newScalar(t, DOT, a.id, b.id, active, s, 0);
  if (active && t.withTangent) t.dot[y.id] = tangentOf(a, b);
  return y;
}
