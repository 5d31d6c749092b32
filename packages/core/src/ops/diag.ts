// Two gathers, as NumPy's diag: from a vector v, the matrix with v on its k-th diagonal and zeros
// elsewhere; from a matrix, its k-th diagonal as a vector. Linear: R{y} = diag(R{x}, k); x̄ += ȳ
// gathered back (the matrix's diagonal for the first, the diagonal placed in zeros for the second),
// and likewise R{x̄}.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../node.js';
import { checkedSize, formatShape } from '../shape.js';
import { NOWHERE, gather, type IndexMap } from './index-map.js';
import { integerArg, noExtraArguments, tensorArg } from './op-args.js';

/**
 * NumPy's `diag`: for a vector, the square matrix with it on the `k`-th diagonal (k > 0 above the
 * main diagonal, k < 0 below) and zeros elsewhere; for a matrix, its `k`-th diagonal as a vector
 * (empty when k is beyond the matrix).
 *
 * @example
 * ```ts
 * diag(v);          // [[v0, 0], [0, v1]] for a length-2 v
 * m.diag(1);        // the diagonal just above the main one
 * ```
 */
export function diag(x: Tensor, k = 0): Tensor {
  noExtraArguments('diag', arguments, 2, 'diag(x, k)');
  const xt = tensorArg(x, 'diag');
  const offset = integerArg(k, 'the diagonal offset k', 'diag');
  if (xt.shape.length === 1) return gather(xt, placeMap(xt.shape[0], offset));
  if (xt.shape.length === 2) return gather(xt, diagonalMap(xt.shape, offset));
  throw new ArgumentError(`diag: expects a vector or a matrix, got shape ${formatShape(xt.shape)}; for a batch of matrices use matrixTrace or a gather with take`);
}

/** The map from a vector of length n to the (n + |k|)² matrix with it on diagonal k. */
function placeMap(n: number, k: number): IndexMap {
  const size = n + Math.abs(k);
  checkedSize([size, size], 'diag');
  const map = new Int32Array(size * size).fill(NOWHERE);
  const r0 = Math.max(0, -k), c0 = Math.max(0, k);
  for (let i = 0; i < n; i++) map[(r0 + i) * size + c0 + i] = i;
  return { map, source: [n], target: [size, size] };
}

/**
 * The map from x (shape [..batch, m, n]) to its k-th diagonals over the last two axes, shape
 * [..batch, length of the diagonal].
 */
export function diagonalMap(shape: readonly number[], k: number): IndexMap {
  const m = shape[shape.length - 2], n = shape[shape.length - 1];
  const r0 = Math.max(0, -k), c0 = Math.max(0, k);
  const length = Math.max(0, Math.min(m - r0, n - c0));
  const batch = shape.slice(0, -2);
  const count = batch.reduce((p, d) => p * d, 1);
  const map = new Int32Array(count * length);
  for (let b = 0; b < count; b++) {
    for (let i = 0; i < length; i++) map[b * length + i] = b * m * n + (r0 + i) * n + c0 + i;
  }
  return { map, source: shape, target: [...batch, length] };
}
