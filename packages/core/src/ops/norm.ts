// Vector norms over some axes (NumPy 2's vector_norm; all elements by default), and the Frobenius
// norm of matrices:
//   ord 2:  y = √Σxₖ², the op of euclidean-norm.ts (valued d·√Σ(xₖ/d)², d a power of two, so no
//           square overflows or underflows; its rules divide by y last);  ∂y/∂xₖ = xₖ/y
//   ord 1:  y = Σ|xₖ|;  ord ∞: max|xₖ|;  ord −∞: min|xₖ| (ties as max/min)
//   ord p:  y = d·(Σ (|xₖ|/d)ᵖ)^(1/p), d held constant;  ∂y/∂xₖ = sign(xₖ)·|xₖ|^(p−1)·y^(1−p)
//   ord 0:  the number of non-zero elements: piecewise constant, derivative 0
//   'fro':  √Σ xᵢⱼ² over two axes, the ord-2 form.
// The others are composed of ops whose rules give the second derivatives. At x = 0 every ord has
// gradient 0 (abs′(0) = 0, √′(0)·0 = ∞·0 = 0 by the structural-zero convention, x/y taken as 0 for
// ord 2): the subgradient of least norm. Second derivatives there follow docs/conventions.md.
// A line (the elements reduced to one result) holding ±∞ and no NaN, for ord 2, 'fro' and p > 0:
// there (Σ|xₖ|ᵖ)^(1/p) = |xᵢ| + (Σₖ≠ᵢ|xₖ|ᵖ)·|xᵢ|^(1−p)/p + …, so y = ∞ and ∂y/∂xᵢ tends to sign(xᵢ),
// with higher derivatives in xᵢ tending to 0; at the finite elements the derivatives tend to 0 for
// p > 1 and to ±∞ for p < 1 (the limits, docs/conventions.md "Infinite inputs"). With two ±∞ or more
// the first derivatives at them depend on the path (xᵢ/y at [t, 2t]): NaN there; the second ones
// tend to 0 (the Hessian is homogeneous of degree −1). The form below gives 0 at a ±∞ (√′(∞) = 0
// times 2xᵢ = ∞, the structural zero), so |xᵢ| summed over the ±∞ elements is added to it; for
// p > 1 the form sees those lines as 0.
// The scale d of a p-norm (scaleFor) is max|xₖ| (min|xₖ| for p < 0, which dominates). d is also the
// adjoint that reaches the scaled sum (ȳ·d) and 1/d the factor back to x, so where that would be
// subnormal or infinite (max|xₖ| below 2⁻¹⁰²⁰ or above 2¹⁰²⁰) d moves by a power of two and the
// scaled entries are no longer ≈ 1.
import { detached } from './detached.js';
import { ArgumentError } from '../errors.js';
import { SCALAR_SHAPE } from '../lanes.js';
import { type Scalar, type Tensor } from '../node.js';
import { broadcastMap, formatShape, normalizeAxes, sizeOf, type Shape } from '../shape.js';
import { defineUnary } from '../elementwise/unary.js';
import { abs } from './abs.js';
import { add } from './add.js';
import { div } from './div.js';
import { groupMax, max } from './max.js';
import { min } from './min.js';
import { mul } from './mul.js';
import { keptAxes, reducedShape, reductionAxes, shown, tensorArg, keepDimsArg, noExtraArguments } from './op-args.js';
import { pow } from './pow.js';
import { reshape } from './reshape.js';
import { keptShape, sum, type Axes } from './sum.js';
import { euclideanNorm } from './euclidean-norm.js';
import { scaleFor } from './norm-scale.js';
import { where } from './where.js';

/**
 * The norm of x. A number `ord` is a vector norm over the elements of `axis` (a number or a list,
 * taken jointly; all elements when left out), as NumPy 2's `vector_norm`: 2 (the default,
 * Euclidean), 1, `Infinity` (largest |xₖ|), `-Infinity` (smallest), 0 (the count of non-zero
 * elements) or any other p: (Σ|xₖ|ᵖ)^(1/p). `'fro'` is the Frobenius norm of a matrix, over `axis`
 * (two axes; a 2-D x when left out). For a matrix, a number `ord` is the vector norm of its
 * elements; the matrix 1-, 2- (spectral), ∞- and nuclear norms are {@link matrixNorm}'s. `keepDims` keeps each
 * reduced axis as 1 (every axis when `axis` is left out, as NumPy). The gradient at x = 0 is 0 (see
 * docs/conventions.md).
 *
 * @example
 * ```ts
 * norm(x);                    // Euclidean norm, a scalar
 * norm(x, 1);                 // Σ|xₖ|
 * m.norm(2, 1);               // the norm of each row
 * norm(w, 'fro');             // Frobenius norm of a matrix
 * ```
 */
