// Linear algebra against references written here, independently of the ops: a Gauss–Jordan inverse,
// a Laplace-expansion determinant, plain matrix products, and the closed forms of the derivatives
// (Jacobi's formula, d(A⁻¹) = −A⁻¹·dA·A⁻¹, the Cholesky tangent's defining identity). Reconstruction
// properties at random sizes with fast-check; singular, ill-conditioned, NaN and empty inputs; batching.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ops from '../src/ops/index.js';
import {
  ArgumentError, NotPositiveDefiniteError, ShapeError, SingularMatrixError, grad, gradAndHvp, hvp, jvp, tensor, valueAndGrad, vjp,
  type Node, type Tensor,
} from '../src/index.js';
import { OptionError } from '../src/options.js';
import { checkGrads } from '../src/testing/index.js';

// ---- References, written without the ops under test -------------------------------------------------

type Matrix = number[][];
const zeros = (n: number, m = n): Matrix => Array.from({ length: n }, () => new Array<number>(m).fill(0));
const eye = (n: number): Matrix => zeros(n).map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
const flat = (a: Matrix): number[] => a.flat();
const rows = (data: ArrayLike<number>, n: number, m = n): Matrix =>
  Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => data[i * m + j]));
const transposed = (a: Matrix): Matrix => (a.length === 0 ? [] : a[0].map((_, j) => a.map((row) => row[j])));
const times = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const scaled = (a: Matrix, c: number): Matrix => a.map((row) => row.map((v) => v * c));

/** A⁻¹ by Gauss–Jordan elimination with partial pivoting. */
function inverse(a: Matrix): Matrix {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...eye(n)[i]]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i][k]) > Math.abs(m[p][k])) p = i;
    [m[k], m[p]] = [m[p], m[k]];
    const pivot = m[k][k];
    m[k] = m[k].map((v) => v / pivot);
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const c = m[i][k];
      m[i] = m[i].map((v, j) => v - c * m[k][j]);
    }
  }
  return m.map((row) => row.slice(n));
}

/** det A by Laplace expansion along the first row (exact arithmetic on small integers). */
function laplace(a: Matrix): number {
  const n = a.length;
  if (n === 0) return 1;
  if (n === 1) return a[0][0];
  let d = 0;
  for (let j = 0; j < n; j++) {
    const minor = a.slice(1).map((row) => row.filter((_, c) => c !== j));
    d += (j % 2 === 0 ? 1 : -1) * a[0][j] * laplace(minor);
  }
  return d;
}

/** Hadamard's bound on |det A|: the product of the rows' Euclidean norms. */
const hadamard = (a: Matrix) => a.reduce((p, row) => p * Math.hypot(...row), 1);

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tolerance = 1e-10): void {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1, ...Array.from(want, Math.abs));
  for (let k = 0; k < want.length; k++) expect(Math.abs(got[k] - want[k])).toBeLessThanOrEqual(tolerance * scale);
}

/** The value of f at x: vjp records without tangents, so no derivative rule runs. */
const valueOf = (f: (x: Tensor) => Node, x: number[]) => vjp(f, x).value;
const arrayOf = (f: (x: Tensor) => Node, x: number[]) => valueOf(f, x) as Float64Array;
const numberOf = (f: (x: Tensor) => Node, x: number[]) => valueOf(f, x) as number;

/** Random n×n matrices from fast-check: entries in [−1, 1], optionally plus c·I. */
const matrixOf = (n: number, c = 0) =>
  fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n })
    .map((e) => rows(e, n).map((row, i) => row.map((v, j) => v + (i === j ? c : 0))));
/** Strictly diagonally dominant (|aᵢᵢ| ≥ n > Σⱼ |aᵢⱼ|), so nonsingular even at fast-check's extremes ±1. */
const dominantOf = (n: number) => matrixOf(n, n + 1);
/** M·Mᵀ + I/2: symmetric positive definite with eigenvalues ≥ 1/2. */
const spdOf = (n: number) => matrixOf(n).map((m) => times(m, transposed(m)).map((row, i) => row.map((v, j) => v + (i === j ? 0.5 : 0))));
const sizes = fc.integer({ min: 1, max: 6 });

// ---- Closed forms ------------------------------------------------------------------------------------

