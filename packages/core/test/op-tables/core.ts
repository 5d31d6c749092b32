// The first 33 ops and broadcastTo: elementwise arithmetic and functions, reductions, products,
// shape and indexing.
import * as ops from '../../src/ops/index.js';
import { scalar, tensor, type Scalar, type Tensor } from '../../src/index.js';
import { anyReal, awayFromZero, binaryCases, positive, unaryCases, uniform, type Table } from './cases.js';

export const table: Table = {
  neg: unaryCases(ops.neg, anyReal),
  square: unaryCases(ops.square, anyReal),
  sqrt: unaryCases(ops.sqrt, positive),
  exp: unaryCases(ops.exp, anyReal),
  log: unaryCases(ops.log, positive),
  log1p: unaryCases(ops.log1p, (n) => uniform(n, -0.7, 2)),
  sin: unaryCases(ops.sin, anyReal),
  cos: unaryCases(ops.cos, anyReal),
  tanh: unaryCases(ops.tanh, anyReal),
  sigmoid: unaryCases(ops.sigmoid, (n) => uniform(n, -4, 4)),
  relu: unaryCases(ops.relu, (n) => awayFromZero(n, 0.1, 2)),
  softplus: unaryCases(ops.softplus, (n) => uniform(n, -4, 4)),
  abs: unaryCases(ops.abs, (n) => awayFromZero(n, 0.1, 2)),
  add: binaryCases(ops.add, anyReal, anyReal),
  sub: binaryCases(ops.sub, anyReal, anyReal),
  mul: binaryCases(ops.mul, anyReal, anyReal),
  div: binaryCases(ops.div, anyReal, (n) => awayFromZero(n, 0.5, 2)),
  pow: [
    ...binaryCases(ops.pow, positive, (n) => uniform(n, -1.5, 2.5)),
    // A constant exponent takes its own rule, valid for negative bases.
    { f: (x: Tensor) => ops.pow(x, 3).sum(), x: () => anyReal(3) },
    { f: (x: Scalar) => ops.pow(x, -1.5), x: () => positive(1)[0] },
  ],
  // Ties are measure-zero for random reals; keep a margin so the finite differences do not cross one.
  maximum: binaryCases(ops.maximum, (n) => uniform(n, -2, 2), (n) => uniform(n, -2, 2)).slice(0, 1).concat([
    { f: (p: { a: Tensor; b: Tensor }) => ops.maximum(p.a, p.b).square().sum(), x: () => ({ a: [1, -1, 0.5], b: [0.2, 0.3, -2] }) as never },
  ]),
  minimum: [
    { f: (p: { a: Tensor; b: Tensor }) => ops.minimum(p.a, p.b).square().sum(), x: () => ({ a: [1, -1, 0.5], b: [0.2, 0.3, -2] }) as never },
    { f: (x: Tensor) => ops.minimum(x, 0.5).exp().sum(), x: () => [-1, 1.2, 0.1] },
  ],
  sum: [
    { f: (x: Tensor) => ops.sum(x).square(), x: () => anyReal(5) },
    { f: (x: Tensor) => ops.sum(x.reshape([2, 3]), 0).square().sum(), x: () => anyReal(6) },
    { f: (x: Tensor) => ops.sum(x.reshape([2, 3]), 1, true).tanh().sum(), x: () => anyReal(6) },
  ],
  mean: [
    { f: (x: Tensor) => ops.mean(x).exp(), x: () => anyReal(4) },
    { f: (x: Tensor) => ops.mean(x.reshape([2, 2]), 1).square().sum(), x: () => anyReal(4) },
  ],
  matmul: [
    // Both operands active: the cross terms C̄·R{B}ᵀ and R{A}ᵀ·C̄ of the R-backward are exercised.
    { f: (p: { a: Tensor; b: Tensor }) => ops.matmul(p.a.reshape([2, 3]), p.b.reshape([3, 2])).tanh().sum(), x: () => ({ a: anyReal(6), b: anyReal(6) }) as never },
    { f: (p: { a: Tensor; b: Tensor }) => ops.matmul(p.a.reshape([2, 3]), p.b).square().sum(), x: () => ({ a: anyReal(6), b: anyReal(3) }) as never },
    { f: (p: { a: Tensor; b: Tensor }) => ops.matmul(p.a, p.b.reshape([3, 2])).sin().sum(), x: () => ({ a: anyReal(3), b: anyReal(6) }) as never },
    { f: (w: Tensor) => ops.matmul(tensor([1, 2, -1, 0.5, 3, 1], [3, 2]), w.reshape([2, 2])).tanh().sum(), x: () => anyReal(4) },
  ],
  dot: [
    { f: (p: { a: Tensor; b: Tensor }) => ops.dot(p.a, p.b).square(), x: () => ({ a: anyReal(4), b: anyReal(4) }) as never },
    { f: (a: Tensor) => ops.dot(a, a.exp()), x: () => anyReal(3) },
  ],
  transpose: [
    { f: (x: Tensor) => ops.transpose(x.reshape([2, 3])).matmul(x.reshape([2, 3])).sum(), x: () => anyReal(6) },
  ],
  reshape: [
    { f: (x: Tensor) => ops.reshape(x, [3, -1]).sum(1).square().sum(), x: () => anyReal(6) },
  ],
  broadcastTo: [
    { f: (x: Tensor) => ops.broadcastTo(x.reshape([3, 1]), [2, 3, 4]).tanh().mul(tensor(Array.from({ length: 24 }, (_, k) => k / 10), [2, 3, 4])).sum(), x: () => anyReal(3) },
    { f: (x: Tensor) => ops.broadcastTo(x, [2, 2]).square().sum().mul(x.at(0)), x: () => anyReal(2) },
  ],
  at: [
    { f: (x: Tensor) => ops.at(x, 1).mul(ops.at(x.reshape([2, 2]), [1, 0])).exp(), x: () => anyReal(4) },
  ],
  slice: [
    { f: (x: Tensor) => ops.slice(x, 1, 3).square().sum().mul(x.at(0)), x: () => anyReal(4) },
    { f: (x: Tensor) => ops.slice(x.reshape([2, 3]), 1, 3, 1).tanh().sum(), x: () => anyReal(6) },
  ],
  concat: [
    { f: (p: { a: Tensor; b: Tensor }) => ops.concat([p.a, p.b.square()]).mul(tensor([1, 2, 3, 4, 5])).sin().sum(), x: () => ({ a: anyReal(2), b: anyReal(3) }) as never },
    { f: (p: { a: Tensor; b: Tensor }) => ops.concat([p.a.reshape([2, 1]), p.b.reshape([2, 2])], 1).exp().sum(), x: () => ({ a: anyReal(2), b: anyReal(4) }) as never },
  ],
  stack: [
    { f: (x: Tensor) => ops.stack([x.at(0), x.at(1).mul(x.at(2))]).square().sum(), x: () => anyReal(3) },
    { f: (p: { a: Tensor; b: Tensor }) => ops.stack([p.a, p.b], 1).tanh().sum().mul(p.a.at(0)), x: () => ({ a: anyReal(2), b: anyReal(2) }) as never },
  ],
  logSumExp: [
    { f: (x: Tensor) => ops.logSumExp(x).square(), x: () => anyReal(4) },
    { f: (x: Tensor) => ops.logSumExp(x.reshape([2, 3]), 1).square().sum(), x: () => anyReal(6) },
  ],
  softmax: [
    { f: (x: Tensor) => ops.softmax(x).mul(tensor([1, -2, 3])).sum().square(), x: () => anyReal(3) },
    { f: (x: Tensor) => ops.softmax(x.reshape([2, 3]), 0).mul(tensor([1, 2, 3, 4, 5, 6], [2, 3])).sum().square(), x: () => anyReal(6) },
  ],
  where: [
    { f: (p: { a: Tensor; b: Tensor }) => ops.where([1, 0, 1], p.a.square(), p.b.exp()).sum().square(), x: () => ({ a: anyReal(3), b: anyReal(3) }) as never },
    { f: (x: Tensor) => ops.where([0, 1, 1], x, scalar(2).mul(x.at(0))).tanh().sum(), x: () => anyReal(3) },
  ],
  // Finite differences see through a stop, so the cases use it where that changes nothing: on a
  // locally constant quantity and as a difference that cancels. What it stops is pinned down in
  // stop-gradient.test.ts against closed forms and JAX.
  stopGradient: [
    { f: (x: Tensor) => x.square().mul(ops.stopGradient(x.sign().add(2))).sin().sum(), x: () => awayFromZero(4, 0.1, 2) },
    { f: (x: Scalar) => x.exp().add(ops.stopGradient(x.mul(3)).sub(ops.stopGradient(x.mul(3)))), x: () => 0.4 },
  ],
};

