// y = ln Σₖ e^(xₖ), computed as m + ℓ, ℓ = ln Σₖ e^(xₖ − m) with m = max x, so no exponential
// overflows. m is a constant (its derivative cancels exactly), so the rules are those of sub, add and
// ℓ's op (log-sum-exp-lines.ts): ∂y/∂xₖ = softmax(x)ₖ, and R{x̄} is formed from ẋ − ẏ centred on the
// line's largest element, which keeps it exact where one element dominates. logSoftmax and softmax
// take x − m from shiftedLogSumExp and never form m + ℓ (see there).
//
// Infinite inputs (docs/conventions.md, "Reductions"): the value and every derivative are the limits
// where those exist, NaN where they depend on how the point is approached. A line (the elements that
// reduce to one result) is
// - regular: some element finite, none +∞ or NaN (−∞ elements have weight e^(−∞) = 0 and derivative
//   0), or empty (ln 0 = −∞). The form above.
// - holding NaN: NaN, with NaN derivatives for every element of the line (as max), −∞ ones included.
// - one +∞ at xᵢ: y = xᵢ + ln(1 + Σₖ≠ᵢ e^(xₖ − xᵢ)), and the second term and all its derivatives tend
//   to 0: y is xᵢ itself (∇y = eᵢ, softmax eᵢ, every higher derivative 0), logSoftmaxₖ = xₖ − xᵢ
//   (−∞, derivative eₖ − eᵢ) and logSoftmaxᵢ = 0 (derivatives 0).
// - one element, −∞: y = x there as everywhere (softmax 1, logSoftmax 0), taken as the case above.
// - undetermined: two +∞ or more, or every element −∞ of two or more. y is ±∞, but its derivatives softmax(x) and up
//   depend on the path: NaN in the elements it could come from (the +∞ ones; all of them when all are
//   −∞) and, for softmax, in them only: an element of a line with +∞ in it has softmax 0 and
//   derivatives 0, so y is an op with value u and every derivative NaN applied to u = Σ of those
//   elements. logAddExp's partials at a = b = ±∞ are NaN for the same reason.
// Lines are classified when f is recorded; a compiled replay where one is classed otherwise (or its
// +∞ moves) is a branch change (the shift's `branch`).
import { ArgumentError } from '../errors.js';
import { Scalar, Tensor, describeValue } from '../node.js';
import { detached } from './detached.js';
import { normalizeAxes } from '../shape.js';
import { checkLive } from '../tape.js';
import { defineUnary, type UnaryOp } from '../elementwise/unary.js';
import { broadcastMap, type Shape } from '../shape.js';
import { add } from './add.js';
import { SCALAR_SHAPE } from '../lanes.js';
import { logSumExpLines } from './log-sum-exp-lines.js';
import { reshape } from './reshape.js';
import { sub } from './sub.js';
import { keptShape, sum, type Axes } from './sum.js';
import { where } from './where.js';
import { keepDimsArg, keptAxes, noExtraArguments } from './op-args.js';