describe('closed forms', () => {
  it('det of a diagonal or triangular matrix is the product of its diagonal', () => {
    fc.assert(fc.property(sizes, fc.boolean(), fc.integer({ min: 0, max: 1000 }), (n, upper, seed) => {
      const a = zeros(n).map((row, i) => row.map((_, j) => ((i * 7 + j * 13 + seed) % 11) / 5 - 1 + (i === j ? 2 : 0)));
      const t = a.map((row, i) => row.map((v, j) => ((upper ? j >= i : j <= i) ? v : 0)));
      const product = t.reduce((p, row, i) => p * row[i], 1);
      const d = numberOf((x) => ops.det(x.reshape([n, n])), flat(t));
      expect(Math.abs(d - product)).toBeLessThanOrEqual(1e-12 * Math.abs(product));
    }), { numRuns: 40 });
  });

  it('det agrees with Laplace expansion, and slogdet with det', () => {
    fc.assert(fc.property(sizes.filter((n) => n <= 5).chain((n) => fc.tuple(fc.constant(n), matrixOf(n))), ([n, a]) => {
      const want = laplace(a);
      const d = numberOf((x) => ops.det(x.reshape([n, n])), flat(a));
      expect(Math.abs(d - want)).toBeLessThanOrEqual(1e-13 * Math.max(1, hadamard(a)));
      const signed = numberOf((x) => {
        const { sign, logAbsDet } = ops.slogdet(x.reshape([n, n]));
        return logAbsDet.exp().mul(sign);
      }, flat(a));
      expect(Math.abs(signed - want)).toBeLessThanOrEqual(1e-13 * Math.max(1, hadamard(a)));
    }), { numRuns: 40 });
  });

  it('d logDet/dA = A⁻ᵀ and d det/dA = det(A)·A⁻ᵀ (Jacobi)', () => {
    fc.assert(fc.property(sizes.chain((n) => fc.tuple(fc.constant(n), dominantOf(n))), ([n, a]) => {
      const inverseT = flat(transposed(inverse(a)));
      const g = grad((x: Tensor) => ops.logDet(x.reshape([n, n])))(flat(a));
      expectClose(g, inverseT);
      const { value, grad: gd } = valueAndGrad((x: Tensor) => ops.det(x.reshape([n, n])))(flat(a));
      expectClose(gd, inverseT.map((v) => v * (value as number)));
    }), { numRuns: 30 });
  });

  it('the gradient of det of a 2×2 matrix is its cofactor matrix, exactly', () => {
    const g = grad((x: Tensor) => ops.det(x.reshape([2, 2])))([3, 5, 7, 11]);
    expectClose(g, [11, -7, -5, 3], 1e-14);
  });

  it('the tangent of inv is −A⁻¹·V·A⁻¹', () => {
    fc.assert(fc.property(sizes.chain((n) => fc.tuple(fc.constant(n), dominantOf(n), matrixOf(n))), ([n, a, v]) => {
      const ai = inverse(a);
      const { value, tangent } = jvp((x: Tensor) => ops.inv(x.reshape([n, n])), flat(a), flat(v));
      expectClose(value as Float64Array, flat(ai));
      expectClose(tangent as Float64Array, flat(scaled(times(times(ai, v), ai), -1)));
    }), { numRuns: 30 });
  });

  it('the Hessian of logDet applied to V is −A⁻ᵀ·Vᵀ·A⁻ᵀ', () => {
    fc.assert(fc.property(sizes.chain((n) => fc.tuple(fc.constant(n), dominantOf(n), matrixOf(n))), ([n, a, v]) => {
      const ait = transposed(inverse(a));
      const hv = hvp((x: Tensor) => ops.logDet(x.reshape([n, n])), flat(a), flat(v));
      expectClose(hv, flat(scaled(times(times(ait, transposed(v)), ait), -1)));
    }), { numRuns: 30 });
  });

  it('the third derivative of logDet through nested transforms is 2·tr((A⁻¹V)³)', () => {
    const n = 3;
    const a = [[4, 1, -0.5], [0.3, 3, 1], [-1, 0.2, 5]];
    const v = [[0.5, -1, 0.2], [0.1, 0.3, -0.7], [1, 0.4, -0.2]];
    const logDetOf = (x: Tensor) => ops.logDet(x.reshape([n, n]));
    // ⟨H(x)·v, v⟩ as a function of x, differentiated once more along v.
    const curvature = (x: Tensor) => ops.dot(hvp(logDetOf as never, x as never, flat(v)) as unknown as Tensor, tensor(flat(v)));
    const third = jvp(curvature, flat(a), flat(v)).tangent as number;
    const m = times(inverse(a), v);
    const m3 = times(times(m, m), m);
    expect(third).toBeCloseTo(2 * m3.reduce((s, row, i) => s + row[i], 0), 12);
  });

  it('the Cholesky tangent is lower triangular and satisfies L̇·Lᵀ + L·L̇ᵀ = V', () => {
    fc.assert(fc.property(sizes.chain((n) => fc.tuple(fc.constant(n), spdOf(n), matrixOf(n))), ([n, a, w]) => {
      const v = w.map((row, i) => row.map((x, j) => (x + w[j][i]) / 2));
      const { value, tangent } = jvp((x: Tensor) => ops.cholesky(x.reshape([n, n])), flat(a), flat(v));
      const l = rows(value as Float64Array, n), lDot = rows(tangent as Float64Array, n);
      lDot.forEach((row, i) => row.forEach((x, j) => j > i && expect(x).toBe(0)));
      const lhs = times(lDot, transposed(l)).map((row, i) => row.map((x, j) => x + times(l, transposed(lDot))[i][j]));
      expectClose(flat(lhs), flat(v), 1e-10);
    }), { numRuns: 30 });
  });

  it('cholesky of a 2×2 matrix has the closed form [[√a, 0], [b/√a, √(c − b²/a)]]', () => {
    const [a, b, c] = [4, 2, 5];
    const l = arrayOf((x) => ops.cholesky(x.reshape([2, 2])), [a, b, b, c]);
    expectClose(l, [2, 0, 1, 2], 1e-15);
  });

  it('cholesky of entries past 8.9e307 (where A[i][j] + A[j][i] overflows) keeps the closed form', () => {
    // [[a, b], [b, c]]·1e308 with a = 1.7, b = 1, c = 1.5: L = [[√a, 0], [b/√a, √(c − b²/a)]]·1e154.
    const [a, b, c] = [1.7, 1, 1.5];
    const l = arrayOf((x) => ops.cholesky(x.reshape([2, 2])), [a * 1e308, b * 1e308, b * 1e308, c * 1e308]);
    expectClose(Array.from(l, (x) => x / 1e154), [Math.sqrt(a), 0, b / Math.sqrt(a), Math.sqrt(c - (b * b) / a)], 1e-15);
  });

  it('the gradient of wᵀ·solve(A, b) in b is A⁻ᵀ·w, and in A is −A⁻ᵀ·w·xᵀ', () => {
    const a = [[3, 1, 0], [1, 4, -1], [0.5, 0, 2]];
    const b = [1, -2, 0.5];
    const w = [0.3, -1, 2];
    const f = (p: { a: Tensor; b: Tensor }) => ops.solve(p.a.reshape([3, 3]), p.b).dot(tensor(w));
    const g = grad(f as never)({ a: flat(a), b } as never) as unknown as { a: Float64Array; b: Float64Array };
    const u = times(transposed(inverse(a)), w.map((x) => [x])).map((r) => r[0]);
    const x = times(inverse(a), b.map((e) => [e])).map((r) => r[0]);
    expectClose(g.b, u);
    expectClose(g.a, flat(u.map((ui) => x.map((xj) => -ui * xj))));
  });
});

