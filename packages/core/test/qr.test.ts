// qr against references written here, never against its own output: an orthogonal input (Q = A,
// R = I), an upper-triangular input with a positive diagonal (Q = the first columns of I, R = A), the
// 2×2 closed form by a Givens rotation, a column of a single Householder step; A = QR, QᵀQ = I and R
// upper triangular with diag ≥ 0 at random shapes; inputs scaled by 2^±600. Derivatives of every
// order against central differences of the order below, for losses of Q, of R and of a stack; the
// dot-product test of the tangent against the adjoint; symmetry and linearity of H·v; what happens at
// rank-deficient, wide and non-finite inputs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ArgumentError, ShapeError, compile, grad, hessian, hvp, jvp, qr, tensor, type Scalar, type Tensor,
} from '../src/index.js';
import { along, centralDifferenceChecks, hvpPropertyChecks, differenced, maxAbs, maxDiff, random, relative, rows, times, transposed, valueAt, type Matrix } from './dense-matrices.js';

const EPSILON = 2 ** -52;

const identity = (m: number, n: number) => Array.from({ length: m * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0));
const uniform = (seed: number, k: number) => { const next = random(seed); return Array.from({ length: k }, () => next() * 2 - 1); };

/** m×n with orthonormal columns: modified Gram–Schmidt, twice, on a random matrix. */
function orthonormal(m: number, n: number, seed: number): Matrix {
  const next = random(seed);
  const cols: number[][] = [];
  while (cols.length < n) {
    let v = Array.from({ length: m }, () => next() * 2 - 1);
    for (let pass = 0; pass < 2; pass++) {
      for (const u of cols) {
        const d = v.reduce((s, x, k) => s + x * u[k], 0);
        v = v.map((x, k) => x - d * u[k]);
      }
    }
    const norm = Math.hypot(...v);
    if (norm > 0.1) cols.push(v.map((x) => x / norm));
  }
  return transposed(cols);
}

const decompose = (a: number[], m: number, n: number) => {
  const { q, r } = qr(tensor(a, [m, n]));
  return { q: q.data, r: r.data };
};

/** ‖A − QR‖max, ‖QᵀQ − I‖max, and whether R is upper triangular with diag ≥ 0. */
function properties(a: number[], m: number, n: number) {
  const { q, r } = decompose(a, m, n);
  const Q = rows(q, m, n), R = rows(r, n, n);
  const residual = maxDiff(times(Q, R).flat(), a);
  const orthogonality = maxDiff(times(transposed(Q), Q).flat(), identity(n, n));
  const triangular = R.every((row, i) => row.every((x, j) => (j < i ? x === 0 : j === i ? x >= 0 : true)));
  return { residual, orthogonality, triangular };
}

