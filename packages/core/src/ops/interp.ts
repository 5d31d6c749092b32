// y = the piecewise-linear interpolant of the points (xpₖ, fpₖ) at x (NumPy's interp), a composite:
// with k the segment of x (xpₖ ≤ x < xpₖ₊₁, from a search of xp) and a its anchor knot,
//   sₖ = (fpₖ₊₁ − fpₖ)/(xpₖ₊₁ − xpₖ),   y = sₖ·(x − xpₐ) + fpₐ,
// then the fills where x < xp₀ or x > xpₙ₋₁. Built from diff, div, take, mul, add and where, so its
// derivatives are theirs, at every order and nested: ∂y/∂x = sₖ and ∂²y/∂x² = 0 inside a segment, but
// ∂²y/∂x∂fpₖ = −1/hₖ and ∂²y/∂x∂fpₖ₊₁ = 1/hₖ (hₖ = xpₖ₊₁ − xpₖ), and xp is differentiated too.
// The segment is a branch: a compiled replay where x changes segment (or leaves the range) reports it.
import { ArgumentError, ShapeError } from '../errors.js';
import { Scalar, Tensor, describeValue, tensor, tensorData } from '../node.js';
import { checkOptions, type OptionRule, type OptionsSpec } from '../options.js';
import { add } from './add.js';
import { diff } from './diff.js';
import { div } from './div.js';
import { greater } from './greater.js';
import { guardIndicesOfTwo } from './index-guard.js';
import { less } from './less.js';
import { mul } from './mul.js';
import { noExtraArguments, tensorArg } from './op-args.js';
import { reshape } from './reshape.js';
import { insertionIndices, isData, sortedArg, type SortedArg } from './search-sorted.js';
import { sub } from './sub.js';
import { take } from './take.js';
import { where } from './where.js';

/**
 * Options of {@link interp}: the values outside the points, as NumPy's `left` and `right`.
 *
 * @example
 * ```ts
 * const options: InterpOptions = { left: 0, right: 0 };
 * interp(tensor([-1, 0.5, 2]), [0, 1], [10, 20], options).value; // [0, 15, 0]
 * ```
 */
export interface InterpOptions {
  /** The value for x < xp[0]: a number (NaN and ±∞ allowed) or a scalar node; fp[0] by default. */
  readonly left?: number | Scalar;
  /** The value for x > xp[n − 1]: a number (NaN and ±∞ allowed) or a scalar node; fp[n − 1] by default. */
  readonly right?: number | Scalar;
}

const fill: OptionRule = {
  expected: 'a number or a scalar node',
  accepts: (v) => typeof v === 'number' || v instanceof Scalar,
};
const INTERP_OPTIONS: OptionsSpec<InterpOptions> = { left: fill, right: fill };

/**
 * Piecewise-linear interpolation, as NumPy's and JAX's `interp`: the line through the points
 * (xp[k], fp[k]) evaluated at each element of x, with `left` (default fp[0]) below xp[0] and
 * `right` (default fp[n − 1]) above xp[n − 1]. xp and fp are 1-D tensors or arrays of numbers of
 * the same length n ≥ 1, xp strictly increasing (checked: an `ArgumentError`, where NumPy returns
 * unspecified numbers for a decreasing xp). x is a tensor of any shape (the result has its shape), an
 * array of numbers, or a scalar node or number (the result a scalar node).
 *
 * Values are NumPy's, bit for bit: s·(x − xp[k]) + fp[k] with s the slope of x's segment, fp[k]
 * exactly at a knot x = xp[k] (and fp[n − 1] at the last). A NaN x gives NaN (fp[0] when n = 1, as
 * NumPy). Differentiable in x, xp and fp (and in `left`/`right` when they are nodes), to any order:
 * ∂y/∂x is the segment's slope, 0 outside [xp[0], xp[n − 1]]; at a knot it is the slope of the
 * segment to its right, except at the last knot, the slope to its left (JAX's choice: the one-sided
 * derivative from inside the range). Under `compile`, a replay where an element of x moves to another
 * segment, or in or out of the range, is a branch change.
 *
 * @example
 * ```ts
 * interp(tensor([0.5, 2, 4]), [0, 1, 3], [0, 10, 30]).value;   // [5, 20, 30]
 * const y = interp(t, knots, heights, { left: 0, right: 0 });   // a tensor shaped like t
 * grad((fp: Tensor) => interp(scalar(1.5), [0, 1, 3], fp))([0, 10, 30]); // [0, 0.75, 0.25]
 * ```
 */
