// svd against references written here, never against its own output: diagonal matrices, rank one
// a·bᵀ, the 2×2 closed form, Q₁·diag(σ)·Q₂ᵀ built from plane rotations with known angles; A = U·S·Vᵀ,
// orthonormal columns and descending s at random shapes (tall, wide, square); inputs scaled by 2^±600;
// a tiny singular value kept to relative accuracy. Derivatives of every order against central
// differences of the order below, for Σs (the nuclear norm), Σs² (= ‖A‖²_F: gradient 2A and Hessian 2I
// exactly) and a loss of the vectors with odd powers; symmetry and linearity of H·v; repeated and zero
// singular values, NaN and ±∞, and bad inputs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ArgumentError, ShapeError, compile, grad, hessian, hvp, jvp, svd, tensor, type Scalar, type Tensor,
} from '../src/index.js';
import { centralDifferenceChecks, hvpPropertyChecks, differenced, maxAbs, maxDiff, random, relative, rows, times, transposed, valueAt, type Matrix } from './dense-matrices.js';

const EPSILON = 2 ** -52;

const identity = (n: number): Matrix => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

/** The product of plane rotations G(p, q, θ) over every pair p < q, the angles from `next`: orthogonal. */
function rotations(n: number, next: () => number): Matrix {
  let q = identity(n);
  for (let p = 0; p < n - 1; p++) {
    for (let r = p + 1; r < n; r++) {
      const theta = Math.PI * (2 * next() - 1), c = Math.cos(theta), s = Math.sin(theta);
      const g = identity(n);
      g[p][p] = c; g[r][r] = c; g[p][r] = -s; g[r][p] = s;
      q = times(q, g);
    }
  }
  return q;
}

/**
 * A = Q₁[:, :k]·diag(σ)·Q₂[:, :k]ᵀ (m×n) with the singular vectors it was built from, signed by svd's
 * rule: each right vector's largest-magnitude component positive, the left one flipped with it.
 */
function withSingularValues(m: number, n: number, sigma: number[], seed: number): { a: number[]; u: Matrix; v: Matrix } {
  const next = random(seed);
  const k = sigma.length;
  const q1 = rotations(m, next).map((row) => row.slice(0, k)), q2 = rotations(n, next).map((row) => row.slice(0, k));
  const a = times(q1.map((row) => row.map((e, j) => e * sigma[j])), transposed(q2));
  const signs = sigma.map((_, j) => {
    const largest = Math.max(...q2.map((row) => Math.abs(row[j])));
    const top = q2.findIndex((row) => Math.abs(row[j]) >= largest * (1 - 1e-8));
    return q2[top][j] < 0 ? -1 : 1;
  });
  return { a: a.flat(), u: q1.map((row) => row.map((e, j) => e * signs[j])), v: q2.map((row) => row.map((e, j) => e * signs[j])) };
}

const decompose = (a: number[], m: number, n: number) => {
  const { u, s, vt } = svd(tensor(a, [m, n]));
  return { u: u.data, s: s.data, vt: vt.data };
};

