// yₖ = Π_{j≤k} xⱼ along one axis: the recurrence yₖ = xₖ·yₖ₋₁ from y₀ = x₀, a linear scan
// (linear-scan.ts) of x with x₀ as its only input. ∂yₖ/∂xᵢ = Π_{j≤k, j≠i} xⱼ (i ≤ k) and every higher
// derivative come from the scan's rules, which are scans again: O(n) per line, no division, so exact
// where x has zeros, at every order and nested.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../node.js';
import { normalizeAxis } from '../shape.js';
import { linearScan } from './linear-scan.js';
import { noExtraArguments, shown, tensorArg } from './op-args.js';
import { pad } from './pad.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';

/**
 * Running products along `axis` (NumPy's `cumprod`): element k is the product of elements 0…k, with
 * derivatives exact where elements are 0 (no division by x). Without `axis`, of x flattened.
 *
 * @example
 * ```ts
 * cumprod(x);       // [1, 2, 6] for x = [1, 2, 3]
 * m.cumprod(0);     // running products down each column
 * ```
 */
export function cumprod(x: Tensor, axis?: number): Tensor {
  noExtraArguments('cumprod', arguments, 2, 'cumprod(x, axis)');
  const xt = tensorArg(x, 'cumprod');
  if (axis !== undefined && typeof axis !== 'number') {
    throw new ArgumentError(`cumprod: axis must be one axis (a number) or left out (to multiply x flattened), got ${shown(axis)}`);
  }
  const y = axis === undefined ? reshape(xt, [xt.size]) : xt;
  const a = axis === undefined ? 0 : normalizeAxis(axis, xt.shape, 'cumprod');
  const n = y.shape[a];
  if (n <= 1) return y;
  // The scan's input: x₀ in place, zeros after it.
  const first = pad(slice(y, 0, 1, a), y.shape.map((_, k) => (k === a ? [0, n - 1] : [0, 0]) as [number, number]));
  return linearScan(y, first, a, false);
}
