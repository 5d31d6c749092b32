// y[n, o, k] = Σ_{j, c} x[n, o·s − left + j·d, c]·W[j, c, k] (NWC input, WIO filters): a 2-D
// convolution of height 1, so its rules are conv2d's (convolution.ts): bilinear in x and W, with the
// transposed convolution and the correlation as the adjoints.
import { ArgumentError, ShapeError } from '../errors.js';
import { Tensor, describeValue } from '../node.js';
import { formatShape } from '../shape.js';
import { commonTape } from '../tape.js';
import { convGeometry, type ConvOptions } from './conv-geometry.js';
import { convolutionTerm } from './convolution.js';
import { reshape } from './reshape.js';
import { noExtraArguments } from './op-args.js';

/**
 * 1-D convolution (cross-correlation) of NWC sequences with WIO filters: x of shape [N, W, C] (or
 * [W, C]), filters [fw, C/groups, K], result [N, outW, K]. Options as {@link conv2d}'s, each a number
 * (or a 1-element array); padding `'valid'`, `'same'`, a number or `[left, right]`.
 *
 * @example
 * ```ts
 * const y = conv1d(signals, filters, { padding: 'same', dilation: 2 }); // [N, 100, 4] * [3, 4, 8] → [N, 100, 8]
 * const z = signals.conv1d(filters, { stride: 2 });
 * ```
 */
export function conv1d(x: Tensor, filters: Tensor, options?: ConvOptions): Tensor {
  noExtraArguments('conv1d', arguments, 3, 'conv1d(x, filters, options)', 'the stride, padding and dilation go in the options: conv1d(x, filters, { stride, padding, dilation })');
  if (!(x instanceof Tensor)) throw new ArgumentError(`conv1d: the input is ${describeValue(x)}; expected a tensor of shape [N, W, C]`);
  if (!(filters instanceof Tensor)) throw new ArgumentError(`conv1d: the filters are ${describeValue(filters)}; expected a tensor of shape [fw, C, K]`);
  commonTape(x.tape, filters.tape, 'conv1d');
  const single = x.shape.length === 2;
  if ((x.shape.length !== 3 && !single) || filters.shape.length !== 3) {
    throw new ShapeError(`conv1d: input ${formatShape(x.shape)} and filters ${formatShape(filters.shape)}: expected an input [N, W, C] (or [W, C]) and filters [fw, C/groups, K]`);
  }
  const [n, w, c] = single ? [1, ...x.shape] : x.shape;
  const x4 = reshape(x, [n, 1, w, c]);
  const f4 = reshape(filters, [1, ...filters.shape]);
  const g = convGeometry('conv1d', x4.shape, f4.shape, options, 1);
  const y = convolutionTerm('y', x4, f4, g);
  return reshape(y, single ? [g.ow, g.k] : [n, g.ow, g.k]);
}
