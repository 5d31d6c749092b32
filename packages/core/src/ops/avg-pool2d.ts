// y = the mean over each window of x (NHWC): linear, y = S·x with S holding 1/count for each element
// a window covers (padding is left out of the count, as TensorFlow does). R{y} = S·R{x};
// x̄ += Sᵀ·ȳ; ∂²y/∂x² = 0.
import type { Tensor } from '../node.js';
import type { PoolOptions } from './conv-geometry.js';
import { pool } from './pool-window.js';
import { noExtraArguments } from './op-args.js';

function mean(_data: Float64Array, _at: Int32Array, count: number, weight: Float64Array, from: number): number {
  for (let e = 0; e < count; e++) weight[from + e] = 1 / count;
  return count;
}

/**
 * Average pooling over windows of NHWC images: x [N, H, W, C] (or [H, W, C]), `size` a number or
 * [h, w], options `stride` (default: the window size) and `padding` (`'valid'` default, `'same'`, or
 * explicit; padded positions are not counted).
 *
 * @example
 * ```ts
 * const y = avgPool2d(activations, 2);                 // [N, 26, 26, 8] → [N, 13, 13, 8]
 * const z = activations.avgPool2d([2, 2], { stride: 1 });
 * ```
 */
export function avgPool2d(x: Tensor, size: number | readonly number[], options?: PoolOptions): Tensor {
  noExtraArguments('avgPool2d', arguments, 3, 'avgPool2d(x, size, options)', 'the stride and padding go in the options: avgPool2d(x, size, { stride, padding })');
  return pool('avgPool2d', x, size, options, mean, true);
}
