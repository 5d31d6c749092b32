// Peer suite: the gradient cases of TensorFlow.js's matrix-product, reduction, selection and shape
// tests, ported as our own TypeScript (tensorflow/tfjs, tfjs-core/src/ops/):
//   matmul_test.ts (describe('matmul') 'gradients: A * B', 'a * bT', 'aT * b', 'aT * bT';
//                   describe('matmulBatch') 'gradients: A x B', '4d gradients: A x B', 'gradients: A x B^t',
//                   '4d gradients: A x B^t', 'gradients: A^t x B', 'gradients: A^t x B^t'),
//   sum_test.ts, mean_test.ts, max_test.ts, where_test.ts, pad_test.ts, tile_test.ts.
// Same inputs, same upstream gradient dy, tfjs's expected numbers; see ./tfjs-check.ts for what each
// case checks. tfjs's matMul(a, b, transposeA, transposeB) is our matmul of transposed operands
// (transpose of the last two axes); its 2-D expectations are element formulas in a, b and dy (da = dy·bᵀ
// and so on), which we evaluate with a plain-loop product. tfjs's pad1d/pad2d are our pad with
// per-axis [before, after] widths; tfjs's boolean condition of where is our 0/1 mask.
// Convention differences (docs/conventions.md), tested as ours:
//   - max over ties: tfjs passes the whole dy to every tied maximum (a tie of t gets t·dy in all);
//     ours splits it evenly (dy/t each), as max and maximum do everywhere in dualtape. Central
//     differences agree with ours for a tie of two ((dy·h − 0)/2h = dy/2); a tie of three is not checked
//     against them.
//   - where's condition: tfjs returns a zero gradient for it; ours is a mask input with no derivative
//     (passing it as a differentiated input gives 0, which we check); central differences are not taken
//     at its 0 entries (moving one off 0 switches the branch).
import { describe, it } from 'vitest';
import { matmul, max, mean, pad, sum, tile, transpose, where, type Tensor } from '../../src/index.js';
import { gradCase, t } from './tfjs-check.js';

/** Plain-loop matrix product of row-major [m, k] and [k, n], each optionally transposed. */
function mm(a: readonly number[], as: [number, number], ta: boolean, b: readonly number[], bs: [number, number], tb: boolean): number[] {
  const [m, k] = ta ? [as[1], as[0]] : as, [k2, n] = tb ? [bs[1], bs[0]] : bs;
  if (k !== k2) throw new Error('mm: inner sizes differ');
  const A = (i: number, j: number) => (ta ? a[j * as[1] + i] : a[i * as[1] + j]);
  const B = (i: number, j: number) => (tb ? b[j * bs[1] + i] : b[i * bs[1] + j]);
  const out: number[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let q = 0; q < k; q++) s += A(i, q) * B(q, j);
    out.push(s);
  }
  return out;
}
const mT = (x: Tensor) => transpose(x, [...x.shape.keys()].map((k, _, all) => (k < all.length - 2 ? k : k === all.length - 2 ? all.length - 1 : all.length - 2)));

describe('tfjs matmul_test.ts: 2-D gradients', () => {
  const a23 = [1, 2, 3, 10, 20, 30], b32 = [2, 3, 4, 1, 2, 3];
  it('gradients: A * B', () => {
    const dy = [1, 10, 20, 30];
    gradCase({ a: t([2, 3], a23), b: t([3, 2], b32) }, ({ a, b }) => matmul(a, b), dy,
      { a: mm(dy, [2, 2], false, b32, [3, 2], true), b: mm(a23, [2, 3], true, dy, [2, 2], false) });
  });
  it('gradients: a * bT', () => {
    const dy = [1, 10, 20, 30, 40, 50, 60, 70, 80];
    gradCase({ a: t([3, 2], a23), b: t([3, 2], b32) }, ({ a, b }) => matmul(a, mT(b)), dy,
      { a: mm(dy, [3, 3], false, b32, [3, 2], false), b: mm(dy, [3, 3], true, a23, [3, 2], false) });
  });
  it('gradients: aT * b', () => {
    const dy = [1, 10, 20, 30];
    gradCase({ a: t([3, 2], a23), b: t([3, 2], b32) }, ({ a, b }) => matmul(mT(a), b), dy,
      { a: mm(b32, [3, 2], false, dy, [2, 2], true), b: mm(a23, [3, 2], false, dy, [2, 2], false) });
  });
  it('gradients: aT * bT', () => {
    const dy = [1, 10, 20, 30];
    gradCase({ a: t([3, 2], a23), b: t([2, 3], b32) }, ({ a, b }) => matmul(mT(a), mT(b)), dy,
      { a: mm(b32, [2, 3], true, dy, [2, 2], true), b: mm(dy, [2, 2], true, a23, [3, 2], true) });
  });
});