// ---- Reconstruction ----------------------------------------------------------------------------------

describe('reconstruction at random sizes', () => {
  it('L·Lᵀ = A, with L lower triangular and a positive diagonal', () => {
    fc.assert(fc.property(sizes.chain((n) => fc.tuple(fc.constant(n), spdOf(n))), ([n, a]) => {
      const l = rows(arrayOf((x) => ops.cholesky(x.reshape([n, n])), flat(a)), n);
      l.forEach((row, i) => row.forEach((v, j) => (j > i ? expect(v).toBe(0) : j === i && expect(v).toBeGreaterThan(0))));
      expectClose(flat(times(l, transposed(l))), flat(a), 1e-12);
    }), { numRuns: 50 });
  });

  it('A·solve(A, b) = b, for a vector and for k right-hand sides', () => {
    const k = fc.integer({ min: 1, max: 3 });
    fc.assert(fc.property(sizes.chain((n) => fc.tuple(fc.constant(n), dominantOf(n), k)), ([n, a, m]) => {
      const b = Array.from({ length: n * m }, (_, e) => Math.sin(e + 1));
      const f = (p: { a: Tensor; b: Tensor }) => ops.solve(p.a.reshape([n, n]), m === 1 ? p.b : p.b.reshape([n, m]));
      const x = jvp(f as never, { a: flat(a), b } as never, { a: flat(a).map(() => 0), b: b.map(() => 0) }).value as unknown as Float64Array;
      expectClose(flat(times(a, rows(x, n, m))), b, 1e-12);
    }), { numRuns: 50 });
  });

  it('A·inv(A) = I', () => {
    fc.assert(fc.property(sizes.chain((n) => fc.tuple(fc.constant(n), dominantOf(n))), ([n, a]) => {
      expectClose(flat(times(a, rows(arrayOf((x) => ops.inv(x.reshape([n, n])), flat(a)), n))), flat(eye(n)), 1e-12);
    }), { numRuns: 50 });
  });

  it('op(T)·triangularSolve(T, b) = b for each triangle and transposition, reading only that triangle', () => {
    fc.assert(fc.property(sizes.chain((n) => fc.tuple(fc.constant(n), dominantOf(n))), fc.boolean(), fc.boolean(), ([n, a], lower, transpose) => {
      const b = Array.from({ length: n }, (_, e) => Math.cos(e));
      const x = arrayOf((t) => ops.triangularSolve(t.reshape([n, n]), tensor(b), { lower, transpose }), flat(a));
      const tri = a.map((row, i) => row.map((v, j) => ((lower ? j <= i : j >= i) ? v : 0)));
      const op = transpose ? transposed(tri) : tri;
      expectClose(flat(times(op, Array.from(x, (e) => [e]))), b, 1e-12);
    }), { numRuns: 50 });
  });

  it('large systems, factored and solved by blocks on the matrix kernels, still reconstruct (n = 150)', () => {
    const n = 150, m = 3;
    const a = zeros(n).map((row, i) => row.map((_, j) => Math.sin(i * 1.3 + j * 0.7) + (i === j ? n / 4 : 0)));
    const b = Array.from({ length: n * m }, (_, e) => Math.cos(e));
    for (const [lower, transpose] of [[true, false], [true, true], [false, false], [false, true]]) {
      const x = rows(arrayOf((t) => ops.triangularSolve(t.reshape([n, n]), tensor(b, [n, m]), { lower, transpose }), flat(a)), n, m);
      const tri = a.map((row, i) => row.map((v, j) => ((lower ? j <= i : j >= i) ? v : 0)));
      expectClose(flat(times(transpose ? transposed(tri) : tri, x)), b, 1e-12);
    }
    const x = rows(arrayOf((t) => ops.solve(t.reshape([n, n]), tensor(b, [n, m])), flat(a)), n, m);
    expectClose(flat(times(a, x)), b, 1e-12);
    // A matrix that needs row swaps in every panel: LU's backward error stays O(ε)·‖A‖·‖x‖.
    const hash = (i: number, j: number) => { const h = Math.sin(i * 12.9898 + j * 78.233) * 43758.5453; return h - Math.floor(h) - 0.5; };
    const r = zeros(n).map((row, i) => row.map((_, j) => hash(i, j)));
    const y = rows(arrayOf((t) => ops.solve(t.reshape([n, n]), tensor(b, [n, m])), flat(r)), n, m);
    const scale = Math.max(...flat(r).map(Math.abs)) * Math.max(...flat(y).map(Math.abs)) * n;
    expectClose(flat(times(r, y)).map((v) => v / scale), b.map((v) => v / scale), 1e-14);
    // Cholesky and LU agree on log det of a large SPD matrix; L·Lᵀ = S.
    const s = times(a, transposed(a));
    const l = rows(arrayOf((t) => ops.cholesky(t.reshape([n, n])), flat(s)), n);
    expectClose(flat(times(l, transposed(l))), flat(s), 1e-12);
    const viaCholesky = 2 * l.reduce((p, row, i) => p + Math.log(row[i]), 0);
    expect(numberOf((t) => ops.logDet(t.reshape([n, n])), flat(s))).toBeCloseTo(viaCholesky, 9);
    // Aᵀ·X = B runs through the transposed LU substitutions: the gradient of Σ solve(A, b) in b is A⁻ᵀ·1.
    const g = grad((v: Tensor) => ops.solve(tensor(flat(a), [n, n]), v).sum())(b.slice(0, n));
    expectClose(flat(times(transposed(a), rows(g, n, 1))), new Array<number>(n).fill(1), 1e-12);
  });

  it('det(A·B) = det A · det B, and logDet of an SPD matrix is 2·Σ log Lᵢᵢ', () => {
    fc.assert(fc.property(sizes.chain((n) => fc.tuple(fc.constant(n), matrixOf(n, 1), matrixOf(n, 1), spdOf(n))), ([n, a, b, s]) => {
      const det = (m: Matrix) => numberOf((x) => ops.det(x.reshape([n, n])), flat(m));
      const ab = times(a, b);
      const product = det(ab);
      // LU's rounding error in det is relative to Hadamard's bound ∏ᵢ ‖rowᵢ‖, not to |det| itself.
      expect(Math.abs(product - det(a) * det(b))).toBeLessThanOrEqual(1e-13 * (hadamard(ab) + hadamard(a) * hadamard(b)));
      const l = arrayOf((x) => ops.cholesky(x.reshape([n, n])), flat(s));
      const viaCholesky = 2 * Array.from({ length: n }, (_, i) => Math.log(l[i * n + i])).reduce((p, v) => p + v, 0);
      expect(numberOf((x) => ops.logDet(x.reshape([n, n])), flat(s))).toBeCloseTo(viaCholesky, 11);
    }), { numRuns: 40 });
  });
});

