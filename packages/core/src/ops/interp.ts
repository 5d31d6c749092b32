// y = the piecewise-linear interpolant of the points (xpₖ, fpₖ) at x (NumPy's interp), a composite:
// with k the segment of x (xpₖ ≤ x < xpₖ₊₁, from a search of xp) and a its anchor knot,
//   sₖ = (fpₖ₊₁ − fpₖ)/(xpₖ₊₁ − xpₖ),   y = sₖ·(x − xpₐ) + fpₐ,
// then the fills where x < xp₀ or x > xpₙ₋₁. Built from diff, div, take, mul, add and where, so its
// derivatives are theirs, at every order and nested: ∂y/∂x = sₖ and ∂²y/∂x² = 0 inside a segment, but
// ∂²y/∂x∂fpₖ = −1/hₖ and ∂²y/∂x∂fpₖ₊₁ = 1/hₖ (hₖ = xpₖ₊₁ − xpₖ), and xp is differentiated too.
// With a period p, x and xp are reduced mod p (remainder: ∂/∂x = 1) and xp sorted (a gather), then
// extended by one knot on each side, as NumPy does; the same interpolant follows.
// The segment is a branch: a compiled replay where x changes segment (or leaves the range) reports it.
import { ArgumentError, ShapeError } from '../errors.js';
import { Scalar, Tensor, describeValue, tensor, tensorData } from '../node.js';
import { OptionError, checkOptions, type OptionRule, type OptionsSpec } from '../options.js';
import { add } from './add.js';
import { argsort } from './argsort.js';
import { concat } from './concat.js';
import { diff } from './diff.js';
import { div } from './div.js';
import { greater } from './greater.js';
import { guardIndicesOfTwo } from './index-guard.js';
import { less } from './less.js';
import { mul } from './mul.js';
import { noExtraArguments, tensorArg } from './op-args.js';
import { remainder, remainderNumber } from './remainder.js';
import { reshape } from './reshape.js';
import { insertionIndices, isData, sortedArg, type SortedArg } from './search-sorted.js';
import { sortedIndices } from './sort.js';
import { stopGradient } from './stop-gradient.js';
import { sub } from './sub.js';
import { take } from './take.js';
import { where } from './where.js';

/**
 * Options of {@link interp}: the values outside the points, as NumPy's and JAX's `left` and `right`,
 * or a `period` for periodic x (angles), as NumPy's `period`.
 *
 * @example
 * ```ts
 * const options: InterpOptions = { left: 0, right: 0 };
 * interp(tensor([-1, 0.5, 2]), [0, 1], [10, 20], options).value; // [0, 15, 0]
 * interp(tensor([-1, 370]), [0, 90, 180, 270], [0, 1, 0, -1], { period: 360 }).value; // [-0.0111, 0.1111]
 * ```
 */
export interface InterpOptions {
  /**
   * The value for x < xp[0]: a number (NaN and ±∞ allowed) or a scalar node; fp[0] by default.
   * `'extrapolate'` (JAX's) continues the first segment's line instead. Not with `period`.
   */
  readonly left?: number | Scalar | 'extrapolate';
  /**
   * The value for x > xp[n − 1]: a number (NaN and ±∞ allowed) or a scalar node; fp[n − 1] by
   * default. `'extrapolate'` (JAX's) continues the last segment's line instead. Not with `period`.
   */
  readonly right?: number | Scalar | 'extrapolate';
  /**
   * The period of x (a nonzero finite number; as NumPy, its absolute value is used): x and xp are
   * taken modulo |period|, xp sorted after that (so it need not increase), and the interpolant wraps
   * from the last knot to the first. A periodic interpolant has no outside, so `left` and `right`
   * cannot be given with it.
   */
  readonly period?: number;
}

