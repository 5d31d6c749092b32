// Shape and indexing ops: permutations, squeeze/expand, flips, rolls, tiling, padding, gather and scatter,
// and sorting (a gather through the values' order).
// Each is linear, so each case reads its result out through a fixed smooth function (probe) to give
// non-zero second and higher derivatives.
import * as ops from '../../src/ops/index.js';
import { tensor, type Scalar, type Tensor } from '../../src/index.js';
import { anyReal, distinctReal, uniform, type Table } from './cases.js';

/** Σ sin(yₖ)·(1 + k/4): every derivative order of the op's rules is exercised. */
const probe = (y: Tensor) => y.sin().mul(tensor(Array.from({ length: y.size }, (_, k) => 1 + k / 4), y.shape)).sum();

/** Indices capped at `max` (searchSorted's n would be one past the end of x). */
const clipped = (indices: Int32Array, max: number) => indices.map((i) => Math.min(i, max));

export const table: Table = {
  swapAxes: [
    { f: (x: Tensor) => probe(ops.swapAxes(x.reshape([2, 3, 2]), 0, -1)), x: () => anyReal(12) },
  ],
  moveAxis: [
    { f: (x: Tensor) => probe(ops.moveAxis(x.reshape([2, 3, 2]), 0, -1)), x: () => anyReal(12) },
    { f: (x: Tensor) => probe(ops.moveAxis(x.reshape([2, 3, 2]), [0, 1], [2, 0])), x: () => anyReal(12) },
  ],
  squeeze: [
    { f: (x: Tensor) => probe(ops.squeeze(x.reshape([1, 3, 1]))).mul(x.at(0)), x: () => anyReal(3) },
    { f: (x: Tensor) => probe(ops.squeeze(x.reshape([1, 3, 1]), -1)), x: () => anyReal(3) },
  ],
  expandDims: [
    { f: (x: Tensor) => probe(ops.expandDims(x, [0, -1]).mul(x.reshape([3, 1]))), x: () => anyReal(3) },
  ],
  flip: [
    { f: (x: Tensor) => probe(ops.flip(x).mul(x)), x: () => anyReal(4) },
    { f: (x: Tensor) => probe(ops.flip(x.reshape([2, 3]), 1)), x: () => anyReal(6) },
    { f: (x: Tensor) => probe(ops.flip(x.reshape([2, 3]))), x: () => anyReal(6) },
  ],
  roll: [
    { f: (x: Tensor) => probe(ops.roll(x, 2).mul(x)), x: () => anyReal(5) },
    { f: (x: Tensor) => probe(ops.roll(x.reshape([2, 3]), [1, -1], [0, 1])), x: () => anyReal(6) },
    { f: (x: Tensor) => probe(ops.roll(x.reshape([2, 3]), -4)), x: () => anyReal(6) },
  ],
  tile: [
    { f: (x: Tensor) => probe(ops.tile(x, 3)).mul(x.at(1)), x: () => anyReal(2) },
    { f: (x: Tensor) => probe(ops.tile(x.reshape([2, 2]), [2, 1, 3])), x: () => anyReal(4) },
  ],
  repeat: [
    { f: (x: Tensor) => probe(ops.repeat(x, 2)).mul(x.at(0)), x: () => anyReal(3) },
    { f: (x: Tensor) => probe(ops.repeat(x.reshape([2, 2]), [3, 0], 1)), x: () => anyReal(4) },
    { f: (x: Tensor) => probe(ops.repeat(x.reshape([2, 2]), 2, 0)), x: () => anyReal(4) },
  ],
  pad: [
    { f: (x: Tensor) => probe(ops.pad(x, [2, 3], 'reflect').mul(ops.pad(x, [2, 3], 'edge'))), x: () => anyReal(3) },
    { f: (x: Tensor) => probe(ops.pad(x.reshape([2, 2]), [[1, 0], [2, 1]], 'constant', 0.5)), x: () => anyReal(4) },
    { f: (x: Tensor) => probe(ops.pad(x.reshape([2, 3]), 2, 'reflect')), x: () => anyReal(6) },
    { f: (x: Tensor) => probe(ops.pad(x.reshape([3, 1]), [[1, 2], [2, 0]], 'edge')), x: () => anyReal(3) },
  ],
  split: [
    { f: (x: Tensor) => ops.split(x, [1, 3]).map((p, k) => probe(p).mul(k + 1)).reduce((a, b) => a.add(b)).mul(x.at(0)), x: () => anyReal(5) },
    { f: (x: Tensor) => probe(ops.split(x.reshape([2, 4]), 2, 1)[1].mul(ops.split(x.reshape([2, 4]), 2, 1)[0])), x: () => anyReal(8) },
  ],
  take: [
    { f: (x: Tensor) => probe(ops.take(x, [3, -1, 0, 3]).mul(ops.take(x, Int32Array.of(1, 2, 2, 0)))), x: () => anyReal(4) },
    { f: (x: Tensor) => probe(ops.take(x.reshape([3, 2]), [2, 0, 2], 0)), x: () => anyReal(6) },
    { f: (x: Tensor) => probe(ops.take(x.reshape([2, 3]), 1, 1)).mul(x.at(0)), x: () => anyReal(6) },
  ],
  takeAlongAxis: [
    // Each row of a [2, 3] read in its own order, repeats allowed, and a longer result along the axis.
    { f: (x: Tensor) => probe(ops.takeAlongAxis(x.reshape([2, 3]), [2, 0, 0, 1, 1, -1], 1)), x: () => anyReal(6) },
    { f: (x: Tensor) => probe(ops.takeAlongAxis(x.reshape([3, 2]), Int32Array.of(2, 0, 1, 1), 0)).mul(x.at(5)), x: () => anyReal(6) },
  ],
  // Sorting: a gather through the order of the values; the probe's weights differ by position, so a
  // wrong permutation (or a wrong adjoint scatter) changes every derivative.
  sort: [
    { f: (x: Tensor) => probe(ops.sort(x)), x: () => distinctReal(5) },
    { f: (x: Tensor) => probe(ops.sort(x.reshape([2, 3]), 0, { descending: true })).mul(x.at(1)), x: () => distinctReal(6) },
    { f: (x: Tensor) => probe(ops.sort(x.reshape([2, 3]), -1).mul(x.reshape([2, 3]))), x: () => distinctReal(6) },
  ],
  topK: [
    { f: (x: Tensor) => probe(ops.topK(x, 3).values), x: () => distinctReal(5) },
    { f: (x: Tensor) => probe(ops.topK(x.reshape([3, 2]), 2, 0).values.mul(x.reshape([3, 2]).slice(0, 2, 0))), x: () => distinctReal(6) },
  ],
  quantile: [
    { f: (x: Tensor) => ops.quantile(x, 0.3).mul(x.sum()), x: () => distinctReal(5) },
    { f: (x: Tensor) => probe(ops.quantile(x.reshape([2, 4]), [0.25, 0.8], 1)), x: () => distinctReal(8) },
    { f: (x: Tensor) => probe(ops.quantile(x.reshape([3, 2]), 0.5, 0, true)).mul(x.at(2)), x: () => distinctReal(6) },
  ],
  median: [
    { f: (x: Tensor) => ops.median(x).square(), x: () => distinctReal(5) },
    { f: (x: Tensor) => probe(ops.median(x.reshape([2, 4]), -1)), x: () => distinctReal(8) },
  ],
  // Indices are constants: the derivative flows through the elements they pick.
  argsort: [
    { f: (x: Tensor) => probe(ops.takeAlongAxis(x.square(), ops.argsort(x), 0)), x: () => anyReal(5) },
    { f: (x: Tensor) => probe(ops.takeAlongAxis(x.reshape([2, 3]).sin(), ops.argsort(x.reshape([2, 3]), 1, { descending: true }), 1)), x: () => anyReal(6) },
  ],
  // Indices read from a sorted operand and values, each a node or data (both nodes: the joint guard);
  // the cumulative sum of exponentials is increasing at every point. Indices clipped to x's length.
  searchSorted: [
    { f: (x: Tensor) => probe(ops.take(x.sin(), clipped(ops.searchSorted([-1, 0, 1], x.reshape([2, 2]), { side: 'right' }), 3))), x: () => anyReal(4) },
    { f: (x: Tensor) => probe(ops.take(ops.cumsum(x.exp()), clipped(ops.searchSorted(ops.cumsum(x.exp()), [0.5, 2, 4.5]), 3))), x: () => anyReal(4) },
    { f: (x: Tensor) => probe(ops.take(x, clipped(ops.searchSorted(ops.cumsum(x.exp()), x.slice(0, 2).mul(3)), 3)).mul(x.at(3))), x: () => anyReal(4) },
  ],
  // A composite of gathers through the segment of each x (x, xp and fp all nodes in case 1).
  interp: [
    { f: (p: { x: Tensor; fp: Tensor }) => probe(ops.interp(p.x, [-1.5, -0.5, 0.7, 1.6], p.fp)), x: () => ({ x: anyReal(5), fp: anyReal(4) }) as never },
    {
      f: (p: { x: Tensor; xp: Tensor; fp: Tensor }) => probe(ops.interp(p.x.reshape([2, 2]), ops.cumsum(p.xp.exp()), p.fp, { left: 0.5 })),
      x: () => ({ x: uniform(4, 0, 8), xp: anyReal(4), fp: anyReal(4) }) as never,
    },
    { f: (x: Tensor) => ops.interp(x.at(0), [-1, 0, 1], x.slice(1, 4), { right: x.at(4) }).mul(x.at(0).add(x.at(4))), x: () => anyReal(5) },
    // Periodic: x and xp (unsorted) reduced mod 1.7, the sorted knots extended around the circle.
    {
      f: (p: { x: Tensor; xp: Tensor; fp: Tensor }) => probe(ops.interp(p.x, p.xp, p.fp, { period: 1.7 })),
      x: () => ({ x: uniform(5, -4, 4), xp: anyReal(4), fp: anyReal(4) }) as never,
    },
    { f: (x: Tensor) => probe(ops.interp(x.slice(0, 3), [0, 1, 2], x.slice(3, 6), { left: 'extrapolate', right: 'extrapolate' })), x: () => uniform(6, -1, 3) },
  ],
  scatterAdd: [
    {
      f: (p: { x: Tensor; u: Tensor }) => probe(ops.scatterAdd(p.x, [0, 2, 0], p.u).mul(p.x)),
      x: () => ({ x: anyReal(3), u: anyReal(3) }) as never,
    },
    {
      f: (p: { x: Tensor; u: Tensor }) => probe(ops.scatterAdd(p.x.reshape([3, 2]), [-1, 1], p.u.reshape([2, 2]), 0)),
      x: () => ({ x: anyReal(6), u: anyReal(4) }) as never,
    },
    { f: (p: { x: Tensor; u: Scalar }) => probe(ops.scatterAdd(p.x.reshape([2, 2]), [1], p.u, 1)), x: () => ({ x: anyReal(4), u: 0.7 }) as never },
  ],
  scatterSet: [
    {
      f: (p: { x: Tensor; u: Tensor }) => probe(ops.scatterSet(p.x, [2, 0], p.u.square()).mul(p.x)),
      x: () => ({ x: anyReal(3), u: anyReal(2) }) as never,
    },
    {
      f: (p: { x: Tensor; u: Tensor }) => probe(ops.scatterSet(p.x.reshape([3, 2]), [-1, 1], p.u.reshape([2, 2]), 0).mul(p.x.reshape([3, 2]))),
      x: () => ({ x: anyReal(6), u: anyReal(4) }) as never,
    },
    { f: (p: { x: Tensor; u: Scalar }) => probe(ops.scatterSet(p.x.reshape([2, 2]), [1], p.u, 1)).square(), x: () => ({ x: anyReal(4), u: 0.7 }) as never },
  ],
  diag: [
    { f: (x: Tensor) => probe(ops.diag(x, 1)).mul(x.at(0)), x: () => anyReal(3) },
    { f: (x: Tensor) => probe(ops.diag(x.reshape([3, 4]), -1)), x: () => anyReal(12) },
  ],
  tril: [
    { f: (x: Tensor) => probe(ops.tril(x.reshape([3, 3]))).mul(x.at(8)), x: () => anyReal(9) },
    { f: (x: Tensor) => probe(ops.tril(x.reshape([2, 2, 3]), 1)), x: () => anyReal(12) },
  ],
  triu: [
    { f: (x: Tensor) => probe(ops.triu(x.reshape([3, 3]))).mul(x.at(3)), x: () => anyReal(9) },
    { f: (x: Tensor) => probe(ops.triu(x.reshape([2, 3, 2]), -1)), x: () => anyReal(12) },
  ],
  matrixTrace: [
    { f: (x: Tensor) => (ops.matrixTrace(x.reshape([3, 3])) as Scalar).mul(x.square().sum()), x: () => anyReal(9) },
    { f: (x: Tensor) => probe(ops.matrixTrace(x.reshape([2, 3, 2]), -1) as Tensor), x: () => anyReal(12) },
  ],
};
