// Peer suite: the cases of HIPS/autograd's tests/test_linalg.py (commit 03b7ac8e, with the
// solve_triangular and sqrtm cases of the older b7b4a5f4), ported as our own TypeScript. Each case
// uses autograd's shapes and constructions (A + c·I, rand_psd = M·Mᵀ, broadcast_dot_transpose, the
// symmetrize wrapper), seeded, and checks like its check_grads(fun, modes=['fwd', 'rev'], order=2):
// the value against plain loops or a closed form (A·A⁻¹ = I, A·X = B, L·Lᵀ = A, A·V = V·Λ,
// U·diag(s)·Vᵀ = A), the gradient and jvp against central differences, H·v against central
// differences of the gradient (test/peers/autograd-check.ts).
//
// Conventions where autograd (NumPy/LAPACK) differs and we test ours, as documented in
// docs/conventions.md:
// - eigh reads (A + Aᵀ)/2 (JAX's symmetrize_input), not one triangle. NumPy's UPLO='L'/'U' is written
//   by building the symmetric matrix from that triangle first: tril(A) + tril(A, −1)ᵀ.
// - eigh's and svd's vector signs: the largest-magnitude component positive (LAPACK's are arbitrary);
//   the derivative checks hold for any sign rule that is smooth at the point, as ours is.
// - solve's b is one vector only when it is 1-D (NumPy 2): autograd's solve_arg1_3d under NumPy 2
//   (B[..., None]) is the case we port; NumPy 1's stack-of-vectors reading of a 2-D b is not ours.
// - det/slogdet of a stack need { batched: true } (a scalar node for one matrix otherwise).
// - NumPy's norm(x, axis=(0, 1)) on a 3-D x is our norm(x, 'fro', [0, 1]); ord='nuc' is not an op
//   (written below as Σ svd(x).s, as a user would).
import { describe, expect, it } from 'vitest';
import {
  add, cholesky, det, eigh, expandDims, inv, matmul, moveAxis, mul, norm, slogdet, solve, sqrt, squeeze, sum, svd, swapAxes,
  tensor, triangularSolve, tril, triu, type Tensor,
} from '../../src/index.js';
import { times, transposed, type Matrix } from '../dense-matrices.js';
import { arr, checkLikeAutograd, einsumRef, expectClose, normals, product, type Arr } from './autograd-check.js';

const R = normals(1); // npr.seed(1)

// ---- plain matrix references -------------------------------------------------------------------------

const eyeM = (n: number): Matrix => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
/** The matrices of the last two axes of a, in order. */
function matricesOf(a: Arr): Matrix[] {
  const [m, n] = a.shape.slice(-2);
  const count = a.data.length / (m * n);
  return Array.from({ length: count }, (_, b) => Array.from({ length: m }, (_, i) => a.data.slice(b * m * n + i * n, b * m * n + (i + 1) * n)));
}
const dataOf = (t: Tensor): Arr => ({ shape: [...t.shape], data: Array.from(t.data) });
/** a + c·I on every matrix of a stack (autograd's `+ c * np.eye(D)`). */
const plusEye = (a: Arr, c: number): Arr => {
  const n = a.shape[a.shape.length - 1];
  return { shape: a.shape, data: a.data.map((v, k) => (Math.floor(k / n) % n === k % n ? v + c : v)) };
};
/** rand_psd(D) = M·Mᵀ. */
const randPsd = (d: number): Arr => { const m = matricesOf(R(d, d))[0]; return arr([d, d], times(m, transposed(m)).flat()); };
const stackOf = (ms: Arr[]): Arr => arr([ms.length, ...ms[0].shape], ms.flatMap((m) => m.data));
/** det by Gaussian elimination with partial pivoting, in plain loops. */
function plainDet(a: Matrix): number {
  const m = a.map((r) => [...r]);
  const n = m.length;
  let d = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i][k]) > Math.abs(m[p][k])) p = i;
    if (p !== k) { [m[k], m[p]] = [m[p], m[k]]; d = -d; }
    d *= m[k][k];
    for (let i = k + 1; i < n; i++) { const c = m[i][k] / m[k][k]; for (let j = k; j < n; j++) m[i][j] -= c * m[k][j]; }
  }
  return d;
}
const maxAbsDiff = (a: Matrix, b: Matrix) => Math.max(...a.flatMap((r, i) => r.map((v, j) => Math.abs(v - b[i][j]))));
const symmetric = (a: Matrix) => a.map((r, i) => r.map((v, j) => (v + a[j][i]) / 2));