const fill: OptionRule = {
  expected: "a number, a scalar node or 'extrapolate'",
  accepts: (v) => typeof v === 'number' || v instanceof Scalar || v === 'extrapolate',
};
const INTERP_OPTIONS: OptionsSpec<InterpOptions> = {
  left: fill,
  right: fill,
  // NumPy takes any nonzero number; a period of ±∞ or NaN would make every reduced x NaN.
  period: { expected: 'a nonzero finite number', accepts: (v) => typeof v === 'number' && Number.isFinite(v) && v !== 0 },
};

/**
 * Piecewise-linear interpolation, as NumPy's and JAX's `interp`: the line through the points
 * (xp[k], fp[k]) evaluated at each element of x, with `left` (default fp[0]) below xp[0] and
 * `right` (default fp[n − 1]) above xp[n − 1], or the end segments' lines continued where they are
 * `'extrapolate'` (JAX's option). xp and fp are 1-D tensors or arrays of numbers of the same length
 * n ≥ 1, xp strictly increasing (checked: an `ArgumentError` that says how to fix it, where NumPy
 * returns unspecified numbers for a decreasing xp and takes a repeated knot as a jump, which has no
 * derivative). x is a tensor of any shape (the result has its shape), an array of numbers, or a scalar
 * node or number (the result a scalar node).
 *
 * With `{ period }`, as NumPy's: x and xp are taken modulo |period| (NumPy uses the absolute value
 * too; a zero, NaN or infinite period is an `OptionError`, and so is `left` or `right` beside it,
 * which NumPy ignores), xp is sorted after that with fp in the same order, so it need not be
 * increasing, and the points are joined around the circle: the segment from the last knot wraps to
 * the first one plus the period. Two knots that fall on the same point modulo the period (0 and 360
 * with period 360) are an `ArgumentError`: give each point of the circle once.
 *
 * Values are NumPy's, bit for bit: s·(x − xp[k]) + fp[k] with s the slope of x's segment, fp[k]
 * exactly at a knot x = xp[k] (and fp[n − 1] at the last), and NumPy's fallbacks where that line is
 * NaN with x a number (an infinite slope or knot): fp[k] at a knot, else the line through the
 * segment's other end, else fp[k] when both ends have the same fp. A NaN x gives NaN (fp[0] when
 * n = 1, as NumPy), and with a period so does an infinite x. Differentiable in x, xp and fp (and in
 * `left`/`right` when they are nodes), to any order: ∂y/∂x is the segment's slope, 0 outside
 * [xp[0], xp[n − 1]] (unless extrapolated); at a knot it is the slope of the segment to its right,
 * except at the last knot, the slope to its left (JAX's choice: the one-sided derivative from inside
 * the range); with a period, every knot has a segment on its right. Where a fallback applies the
 * derivatives may be NaN. Under `compile`, a replay where an element of x moves to another segment, in
 * or out of the range, or to or from a fallback, or where the sorted order of a periodic xp changes, is
 * a branch change.
 *
 * @example
 * ```ts
 * interp(tensor([0.5, 2, 4]), [0, 1, 3], [0, 10, 30]).value;   // [5, 20, 30]
 * const y = interp(t, knots, heights, { left: 0, right: 0 });   // a tensor shaped like t
 * grad((fp: Tensor) => interp(scalar(1.5), [0, 1, 3], fp))([0, 10, 30]); // [0, 0.75, 0.25]
 * interp(tensor([350, 10]), [90, 0, 270, 180], [1, 0, -1, 0], { period: 360 }).value; // [-0.1111, 0.1111]
 * interp(4, [1, 2, 3], [10, 20, 30], { right: 'extrapolate' }).value; // 40
 * ```
 */
