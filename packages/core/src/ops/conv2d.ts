// y[n, oy, ox, k] = Σ_{i, j, c} x[n, oy·sh − top + i·dh, ox·sw − left + j·dw, c]·W[i, j, c, k]
// (NHWC input, HWIO filters, zeros outside x; channel groups convolve slices independently).
// Bilinear: R{y} = conv(R{x}, W) + conv(x, R{W}); x̄ += convᵀ(ȳ, W) (a transposed convolution) and
// W̄ += corr(x, ȳ) (a correlation), each an op with its own rules (convolution.ts), so H·v and nested
// derivatives come out exact; ∂²y/∂x∂W is the only second-order term.
import { ArgumentError, ShapeError } from '../errors.js';
import { Tensor, describeValue } from '../node.js';
import { formatShape } from '../shape.js';
import { commonTape } from '../tape.js';
import { convGeometry, type ConvOptions } from './conv-geometry.js';
import { convolutionTerm } from './convolution.js';
import { reshape } from './reshape.js';
import { noExtraArguments } from './op-args.js';

/**
 * 2-D convolution (strictly, cross-correlation, as in TensorFlow.js and PyTorch) of NHWC images with
 * HWIO filters: x of shape [N, H, W, C] (or [H, W, C] for one image), filters [fh, fw, C/groups, K],
 * result [N, outH, outW, K]. Options: `stride`, `padding` (`'valid'` default, `'same'`, or explicit),
 * `dilation`, `groups` — see {@link ConvOptions}; checked at run time. Runs as im2col + GEMM on the
 * matrix kernels.
 *
 * @example
 * ```ts
 * const y = conv2d(images, filters, { padding: 'same' });            // [N, 28, 28, 1] * [3, 3, 1, 8] → [N, 28, 28, 8]
 * const z = images.conv2d(filters, { stride: 2, dilation: 1 });
 * ```
 */
export function conv2d(x: Tensor, filters: Tensor, options?: ConvOptions): Tensor {
  noExtraArguments('conv2d', arguments, 3, 'conv2d(x, filters, options)', 'the stride, padding and dilation go in the options: conv2d(x, filters, { stride, padding, dilation })');
  if (!(x instanceof Tensor)) throw new ArgumentError(`conv2d: the input is ${describeValue(x)}; expected a tensor of shape [N, H, W, C]`);
  if (!(filters instanceof Tensor)) throw new ArgumentError(`conv2d: the filters are ${describeValue(filters)}; expected a tensor of shape [fh, fw, C, K]`);
  commonTape(x.tape, filters.tape, 'conv2d');
  const single = x.shape.length === 3;
  if ((x.shape.length !== 4 && !single) || filters.shape.length !== 4) {
    throw new ShapeError(`conv2d: input ${formatShape(x.shape)} and filters ${formatShape(filters.shape)}: expected an input [N, H, W, C] (or [H, W, C]) and filters [fh, fw, C/groups, K]`);
  }
  const x4 = single ? reshape(x, [1, ...x.shape]) : x;
  const g = convGeometry('conv2d', x4.shape, filters.shape, options, 2);
  const y = convolutionTerm('y', x4, filters, g);
  return single ? reshape(y, y.shape.slice(1)) : y;
}