/** check_symmetric_matrix_grads: fun of symmetrize(x), symmetrize(A) = (L + Lᵀ)/2 with L = tril(A). */
const symmetrize = (x: Tensor) => { const l = tril(x); return mul(add(l, swapAxes(l, -1, -2)), 0.5); };

// ---- the cases -----------------------------------------------------------------------------------

describe('inv (test_inv, test_inv_3d)', () => {
  it('test_inv: M·M + I, 8×8', () => {
    const m = matricesOf(R(8, 8))[0];
    const a = plusEye(arr([8, 8], times(m, m).flat()), 1);
    const x = matricesOf(dataOf(inv(tensor([...a.data], [8, 8]))))[0];
    expect(maxAbsDiff(times(matricesOf(a)[0], x), eyeM(8))).toBeLessThanOrEqual(1e-10);
    checkLikeAutograd(inv, [a]);
  });
  it('test_inv_3d: stacks [4, 4, 4] and [4, 4, 4, 4] of randn + 5I', () => {
    for (const shape of [[4, 4, 4], [4, 4, 4, 4]]) {
      const a = plusEye(R(...shape), 5);
      const xs = matricesOf(dataOf(inv(tensor([...a.data], shape))));
      matricesOf(a).forEach((am, b) => expect(maxAbsDiff(times(am, xs[b]), eyeM(4))).toBeLessThanOrEqual(1e-12));
      checkLikeAutograd(inv, [a]);
    }
  });
});

describe('solve (test_solve_arg1, _1d, _arg2, _arg1_3d, _arg1_3d_3d)', () => {
  const residual = (a: Arr, x: Tensor, b: Arr) => {
    const as = matricesOf(a);
    const bs = b.shape.length === 1 ? [b.data.map((v) => [v])] : matricesOf(b);
    const xs = x.shape.length === 1 ? [Array.from(x.data, (v) => [v])] : matricesOf(dataOf(x));
    return Math.max(...as.map((am, k) => maxAbsDiff(times(am, xs[k]), bs[k])));
  };
  it('test_solve_arg1: d/dA of solve(A, B), A 8×8 + 10I, B 8×7', () => {
    const a = plusEye(R(8, 8), 10), b = R(8, 7);
    expect(residual(a, solve(tensor([...a.data], [8, 8]), tensor([...b.data], [8, 7])), b)).toBeLessThanOrEqual(1e-13);
    checkLikeAutograd((A) => solve(A, tensor([...b.data], [8, 7])), [a]);
  });
  it('test_solve_arg1_1d: B a vector of 8', () => {
    const a = plusEye(R(8, 8), 10), b = R(8);
    expect(residual(a, solve(tensor([...a.data], [8, 8]), tensor([...b.data])), b)).toBeLessThanOrEqual(1e-13);
    checkLikeAutograd((A) => solve(A, tensor([...b.data])), [a]);
  });
  it('test_solve_arg2: d/dB, A 6×6 + I, B 6×5', () => {
    const a = plusEye(R(6, 6), 1), b = R(6, 5);
    expect(residual(a, solve(tensor([...a.data], [6, 6]), tensor([...b.data], [6, 5])), b)).toBeLessThanOrEqual(1e-12);
    checkLikeAutograd((B) => solve(tensor([...a.data], [6, 6]), B), [b]);
  });
  it('test_solve_arg1_3d: A [5, 4, 4] + 5I, B [5, 4] as NumPy 2 writes it, solve(A, B[..., None])[..., 0]', () => {
    const a = plusEye(R(5, 4, 4), 5), b = R(5, 4);
    const fun = (A: Tensor) => squeeze(solve(A, expandDims(tensor([...b.data], [5, 4]), -1)), -1);
    const x = fun(tensor([...a.data], [5, 4, 4]));
    expect([...x.shape]).toEqual([5, 4]);
    const xs = matricesOf(dataOf(x))[0];
    matricesOf(a).forEach((am, k) => {
      const got = times(am, xs[k].map((v) => [v])).map((r) => r[0]);
      expect(Math.max(...got.map((v, i) => Math.abs(v - b.data[k * 4 + i])))).toBeLessThanOrEqual(1e-13);
    });
    checkLikeAutograd(fun, [a]);
  });
  it('test_solve_arg1_3d_3d: A [5, 4, 4] + 5I, B [5, 4, 6]', () => {
    const a = plusEye(R(5, 4, 4), 5), b = R(5, 4, 6);
    expect(residual(a, solve(tensor([...a.data], [5, 4, 4]), tensor([...b.data], [5, 4, 6])), b)).toBeLessThanOrEqual(1e-13);
    checkLikeAutograd((A) => solve(A, tensor([...b.data], [5, 4, 6])), [a]);
  });
});