export function interp(x: Scalar | number, xp: Tensor | ArrayLike<number>, fp: Tensor | ArrayLike<number>, options?: InterpOptions): Scalar;
export function interp(x: Tensor | ArrayLike<number>, xp: Tensor | ArrayLike<number>, fp: Tensor | ArrayLike<number>, options?: InterpOptions): Tensor;
export function interp(
  x: Tensor | Scalar | number | ArrayLike<number>, xp: Tensor | ArrayLike<number>, fp: Tensor | ArrayLike<number>, options?: InterpOptions,
): Tensor | Scalar {
  noExtraArguments('interp', arguments, 4, 'interp(x, xp, fp, options)');
  const { left, right, period } = checkOptions('interp', options, INTERP_OPTIONS);
  if (period !== undefined) {
    for (const [name, value] of [['left', left], ['right', right]] as const) {
      if (value === undefined) continue;
      throw new OptionError(
        `interp: option '${name}' cannot be given with 'period': a periodic interpolant has no outside to fill ` +
          `(NumPy ignores it); leave out '${name}' (or 'period', to fill outside [xp[0], xp[n − 1]])`,
        { fn: 'interp', kind: 'invalid-value', option: name, value, validNames: Object.keys(INTERP_OPTIONS), suggestion: null, expected: "left out when 'period' is given" },
      );
    }
  }
  let xpA = sortedArg(xp, 'interp', 'xp');
  let fpA = sortedArg(fp, 'interp', 'fp');
  const n = xpA.values.length;
  if (n === 0) throw new ArgumentError('interp: xp is empty; there is no point to interpolate');
  if (fpA.values.length !== n) {
    throw new ShapeError(`interp: xp and fp must have the same length, got ${n} and ${fpA.values.length}`);
  }
  const scalarOut = x instanceof Scalar || typeof x === 'number';
  let xT = xArg(x);
  if (period === undefined) {
    checkIncreasing(xpA.values);
  } else {
    const p = Math.abs(period);
    const knots = periodicKnots(xpA, fpA, p);
    checkIncreasing(knots.xp.values, { period: p, source: knots.source, xp: xpA.values });
    xpA = knots.xp;
    fpA = knots.fp;
    xT = remainder(xT, p);
  }
  if (xpA.values.length === 1 && (left === 'extrapolate' || right === 'extrapolate')) {
    throw new ArgumentError("interp: 'extrapolate' needs a segment to continue, but xp has one point; give two or more, or a number as the fill");
  }
  const xpT = asTensor(xpA), fpT = asTensor(fpA);
  let y = segmentLines(xT, xpA, fpA, xpT, fpT);
  // A periodic x lies in [0, p], inside the extended knots [xp[n−1] − p, xp[0] + p]: no fills.
  if (period === undefined) {
    if (left !== 'extrapolate') y = where(less(xT, take(xpT, 0)), left ?? take(fpT, 0), y);
    if (right !== 'extrapolate') y = where(greater(xT, take(xpT, n - 1)), right ?? take(fpT, n - 1), y);
  }
  // A scalar x: the 0-d result as a scalar node (its one element, derivatives and all).
  return scalarOut ? y.sum() : y;
}

/**
 * The interpolant inside [xp[0], xp[n − 1]] and each end segment's line beyond it (the caller puts
 * the fills there), with NumPy's fallbacks where the line is NaN.
 */
