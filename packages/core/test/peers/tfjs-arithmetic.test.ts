// Peer suite: the gradient cases of TensorFlow.js's arithmetic_test.ts for maximum, minimum,
// squaredDifference, mod and atan2 (tensorflow/tfjs, tfjs-core/src/ops/arithmetic_test.ts), ported as our
// own TypeScript; see ./tfjs-check.ts for what each case checks. (Its prelu cases are not ported: we have
// no prelu op.) squaredDifference has no op of ours either; its cases are ported as square(sub(a, b)),
// which checks the composition. Convention difference (docs/conventions.md), tested as ours: at a tie
// a = b, tfjs's maximum and minimum give all of dy to a; ours give ½ to each (as JAX), which is also what
// central differences give. tfjs's mod is our remainder
// (the sign of b, a − b·⌊a/b⌋), whose partials are 1 and −⌊a/b⌋, tfjs's too; tfjs's expectations are
// those closed forms evaluated in plain JS, and we evaluate them the same way. Where a/b is an integer
// (3 mod 3, 0.7 mod 0.7, 0.3 mod 0.15: 0.3/0.15 is exactly 2 in float64) remainder jumps: ours takes the partials of the piece to the right, as tfjs
// does, and central differences are not taken there (they straddle the jump).
import { describe, it } from 'vitest';
import { atan2, maximum, minimum, remainder, square, sub, type Tensor } from '../../src/index.js';
import { gradCase, t } from './tfjs-check.js';

const fl = Math.floor;

describe('tfjs arithmetic_test.ts describe(maximum): gradients', () => {
  it('gradients: Scalar (and: gradient with clones)', () => {
    gradCase({ a: t([], [5.2]), b: t([], [0.6]) }, ({ a, b }) => maximum(a, b), [3], { a: [3 * 1], b: [3 * 0] });
  });
  it('gradients: Tensor1D (tie 3 = 3: ½ each; tfjs a 3, b 0)', () => {
    gradCase({ a: t([4], [1.1, 2.6, 3, 5.9]), b: t([4], [1.0, 2.7, 3, 5.8]) }, ({ a, b }) => maximum(a, b), [1, 2, 3, 4],
      { a: [1 * 1, 2 * 0, 3 * 0.5, 4 * 1], b: [1 * 0, 2 * 1, 3 * 0.5, 4 * 0] });
  });
  it('gradients: Tensor2D (tie 0.7 = 0.7: ½ each; tfjs a 3, b 0)', () => {
    gradCase({ a: t([2, 2], [0.5, 0.3, 0.7, 0.9]), b: t([2, 2], [0.2, 0.4, 0.7, 0.15]) }, ({ a, b }) => maximum(a, b), [1, 2, 3, 4],
      { a: [1 * 1, 2 * 0, 3 * 0.5, 4 * 1], b: [1 * 0, 2 * 1, 3 * 0.5, 4 * 0] });
  });
});

describe('tfjs arithmetic_test.ts describe(minimum): gradients', () => {
  it('gradients: Scalar (and: gradient with clones)', () => {
    gradCase({ a: t([], [5.2]), b: t([], [0.6]) }, ({ a, b }) => minimum(a, b), [3], { a: [3 * 0], b: [3 * 1] });
  });
  it('gradients: Tensor1D (tie 3 = 3: ½ each; tfjs a 3, b 0)', () => {
    gradCase({ a: t([4], [1.1, 2.6, 3, 5.9]), b: t([4], [1.0, 2.7, 3, 5.8]) }, ({ a, b }) => minimum(a, b), [1, 2, 3, 4],
      { a: [1 * 0, 2 * 1, 3 * 0.5, 4 * 0], b: [1 * 1, 2 * 0, 3 * 0.5, 4 * 1] });
  });
  it('gradients: Tensor2D (tie 0.7 = 0.7: ½ each; tfjs a 3, b 0)', () => {
    gradCase({ a: t([2, 2], [0.5, 0.3, 0.7, 0.9]), b: t([2, 2], [0.2, 0.4, 0.7, 0.15]) }, ({ a, b }) => minimum(a, b), [1, 2, 3, 4],
      { a: [1 * 0, 2 * 1, 3 * 0.5, 4 * 0], b: [1 * 1, 2 * 0, 3 * 0.5, 4 * 1] });
  });
});