describe('Q and R', () => {
  it('an orthonormal-column A gives Q = A and R = I to rounding (diag(R) ≥ 0 fixes the signs)', () => {
    for (const [m, n, seed] of [[3, 3, 1], [5, 2, 2], [7, 4, 3]]) {
      const a = orthonormal(m, n, seed).flat();
      const { q, r } = decompose(a, m, n);
      expect(maxDiff(q, a)).toBeLessThanOrEqual(4 * m * EPSILON);
      expect(maxDiff(r, identity(n, n))).toBeLessThanOrEqual(4 * m * EPSILON);
    }
  });

  it('an upper-triangular A with a positive diagonal gives Q = the first n columns of I and R = A', () => {
    const a = [2, -1, 3, 0, 0.5, 4, 0, 0, 1e-3];
    const { q, r } = decompose(a, 3, 3);
    expect(maxDiff(q, identity(3, 3))).toBeLessThanOrEqual(2 * EPSILON);
    expect(maxDiff(r, a)).toBeLessThanOrEqual(4 * EPSILON * 4);
    // Tall: [A; 0].
    const { q: q2, r: r2 } = decompose([...a, 0, 0, 0, 0, 0, 0], 5, 3);
    expect(maxDiff(q2, identity(5, 3))).toBeLessThanOrEqual(2 * EPSILON);
    expect(maxDiff(r2, a)).toBeLessThanOrEqual(16 * EPSILON);
  });

  it('2×2 [[a, b], [c, d]]: r₁₁ = hypot(a, c), q₁ = (a, c)/r₁₁, r₁₂ = q₁·(b, d), r₂₂ = |ad − bc|/r₁₁', () => {
    for (const [a, b, c, d] of [[3, 1, 4, 2], [-1, 2, 0.5, 7], [0, 1, -2, 3], [1e-3, 5, 2, -4], [-3, -1, -4, 2]]) {
      const r11 = Math.hypot(a, c), r12 = (a * b + c * d) / r11, det = a * d - b * c, r22 = Math.abs(det) / r11;
      const q1 = [a / r11, c / r11];
      // q₂ ⟂ q₁, signed so that r₂₂ = q₂·(b, d) ≥ 0.
      const s = Math.sign(det);
      const want = { q: [q1[0], -s * q1[1], q1[1], s * q1[0]], r: [r11, r12, 0, r22] };
      const got = decompose([a, b, c, d], 2, 2);
      const scale = Math.max(Math.abs(a), Math.abs(b), Math.abs(c), Math.abs(d));
      expect(maxDiff(got.r, want.r)).toBeLessThanOrEqual(8 * EPSILON * scale);
      expect(maxDiff(got.q, want.q)).toBeLessThanOrEqual(8 * EPSILON * scale / Math.min(r11, r22));
    }
  });

  it('a single column: q = a/‖a‖, r = ‖a‖', () => {
    const a = [1, -2, 2, 4];
    const { q, r } = decompose(a, 4, 1);
    expect(maxDiff(r, [5])).toBeLessThanOrEqual(2 * 5 * EPSILON);
    expect(maxDiff(q, a.map((x) => x / 5))).toBeLessThanOrEqual(2 * EPSILON);
  });

  it('A = QR and QᵀQ = I to rounding, R upper triangular with diag ≥ 0 (random shapes, m ≥ n)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 2 ** 30 }), (n, extra, seed) => {
      const m = n + extra;
      const a = uniform(seed, m * n);
      const { residual, orthogonality, triangular } = properties(a, m, n);
      const norm = Math.sqrt(a.reduce((s, x) => s + x * x, 0));
      expect(residual).toBeLessThanOrEqual(4 * m * EPSILON * norm);
      expect(orthogonality).toBeLessThanOrEqual(4 * m * EPSILON);
      expect(triangular).toBe(true);
    }), { numRuns: 60 });
  });

  it('A scaled by 2^±600 (entries beyond 1e180 and below 1e-180): R scaled exactly, the same Q', () => {
    const a = uniform(11, 6 * 4);
    const plain = decompose(a, 6, 4);
    for (const p of [600, -600, 1000, -1000]) {
      const c = 2 ** p;
      const scaled = decompose(a.map((x) => x * c), 6, 4);
      expect(Array.from(scaled.r)).toEqual(Array.from(plain.r, (x) => x * c));
      expect(Array.from(scaled.q)).toEqual(Array.from(plain.q));
    }
  });

  it('a stack [..., m, n], matrix by matrix', () => {
    const a = uniform(3, 12), b = uniform(4, 12);
    const { q, r } = qr(tensor([...a, ...b, ...b, ...a], [2, 2, 4, 3]));
    expect(q.shape).toEqual([2, 2, 4, 3]);
    expect(r.shape).toEqual([2, 2, 3, 3]);
    expect(Array.from(q.data.subarray(12, 24))).toEqual(Array.from(decompose(b, 4, 3).q));
    expect(Array.from(r.data.subarray(27, 36))).toEqual(Array.from(decompose(a, 4, 3).r));
  });

  it('a NaN or ±∞ entry makes its matrix\'s Q and R NaN, and leaves the rest of a stack alone', () => {
    const a = uniform(5, 6);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const poisoned = [...a];
      poisoned[4] = bad;
      const { q, r } = qr(tensor([...poisoned, ...a], [2, 3, 2]));
      expect(Array.from(q.data.subarray(0, 6)).every(Number.isNaN)).toBe(true);
      expect(Array.from(r.data.subarray(0, 4)).every(Number.isNaN)).toBe(true);
      expect(Array.from(r.data.subarray(4))).toEqual(Array.from(decompose(a, 3, 2).r));
    }
  });

  it('a rank-deficient A still factors: a zero column gives a zero diagonal entry of R, A = QR, QᵀQ = I', () => {
    const a = [1, 0, 2, 2, 0, 1, 3, 0, 0, 4, 0, 5]; // column 1 is zero
    const { residual, orthogonality, triangular } = properties(a, 4, 3);
    expect(residual).toBeLessThanOrEqual(16 * EPSILON * 8);
    expect(orthogonality).toBeLessThanOrEqual(16 * EPSILON);
    expect(triangular).toBe(true);
    expect(decompose(a, 4, 3).r[4]).toBe(0);
  });

  it('0-column and empty stacks', () => {
    const empty = qr(tensor([], [3, 0]));
    expect(empty.q.shape).toEqual([3, 0]);
    expect(empty.r.shape).toEqual([0, 0]);
    expect(qr(tensor([], [0, 4, 2])).r.shape).toEqual([0, 2, 2]);
  });
});