function segmentLines(xT: Tensor, xpA: SortedArg, fpA: SortedArg, xpT: Tensor, fpT: Tensor): Tensor {
  const n = xpA.values.length;
  // NumPy's one point: fp[0] at x = xp[0] and at a NaN x (neither below nor above it); the fills
  // replace the rest. The where only gives y x's shape.
  if (n === 1) return where(less(xT, take(xpT, 0)), 0, take(fpT, 0));
  // The segment from the right search: xp[j − 1] ≤ x < xp[j], and which of NumPy's fallbacks each
  // element takes. Both depend on xp, fp and x: a replay where either comes out otherwise (or where
  // xp stops increasing) is a branch change, so the masks below can be fixed data.
  const live = (t: Tensor | null) => t !== null && !t.tape.eager;
  const pathsOf = (k: Float64Array, xs: Float64Array): Int32Array => {
    const xps = k.subarray(0, n);
    if (notIncreasingAt(xps) >= 0) return Int32Array.of(-1);
    const j = insertionIndices(xps, xs, true);
    const out = new Int32Array(2 * j.length);
    out.set(j);
    out.set(fallbacks(xps, k.subarray(n), xs, j), j.length);
    return out;
  };
  if (live(xpA.node) || live(fpA.node)) guardIndicesOfTwo(concat([xpT, fpT]), xT, 'interp', pathsOf);
  else if (live(xT)) guardIndicesOfTwo(joined(xpA.values, fpA.values), xT, 'interp', pathsOf);
  const j = insertionIndices(xpA.values, xT.data, true);
  const m = j.length;
  // k: the segment whose slope applies (the first below the range, the last above it and at the
  // last knot); a: the knot the line is anchored at, x's own knot when x is one (so the value there
  // is fp exactly, as NumPy's), the last knot for x = xp[n − 1].
  const k = new Int32Array(m), a = new Int32Array(m);
  for (let e = 0; e < m; e++) {
    a[e] = Math.min(Math.max(j[e] - 1, 0), n - 1);
    k[e] = Math.min(a[e], n - 2);
  }
  const slopes = div(diff(fpT), diff(xpT));
  const s = reshape(take(slopes, k), xT.shape);
  const xpa = reshape(take(xpT, a), xT.shape), fpa = reshape(take(fpT, a), xT.shape);
  const line = add(mul(s, sub(xT, xpa)), fpa);
  const path = fallbacks(xpA.values, fpA.values, xT.data, j);
  const maskOf = (p: number) => (path.includes(p) ? tensor(Float64Array.from(path, (q) => (q === p ? 1 : 0)), xT.shape) : null);
  let y = line;
  const other = maskOf(OTHER_END), fpOnly = maskOf(FP_ONLY), knot = maskOf(KNOT);
  if (other) {
    const b = k.map((q) => q + 1);
    const xpb = reshape(take(xpT, b), xT.shape), fpb = reshape(take(fpT, b), xT.shape);
    y = where(other, add(mul(s, sub(xT, xpb)), fpb), y);
  }
  if (fpOnly) y = where(fpOnly, fpa, y);
  // fp[a] itself, carrying the line's derivatives: the line's own value is +0 where fp[a] is −0.
  if (knot) y = where(knot, sub(stopGradient(fpa), sub(stopGradient(line), line)), y);
  return y;
}

/** How an element's value is made, beside the line s·(x − xp[a]) + fp[a] (0). */
const OTHER_END = 1, FP_ONLY = 2, KNOT = 3;

/**
 * For each x, NumPy's choice where the line is not its value: at a knot, fp there (FP_ONLY where the
 * line is NaN, KNOT where it is a zero of the other sign); elsewhere in the range, where the line is
 * NaN, the line through the segment's right end (OTHER_END), or else fp[k] when both ends' fp are
 * equal (FP_ONLY). Outside the range (fills or JAX's extrapolation) and at a NaN x, always the line.
 */
function fallbacks(xp: Float64Array, fp: Float64Array, xs: Float64Array, j: Int32Array): Uint8Array {
  const n = xp.length;
  const out = new Uint8Array(xs.length);
  for (let e = 0; e < xs.length; e++) {
    const x = xs[e];
    if (!(x >= xp[0] && x <= xp[n - 1])) continue;
    const a = Math.min(j[e] - 1, n - 1), k = Math.min(a, n - 2);
    const s = (fp[k + 1] - fp[k]) / (xp[k + 1] - xp[k]);
    const line = s * (x - xp[a]) + fp[a];
    if (x === xp[a]) {
      if (line !== line) out[e] = FP_ONLY;
      else if (!Object.is(line, fp[a])) out[e] = KNOT;
    } else if (line !== line) {
      const other = s * (x - xp[k + 1]) + fp[k + 1];
      if (other === other) out[e] = OTHER_END;
      else if (fp[k] === fp[k + 1]) out[e] = FP_ONLY;
    }
  }
  return out;
}

/**
 * NumPy's periodic knots: xp mod p sorted (fp in the same order), with the last knot − p before and
 * the first + p after, so every x mod p has a segment. `source` is each new knot's index in xp.
 */