describe('tfjs matmul_test.ts: matmulBatch gradients', () => {
  const A3 = [-5, -5, -6, 8, -2, -8, 4, -7, -6, -9, -1, 3, 7, -2, 5, -6, 3, 8, 7, -8, 1, 4, -4, 6, 4, -4, -9, -5, 2, -2];
  const B3 = [-8, -4, -1, 0, -7, 0, 3, 3, 6, 2, -1, 8, -4, 9, -6, 5, 8, 9, -9, 7, 0, -1, -1, -10, -7, 3, 4, 6, 3, -4];
  const dy522 = [8, 2, -3, -2, -8, 4, 5, 7, 4, -4, -4, 5, 8, 10, 1, 0, 6, 6, -4, 7];
  const A4 = [
    -2, 3, 5, -5, 3, 9, -3, -5, 1, 1, -9, 9, -6, 6, -8, -7, -1, 3, 9, -7, -7, 2, 10, -6, -8, -6, 9, -6, 4, -1,
    9, -6, 10, 8, -9, 5, -8, -7, 0, 2, -5, -1, -9, -4, 3, -2, 6, -4, 7, 1, -5, -4, 9, -8, -6, -8, 4, -1, 4, 3,
    -7, 8, -7, 5, -3, -2, -4, 9, 2, -1, 1, -10, -3, 5, -4, 6, -8, -8, 9, -3, -5, 10, 3, -3, -3, 9, 3, -3, 2, -8,
    10, 1, 9, -2, -2, -3, -4, 6, -10, -1, 8, -8, 7, 3, -2, 3, 6, -2, -2, -4, 1, -5, -4, 0, 5, 1, 9, -8, -2, -1];
  const B4 = [
    -4, -3, -2, -6, 6, -1, -4, -1, 7, -4, 8, -9, -9, 0, -1, -4, -6, -7, -3, -4, -7, 6, -8, 1, -2, 1, -1, -3, 8, -5,
    9, -2, 5, 9, -2, 2, -5, -5, -8, -1, -2, -3, -2, -10, 6, -3, 0, 1, 6, 7, 1, 2, -4, -5, 2, -5, -7, 9, 3, -6,
    6, 4, -4, 6, 10, -3, -2, 8, 10, -8, 10, -1, -9, -7, -8, -3, 1, 1, -2, -9, -7, -6, -1, 0, 7, -9, -7, -5, 0, -4,
    -4, -7, 2, 4, 6, 6, -4, -6, -8, 3, -8, -9, 6, 9, -4, 1, -1, 0, 8, 9, 0, -5, 3, -1, 5, 0, -10, 7, -2, 6];

  it('gradients: A x B', () => {
    gradCase({ a: t([5, 2, 3], A3), b: t([5, 3, 2], B3) }, ({ a, b }) => matmul(a, b), dy522, {
      a: [-72, -8, -56, 32, 3, 21, -12, -40, 40, 36, 44, 51, -52, -44, -4, 61, 49, 13, -2, -10, -108, -9, 0, -1, -24, 60, -6, 49, 26, -40],
      b: [-64, -26, -34, -6, -24, 4, -77, -47, 51, -35, 63, -3, 52, -58, -20, 23, -12, 20, 60, 70, -68, -80, 14, 10, 44, -11, -32, -10, -46, -68],
    });
  });
  it('4d gradients: A x B', () => {
    const dy = [
      8, -7, 0, -9, -5, -5, 0, 3, 7, -4, 6, -8, -8, 0, -1, -8, -9, -7, -4, -9, 2, 3, 5, 8, -5, -7, 3, -10, -5, -9, -5, 1,
      7, 1, -9, -10, 8, 5, 0, 8, -6, 4, 0, -5, 8, -7, -2, 1, -8, 9, 9, -7, 1, 7, -2, 5, -2, 9, 1, -5, 7, 5, -7, -6,
      6, 7, -8, 7, 4, -5, 4, -5, 3, -4, -5, 4, -6, 3, -8, 10];
    gradCase({ a: t([4, 5, 2, 3], A4), b: t([4, 5, 3, 2], B4) }, ({ a, b }) => matmul(a, b), dy, {
      a: [
        -11, 26, 55, 27, 54, 9, 25, -15, 5, -3, -12, -27, -63, 9, -14, -54, 26, 20, 24, 56, 64, 35, -41, 0, 11, 30, -37, -1,
        31, 13, 12, 37, 2, 29, 97, 6, 60, 47, 31, 35, -14, 24, 100, -3, -9, 0, -33, 1, 49, 9, -33, -124, -29, 86, -9, -11,
        -6, -40, 72, -48, -20, 48, -72, -20, -30, 15, -72, 136, 87, 12, -28, -21, 9, 37, 1, -32, -51, 2, -65, -49, -1, -41, -16, 2,
        -95, -31, -36, 52, 18, 20, -63, 34, 72, 70, -38, -78, -66, -27, -111, -10, 85, 1, -21, -21, -4, -21, -21, -4, -12, 20, 13, -4,
        -20, -19, -30, 81, 30, -40, 150, 76],
      b: [
        -16, 59, 24, -48, 40, -116, 15, 18, 25, -2, -5, 22, -84, 80, 36, -16, -38, 8, -74, -16, 46, -80, 62, 48, 96, 110, 38, 6,
        -77, -54, 58, 91, -57, -90, 45, 70, 46, 36, 20, 99, -3, 10, 55, 79, -10, 42, 5, -31, 85, 47, -74, -89, 37, 75, -48, -38,
        -64, -8, 32, 44, 42, -53, -48, 47, 42, -18, -30, 27, 70, -62, 36, -24, 78, -69, -112, 101, -40, 20, -11, 113, -9, -6, 1, -50,
        3, -12, -16, 71, -14, 67, 84, 62, 21, 17, 84, 63, -16, -35, -28, 98, 4, -126, 40, -50, 36, -45, -16, 20, 19, -12, 8, 0,
        3, -4, 34, -65, 10, -17, -46, 17],
    });
  });
  it('gradients: A x B^t', () => {
    const dy = [
      -0, 7, 5, 0, -9, 5, -7, 6, -5, -3, -2, -2, -4, 10, -3, 5, -1, 3, -2, -9, 4, -5, 7, 9, -10, -8, -8, -5, -0, -1,
      3, 3, 4, 9, -7, 6, -2, -9, 5, 1, -5, -3, -1, 9, 4];
    gradCase({ a: t([5, 3, 2], A3), b: t([5, 3, 2], B3) }, ({ a, b }) => matmul(a, mT(b)), dy, {
      a: [-42, 0, -26, 0, 85, 28, -19, -29, 51, -16, 6, 37, 94, -27, 50, 71, 24, -202, 46, -25, -31, -22, -87, 10, -7, -80, -36, -15, 55, 35],
      b: [14, 56, 7, -155, -45, 55, 7, 72, -67, -79, 7, 50, -69, -46, -52, -88, 49, -126, -68, 106, 31, -30, -27, 60, -19, 5, 27, 43, 55, -13],
    });
  });
  it('4d gradients: A x B^t', () => {
    const dy = [
      5, -1, -5, -4, -1, 9, 1, -2, 10, 7, -1, 6, -8, 8, -3, 9, -4, 2, -4, -8, 8, 4, 8, -10, -8, -8, 6, 6, -5, 9,
      -1, -7, -5, -3, -3, 2, -6, 5, 8, -9, 5, -8, -3, 8, 6, 2, 8, 5, 9, 7, 6, 2, -3, 10, 7, 7, -3, 4, -3, -6,
      -8, -8, 9, 0, -8, -3, -2, -2, 8, 2, 3, -6, 3, 6, -3, 7, 7, -9, -3, 8, 7, 7, -1, -6, 5, 2, -1, -1, 1, 5,
      0, -4, 3, -4, -10, 1, -2, -8, -9, -6, 4, 4, -7, -1, -1, -9, 7, 1, -1, 8, 0, -2, -7, 5, 7, 8, 9, -3, -8, -6,
      -7, -8, -1, 8, -4, 7, 5, -9, 9, 3, 0, -10, 7, -9, 4, -7, 5, -2, -2, 3, 3, -6, 2, 0, 8, -5, -10, 3, -7, 0,
      -6, 2, 3, -1, 3, 3, -10, 1, 3, -7, -1, 8, -2, -1, -1, -3, -9, 7, 4, -6, 3, 0, -7, -4, -5, -8, -6, 10, -6, 4];
    gradCase({ a: t([4, 5, 3, 2], A4), b: t([4, 5, 3, 2], B4) }, ({ a, b }) => matmul(a, mT(b)), dy, {
      a: [
        -48, -4, 72, 9, 60, -1, 13, -57, 64, 3, -48, -11, -4, -24, 16, 38, 44, -10, -55, -45, 92, -43, 14, -4, 71, -61, -51, 16,
        46, -57, 48, 78, 104, 57, -17, -11, -85, -33, 16, 1, 86, 21, -48, 21, -8, 34, 14, -35, 36, 48, 85, 108, -38, -40, 3, -8,
        -7, -1, 6, -16, 46, -33, 26, -79, -70, -29, 92, -84, -6, -47, 98, -129, -55, -17, 79, 40, -118, -64, 68, 75, 71, 111, 5, -48,
        98, -36, 21, 13, 112, -34, 26, 57, 32, 44, 28, 50, 88, 27, 44, -39, -16, 15, -21, -6, -67, -89, -46, -64, -19, -12, -3, 11,
        41, 63, 78, -73, 67, -92, 102, -18],
      b: [
        -27, 44, -9, -16, 85, 30, -110, 38, 47, -23, -39, -15, 0, -76, -8, -128, 26, 136, 31, -26, -26, 39, 136, -85, -45, 93, 37, -68,
        -112, -6, 90, 70, 169, -7, 15, 68, -16, -33, -16, -47, -21, 0, 6, -4, 84, 24, 15, 20, -41, -1, 79, -86, 87, -23, -26, -64,
        18, 9, 52, 64, 34, -16, 122, -66, -1, 47, 1, 43, -11, -33, -17, 27, -45, -73, -60, -66, -92, -42, 32, -85, -44, -44, -28, -13,
        8, -20, 9, -9, -49, 79, -76, 15, 73, -7, 7, -8, -110, 93, 106, -39, 64, -84, -29, -19, 13, 14, 63, 2, -15, 23, 17, 49,
        -3, -31, -65, 30, -95, 63, -82, 40],
    });
  });
  it('gradients: A^t x B', () => {
    gradCase({ a: t([5, 3, 2], A3), b: t([5, 3, 2], B3) }, ({ a, b }) => matmul(mT(a), b), dy522, {
      a: [-72, 32, -8, 3, -56, 21, -12, 36, -40, 44, 40, 51, -52, 61, -44, 49, -4, 13, -2, -9, -10, 0, -108, -1, -24, 49, 60, 26, -6, -40],
      b: [-25, 0, -72, -28, 8, 12, -67, -33, 3, -87, 23, 17, 36, -38, 44, -50, -20, 28, 48, 70, 12, 10, -26, -40, 40, -4, -34, -89, 20, -2],
    });
  });
  it('gradients: A^t x B^t', () => {
    gradCase({ a: t([5, 3, 2], A3), b: t([5, 2, 3], B3) }, ({ a, b }) => matmul(mT(a), mT(b)), dy522, {
      a: [-64, 24, -46, 26, -8, 3, -16, 29, -28, 8, -16, 86, -36, 41, 4, 4, -60, 69, -82, -9, 46, 7, -100, 0, -6, 70, 36, 9, 0, -44],
      b: [-25, -72, 8, 0, -28, 12, -67, 3, 23, -33, -87, 17, 36, 44, -20, -38, -50, 28, 48, 12, -26, 70, 10, -40, 40, -34, 20, -4, -89, -2],
    });
  });
});

