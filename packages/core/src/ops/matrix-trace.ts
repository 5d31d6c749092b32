// y = Σᵢ x[i, i + k], the sum of the k-th diagonal (per matrix, over the last two axes of a batch).
// Linear: R{y} = matrixTrace(R{x}); x̄ += ȳ on the k-th diagonal and 0 elsewhere, likewise R{x̄}.
// A gather of the diagonals followed by a sum: the rules are theirs.
import { ArgumentError } from '../errors.js';
import type { Scalar, Tensor } from '../node.js';
import { formatShape } from '../shape.js';
import { diagonalMap } from './diag.js';
import { gather } from './index-map.js';
import { integerArg, tensorArg, noExtraArguments } from './op-args.js';
import { sum } from './sum.js';

/**
 * The trace: the sum of the `offset`-th diagonal (k > 0 above the main one) of a matrix, as a scalar;
 * of each matrix of a batch (over the last two axes, as `numpy.linalg.trace`), as a tensor of the
 * batch's shape (the type says `Scalar | Tensor`: narrow it with `as Scalar` for a matrix). Named so
 * because `trace` is the tape inspector.
 *
 * @example
 * ```ts
 * const t = matrixTrace(m) as Scalar; // m₀₀ + m₁₁ + …
 * batch.matrixTrace();      // one trace per matrix of a [B, n, n] batch: shape [B]
 * ```
 */
export function matrixTrace(x: Tensor, offset = 0): Scalar | Tensor {
  if (arguments.length > 2) noExtraArguments('matrixTrace', arguments, 2, 'matrixTrace(x, offset)');
  const xt = tensorArg(x, 'matrixTrace');
  const k = integerArg(offset, 'the diagonal offset', 'matrixTrace');
  if (xt.shape.length < 2) {
    throw new ArgumentError(`matrixTrace: expects a matrix or a batch of matrices (rank ≥ 2), got shape ${formatShape(xt.shape)}`);
  }
  const diagonals = gather(xt, diagonalMap(xt.shape, k));
  return xt.shape.length === 2 ? sum(diagonals) : sum(diagonals, -1);
}
