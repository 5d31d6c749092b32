// The one option of det, logDet and slogdet: whether a stack of matrices is accepted (and a tensor of
// results returned) or a single matrix (and a scalar node returned). TypeScript cannot see a tensor's
// rank, so the caller says which: `det(A)` is a Scalar, `det(As, { batched: true })` a Tensor.
import { ShapeError } from '../../errors.js';
import { checkOptions, option, type OptionsSpec } from '../../options.js';
import { formatShape, type Shape } from '../../shape.js';
import { squareStack, type SquareStack } from './matrices.js';

/**
 * Options of `det`, `logDet` and `slogdet`.
 *
 * @example
 * ```ts
 * const dets = det(stackOfMatrices, { batched: true } satisfies DetOptions); // a tensor, one per matrix
 * ```
 */
export interface DetOptions {
  /**
   * Accept a stack [..., n, n] and return a tensor of its batch shape (default `false`: one matrix
   * [n, n], one scalar node).
   */
  readonly batched?: boolean;
}

const SPEC: OptionsSpec<DetOptions> = { batched: option.boolean() };

/** The stack behind `shape`, and whether the op returns a scalar node (not batched). */
export function determinantShape(shape: Shape, options: DetOptions | undefined, opName: string): SquareStack & { scalar: boolean } {
  const { batched = false } = checkOptions(opName, options, SPEC);
  const stack = squareStack(shape, opName);
  if (!batched && stack.batch.length > 0) {
    throw new ShapeError(
      `${opName}: the matrix has shape ${formatShape(shape)}, a stack of ${stack.count} matrices, but ${opName}(A) returns ` +
        `one scalar; pass { batched: true } for a tensor of shape ${formatShape(stack.batch)}, one per matrix`,
    );
  }
  return { ...stack, scalar: !batched };
}