describe('tfjs arithmetic_test.ts describe(squaredDifference): gradients, as square(sub(a, b))', () => {
  const sqd = ({ a, b }: Record<string, Tensor>) => square(sub(a, b));
  it('gradients: Scalar (and: gradient with clones)', () => {
    gradCase({ a: t([], [5.2]), b: t([], [0.6]) }, sqd, [3], { a: [3 * 2 * (5.2 - 0.6)], b: [3 * 2 * (0.6 - 5.2)] });
  });
  it('gradients: Tensor1D', () => {
    gradCase({ a: t([4], [1.1, 2.6, 3, 5.9]), b: t([4], [1.0, 2.7, 3, 5.8]) }, sqd, [1, 2, 3, 1], {
      a: [1 * 2 * (1.1 - 1.0), 2 * 2 * (2.6 - 2.7), 3 * 2 * (3 - 3), 1 * 2 * (5.9 - 5.8)],
      b: [1 * 2 * (1.0 - 1.1), 2 * 2 * (2.7 - 2.6), 3 * 2 * (3 - 3), 1 * 2 * (5.8 - 5.9)],
    });
  });
  it('gradients: Tensor2D', () => {
    gradCase({ a: t([2, 2], [0.5, 0.3, 0.7, 0.9]), b: t([2, 2], [0.2, 0.4, 0.7, 0.15]) }, sqd, [1, 2, 3, 4], {
      a: [1 * 2 * (0.5 - 0.2), 2 * 2 * (0.3 - 0.4), 3 * 2 * (0.7 - 0.7), 4 * 2 * (0.9 - 0.15)],
      b: [1 * 2 * (0.2 - 0.5), 2 * 2 * (0.4 - 0.3), 3 * 2 * (0.7 - 0.7), 4 * 2 * (0.15 - 0.9)],
    });
  });
});

describe('tfjs arithmetic_test.ts describe(mod): gradients', () => {
  it('gradients: Scalar (and: gradient with clones)', () => {
    gradCase({ a: t([], [5.2]), b: t([], [0.6]) }, ({ a, b }) => remainder(a, b), [3], { a: [3], b: [3 * -1 * fl(5.2 / 0.6)] });
  });
  it('gradients: Tensor1D (3 mod 3 at a jump)', () => {
    gradCase({ a: t([4], [1.1, 2.6, 3, 5.9]), b: t([4], [1.0, 2.7, 3, 5.8]) }, ({ a, b }) => remainder(a, b), [1, 2, 3, 4], {
      a: [1, 2, 3, 4],
      b: [1 * -1 * fl(1.1 / 1.0), 2 * -1 * fl(2.6 / 2.7), 3 * -1 * fl(3 / 3), 4 * -1 * fl(5.9 / 5.8)],
    }, { fdSkip: { a: [2], b: [2] } });
  });
  it('gradients: Tensor2D (0.7 mod 0.7 at a jump)', () => {
    gradCase({ a: t([2, 2], [0.5, 0.3, 0.7, 0.91]), b: t([2, 2], [0.2, 0.4, 0.7, 0.15]) }, ({ a, b }) => remainder(a, b), [1, 2, 3, 4], {
      a: [1, 2, 3, 4],
      b: [1 * -1 * fl(0.5 / 0.2), 2 * -1 * fl(0.3 / 0.4), 3 * -1 * fl(0.7 / 0.7), 4 * -1 * fl(0.91 / 0.15)],
    }, { fdSkip: { a: [2], b: [2] } });
  });
  it('gradients: broadcasts scalar and Tensor1D', () => {
    gradCase({ a: t([], [0.7]), b: t([4], [0.2, 0.3, 0.4, 0.5]) }, ({ a, b }) => remainder(a, b), [1, 2, 3, 4], {
      a: [1 + 2 + 3 + 4],
      b: [1 * -1 * fl(0.7 / 0.2), 2 * -1 * fl(0.7 / 0.3), 3 * -1 * fl(0.7 / 0.4), 4 * -1 * fl(0.7 / 0.5)],
    });
  });
  it('broadcasts Tensor1D and Tensor2D (0.3 mod 0.15 at a jump)', () => {
    gradCase({ a: t([2], [0.5, 0.3]), b: t([2, 2], [0.2, 0.4, 0.7, 0.15]) }, ({ a, b }) => remainder(a, b), [1, 2, 3, 4], {
      a: [1 * 1 + 3 * 1, 2 * 1 + 4 * 1],
      b: [1 * -1 * fl(0.5 / 0.2), 2 * -1 * fl(0.3 / 0.4), 3 * -1 * fl(0.5 / 0.7), 4 * -1 * fl(0.3 / 0.15)],
    }, { fdSkip: { a: [1], b: [3] } });
  });
});