describe('tfjs sum_test.ts: gradients', () => {
  const a = t([3, 2], [1, 2, 3, 0, 0, 1]);
  it('gradients: sum(2d) (and: gradient with clones)', () => {
    gradCase({ a }, ({ a }) => sum(a), [10], { a: [10, 10, 10, 10, 10, 10] }, { value: [7] });
  });
  it('gradients: sum(2d, axis=0)', () => {
    gradCase({ a }, ({ a }) => sum(a, 0), [10, 20], { a: [10, 20, 10, 20, 10, 20] }, { value: [4, 3] });
  });
  it('gradients: sum(2d, axis=1)', () => {
    gradCase({ a }, ({ a }) => sum(a, 1), [10, 20, 30], { a: [10, 10, 20, 20, 30, 30] }, { value: [3, 3, 1] });
  });
});

describe('tfjs mean_test.ts: gradients', () => {
  it('gradients (and: gradient with clones)', () => {
    gradCase({ a: t([3, 2], [1, 2, 3, 0, 0, 1]) }, ({ a }) => mean(a), [1.5], { a: new Array(6).fill(1.5 / 6) }, { value: [7 / 6] });
  });
  // tfjs's 'gradients throws for defined axis' expects an error; ours differentiates mean over an axis
  // (1.5/2 to each element of a row here), which central differences confirm.
  it('mean(a, 1), the case tfjs expects to throw: ours differentiates it', () => {
    gradCase({ a: t([3, 2], [1, 2, 3, 0, 0, 1]) }, ({ a }) => mean(a, 1), [1.5, 1.5, 1.5], { a: new Array(6).fill(0.75) });
  });
});