describe('det and slogdet (test_det, test_det_3d, test_slogdet, test_slogdet_3d)', () => {
  it('test_det: randn 6×6', () => {
    const a = R(6, 6);
    expect(Math.abs(det(tensor([...a.data], [6, 6])).value - plainDet(matricesOf(a)[0]))).toBeLessThanOrEqual(1e-12 * Math.abs(plainDet(matricesOf(a)[0])) + 1e-14);
    checkLikeAutograd((A) => det(A), [a]);
  });
  it('test_det_3d: a stack [3, 3, 3] (ours: { batched: true })', () => {
    const a = R(3, 3, 3);
    expectClose(det(tensor([...a.data], [3, 3, 3]), { batched: true }), arr([3], matricesOf(a).map(plainDet)));
    checkLikeAutograd((A) => det(A, { batched: true }), [a]);
  });
  it('test_slogdet: log|det| of randn 6×6 and of its negation', () => {
    const a = R(6, 6);
    for (const m of [a, { shape: a.shape, data: a.data.map((v) => -v) }]) {
      const d = plainDet(matricesOf(m)[0]);
      const { sign, logAbsDet } = slogdet(tensor([...m.data], [6, 6]));
      expect(sign).toBe(Math.sign(d));
      expect(Math.abs(logAbsDet.value - Math.log(Math.abs(d)))).toBeLessThanOrEqual(1e-13);
      checkLikeAutograd((A) => slogdet(A).logAbsDet, [m]);
    }
  });
  it('test_slogdet_3d: Σ logAbsDet over three rand_psd(5) + 5I', () => {
    const a = stackOf([0, 1, 2].map(() => plusEye(randPsd(5), 5)));
    const want = matricesOf(a).reduce((s, m) => s + Math.log(Math.abs(plainDet(m))), 0);
    const fun = (A: Tensor) => sum(slogdet(A, { batched: true }).logAbsDet);
    expect(Math.abs(fun(tensor([...a.data], [3, 5, 5])).value - want)).toBeLessThanOrEqual(1e-12 * Math.abs(want));
    checkLikeAutograd(fun, [a]);
  });
});

