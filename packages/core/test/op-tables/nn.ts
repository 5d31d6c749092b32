// Neural-network ops: convolution, pooling, softmax and log-softmax over any axis.
// (softmax's single-axis cases are in core.ts; 'softmaxAxes' adds axis lists.)
import * as ops from '../../src/ops/index.js';
import { tensor, type Tensor } from '../../src/index.js';
import { anyReal, type Table } from './cases.js';

type Conv = { x: Tensor; w: Tensor };

export const table: Table = {
  conv2d: [
    // Input and filters both active: the ∂²y/∂x∂W terms (transposed convolution of R{W}, correlation of R{x}).
    { f: (p: Conv) => ops.conv2d(p.x.reshape([1, 3, 3, 2]), p.w.reshape([2, 2, 2, 2]), { padding: 'same' }).tanh().sum(), x: () => ({ x: anyReal(18), w: anyReal(16) }) as never },
    { f: (p: Conv) => ops.conv2d(p.x.reshape([2, 5, 4, 2]), p.w.reshape([3, 2, 1, 4]), { stride: [2, 1], dilation: [1, 2], groups: 2, padding: [1, 0, 1, 1] }).sin().sum(), x: () => ({ x: anyReal(80), w: anyReal(24) }) as never },
    // Only the filters active (a layer's weights on constant data), and a 1×1 convolution.
    { f: (w: Tensor) => ops.conv2d(tensor(Array.from({ length: 32 }, (_, k) => Math.sin(k)), [2, 4, 4, 1]), w.reshape([3, 3, 1, 2])).tanh().square().sum(), x: () => anyReal(18) },
    { f: (p: Conv) => ops.conv2d(p.x.reshape([3, 3, 2]), p.w.reshape([1, 1, 2, 3])).exp().sum(), x: () => ({ x: anyReal(18), w: anyReal(6) }) as never },
  ],
  conv1d: [
    { f: (p: Conv) => ops.conv1d(p.x.reshape([1, 5, 2]), p.w.reshape([3, 2, 2]), { padding: 'same' }).tanh().sum(), x: () => ({ x: anyReal(10), w: anyReal(12) }) as never },
    { f: (p: Conv) => ops.conv1d(p.x.reshape([2, 7, 2]), p.w.reshape([2, 1, 4]), { stride: 2, dilation: 2, groups: 2 }).sin().sum(), x: () => ({ x: anyReal(28), w: anyReal(8) }) as never },
  ],
  maxPool2d: [
    // Random reals have no ties; max pooling is piecewise linear, the square makes H·v nonzero.
    { f: (x: Tensor) => ops.maxPool2d(x.reshape([1, 4, 4, 1]), 2).square().sum(), x: () => anyReal(16) },
    { f: (x: Tensor) => ops.maxPool2d(x.reshape([1, 3, 4, 2]).tanh(), [2, 3], { stride: 1, padding: 'same' }).square().sum(), x: () => anyReal(24) },
  ],
  avgPool2d: [
    { f: (x: Tensor) => ops.avgPool2d(x.reshape([1, 4, 4, 1]).sin(), 2).square().sum(), x: () => anyReal(16) },
    { f: (x: Tensor) => ops.avgPool2d(x.reshape([3, 3, 2]), [2, 2], { stride: 1, padding: 'same' }).tanh().sum(), x: () => anyReal(18) },
  ],
  logSoftmax: [
    { f: (x: Tensor) => ops.logSoftmax(x).mul(tensor([1, -2, 3])).sum(), x: () => anyReal(3) },
    { f: (x: Tensor) => ops.logSoftmax(x.reshape([2, 3]), 0).mul(tensor([1, 2, 3, 4, 5, 6], [2, 3])).sum().square(), x: () => anyReal(6) },
    { f: (x: Tensor) => ops.logSoftmax(x.reshape([2, 2, 2]), [0, 2]).exp().mul(tensor([1, 0, 2, 1, -1, 3, 0.5, 1], [2, 2, 2])).sum(), x: () => anyReal(8) },
  ],
  softmaxAxes: [
    { f: (x: Tensor) => ops.softmax(x.reshape([2, 3, 2]), [1, 2]).mul(tensor(Array.from({ length: 12 }, (_, k) => k - 5), [2, 3, 2])).sum().square(), x: () => anyReal(12) },
  ],
};
