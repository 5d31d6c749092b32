// y = [x₁, x₂, …] stacked along a new axis: each xᵢ gets a unit axis (reshape), then they are joined
// (concat). Scalars stack into a vector. The rules are those of promote, reshape and concat.
import { ArgumentError, ShapeError } from '../errors.js';
import { Scalar, Tensor, describeValue } from '../node.js';
import { formatShape, sameShape } from '../shape.js';
import { promote } from '../elementwise/operands.js';
import { concat } from './concat.js';
import { reshape } from './reshape.js';
import { noExtraArguments } from './op-args.js';

/**
 * Stacks scalars or same-shape tensors along a new axis (default 0; a negative axis counts from the
 * end of the result).
 *
 * @example
 * ```ts
 * stack([x.at(0), x.at(1).square()]); // a vector of two scalars
 * stack([a, b], 1);                   // [n] and [n] → [n, 2]
 * ```
 */
export function stack(xs: ReadonlyArray<Scalar | Tensor>, axis = 0): Tensor {
  if (arguments.length > 2) noExtraArguments('stack', arguments, 2, 'stack(xs, axis)');
  if (!Array.isArray(xs) || xs.length === 0) throw new ArgumentError('stack: needs a non-empty array of nodes');
  if (typeof axis !== 'number') throw new ArgumentError(`stack: axis must be an integer, got ${describeValue(axis)}`);
  // A plain loop, not forEach, which skips the holes of new Array(n).
  for (let j = 0; j < xs.length; j++) {
    const x: unknown = xs[j];
    if (!(x instanceof Scalar) && !(x instanceof Tensor)) throw new ArgumentError(`stack: element ${j} is ${describeValue(x)}; expected a node`);
  }
  const first = xs[0] instanceof Tensor ? xs[0].shape : [];
  xs.forEach((x, j) => {
    const shape = x instanceof Tensor ? x.shape : [];
    if (!sameShape(shape, first)) {
      throw new ShapeError(`stack: every element must have the same shape; element 0 is ${formatShape(first)}, element ${j} is ${formatShape(shape)}`);
    }
  });
  const parts = xs.map((x) => {
    const tensor = x instanceof Scalar ? promote(x) : x;
    const rank = tensor.shape.length;
    const a = axis < 0 ? axis + rank + 1 : axis;
    if (!Number.isInteger(a) || a < 0 || a > rank) {
      throw new ArgumentError(`stack: axis ${axis} is out of range for rank-${rank} inputs`);
    }
    return reshape(tensor, [...tensor.shape.slice(0, a), 1, ...tensor.shape.slice(a)]);
  });
  const rank = parts[0].shape.length;
  return concat(parts, axis < 0 ? axis + rank : axis);
}
