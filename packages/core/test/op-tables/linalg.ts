// Linear algebra: solve, cholesky, triangularSolve, inv, det, logDet, slogdet, eigh, qr, lu, svd, pinv, lstsq, expm, sqrtm, logm, matrixNorm. The matrices are built
// from the parameters so that every point checkGrads visits is well conditioned: a random part in
// [−1, 1) plus n·I (diagonally dominant), or M·Mᵀ + n·I where symmetric positive definite is needed.
import * as ops from '../../src/ops/index.js';
import { tensor, type Scalar, type Tensor } from '../../src/index.js';
import { anyReal, uniform, type Table } from './cases.js';

const identity = (n: number, scale = 1) => {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = scale;
  return data;
};
/** x (n² numbers, or a stack) as n×n matrices plus n·I: diagonally dominant, det > 0. */
const dominant = (x: Tensor, n: number, batch: number[] = []) =>
  x.reshape([...batch, n, n]).add(tensor(identity(n, n), [n, n]));
/** M·Mᵀ + n·I for M the n×n matrix of x: symmetric positive definite. */
const spd = (x: Tensor, n: number) => {
  const m = x.reshape([n, n]);
  return m.matmul(m.transpose()).add(tensor(identity(n, n), [n, n]));
};
/** A stack of b SPD matrices from b·n² numbers. */
const spdStack = (x: Tensor, n: number, b: number) =>
  ops.stack(Array.from({ length: b }, (_, k) => spd(x.slice(k * n * n, (k + 1) * n * n), n)));
const entries = (n: number) => uniform(n, -1, 1);
const weights = (n: number) => tensor(Array.from({ length: n }, (_, k) => Math.cos(k + 1)), [n]);

/**
 * diag(−3, 0, 3, …) + ¼·X for the n×n matrix (or stack) of x: X's spectral norm is at most n, so the
 * eigenvalues stay at least 3 − n/2 apart and the vectors' derivatives are well conditioned.
 * (eigh symmetrizes X itself.)
 */
const separatedSpectrum = (x: Tensor, n: number, batch: number[] = []) =>
  x.reshape([...batch, n, n]).mul(0.25).add(tensor(Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 3 * (k / (n + 1)) - 3 : 0)), [n, n]));

/**
 * 3·I[:, :n] + ¼·X for the m×n matrix (or stack) of x: X's spectral norm is at most √(mn), so the
 * columns stay far from dependent (σ_min ≥ 3 − √(mn)/4) and R's diagonal far from 0.
 */
const fullRank = (x: Tensor, m: number, n: number, batch: number[] = []) =>
  x.reshape([...batch, m, n]).mul(0.25).add(tensor(Array.from({ length: m * n }, (_, k) => (Math.floor(k / n) === k % n ? 3 : 0)), [m, n]));

/**
 * diag(3k − 2, 3k − 5, …, 1) (m×n, k = min(m, n)) + ¼·X for the m×n matrix (or stack) of x: X's spectral
 * norm is at most √(mn) ≤ 4 here, so (Weyl) the singular values stay more than 1 apart and above 0,
 * and the vectors' derivatives are well conditioned.
 */
const separatedSingular = (x: Tensor, m: number, n: number, batch: number[] = []) => {
  const k = Math.min(m, n);
  const d = Array.from({ length: m * n }, (_, e) => (Math.floor(e / n) === e % n ? 3 * (k - Math.floor(e / n)) - 2 : 0));
  return x.reshape([...batch, m, n]).mul(0.25).add(tensor(d, [m, n]));
};

/**
 * 3·Π + ¼·X for the m×n matrix (or stack) of x, Π the cyclic shift on the leading k×k block, k = min(m, n)
 * (row i < k has its 3 in column (i + 1) mod k): partial pivoting takes Π's rows by a wide margin at
 * every step, so the pivots hold over every finite-difference step, and P ≠ I.
 */
const permutedDominant = (x: Tensor, m: number, n = m, batch: number[] = []) => {
  const k = Math.min(m, n);
  const shift = Array.from({ length: m * n }, (_, e) => { const i = Math.floor(e / n); return i < k && (i + 1) % k === e % n ? 3 : 0; });
  return x.reshape([...batch, m, n]).mul(0.25).add(tensor(shift, [m, n]));
};