describe('singular values and vectors', () => {
  it('a diagonal matrix: |diagonal| sorted, permutations, and the sign carried by U, exactly', () => {
    const { u, s, vt } = decompose([3, 0, 0, 0, -1, 0, 0, 0, 2], 3, 3);
    expect(Array.from(s)).toEqual([3, 2, 1]);
    expect(Array.from(vt)).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
    expect(Array.from(u)).toEqual([1, 0, 0, 0, 0, -1, 0, 1, 0]);
    // Tall, with a zero singular value: its left vector completed from e₁, e₂, … orthogonal to the rest.
    const tall = decompose([0, 0, 0, -5, 0, 0], 3, 2);
    expect(Array.from(tall.s)).toEqual([5, 0]);
    expect(Array.from(tall.vt)).toEqual([0, 1, 1, 0]);
    expect(Array.from(tall.u)).toEqual([0, 1, -1, 0, 0, 0]);
  });

  it('rank one a·bᵀ: s = (‖a‖·‖b‖, 0, …), the vectors a/‖a‖ and b/‖b‖ up to the sign rule', () => {
    for (const [a, b] of [[[1, -2, 2], [3, 4]], [[0.5, 1], [-1, 2, 2, 4]], [[2, 3, -6], [1, 4, 8]]]) {
      const m = a.length, n = b.length, na = Math.hypot(...a), nb = Math.hypot(...b);
      const { u, s, vt } = decompose(a.flatMap((x) => b.map((y) => x * y)), m, n);
      const k = Math.min(m, n);
      expect(Math.abs(s[0] - na * nb)).toBeLessThanOrEqual(4 * EPSILON * na * nb);
      for (let c = 1; c < k; c++) expect(s[c]).toBeLessThanOrEqual(4 * Math.max(m, n) * EPSILON * na * nb);
      const sign = Math.sign(b.reduce((p, x) => (Math.abs(x) > Math.abs(p) ? x : p), 0));
      expect(maxDiff(Array.from({ length: n }, (_, j) => vt[j]), b.map((x) => (sign * x) / nb))).toBeLessThanOrEqual(4 * EPSILON);
      expect(maxDiff(Array.from({ length: m }, (_, i) => u[i * k]), a.map((x) => (sign * x) / na))).toBeLessThanOrEqual(4 * EPSILON);
    }
  });

  it('the 2×2 closed form: s = (√((a+d)² + (b−c)²) ± √((a−d)² + (b+c)²))/2', () => {
    for (const [a, b, c, d] of [[1, 2, 3, 4], [2, 0, 0, -7], [1e-8, 3, -2, 5], [4, 4, -1, -1], [0, 1, -1, 0.5]]) {
      const p = Math.hypot(a + d, b - c), q = Math.hypot(a - d, b + c);
      const { s } = decompose([a, b, c, d], 2, 2);
      const scale = maxAbs([a, b, c, d]);
      expect(maxDiff(s, [(p + q) / 2, Math.abs(p - q) / 2])).toBeLessThanOrEqual(8 * EPSILON * scale);
    }
  });

  it('Q₁·diag(σ)·Q₂ᵀ from plane rotations: σ and the vectors it was built from (tall, wide, square)', () => {
    for (const [m, n, sigma] of [[5, 3, [4, 2, 0.5]], [3, 6, [3, 1.5, 0.25]], [4, 4, [7, 3, 1, 0.1]]] as const) {
      const { a, u: wantU, v: wantV } = withSingularValues(m, n, [...sigma], m * 10 + n);
      const { u, s, vt } = decompose(a, m, n);
      expect(maxDiff(s, sigma)).toBeLessThanOrEqual(16 * Math.max(m, n) * EPSILON * sigma[0]);
      expect(maxDiff(u, wantU.flat())).toBeLessThanOrEqual(1e-13);
      expect(maxDiff(vt, transposed(wantV).flat())).toBeLessThanOrEqual(1e-13);
    }
  });

  it('a tiny singular value keeps its relative accuracy (never formed through AᵀA): [[1, 1], [0, δ]]', () => {
    for (const delta of [1e-8, 1e-12, 1e-15, 1e-100]) {
      // s₁ from the closed form above (no cancellation), s₂ = |det|/s₁.
      const p = Math.hypot(1 + delta, 1), q = Math.hypot(1 - delta, 1), s1 = (p + q) / 2;
      const { s } = decompose([1, 1, 0, delta], 2, 2);
      expect(Math.abs(s[0] - s1) / s1).toBeLessThanOrEqual(4 * EPSILON);
      expect(Math.abs(s[1] - delta / s1) / (delta / s1)).toBeLessThanOrEqual(8 * EPSILON);
    }
  });

  it('A = U·diag(s)·Vᵀ, UᵀU = VᵀV = I to rounding, s descending ≥ 0, the sign rule (random shapes)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 2 ** 30 }), (m, n, seed) => {
      const next = random(seed);
      const a = Array.from({ length: m * n }, () => next() * 2 - 1);
      const k = Math.min(m, n);
      const { u, s, vt } = decompose(a, m, n);
      const U = rows(u, m, k), V = transposed(rows(vt, k, n));
      const usv = times(U.map((row) => row.map((e, j) => e * s[j])), transposed(V));
      const norm = Math.sqrt(a.reduce((t, e) => t + e * e, 0));
      expect(maxDiff(usv.flat(), a)).toBeLessThanOrEqual(8 * Math.max(m, n) * EPSILON * norm);
      expect(maxDiff(times(transposed(U), U).flat(), identity(k).flat())).toBeLessThanOrEqual(8 * Math.max(m, n) * EPSILON);
      expect(maxDiff(times(transposed(V), V).flat(), identity(k).flat())).toBeLessThanOrEqual(8 * Math.max(m, n) * EPSILON);
      for (let j = 0; j < k; j++) {
        expect(s[j]).toBeGreaterThanOrEqual(0);
        if (j > 0) expect(s[j]).toBeLessThanOrEqual(s[j - 1]);
        const column = V.map((row) => row[j]), largest = maxAbs(column);
        expect(column.find((e) => Math.abs(e) >= largest * (1 - 1e-8))).toBeGreaterThan(0);
      }
    }), { numRuns: 60 });
  });

  it('a matrix scaled by 2^±600 (and ±1000) gives s scaled exactly and the same vectors', () => {
    const { a } = withSingularValues(5, 3, [4, 1, 0.25], 11);
    const plain = decompose(a, 5, 3);
    for (const p of [600, -600, 1000, -1000]) {
      const c = 2 ** p;
      const scaled = decompose(a.map((x) => x * c), 5, 3);
      expect(Array.from(scaled.s)).toEqual(Array.from(plain.s, (x) => x * c));
      expect(Array.from(scaled.u)).toEqual(Array.from(plain.u));
      expect(Array.from(scaled.vt)).toEqual(Array.from(plain.vt));
    }
    const big = decompose(a.map((x) => x * 1e200), 5, 3);
    expect(maxDiff(Array.from(big.s, (x) => x / 1e200), [4, 1, 0.25])).toBeLessThanOrEqual(64 * EPSILON);
  });

  it('a stack [..., m, n] matrix by matrix; shapes as full_matrices=False', () => {
    const a = withSingularValues(3, 2, [2, 1], 3).a, b = withSingularValues(3, 2, [5, 0.5], 4).a;
    const { u, s, vt } = svd(tensor([...a, ...b, ...a, ...b], [2, 2, 3, 2]));
    expect([u.shape, s.shape, vt.shape]).toEqual([[2, 2, 3, 2], [2, 2, 2], [2, 2, 2, 2]]);
    const one = decompose(b, 3, 2);
    expect(Array.from(s.data.subarray(2, 4))).toEqual(Array.from(one.s));
    expect(Array.from(u.data.subarray(6, 12))).toEqual(Array.from(one.u));
    expect(Array.from(vt.data.subarray(4, 8))).toEqual(Array.from(one.vt));
  });

  it('a NaN or ±∞ entry makes its matrix\'s results NaN, and leaves the rest of a stack alone', () => {
    const { a } = withSingularValues(2, 3, [2, 1], 5);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const poisoned = [...a];
      poisoned[4] = bad;
      const { u, s, vt } = svd(tensor([...poisoned, ...a], [2, 2, 3]));
      for (const x of [u.data.subarray(0, 4), s.data.subarray(0, 2), vt.data.subarray(0, 6)]) expect(Array.from(x).every(Number.isNaN)).toBe(true);
      expect(Array.from(s.data.subarray(2))).toEqual(Array.from(decompose(a, 2, 3).s));
    }
  });

  it('empty and 1×1 matrices', () => {
    const empty = svd(tensor([], [0, 3]));
    expect([empty.u.shape, empty.s.shape, empty.vt.shape]).toEqual([[0, 0], [0], [0, 3]]);
    expect(Array.from(decompose([-2.5], 1, 1).s)).toEqual([2.5]);
    expect(Array.from(decompose([-2.5], 1, 1).u)).toEqual([-1]);
    expect(Array.from(decompose([-2.5], 1, 1).vt)).toEqual([1]);
  });
});

