// matrixNorm against NumPy 2.4.6's np.linalg.matrix_norm (a 2×3 matrix and a stack of three 2×2), the
// closed-form gradients (spectral u₁v₁ᵀ, nuclear U·Vᵀ, the 1- and ∞-norms' sign patterns of the
// winning column and row), finite differences to third order, keepDims, and misuse.
import { describe, expect, it } from 'vitest';
import * as ops from '../src/ops/index.js';
import { ArgumentError, ShapeError, grad, tensor, type Scalar, type Tensor } from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';
import { normwise } from './dense-matrices.js';

const A = [[1, -2, 3], [4, 0.5, -1]];
const B = [[[2, 1], [1, 3]], [[0, 1], [-1, 0]], [[1, 2], [3, 4]]];
// np.linalg.matrix_norm(A, ord), np.linalg.matrix_norm(B, ord)
const NUMPY: Array<[ops.MatrixNormOrder, number, number[]]> = [
  ['fro', 5.5901699437494745, [3.872983346207417, 1.4142135623730951, 5.477225575051661]],
  ['nuc', 7.894969318232979, [5.0, 2.0, 5.8309518948453]],
  [1, 5.0, [4.0, 1.0, 6.0]],
  [-1, 2.5, [3.0, 1.0, 4.0]],
  [2, 4.153311931459037, [3.6180339887498953, 1.0, 5.464985704219043]],
  [-2, 3.7416573867739413, [1.381966011250105, 1.0, 0.3659661906262575]],
  [Infinity, 6.0, [4.0, 1.0, 7.0]],
  [-Infinity, 5.5, [3.0, 1.0, 3.0]],
];

describe('matrixNorm', () => {
  for (const [ord, single, stack] of NUMPY) {
    it(`ord ${String(ord)}: NumPy's matrix_norm of a matrix and of a stack`, () => {
      expect(Math.abs((ops.matrixNorm(tensor(A), ord) as Scalar).value - single)).toBeLessThan(1e-15 * single);
      const y = ops.matrixNorm(tensor(B), ord) as Tensor;
      expect(y.shape).toEqual([3]);
      expect(normwise(y.value, stack)).toBeLessThan(1e-15);
      const kept = ops.matrixNorm(tensor(B), ord, true);
      expect(kept.shape).toEqual([3, 1, 1]);
      expect(ops.matrixNorm(tensor(A), ord, true).shape).toEqual([1, 1]);
    });
  }

  it('gradients: spectral u₁v₁ᵀ, nuclear U·Vᵀ, and the winning column and row of the 1- and ∞-norms', () => {
    const g = (ord: ops.MatrixNormOrder) => grad((x: Tensor) => ops.matrixNorm(x.reshape([2, 3]), ord) as Scalar)(A.flat()) as Float64Array;
    // numpy: u[:, 0] ⊗ vt[0] and u[:, :2] @ vt[:2]
    expect(normwise(g(2), [3.0368420709223735e-17, 3.796052588652966e-18, -7.592105177305928e-18, 0.9630868246861539, 0.12038585308576923, -0.24077170617153829])).toBeLessThan(1e-15);
    expect(normwise(g('nuc'), [0.26726124191242434, -0.5345224838248488, 0.8017837257372732, 0.9630868246861539, 0.12038585308576924, -0.2407717061715383])).toBeLessThan(1e-15);
    expect(Array.from(g(1))).toEqual([1, 0, 0, 1, 0, 0]); // column 0: |1| + |4| = 5
    expect(Array.from(g(Infinity))).toEqual([1, -1, 1, 0, 0, 0]); // row 0: 1 + 2 + 3 = 6
    expect(normwise(g('fro'), A.flat().map((a) => a / 5.5901699437494745))).toBeLessThan(1e-15);
  });

  it('finite differences to third order at matrices with distinct singular values', () => {
    for (const ord of ['fro', 'nuc', 2, -2] as const) {
      const f = (x: Tensor) => ops.matrixNorm(x.reshape([2, 3]), ord) as Scalar;
      for (const c of checkGrads(f, [1, -2, 3, 4, 0.5, -1], { order: 3, seed: 4 })) expect(c.passed, `${ord}: ${c.name}`).toBe(true);
    }
    const stack = (x: Tensor) => (ops.matrixNorm(x.reshape([3, 2, 2]), 2) as Tensor).sum();
    for (const c of checkGrads(stack, [2, 1, 1, 3, 0.3, 1, -1, 0, 1, 2, 3, 4], { order: 2, seed: 5 })) expect(c.passed, c.name).toBe(true);
  });

  it('empty matrices: fro and nuc are 0, the others name the problem', () => {
    const empty = tensor(new Float64Array(0), [0, 3]);
    expect((ops.matrixNorm(empty) as Scalar).value).toBe(0);
    expect((ops.matrixNorm(empty, 'nuc') as Scalar).value).toBe(0);
    expect(() => ops.matrixNorm(empty, 2)).toThrow(/matrixNorm: the 2 norm of a matrix of shape \[0, 3\]/);
  });

  it('misuse names matrixNorm', () => {
    expect(() => ops.matrixNorm(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => ops.matrixNorm(tensor([1, 2]))).toThrow(/matrixNorm: x has shape \[2\].*use norm/);
    expect(() => ops.matrixNorm(tensor(A), 3 as never)).toThrow(/matrixNorm: ord must be 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity, got 3/);
    expect(() => ops.matrixNorm(tensor(A), 'spectral' as never)).toThrow(ArgumentError);
    expect(() => ops.matrixNorm(tensor(A), 2, 'yes' as never)).toThrow(/matrixNorm: keepDims/);
    expect(() => (ops.matrixNorm as (...a: unknown[]) => unknown)(tensor(A), 2, false, 1)).toThrow(/matrixNorm: takes 3 arguments, matrixNorm\(x, ord, keepDims\); got a further argument 1 at position 4/);
    expect(() => ops.matrixNorm(A as never)).toThrow(/matrixNorm/);
  });
});