type System = { a: Tensor; b: Tensor };

export const table: Table = {
  solve: [
    { f: (p: System) => ops.solve(dominant(p.a, 2), p.b).sin().sum(), x: () => ({ a: entries(4), b: anyReal(2) }) as never },
    { f: (p: System) => ops.solve(dominant(p.a, 3), p.b.reshape([3, 2])).square().sum(), x: () => ({ a: entries(9), b: anyReal(6) }) as never },
    // A stack [2, 3, 3] against one vector [3], which broadcasts.
    { f: (p: System) => ops.solve(dominant(p.a, 3, [2]), p.b).tanh().sum(), x: () => ({ a: entries(18), b: anyReal(3) }) as never },
    // Only the right-hand side active: the tangent and adjoint through b alone.
    { f: (b: Tensor) => ops.solve(tensor([3, 1, -1, 0.5, 4, 1, 0, 1, 2], [3, 3]), b).exp().sum(), x: () => anyReal(3) },
  ],
  cholesky: [
    { f: (x: Tensor) => ops.cholesky(spd(x, 2)).sin().sum(), x: () => entries(4) },
    { f: (x: Tensor) => ops.cholesky(spd(x, 3)).mul(tensor(identity(3), [3, 3]).add(0.5)).square().sum().sqrt(), x: () => entries(9) },
    { f: (x: Tensor) => ops.cholesky(spdStack(x, 2, 2)).tanh().sum(), x: () => entries(8) },
    // Symmetric by construction, (X + Xᵀ)/2 + 3I: the entries of X enter through both triangles.
    { f: (x: Tensor) => ops.cholesky(x.reshape([3, 3]).add(x.reshape([3, 3]).transpose()).mul(0.5).add(tensor(identity(3, 3), [3, 3]))).exp().sum(), x: () => entries(9) },
  ],
  triangularSolve: [
    // The upper triangle of T is never read: its parameters must get a zero derivative.
    { f: (p: System) => ops.triangularSolve(dominant(p.a, 2), p.b).sin().sum(), x: () => ({ a: entries(4), b: anyReal(2) }) as never },
    { f: (p: System) => ops.triangularSolve(dominant(p.a, 3), p.b.reshape([3, 2]), { lower: false, transpose: true }).square().sum(), x: () => ({ a: entries(9), b: anyReal(6) }) as never },
    { f: (p: System) => ops.triangularSolve(dominant(p.a, 3), p.b.reshape([3, 2]), { lower: true, transpose: true }).tanh().sum(), x: () => ({ a: entries(9), b: anyReal(6) }) as never },
    { f: (p: System) => ops.triangularSolve(dominant(p.a, 3, [2]), p.b.reshape([3, 2]), { lower: false }).sin().sum(), x: () => ({ a: entries(18), b: anyReal(6) }) as never },
  ],
  matrixPower: [
    { f: (x: Tensor) => ops.matrixPower(x.reshape([2, 2]), 5).sin().sum(), x: () => entries(4) },
    { f: (x: Tensor) => ops.matrixPower(dominant(x, 3), -2).tanh().sum(), x: () => entries(9) },
    { f: (x: Tensor) => ops.matrixPower(x.reshape([2, 2, 2]), 3).add(ops.matrixPower(x.reshape([2, 2, 2]), 0)).square().sum(), x: () => entries(8) },
  ],
  inv: [
    { f: (x: Tensor) => ops.inv(dominant(x, 2)).sin().sum(), x: () => entries(4) },
    { f: (x: Tensor) => ops.inv(dominant(x, 3)).matmul(weights(3)).square().sum(), x: () => entries(9) },
    { f: (x: Tensor) => ops.inv(dominant(x, 2, [3])).tanh().sum(), x: () => entries(12) },
  ],
  det: [
    { f: (x: Tensor) => ops.det(dominant(x, 2)).log(), x: () => entries(4) },
    { f: (x: Tensor) => ops.det(dominant(x, 3).sin()).mul(0.1).exp(), x: () => entries(9) },
    { f: (x: Tensor) => ops.det(dominant(x, 2, [3]), { batched: true }).mul(weights(3)).sum(), x: () => entries(12) },
    // A negative determinant: x·(−I) flips the sign of an odd-sized matrix.
    { f: (x: Tensor) => ops.det(dominant(x, 3).neg()).square(), x: () => entries(9) },
    // Up to 3×3 the rules use the cofactor polynomials, from 4×4 det(A)·A⁻ᵀ: both forms are in the table.
    { f: (x: Tensor) => ops.det(dominant(x, 1, [2]), { batched: true }).mul(weights(2)).sum(), x: () => entries(2) },
    { f: (x: Tensor) => ops.det(dominant(x, 4)).log(), x: () => entries(16) },
    { f: (x: Tensor) => ops.det(dominant(x, 4, [2]).neg(), { batched: true }).mul(weights(2)).sum(), x: () => entries(32) },
  ],
  logDet: [
    { f: (x: Tensor) => ops.logDet(spd(x, 2)).square(), x: () => entries(4) },
    { f: (x: Tensor) => ops.logDet(dominant(x, 3)), x: () => entries(9) },
    { f: (x: Tensor) => ops.logDet(spdStack(x, 2, 3), { batched: true }).mul(weights(3)).sum(), x: () => entries(12) },
  ],
  eigh: [
    // Odd powers of the vectors: the sign rule is part of the function.
    { f: (x: Tensor) => { const { values, vectors } = ops.eigh(separatedSpectrum(x, 3)); return vectors.pow(3).mul(weights(3)).sum().add(values.square().sum().mul(0.1)); }, x: () => entries(9) },
    { f: (x: Tensor) => ops.eigh(separatedSpectrum(x, 3)).values.mul(0.5).exp().sum(), x: () => entries(9) },
    { f: (x: Tensor) => { const { values, vectors } = ops.eigh(separatedSpectrum(x, 2, [2])); return vectors.sin().sum().add(values.tanh().sum()); }, x: () => entries(8) },
  ],
  qr: [
    // Odd powers of Q: diag(R) ≥ 0 is part of the function.
    { f: (x: Tensor) => { const { q, r } = ops.qr(fullRank(x, 4, 3)); return q.pow(3).sum().add(r.sin().sum()); }, x: () => entries(12) },
    { f: (x: Tensor) => ops.qr(fullRank(x, 3, 3)).r.square().mul(weights(3)).sum(), x: () => entries(9) },
    { f: (x: Tensor) => { const { q, r } = ops.qr(fullRank(x, 3, 2, [2])); return q.tanh().sum().add(r.exp().sum()); }, x: () => entries(12) },
  ],
  lu: [
    // L and U both, through odd and even functions; P and the permutation are constants of the point.
    { f: (x: Tensor) => { const { l, u } = ops.lu(permutedDominant(x, 3)); return l.pow(3).sum().add(u.sin().sum()); }, x: () => entries(9) },
    { f: (x: Tensor) => { const { p, l, u } = ops.lu(permutedDominant(x, 4)); return p.matmul(l.square()).matmul(u).sum(); }, x: () => entries(16) },
    { f: (x: Tensor) => { const { l, u } = ops.lu(permutedDominant(x, 3, 3, [2])); return l.tanh().sum().add(u.mul(0.2).exp().sum()); }, x: () => entries(18) },
    // Rectangular: a tall A through the square [A E], a wide one through l⁻¹·pᵀ·A₂.
    { f: (x: Tensor) => { const { l, u } = ops.lu(permutedDominant(x, 4, 2)); return l.sin().sum().add(u.square().sum()); }, x: () => entries(8) },
    { f: (x: Tensor) => { const { l, u } = ops.lu(permutedDominant(x, 2, 4)); return l.sin().sum().add(u.tanh().sum()); }, x: () => entries(8) },
  ],
  svd: [
    // Odd powers of the vectors: the sign rule is part of the function.
    { f: (x: Tensor) => { const { u, s, vt } = ops.svd(separatedSingular(x, 4, 3)); return u.pow(3).mul(weights(3)).sum().add(vt.pow(3).sum()).add(s.square().sum().mul(0.1)); }, x: () => entries(12) },
    { f: (x: Tensor) => ops.svd(separatedSingular(x, 3, 3)).s.sum(), x: () => entries(9) },
    { f: (x: Tensor) => { const { u, s, vt } = ops.svd(separatedSingular(x, 2, 3, [2])); return vt.sin().sum().add(u.pow(3).sum()).add(s.log().sum()); }, x: () => entries(12) },
  ],
  expm: [
    { f: (x: Tensor) => ops.expm(x.reshape([2, 2])).sin().sum(), x: () => entries(4) },
    // ‖A‖₁ up to 3n: the degree-13 approximant with squarings.
    { f: (x: Tensor) => ops.expm(x.reshape([3, 3]).mul(3)).mul(0.01).tanh().sum(), x: () => entries(9) },
    { f: (x: Tensor) => ops.expm(x.reshape([2, 2, 2])).matmul(weights(2)).square().sum(), x: () => entries(8) },
  ],
  sqrtm: [
    // Symmetric positive definite (the eigendecomposition path), then non-symmetric with eigenvalues
    // near 3 (the real Schur method), then a stack.
    { f: (x: Tensor) => ops.sqrtm(spd(x, 2)).sin().sum(), x: () => entries(4) },
    { f: (x: Tensor) => ops.sqrtm(dominant(x, 3)).matmul(weights(3)).square().sum(), x: () => entries(9) },
    { f: (x: Tensor) => ops.sqrtm(dominant(x, 2, [2])).tanh().sum(), x: () => entries(8) },
  ],
  logm: [
    { f: (x: Tensor) => ops.logm(spd(x, 2)).sin().sum(), x: () => entries(4) },
    { f: (x: Tensor) => ops.logm(dominant(x, 3)).matmul(weights(3)).square().sum(), x: () => entries(9) },
    { f: (x: Tensor) => ops.logm(dominant(x, 2, [2])).tanh().sum(), x: () => entries(8) },
  ],
  matrixNorm: [
    // Distinct singular values (separatedSingular), so the spectral and nuclear norms are smooth.
    { f: (x: Tensor) => (ops.matrixNorm(separatedSingular(x, 2, 3), 2) as Scalar).mul(x.at(0)), x: () => entries(6) },
    { f: (x: Tensor) => ops.matrixNorm(separatedSingular(x, 3, 2), 'nuc') as Scalar, x: () => entries(6) },
    { f: (x: Tensor) => (ops.matrixNorm(separatedSingular(x, 2, 2, [2]), -2) as Tensor).square().sum(), x: () => entries(8) },
    { f: (x: Tensor) => (ops.matrixNorm(x.reshape([2, 3]).add(3), 1) as Scalar).mul(x.at(1)), x: () => entries(6) },
    { f: (x: Tensor) => (ops.matrixNorm(x.reshape([2, 3]).add(3), Infinity) as Scalar).square(), x: () => entries(6) },
  ],
  pinv: [
    // Tall and wide at full rank (fullRank keeps σ_min ≥ 3 − √(mn)/4), a stack, and rank 1 as b·cᵀ,
    // whose rank every point checkGrads visits keeps.
    { f: (x: Tensor) => ops.pinv(fullRank(x, 3, 2)).sin().sum(), x: () => entries(6) },
    { f: (x: Tensor) => ops.pinv(fullRank(x, 3, 2).transpose()).matmul(weights(2)).square().sum(), x: () => entries(6) },
    { f: (x: Tensor) => ops.pinv(fullRank(x, 3, 2, [2])).tanh().sum(), x: () => entries(12) },
    { f: (x: Tensor) => ops.pinv(x.slice(0, 3).reshape([3, 1]).add(2).matmul(x.slice(3, 5).reshape([1, 2]).add(1))).exp().sum(), x: () => entries(5) },
  ],
  lstsq: [
    { f: (p: System) => ops.lstsq(fullRank(p.a, 3, 2), p.b).x.sin().sum(), x: () => ({ a: entries(6), b: anyReal(3) }) as never },
    { f: (p: System) => { const r = ops.lstsq(fullRank(p.a, 4, 2), p.b.reshape([4, 2])); return r.x.square().sum().add(r.residuals.sum()); }, x: () => ({ a: entries(8), b: anyReal(8) }) as never },
  ],
  slogdet: [
    { f: (x: Tensor) => ops.slogdet(dominant(x, 3).neg()).logAbsDet.sin(), x: () => entries(9) },
    { f: (x: Tensor) => ops.slogdet(dominant(x, 2, [2]), { batched: true }).logAbsDet.square().sum(), x: () => entries(8) },
  ],
};
