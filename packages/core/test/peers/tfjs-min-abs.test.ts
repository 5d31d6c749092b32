// Peer suite: the gradient cases of TensorFlow.js's min_test.ts and abs_test.ts (tensorflow/tfjs,
// tfjs-core/src/ops/), ported as our own TypeScript; see ./tfjs-check.ts for what each case checks.
// Convention difference (docs/conventions.md), tested as ours: tfjs passes the whole dy to every tied
// minimum; ours splits it evenly among them (as max, maximum and minimum do in dualtape). Central
// differences agree with ours for a tie of two; a tie of three is not checked against them.
// tfjs's 'min gradient: 2D, axes=0, keepDims=false' calls tf.max, not tf.min; ported as written (max).
import { describe, it } from 'vitest';
import { abs, max, min } from '../../src/index.js';
import { gradCase, t } from './tfjs-check.js';

describe('tfjs min_test.ts: gradients', () => {
  it('min gradient: Scalar (and: gradient with clones)', () => {
    gradCase({ x: t([], [42]) }, ({ x }) => min(x), [-1], { x: [-1] });
  });
  it('min gradient: 1D, ties (convention: split; tfjs [0, 0, -1, -1])', () => {
    gradCase({ x: t([4], [-1, -3, -7, -7]) }, ({ x }) => min(x), [-1], { x: [0, 0, -0.5, -0.5] });
  });
  it('min gradient: 2D, axes=-1, keepDims=false', () => {
    gradCase({ x: t([2, 3], [-0, -20, -10, 10, 30, 20]) }, ({ x }) => min(x, -1), [-1, -1], { x: [0, -1, 0, -1, 0, 0] });
  });
  it('min gradient: ties, 2D, axes=-1, keepDims=false (convention: split; tfjs [0, -1, -1, -1, 0, -1])', () => {
    gradCase({ x: t([2, 3], [0, -20, -20, 10, 30, 10]) }, ({ x }) => min(x, -1), [-1, -1], { x: [0, -0.5, -0.5, -0.5, 0, -0.5] });
  });
  it('min gradient: 2D, axes=0, keepDims=false (tfjs calls max here)', () => {
    gradCase({ x: t([2, 3], [0, 20, 10, -10, -30, 20]) }, ({ x }) => max(x, 0), [-1, -1, -1], { x: [-1, -1, 0, 0, 0, -1] });
  });
  it('min gradient: 2D, axes=-1, keepDims=true', () => {
    gradCase({ x: t([2, 3], [0, -20, -10, 10, 30, 20]) }, ({ x }) => min(x, -1, true), [-1, -1], { x: [0, -1, 0, -1, 0, 0] });
  });
  it('min gradient: 2D, axes=0, keepDims=true', () => {
    gradCase({ x: t([2, 3], [0, -20, -10, 10, 30, -20]) }, ({ x }) => min(x, 0, true), [-1, -1, -1], { x: [-1, -1, 0, 0, 0, -1] });
  });
  it("'max gradient: 3D, axis=1 keepDims=false' (min over a size-1 axis; tfjs checks the shape only; dy = ones)", () => {
    gradCase({ x: t([2, 1, 250], new Array(500).fill(1)) }, ({ x }) => min(x, 1), new Array(500).fill(1), { x: new Array(500).fill(1) }, { noFd: true });
  });
  const x3 = t([2, 2, 2], [0, -20, -10, -15, 10, 30, 20, 15]);
  it('min gradient: 3D, axes=[1, 2], keepDims=false', () => {
    gradCase({ x: x3 }, ({ x }) => min(x, [1, 2]), [-1, -1], { x: [0, -1, 0, 0, -1, 0, 0, 0] });
  });
  it('min gradient: ties, 3D, axes=[1, 2] (convention: split; tfjs [0, -1, -1, -1, -1, 0, -1, 0])', () => {
    // Batch 0: three −20s, −1/3 each; batch 1: two 10s, −1/2 each.
    gradCase({ x: t([2, 2, 2], [0, -20, -20, -20, 10, 30, 10, 15]) }, ({ x }) => min(x, [1, 2]), [-1, -1],
      { x: [0, -1 / 3, -1 / 3, -1 / 3, -0.5, 0, -0.5, 0] }, { fdSkip: { x: [1, 2, 3] } });
  });
  it('min gradient: 3D, axes=2, keepDims=false', () => {
    gradCase({ x: x3 }, ({ x }) => min(x, 2), [-1, -1, -1, -1], { x: [0, -1, 0, -1, -1, 0, 0, -1] });
  });
  it('min gradient: 3D, axes=2, keepDims=true', () => {
    gradCase({ x: x3 }, ({ x }) => min(x, 2, true), [-1, -1, -1, -1], { x: [0, -1, 0, -1, -1, 0, 0, -1] });
  });
  const x4 = t([2, 2, 2, 2], [0, -20, -20, -20, 10, 30, 10, 30, 0, 20, 20, 20, -10, -30, -10, -30]);
  it('min gradient: ties, 4D, axes=[1, 2, 3] (convention: split; tfjs [0,-1,-1,-1, 0,0,0,0, 0,0,0,0, 0,-1,0,-1])', () => {
    gradCase({ x: x4 }, ({ x }) => min(x, [1, 2, 3]), [-1, -1],
      { x: [0, -1 / 3, -1 / 3, -1 / 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.5, 0, -0.5] }, { fdSkip: { x: [1, 2, 3] } });
  });
  it('min gradient: ties, 4D, axes=[2, 3], keepDims=true (convention: split; tfjs [0,-1,-1,-1, -2,0,-2,0, -3,0,0,0, 0,-4,0,-4])', () => {
    // (0,0): three −20s, −1/3 each; (0,1): two 10s, −1 each; (1,0): the 0 alone, −3; (1,1): two −30s, −2 each.
    gradCase({ x: x4 }, ({ x }) => min(x, [2, 3], true), [-1, -2, -3, -4],
      { x: [0, -1 / 3, -1 / 3, -1 / 3, -1, 0, -1, 0, -3, 0, 0, 0, 0, -2, 0, -2] }, { fdSkip: { x: [1, 2, 3] } });
  });
});

describe('tfjs abs_test.ts: gradients', () => {
  it('gradients: Scalar (and: gradient with clones)', () => {
    gradCase({ a: t([], [4]) }, ({ a }) => abs(a), [8], { a: [8] });
  });
  it('gradients: Tensor1D', () => {
    gradCase({ a: t([4], [1, 2, -3, 5]) }, ({ a }) => abs(a), [1, 2, 3, 4], { a: [1, 2, -3, 4] });
  });
  it('gradients: Tensor2D', () => {
    gradCase({ a: t([2, 2], [3, -1, -2, 3]) }, ({ a }) => abs(a), [1, 2, 3, 4], { a: [1, -2, -3, 4] });
  });
});