describe('tfjs max_test.ts: gradients', () => {
  it('max gradient: Scalar (and: gradient with clones)', () => {
    gradCase({ x: t([], [42]) }, ({ x }) => max(x), [-1], { x: [-1] });
  });
  it('max gradient: 1D, ties (convention: split; tfjs [0, 0, -1, -1])', () => {
    gradCase({ x: t([4], [1, 3, 7, 7]) }, ({ x }) => max(x), [-1], { x: [0, 0, -0.5, -0.5] });
  });
  const x23 = t([2, 3], [0, 20, 10, -10, -30, -20]);
  it('max gradient: 2D, axes=-1, keepDims=false', () => {
    gradCase({ x: x23 }, ({ x }) => max(x, -1), [-1, -1], { x: [0, -1, 0, -1, 0, 0] });
  });
  it('max gradient: ties, 2D, axes=-1, keepDims=false (convention: split; tfjs [0, -1, -1, -1, 0, -1])', () => {
    gradCase({ x: t([2, 3], [0, 20, 20, -10, -30, -10]) }, ({ x }) => max(x, -1), [-1, -1], { x: [0, -0.5, -0.5, -0.5, 0, -0.5] });
  });
  it('max gradient: 2D, axes=0, keepDims=false', () => {
    gradCase({ x: t([2, 3], [0, 20, 10, -10, -30, 20]) }, ({ x }) => max(x, 0), [-1, -1, -1], { x: [-1, -1, 0, 0, 0, -1] });
  });
  it('max gradient: 2D, axes=-1, keepDims=true', () => {
    gradCase({ x: x23 }, ({ x }) => max(x, -1, true), [-1, -1], { x: [0, -1, 0, -1, 0, 0] });
  });
  it('max gradient: 2D, axes=0, keepDims=true', () => {
    gradCase({ x: t([2, 3], [0, 20, 10, -10, -30, 20]) }, ({ x }) => max(x, 0, true), [-1, -1, -1], { x: [-1, -1, 0, 0, 0, -1] });
  });
  it('max gradient: 3D, axis=1 keepDims=false (tfjs checks the shape only; dy = ones)', () => {
    gradCase({ x: t([2, 1, 250], new Array(500).fill(1)) }, ({ x }) => max(x, 1), new Array(500).fill(1), { x: new Array(500).fill(1) }, { noFd: true });
  });
  const x222 = t([2, 2, 2], [0, 20, 10, 15, -10, -30, -20, -15]);
  it('max gradient: 3D, axes=[1, 2], keepDims=false', () => {
    gradCase({ x: x222 }, ({ x }) => max(x, [1, 2]), [-1, -1], { x: [0, -1, 0, 0, -1, 0, 0, 0] });
  });
  it('max gradient: ties, 3D, axes=[1, 2] (convention: split; tfjs [0, -1, -1, -1, -1, 0, -1, 0])', () => {
    // Batch 0: three 20s tie (−1/3 each; no central differences for a tie of three); batch 1: two −10s (−1/2 each).
    gradCase({ x: t([2, 2, 2], [0, 20, 20, 20, -10, -30, -10, -15]) }, ({ x }) => max(x, [1, 2]), [-1, -1],
      { x: [0, -1 / 3, -1 / 3, -1 / 3, -0.5, 0, -0.5, 0] }, { fdSkip: { x: [1, 2, 3] } });
  });
  it('max gradient: 3D, axes=2, keepDims=false', () => {
    gradCase({ x: x222 }, ({ x }) => max(x, 2), [-1, -1, -1, -1], { x: [0, -1, 0, -1, -1, 0, 0, -1] });
  });
  it('max gradient: 3D, axes=2, keepDims=true', () => {
    gradCase({ x: x222 }, ({ x }) => max(x, 2, true), [-1, -1, -1, -1], { x: [0, -1, 0, -1, -1, 0, 0, -1] });
  });
  const x4 = t([2, 2, 2, 2], [0, 20, 20, 20, -10, -30, -10, -30, 0, -20, -20, -20, 10, 30, 10, 30]);
  it('max gradient: ties, 4D, axes=[1, 2, 3] (convention: split; tfjs [0,-1,-1,-1, 0,0,0,0, 0,0,0,0, 0,-1,0,-1])', () => {
    // Batch 0: three 20s (−1/3 each); batch 1: two 30s (−1/2 each).
    gradCase({ x: x4 }, ({ x }) => max(x, [1, 2, 3]), [-1, -1],
      { x: [0, -1 / 3, -1 / 3, -1 / 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.5, 0, -0.5] }, { fdSkip: { x: [1, 2, 3] } });
  });
  it('max gradient: ties, 4D, axes=[2, 3], keepDims=true (convention: split; tfjs [0,-1,-1,-1, -2,0,-2,0, -3,0,0,0, 0,-4,0,-4])', () => {
    // (0,0): three 20s, −1/3 each; (0,1): two −10s, −1; (1,0): the 0 alone, −3; (1,1): two 30s, −2 each.
    gradCase({ x: x4 }, ({ x }) => max(x, [2, 3], true), [-1, -2, -3, -4],
      { x: [0, -1 / 3, -1 / 3, -1 / 3, -1, 0, -1, 0, -3, 0, 0, 0, 0, -2, 0, -2] }, { fdSkip: { x: [1, 2, 3] } });
  });
});

