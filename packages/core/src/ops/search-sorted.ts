// i = where each value would go into a sorted 1-D array to keep it sorted (NumPy's searchsorted):
// plain integers, not a node. No derivative: an insertion index is piecewise constant in both
// arrays. NaN sorts last, as NumPy's sort puts it.
import { ArgumentError, ShapeError } from '../errors.js';
import { Scalar, Tensor, describeValue } from '../node.js';
import { checkOptions, option, type OptionsSpec } from '../options.js';
import { formatShape } from '../shape.js';
import { guardIndicesOfTwo } from './index-guard.js';
import { isArrayLike, noExtraArguments, tensorArg } from './op-args.js';
import { reshape } from './reshape.js';

/**
 * Options of {@link searchSorted}.
 *
 * @example
 * ```ts
 * const options: SearchSortedOptions = { side: 'right' };
 * searchSorted([1, 2, 2, 3], [2], options); // Int32Array [3]
 * ```
 */
export interface SearchSortedOptions {
  /**
   * Which end of a run of equal elements a value goes to: `'left'` (default) before them, the first
   * i with sorted[i] ≥ v; `'right'` after them, the first i with sorted[i] > v.
   */
  readonly side?: 'left' | 'right';
}

const SEARCH_SORTED_OPTIONS: OptionsSpec<SearchSortedOptions> = { side: option.literal('left', 'right') };

/**
 * Where each of `values` would be inserted into `sorted` (a 1-D tensor or an array of numbers,
 * non-decreasing, NaNs last) to keep it sorted, as NumPy's and JAX's `searchsorted`: an `Int32Array`
 * of indices in [0, n], one per value, row-major over values' shape (one index for a single number or
 * scalar node). `{ side: 'left' }` (default) gives the first i with sorted[i] ≥ v, `{ side: 'right' }`
 * the first with sorted[i] > v. NaN counts as larger than every number (NumPy): a NaN value goes
 * before the NaNs of `sorted` on the left and after them on the right. −0 and +0 are equal.
 *
 * `sorted` is checked: an element below the one before it (a NaN anywhere but at the end) is an
 * `ArgumentError` (NumPy does not check and returns unspecified indices). Not a node: an index has no
 * derivative. Under `compile`, a replay where an index moves (in either operand's values), or where
 * `sorted` is no longer sorted, is a branch change.
 *
 * @example
 * ```ts
 * searchSorted(tensor([0, 1, 3, 6]), tensor([2, 6, -1]));     // Int32Array [2, 3, 0]
 * searchSorted([0, 1, 3, 6], 6, { side: 'right' });          // Int32Array [4]
 * const bin = searchSorted(edges, samples, { side: 'right' }); // histogram bin + 1 of each sample
 * ```
 */
export function searchSorted(
  sorted: Tensor | ArrayLike<number>,
  values: Tensor | Scalar | number | ArrayLike<number>,
  options?: SearchSortedOptions,
): Int32Array {
  noExtraArguments('searchSorted', arguments, 3, 'searchSorted(sorted, values, options)');
  const { side = 'left' } = checkOptions('searchSorted', options, SEARCH_SORTED_OPTIONS);
  const a = sortedArg(sorted, 'searchSorted', 'sorted');
  const v = valuesArg(values, 'searchSorted');
  checkSorted(a.values, 'searchSorted', 'sorted');
  const right = side === 'right';
  // A replay must also notice `sorted` becoming unsorted (the check above would throw there):
  // an unsorted array gives one extra index, −1, so its branch differs from every sorted one.
  const indicesOf = (s: Float64Array, vs: Float64Array) =>
    unsortedAt(s) >= 0 ? Int32Array.of(-1) : insertionIndices(s, vs, right);
  guardIndicesOfTwo(a.node ?? a.values, v.node ?? v.values, 'searchSorted', indicesOf);
  return insertionIndices(a.values, v.values, right);
}

/** A 1-D operand: a tensor node (kept, for guards and ops) or plain numbers, with its values. */
export interface SortedArg {
  readonly node: Tensor | null;
  readonly values: Float64Array;
}