export function norm(x: Tensor, ord?: number | 'fro', axis?: undefined, keepDims?: false): Scalar;
export function norm(x: Tensor, ord: number | 'fro' | undefined, axis: number | readonly number[] | undefined, keepDims: true): Tensor;
export function norm(x: Tensor, ord: number | 'fro' | undefined, axis: number | readonly number[], keepDims?: boolean): Tensor;
export function norm(x: Tensor, ord: number | 'fro' = 2, axis?: Axes, keepDims = false): Scalar | Tensor {
  if (arguments.length > 4) noExtraArguments('norm', arguments, 4, 'norm(x, ord, axis, keepDims)');
  keepDimsArg(keepDims, 'norm');
  const xt = tensorArg(x, 'norm');
  if (ord === 'fro') {
    if (axis === undefined && xt.shape.length !== 2) {
      throw new ArgumentError(`norm: 'fro' is a matrix norm; x has shape ${formatShape(xt.shape)}: give the two axes of its matrices, or use ord 2 for the norm of all elements`);
    }
    axis = keptAxes(axis, xt.shape, keepDims);
    if (axis !== undefined && normalizeAxes(axis, xt.shape, 'norm').length !== 2) {
      throw new ArgumentError(`norm: 'fro' needs two axes (the rows and columns of each matrix), got axis ${shown(axis)}`);
    }
    return euclidean(xt, axis, keepDims);
  }
  if (typeof ord !== 'number' || Number.isNaN(ord)) {
    throw new ArgumentError(`norm: ord must be a number (2, 1, Infinity, -Infinity, 0 or any p) or 'fro', got ${shown(ord)}`);
  }
  axis = keptAxes(axis, xt.shape, keepDims);
  // Checked here for every ord: the 1, ±∞ and 0 norms reduce with sum, max and min, whose errors name them.
  if (axis !== undefined) normalizeAxes(axis, xt.shape, 'norm');
  if (ord === 2) return euclidean(xt, axis, keepDims);
  if (ord === 1) return axis === undefined ? sum(abs(xt)) : sum(abs(xt), axis, keepDims);
  if (ord === Infinity) return axis === undefined ? max(abs(xt)) : max(abs(xt), axis, keepDims);
  if (ord === -Infinity) return axis === undefined ? min(abs(xt)) : min(abs(xt), axis, keepDims);
  if (ord === 0) return nonZeroCount(xt, axis, keepDims);
  return pNorm(xt, ord, axis, keepDims);
}

/** What a compiled replay must see unchanged (which lines hold ±∞), from x's numbers. */
type Branch = (v: number | Float64Array) => number | Float64Array;

/**
 * The scale d of each reduction of a p-norm (a number for a full reduction; see scaleFor), a constant
 * to the derivatives that tracks x when a compiled program replays (detached), set by the largest
 * |xₖ| for p > 0 and by the smallest for p < 0.
 */
function scaleOf(x: Tensor, axis: Axes, p: number, branch: Branch | null): Scalar | Tensor {
  const axes = reductionAxes(axis, x.shape, 'norm');
  const kept = keptShape(x.shape, axes);
  const scales = (v: number | Float64Array) => {
    const xs = v as Float64Array;
    const dominant = p > 0
      ? groupMax(xs.map(Math.abs), x.shape, kept).values
      : groupMax(xs.map((e) => -Math.abs(e)), x.shape, kept).values.map((e) => -e);
    return dominant.map((m) => scaleFor(m, p));
  };
  return axis === undefined ? detached(x, (v) => scales(v)[0], null, branch) : detached(x, scales, kept, branch);
}

/** Σ of `terms` over axis, the reduced axes kept (so the scale broadcasts against it). */
function keptSum(terms: Tensor, axis: Axes): Scalar | Tensor {
  return axis === undefined ? sum(terms) : sum(terms, axis, true);
}

function euclidean(x: Tensor, axis: Axes, keepDims: boolean): Scalar | Tensor {
  const form = (xr: Tensor, branch: Branch | null) => {
    const axes = reductionAxes(axis, xr.shape, 'norm');
    return euclideanNorm(xr, axes, axis === undefined ? SCALAR_SHAPE : keptShape(xr.shape, axes), { branch });
  };
  return finish(x, withInfiniteLimits(x, axis, 2, form), axis, keepDims);
}

function pNorm(x: Tensor, p: number, axis: Axes, keepDims: boolean): Scalar | Tensor {
  const form = (xr: Tensor, branch: Branch | null) => {
    const m = scaleOf(xr, axis, p, branch);
    return mul(pow(keptSum(pow(div(abs(xr), m), p), axis), 1 / p), m);
  };
  const y = p > 0 ? withInfiniteLimits(x, axis, p, form) : form(x, null);
  return finish(x, y, axis, keepDims);
}

