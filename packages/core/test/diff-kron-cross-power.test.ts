// diff, kron, cross and matrixPower: values against NumPy's (the literals are NumPy 2 output or exact
// arithmetic, not ours), gradients against closed forms, and every order against central differences.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, ShapeError, SingularMatrixError, cross, diff, grad, kron, matrixPower, tensor, type Tensor,
} from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';
import { maxDiff, rows, times, transposed, type Matrix } from './dense-matrices.js';
import { expectError } from './expect-error.js';

const passes = (f: (x: never) => unknown, x: unknown, order = 3) =>
  expect(checkGrads(f as never, x as never, { order }).filter((c) => !c.passed)).toEqual([]);

describe('diff', () => {
  it('is NumPy\'s diff: n passes along an axis, empty once n reaches the length', () => {
    expect(Array.from(diff(tensor([1, 4, 9, 16, 25]), 2).value)).toEqual([2, 2, 2]);
    const squares = tensor(Array.from({ length: 12 }, (_, k) => k * k), [3, 4]);
    const rowsDiff = diff(squares, 1, 0);
    expect(rowsDiff.shape).toEqual([2, 4]);
    expect(Array.from(rowsDiff.value)).toEqual([16, 24, 32, 40, 48, 56, 64, 72]);
    expect(diff(tensor([1, 2]), 5).shape).toEqual([0]);
    expect(diff(squares, 0)).toBe(squares);
  });

  it('has the transposed difference as its gradient', () => {
    const w = [1, -2, 0.5, 3];
    const g = grad((x: Tensor) => diff(x).mul(tensor(w)).sum())([3, 1, 4, 1, 5]) as Float64Array;
    // ∂/∂x_k Σ w_j (x_{j+1} − x_j) = w_{k−1} − w_k.
    expect(Array.from(g)).toEqual([-1, 1 + 2, -2 - 0.5, 0.5 - 3, 3]);
    passes((x: Tensor) => diff(x.sin(), 2).square().sum(), [0.3, -1.2, 2, 0.7, -0.4]);
  });

  it('names bad arguments', () => {
    expectError(() => diff(tensor([1, 2]), -1), ArgumentError, 'diff', 'n');
    expectError(() => diff(tensor([1, 2]), 1.5), ArgumentError, 'diff', 'n');
    expectError(() => diff(tensor([1, 2]), 1, 1), ArgumentError, 'diff', 'axis');
    expectError(() => diff([1, 2] as never), ArgumentError, 'diff', 'tensor');
  });
});

describe('kron', () => {
  it('is NumPy\'s kron, ranks padded with leading ones', () => {
    expect(Array.from(kron(tensor([[1, 2], [3, 4]]), tensor([[0, 1], [1, 0]])).value)).toEqual([0, 1, 0, 2, 1, 0, 2, 0, 0, 3, 0, 4, 3, 0, 4, 0]);
    const y = kron(tensor([0, 1, 2, 3], [2, 1, 2]), tensor([1, 10]));
    expect(y.shape).toEqual([2, 1, 4]);
    expect(Array.from(y.value)).toEqual([0, 0, 1, 10, 2, 20, 3, 30]);
  });

  it('has gradient Σ over each block of W ⊙ B for A (and the same for B)', () => {
    const A = [1, -2, 0.5, 3], B = [2, -1, 4, 0.25, -3, 1];
    const W = Array.from({ length: 24 }, (_, k) => Math.cos(k));
    const g = grad((p: { a: Tensor; b: Tensor }) => kron(p.a.reshape([2, 2]), p.b.reshape([3, 2])).mul(tensor(W, [6, 4])).sum())({ a: A, b: B });
    // y[3i + k, 2j + l] = A[i, j]·B[k, l].
    const gA = [0, 1, 2, 3].map((ij) => {
      const [i, j] = [Math.floor(ij / 2), ij % 2];
      let s = 0;
      for (let k = 0; k < 3; k++) for (let l = 0; l < 2; l++) s += W[(3 * i + k) * 4 + 2 * j + l] * B[k * 2 + l];
      return s;
    });
    const gB = [0, 1, 2, 3, 4, 5].map((kl) => {
      const [k, l] = [Math.floor(kl / 2), kl % 2];
      let s = 0;
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) s += W[(3 * i + k) * 4 + 2 * j + l] * A[i * 2 + j];
      return s;
    });
    expect(maxDiff(g.a as Float64Array, gA)).toBeLessThan(1e-14);
    expect(maxDiff(g.b as Float64Array, gB)).toBeLessThan(1e-14);
    passes((p: { a: Tensor; b: Tensor }) => kron(p.a, p.b.reshape([2, 1])).tanh().sum(), { a: [0.3, -0.7], b: [1.1, -0.4] });
  });

  it('wants two tensors', () => {
    expectError(() => kron([1, 2] as never, tensor([1])), ArgumentError, 'kron', 'first operand');
  });
});

