// y = x with `updates` added at `indices` along an axis (PyTorch's index_add; NumPy's add.at without
// an axis, into x flattened): y = x + scatter(updates), where scatter is take's adjoint.
// Linear in both: R{y} = R{x} + scatter(R{updates}); x̄ += ȳ, ūpdates += take(ȳ), and likewise the
// R{·} lanes. Repeated indices add up.
import { ShapeError } from '../errors.js';
import { asTensor, tapeOfOperands } from '../elementwise/operands.js';
import type { Operand, Tensor } from '../node.js';
import { broadcastShapes, formatShape, sameShape } from '../shape.js';
import { add } from './add.js';
import { broadcastTo } from './broadcast-to.js';
import { scatter } from './index-map.js';
import { reshape } from './reshape.js';
import { takeMap } from './take.js';
import { tensorArg, noExtraArguments } from './op-args.js';

/**
 * x plus `updates` added at `indices` along `axis` (PyTorch's `index_add`): the shape of `updates` is
 * x's with that axis's length replaced by the number of indices (dropped for a single number index),
 * and a smaller `updates` (or a number) broadcasts to it. Repeated indices add up; negative indices
 * count from the end; an index out of range is an `ArgumentError`. Without `axis`, the indices index x
 * flattened and the result keeps x's shape. The adjoint of `take`.
 *
 * @example
 * ```ts
 * const counts = scatterAdd(zeros([3]), [0, 2, 2], 1);   // [1, 0, 2]
 * const grads = scatterAdd(table, [4, 1], rowUpdates, 0); // rows 4 and 1 of table plus rowUpdates [2, dim]
 * ```
 */
export function scatterAdd(x: Tensor, indices: number | ArrayLike<number>, updates: Operand, axis?: number): Tensor {
  if (arguments.length > 4) noExtraArguments('scatterAdd', arguments, 4, 'scatterAdd(x, indices, updates, axis)');
  const t = tapeOfOperands(tensorArg(x, 'scatterAdd'), updates, 'scatterAdd', ['tensor x', 'updates argument']);
  const m = takeMap(x, indices, axis, 'scatterAdd');
  let u = asTensor(updates, t, 'scatterAdd');
  if (!sameShape(u.shape, m.target)) {
    const fits = (() => {
      try {
        return sameShape(broadcastShapes(u.shape, m.target, 'scatterAdd'), m.target);
      } catch {
        return false;
      }
    })();
    if (!fits) {
      throw new ShapeError(
        `scatterAdd: updates of shape ${formatShape(u.shape)} do not broadcast to ${formatShape(m.target)} ` +
          `(x's shape ${formatShape(x.shape)} with the indexed axis replaced by the indices)`,
      );
    }
    u = broadcastTo(u, m.target);
  }
  const spread = scatter(u, m);
  return add(x, axis === undefined ? reshape(spread, x.shape) : spread);
}