export function interp(x: Scalar | number, xp: Tensor | ArrayLike<number>, fp: Tensor | ArrayLike<number>, options?: InterpOptions): Scalar;
export function interp(x: Tensor | ArrayLike<number>, xp: Tensor | ArrayLike<number>, fp: Tensor | ArrayLike<number>, options?: InterpOptions): Tensor;
export function interp(
  x: Tensor | Scalar | number | ArrayLike<number>, xp: Tensor | ArrayLike<number>, fp: Tensor | ArrayLike<number>, options?: InterpOptions,
): Tensor | Scalar {
  noExtraArguments('interp', arguments, 4, 'interp(x, xp, fp, options)');
  const { left, right } = checkOptions('interp', options, INTERP_OPTIONS);
  const xpA = sortedArg(xp, 'interp', 'xp');
  const fpA = sortedArg(fp, 'interp', 'fp');
  const n = xpA.values.length;
  if (n === 0) throw new ArgumentError('interp: xp is empty; there is no point to interpolate');
  if (fpA.values.length !== n) {
    throw new ShapeError(`interp: xp and fp must have the same length, got ${n} and ${fpA.values.length}`);
  }
  const at = notIncreasingAt(xpA.values);
  if (at >= 0) {
    const v = xpA.values[at];
    throw new ArgumentError(
      `interp: xp must be strictly increasing, but ` +
        (v !== v ? `xp[${at}] is NaN` : `xp[${at}] = ${v} follows xp[${at - 1}] = ${xpA.values[at - 1]}`),
    );
  }
  const scalarOut = x instanceof Scalar || typeof x === 'number';
  const xT = xArg(x);
  const xpT = asTensor(xpA), fpT = asTensor(fpA);
  const first = take(xpT, 0), last = take(xpT, n - 1);

  let y: Tensor;
  if (n === 1) {
    // NumPy's one point: fp[0] at x = xp[0] and at a NaN x (neither below nor above it); the fills
    // below replace the rest. The where only gives y x's shape.
    y = where(less(xT, first), 0, take(fpT, 0));
  } else {
    // The segment from the right search: xp[j − 1] ≤ x < xp[j]. A replay whose search comes out
    // otherwise (or whose xp stops increasing) is a branch change.
    const indicesOf = (xps: Float64Array, xs: Float64Array) =>
      notIncreasingAt(xps) >= 0 ? Int32Array.of(-1) : insertionIndices(xps, xs, true);
    guardIndicesOfTwo(xpA.node ?? xpA.values, xT, 'interp', indicesOf);
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
    y = add(mul(s, sub(xT, xpa)), fpa);
  }
  const below = less(xT, first), above = greater(xT, last);
  y = where(below, left ?? take(fpT, 0), y);
  y = where(above, right ?? take(fpT, n - 1), y);
  // A scalar x: the 0-d result as a scalar node (its one element, derivatives and all).
  return scalarOut ? y.sum() : y;
}

/** The first k with xp[k] ≤ xp[k − 1] (or a NaN), or −1 if xp is strictly increasing. */
function notIncreasingAt(xp: Float64Array): number {
  for (let k = 0; k < xp.length; k++) {
    if (xp[k] !== xp[k] || (k > 0 && !(xp[k] > xp[k - 1]))) return k;
  }
  return -1;
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