/**
 * Stable log-sum-exp of all elements (a scalar), or over `axis` — a number or a list of numbers,
 * negative ones counting from the end — as a tensor (`keepDims` keeps each reduced axis as 1, every
 * axis when `axis` is left out, as NumPy). At ±∞ the value and derivatives are the limits where they
 * exist (one +∞: ∞ with gradient 1 there, 0 elsewhere), NaN where they do not (two +∞, all −∞).
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
  if (axis === undefined && limitCodes(x.data, x.shape, x.shape.map(() => 1)) === null) {
    // The shift tracks x (recomputed when a compiled program replays) but carries no derivative.
    const all = x.shape.map(() => 1);
    const m = detached(x, (v) => finiteMax(v as Float64Array), null, (v) => limitCodes(v as Float64Array, x.shape, all) ?? 0);
    return add(logSumExpLines(sub(x, m) as Tensor, all.map((_, k) => k), SCALAR_SHAPE), m);
  }
  // Every axis when none is given: one line, a kept tensor of one element, summed to a scalar.
  const { axes, shifted, shift, limit } = shiftedLogSumExp(x, axis === undefined ? x.shape.map((_, k) => k) : axis);
  const lse = logSumExpLines(shifted, axes, keptShape(x.shape, axes)) as Tensor;
  const y = limit === null ? add(lse, shift) as Tensor : where(limit.line, limit.lse, add(lse, shift));
  if (axis === undefined) return sum(y);
  return keepDims ? y : reshape(y, x.shape.filter((_, k) => !axes.includes(k)));
}

/** The limits at the lines of x that hold +∞ or are all −∞ (see the top of this file). @internal */
export interface Limits {
  /** 1 at the lines that hold +∞ or are all −∞, 0 at the regular ones (the kept shape). */
  readonly line: Tensor;
  /** 1 at the elements of those lines (x's shape). */
  readonly element: Tensor;
  /** 1 at the element of a line with exactly one +∞ (x's shape): its logSoftmax is 0. */
  readonly single: Tensor;
  /** logSumExp at those lines: ±∞ with the limits of its derivatives (the kept shape). */
  readonly lse: Tensor;
}

/**
 * The parts of logSumExp over `axis`: x − m and the shift m = max x (a constant; 0 where the max is
 * not finite), the reduced axes kept as 1; ℓ = ln Σ e^(x − m) is logSumExpLines of x − m (or, for
 * logSoftmax, logSoftmaxLines is (x − m) − ℓ). logSoftmax is (x − m) − ℓ, not
 * x − (m + ℓ): m + ℓ rounds at the precision of m, which at logits of 1e8 is 1e-8 and at 1e17 is all
 * of ℓ, while x − m is exact wherever the logits are close (Sterbenz). Where a line holds +∞ or is
 * all −∞, `limit` gives the results there, and x − m, ℓ are those of 0 in its place. @internal
 */
export function shiftedLogSumExp(
  x: Tensor, axis: number | readonly number[], opName = 'logSumExp',
): { axes: number[]; shifted: Tensor; shift: Tensor; limit: Limits | null } {
  checkLive(x.tape, opName);
  const axes = normalizeAxes(axis, x.shape, opName);
  const kept = keptShape(x.shape, axes);
  const codes = (v: number | Float64Array) => limitCodes(v as Float64Array, x.shape, kept);
  // The shift tracks x (recomputed when a compiled program replays) but carries no derivative; the
  // lines' classes are its branch, so a replay notices a line that starts or stops holding ±∞.
  const shift = detached(
    x, (v) => reduceMax(v as Float64Array, x.shape, kept).map((u) => (Number.isFinite(u) ? u : 0)), kept,
    (v) => codes(v) ?? 0,
  ) as Tensor;
  if (codes(x.data) === null) {
    const shifted = sub(x, shift) as Tensor;
    return { axes, shifted, shift, limit: null };
  }
  const mask = (pick: (code: number) => boolean, shape: Shape) =>
    detached(x, (v) => (codes(v) ?? new Float64Array((v as Float64Array).length)).map((c) => (pick(c) ? 1 : 0)), shape) as Tensor;
  const element = mask((c) => c !== REGULAR, x.shape);
  const line = detached(x, (v) => lineFlags(codes(v), x.shape, kept), kept) as Tensor;
  const undeterminedLine = detached(x, (v) => lineFlags(codes(v), x.shape, kept, UNDETERMINED_OTHER), kept) as Tensor;
  // What y tends to at those lines: the sum of the elements that carry it (one +∞; the +∞ ones; all
  // −∞ ones), through `undetermined` where the limits of the derivatives do not exist.
  const carried = sum(where(mask((c) => c === ONE_CARRIER || c === UNDETERMINED_CARRIER, x.shape), x, 0), axes, true);
  const lse = where(undeterminedLine, undetermined(carried), carried);
  // The regular form on 0 in place of those lines' elements: finite numbers, no ∞ − ∞ to keep out.
  const shifted = sub(where(element, 0, x), shift) as Tensor;
  const single = mask((c) => c === ONE_CARRIER, x.shape);
  return { axes, shifted, shift, limit: { line, element, single, lse } };
}