// ---- Derivatives against central differences of the order below -----------------------------------

const M = 5, N = 3;
const WQ = tensor(Array.from({ length: M * N }, (_, k) => Math.sin(k + 1)), [M, N]);
const WR = tensor(Array.from({ length: N * N }, (_, k) => Math.cos(2 * k + 1)), [N, N]);

/** Odd powers of Q (its sign convention is part of the function). */
const ofQ = (x: Tensor): Scalar => qr(x.reshape([M, N])).q.pow(3).mul(WQ).sum();
/** Σ WR∘sin(R) + Σ log diag(R)² (log|det A| for square A, here the Gram determinant's log). */
const ofR = (x: Tensor): Scalar => { const { r } = qr(x.reshape([M, N])); return r.sin().mul(WR).sum().add(r.square().mul(tensor(identity(N, N), [N, N])).sum().log()); };
/** A stack of two: Q·R's product with Q of the other, and R of both. */
const stacked = (x: Tensor): Scalar => {
  const { q, r } = qr(x.reshape([2, M, N]));
  const q0 = q.slice(0, 1, 0).reshape([M, N]), q1 = q.slice(1, 2, 0).reshape([M, N]);
  return q0.transpose().matmul(q1).square().mul(WR).sum().add(r.tanh().sum());
};

/** Well conditioned: orthonormal columns times an upper triangle with diagonal in [1, 2]. */
const wellConditioned = (seed: number) => {
  const next = random(seed + 1000);
  const u = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => (j < i ? 0 : j === i ? 1 + next() : next() - 0.5)));
  return times(orthonormal(M, N, seed), u).flat();
};
const direction = (seed: number, n = M * N) => uniform(seed, n);


const functions = [['Σ WQ∘Q³', ofQ, M * N], ['Σ WR∘sin R + log Σ diag(R)²', ofR, M * N], ['a stack of two', stacked, 2 * M * N]] as const;
const pointOf = (size: number, seed: number) => (size === M * N ? wellConditioned(seed) : [...wellConditioned(seed), ...wellConditioned(seed + 1)]);

