/**
 * Test-only dense linear algebra, written independently of the package so that the package is
 * checked against a separate implementation (its own PRNG, elimination solver, matvec).
 */
import { expect } from 'vitest';

export type Matrix = number[][];

/** mulberry32: a different generator from the package's xoshiro128**, on purpose. */
export function testRng(seed: number): { uniform: () => number; normal: () => number } {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}

export function randomVector(n: number, seed: number): Float64Array {
  const r = testRng(seed);
  return Float64Array.from({ length: n }, () => r.normal());
}

export function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const r = testRng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => r.normal()));
}

export function transpose(a: Matrix): Matrix {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

export function matmul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, aik, k) => s + aik * b[k][j], 0)));
}

/** (B + Bᵀ)/2 for Gaussian B. */
export function randomSymmetric(n: number, seed: number): Matrix {
  const b = randomMatrix(n, n, seed);
  return b.map((row, i) => row.map((bij, j) => 0.5 * (bij + b[j][i])));
}

/** QᵀQ + εI for Gaussian Q: symmetric positive definite with λ_min ≥ ε. */
export function randomSPD(n: number, eps: number, seed: number): Matrix {
  const q = randomMatrix(n, n, seed);
  const a = matmul(transpose(q), q);
  for (let i = 0; i < n; i++) a[i][i] += eps;
  return a;
}

/** Orthogonal matrix by modified Gram–Schmidt (twice) on a Gaussian matrix; columns orthonormal. */
export function randomOrthogonal(n: number, seed: number): Matrix {
  const cols = transpose(randomMatrix(n, n, seed));
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const c = cols[i].reduce((s, x, k) => s + x * cols[j][k], 0);
        for (let k = 0; k < n; k++) cols[j][k] -= c * cols[i][k];
      }
    }
    const nrm = Math.hypot(...cols[j]);
    for (let k = 0; k < n; k++) cols[j][k] /= nrm;
  }
  return transpose(cols);
}

/** Q diag(λ) Qᵀ: a symmetric matrix whose spectrum is known exactly (up to rounding). */
export function withSpectrum(eigenvalues: number[], seed: number): Matrix {
  const n = eigenvalues.length;
  const q = randomOrthogonal(n, seed);
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => eigenvalues.reduce((s, l, k) => s + q[i][k] * l * q[j][k], 0)),
  );
}

export function matvec(a: Matrix, v: ArrayLike<number>): Float64Array {
  return Float64Array.from(a, (row) => row.reduce((s, aij, j) => s + aij * v[j], 0));
}

/** A counting operator over a dense matrix. */
export function operatorOf(a: Matrix): ((v: Float64Array) => Float64Array) & { count: number } {
  const op = ((v: Float64Array) => {
    op.count++;
    return matvec(a, v);
  }) as ((v: Float64Array) => Float64Array) & { count: number };
  op.count = 0;
  return op;
}

/** Gaussian elimination with partial pivoting. */
export function solve(a: Matrix, b: ArrayLike<number>): Float64Array {
  const n = a.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

export function dotT(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function normT(a: ArrayLike<number>): number {
  return Math.sqrt(dotT(a, a));
}

export function sub(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, i) => a[i] - b[i]);
}

export function traceOf(a: Matrix): number {
  return a.reduce((s, row, i) => s + row[i], 0);
}

export function maxAbs(a: Matrix): number {
  return Math.max(...a.map((row) => Math.max(...row.map(Math.abs))));
}

/** Ascending eigenvalues of a matrix built by withSpectrum, for comparison. */
export function sortedAscending(values: number[]): number[] {
  return [...values].sort((x, y) => x - y);
}

/**
 * Runs an optimizer twice, the second time with an onIteration that writes into `info.x`, and checks
 * that the result and the history are the same: the callback gets a copy of the iterate. Returns the
 * second run, for further checks.
 */
export function expectIterateCopied<R extends { x: Float64Array; history: unknown }>(run: (onIteration?: (info: { x: Float64Array }) => void) => R): R {
  const clean = run();
  const scribbled = run((info) => void info.x.fill(100));
  expect([...scribbled.x]).toEqual([...clean.x]);
  expect(scribbled.history).toEqual(clean.history);
  return scribbled;
}
