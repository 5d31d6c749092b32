// y = x gathered along an axis with an index per position (NumPy's take_along_axis): y[…, j, …] =
// x[…, indices[…, j, …], …], the other axes matched element for element. A gather with constant
// indices, so linear: R{y} is the same gather of R{x}, and x̄ += ȳ scattered back (summed over
// repeated indices), likewise R{x̄}. Pairs with argsort and topK's indices.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../node.js';
import { axisView } from '../algebra/numbers.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { nestedShape } from '../pytree.js';
import { alongAxisMap, gather } from './index-map.js';
import { indexArg, isArrayLike, shown, tensorArg, noExtraArguments } from './op-args.js';

/**
 * Gathers x along `axis` with one index per result position (NumPy's `take_along_axis`): `indices`
 * (an `Int32Array` or array of integers, negative ones counting from the end; or nested arrays shaped
 * as the result, as NumPy takes them) holds, row-major, an index along the axis for every element of the result, whose shape is x's with that axis as long
 * as `indices.length` divided by the product of x's other dimensions. `takeAlongAxis(x, argsort(x,
 * axis), axis)` is `sort(x, axis)` (where the other dimensions hold no element, the axis keeps x's
 * length); with topK's indices it picks the matching entries of another
 * tensor. An index out of range, or a length that does not fit x's shape, is an `ArgumentError`.
 *
 * @example
 * ```ts
 * const order = argsort(keys, 1);            // per row of a [B, n] matrix
 * const values = takeAlongAxis(vals, order, 1); // vals reordered row by row as keys sort
 * ```
 */
export function takeAlongAxis(x: Tensor, indices: ArrayLike<number> | readonly (readonly unknown[] | ArrayLike<number>)[], axis: number): Tensor {
  if (arguments.length > 3) noExtraArguments('takeAlongAxis', arguments, 3, 'takeAlongAxis(x, indices, axis)');
  const xt = tensorArg(x, 'takeAlongAxis');
  if (typeof axis !== 'number') throw new ArgumentError(`takeAlongAxis: axis must be a number, got ${shown(axis)}`);
  const a = normalizeAxis(axis, xt.shape, 'takeAlongAxis');
  // Nested like x (NumPy's and JAX's form): read row-major, x's shape but along the axis.
  if (Array.isArray(indices) && indices.length > 0 && (Array.isArray(indices[0]) || ArrayBuffer.isView(indices[0]))) {
    // Rows given as typed arrays (argsort's Int32Arrays) read as the numbers they hold.
    indices = (indices as readonly unknown[]).map((row) => (ArrayBuffer.isView(row) ? Array.from(row as unknown as ArrayLike<number>) : row)) as unknown[][];
    const shape = nestedShape(indices);
    if (shape === null || shape.length !== xt.shape.length || shape.some((d, i) => i !== a && d !== xt.shape[i])) {
      throw new ArgumentError(
        `takeAlongAxis: nested indices must be a rectangular array of x's shape ${formatShape(xt.shape)} except along axis ${a}` +
          `${shape === null ? ' (these are ragged or not all numbers)' : `, got shape ${formatShape(shape)}`}; they are not broadcast`,
      );
    }
    indices = (indices as readonly unknown[]).flat(Infinity) as number[];
  }
  if (!isArrayLike(indices)) {
    throw new ArgumentError(`takeAlongAxis: indices must be an Int32Array or an array of integers, got ${shown(indices)}`);
  }
  const { outer, n, inner } = axisView(xt.shape, a);
  const lines = outer * inner;
  // With no other elements (lines = 0) the indices cannot tell the length: x's is kept, so that
  // takeAlongAxis(x, argsort(x, a), a) is sort(x, a) there too.
  const k = lines === 0 ? n : indices.length / lines;
  if (!Number.isInteger(k) || (lines === 0 && indices.length > 0)) {
    throw new ArgumentError(
      `takeAlongAxis: ${indices.length} indices do not fill x's shape ${formatShape(xt.shape)} with axis ${a} of some length: ` +
        `give a multiple of ${lines} (the product of the other dimensions), one index per result element`,
    );
  }
  const reads = indexArg(indices, n, `axis ${a} of shape ${formatShape(xt.shape)}`, 'takeAlongAxis');
  return gather(xt, alongAxisMap(reads, xt.shape, a, k));
}
