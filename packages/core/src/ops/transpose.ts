// y = xᵀ for a matrix. Linear and a permutation: R{y} = R{x}ᵀ, x̄ += ȳᵀ, R{x̄} += R{ȳ}ᵀ.
import { ShapeError } from '../errors.js';
import { transposeInto } from '../kernels/gemm.js';
import { Tensor, newTensor } from '../node.js';
import { formatShape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule } from '../tape.js';
import { addInto } from './blocks.js';

const TRANSPOSE = registerRule({
  name: 'transpose',
  tangent(t, i) {
    const y = t.tensorAt(i);
    const x = t.tensorAt(t.in0[i]);
    y.dataDot = x.dataDot ? transposed(x.dataDot, x.shape[0], x.shape[1]) : null;
  },
  backward(t, i) {
    const y = t.tensorAt(i);
    const x = t.tensorAt(t.in0[i]);
    const [rows, cols] = x.shape;
    if (t.sweepBar && y.bar) addInto((x.bar ??= new Float64Array(x.size)), transposed(y.bar, cols, rows));
    if (t.sweepBarDot && y.barDot) addInto((x.barDot ??= new Float64Array(x.size)), transposed(y.barDot, cols, rows));
  },
});

function transposed(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(a.length);
  transposeInto(a, rows, cols, out);
  return out;
}

/** Matrix transpose (a vector or 0-d tensor is returned as is). @example `transpose(W)`, `W.transpose()` */
export function transpose(x: Tensor): Tensor {
  const t = checkLive(x.tape, 'transpose');
  if (x.shape.length < 2) return x;
  if (x.shape.length > 2) throw new ShapeError(`transpose: expected a matrix, got shape ${formatShape(x.shape)}`);
  const [rows, cols] = x.shape;
  const active = t.active[x.id] === 1;
  const y = newTensor(t, TRANSPOSE, x.id, NO_INPUT, active, [cols, rows], transposed(x.data, rows, cols), null);
  if (active && t.withTangent && x.dataDot) y.dataDot = transposed(x.dataDot, rows, cols);
  return y;
}