describe('norm (test_vector_2norm, test_frobenius_norm[_axis], test_vector_norm_ord, test_norm_axis)', () => {
  const pNorm = (xs: readonly number[], p: number) => xs.reduce((s, v) => s + Math.abs(v) ** p, 0) ** (1 / p);
  it('test_vector_2norm: a vector of 6', () => {
    const x = R(6);
    expect(Math.abs(norm(tensor([...x.data])).value - pNorm(x.data, 2))).toBeLessThanOrEqual(1e-15 * pNorm(x.data, 2) * 4);
    checkLikeAutograd((v) => norm(v), [x]);
  });
  it('test_frobenius_norm: a 6×5 matrix (NumPy ord=None is Frobenius; ours, the 2-norm of the elements, the same number)', () => {
    const x = R(6, 5);
    expect(Math.abs(norm(tensor([...x.data], [6, 5])).value - pNorm(x.data, 2))).toBeLessThanOrEqual(1e-14);
    checkLikeAutograd((m) => norm(m), [x]);
    checkLikeAutograd((m) => norm(m, 'fro'), [x]);
  });
  it('test_frobenius_norm_axis: axis=(0, 1) of [6, 5, 4]', () => {
    const x = R(6, 5, 4);
    const want = einsumRef('ijk,ijk->k', x, x);
    expectClose(norm(tensor([...x.data], [6, 5, 4]), 'fro', [0, 1]), arr([4], want.data.map(Math.sqrt)), 1e-14);
    checkLikeAutograd((m) => norm(m, 'fro', [0, 1]), [x]);
  });
  it('test_vector_norm_ord: ord 2, 3, 4 of a vector of 6', () => {
    for (const ord of [2, 3, 4]) {
      const x = R(6);
      expect(Math.abs(norm(tensor([...x.data]), ord).value - pNorm(x.data, ord))).toBeLessThanOrEqual(1e-14);
      checkLikeAutograd((v) => norm(v, ord), [x]);
    }
  });
  it('test_norm_axis: axis 0, 1, 2 of [6, 5, 4]', () => {
    for (const axis of [0, 1, 2]) {
      const x = R(6, 5, 4);
      const sq = einsumRef(['ijk->jk', 'ijk->ik', 'ijk->ij'][axis], { shape: x.shape, data: x.data.map((v) => v * v) });
      expectClose(norm(tensor([...x.data], [6, 5, 4]), 2, axis), { shape: sq.shape, data: sq.data.map(Math.sqrt) }, 1e-14);
      checkLikeAutograd((m) => norm(m, 2, axis), [x]);
    }
  });
  it("test_norm_nuclear, test_norm_nuclear_axis: ord='nuc' is not an op; written as Σ svd(x).s (axes moved last for axis=(0, 1))", () => {
    const x = R(6, 5);
    const nuclear = (m: Tensor) => sum(svd(m).s);
    // Σs² = ‖x‖_F² and Σs = trace((xᵀx)^½): check Σs² against the plain Frobenius norm.
    const s = svd(tensor([...x.data], [6, 5])).s;
    expect(Math.abs(Array.from(s.data).reduce((a, v) => a + v * v, 0) - x.data.reduce((a, v) => a + v * v, 0))).toBeLessThanOrEqual(1e-12);
    checkLikeAutograd(nuclear, [x]);
    const x3 = R(6, 5, 4);
    checkLikeAutograd((m) => sum(svd(moveAxis(m, [0, 1], [1, 2])).s, -1), [x3]);
  });
});

