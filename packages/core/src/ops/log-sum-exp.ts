// y = ln Σₖ e^(xₖ), computed as m + ℓ, ℓ = ln Σₖ e^(xₖ − m) with m = max x, so no exponential
// overflows. m is a constant (its derivative cancels exactly), so the rules are those of sub, exp,
// sum, log and add: ∂y/∂xₖ = softmax(x)ₖ and the second-order terms come with them. logSoftmax and
// softmax take x − m and ℓ from shiftedLogSumExp and never form m + ℓ (see there).
import { ArgumentError } from '../errors.js';
import { Scalar, Tensor, describeValue } from '../node.js';
import { detached } from './detached.js';
import { normalizeAxes } from '../shape.js';
import { checkLive } from '../tape.js';
import { add } from './add.js';
import { exp } from './exp.js';
import { log } from './log.js';
import { reshape } from './reshape.js';
import { sub } from './sub.js';
import { keptShape, sum, type Axes } from './sum.js';
import { keepDimsArg, keptAxes, noExtraArguments } from './op-args.js';

/**
 * Stable log-sum-exp of all elements (a scalar), or over `axis` — a number or a list of numbers,
 * negative ones counting from the end — as a tensor (`keepDims` keeps each reduced axis as 1, every
 * axis when `axis` is left out, as NumPy).
 *
 * @example
 * ```ts
 * logSumExp(logits);          // a scalar
 * logits.logSumExp(1);        // per row
 * logSumExp(t, [0, 2], true);
 * ```
 */
export function logSumExp(x: Tensor, axis?: undefined, keepDims?: false): Scalar;
export function logSumExp(x: Tensor, axis: number | readonly number[] | undefined, keepDims: true): Tensor;
export function logSumExp(x: Tensor, axis: number | readonly number[], keepDims?: boolean): Tensor;
export function logSumExp(x: Tensor, axis?: Axes, keepDims = false): Scalar | Tensor {
  noExtraArguments('logSumExp', arguments, 3, 'logSumExp(x, axis, keepDims)');
  keepDimsArg(keepDims, 'logSumExp');
  if (!(x instanceof Tensor)) throw new ArgumentError(`logSumExp: expected a tensor, got ${describeValue(x)}`);
  checkLive(x.tape, 'logSumExp');
  axis = keptAxes(axis, x.shape, keepDims);
  if (axis === undefined) {
    // The shift tracks x (recomputed when a compiled program replays) but carries no derivative.
    const m = detached(x, (v) => finiteMax(v as Float64Array), null);
    return add(log(sum(exp(sub(x, m)))), m);
  }
  const { axes, shifted, shift, lse } = shiftedLogSumExp(x, axis);
  const y = add(lse, shift);
  return keepDims ? y : reshape(y, x.shape.filter((_, k) => !axes.includes(k)));
}

/**
 * The parts of logSumExp over `axis`: x − m, ℓ = ln Σ e^(x − m) and the shift m = max x (a constant;
 * 0 where the max is not finite), the reduced axes kept as 1. logSoftmax is (x − m) − ℓ, not
 * x − (m + ℓ): m + ℓ rounds at the precision of m, which at logits of 1e8 is 1e-8 and at 1e17 is all
 * of ℓ, while x − m is exact wherever the logits are close (Sterbenz). @internal
 */
export function shiftedLogSumExp(
  x: Tensor, axis: number | readonly number[], opName = 'logSumExp',
): { axes: number[]; shifted: Tensor; shift: Tensor; lse: Tensor } {
  checkLive(x.tape, opName);
  const axes = normalizeAxes(axis, x.shape, opName);
  const kept = keptShape(x.shape, axes);
  // The shift tracks x (recomputed when a compiled program replays) but carries no derivative.
  const shift = detached(x, (v) => reduceMax(v as Float64Array, x.shape, kept).map((u) => (Number.isFinite(u) ? u : 0)), kept) as Tensor;
  const shifted = sub(x, shift) as Tensor;
  return { axes, shifted, shift, lse: log(sum(exp(shifted), axes, true)) };
}

/** The largest value, or 0 if none is finite (then the shift changes nothing). */
function finiteMax(xs: Float64Array): number {
  let m = -Infinity;
  for (let k = 0; k < xs.length; k++) if (xs[k] > m) m = xs[k];
  return Number.isFinite(m) ? m : 0;
}

/** Max over the dimensions where `kept` is 1, as an array of kept's size. */
function reduceMax(xs: Float64Array, shape: readonly number[], kept: readonly number[]): Float64Array {
  const size = kept.reduce((p, d) => p * d, 1);
  const out = new Float64Array(size).fill(-Infinity);
  // Odometer over x, tracking the index into the kept shape.
  const rank = shape.length;
  const strides = new Array<number>(rank);
  let s = 1;
  for (let k = rank - 1; k >= 0; k--) {
    strides[k] = kept[k] === 1 ? 0 : s;
    s *= kept[k];
  }
  const counter = new Array<number>(rank).fill(0);
  let j = 0;
  for (let e = 0; e < xs.length; e++) {
    if (xs[e] > out[j]) out[j] = xs[e];
    for (let k = rank - 1; k >= 0; k--) {
      counter[k]++;
      j += strides[k];
      if (counter[k] < shape[k]) break;
      j -= strides[k] * counter[k];
      counter[k] = 0;
    }
  }
  return out;
}