/** `sorted` (or interp's xp, fp) as a 1-D tensor or plain numbers; anything else a typed error. */
export function sortedArg(x: unknown, opName: string, what: string): SortedArg {
  if (x instanceof Tensor) {
    tensorArg(x, opName);
    if (x.shape.length !== 1) throw new ShapeError(`${opName}: ${what} must be 1-D, got shape ${formatShape(x.shape)}`);
    return { node: x, values: x.data };
  }
  if (!isData(x)) {
    throw new ArgumentError(`${opName}: ${what} must be a 1-D tensor, a number[] or a Float64Array, got ${describeValue(x)}`);
  }
  return { node: null, values: numbersOf(x, opName, what) };
}

/** `values`: a tensor or scalar node of any shape, a number, or a flat array of numbers. */
function valuesArg(x: unknown, opName: string): SortedArg {
  if (x instanceof Tensor) return { node: tensorArg(x, opName), values: x.data };
  if (x instanceof Scalar) return { node: x.tape.eager ? null : promoteForGuard(x), values: Float64Array.of(x.value) };
  if (typeof x === 'number') return { node: null, values: Float64Array.of(x) };
  if (!isData(x)) {
    throw new ArgumentError(`${opName}: values must be a tensor, a scalar node, a number, a number[] or a Float64Array, got ${describeValue(x)}`);
  }
  return { node: null, values: numbersOf(x, opName, 'values') };
}

/** A scalar node as a 0-d tensor (reshape's promotion), so its guard sees its replayed value. */
function promoteForGuard(x: Scalar): Tensor {
  return reshape(x, []);
}

/** Plain data, as everywhere data is taken: a number[] or a Float64Array (not other typed arrays). */
export function isData(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || x instanceof Float64Array;
}

function numbersOf(x: ArrayLike<unknown>, opName: string, what: string): Float64Array {
  const out = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) {
    const e = x[k];
    if (typeof e !== 'number') {
      throw new ArgumentError(`${opName}: ${what}[${k}] must be a number, got ${describeValue(e)}` +
        (isArrayLike(e) ? `; ${what} is a flat list of numbers (pass a tensor for more axes)` : ''));
    }
    out[k] = e;
  }
  return out;
}

/** The first k where s[k] is below s[k − 1] (a NaN before a number counts), or −1 if s is sorted. */
function unsortedAt(s: Float64Array): number {
  for (let k = 1; k < s.length; k++) {
    const prev = s[k - 1], cur = s[k];
    // Sorted with NaN last: cur ≥ prev, or cur is NaN. A NaN followed by a number is not.
    if (!(cur >= prev || cur !== cur)) return k;
  }
  return -1;
}

/** An ArgumentError unless s is non-decreasing with its NaNs (if any) at the end. */
export function checkSorted(s: Float64Array, opName: string, what: string): void {
  const k = unsortedAt(s);
  if (k >= 0) {
    throw new ArgumentError(
      `${opName}: ${what} must be sorted (non-decreasing, NaN only at the end), but ${what}[${k}] = ${s[k]} follows ${what}[${k - 1}] = ${s[k - 1]}`,
    );
  }
}

/**
 * For each v, by binary search in sorted s: the first i with s[i] ≥ v (left) or s[i] > v (right),
 * NaN larger than every number.
 */
export function insertionIndices(s: Float64Array, vs: Float64Array, right: boolean): Int32Array {
  const out = new Int32Array(vs.length);
  for (let j = 0; j < vs.length; j++) {
    const v = vs[j];
    let lo = 0, hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (goesAfter(s[mid], v, right)) lo = mid + 1;
      else hi = mid;
    }
    out[j] = lo;
  }
  return out;
}

/** Whether v goes after element e: e < v (left) or e ≤ v (right), in the order with NaN last. */
function goesAfter(e: number, v: number, right: boolean): boolean {
  if (e !== e) return right && v !== v; // e NaN: only a NaN goes after it, and only on the right
  if (v !== v) return true; // v NaN, e a number
  return right ? e <= v : e < v;
}
