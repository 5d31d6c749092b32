// y = x[indices] along an axis (NumPy's take; without an axis, of x flattened): a gather.
// Linear: R{y} = R{x}[indices]; x̄ += ȳ scattered back to where each element came from, summed over
// repeated indices (scatterAdd's rule), and likewise R{x̄}.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../node.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { gather, oneAxisMap, type IndexMap } from './index-map.js';
import { indexArg, isArrayLike, shown, tensorArg, noExtraArguments } from './op-args.js';

/**
 * Gathers elements along `axis` by index (NumPy's `take`): result axis `axis` holds x's elements at
 * `indices` — an `Int32Array` or array of integers, negative ones counting from the end, repeats
 * allowed — so the result's shape is x's with that axis's length replaced by the number of indices.
 * A single number index drops the axis. Without `axis`, x is flattened first (so the result is 1-D,
 * or 0-d for a single index). An index out of range is an `ArgumentError`. The adjoint is
 * `scatterAdd`.
 *
 * @example
 * ```ts
 * const rows = take(table, [3, 1, 3], 0); // rows 3, 1 and 3 of a [vocab, dim] table: shape [3, dim]
 * const lastTwo = x.take([-2, -1]);        // the last two elements of x flattened
 * ```
 */
export function take(x: Tensor, indices: number | ArrayLike<number>, axis?: number): Tensor {
  if (arguments.length > 3) noExtraArguments('take', arguments, 3, 'take(x, indices, axis)');
  const xt = tensorArg(x, 'take');
  const m = takeMap(xt, indices, axis, 'take');
  if (axis !== undefined) return gather(xt, m);
  // Flattened indices are x's own row-major positions: the map reads x itself, with no reshape node
  // between (whose fresh adjoint would make every take's backward a full-size scatter).
  return gather(xt, { ...m, source: xt.shape });
}

/** The gather map of take (and scatterAdd): from x (flattened when axis is undefined) to the result. */
export function takeMap(x: Tensor, indices: number | ArrayLike<number>, axis: number | undefined, opName: string): IndexMap {
  const source = axis === undefined ? [x.size] : x.shape;
  if (axis !== undefined && typeof axis !== 'number') {
    throw new ArgumentError(`${opName}: axis must be a number or left out (to index x flattened), got ${shown(axis)}`);
  }
  const a = axis === undefined ? 0 : normalizeAxis(axis, x.shape, opName);
  const where = axis === undefined ? `x flattened (shape ${formatShape(x.shape)})` : `axis ${a} of shape ${formatShape(x.shape)}`;
  const single = typeof indices === 'number';
  if (!single && !isArrayLike(indices)) {
    throw new ArgumentError(`${opName}: indices must be an integer, an Int32Array or an array of integers, got ${shown(indices)}`);
  }
  const reads = indexArg(single ? [indices] : indices, source[a], where, opName);
  const m = oneAxisMap(source, a, reads);
  // A single index drops its axis (NumPy): the same map, read into a shape without it.
  return single ? { ...m, target: m.target.filter((_, k) => k !== a) } : m;
}
