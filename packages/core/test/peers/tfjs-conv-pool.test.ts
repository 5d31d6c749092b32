// Peer suite: the gradient cases of TensorFlow.js's convolution and pooling tests, ported as our own
// TypeScript (tensorflow/tfjs, tfjs-core/src/ops/):
//   conv2d_test.ts   (the 'gradient …' cases of describe('conv2d')),
//   fused/fused_conv2d_test.ts ('backProp input …' and 'gradient x=[2,3,3,1] f=[2,2,1,1] s=1 p=0', no
//                    bias or activation: plain conv2d; its other gradient cases compare fused against
//                    unfused tfjs and carry no numbers of their own),
//   conv1d_test.ts   (the 'gradient with clones …' and 'conv1d gradients …' cases),
//   max_pool_test.ts (describe('maxPoolBackprop')),
//   avg_pool_test.ts (the 'gradient …' cases of describe('avgPool')).
// Same inputs, same upstream gradient dy, tfjs's hand-computed numbers; see ./tfjs-check.ts for what
// each case checks (tfjs's numbers at float32 slack, and central differences in float64).
// Layout: tfjs's default NHWC / NWC data and HWIO / WIO filters are ours (docs/conventions.md). Its
// NCHW cases are ported as transpose → conv2d (NHWC) → transpose. tfjs's pad 0 is our 'valid'; its
// explicit [[0,0],[t,b],[l,r],[0,0]] is our [t, b, l, r]; tfjs passes the stride explicitly, and our
// pools default it to the window size, so every call here passes it.
// Convention differences (docs/conventions.md), tested as ours:
//   - maxPool2d ties: tfjs gives a window's whole adjoint to its first maximum (row-major); ours splits
//     it evenly among the tied maxima. No tfjs case ties inside one window (checked: a plain-loop
//     reference gives tfjs's numbers under both rules), so two small cases of our own show the split.
//   - avgPool2d with explicit padding: tfjs divides by the full window (padded cells counted), ours
//     leaves padded cells out of the count, as TensorFlow's 'same' average does.
import { describe, expect, it } from 'vitest';
import { avgPool2d, conv1d, conv2d, maxPool2d, tensor, transpose } from '../../src/index.js';
import { gradCase, poolGradRef, t, type In, type Pad2d } from './tfjs-check.js';

const range = (n: number, from = 1) => Array.from({ length: n }, (_, k) => k + from);
const ones = (n: number) => new Array<number>(n).fill(1);
const padOf = (p: Pad2d) => (p === 'valid' || p === 'same' ? p : [...p]);

describe('tfjs conv2d_test.ts: gradients', () => {
  // dx of a 2×2 all-ones filter over 3×3 with dy [[3, 1], [2, 0]], and dfilter = Σ dy·(shifted x).
  const dx1 = [3, 4, 1, 5, 6, 1, 2, 2, 0];
  it('gradient with clones input=[3,3,1] f=[2,2,1,1] s=1 p=0', () => {
    gradCase({ x: t([3, 3, 1], range(9)), f: t([2, 2, 1, 1], ones(4)) },
      ({ x, f }) => conv2d(x, f, { stride: 1, padding: 'valid' }), [3, 1, 2, 0],
      { x: dx1, f: [13, 19, 31, 37] });
  });
  it('gradient x=[2,3,3,1] f=[2,2,1,1] s=1 p=0', () => {
    gradCase({ x: t([2, 3, 3, 1], [...range(9), ...range(9)]), f: t([2, 2, 1, 1], ones(4)) },
      ({ x, f }) => conv2d(x, f, { stride: 1, padding: 'valid' }), [3, 1, 2, 0, 3, 1, 2, 0],
      { x: [...dx1, ...dx1], f: [13 * 2, 19 * 2, 31 * 2, 37 * 2] });
  });
  // NCHW: x [N, C, H, W] → NHWC, conv, → NCHW.
  const nchw = (x: Parameters<typeof conv2d>[0], f: Parameters<typeof conv2d>[1]) =>
    transpose(conv2d(transpose(x, [0, 2, 3, 1]), f, { stride: 1, padding: 'valid' }), [0, 3, 1, 2]);
  it('gradient x=[1,1,3,3] f=[2,2,1,1] s=1 p=0 NCHW', () => {
    gradCase({ x: t([1, 1, 3, 3], range(9)), f: t([2, 2, 1, 1], ones(4)) },
      ({ x, f }) => nchw(x, f), [3, 1, 2, 0], { x: dx1, f: [13, 19, 31, 37] });
  });
  it('gradient x=[2,1,3,3] f=[2,2,1,1] s=1 p=0 NCHW', () => {
    gradCase({ x: t([2, 1, 3, 3], [...range(9), ...range(9)]), f: t([2, 2, 1, 1], ones(4)) },
      ({ x, f }) => nchw(x, f), [3, 1, 2, 0, 3, 1, 2, 0], { x: [...dx1, ...dx1], f: [26, 38, 62, 74] });
  });
});