describe('derivatives', () => {
  it('the dot-product test: ⟨J·u, w⟩ = ⟨u, Jᵀ·w⟩ for the packed Q and R, random u and w', () => {
    for (const seed of [1, 2, 3]) {
      const x = wellConditioned(seed), u = direction(seed + 10), wq = direction(seed + 20), wr = direction(seed + 30, N * N);
      const loss = (y: Tensor) => { const { q, r } = qr(y.reshape([M, N])); return q.mul(tensor(wq, [M, N])).sum().add(r.mul(tensor(wr, [N, N])).sum()); };
      const { tangent } = jvp(loss, x, u) as { tangent: number };
      const g = grad(loss)(x) as Float64Array;
      const adjoint = g.reduce((s, e, k) => s + e * u[k], 0);
      expect(Math.abs(tangent - adjoint)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(tangent)) * M * N);
    }
  });

  centralDifferenceChecks('qr', functions.map(([name, f, size]) => [name, f, (seed: number) => pointOf(size, seed), size] as const), direction);

  it('at an upper-triangular A = R₀ (Q = I): Ṙ = Ȧ and Q̇ = 0 for an upper-triangular Ȧ', () => {
    // Q stays I along such a direction, so R = A exactly: the tangent is Ȧ itself.
    const a = [2, -1, 3, 0, 0.5, 4, 0, 0, 1.5], d = [0.3, 0.7, -0.2, 0, 1.1, 0.4, 0, 0, -0.9];
    const rDot = jvp((x: Tensor) => qr(x.reshape([3, 3])).r, a, d).tangent as Float64Array;
    const qDot = jvp((x: Tensor) => qr(x.reshape([3, 3])).q, a, d).tangent as Float64Array;
    expect(maxDiff(rDot, d)).toBeLessThanOrEqual(8 * EPSILON);
    expect(maxAbs(qDot)).toBeLessThanOrEqual(8 * EPSILON);
  });
});

describe('H·v properties (fast-check)', () => {
  const point = wellConditioned(21);
  const both = (x: Tensor) => ofQ(x).add(ofR(x));
  hvpPropertyChecks(both, point);
});

describe('rank deficiency', () => {
  const zeroColumn = [1, 0, 2, 2, 0, 1, 3, 0, 0, 4, 0, 5]; // 4×3, column 1 zero
  const parallel = [1, 2, 5, 2, 4, -1, 3, 6, 0, 4, 8, 2]; // column 1 = 2·column 0
  const loss = (x: Tensor) => { const { q, r } = qr(x.reshape([4, 3])); return q.pow(3).sum().add(r.square().sum()); };

  it('the tangent, the gradient and H·v are NaN, never a finite guess (a zero column, parallel columns)', () => {
    for (const a of [zeroColumn, parallel]) {
      expect(Array.from(jvp((x: Tensor) => qr(x.reshape([4, 3])).q, a, direction(1, 12)).tangent as Float64Array).some(Number.isNaN)).toBe(true);
      expect(Array.from(grad(loss)(a) as Float64Array).every(Number.isNaN)).toBe(true);
      expect(Array.from(hvp(loss, a, direction(2, 12)) as Float64Array).every(Number.isNaN)).toBe(true);
      expect(Array.from(hessian(loss, a) as Float64Array).every(Number.isNaN)).toBe(true);
    }
  });

  it('a stack: only the rank-deficient matrix\'s derivatives are NaN', () => {
    const good = wellConditioned(3).slice(0, 12);
    const f = (x: Tensor) => { const { q, r } = qr(x.reshape([2, 4, 3])); return q.pow(3).sum().add(r.square().sum()); };
    const g = grad(f)([...good, ...zeroColumn]) as Float64Array;
    expect(Array.from(g.subarray(0, 12)).every(Number.isFinite)).toBe(true);
    expect(Array.from(g.subarray(12)).every(Number.isNaN)).toBe(true);
    expect(maxDiff(g.subarray(0, 12), grad(loss)(good) as Float64Array)).toBe(0);
    // A loss of the full-rank matrix alone: the other's gradient is exactly 0.
    const first = (x: Tensor) => qr(x.reshape([2, 4, 3])).q.slice(0, 1, 0).pow(3).sum();
    expect(Array.from((grad(first)([...good, ...zeroColumn]) as Float64Array).subarray(12))).toEqual(new Array(12).fill(0));
  });

  it('a NaN entry gives NaN derivatives for its matrix', () => {
    const a = wellConditioned(4).slice(0, 12);
    a[5] = NaN;
    expect(Array.from(grad(loss)(a) as Float64Array).every(Number.isNaN)).toBe(true);
  });
});