describe('eigh (test_eigvalh_lower, _upper, _lower_broadcasting, _upper_broadcasting)', () => {
  /** A·V = V·Λ, VᵀV = I and ascending values, for each matrix of the (symmetric) stack. */
  const checkDecomposition = (a: Arr, lowerOf?: 'L' | 'U') => {
    const { values, vectors } = eigh(tensor([...a.data], [...a.shape]));
    const n = a.shape[a.shape.length - 1];
    const vs = matricesOf(dataOf(vectors));
    matricesOf(a).forEach((am, b) => {
      const full = lowerOf ? am : symmetric(am);
      const lambda = Array.from(values.data.subarray(b * n, (b + 1) * n));
      for (let k = 1; k < n; k++) expect(lambda[k]).toBeGreaterThanOrEqual(lambda[k - 1]);
      const av = times(full, vs[b]), vl = vs[b].map((r) => r.map((v, j) => v * lambda[j]));
      expect(maxAbsDiff(av, vl)).toBeLessThanOrEqual(1e-12 * Math.max(1, ...lambda.map(Math.abs)));
      expect(maxAbsDiff(times(transposed(vs[b]), vs[b]), eyeM(n))).toBeLessThanOrEqual(1e-13);
    });
  };
  // NumPy's UPLO: the matrix that triangle stands for. Ours reads (A + Aᵀ)/2, so this is how a
  // user asks for NumPy's reading of a non-symmetric A (autograd's modern tests pass randn A itself).
  const fromLower = (x: Tensor) => add(tril(x), swapAxes(tril(x, -1), -1, -2));
  const fromUpper = (x: Tensor) => add(triu(x), swapAxes(triu(x, 1), -1, -2));
  const decomposed = (x: Tensor) => { const { values, vectors } = eigh(x); return [values, vectors]; };

  it("test_eigvalh_lower / _upper: randn 6×6 read through UPLO 'L' and 'U'", () => {
    const a = R(6, 6);
    const m = matricesOf(a)[0];
    const lower = m.map((r, i) => r.map((v, j) => (j <= i ? v : m[j][i])));
    const upper = m.map((r, i) => r.map((v, j) => (j >= i ? v : m[j][i])));
    expectClose(fromLower(tensor([...a.data], [6, 6])), arr([6, 6], lower.flat()), 0);
    checkDecomposition(arr([6, 6], lower.flat()), 'L');
    checkDecomposition(arr([6, 6], upper.flat()), 'U');
    checkLikeAutograd((x) => decomposed(fromLower(x)), [a]);
    checkLikeAutograd((x) => decomposed(fromUpper(x)), [a]);
  });
  it('test_eigvalh_lower as autograd writes it now, eigh(randn 6×6) of the non-symmetric matrix itself: ours are the derivatives of (A + Aᵀ)/2', () => {
    const a = R(6, 6);
    const { values } = eigh(tensor([...a.data], [6, 6]));
    const { values: sym } = eigh(tensor(symmetric(matricesOf(a)[0]).flat(), [6, 6]));
    expectClose(values, dataOf(sym), 0);
    checkDecomposition(a);
    checkLikeAutograd(decomposed, [a]);
  });
  it('the older check_symmetric_matrix_grads form: eigh(symmetrize(matᵀ·mat)), 6×6', () => {
    const m = matricesOf(R(6, 6))[0];
    const h = arr([6, 6], times(transposed(m), m).flat());
    checkDecomposition(h);
    checkLikeAutograd((x) => decomposed(symmetrize(x)), [h]);
  });
  it("test_eigvalh_{lower,upper}_broadcasting: [2, 3, 6, 6], mat + 10I through einsum('...ij,...kj->...ik')", () => {
    const mat = plusEye(R(2, 3, 6, 6), 10);
    const h = einsumRef('...ij,...kj->...ik', mat, mat);
    checkDecomposition(h);
    checkLikeAutograd((x) => decomposed(fromLower(x)), [h]);
    checkLikeAutograd((x) => decomposed(fromUpper(x)), [h]);
  });
});

