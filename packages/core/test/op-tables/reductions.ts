// Reductions over axes: max, min, prod, variance, std, norm, cumulative sums and products, arg-reductions.
import * as ops from '../../src/ops/index.js';
import { tensor, type Tensor } from '../../src/index.js';
import { anyReal, awayFromZero, positive, type Table } from './cases.js';

/** A fixed smooth read-out of a tensor: Σ sin(yₖ)·(1 + k/4), so every derivative order is exercised. */
const probe = (y: Tensor) => y.sin().mul(tensor(Array.from({ length: y.size }, (_, k) => 1 + k / 4), y.shape)).sum();

export const table: Table = {
  // Random reals tie with probability 0 (and the seeded points are fixed), so no case sits on a kink.
  max: [
    { f: (x: Tensor) => ops.max(x).mul(x.sum()), x: () => anyReal(5) },
    { f: (x: Tensor) => probe(ops.max(x.reshape([2, 3]), 1)), x: () => anyReal(6) },
    { f: (x: Tensor) => probe(ops.max(x.reshape([2, 3, 2]), [0, -1], true)), x: () => anyReal(12) },
  ],
  min: [
    { f: (x: Tensor) => ops.min(x).mul(x.square().sum()), x: () => anyReal(4) },
    { f: (x: Tensor) => probe(ops.min(x.reshape([3, 2]), 0, true)), x: () => anyReal(6) },
  ],
  prod: [
    { f: (x: Tensor) => ops.prod(x).mul(x.at(0)), x: () => anyReal(5) },
    { f: (x: Tensor) => probe(ops.prod(x.reshape([2, 3]), 1)), x: () => anyReal(6) },
    { f: (x: Tensor) => probe(ops.prod(x.reshape([2, 2, 2]), [0, 2], true)), x: () => anyReal(8) },
    // Zeros in the input: the derivatives are polynomials there, with no division by x.
    { f: (x: Tensor) => ops.prod(x).add(ops.prod(x.slice(1, 4))), x: () => [0, 1.3, 0, -0.7, 2] },
    { f: (x: Tensor) => probe(ops.prod(x.reshape([2, 3]), 0)), x: () => [0, 0.5, 0, 2, 0, -1.5] },
  ],
  variance: [
    { f: (x: Tensor) => ops.variance(x).mul(x.at(0)), x: () => anyReal(5) },
    { f: (x: Tensor) => probe(ops.variance(x.reshape([2, 3]), 1, { ddof: 1 })), x: () => anyReal(6) },
    { f: (x: Tensor) => probe(ops.variance(x.reshape([2, 2, 2]), [0, 2], true)), x: () => anyReal(8) },
  ],
  std: [
    { f: (x: Tensor) => ops.std(x).mul(x.at(1)), x: () => anyReal(4) },
    { f: (x: Tensor) => probe(ops.std(x.reshape([3, 2]), 0, { ddof: 1, keepDims: true })), x: () => anyReal(6) },
  ],
  norm: [
    { f: (x: Tensor) => ops.norm(x).mul(x.at(0)), x: () => anyReal(4) },
    { f: (x: Tensor) => ops.norm(x, 1).mul(x.sum()), x: () => awayFromZero(4, 0.2, 2) },
    { f: (x: Tensor) => ops.norm(x, Infinity).mul(x.sum()), x: () => awayFromZero(4, 0.2, 2) },
    { f: (x: Tensor) => ops.norm(x, -Infinity).mul(x.sum()), x: () => awayFromZero(4, 0.2, 2) },
    { f: (x: Tensor) => ops.norm(x, 3).square(), x: () => awayFromZero(4, 0.2, 2) },
    { f: (x: Tensor) => ops.norm(x, 0.5).mul(x.at(0)), x: () => awayFromZero(3, 0.2, 2) },
    { f: (x: Tensor) => ops.norm(x, -1.5).mul(x.at(2)), x: () => awayFromZero(3, 0.2, 2) },
    { f: (x: Tensor) => ops.norm(x.reshape([2, 3]), 'fro').mul(x.at(0)), x: () => anyReal(6) },
    { f: (x: Tensor) => probe(ops.norm(x.reshape([2, 2, 2]), 'fro', [0, 2])), x: () => anyReal(8) },
    { f: (x: Tensor) => probe(ops.norm(x.reshape([2, 3]), 2, 1, true)), x: () => anyReal(6) },
    { f: (x: Tensor) => probe(ops.norm(x.reshape([2, 3]), 3, [0])), x: () => positive(6) },
    // ord 0 counts non-zeros: a constant, so only the other factor carries derivatives.
    { f: (x: Tensor) => ops.norm(x, 0).mul(x.square().sum()), x: () => anyReal(3) },
  ],
  diff: [
    { f: (x: Tensor) => probe(ops.diff(x)), x: () => anyReal(5) },
    { f: (x: Tensor) => probe(ops.diff(x.reshape([3, 3]), 2, 0).square()), x: () => anyReal(9) },
    { f: (x: Tensor) => probe(ops.diff(x.exp(), 3)), x: () => anyReal(6) },
  ],
  cumsum: [
    { f: (x: Tensor) => probe(ops.cumsum(x)), x: () => anyReal(5) },
    { f: (x: Tensor) => probe(ops.cumsum(x.reshape([2, 3]), -1)), x: () => anyReal(6) },
    { f: (x: Tensor) => probe(ops.cumsum(x.reshape([3, 2]), 0).square()), x: () => anyReal(6) },
  ],
  cumprod: [
    { f: (x: Tensor) => probe(ops.cumprod(x)), x: () => anyReal(5) },
    { f: (x: Tensor) => probe(ops.cumprod(x.reshape([2, 3]), 1)), x: () => anyReal(6) },
    { f: (x: Tensor) => probe(ops.cumprod(x.reshape([3, 2]), 0)), x: () => [0, 1.5, -0.5, 0, 2, 0.7] },
    { f: (x: Tensor) => probe(ops.cumprod(x)), x: () => [1.2, 0, -0.8, 0, 1.1, 0.9] },
  ],
  // Indices are constants: the derivative flows through the elements they pick.
  argmax: [
    { f: (x: Tensor) => x.at(ops.argmax(x)).mul(x.sum()), x: () => anyReal(5) },
    {
      f: (x: Tensor) => {
        const m = x.reshape([2, 3]);
        return probe(ops.stack(Array.from(ops.argmax(m, 1), (j, r) => m.at([r, j]))));
      },
      x: () => anyReal(6),
    },
  ],
  argmin: [
    { f: (x: Tensor) => x.at(ops.argmin(x)).mul(x.square().sum()), x: () => anyReal(5) },
    { f: (x: Tensor) => probe(ops.take(x.reshape([3, 2]), ops.argmin(x.reshape([3, 2]), 0), 0)), x: () => anyReal(6) },
  ],
};