// ---- Derivatives against central differences of the order below -----------------------------------

const C43 = tensor(Array.from({ length: 12 }, (_, k) => Math.sin(k + 1)), [4, 3]);
const C33 = tensor(Array.from({ length: 9 }, (_, k) => Math.cos(k + 2)), [3, 3]);
const W = tensor([0.7, -1.1, 0.4]);

/** Σs, the nuclear norm, of a full-rank 4×3 matrix. */
const nuclear = (x: Tensor): Scalar => svd(x.reshape([4, 3])).s.sum();
/** Σs² = ‖A‖²_F of a 3×4 matrix, through the op. */
const frobenius = (x: Tensor): Scalar => svd(x.reshape([3, 4])).s.square().sum();
/** Σ C∘U³ + Σ C∘Vt³ + Σ w·s (odd powers of the vectors: the sign rule matters), square. */
const square = (x: Tensor): Scalar => {
  const { u, s, vt } = svd(x.reshape([3, 3]));
  return u.pow(3).mul(C33).sum().add(vt.pow(3).mul(C33.transpose()).sum()).add(s.mul(W).sum());
};
/** Tall: Σ C∘U³ + Σ tanh(s) + Σ Vt³ (U's S⁻¹ term). */
const tall = (x: Tensor): Scalar => {
  const { u, s, vt } = svd(x.reshape([4, 3]));
  return u.pow(3).mul(C43).sum().add(s.tanh().sum()).add(vt.pow(3).sum());
};
/** A stack of two wide 3×4 matrices: the vectors of one (V's S⁻¹ term) and the values of the other. */
const wide = (x: Tensor): Scalar => {
  const { u, s, vt } = svd(x.reshape([2, 3, 4]));
  return vt.slice(0, 1, 0).pow(3).mul(C43.transpose()).sum().add(u.slice(0, 1, 0).sin().sum()).add(s.slice(1, 2, 0).log().sum());
};

