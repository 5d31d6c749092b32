// k = the index of the largest element (no derivative: an index is piecewise constant, and it is a
// plain number, not a node). Ties and NaN as NumPy: the first occurrence wins, and a NaN counts as
// larger than any number.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../node.js';
import { axisView } from '../algebra/numbers.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { guardIndices } from './index-guard.js';
import { keepDimsArg, noExtraArguments, shown, tensorArg } from './op-args.js';

/**
 * The index of the largest element, as NumPy's `argmax`: without `axis`, a plain number, the flat
 * (row-major) index into x; with `axis` (one axis), an `Int32Array` of the indices along that axis,
 * row-major over x's other axes (x's shape without the axis) — ready to pass to `take`. `keepDims`
 * (NumPy's `keepdims`) changes no index, only the kind: an `Int32Array` of one index when the axis
 * is left out (NumPy's array of x's rank, all ones, flattened). Not a node: an index has no
 * derivative. Ties give the first; a NaN wins over any number (the first NaN). An empty reduction is
 * an ArgumentError. Under `compile`, a replay where the index moves is a branch change.
 *
 * @example
 * ```ts
 * const k = argmax(scores);         // a number
 * const perRow = argmax(m, 1);      // Int32Array, one column index per row
 * ```
 */
export function argmax(x: Tensor, axis?: undefined, keepDims?: false): number;
export function argmax(x: Tensor, axis: number | undefined, keepDims: true): Int32Array;
export function argmax(x: Tensor, axis: number, keepDims?: boolean): Int32Array;
export function argmax(x: Tensor, axis?: number, keepDims = false): number | Int32Array {
  noExtraArguments('argmax', arguments, 3, 'argmax(x, axis, keepDims)');
  return argExtremum(x, axis, keepDims, 'argmax', (v, best) => v > best);
}

/** The first index where `better(v, best)` last held along axis (or over x flattened); NaN wins. */
export function argExtremum(
  x: Tensor, axis: number | undefined, keepDims: boolean, opName: string, better: (v: number, best: number) => boolean,
): number | Int32Array {
  keepDimsArg(keepDims, opName);
  const xt = tensorArg(x, opName);
  if (axis !== undefined && typeof axis !== 'number') {
    throw new ArgumentError(`${opName}: axis must be one axis (a number) or left out, got ${shown(axis)}`);
  }
  const a = axis === undefined ? 0 : normalizeAxis(axis, xt.shape, opName);
  const { outer, n, inner } = axis === undefined ? { outer: 1, n: xt.size, inner: 1 } : axisView(xt.shape, a);
  if (n === 0 && outer * inner > 0) {
    throw new ArgumentError(`${opName}: ${axis === undefined ? 'x' : `axis ${a} of x`} (shape ${formatShape(xt.shape)}) is empty; there is no index to return`);
  }
  const indicesOf = (xs: Float64Array) => extremumIndices(xs, outer, n, inner, better);
  const out = indicesOf(xt.data);
  guardIndices(xt, opName, indicesOf);
  return axis === undefined && !keepDims ? out[0] : out;
}

/** For each of the outer × inner lines of n elements, the first index where `better` last held; NaN wins. */
function extremumIndices(
  xs: Float64Array, outer: number, n: number, inner: number, better: (v: number, best: number) => boolean,
): Int32Array {
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let best = xs[base], at = 0;
      for (let j = 1; j < n && best === best; j++) {
        const v = xs[base + j * inner];
        if (v !== v || better(v, best)) {
          best = v;
          at = j;
        }
      }
      out[o * inner + k] = at;
    }
  }
  return out;
}