// ---- Batching ----------------------------------------------------------------------------------------

describe('stacks of matrices', () => {
  const n = 3;
  const stack = [[[4, 1, 0], [1, 3, -1], [0, 2, 5]], [[2, -1, 0.5], [0, 3, 1], [1, 1, 4]]];
  const stacked = stack.flatMap(flat);

  it('solve, inv and cholesky of a stack are those of each matrix; a vector b broadcasts', () => {
    const b = [1, 2, -1];
    const x = arrayOf((a) => ops.solve(a.reshape([2, n, n]), tensor(b)), stacked);
    stack.forEach((a, k) => expectClose(x.slice(k * n, (k + 1) * n), times(inverse(a), b.map((e) => [e])).map((r) => r[0])));
    const y = arrayOf((a) => ops.inv(a.reshape([2, n, n])), stacked);
    stack.forEach((a, k) => expectClose(y.slice(k * n * n, (k + 1) * n * n), flat(inverse(a))));
    const spd = stack.map((a) => times(a, transposed(a)));
    const l = arrayOf((a) => ops.cholesky(a.reshape([2, n, n])), spd.flatMap(flat));
    spd.forEach((s, k) => {
      const lk = rows(l.slice(k * n * n, (k + 1) * n * n), n);
      expectClose(flat(times(lk, transposed(lk))), flat(s), 1e-12);
    });
  });

  it('batch dimensions broadcast: [2, 1, n, n] against [3, n, k] gives [2, 3, n, k]', () => {
    const bs = Array.from({ length: 3 * n * 2 }, (_, e) => Math.sin(e));
    const f = (p: { a: Tensor; b: Tensor }) => ops.triangularSolve(p.a.reshape([2, 1, n, n]), p.b.reshape([3, n, 2]));
    const out = jvp(f as never, { a: stacked, b: bs } as never, { a: stacked.map(() => 0), b: bs.map(() => 0) });
    const x = out.value as unknown as Float64Array;
    expect(x.length).toBe(2 * 3 * n * 2);
    stack.forEach((a, i) => {
      const tri = a.map((row, r) => row.map((v, c) => (c <= r ? v : 0)));
      for (let j = 0; j < 3; j++) {
        const xij = rows(x.slice((i * 3 + j) * n * 2, (i * 3 + j + 1) * n * 2), n, 2);
        expectClose(flat(times(tri, xij)), bs.slice(j * n * 2, (j + 1) * n * 2), 1e-12);
      }
    });
  });

  it('det, logDet and slogdet with { batched: true } give one result per matrix', () => {
    const d = arrayOf((a) => ops.det(a.reshape([2, n, n]), { batched: true }), stacked);
    expectClose(d, stack.map(laplace), 1e-12);
    const l = arrayOf((a) => ops.logDet(a.reshape([2, n, n]), { batched: true }), stacked);
    expectClose(l, stack.map((a) => Math.log(laplace(a))), 1e-12);
    const signs = arrayOf((a) => ops.slogdet(a.reshape([2, n, n]).neg(), { batched: true }).sign, stacked);
    expect(Array.from(signs)).toEqual([-1, -1]);
    // logDet is NaN exactly for the matrices of the stack whose determinant is negative.
    const mixed = arrayOf((a) => ops.logDet(a.reshape([2, n, n]).mul(tensor([1, -1], [2, 1, 1])), { batched: true }), stacked);
    expect(mixed[0]).toBeCloseTo(Math.log(laplace(stack[0])), 12);
    expect(mixed[1]).toBeNaN();
    // A single matrix with { batched: true } is a 0-d tensor.
    expect(Array.from(arrayOf((a) => ops.det(a.reshape([n, n]), { batched: true }), flat(stack[0])))).toEqual([laplace(stack[0])]);
  });

  it('the gradient through a batched det is each matrix’s own', () => {
    const g = grad((a: Tensor) => ops.det(a.reshape([2, n, n]), { batched: true }).sum())(stacked);
    stack.forEach((a, k) => expectClose(g.slice(k * n * n, (k + 1) * n * n), flat(scaled(transposed(inverse(a)), laplace(a)))));
  });

  it('derivatives through stacks are right to third order, nested (checkGrads order 3)', () => {
    const eye3 = () => tensor(flat(eye(n)), [n, n]);
    const spdStack = (x: Tensor) => {
      const m = x.reshape([2, n, n]);
      return m.matmul(m.transpose([0, 2, 1])).add(eye3());
    };
    const cases: Array<[(x: Tensor) => Node, number]> = [
      [(x) => ops.cholesky(spdStack(x)).sin().sum(), 2 * n * n],
      [(x) => ops.solve(x.reshape([2, n, n]).add(eye3().mul(3)), tensor([1, -1, 2])).square().sum(), 2 * n * n],
      [(x) => ops.logDet(spdStack(x), { batched: true }).mul(tensor([1, -0.5])).sum(), 2 * n * n],
      [(x) => ops.inv(x.reshape([2, n, n]).add(eye3().mul(3))).tanh().sum(), 2 * n * n],
    ];
    cases.forEach(([f, size], k) => {
      const x = Array.from({ length: size }, (_, e) => Math.sin(e * 1.7 + k) * 0.5);
      const checks = checkGrads(f as never, x as never, { order: 3, directions: 1, fdTolerance: 1e-5 });
      expect(checks.every((c) => c.passed)).toBe(true);
    });
  });

  it('a stack without { batched: true } is a ShapeError that says what to pass', () => {
    expect(() => numberOf((a) => ops.det(a.reshape([2, n, n])), stacked)).toThrow(ShapeError);
    expect(() => numberOf((a) => ops.logDet(a.reshape([2, n, n])), stacked)).toThrow(/pass \{ batched: true \} for a tensor of shape \[2\]/);
  });
});