const point = (m: number, n: number, seed: number, batch = 1) => {
  const sigma = [3, 1.75, 0.8].slice(0, Math.min(m, n));
  return Array.from({ length: batch }, (_, b) => withSingularValues(m, n, sigma, seed + 17 * b).a).flat();
};
const direction = (seed: number, n: number) => { const next = random(seed); return Array.from({ length: n }, () => next() * 2 - 1); };


const functions = [
  ['Σs (nuclear norm), 4×3', nuclear, () => point(4, 3, 1), 12],
  ['Σs², 3×4', frobenius, () => point(3, 4, 2), 12],
  ['Σ C∘U³ + Σ C∘Vt³ + Σ w·s, 3×3', square, () => point(3, 3, 3), 9],
  ['Σ C∘U³ + Σ tanh s + Σ Vt³, 4×3', tall, () => point(4, 3, 4), 12],
  ['a stack of two 3×4: vectors of one, log s of the other', wide, () => point(3, 4, 5, 2), 24],
] as const;

describe('derivatives against central differences', () => {
  // Each case at its one point (the seed picks only the directions).
  centralDifferenceChecks('svd', functions.map(([name, f, at, size]) => [name, f, () => at(), size] as const), direction);

  it('Σs² = ‖A‖²_F: gradient 2A and H·v = 2v in closed form', () => {
    const x = point(3, 4, 2), v = direction(3, 12);
    expect(maxDiff(grad(frobenius)(x) as Float64Array, x.map((e) => 2 * e))).toBeLessThanOrEqual(16 * EPSILON * maxAbs(x));
    expect(maxDiff(hvp(frobenius, x, v) as Float64Array, v.map((e) => 2 * e))).toBeLessThanOrEqual(1e-13);
  });

  it('the nuclear norm\'s gradient is U·Vᵀ (the polar factor) at a full-rank matrix', () => {
    const x = point(4, 3, 1);
    const { u, vt } = decompose(x, 4, 3);
    const want = times(rows(u, 4, 3), rows(vt, 3, 3)).flat();
    expect(maxDiff(grad(nuclear)(x) as Float64Array, want)).toBeLessThanOrEqual(1e-14);
  });
});