function periodicKnots(xpA: SortedArg, fpA: SortedArg, p: number): { xp: SortedArg; fp: SortedArg; source: Int32Array } {
  const n = xpA.values.length;
  const reducedNode = xpA.node ? remainder(xpA.node, p) : null;
  const reduced = reducedNode ? reducedNode.data : xpA.values.map((v) => remainderNumber(v, p));
  // argsort guards the order under compile; NaN (from an infinite xp) sorts last, and is refused.
  const order = reducedNode ? argsort(reducedNode) : sortedIndices(reduced, [n], 0, false, n);
  const source = new Int32Array(n + 2);
  source.set(order, 1);
  source[0] = order[n - 1];
  source[n + 1] = order[0];
  const shift = Float64Array.from(source, (_, i) => (i === 0 ? -p : i === n + 1 ? p : 0));
  // Adding 0 keeps the reduced values (never −0); the ends are xp[n−1] − p and xp[0] + p, as NumPy's.
  const xpValues = Float64Array.from(source, (q, i) => reduced[q] + shift[i]);
  const fpValues = Float64Array.from(source, (q) => fpA.values[q]);
  return {
    xp: { node: reducedNode ? add(take(reducedNode, source), tensor(shift)) : null, values: xpValues },
    fp: { node: fpA.node ? take(fpA.node, source) : null, values: fpValues },
    source,
  };
}

/** The first k with xp[k] ≤ xp[k − 1] (or a NaN), or −1 if xp is strictly increasing. */
function notIncreasingAt(xp: Float64Array): number {
  for (let k = 0; k < xp.length; k++) {
    if (xp[k] !== xp[k] || (k > 0 && !(xp[k] > xp[k - 1]))) return k;
  }
  return -1;
}

/**
 * An ArgumentError, saying what to do, unless xp increases strictly; for periodic knots, in terms of
 * the caller's xp (`source` maps each knot back to it).
 */
function checkIncreasing(xp: Float64Array, periodic?: { period: number; source: Int32Array; xp: Float64Array }): void {
  const at = notIncreasingAt(xp);
  if (at < 0) return;
  if (periodic) {
    const { period, source, xp: given } = periodic;
    const bad = given.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new ArgumentError(`interp: xp[${bad}] is ${given[bad]}, which has no place modulo the period ${period}; with a period, xp must be finite`);
    }
    const i = source[at], h = source[at - 1];
    throw new ArgumentError(
      `interp: with period ${period}, xp[${h}] = ${given[h]} and xp[${i}] = ${given[i]} fall on the same point modulo ${period}; ` +
        `a repeated knot has no derivative, so give each point of the period once (drop one of the two, with its fp)`,
    );
  }
  const v = xp[at], prev = xp[at - 1];
  if (v !== v) throw new ArgumentError(`interp: xp must be strictly increasing, but xp[${at}] is NaN; xp must hold numbers`);
  throw new ArgumentError(
    `interp: xp must be strictly increasing, but xp[${at}] = ${v} follows xp[${at - 1}] = ${prev}` +
      (v === prev
        ? '; a repeated knot (a jump, which NumPy accepts) has no derivative: drop one of the two points, or move one by a small step to make the jump a steep segment'
        : '; sort the points first (order = argsort(xp), then take(xp, order) and take(fp, order))'),
  );
}

/** xp and fp end to end, for a guard of both. */
function joined(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function asTensor(arg: SortedArg): Tensor {
  return arg.node ?? tensor(arg.values);
}

/** x as a tensor: a scalar node or number as a 0-d one, plain arrays as constants. */
function xArg(x: unknown): Tensor {
  if (x instanceof Tensor) return tensorArg(x, 'interp');
  if (x instanceof Scalar) return reshape(x, []);
  if (typeof x === 'number') return tensor(Float64Array.of(x), []);
  if (!isData(x)) throw new ArgumentError(`interp: x must be a tensor, a scalar node, a number, a number[] or a Float64Array, got ${describeValue(x)}`);
  const { values, inferred } = tensorData(x as number[], 'interp');
  return tensor(values, inferred);
}