describe('compile', () => {
  it('a replay recomputes the decomposition at the new point, bit for bit, and its rank test', () => {
    const f = (x: Tensor) => { const { q, r } = qr(x.reshape([M, N])); return q.pow(3).mul(WQ).sum().add(r.sin().sum()); };
    const program = compile(f, wellConditioned(1));
    const elsewhere = wellConditioned(2), v = direction(4);
    const got = program.gradAndHvp(elsewhere, v);
    expect(Array.from(got.grad as Float64Array)).toEqual(Array.from(grad(f)(elsewhere) as Float64Array));
    expect(Array.from(got.hvp as Float64Array)).toEqual(Array.from(hvp(f, elsewhere, v) as Float64Array));
    const deficient = [...identity(M, N)];
    deficient[1 * N + 1] = 0; // column 1 zero
    expect(Array.from(program.gradAndHvp(deficient, v).hvp as Float64Array).some(Number.isNaN)).toBe(true);
  });
});

describe('a wide matrix (m < n), as JAX factors it', () => {
  // A = [A₁ A₂] with A₁ square: q, r₁ = qr(A₁), r = [r₁ qᵀ·A₂]; q is m×m, r m×n upper trapezoidal.
  const a = [2, -1, 0.5, 3, 1, 4, 0.25, -2, -0.5, 1, 3, 1.5]; // 3×4
  const m = 3, n = 4;

  it('q is orthogonal, r upper trapezoidal with diag ≥ 0, and A = q·r', () => {
    const { q, r } = qr(tensor(a, [m, n]));
    expect(q.shape).toEqual([m, m]);
    expect(r.shape).toEqual([m, n]);
    const Q = rows(q.data, m), R = rows(r.data, m, n);
    expect(maxDiff(times(transposed(Q), Q).flat(), [1, 0, 0, 0, 1, 0, 0, 0, 1])).toBeLessThanOrEqual(8 * EPSILON);
    expect(maxDiff(times(Q, R).flat(), a)).toBeLessThanOrEqual(16 * EPSILON * maxAbs(a));
    for (let i = 0; i < m; i++) {
      expect(R[i][i]).toBeGreaterThanOrEqual(0);
      for (let j = 0; j < i; j++) expect(R[i][j]).toBe(0);
    }
  });

  it('its gradient and H·v agree with central differences, also for a stack', () => {
    const loss = (y: Tensor) => { const { q, r } = qr(y.reshape([m, n])); return q.pow(3).sum().add(r.sin().sum()); };
    const stacked = (y: Tensor) => { const { q, r } = qr(y.reshape([2, 2, 3])); return q.tanh().sum().add(r.square().sum()); };
    for (const [f, x] of [[loss, a], [stacked, a]] as const) {
      const v = direction(7, x.length);
      const fd = differenced(valueAt(f), x, 1e-5).map((c) => c[0]);
      expect(relative(grad(f)(x) as Float64Array, fd)).toBeLessThanOrEqual(1e-8);
      const fdHv = along((y) => grad(f)(y) as Float64Array, x, v, 1e-5);
      expect(relative(hvp(f, x, v) as Float64Array, fdHv)).toBeLessThanOrEqual(1e-7);
    }
  });
});

describe('errors', () => {
  it('a non-tensor or a vector is refused, saying what to do', () => {
    expect(() => qr([[1, 2], [2, 1]] as never)).toThrow(ArgumentError);
    expect(() => qr([[1, 2], [2, 1]] as never)).toThrow(/qr: expected a tensor/);
    expect(() => qr(tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => qr(tensor([1, 2, 3]))).toThrow(/qr: the matrix has shape \[3\]; expected a matrix \[m, n\]/);
  });
});