describe('cholesky (test_cholesky, _broadcast, _reparameterization_trick)', () => {
  const checkFactor = (a: Arr) => {
    const ls = matricesOf(dataOf(cholesky(tensor([...a.data], [...a.shape]))));
    matricesOf(a).forEach((am, b) => {
      const l = ls[b];
      l.forEach((r, i) => r.forEach((v, j) => { if (j > i) expect(v).toBe(0); if (j === i) expect(v).toBeGreaterThan(0); }));
      expect(maxAbsDiff(times(l, transposed(l)), am)).toBeLessThanOrEqual(1e-13 * Math.max(...am.flat().map(Math.abs)));
    });
  };
  it('test_cholesky: rand_psd(6) through symmetrize', () => {
    const a = randPsd(6);
    checkFactor(a);
    checkLikeAutograd((x) => cholesky(symmetrize(x)), [a]);
  });
  it('test_cholesky_broadcast: three rand_psd(6) stacked', () => {
    const a = stackOf([0, 1, 2].map(() => randPsd(6)));
    checkFactor(a);
    checkLikeAutograd((x) => cholesky(symmetrize(x)), [a]);
  });
  it('test_cholesky_reparameterization_trick: ‖chol(A)·z‖ for a fixed z (RandomState(0).randn(6))', () => {
    const a = randPsd(6), z = normals(0)(6);
    const fun = (x: Tensor) => norm(matmul(cholesky(symmetrize(x)), tensor([...z.data])));
    // symmetrize(A) in plain loops (the lower triangle mirrored: off-diagonal entries halved, as
    // autograd's (L + Lᵀ)/2), its factor by Cholesky–Banachiewicz, then ‖L·z‖.
    const m = matricesOf(a)[0].map((row, i, all) => row.map((_, j) => (i === j ? all[i][i] : all[Math.max(i, j)][Math.min(i, j)] / 2)));
    const l = m.map(() => m.map(() => 0));
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j <= i; j++) {
        const s = m[i][j] - l[i].slice(0, j).reduce((acc, v, k) => acc + v * l[j][k], 0);
        l[i][j] = i === j ? Math.sqrt(s) : s / l[j][j];
      }
    }
    const lz = l.map((row) => row.reduce((acc, v, k) => acc + v * z.data[k], 0));
    expect(Math.abs(fun(tensor([...a.data], [6, 6])).value - Math.hypot(...lz))).toBeLessThanOrEqual(1e-13 * Math.hypot(...lz));
    checkFactor(a);
    checkLikeAutograd(fun, [a]);
  });
});

describe('solve_triangular (b7b4a5f4: test_solve_triangular_arg1, _arg2_1d, _arg2_2d)', () => {
  // SciPy's trans: 'N' or 0 solves T·x = b; 'T', 'C', 1, 2 solve Tᵀ·x = b (C is T for real T).
  const transposes = (trans: string | number) => !(trans === 'N' || trans === 0);
  /** Substitution in plain loops on the triangle read (the other triangle ignored, as SciPy). */
  const plainSolve = (t: Matrix, b: Matrix, lower: boolean, transpose: boolean): Matrix => {
    const n = t.length;
    const tri = t.map((r, i) => r.map((v, j) => ((lower ? j <= i : j >= i) ? v : 0)));
    const m = transpose ? transposed(tri) : tri;
    const down = (lower !== transpose); // the matrix solved with is lower triangular
    const x = b.map((r) => r.map(() => 0));
    for (let c = 0; c < b[0].length; c++) {
      for (let s = 0; s < n; s++) {
        const i = down ? s : n - 1 - s;
        let acc = b[i][c];
        for (let j = 0; j < n; j++) if (j !== i) acc -= m[i][j] * x[j][c];
        x[i][c] = acc / m[i][i];
      }
    }
    return x;
  };
  const cases = product<[string | number, boolean]>(['T', 'N', 'C', 0, 1, 2], [true, false]);
  it('arg1: d/dT, T randn 6×6 + 10I, b a vector of 6, for each trans and lower', () => {
    const b = R(6);
    for (const [trans, lower] of cases) {
      const t = plusEye(R(6, 6), 10);
      const opts = { lower, transpose: transposes(trans) };
      const want = plainSolve(matricesOf(t)[0], b.data.map((v) => [v]), lower, transposes(trans)).map((r) => r[0]);
      expectClose(triangularSolve(tensor([...t.data], [6, 6]), tensor([...b.data]), opts), arr([6], want), 1e-14);
      checkLikeAutograd((T) => triangularSolve(T, tensor([...b.data]), opts), [t]);
    }
  });
  it('arg2: d/db for b a vector of 6 and a 6×5 matrix', () => {
    const t = plusEye(R(6, 6), 10);
    for (const [trans, lower] of cases) {
      const opts = { lower, transpose: transposes(trans) };
      for (const b of [R(6), R(6, 5)]) {
        const bm = b.shape.length === 1 ? b.data.map((v) => [v]) : matricesOf(b)[0];
        const want = plainSolve(matricesOf(t)[0], bm, lower, transposes(trans));
        expectClose(triangularSolve(tensor([...t.data], [6, 6]), tensor([...b.data], [...b.shape]), opts), arr(b.shape, want.flat()), 1e-14);
        checkLikeAutograd((B) => triangularSolve(tensor([...t.data], [6, 6]), B, opts), [b]);
      }
    }
  });
});

