// Products: batched matmul, tensordot, einsum, outer. (matmul's 2-D cases are in core.ts.)
import * as ops from '../../src/ops/index.js';
import { tensor, type Tensor } from '../../src/index.js';
import { anyReal, type Table } from './cases.js';

type Pair = { a: Tensor; b: Tensor };

export const table: Table = {
  einsum: [
    // A contraction, a batch axis and a diagonal at once: 'bii,bij->bj' (batched matmul behind it).
    { f: (p: Pair) => ops.einsum('bii,bij->bj', p.a.reshape([2, 2, 2]), p.b.reshape([2, 2, 3])).tanh().sum(), x: () => ({ a: anyReal(8), b: anyReal(12) }) as never },
    { f: (x: Tensor) => ops.einsum('ii', x.reshape([3, 3])).square().sum(), x: () => anyReal(9) },
    { f: (p: Pair) => ops.einsum('...ij,jk->...ik', p.a.reshape([2, 2, 3]), p.b.reshape([3, 2])).sin().sum(), x: () => ({ a: anyReal(12), b: anyReal(6) }) as never },
    // Three operands, contracted in pairs; one of them a constant.
    { f: (p: Pair) => ops.einsum('ij,jk,k->i', p.a.reshape([2, 3]), tensor([1, -2, 0.5, 1, 2, -1], [3, 2]), p.b).exp().sum(), x: () => ({ a: anyReal(6), b: anyReal(2) }) as never },
    { f: (x: Tensor) => ops.einsum('i,i', x, x.sin()).sum(), x: () => anyReal(3) },
  ],
  tensordot: [
    { f: (p: Pair) => ops.tensordot(p.a.reshape([2, 3, 2]), p.b.reshape([2, 3]), [[1, 2], [1, 0]]).tanh().sum(), x: () => ({ a: anyReal(12), b: anyReal(6) }) as never },
    { f: (p: Pair) => ops.tensordot(p.a.reshape([2, 2]), p.b, 1).square().sum(), x: () => ({ a: anyReal(4), b: anyReal(2) }) as never },
  ],
  kron: [
    { f: (p: Pair) => ops.kron(p.a.reshape([2, 2]), p.b.reshape([3, 1])).sin().sum(), x: () => ({ a: anyReal(4), b: anyReal(3) }) as never },
    // Ranks differ (b gets a leading axis), and one operand twice.
    { f: (p: Pair) => ops.kron(p.a.reshape([2, 1, 2]), p.b).tanh().mul(ops.kron(p.b, p.b).sum()).sum(), x: () => ({ a: anyReal(4), b: anyReal(2) }) as never },
  ],
  cross: [
    { f: (p: Pair) => ops.cross(p.a, p.b).sin().sum(), x: () => ({ a: anyReal(3), b: anyReal(3) }) as never },
    // Broadcast [2, 3] × [3], and along axis 0 of [3, 2] matrices.
    { f: (p: Pair) => ops.cross(p.a.reshape([2, 3]), p.b).square().sum(), x: () => ({ a: anyReal(6), b: anyReal(3) }) as never },
    { f: (p: Pair) => ops.cross(p.a.reshape([3, 2]), p.b.reshape([3, 2]), 0).tanh().sum(), x: () => ({ a: anyReal(6), b: anyReal(6) }) as never },
  ],
  outer: [
    { f: (p: Pair) => ops.outer(p.a, p.b).sin().sum(), x: () => ({ a: anyReal(3), b: anyReal(2) }) as never },
    { f: (x: Tensor) => ops.outer(x, x).tanh().sum(), x: () => anyReal(3) },
  ],
  // Batched matmul: broadcast batches, a 1-D operand on each side (the 2-D cases are core.ts's).
  batchedMatmul: [
    { f: (p: Pair) => ops.matmul(p.a.reshape([2, 1, 2, 3]), p.b.reshape([2, 3, 2])).tanh().sum(), x: () => ({ a: anyReal(12), b: anyReal(12) }) as never },
    { f: (p: Pair) => ops.matmul(p.a, p.b.reshape([2, 3, 2])).sin().sum(), x: () => ({ a: anyReal(3), b: anyReal(12) }) as never },
    { f: (p: Pair) => ops.matmul(p.a.reshape([2, 2, 3]), p.b).square().sum(), x: () => ({ a: anyReal(6 * 2), b: anyReal(3) }) as never },
    { f: (p: Pair) => ops.matmul(p.a, p.b).square().sum(), x: () => ({ a: anyReal(3), b: anyReal(3) }) as never },
  ],
};
