// y = the mean over each window of x (NHWC): linear, y = S·x with S holding 1/d for each element a
// window covers, d the number of input elements it covers (padding left out, as TensorFlow does) or,
// with `countPadding`, the full window size fh·fw (padded zeros counted, as PyTorch's and Flax's
// count_include_pad=True). R{y} = S·R{x}; x̄ += Sᵀ·ȳ; ∂²y/∂x² = 0.
import type { Tensor } from '../node.js';
import { checkOptions, option, type OptionsSpec } from '../options.js';
import { poolSpec, type PoolOptions } from './conv-geometry.js';
import { pool } from './pool-window.js';
import { noExtraArguments } from './op-args.js';

/**
 * Options of {@link avgPool2d}: those of {@link PoolOptions}, and what a window's mean divides by.
 * Checked at run time: an unknown key or a value of the wrong type is an {@link OptionError}.
 *
 * @example
 * ```ts
 * const torchLike: AvgPoolOptions = { stride: 2, padding: 1, countPadding: true }; // nn.AvgPool2d(3, 2, 1)
 * ```
 */
export interface AvgPoolOptions extends PoolOptions {
  /**
   * Divide each window's sum by the full window size fh·fw, padded zeros counted, as PyTorch's
   * `avg_pool2d` and Flax's `avg_pool` do by default (`count_include_pad=True`). Default false: divide
   * by the number of input elements the window covers, as TensorFlow and Keras do. Without padding
   * (`'valid'`) both are the same.
   */
  readonly countPadding?: boolean;
}

const SPEC: OptionsSpec<AvgPoolOptions> = { ...poolSpec(), countPadding: option.boolean() };

/** 1/count for each element the window covers: padding left out. */
function meanOfCovered(_data: Float64Array, _at: Int32Array, count: number, weight: Float64Array, from: number): number {
  for (let e = 0; e < count; e++) weight[from + e] = 1 / count;
  return count;
}

/** 1/(fh·fw) for each element the window covers: padding counted as zeros. */
function meanOfWindow(_data: Float64Array, _at: Int32Array, count: number, weight: Float64Array, from: number, windowSize: number): number {
  for (let e = 0; e < count; e++) weight[from + e] = 1 / windowSize;
  return count;
}

/**
 * Average pooling over windows of NHWC images: x [N, H, W, C] (or [H, W, C]), `size` a number or
 * [h, w], options `stride` (default: the window size), `padding` (`'valid'` default, `'same'`, or
 * explicit) and `countPadding` (default false: padded positions are not counted, as TensorFlow;
 * true: every window divides by h·w, padded zeros included, as PyTorch's `count_include_pad=True`).
 *
 * @example
 * ```ts
 * const y = avgPool2d(activations, 2);                 // [N, 26, 26, 8] → [N, 13, 13, 8]
 * const z = activations.avgPool2d([2, 2], { stride: 1 });
 * // PyTorch's nn.AvgPool2d(3, stride=2, padding=1) (count_include_pad=True by default) on NHWC data:
 * const t = avgPool2d(activations, 3, { stride: 2, padding: 1, countPadding: true });
 * ```
 */
export function avgPool2d(x: Tensor, size: number | readonly number[], options?: AvgPoolOptions): Tensor {
  noExtraArguments('avgPool2d', arguments, 3, 'avgPool2d(x, size, options)', 'the stride and padding go in the options: avgPool2d(x, size, { stride, padding })');
  const { countPadding = false, ...poolOptions } = checkOptions('avgPool2d', options, SPEC);
  return countPadding
    ? pool('avgPool2d', x, size, poolOptions, meanOfWindow, 'avgPool2d countPadding')
    : pool('avgPool2d', x, size, poolOptions, meanOfCovered, 'avgPool2d');
}
