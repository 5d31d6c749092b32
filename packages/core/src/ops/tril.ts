// y = x with the elements above the k-th diagonal set to 0 (over the last two axes). A choice by a
// constant mask (where), so R{y} = tril(R{x}) and x̄ += tril(ȳ), and likewise R{x̄}.
import { triangle } from './triu.js';
import type { Tensor } from '../node.js';
import { noExtraArguments } from './op-args.js';

/**
 * The lower triangle: elements on and below the `k`-th diagonal kept (k > 0 keeps that many
 * diagonals above the main one, k < 0 drops that many below), the rest 0; over the last two axes, so
 * a batch of matrices is taken one by one (NumPy's `tril`). A NaN or ±∞ above the diagonal becomes 0.
 *
 * @example
 * ```ts
 * tril(m);          // [[1, 0], [3, 4]] for m = [[1, 2], [3, 4]]
 * m.tril(-1);       // strictly below the diagonal
 * ```
 */
export function tril(x: Tensor, k = 0): Tensor {
  if (arguments.length > 2) noExtraArguments('tril', arguments, 2, 'tril(x, k)');
  return triangle(x, k, 'tril', (i, j) => j - i <= k);
}
