// Peer suite: the gradient cases of TensorFlow.js's depthwise_conv2d_test.ts (tensorflow/tfjs,
// tfjs-core/src/ops/, describe('depthwiseConv2d gradients')), ported as our own TypeScript; see
// ./tfjs-check.ts for what each case checks.
// Mapping: tfjs's depthwiseConv2d(x, filter [fh, fw, C, chMul]) gives output channel c·chMul + m from
// input channel c and filter [.., c, m]. That is our grouped conv2d with groups = C and filters
// [fh, fw, 1, C·chMul] (group g owns output channels g·chMul … g·chMul + chMul − 1), and tfjs's filter
// read row-major is already that array: a reshape. tfjs's grad/valueAndGrad of a non-scalar f is the
// vjp with dy = ones; 'squared output' is square of the convolution, dy = ones.
// tfjs's 'throws error on dilations > 1' (its depthwise gradient lacks dilation) has no counterpart:
// ours differentiates dilated convolutions.
import { describe, it } from 'vitest';
import { conv2d, reshape, square, tensor, type Tensor } from '../../src/index.js';
import { gradCase, t } from './tfjs-check.js';

const depthwise = (x: Tensor, f: Tensor, stride: number, padding: 'same' | 'valid') => {
  const [fh, fw, c, m] = f.shape;
  return conv2d(x, reshape(f, [fh, fw, 1, c * m]), { stride, padding, groups: c });
};

describe('tfjs depthwise_conv2d_test.ts: depthwiseConv2d gradients', () => {
  // two 2×2 RGB images, 2×2 filters with chMul = 2
  const images = [2, 3, 1, 3, 0, 2, 0, 4, 1, 3, 1, 3, 2, 1, 0, 0, 3, 3, 4, 0, 1, 1, 4, 1];
  const filter = [1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0];
  const result = [
    2, 8, 8, 7, 2, 2, 6, 3, 1, 1, 0, 0, 0, 3, 5, 5, 3, 3, 3, 3, 1, 1, 0, 0,
    6, 3, 8, 4, 3, 3, 1, 0, 7, 7, 0, 0, 4, 5, 4, 4, 1, 1, 1, 1, 4, 4, 0, 0];
  const X = t([2, 2, 2, 3], images), F = t([2, 2, 3, 2], filter);
  const fixedF = () => tensor(filter, [2, 2, 3, 2]), fixedX = () => tensor(images, [2, 2, 2, 3]);
  const ones = (n: number) => new Array<number>(n).fill(1);

  it('wrt input (and its value)', () => {
    gradCase({ x: X }, ({ x }) => depthwise(x, fixedF(), 1, 'same'), ones(48),
      { x: [2, 2, 0, 3, 4, 2, 3, 4, 0, 5, 7, 2, 2, 2, 0, 3, 4, 2, 3, 4, 0, 5, 7, 2] }, { value: result });
  });
  it('wrt input, squared output', () => {
    gradCase({ x: X }, ({ x }) => square(depthwise(x, fixedF(), 1, 'same')), ones(48),
      { x: [20, 30, 0, 34, 34, 8, 10, 50, 0, 46, 44, 12, 18, 24, 0, 8, 52, 12, 30, 40, 0, 22, 76, 4] });
  });
  it('wrt filter (and its value)', () => {
    gradCase({ f: F }, ({ f }) => depthwise(fixedX(), f, 1, 'same'), ones(48),
      { f: [15, 15, 16, 16, 12, 12, 7, 7, 8, 8, 9, 9, 8, 8, 9, 9, 6, 6, 4, 4, 5, 5, 4, 4] }, { value: result });
  });
  it('wrt filter, squared output', () => {
    gradCase({ f: F }, ({ f }) => square(depthwise(fixedX(), f, 1, 'same')), ones(48),
      { f: [120, 122, 180, 166, 12, 12, 20, 76, 90, 66, 46, 46, 86, 42, 122, 114, 10, 10, 24, 54, 80, 46, 18, 18] });
  });
  it('wrt input, stride=2, pad=valid', () => {
    gradCase({ x: X }, ({ x }) => depthwise(x, fixedF(), 2, 'valid'), ones(12),
      { x: [2, 2, 0, 1, 2, 2, 1, 2, 0, 1, 1, 0, 2, 2, 0, 1, 2, 2, 1, 2, 0, 1, 1, 0] });
  });
  it('wrt filter, stride=2, pad=valid', () => {
    gradCase({ f: F }, ({ f }) => depthwise(fixedX(), f, 2, 'valid'), ones(12),
      { f: [4, 4, 4, 4, 1, 1, 3, 3, 3, 3, 5, 5, 4, 4, 4, 4, 2, 2, 4, 4, 5, 5, 4, 4] });
  });
  it('gradient with clones (x [1,3,3,1], f [2,2,1,1], valid, dy = ones)', () => {
    gradCase({
      x: t([1, 3, 3, 1], [0.230664, 0.987388, 0.0685208, 0.419224, 0.887861, 0.731641, 0.0741907, 0.409265, 0.351377]),
      f: t([2, 2, 1, 1], [0.303873, 0.229223, 0.144333, 0.803373]),
    }, ({ x, f }) => depthwise(x, f, 1, 'valid'), ones(4), {
      x: [0.303873, 0.533096, 0.229223, 0.448206, 1.480802, 1.032596, 0.144333, 0.947706, 0.803373],
      f: [2.525137, 2.6754108, 1.7905407, 2.380144],
    }, { value: [1.07022, 1.03167, 0.67041, 0.778863] });
  });
});
