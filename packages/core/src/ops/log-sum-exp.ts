// y = ln Σₖ e^(xₖ), computed as m + ln Σₖ e^(xₖ − m) with m = max x, so no exponential overflows.
// m is a constant (its derivative cancels exactly), so the rules are those of sub, exp, sum, log and
// add: ∂y/∂xₖ = softmax(x)ₖ and the second-order terms come with them.
import { Scalar, Tensor, constantTensor } from '../node.js';
import { normalizeAxis } from '../shape.js';
import { checkLive } from '../tape.js';
import { add } from './add.js';
import { exp } from './exp.js';
import { log } from './log.js';
import { reshape } from './reshape.js';
import { sub } from './sub.js';
import { axisView, sum } from './sum.js';

/**
 * Stable log-sum-exp of all elements (a scalar), or along `axis` (a tensor; `keepDims` keeps it as 1).
 * @example `logSumExp(logits)`, `logits.logSumExp(1)` (per row)
 */
export function logSumExp(x: Tensor): Scalar;
export function logSumExp(x: Tensor, axis: number, keepDims?: boolean): Tensor;
export function logSumExp(x: Tensor, axis?: number, keepDims = false): Scalar | Tensor {
  checkLive(x.tape, 'logSumExp');
  if (axis === undefined) {
    const m = finiteMax(x.data, 0, x.size, 1);
    return add(log(sum(exp(sub(x, m)))), m);
  }
  const a = normalizeAxis(axis, x.shape, 'logSumExp');
  const { outer, n, inner } = axisView(x.shape, a);
  const maxima = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) maxima[o * inner + k] = finiteMax(x.data, o * n * inner + k, n, inner);
  }
  const keptShape = x.shape.map((d, k) => (k === a ? 1 : d));
  const m = constantTensor(x.tape, maxima, keptShape);
  const y = add(log(sum(exp(sub(x, m)), a, true)), m);
  return keepDims ? y : reshape(y, x.shape.filter((_, k) => k !== a));
}

/** The largest of n strided values, or 0 if none is finite (then the shift changes nothing). */
function finiteMax(xs: Float64Array, start: number, n: number, stride: number): number {
  let m = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = xs[start + j * stride];
    if (v > m) m = v;
  }
  return Number.isFinite(m) ? m : 0;
}