describe('H·v properties (fast-check)', () => {
  const x = point(4, 3, 21);
  hvpPropertyChecks(tall, x, 'uᵀ(H·v) = vᵀ(H·u), for the function of the vectors');
});

describe('repeated and zero singular values', () => {
  const eye = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const ofS = (f: (s: Tensor) => Scalar, m: number, n: number) => (x: Tensor) => f(svd(x.reshape([m, n])).s);

  it('a function of s alone keeps its exact gradient U·diag(s̄)·Vᵀ at repeated values: Σs² and Σs at I', () => {
    expect(Array.from(grad(ofS((s) => s.square().sum(), 3, 3), { checkFinite: true })(eye) as Float64Array)).toEqual(eye.map((e) => 2 * e));
    expect(Array.from(grad(ofS((s) => s.sum(), 3, 3))(eye) as Float64Array)).toEqual(eye);
    // Where rounding splits the repeated value: Q₁·diag(2, 2, 1)·Q₂ᵀ, Σ exp(s) against Q₁·diag(e², e², e)·Q₂ᵀ.
    const { a, u, v } = withSingularValues(4, 3, [2, 2, 1], 5);
    const want = times(u.map((row) => row.map((e, j) => e * Math.exp([2, 2, 1][j]))), transposed(v)).flat();
    expect(maxDiff(grad(ofS((s) => s.exp().sum(), 4, 3))(a) as Float64Array, want)).toBeLessThanOrEqual(1e-13);
  });

  it('the vectors\' derivatives are NaN at repeated values: tangent, and a gradient through the vectors', () => {
    const { tangent } = jvp((x: Tensor) => svd(x.reshape([3, 3])).vt, eye, [1, 0.3, 0, -0.2, 2, 0, 0, 0, 3]);
    expect(Array.from(tangent as Float64Array).some(Number.isNaN)).toBe(true);
    expect(Array.from(grad((x: Tensor) => svd(x.reshape([3, 3])).u.pow(3).sum())(eye) as Float64Array).some(Number.isNaN)).toBe(true);
    // The vectors of the one simple value are smooth there: diag(3, 1, 1)'s first ones.
    const first = (x: Tensor) => { const { u, vt } = svd(x.reshape([3, 3])); return u.slice(0, 1, 1).pow(3).mul(tensor([[1], [2], [3]])).sum().add(vt.slice(0, 1, 0).pow(3).mul(tensor([[3, -1, 2]])).sum()); };
    const at = [3, 0, 0, 0, 1, 0, 0, 0, 1];
    const fd = differenced(valueAt(first), at, 1e-6).map((column) => column[0]);
    expect(maxDiff(grad(first)(at) as Float64Array, fd)).toBeLessThanOrEqual(1e-9);
  });

  it('second derivatives through the op are NaN at repeated values, even of Σs² (whose Hessian, 2I, needs f″ there)', () => {
    expect(Array.from(hvp(ofS((s) => s.square().sum(), 3, 3), eye, direction(1, 9)) as Float64Array).some(Number.isNaN)).toBe(true);
    expect(Array.from(hessian(ofS((s) => s.sum(), 3, 3), eye) as Float64Array).some(Number.isNaN)).toBe(true);
  });

  it('a zero singular value of a tall matrix: U\'s derivative NaN (its S⁻¹ term), V\'s and s\'s exact', () => {
    const rank1 = [1, 2, 2, 4, -1, -2]; // (1, 2, −1)·(1, 2)ᵀ: s = (√6·√5, 0)
    const ofU = (x: Tensor) => svd(x.reshape([3, 2])).u.pow(3).sum();
    const ofV = (x: Tensor) => svd(x.reshape([3, 2])).vt.pow(3).mul(tensor([[1, 2], [3, 4]])).sum();
    expect(Array.from(grad(ofU)(rank1) as Float64Array).every(Number.isNaN)).toBe(true);
    const { tangent } = jvp((x: Tensor) => svd(x.reshape([3, 2])).u, rank1, direction(2, 6));
    expect(Array.from(tangent as Float64Array).some(Number.isNaN)).toBe(true);
    const fd = differenced(valueAt(ofV), rank1, 1e-6).map((column) => column[0]);
    expect(maxDiff(grad(ofV)(rank1) as Float64Array, fd)).toBeLessThanOrEqual(1e-8);
    // Σs² is smooth everywhere: gradient 2A exactly there too.
    expect(maxDiff(grad(ofS((s) => s.square().sum(), 3, 2))(rank1) as Float64Array, rank1.map((e) => 2 * e))).toBeLessThanOrEqual(1e-14);
  });

  it('a square matrix with one zero singular value: finite derivatives, Σs²\'s Hessian 2I', () => {
    const at = [1, 2, 2, 4]; // rank one
    const v = direction(4, 4);
    expect(maxDiff(hvp(ofS((s) => s.square().sum(), 2, 2), at, v) as Float64Array, v.map((e) => 2 * e))).toBeLessThanOrEqual(1e-14);
  });

  it('a matrix of a stack that the loss never reaches keeps zero second derivatives, repeated or zero values or not', () => {
    // Stack [I₂ (s repeated), [[1, 2], [2, 4]] (a zero s), G]; f = Σs(G)² = ‖G‖²_F: Hessian 2I on G's
    // four entries (closed form) and 0 in every row and column of the other two.
    const third = (x: Tensor) => svd(x.reshape([3, 2, 2])).s.slice(2, 3, 0).square().sum();
    const x = [1, 0, 0, 1, 1, 2, 2, 4, 2, 0.3, -0.5, 1];
    const H = Array.from(hessian(third, x) as Float64Array);
    const want = Array.from({ length: 144 }, (_, k) => (Math.floor(k / 12) >= 8 && Math.floor(k / 12) === k % 12 ? 2 : 0));
    expect(maxDiff(H, want)).toBeLessThanOrEqual(1e-14);
    const v = [0, 0, 0, 0, 0, 0, 0, 0, 1, -1, 0.5, 2];
    expect(maxDiff(hvp(third, x, v) as Float64Array, v.map((e) => 2 * e))).toBeLessThanOrEqual(1e-14);
  });
});