describe('tfjs where_test.ts: gradients', () => {
  // The condition as a differentiated input: dc = 0, as tfjs. Central differences skip its 0 entries.
  const zeros = (c: number[]) => c.flatMap((v, k) => (v === 0 ? [k] : []));
  const cases = [
    { name: '1D gradient (and: gradient with clones)', shape: [3], c: [1, 0, 1], a: [1, 2, 3], b: [4, 5, 6], dy: [1, 2, 3], da: [1, 0, 3], db: [0, 2, 0] },
    { name: '2D gradient', shape: [2, 3], c: [1, 0, 1, 1, 1, 0], a: [1, 2, 3, 4, 5, 6], b: [7, 8, 9, 10, 11, 12], dy: [1, 2, 3, 4, 5, 6], da: [1, 0, 3, 4, 5, 0], db: [0, 2, 0, 0, 0, 6] },
    { name: '3D gradient', shape: [2, 3, 1], c: [1, 1, 0, 1, 1, 0], a: [1, 2, 3, 4, 5, 6], b: [7, 8, 9, 10, 11, 12], dy: [1, 2, 3, 4, 5, 6], da: [1, 2, 0, 4, 5, 0], db: [0, 0, 3, 0, 0, 6] },
    { name: '4D gradient', shape: [2, 2, 1, 1], c: [1, 1, 0, 1], a: [1, 2, 3, 4], b: [5, 6, 7, 8], dy: [1, 2, 3, 4], da: [1, 2, 0, 4], db: [0, 0, 3, 0] },
  ];
  for (const k of cases) {
    it(k.name, () => {
      gradCase({ c: t(k.shape, k.c), a: t(k.shape, k.a), b: t(k.shape, k.b) }, ({ c, a, b }) => where(c, a, b), k.dy,
        { c: k.c.map(() => 0), a: k.da, b: k.db }, { fdSkip: { c: zeros(k.c) } });
    });
  }
});

