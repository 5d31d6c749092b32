// y = x with the elements below the k-th diagonal set to 0 (over the last two axes). A choice by a
// constant mask (where), so R{y} = triu(R{x}) and x̄ += triu(ȳ), and likewise R{x̄}.
import { ArgumentError } from '../errors.js';
import { constantTensor, type Tensor } from '../node.js';
import { formatShape } from '../shape.js';
import { integerArg, tensorArg, noExtraArguments } from './op-args.js';
import { where } from './where.js';

/**
 * The upper triangle: elements on and above the `k`-th diagonal kept (k < 0 keeps that many
 * diagonals below the main one, k > 0 drops that many above), the rest 0; over the last two axes, so
 * a batch of matrices is taken one by one (NumPy's `triu`). A NaN or ±∞ below the diagonal becomes 0.
 *
 * @example
 * ```ts
 * triu(m);          // [[1, 2], [0, 4]] for m = [[1, 2], [3, 4]]
 * m.triu(1);        // strictly above the diagonal
 * ```
 */
export function triu(x: Tensor, k = 0): Tensor {
  if (arguments.length > 2) noExtraArguments('triu', arguments, 2, 'triu(x, k)');
  return triangle(x, k, 'triu', (i, j) => j - i >= k);
}

/** x where keep(row, column) holds over the last two axes, 0 elsewhere. */
export function triangle(x: Tensor, k: number, opName: string, keep: (i: number, j: number) => boolean): Tensor {
  const xt = tensorArg(x, opName);
  integerArg(k, 'the diagonal offset k', opName);
  if (xt.shape.length < 2) {
    throw new ArgumentError(`${opName}: expects a matrix or a batch of matrices (rank ≥ 2), got shape ${formatShape(xt.shape)}`);
  }
  const m = xt.shape[xt.shape.length - 2], n = xt.shape[xt.shape.length - 1];
  const mask = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) mask[i * n + j] = keep(i, j) ? 1 : 0;
  return where(constantTensor(xt.tape, mask, [m, n]), xt, 0);
}