describe('sqrtm (b7b4a5f4: test_sqrtm) — not an op; the symmetric square root a user writes with eigh', () => {
  it('V·diag(√λ)·Vᵀ of symmetrize(rand_psd(6)) squares back to the matrix', () => {
    const a = plusEye(randPsd(6), 0.5);
    const sqrtm = (x: Tensor) => {
      const { values, vectors } = eigh(x);
      return matmul(mul(vectors, sqrt(values)), swapAxes(vectors, -1, -2));
    };
    const s = matricesOf(dataOf(sqrtm(tensor([...a.data], [6, 6]))))[0];
    expect(maxAbsDiff(times(s, s), matricesOf(a)[0])).toBeLessThanOrEqual(1e-12 * Math.max(...a.data.map(Math.abs)));
    checkLikeAutograd((x) => sqrtm(symmetrize(x)), [a]);
  });
});

describe('svd (test_svd_{wide,square,tall}_{2d,3d}, test_svd_only_s_{2d,3d})', () => {
  const checkFactors = (a: Arr) => {
    const { u, s, vt } = svd(tensor([...a.data], [...a.shape]));
    const k = Math.min(...a.shape.slice(-2));
    const us = matricesOf(dataOf(u)), vts = matricesOf(dataOf(vt));
    matricesOf(a).forEach((am, b) => {
      const sb = Array.from(s.data.subarray(b * k, (b + 1) * k));
      for (let j = 1; j < k; j++) expect(sb[j]).toBeLessThanOrEqual(sb[j - 1]);
      expect(Math.min(...sb)).toBeGreaterThanOrEqual(0);
      const usv = times(us[b].map((r) => r.map((v, j) => v * sb[j])), vts[b]);
      expect(maxAbsDiff(usv, am)).toBeLessThanOrEqual(1e-13 * Math.max(1, sb[0]));
      expect(maxAbsDiff(times(transposed(us[b]), us[b]), eyeM(k))).toBeLessThanOrEqual(1e-13);
      expect(maxAbsDiff(times(vts[b], transposed(vts[b])), eyeM(k))).toBeLessThanOrEqual(1e-13);
    });
  };
  const all = (x: Tensor) => { const { u, s, vt } = svd(x); return [u, s, vt]; };
  for (const [name, shape] of [
    ['wide_2d', [3, 5]], ['wide_3d', [4, 3, 5]], ['square_2d', [4, 4]], ['square_3d', [3, 4, 4]], ['tall_2d', [5, 3]], ['tall_3d', [4, 5, 3]],
  ] as const) {
    it(`test_svd_${name}: (u, s, vᵀ) of randn ${shape.join('×')}`, () => {
      const a = R(...shape);
      checkFactors(a);
      checkLikeAutograd(all, [a]);
    });
  }
  for (const [name, shape] of [['2d', [5, 3]], ['3d', [4, 5, 3]]] as const) {
    it(`test_svd_only_s_${name}: s of randn ${shape.join('×')} (compute_uv=False)`, () => {
      const a = R(...shape);
      checkFactors(a);
      checkLikeAutograd((x) => svd(x).s, [a]);
    });
  }
});