describe('tfjs fused/fused_conv2d_test.ts: gradients without bias or activation', () => {
  const x = t([2, 3, 3, 1], [...range(9), ...range(9)]), f = t([2, 2, 1, 1], [-1, 1, -2, 0.5]);
  const dx = [-3, 2, 1, -8, 1.5, 0.5, -4, 1, 0];
  it('backProp input x=[2,3,3,1] f=[2,2,1,1] s=1 p=0', () => {
    gradCase({ x }, ({ x }) => conv2d(x, tensor([-1, 1, -2, 0.5], [2, 2, 1, 1]), { stride: 1 }), [3, 1, 2, 0, 3, 1, 2, 0],
      { x: [...dx, ...dx] });
  });
  it('gradient x=[2,3,3,1] f=[2,2,1,1] s=1 p=0', () => {
    gradCase({ x, f }, ({ x, f }) => conv2d(x, f, { stride: 1 }), [3, 1, 2, 0, 3, 1, 2, 0],
      { x: [...dx, ...dx], f: [26, 38, 62, 74] });
  });
});

describe('tfjs conv1d_test.ts: gradients', () => {
  it('gradient with clones, input=2x2x1,d2=1,f=1,s=1,d=1,p=same', () => {
    gradCase({ x: t([2, 2, 1], [1, 2, 3, 4]), w: t([1, 1, 1], [3]) },
      ({ x, w }) => conv1d(x, w, { stride: 1, padding: 'same', dilation: 1 }), [3, 2, 1, 0],
      { x: [9, 6, 3, 0], w: [10] });
  });
  it('conv1d gradients input=14x1,d2=1,f=3x1x1,s=1,p=valid', () => {
    gradCase({ x: t([14, 1], range(14)), w: t([3, 1, 1], [3, 2, 1]) },
      ({ x, w }) => conv1d(x, w, { stride: 1, padding: 'valid' }), [3, 2, 1, 0, 3, 2, 1, 0, 3, 2, 1, 0],
      { x: [9, 12, 10, 4, 10, 12, 10, 4, 10, 12, 10, 4, 1, 0], w: [102, 120, 138] });
  });
});

interface PoolCase { name: string; x: In; dy: number[]; size: number; stride: number; pad: Pad2d; tfjs: number[] }

