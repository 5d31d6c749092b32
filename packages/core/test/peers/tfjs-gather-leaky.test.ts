// Peer suite: the gradient cases of TensorFlow.js's gather_test.ts and leaky_relu_test.ts
// (tensorflow/tfjs, tfjs-core/src/ops/), ported as our own TypeScript; see ./tfjs-check.ts for what each
// case checks. tfjs's gather(x, indices, axis) is our take(x, indices, axis). Our take takes a flat list
// of indices; tfjs's 2-D-index cases give the same elements in the same row-major order as their
// flattened indices, so they are ported as take with the flattened list, reshaped to tfjs's output
// shape (same dy, same numbers). tfjs's leakyRelu(x, alpha) is our leakyRelu(x, slope).
import { describe, it } from 'vitest';
import { leakyRelu, reshape, take } from '../../src/index.js';
import { gradCase, t } from './tfjs-check.js';

describe('tfjs gather_test.ts: gradients', () => {
  const dy24 = [2, -3, 4, 15, 6, 0.7, 1, 18, 0.01, 0, 12, 13, 4, 15, 12, -7, 18, 19, 2, 21, 6, 23, 24, 25];
  const dy32 = [2, -3, 4, 15, 6, 0.7, 1, 18, 0.01, 0, 12, 13, 4, 15, 12, -7, 18, 19, 2, 21, 6, 23, 24, 25, 101, 31, 34, 54, 1, 0, -3, -4];
  const dy16 = [2, -3, 4, 15, 6, 0.7, 1, 18, 0.01, 0, 12, 13, 4, 15, 12, -7];
  const x12 = t([2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const x16 = (shape: number[]) => t(shape, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  // [name, x, flat indices, axis, tfjs's output shape for its 2-D indices (null: 1-D only), dy, expected]
  const cases: [string, ReturnType<typeof t>, number[], number, number[] | null, number[], number[]][] = [
    ['1D (gather), 1D and 2D indices (and: with clones)', t([3], [1, 2, 3]), [0, 2, 0, 1], 0, [2, 2], [3, 4, 5, 6], [8, 6, 4]],
    ['2D (gather) axis=0 shape=[2, 2], 1D and 2D indices', t([2, 2], [1, 11, 2, 22]), [1, 0, 0, 1], 0, [2, 2, 2], [3, 4, 5, 6, 7, 8, 9, 10], [12, 14, 12, 14]],
    ['2D (gather) axis=0 shape=[4, 1], 1D and 2D indices', t([4, 1], [1, 11, 2, 22]), [1, 0, 0, 1], 0, [2, 2, 1], [23, 7, 19, 13], [26, 36, 0, 0]],
    ['2D (gather) axis=1 shape=[2, 2], 1D and 2D indices', t([2, 2], [1, 11, 2, 22]), [1, 0, 0, 1], 1, [2, 2, 2], [3, 4, 5, 6, 7, 8, 9, 10], [9, 9, 17, 17]],
    ['2D (gather) axis=1 shape=[4, 1], 1D and 2D indices', t([4, 1], [1, 11, 2, 22]), [0, 0, 0, 0], 1, [4, 2, 2], [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18], [18, 34, 50, 66]],
    ['3D (gather) axis=0 shape=[2, 3, 2], 1D and 2D indices', x12, [1, 0, 0, 1], 0, [2, 2, 3, 2], dy24, [5, 33, 12.01, -7, 30, 32, 4, 18, 10, 38, 30, 25.7]],
    ['3D (gather) axis=0 shape=[1, 4, 4] (twice in tfjs)', x16([1, 4, 4]), [0, 0], 0, null, dy32, [20, 16, 6, 36, 12, 23.7, 25, 43, 101.01, 31, 46, 67, 5, 15, 9, -11]],
    ['3D (gather) axis=1 shape=[2, 3, 2] 2D indices', x12, [1, 2, 2, 1], 1, [2, 2, 2, 2], dy16, [0, 0, 3, 15, 10, 15.7, 0, 0, 12.01, -7, 16, 28]],
    ['3D (gather) axis=1 shape=[1, 4, 4], 1D and 2D indices', x16([1, 4, 4]), [1, 2, 2, 1], 1, [1, 2, 2, 4], dy16, [0, 0, 0, 0, 6, 12, 16, 8, 6.01, 0.7, 13, 31, 0, 0, 0, 0]],
    ['3D (gather) axis=2 shape=[2, 3, 2], 1D and 2D indices', x12, [1, 0, 1, 0], 2, [2, 3, 2, 2], dy24, [12, 6, 18.7, 7, 13, 12.01, 8, 16, 40, 20, 48, 30]],
    ['3D (gather) axis=2 shape=[4, 1, 4], 1D and 2D indices', x16([4, 1, 4]), [1, 3, 1], 2, [4, 1, 1, 3], [2, -3, 4, 15, 6, 0.7, 1, 18, 0.01, 0, 4, 15], [0, 6, 0, -3, 0, 15.7, 0, 6, 0, 1.01, 0, 18, 0, 15, 0, 4]],
  ];
  for (const [name, x, indices, axis, shape2, dy, expected] of cases) {
    it(`gradient ${name}`, () => {
      gradCase({ x }, ({ x }) => take(x, indices, axis), dy, { x: expected });
      if (shape2) gradCase({ x }, ({ x }) => reshape(take(x, indices, axis), shape2), dy, { x: expected });
    });
  }
});

describe('tfjs leaky_relu_test.ts: gradients', () => {
  const alpha = 0.1;
  it('gradients: Scalar (and: gradient with clones)', () => {
    gradCase({ a: t([], [-4]) }, ({ a }) => leakyRelu(a, alpha), [8], { a: [8 * alpha] });
  });
  it('gradients: Tensor1D', () => {
    gradCase({ a: t([3], [1, -1, 0.1]) }, ({ a }) => leakyRelu(a, alpha), [1, 2, 3], { a: [1, 2 * alpha, 3] });
  });
  it('gradients: Tensor2D', () => {
    gradCase({ a: t([2, 2], [1, -1, 0.1, 0.5]) }, ({ a }) => leakyRelu(a, alpha), [1, 2, 3, 4], { a: [1, 2 * alpha, 3, 4] });
  });
});
