// yₖ = Π_{j≤k} xⱼ along one axis, computed as a prefix scan of elementwise products (Hillis–Steele:
// at step s = 1, 2, 4, …, yₖ ← yₖ·y_{k−s} for k ≥ s), so after ⌈log₂ n⌉ steps each yₖ holds its
// prefix product. ∂yₖ/∂xᵢ = Π_{j≤k, j≠i} xⱼ (i ≤ k) and the higher derivatives come from mul's rules
// through the scan, with no division: exact where x has zeros, at every order and nested.
// Work O(n log n) per line along the axis.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../node.js';
import { normalizeAxis } from '../shape.js';
import { concat } from './concat.js';
import { mul } from './mul.js';
import { shown, tensorArg } from './op-args.js';
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
  const xt = tensorArg(x, 'cumprod');
  if (axis !== undefined && typeof axis !== 'number') {
    throw new ArgumentError(`cumprod: axis must be one axis (a number) or left out (to multiply x flattened), got ${shown(axis)}`);
  }
  let y = axis === undefined ? reshape(xt, [xt.size]) : xt;
  const a = axis === undefined ? 0 : normalizeAxis(axis, xt.shape, 'cumprod');
  const n = y.shape[a];
  for (let s = 1; s < n; s *= 2) {
    y = concat([slice(y, 0, s, a), mul(slice(y, s, n, a), slice(y, 0, n - s, a))], a);
  }
  return y;
}