// limitCodes: 0 at every element of a regular line; at the others, whether it carries the limit.
const REGULAR = 0;
const ONE_OTHER = 1;
const ONE_CARRIER = 2;
const UNDETERMINED_OTHER = 3;
const UNDETERMINED_CARRIER = 4;

/**
 * For each element of x, its line's class and its part in the limit (the codes above), or null when
 * every line is regular (the common case, one pass with no allocation of x's size).
 */
function limitCodes(xs: Float64Array, shape: Shape, kept: Shape): Float64Array | null {
  let any = false;
  for (let e = 0; e < xs.length; e++) if (!Number.isFinite(xs[e])) { any = true; break; }
  if (!any) return null;
  const map = broadcastMap(kept, shape);
  const lines = kept.reduce((p, d) => p * d, 1);
  const plus = new Float64Array(lines), count = new Float64Array(lines), finite = new Uint8Array(lines), nan = new Uint8Array(lines);
  for (let e = 0; e < xs.length; e++) {
    const g = map === null ? e : map[e];
    const v = xs[e];
    count[g]++;
    if (v !== v) nan[g] = 1;
    else if (v === Infinity) plus[g]++;
    else if (v !== -Infinity) finite[g] = 1;
  }
  const codes = new Float64Array(xs.length);
  let special = false;
  for (let e = 0; e < xs.length; e++) {
    const g = map === null ? e : map[e];
    if (!nan[g] && plus[g] === 0 && finite[g]) continue;
    special = true;
    if (nan[g]) codes[e] = UNDETERMINED_CARRIER; // NaN, with NaN derivatives for every element (as max)
    else if (plus[g] === 1) codes[e] = xs[e] === Infinity ? ONE_CARRIER : ONE_OTHER;
    // A line of one element is that element (logSumExp = x, softmax 1, logSoftmax 0), −∞ too.
    else if (count[g] === 1) codes[e] = ONE_CARRIER;
    // Two +∞ or more, or every element −∞ (the carriers: all of them).
    else codes[e] = plus[g] === 0 || xs[e] === Infinity ? UNDETERMINED_CARRIER : UNDETERMINED_OTHER;
  }
  return special ? codes : null;
}

/** 1 at each line (of the kept shape) whose elements have a code ≥ `from` (any special code by default). */
function lineFlags(codes: Float64Array | null, shape: Shape, kept: Shape, from = ONE_OTHER): Float64Array {
  const out = new Float64Array(kept.reduce((p, d) => p * d, 1));
  if (codes === null) return out;
  const map = broadcastMap(kept, shape);
  for (let e = 0; e < codes.length; e++) if (codes[e] >= from) out[map === null ? e : map[e]] = 1;
  return out;
}

// u ↦ u with every derivative NaN: logSumExp where it tends to ±∞ along paths whose derivatives tend to
// different limits. Its derivatives are `undeterminedSlope`, NaN with NaN derivatives, so nested
// transforms get NaN at every order (a constant NaN would give a third derivative of 0).
const undeterminedSlope: UnaryOp = defineUnary({
  name: 'undeterminedSlope',
  f: () => NaN,
  df: (o, x) => o.map(undeterminedSlope, x),
  d2f: (o, x) => o.map(undeterminedSlope, x),
});
const undetermined: UnaryOp = defineUnary({
  name: 'undetermined',
  f: (x) => x,
  df: (o, x) => o.map(undeterminedSlope, x),
  d2f: (o, x) => o.map(undeterminedSlope, x),
});

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