describe('compile', () => {
  const eye3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  it('a replay recomputes the decomposition, its sign rule and its repeated values at the new point, bit for bit', () => {
    const f = (x: Tensor) => { const { u, s, vt } = svd(x.reshape([3, 3])); return u.pow(3).sum().add(vt.pow(3).mul(C33).sum()).add(s.square().sum()); };
    const program = compile(f, withSingularValues(3, 3, [4, 2, 1], 1).a);
    const elsewhere = withSingularValues(3, 3, [3, 1, 0.5], 2).a, v = direction(4, 9);
    const got = program.gradAndHvp(elsewhere, v);
    expect(Array.from(got.hvp as Float64Array)).toEqual(Array.from(hvp(f, elsewhere, v) as Float64Array));
    expect(Array.from(got.grad as Float64Array)).toEqual(Array.from(grad(f)(elsewhere) as Float64Array));
    expect(Array.from(program.gradAndHvp(eye3, v).hvp as Float64Array).some(Number.isNaN)).toBe(true);
  });
});
describe('errors', () => {
  it('a non-tensor or a tensor of rank < 2 is refused, saying what is expected', () => {
    expect(() => svd([[1, 2], [2, 1]] as never)).toThrow(ArgumentError);
    expect(() => svd([[1, 2], [2, 1]] as never)).toThrow(/svd: expected a tensor/);
    expect(() => svd(tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => svd(tensor([1, 2, 3]))).toThrow(/svd: the matrix has shape \[3\]; expected a matrix \[m, n\] or a stack of them \[\.\.\., m, n\]/);
  });
});
