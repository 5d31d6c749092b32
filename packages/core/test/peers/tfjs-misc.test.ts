// Peer suite: the gradient cases of TensorFlow.js's relu6_test.ts, square_test.ts and transpose_test.ts
// (tensorflow/tfjs, tfjs-core/src/ops/), ported as our own TypeScript; see ./tfjs-check.ts for what each
// case checks. relu6 at 0: derivative 0 in both (docs/conventions.md); central differences skip the kink.
import { describe, it } from 'vitest';
import { relu6, square, transpose } from '../../src/index.js';
import { gradCase, t } from './tfjs-check.js';

describe('tfjs relu6_test.ts: gradients', () => {
  it('gradients: relu6 (8 is above 6)', () => {
    gradCase({ a: t([], [8]) }, ({ a }) => relu6(a), [5], { a: [0] });
  });
  it('gradients: relu6 array', () => {
    gradCase({ a: t([2, 2], [8, -1, 0, 0.1]) }, ({ a }) => relu6(a), [1, 2, 3, 4], { a: [0, 0, 0, 4] }, { fdSkip: { a: [2] } });
  });
});

describe('tfjs square_test.ts: gradients', () => {
  it('gradients: Scalar (twice in tfjs: plain and with clones)', () => {
    gradCase({ a: t([], [5]) }, ({ a }) => square(a), [8], { a: [2 * 5 * 8] });
  });
  it('gradients: Tensor1D', () => {
    gradCase({ a: t([4], [-1, 2, 3, -5]) }, ({ a }) => square(a), [1, 2, 3, 4], { a: [-2, 4 * 2, 6 * 3, -10 * 4] });
  });
  it('gradients: Tensor2D and Tensor5D', () => {
    for (const shape of [[2, 2], [1, 1, 1, 2, 2]]) {
      gradCase({ a: t(shape, [-3, 1, 2, 3]) }, ({ a }) => square(a), [1, 2, 3, 4], { a: [-6 * 1, 2 * 2, 4 * 3, 6 * 4] });
    }
  });
  it('gradients: Tensor6D', () => {
    gradCase({ a: t([1, 1, 1, 2, 2, 2], [-3, 1, 2, 3, -4, 5, 12, 3]) }, ({ a }) => square(a), [1, 2, 3, 4, 5, 6, 7, 8],
      { a: [-6 * 1, 2 * 2, 4 * 3, 6 * 4, -8 * 5, 10 * 6, 24 * 7, 6 * 8] });
  });
});

describe('tfjs transpose_test.ts: gradients', () => {
  it('gradient 3D [r, c, d] => [d, c, r] (and: gradient with clones)', () => {
    gradCase({ x: t([2, 2, 2], [1, 11, 2, 22, 3, 33, 4, 44]) }, ({ x }) => transpose(x, [2, 1, 0]),
      [111, 211, 121, 221, 112, 212, 122, 222], { x: [111, 112, 121, 122, 211, 212, 221, 222] });
  });
});