// ---- Singular, ill-conditioned, non-finite and empty inputs -----------------------------------------

describe('singular and ill-conditioned matrices', () => {
  const solveWith = (a: Matrix, b: number[]) => arrayOf((x) => ops.solve(x.reshape([a.length, a.length]), tensor(b)), flat(a));

  it('an exactly singular matrix is a SingularMatrixError naming the zero pivot', () => {
    expect(() => solveWith([[1, 2], [2, 4]], [1, 1])).toThrow(SingularMatrixError);
    expect(() => solveWith([[1, 2], [2, 4]], [1, 1])).toThrow(/pivot 1 of its LU factorization is 0/);
    expect(() => arrayOf((x) => ops.inv(x.reshape([2, 2])), [0, 0, 0, 0])).toThrow(SingularMatrixError);
  });

  it('a matrix singular only up to rounding is refused too, and a merely scaled one is not', () => {
    // 1…9 is singular, but its LU leaves a pivot of ~1e-16 rather than 0.
    expect(() => solveWith([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [1, 1, 1])).toThrow(/singular to working precision/);
    const x = solveWith([[1, 0], [0, 1e-20]], [1, 1e-20]);
    expectClose(x, [1, 1], 1e-15);
  });

  it('names the singular matrix of a stack', () => {
    const f = (x: Tensor) => ops.inv(x.reshape([2, 2, 2]));
    expect(() => arrayOf(f, [1, 0, 0, 1, 1, 1, 1, 1])).toThrow(/matrix \[1\] of the stack/);
  });

  it('an ill-conditioned system is still solved backward-stably (Hilbert matrix, κ ≈ 1e10)', () => {
    const n = 8;
    const hilbert = zeros(n).map((row, i) => row.map((_, j) => 1 / (i + j + 1)));
    const b = Array.from({ length: n }, (_, i) => i + 1);
    const x = solveWith(hilbert, b);
    const residual = times(hilbert, Array.from(x, (e) => [e])).map((r, i) => Math.abs(r[0] - b[i]));
    const xNorm = Math.max(...Array.from(x, Math.abs));
    // ‖Ax − b‖ / (‖A‖·‖x‖) is a small multiple of ε for LU with partial pivoting.
    expect(Math.max(...residual) / xNorm).toBeLessThan(1e-13);
  });

  it('det of a singular matrix is 0, and slogdet gives sign 0 and log|det| = −∞', () => {
    expect(numberOf((x) => ops.det(x.reshape([2, 2])), [1, 2, 2, 4])).toBe(0);
    const { sign, logAbsDet } = valueOfSlogdet([1, 2, 2, 4]);
    expect(sign).toBe(0);
    expect(logAbsDet).toBe(-Infinity);
  });

  it('at a singular matrix, det\'s derivative is the adjugate (from 4×4 the first derivative only: test/det-adjugate.test.ts); slogdet\'s is a SingularMatrixError at every size', () => {
    // The cofactors of [[1, 2], [2, 4]] and of [[1, 2, 3], [4, 5, 6], [7, 8, 9]], worked by hand.
    expect(Array.from(grad((x: Tensor) => ops.det(x.reshape([2, 2])))([1, 2, 2, 4]))).toEqual([4, -2, -2, 1]);
    expect(Array.from(grad((x: Tensor) => ops.det(x.reshape([3, 3])))([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toEqual([-3, 6, -3, 6, -12, 6, -3, 6, -3]);
    // d²det/da₀₀da₁₁ = 1, d²det/da₀₁da₁₀ = −1, the rest 0: H·v at the singular matrix along v = e₀ + e₁.
    expect(Array.from(hvp((x: Tensor) => ops.det(x.reshape([2, 2])), [1, 2, 2, 4], [1, 1, 0, 0]) as Float64Array, (e) => e + 0)).toEqual([0, 0, -1, 1]);
    const singular4 = [1, 2, 3, 4, 2, 4, 6, 8, 1, 0, 1, 0, 0, 1, 0, 1];
    // Row 1 = 2·row 0: every minor that keeps both rows vanishes, so rows 2 and 3 of the cofactors are
    // 0, and row 0 is −2 times row 1 (C₀₀ = det[[4, 6, 8], [0, 1, 0], [1, 0, 1]] = −4, worked by hand;
    // the rest by NumPy's det of each minor).
    expect(Array.from(grad((x: Tensor) => ops.det(x.reshape([4, 4])))(singular4) as Float64Array, (e) => Math.round(e * 1e9) / 1e9 + 0))
      .toEqual([-4, 4, 4, -4, 2, -2, -2, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => hvp((x: Tensor) => ops.det(x.reshape([4, 4])), singular4, singular4)).toThrow(SingularMatrixError);
    expect(() => grad((x: Tensor) => ops.slogdet(x.reshape([2, 2])).logAbsDet)([1, 2, 2, 4])).toThrow(SingularMatrixError);
  });

  it('det\'s cofactors: the loop on numbers and the ops a nested transform records agree; with ±∞ entries the zeros are structural', () => {
    // hvp runs the rules on numbers (the loop); jvp of grad runs grad's rules as recorded ops.
    for (const n of [1, 2, 3]) {
      const f = (x: Tensor) => ops.det(x.reshape([2, n, n]), { batched: true }).mul(tensor([0.7, -1.3])).sum();
      const x = Array.from({ length: 2 * n * n }, (_, k) => Math.sin(3 * k + 1) * 2);
      const v = Array.from({ length: 2 * n * n }, (_, k) => Math.cos(2 * k));
      const loop = hvp(f, x, v) as Float64Array;
      const recorded = jvp((y: Tensor) => grad(f)(y) as unknown as Tensor, x, v).tangent as Float64Array;
      expectClose(loop, recorded, 1e-15);
    }
    // diag(∞, 1, 1): the cofactor a₂₀·a₀₁ − a₂₁·a₀₀ is 0·0 − 0·∞ = 0 (never NaN), the diagonal ones 1, ∞, ∞.
    const g = grad((x: Tensor) => ops.det(x.reshape([3, 3])))([Infinity, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(Array.from(g, (e) => e + 0)).toEqual([1, 0, 0, 0, Infinity, 0, 0, 0, Infinity]);
  });

  it('det of 0×0 matrices and of empty stacks has empty derivatives', () => {
    for (const shape of [[0, 0], [2, 0, 0], [0, 3, 3]]) {
      const f = (x: Tensor) => (shape.length === 2 ? ops.det(x.reshape(shape)) : ops.det(x.reshape(shape), { batched: true }).sum());
      const { value, grad: g, hvp: h } = gradAndHvp(f, new Float64Array(0), new Float64Array(0));
      expect([value, g.length, h.length]).toEqual([shape[0] === 2 ? 2 : shape.length === 2 ? 1 : 0, 0, 0]);
    }
  });

  it('det\'s higher derivatives up to 3×3 stay exact next to a singular matrix (cofactors as polynomials, nothing cancels)', () => {
    // Third derivatives of det on 3×3 are constants: D³det[U, V, W] = Σ over the 6 ways of taking row
    // i from U, V or W (each once) of the determinant so formed, whatever A is. Checked at matrices
    // whose smallest singular value is 1e-6 to 1e-12, where the A⁻¹ form lost 3–10 digits.
    const det3 = (m: Matrix) => laplace(m);
    const mixed = (u: Matrix, v: Matrix, w: Matrix) => {
      let s = 0;
      for (const [p, q, r] of [[u, v, w], [u, w, v], [v, u, w], [v, w, u], [w, u, v], [w, v, u]]) s += det3([p[0], q[1], r[2]]);
      return s;
    };
    const random = (seed: number) => rows(Array.from({ length: 9 }, (_, k) => Math.sin(seed * 7.1 + k * 1.3) * 2), 3);
    const f = (x: Tensor) => ops.det(x.reshape([3, 3]));
    for (const [k, eps] of [1e-6, 1e-9, 1e-12].entries()) {
      // A = [[1, 2, 3], [4, 5, 6], [7, 8, 9 + eps]]: det = −3·eps.
      const a = [1, 2, 3, 4, 5, 6, 7, 8, 9 + eps];
      const [u, v, w] = [random(k), random(k + 10), random(k + 20)];
      const third = jvp((x: Tensor) => hvp(f, x, flat(v)) as unknown as Tensor, a, flat(u)).tangent as Float64Array;
      const want = mixed(u, v, w);
      const got = flat(w).reduce((sum, wk, i) => sum + wk * third[i], 0);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(want)));
      // The Hessian's entries are entries of A (±): d²det/da₀₀da₁₁ = a₂₂, d²det/da₀₀da₂₂ = a₁₁.
      const h0 = hvp(f, a, [1, 0, 0, 0, 0, 0, 0, 0, 0]) as Float64Array;
      expect([h0[4], h0[8], h0[5], h0[7]]).toEqual([9 + eps, 5, -8, -6]);
    }
  });

  it('logDet of a matrix with a negative determinant is NaN, value and gradient', () => {
    const { value, grad: g } = valueAndGrad((x: Tensor) => ops.logDet(x.reshape([2, 2])))([1, 2, 3, 4]);
    expect(value).toBeNaN();
    expect(Array.from(g).every(Number.isNaN)).toBe(true);
    expect(valueOfSlogdet([0, 1, 1, 0])).toEqual({ sign: -1, logAbsDet: 0 });
  });

  it('a zero on a triangular matrix’s diagonal is a SingularMatrixError naming the entry', () => {
    const f = (x: Tensor) => ops.triangularSolve(x.reshape([2, 2]), tensor([1, 1]));
    expect(() => arrayOf(f, [1, 0, 5, 0])).toThrow(/diagonal entry 1 .* is 0/);
  });

  function valueOfSlogdet(a: number[]): { sign: number; logAbsDet: number } {
    let sign = NaN;
    const logAbsDet = numberOf((x) => {
      const r = ops.slogdet(x.reshape([2, 2]));
      sign = r.sign;
      return r.logAbsDet;
    }, a);
    return { sign, logAbsDet };
  }
});

describe('cholesky of matrices that are not symmetric positive definite', () => {
  const chol = (a: Matrix) => arrayOf((x) => ops.cholesky(x.reshape([a.length, a.length])), flat(a));

  it('an indefinite matrix is a NotPositiveDefiniteError naming the pivot and its value', () => {
    expect(() => chol([[1, 2], [2, 1]])).toThrow(NotPositiveDefiniteError);
    expect(() => chol([[1, 2], [2, 1]])).toThrow(/pivot 1 is -3 \(≤ 0\)/);
    expect(() => chol([[-1, 0], [0, 1]])).toThrow(/pivot 0 is -1/);
  });

  it('a rank-deficient covariance fails to working precision; a scaled one does not', () => {
    const v = [1, 2, 3];
    expect(() => chol(v.map((a) => v.map((b) => a * b)))).toThrow(/pivot 1 .*(≤ 0|working precision)/);
    expectClose(chol([[1, 0], [0, 1e-20]]), [1, 0, 0, 1e-10], 1e-15);
  });

  it('an asymmetric matrix is an ArgumentError naming the disagreeing entries', () => {
    expect(() => chol([[2, 1], [0, 2]])).toThrow(ArgumentError);
    expect(() => chol([[2, 1], [0, 2]])).toThrow(/A\[0\]\[1\] = 1 but A\[1\]\[0\] = 0/);
  });

  it('both triangles are read, so the gradient is symmetric and split evenly between them', () => {
    const a = [[4, 1, 0.5], [1, 3, -1], [0.5, -1, 5]];
    const g = rows(grad((x: Tensor) => ops.cholesky(x.reshape([3, 3])).sin().sum())(flat(a)), 3);
    g.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(g[j][i], 14)));
  });
});

describe('non-finite and empty inputs', () => {
  it('NaN propagates through solve, inv, det, cholesky and triangularSolve', () => {
    const a = [2, NaN, 1, 3];
    const all = (xs: Float64Array) => Array.from(xs).some(Number.isNaN);
    expect(all(arrayOf((x) => ops.solve(x.reshape([2, 2]), tensor([1, 1])), a))).toBe(true);
    expect(all(arrayOf((x) => ops.inv(x.reshape([2, 2])), a))).toBe(true);
    expect(numberOf((x) => ops.det(x.reshape([2, 2])), a)).toBeNaN();
    expect(all(arrayOf((x) => ops.cholesky(x.reshape([2, 2])), [4, 1, 1, NaN]))).toBe(true);
    expect(all(arrayOf((x) => ops.triangularSolve(x.reshape([2, 2]), tensor([1, 1])), [1, 0, NaN, 1]))).toBe(true);
  });

  it('±∞ goes through solve and inv as IEEE arithmetic (the limit, as LAPACK and JAX), never as a reason to call A singular', () => {
    // [[t, 1], [1, 2]]⁻¹ = [[2, −1], [−1, t]]/(2t − 1) → [[0, 0], [0, ½]] as t → ∞; JAX gives the same.
    const plus = (xs: ArrayLike<number>) => Array.from(xs, (x) => x + 0);
    expect(plus(ops.solve(tensor([[Infinity, 1], [1, 2]]), tensor([1, 1])).data)).toEqual([0, 0.5]);
    expect(plus(ops.inv(tensor([[Infinity, 1], [1, 2]])).data)).toEqual([0, 0, 0, 0.5]);
    expect(plus(ops.solve(tensor([[Infinity, 1, 0], [1, 2, 0], [0, 0, 1]]), tensor([1, 1, 1])).data)).toEqual([0, 0.5, 1]);
    // −∞ below the diagonal: the pivot search takes it, the multiplier 1/(−∞) is −0.
    expect(plus(ops.solve(tensor([[1, 2], [-Infinity, 1]]), tensor([4, 1])).data)).toEqual([0, 2]);
    // An ∞ meeting another gives NaN, as NaN input does; never an error.
    expect(Array.from(ops.solve(tensor([[Infinity, 1], [Infinity, 2]]), tensor([1, 1])).data).some(Number.isNaN)).toBe(true);
    // Dependent finite rows are still refused, with an ∞ elsewhere in A.
    expect(() => ops.solve(tensor([[1, 2, 0], [2, 4, 0], [0, 0, Infinity]]), tensor([1, 1, 1]))).toThrow(SingularMatrixError);
    expect(() => ops.inv(tensor([[1, 2, 0], [2, 4 + 1e-17, 0], [0, 0, -Infinity]]))).toThrow(/pivot 1/);
  });

  it('det forms the product of the pivots without overflow or underflow on the way; only the result itself can', () => {
    const diag = (xs: number[]) => tensor(xs.map((x, i) => xs.map((_, j) => (i === j ? x : 0))));
    expect(ops.det(diag([1e200, 1e200, 1e-300])).value).toBe(1e200 * (1e200 * 1e-300));
    expect(ops.det(diag([1e-200, 1e-200, 1e300])).value).toBe(1e-200 * (1e-200 * 1e300));
    expect(ops.det(diag([5e-324, 2 ** 1000, 3])).value).toBe(3 * 2 ** -74);
    expect(ops.det(diag([1e200, 1e200, 1e-10])).value).toBe(Infinity);
    expect(ops.det(diag([-1e200, 1e200, 1e-10, 1])).value).toBe(-Infinity);
    expect(ops.det(diag([1e-200, 1e-200, 1e-10])).value).toBe(0);
    expect(ops.det(diag([Infinity, 1e-300, 1e-300])).value).toBe(Infinity);
    expect(ops.det(diag([NaN, 1e300, 1e300])).value).toBeNaN();
    // A stack: each matrix its own scale.
    const stack = tensor([[[1e300, 0], [0, 1e-300]], [[1e-300, 0], [0, 1e-300]]]);
    expect(Array.from(ops.det(stack, { batched: true }).data)).toEqual([1e300 * 1e-300, 0]);
  });

  it('from 4×4, det\'s second derivatives where det(A) overflows or underflows are a typed error, not 0 or ±∞ where the cofactors are finite (first derivatives: test/det-adjugate.test.ts)', () => {
    const A = [[4, 1, 0, 2], [1, 3, 1, 0], [0, 1, 5, 1], [2, 0, 1, 6]];
    const scaled = (c: number) => A.map((r) => r.map((x) => x * c));
    const d = (a: Tensor) => ops.det(a);
    const second = (c: number) => () => gradAndHvp(d, scaled(c), scaled(1));
    expect(second(1e80)).toThrow(/det\(A\) = Infinity, which overflows.*slogdet/);
    expect(second(1e-80)).toThrow(/underflows.*slogdet/);
    expect(second(1e-100)).toThrow(ArgumentError);
    expect(() => grad(d)(scaled(1e110))).toThrow(/overflows.*slogdet/);
    expect(() => grad(d)([[Infinity, 1, 0, 0], [1, 2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])).toThrow(/an infinite entry/);
    expect(() => gradAndHvp((a: Tensor) => ops.det(a, { batched: true }).sum(), [A, scaled(1e80)], [A, A])).toThrow(/matrix \[1\] of the stack/);
    // The value alone is fine, and slogdet's derivative A⁻ᵀ is what the message points to.
    expect(ops.det(tensor(scaled(1e80))).value).toBe(Infinity);
    const viaLog = grad((a: Tensor) => ops.slogdet(a).logAbsDet)(scaled(1e80)) as Float64Array;
    const unscaled = grad((a: Tensor) => ops.slogdet(a).logAbsDet)(scaled(1)) as Float64Array;
    viaLog.forEach((g, k) => expect(g * 1e80).toBeCloseTo(unscaled[k], 12));
    // NaN propagates, up to 3×3 the cofactor polynomials are exact at ∞ too (C₂₂ of [[∞,1,0],[1,2,0],[0,0,1]] is ∞·1).
    expect(Array.from(grad(d)([[NaN, 1, 0, 0], [1, 2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]) as Float64Array).every(Number.isNaN)).toBe(true);
    expect(Array.from(grad(d)([[Infinity, 1, 0], [1, 2, 0], [0, 0, 1]]) as Float64Array)).toEqual([2, -1, 0, -1, Infinity, 0, 0, 0, Infinity]);
  });

  it('0×0 matrices: det 1, logDet 0, and empty solves, inverses and factors', () => {
    const empty = (f: (x: Tensor) => Node) => valueOf((x) => f(x.slice(0, 0).reshape([0, 0])), [1]);
    expect(empty((a) => ops.det(a))).toBe(1);
    expect(empty((a) => ops.logDet(a))).toBe(0);
    expect((empty((a) => ops.inv(a)) as Float64Array).length).toBe(0);
    expect((empty((a) => ops.cholesky(a)) as Float64Array).length).toBe(0);
    expect((empty((a) => ops.solve(a, a)) as Float64Array).length).toBe(0);
  });
});

// ---- Arguments ---------------------------------------------------------------------------------------

describe('arguments', () => {
  const run = (f: (x: Tensor) => Node) => () => valueOf(f, [1, 0, 0, 1]);

  it('triangularSolve checks its options at run time: unknown keys and wrong types are OptionErrors', () => {
    const m = (x: Tensor) => x.reshape([2, 2]);
    expect(run((x) => ops.triangularSolve(m(x), tensor([1, 1]), { lowr: true } as never))).toThrow(OptionError);
    expect(run((x) => ops.triangularSolve(m(x), tensor([1, 1]), { lowr: true } as never))).toThrow(/did you mean 'lower'/);
    expect(run((x) => ops.triangularSolve(m(x), tensor([1, 1]), { transpose: 'yes' } as never))).toThrow(/transpose/);
    expect(run((x) => ops.det(m(x), { batch: true } as never))).toThrow(/did you mean 'batched'/);
  });

  it('the default reads the lower triangle; the other triangle never changes the result and gets no gradient', () => {
    const b = () => tensor([1, 2]);
    const lower = arrayOf((x) => ops.triangularSolve(x.reshape([2, 2]), b()), [2, 99, 1, 4]);
    expectClose(lower, [0.5, 0.375], 1e-15);
    const g = grad((x: Tensor) => ops.triangularSolve(x.reshape([2, 2]), b()).sum())([2, 99, 1, 4]);
    expect(g[1] === 0).toBe(true); // ±0: no derivative reaches the unread triangle
    const upper = arrayOf((x) => ops.triangularSolve(x.reshape([2, 2]), b(), { lower: false }), [2, 1, 99, 4]);
    expectClose(upper, [0.25, 0.5], 1e-15);
  });

  it('the Tensor methods are the functions of the same name', () => {
    const a = [4, 1, 1, 3];
    const f = (x: Tensor) => {
      const m = x.reshape([2, 2]);
      const b = tensor([1, 2]);
      const pairs: Array<[Node, Node]> = [
        [m.solve(b), ops.solve(m, b)],
        [m.cholesky(), ops.cholesky(m)],
        [m.triangularSolve(b, { transpose: true }), ops.triangularSolve(m, b, { transpose: true })],
        [m.inv(), ops.inv(m)],
        [m.det(), ops.det(m)],
        [m.logDet(), ops.logDet(m)],
        [m.slogdet().logAbsDet, ops.slogdet(m).logAbsDet],
        [m.reshape([1, 2, 2]).det({ batched: true }), ops.det(m.reshape([1, 2, 2]), { batched: true })],
      ];
      const numbers = (node: Node) => (typeof node.value === 'number' ? [node.value] : Array.from(node.value));
      for (const [method, fn] of pairs) {
        expect(numbers(method).length).toBeGreaterThan(0);
        expect(numbers(method)).toEqual(numbers(fn));
      }
      return m.det();
    };
    expect(() => vjp(f, a)).not.toThrow();
  });

  it('shapes are checked: a non-square matrix, a right-hand side of the wrong length, a non-tensor', () => {
    expect(() => valueOf((x) => ops.inv(x.reshape([2, 3])), [1, 2, 3, 4, 5, 6])).toThrow(/shape \[2,3\]; expected a square matrix/);
    expect(run((x) => ops.solve(x.reshape([2, 2]), tensor([1, 2, 3])))).toThrow(ShapeError);
    expect(run((x) => ops.solve(x.reshape([2, 2]), tensor([1, 2, 3])))).toThrow(/\[2,2\] and the right-hand side \[3\]/);
    expect(run(() => ops.cholesky([1, 2] as never))).toThrow(ArgumentError);
    const stack = Array.from({ length: 8 }, (_, k) => (k % 3 === 0 ? 1 : 0));
    expect(() => valueOf((x) => ops.solve(x.reshape([2, 2, 2]), tensor(new Float64Array(6), [3, 2, 1])), stack))
      .toThrow(/batch dimensions of the matrix \[2,2,2\] and of the right-hand side \[3,2,1\] cannot be broadcast/);
  });
});