describe('tfjs max_pool_test.ts: maxPoolBackprop', () => {
  const cases: PoolCase[] = [
    { name: 'x=[3,3,1] f=[2,2] s=1 no dup max value, test #1 (and: with clones)', x: t([3, 3, 1], range(9)), dy: [1, 2, 3, 4], size: 2, stride: 1, pad: 'valid', tfjs: [0, 0, 0, 0, 1, 2, 0, 3, 4] },
    { name: 'x=[3,3,1] f=[2,2] s=1 no dup max value, test #2', x: t([3, 3, 1], [9, 5, 6, 6, 8, 4, 9, 5, 10]), dy: [1, 2, 3, 4], size: 2, stride: 1, pad: 'valid', tfjs: [1, 0, 0, 0, 2, 0, 3, 0, 4] },
    { name: 'x=[2,3,3,1] f=[2,2] s=1 no duplicate max value', x: t([2, 3, 3, 1], [...range(9), 9, 5, 6, 6, 8, 4, 9, 5, 10]), dy: [1, 2, 3, 4, 1, 2, 3, 4], size: 2, stride: 1, pad: 'valid', tfjs: [0, 0, 0, 0, 1, 2, 0, 3, 4, 1, 0, 0, 0, 2, 0, 3, 0, 4] },
    { name: 'x=[3,3,1] f=[2,2] s=1 dup max value, test 1', x: t([3, 3, 1], [0, 0, 0, 0, 5, 0, 0, 0, 0]), dy: [1, 2, 3, 4], size: 2, stride: 1, pad: 'valid', tfjs: [0, 0, 0, 0, 10, 0, 0, 0, 0] },
    { name: 'x=[3,3,1] f=[2,2] s=1 dup max value, test 2', x: t([3, 3, 1], [1, 3, 2, 1, 2, 1, 1, 1, 5]), dy: [1, 2, 3, 4], size: 2, stride: 1, pad: 'valid', tfjs: [0, 3, 0, 0, 3, 0, 0, 0, 4] },
    { name: 'x=[2,3,3,1] f=[2,2] s=1 dup max value in 2nd input', x: t([2, 3, 3, 1], [...range(9), 1, 2, 3, 4, 5, 6, 7, 9, 8]), dy: range(8), size: 2, stride: 1, pad: 'valid', tfjs: [0, 0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0, 0, 5, 6, 0, 15, 0] },
    { name: 'x=[4,4,1] f=[2,2] s=2 test #1', x: t([4, 4, 1], range(16, 0)), dy: [1, 2, 3, 4], size: 2, stride: 2, pad: 'valid', tfjs: [0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4] },
    { name: 'x=[4,4,1] f=[2,2] s=2 test #2', x: t([4, 4, 1], [1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1]), dy: [1, 2, 3, 4], size: 2, stride: 2, pad: 'valid', tfjs: [0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 4, 0] },
    { name: 'x=[5,5,1] f=[3,3] s=2 no duplicate max value', x: t([5, 5, 1], range(25, 0)), dy: [1, 2, 3, 4], size: 3, stride: 2, pad: 'valid', tfjs: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 4] },
    { name: 'x=[5,5,1] f=[3,3] s=2 duplicate max value', x: t([5, 5, 1], [...range(12, 0), 24, ...range(11, 13), 12]), dy: [1, 2, 3, 4], size: 3, stride: 2, pad: 'valid', tfjs: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
    { name: 'x=[3,3,2] f=[2,2] s=1, no duplicate max value', x: t([3, 3, 2], [1, 99, 2, 55, 3, 66, 4, 66, 5, 88, 6, 44, 7, 99, 8, 55, 9, 100]), dy: [1, 44, 2, 33, 3, 22, 4, 11], size: 2, stride: 1, pad: 'valid', tfjs: [0, 44, 0, 0, 0, 0, 0, 0, 1, 33, 2, 0, 0, 22, 3, 0, 4, 11] },
    { name: 'x=[3,3,2] f=[2,2] s=1 duplicate max value', x: t([3, 3, 2], [0, 1, 0, 3, 0, 2, 0, 1, 5, 2, 0, 1, 0, 1, 0, 1, 0, 5]), dy: [1, 44, 2, 33, 3, 22, 4, 11], size: 2, stride: 1, pad: 'valid', tfjs: [0, 0, 0, 77, 0, 0, 0, 0, 10, 22, 0, 0, 0, 0, 0, 0, 0, 11] },
    { name: 'x=[4,4,2] f=[2,2] s=1 (stride 2 in the call)', x: t([4, 4, 2], [0, 1, 1, 2, 2, 2, 3, 1, 4, 1, 5, 1, 6, 1, 7, 1, 8, 1, 9, 1, 10, 1, 11, 1, 12, 1, 13, 2, 14, 2, 15, 1]), dy: [1, 11, 2, 22, 3, 33, 4, 44], size: 2, stride: 2, pad: 'valid', tfjs: [0, 0, 0, 11, 0, 22, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 33, 0, 44, 4, 0] },
    { name: 'x=[3,3,1] f=3 s=1 p=explicit', x: t([3, 3, 1], range(9, 0)), dy: [1, 11, 2, 22, 3, 33, 4, 44], size: 3, stride: 1, pad: [1, 2, 0, 1], tfjs: [0, 0, 0, 0, 0, 12, 0, 0, 108] },
    { name: 'x=5x5x2, f=3, s=2 no duplicate max value', x: t([5, 5, 2], [...range(24, 0).flatMap((v) => [v, v]).slice(0, 24), 12, 24, ...range(11, 13).flatMap((v) => [v, v]), 24, 12]), dy: [1, 11, 2, 22, 3, 33, 4, 44], size: 3, stride: 2, pad: 'valid', tfjs: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 110, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 4, 0] },
  ];
  for (const c of cases) {
    it(`gradient ${c.name}`, () => {
      const k: [number, number] = [c.size, c.size], s: [number, number] = [c.stride, c.stride];
      // The plain-loop reference reads the case as tfjs does (tfjs's rule gives tfjs's numbers).
      expect(poolGradRef(c.x, k, s, c.pad, c.dy, 'max-first')).toEqual(c.tfjs);
      gradCase({ x: c.x }, ({ x }) => maxPool2d(x, c.size, { stride: c.stride, padding: padOf(c.pad) }), c.dy, { x: c.tfjs });
    });
  }
  it('no tfjs case ties inside a window, so these two (ours, hand-computed) show the convention', () => {
    // The tfjs 'dup max value' cases repeat a maximum across overlapping windows, never inside one.
    for (const c of cases) {
      const k: [number, number] = [c.size, c.size], s: [number, number] = [c.stride, c.stride];
      expect(poolGradRef(c.x, k, s, c.pad, c.dy, 'max-split')).toEqual(c.tfjs);
    }
    // A three-way tie, dy = 6: tfjs's rule would give [6, 0, 0, 0]; ours gives 2 to each tied 7.
    // (Central differences cannot arbitrate a three-way tie: ±h moves give 1 and 0, so no FD check.)
    const x3 = t([2, 2, 1], [7, 7, 7, 1]);
    expect(poolGradRef(x3, [2, 2], [2, 2], 'valid', [6], 'max-first')).toEqual([6, 0, 0, 0]);
    gradCase({ x: x3 }, ({ x }) => maxPool2d(x, 2, { stride: 2 }), [6], { x: [2, 2, 2, 0] }, { noFd: true });
    // A two-way tie, dy = 6: 3 each, which central differences confirm ((6h − 0)/2h = 3 for each).
    gradCase({ x: t([2, 2, 1], [1, 7, 7, 1]) }, ({ x }) => maxPool2d(x, 2, { stride: 2 }), [6], { x: [0, 3, 3, 0] });
  });
});