// u ↦ u with a NaN slope: ∂y/∂xᵢ at a line with several ±∞ tends to a limit that depends on the path.
// Its higher derivatives are 0, the limits there: a norm's Hessian is homogeneous of degree −1.
const pathSloped = defineUnary({
  name: 'normAtSeveralInfinities',
  f: (x) => x,
  df: (o, x) => o.step(x, () => NaN),
  d2f: () => 0,
});

// infiniteCodes: 0 at every element of a line with no ±∞ or with a NaN; at the others:
const FINITE_BESIDE = 1; // a finite element of a line holding ±∞
const ONE_INFINITE = 2; // the only ±∞ of its line
const SEVERAL_INFINITE = 3; // a ±∞ of a line holding two or more

/** The codes above for x's elements, or null when no line holds ±∞ without NaN (the common case). */
function infiniteCodes(xs: Float64Array, shape: Shape, kept: Shape): Float64Array | null {
  let any = false;
  for (let e = 0; e < xs.length; e++) if (xs[e] === Infinity || xs[e] === -Infinity) { any = true; break; }
  if (!any) return null;
  const map = broadcastMap(kept, shape);
  const lines = kept.reduce((a, d) => a * d, 1);
  const infinite = new Float64Array(lines), nan = new Uint8Array(lines);
  for (let e = 0; e < xs.length; e++) {
    const g = map === null ? e : map[e];
    if (xs[e] !== xs[e]) nan[g] = 1;
    else if (xs[e] === Infinity || xs[e] === -Infinity) infinite[g]++;
  }
  const codes = new Float64Array(xs.length);
  let special = false;
  for (let e = 0; e < xs.length; e++) {
    const g = map === null ? e : map[e];
    if (nan[g] || infinite[g] === 0) continue;
    special = true;
    codes[e] = Number.isFinite(xs[e]) ? FINITE_BESIDE : infinite[g] === 1 ? ONE_INFINITE : SEVERAL_INFINITE;
  }
  return special ? codes : null;
}

/**
 * form(x, branch) (ord 2 or p > 0, reduced axes kept) with the limits at the lines holding ±∞ (see the
 * top of this file). The lines' classes are the branch of a compiled replay: one that starts or stops
 * holding ±∞ is noticed (form records it with the scale, or with the norm itself for ord 2).
 */
function withInfiniteLimits(x: Tensor, axis: Axes, p: number, form: (xr: Tensor, branch: Branch | null) => Scalar | Tensor): Scalar | Tensor {
  const kept = keptShape(x.shape, reductionAxes(axis, x.shape, 'norm'));
  const codes = (v: number | Float64Array) => infiniteCodes(v as Float64Array, x.shape, kept);
  const branch = (v: number | Float64Array) => codes(v) ?? 0;
  if (codes(x.data) === null) return form(x, branch);
  const mask = (pick: (c: number) => boolean) =>
    detached(x, (v) => (codes(v) ?? new Float64Array((v as Float64Array).length)).map((c) => (pick(c) ? 1 : 0)), x.shape, branch) as Tensor;
  // For p > 1 those lines are 0 in the form (value 0, derivatives 0: nothing reaches x through
  // them); for p < 1 the form keeps them, for the limits ±∞ at their finite elements ...
  const xr = p > 1 ? where(mask((c) => c !== 0), 0, x) : x;
  // ... and their limit is the sum of |xᵢ| over the ±∞, with a NaN slope where there are several.
  const a = abs(x);
  const terms = where(mask((c) => c === ONE_INFINITE), a, where(mask((c) => c === SEVERAL_INFINITE), pathSloped(a), 0));
  return add(form(xr, null), keptSum(terms, axis));
}

/** A result computed with the reduced axes kept, reshaped as asked. */
function finish(x: Tensor, y: Scalar | Tensor, axis: Axes, keepDims: boolean): Scalar | Tensor {
  if (axis === undefined || keepDims) return y;
  return reshape(y as Tensor, reducedShape(x.shape, reductionAxes(axis, x.shape, 'norm'), false));
}

/** ord 0: how many elements are non-zero (NaN counts), a constant — its derivative is 0. */
function nonZeroCount(x: Tensor, axis: Axes, keepDims: boolean): Scalar | Tensor {
  const axes = reductionAxes(axis, x.shape, 'norm');
  const kept = keptShape(x.shape, axes);
  const t = x.tape;
  const count = (v: number | Float64Array) => {
    const counts = t.o.sumTo(t.o.step(v, (e) => (e !== 0 ? 1 : 0)), x.shape, kept);
    return typeof counts === 'number' ? new Float64Array(sizeOf(kept)).fill(counts) : counts.slice();
  };
  if (axis === undefined) return detached(x, (v) => count(v)[0] ?? 0, null);
  return detached(x, count, reducedShape(x.shape, axes, keepDims));
}
