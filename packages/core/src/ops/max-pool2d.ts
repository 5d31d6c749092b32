// y = max over each window of x (NHWC), a piecewise-linear map: on each piece y = S·x, where S picks
// the window's maximum. R{y} = S·R{x}; x̄ += Sᵀ·ȳ; ∂²y/∂x² = 0. Ties split evenly, as max does: a
// window with t equal maxima gives each 1/t of the adjoint (so maxPool2d of a constant image passes
// the mean of ȳ back). A window holding NaN gives NaN, and its NaNs take the adjoint.
import type { Tensor } from '../node.js';
import type { PoolOptions } from './conv-geometry.js';
import { pool } from './pool-window.js';
import { noExtraArguments } from './op-args.js';

/** Keeps the window's maxima (or its NaNs) in front, weighted 1/ties. */
function maxima(data: Float64Array, at: Int32Array, count: number, weight: Float64Array, from: number): number {
  let best = -Infinity;
  let nan = false;
  for (let e = 0; e < count; e++) {
    const v = data[at[e]];
    if (v !== v) nan = true;
    else if (v > best || (v === 0 && best === 0 && 1 / v > 0)) best = v; // +0 beats −0, as in max
  }
  let kept = 0;
  for (let e = 0; e < count; e++) {
    const v = data[at[e]];
    if (nan ? v !== v : v === best) at[kept++] = at[e];
  }
  for (let e = 0; e < kept; e++) weight[from + e] = 1 / kept;
  return kept;
}

/**
 * Max pooling over windows of NHWC images: x [N, H, W, C] (or [H, W, C]), `size` a number or [h, w],
 * options `stride` (default: the window size) and `padding` (`'valid'` default, `'same'`, or
 * explicit; padded positions never win). Ties split the adjoint evenly; see docs/conventions.md.
 *
 * @example
 * ```ts
 * const y = maxPool2d(activations, 2);                                  // [N, 26, 26, 8] → [N, 13, 13, 8]
 * const z = activations.maxPool2d([3, 3], { stride: 2, padding: 'same' });
 * ```
 */
export function maxPool2d(x: Tensor, size: number | readonly number[], options?: PoolOptions): Tensor {
  if (arguments.length > 3) noExtraArguments('maxPool2d', arguments, 3, 'maxPool2d(x, size, options)');
  return pool('maxPool2d', x, size, options, maxima, false);
}