describe('tfjs pad_test.ts: gradients', () => {
  it('pad 1d: grad (and: gradient with clones)', () => {
    gradCase({ a: t([3], [1, 2, 3]) }, ({ a }) => pad(a, [[2, 1]]), [10, 20, 30, 40, 50, 60], { a: [30, 40, 50] });
  });
  it('pad 2d: grad', () => {
    gradCase({ a: t([2, 2], [1, 2, 3, 4]) }, ({ a }) => pad(a, [[1, 0], [0, 1]]), [0, 0, 0, 10, 20, 0, 30, 40, 0], { a: [10, 20, 30, 40] });
  });
});

describe('tfjs tile_test.ts: gradients', () => {
  it('1D (tile) gradient (and: gradient with clones)', () => {
    gradCase({ x: t([3], [1, 2, 3]) }, ({ x }) => tile(x, [3]), [0.1, 0.2, 0.3, 1, 2, 3, 10, 20, 30], { x: [11.1, 22.2, 33.3] });
  });
  it('2D (tile) gradient', () => {
    gradCase({ x: t([2, 2], [1, 2, 3, 4]) }, ({ x }) => tile(x, [1, 2]), [1, 2, 10, 20, 3, 4, 30, 40], { x: [11, 22, 33, 44] });
  });
  it('3D (tile) gradient', () => {
    gradCase({ x: t([2, 2, 1], [1, 2, 3, 4]) }, ({ x }) => tile(x, [1, 1, 2]), [1, 10, 2, 20, 3, 30, 4, 40], { x: [11, 22, 33, 44] });
  });
  it('4D (tile) gradient', () => {
    gradCase({ x: t([2, 2, 1, 1], [1, 2, 3, 4]) }, ({ x }) => tile(x, [1, 1, 2, 2]),
      [0.01, 0.1, 1, 10, 0.02, 0.2, 2, 20, 0.03, 0.3, 3, 30, 0.04, 0.4, 4, 40], { x: [11.11, 22.22, 33.33, 44.44] });
  });
});