describe('cross', () => {
  it('is NumPy\'s cross, broadcast, along any axis', () => {
    expect(Array.from(cross(tensor([1, 0, 0]), tensor([0, 1, 0])).value)).toEqual([0, 0, 1]);
    expect(Array.from(cross(tensor([[1, 2, 3], [4, 5, 6]]), tensor([7, 8, 9])).value)).toEqual([-6, 12, -6, -3, 6, -3]);
    const along0 = cross(tensor([0, 1, 2, 3, 4, 5], [3, 2]), tensor([6, 7, 8, 9, 10, 11], [3, 2]), 0);
    expect(along0.shape).toEqual([3, 2]);
    expect(Array.from(along0.value)).toEqual([-12, -12, 24, 24, -12, -12]);
  });

  it('has gradients b × w and w × a of w·(a × b)', () => {
    const a = [0.3, -1.2, 2], b = [1.5, 0.4, -0.8], w = [2, -1, 0.5];
    const g = grad((p: { a: Tensor; b: Tensor }) => cross(p.a, p.b).mul(tensor(w)).sum())({ a, b });
    const crossOf = (u: number[], v: number[]) => [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    expect(maxDiff(g.a as Float64Array, crossOf(b, w))).toBeLessThan(1e-15);
    expect(maxDiff(g.b as Float64Array, crossOf(w, a))).toBeLessThan(1e-15);
    passes((p: { a: Tensor; b: Tensor }) => cross(p.a.reshape([2, 3]), p.b).sin().sum(), { a: [0.1, 0.2, -0.3, 1, -1, 0.5], b: [0.7, -0.2, 0.9] });
  });

  it('wants length 3 along the axis', () => {
    expectError(() => cross(tensor([1, 2]), tensor([3, 4])), ShapeError, 'cross', 'length 3', 'zero component');
    expectError(() => cross(tensor([1, 2, 3]), tensor([1, 2, 3]), 1), ArgumentError, 'cross', 'axis');
  });
});

describe('matrixPower', () => {
  const A: Matrix = [[1, 2], [3, 4]];
  it('gives powers, the identity at 0, and powers of the inverse below 0', () => {
    expect(Array.from(matrixPower(tensor(A), 7).value)).toEqual([30853, 44966, 67449, 98302]);
    expect(Array.from(matrixPower(tensor(A), 0).value)).toEqual([1, 0, 0, 1]);
    expect(Array.from(matrixPower(tensor(A), 1).value)).toEqual([1, 2, 3, 4]);
    // A³ = [[37, 54], [81, 118]], det −8: A⁻³ = [[118, −54], [−81, 37]]/−8 exactly.
    expect(maxDiff(matrixPower(tensor(A), -3).value, [-14.75, 6.75, 10.125, -4.625])).toBeLessThan(1e-13);
    const stack = matrixPower(tensor([1, 1, 1, 0, 2, 0, 0, 3], [2, 2, 2]), 10);
    expect(Array.from(stack.value)).toEqual([89, 55, 55, 34, 1024, 0, 0, 59049]);
  });

  it('has gradient Σₖ (Aᵏ)ᵀ W (Aⁿ⁻¹⁻ᵏ)ᵀ, and −A⁻ᵀ W A⁻ᵀ at n = −1', () => {
    const M: Matrix = [[0.5, -1], [2, 0.3]];
    const W: Matrix = [[1, -2], [0.5, 3]];
    const I: Matrix = [[1, 0], [0, 1]];
    const power = (k: number) => Array.from({ length: k }).reduce<Matrix>((p) => times(p, M), I);
    let want: Matrix = [[0, 0], [0, 0]];
    for (let k = 0; k < 3; k++) {
      const term = times(times(transposed(power(k)), W), transposed(power(2 - k)));
      want = want.map((row, i) => row.map((v, j) => v + term[i][j]));
    }
    const loss = (n: number) => (x: Tensor) => matrixPower(x.reshape([2, 2]), n).mul(tensor(W)).sum();
    expect(maxDiff(grad(loss(3))(M.flat()) as Float64Array, want.flat())).toBeLessThan(1e-14);
    const det = 0.5 * 0.3 + 2;
    const Minv: Matrix = [[0.3 / det, 1 / det], [-2 / det, 0.5 / det]];
    const inverseWant = times(times(transposed(Minv), W), transposed(Minv)).flat().map((v) => -v);
    expect(maxDiff(grad(loss(-1))(M.flat()) as Float64Array, inverseWant)).toBeLessThan(1e-14);
    passes((x: Tensor) => matrixPower(x.reshape([2, 2]), -2).sin().sum(), [2, 0.3, -0.4, 1.5]);
    passes((x: Tensor) => matrixPower(x.reshape([2, 2]), 5).tanh().sum(), rows([0.2, 0.4, -0.3, 0.1], 2).flat());
  });

  it('names non-square input, a non-integer n and a singular matrix at n < 0', () => {
    expectError(() => matrixPower(tensor([[1, 2, 3], [4, 5, 6]]), 2), ShapeError, 'matrixPower', 'square');
    expectError(() => matrixPower(tensor([1, 2]), 2), ShapeError, 'matrixPower');
    expectError(() => matrixPower(tensor(A), 0.5), ArgumentError, 'matrixPower', 'n');
    expectError(() => matrixPower(tensor([[1, 2], [2, 4]]), -1), SingularMatrixError);
  });
});