describe('tfjs avg_pool_test.ts: gradients', () => {
  const q = 1 / 4;
  it('gradient x=[1,1,1] f=[1,1] s=1 [0] => [0] (and: with clones)', () => {
    gradCase({ x: t([1, 1, 1], [0]) }, ({ x }) => avgPool2d(x, 1, { stride: 1 }), [0], { x: [0] });
  });
  it('gradient x=[3,3,1] f=[2,2] s=1', () => {
    gradCase({ x: t([3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 9, 8]) }, ({ x }) => avgPool2d(x, 2, { stride: 1 }), [1, 2, 3, 4],
      { x: [1, 3, 2, 4, 10, 6, 3, 7, 4].map((v) => v * q) });
  });
  it('gradient x=[2,3,3,1] f=[2,2], s=1', () => {
    const one = [1, 3, 2, 4, 10, 6, 3, 7, 4].map((v) => v * q);
    gradCase({ x: t([2, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 9, 8, ...range(9)]) }, ({ x }) => avgPool2d(x, 2, { stride: 1 }),
      [1, 2, 3, 4, 1, 2, 3, 4], { x: [...one, ...one] });
  });
  it('gradient x=[3,3,1] f=[3,3] s=1 p=explicit (convention: padded cells not counted)', () => {
    const x = t([3, 3, 1], range(9, 0)), dy = [0, 3, 0, 6, 0, 9, 0, 12], pad = [1, 2, 0, 1] as const;
    const tfjs = [0, 1, 1, 0, 2, 2, 0, 3, 3];
    expect(poolGradRef(x, [3, 3], [1, 1], pad, dy, 'avg-inclusive')).toEqual(tfjs);
    // Ours, by hand: output column 1 covers x columns 1 and 2; output rows 0..3 cover x rows {0,1}, {0,1,2},
    // {1,2}, {2}: counts 4, 6, 4, 2 with dy 3, 6, 9, 12. Row 0 of x: 3/4 + 6/6 = 1.75; row 1: 3/4 + 1 + 9/4 = 4;
    // row 2: 1 + 9/4 + 12/2 = 9.25. Output column 0 has dy 0.
    const ours = [0, 1.75, 1.75, 0, 4, 4, 0, 9.25, 9.25];
    expect(poolGradRef(x, [3, 3], [1, 1], pad, dy, 'avg-exclusive')).toEqual(ours);
    gradCase({ x }, ({ x }) => avgPool2d(x, 3, { stride: 1, padding: [...pad] }), dy, { x: ours });
  });
});