describe('tfjs arithmetic_test.ts describe(atan2): gradients', () => {
  it('gradient: Scalar (and: gradient with clones)', () => {
    gradCase({ a: t([], [5]), b: t([], [2]) }, ({ a, b }) => atan2(a, b), [4], { a: [4 * 2 / 29], b: [4 * -5 / 29] });
  });
  it('gradient: Tensor1D', () => {
    gradCase({ a: t([3], [1, 2, 3]), b: t([3], [3, 4, 5]) }, ({ a, b }) => atan2(a, b), [1, 10, 20],
      { a: [1 * 3 / 10, 10 * 4 / 20, 20 * 5 / 34], b: [-1 * 1 / 10, -10 * 2 / 20, -20 * 3 / 34] });
  });
  it('gradient: Tensor2D', () => {
    gradCase({ a: t([2, 2], [3, 1, 2, 3]), b: t([2, 2], [1, 3, 4, 5]) }, ({ a, b }) => atan2(a, b), [1, 10, 15, 20],
      { a: [1 * 1 / 10, 10 * 3 / 10, 15 * 4 / 20, 20 * 5 / 34], b: [-1 * 3 / 10, -10 * 1 / 10, -15 * 2 / 20, -20 * 3 / 34] });
  });
  it('gradient: scalar / Tensor1D', () => {
    gradCase({ a: t([], [2]), b: t([3], [3, 4, 5]) }, ({ a, b }) => atan2(a, b), [6, 7, 8],
      { a: [6 * 3 / 13 + 7 * 4 / 20 + 8 * 5 / 29], b: [-6 * 2 / 13, -7 * 2 / 20, -8 * 2 / 29] });
  });
  it('gradient: Tensor2D / scalar', () => {
    gradCase({ a: t([2, 2], [2, 3, 4, 5]), b: t([], [2]) }, ({ a, b }) => atan2(a, b), [6, 7, 8, 9],
      { a: [6 * 2 / 8, 7 * 2 / 13, 8 * 2 / 20, 9 * 2 / 29], b: [-6 * 2 / 8 + -7 * 3 / 13 + -8 * 4 / 20 + -9 * 5 / 29] });
  });
  it('gradient: Tensor2D / Tensor2D w/ broadcast', () => {
    gradCase({ a: t([2, 1], [3, 4]), b: t([2, 2], [2, 3, 4, 5]) }, ({ a, b }) => atan2(a, b), [6, 7, 8, 9],
      { a: [6 * 2 / 13 + 7 * 3 / 18, 8 * 4 / 32 + 9 * 5 / 41], b: [-6 * 3 / 13, -7 * 3 / 18, -8 * 4 / 32, -9 * 4 / 41] });
  });
});
