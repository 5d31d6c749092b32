// y = x[i], one element of a tensor as a scalar node.
// R{y} = R{x}[i]; x̄[i] += ȳ; R{x̄}[i] += R{ȳ}.
import { ArgumentError } from '../errors.js';
import { Tensor, newScalar, type Scalar } from '../node.js';
import { formatShape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule } from '../tape.js';

const AT = registerRule({
  name: 'at',
  tangent(t, i) {
    const x = t.tensorAt(t.in0[i]);
    t.dot[i] = x.dataDot ? x.dataDot[t.aux[i]] : 0;
  },
  backward(t, i) {
    const x = t.tensorAt(t.in0[i]);
    const k = t.aux[i];
    if (t.sweepBar && t.bar[i] !== 0) (x.bar ??= new Float64Array(x.size))[k] += t.bar[i];
    if (t.sweepBarDot && t.barDot[i] !== 0) (x.barDot ??= new Float64Array(x.size))[k] += t.barDot[i];
  },
});

/**
 * One element as a scalar node: a flat row-major index, or one index per dimension.
 * @example `at(x, 0)`, `x.at(2)`, `W.at([1, 0])`
 */
export function at(x: Tensor, index: number | readonly number[]): Scalar {
  const t = checkLive(x.tape, 'at');
  const k = flatIndex(x, index);
  const active = t.active[x.id] === 1;
  const y = newScalar(t, AT, x.id, NO_INPUT, active, x.data[k], active && t.withTangent && x.dataDot ? x.dataDot[k] : 0);
  t.aux[y.id] = k;
  return y;
}

function flatIndex(x: Tensor, index: number | readonly number[]): number {
  const fail = () => new ArgumentError(`at: index ${JSON.stringify(index)} is out of bounds for shape ${formatShape(x.shape)}`);
  if (typeof index === 'number') {
    if (!Number.isInteger(index) || index < 0 || index >= x.size) throw fail();
    return index;
  }
  if (index.length !== x.shape.length) throw fail();
  let k = 0;
  for (let d = 0; d < index.length; d++) {
    const j = index[d];
    if (!Number.isInteger(j) || j < 0 || j >= x.shape[d]) throw fail();
    k = k * x.shape[d] + j;
  }
  return k;
}
