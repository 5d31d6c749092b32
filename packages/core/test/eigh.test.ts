// eigh against references written here, never against its own output: the 2×2 closed form, diagonal
// matrices, the tridiagonal Toeplitz spectrum 2cos(kπ/(n+1)) with its sine eigenvectors; A·V = V·Λ and
// VᵀV = I at random sizes; inputs scaled by 2^±600. Derivatives of every order against central
// differences of the order below, for functions of the spectrum alone and of the vectors; symmetry and
// linearity of H·v; what happens at repeated eigenvalues, at NaN and ±∞, and at bad inputs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ArgumentError, ShapeError, compile, eigh, grad, hessian, hvp, jvp, tensor, type Scalar, type Tensor,
} from '../src/index.js';
import { centralDifferenceChecks, hvpPropertyChecks, differenced, maxDiff, random, relative, rows, times, transposed, valueAt, type Matrix } from './dense-matrices.js';

const EPSILON = 2 ** -52;


/** An orthogonal n×n matrix: Gram–Schmidt on a random one. */
function orthogonal(n: number, next: () => number): Matrix {
  const q: number[][] = [];
  while (q.length < n) {
    let v = Array.from({ length: n }, () => next() * 2 - 1);
    for (const u of q) {
      const d = v.reduce((s, x, k) => s + x * u[k], 0);
      v = v.map((x, k) => x - d * u[k]);
    }
    const norm = Math.hypot(...v);
    if (norm > 0.1) q.push(v.map((x) => x / norm));
  }
  return transposed(q); // columns orthonormal
}

/** Q·diag(d)·Qᵀ for a random orthogonal Q, flattened, with the matrix of its eigenvectors. */
function withSpectrum(d: number[], seed: number): { a: number[]; q: Matrix } {
  const q = orthogonal(d.length, random(seed));
  const a = times(times(q, d.map((x, i) => d.map((_, j) => (i === j ? x : 0)))), transposed(q));
  return { a: a.flat(), q };
}

/**
 * Each column's sign set as eigh's rule says: the largest-magnitude component positive, the first on
 * ties, components within a relative 1e-8 of the largest counting as tied.
 */
function signFixed(v: Matrix): Matrix {
  const n = v.length;
  const signs = v[0].map((_, j) => {
    const largest = Math.max(...v.map((row) => Math.abs(row[j])));
    const top = v.findIndex((row) => Math.abs(row[j]) >= largest * (1 - 1e-8));
    return v[top][j] < 0 ? -1 : 1;
  });
  return v.map((row) => row.map((x, j) => x * signs[j]));
}

const decompose = (a: number[], n: number) => {
  const { values, vectors } = eigh(tensor(a, [n, n]));
  return { values: values.data, vectors: vectors.data };
};

describe('values and vectors', () => {
  it('a 2×2 matrix has the closed form λ = m ∓ √(d² + b²), its vectors at angle φ = ½·atan2(2b, a − c)', () => {
    for (const [a, b, c] of [[2, 1, 2], [1, 1e-3, 5], [-3, 4, 7], [0, 1, 0], [1e-8, 3, -2]]) {
      const m = (a + c) / 2, r = Math.hypot((a - c) / 2, b);
      const want = [m - r, m + r];
      const phi = Math.atan2(2 * b, a - c) / 2; // (cos φ, sin φ) belongs to the larger eigenvalue
      const vectors = [[-Math.sin(phi), Math.cos(phi)], [Math.cos(phi), Math.sin(phi)]];
      const { values, vectors: got } = decompose([a, b, b, c], 2);
      expect(maxDiff(values, want)).toBeLessThanOrEqual(4 * EPSILON * Math.max(Math.abs(a), Math.abs(b), Math.abs(c)));
      expect(maxDiff(got, signFixed(transposed(vectors)).flat())).toBeLessThanOrEqual(8 * EPSILON);
    }
  });

  it('a diagonal matrix: its sorted diagonal and a permutation, exactly', () => {
    const { values, vectors } = decompose([3, 0, 0, 0, -1, 0, 0, 0, 2], 3);
    expect(Array.from(values)).toEqual([-1, 2, 3]);
    expect(Array.from(vectors)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
  });

  it('the tridiagonal Toeplitz matrix tridiag(1, 0, 1) has λ_k = 2cos(kπ/(n+1)) and sine eigenvectors', () => {
    for (const n of [2, 5, 8, 16]) {
      const a = Array.from({ length: n * n }, (_, k) => (Math.abs(Math.floor(k / n) - (k % n)) === 1 ? 1 : 0));
      const h = Math.PI / (n + 1);
      // Ascending: k = n, n−1, …, 1.
      const ks = Array.from({ length: n }, (_, j) => n - j);
      const want = ks.map((k) => 2 * Math.cos(k * h));
      const v = Array.from({ length: n }, (_, i) => ks.map((k) => Math.sqrt(2 / (n + 1)) * Math.sin((i + 1) * k * h)));
      const { values, vectors } = decompose(a, n);
      expect(maxDiff(values, want)).toBeLessThanOrEqual(8 * n * EPSILON);
      expect(maxDiff(vectors, signFixed(v).flat())).toBeLessThanOrEqual(8 * n * EPSILON);
    }
  });

  it('A·V = V·diag(λ) and VᵀV = I to rounding, λ ascending, each vector signed by the rule (random sizes)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 2 ** 30 }), (n, seed) => {
      const next = random(seed);
      const x = Array.from({ length: n * n }, () => next() * 2 - 1);
      const s = rows(x, n).map((row, i) => row.map((v, j) => (v + x[j * n + i]) / 2));
      const { values, vectors } = decompose(x, n);
      const v = rows(vectors, n);
      const av = times(s, v), vl = v.map((row) => row.map((e, j) => e * values[j]));
      const norm = Math.max(...s.map((row) => row.reduce((t, e) => t + Math.abs(e), 0)));
      expect(maxDiff(av.flat(), vl.flat())).toBeLessThanOrEqual(4 * n * EPSILON * norm);
      const vtv = times(transposed(v), v);
      expect(maxDiff(vtv.flat(), rows(Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0)), n).flat())).toBeLessThanOrEqual(4 * n * EPSILON);
      for (let j = 1; j < n; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]);
      expect(signFixed(v).flat()).toEqual(Array.from(vectors));
    }), { numRuns: 60 });
  });

  it('a matrix scaled by 2^±600 (entries beyond 1e180 and below 1e-180) gives λ scaled exactly and the same vectors', () => {
    const { a } = withSpectrum([-3, 0.5, 1, 4, 7], 11);
    const plain = decompose(a, 5);
    for (const p of [600, -600, 1000, -1000]) {
      const c = 2 ** p;
      const scaled = decompose(a.map((x) => x * c), 5);
      expect(Array.from(scaled.values)).toEqual(Array.from(plain.values, (x) => x * c));
      expect(Array.from(scaled.vectors)).toEqual(Array.from(plain.vectors));
    }
    // Against the spectrum it was built from, at 1e200: no overflow in any norm.
    const big = decompose(a.map((x) => x * 1e200), 5);
    expect(maxDiff(Array.from(big.values, (x) => x / 1e200), [-3, 0.5, 1, 4, 7])).toBeLessThanOrEqual(64 * EPSILON);
  });

  it('entries past 8.9e307, whose sum A[i][j] + A[j][i] overflows, are symmetrized without overflow', () => {
    // [[1.5, 1], [1, 1.5]]·1e308 would give NaN eigenpairs through (A + Aᵀ)/2 = ±∞; its eigenvalues are
    // 0.5e308 and 2.5e308 (the latter overflows to +∞, as the arithmetic must), vectors (1, ∓1)/√2.
    const { values, vectors } = decompose([1.5e308, 1e308, 1e308, 1.5e308], 2);
    expect(Math.abs(values[0] / 0.5e308 - 1)).toBeLessThanOrEqual(4 * EPSILON);
    expect(values[1]).toBe(Infinity);
    // A diagonal entry of 1e308 among small ones: λ = 1e308 exactly, the others finite.
    const d = decompose([2, 0, 0, 1e308], 2);
    expect(Array.from(d.values)).toEqual([2, 1e308]);
    expect(Math.abs(vectors[0]) * Math.SQRT2).toBeCloseTo(1, 14);
  });

  it('reads (A + Aᵀ)/2, and a stack [..., n, n] matrix by matrix', () => {
    const { a } = withSpectrum([1, 2, 4], 3);
    const skewed = a.map((x, k) => x + Math.sign((k % 3) - Math.floor(k / 3)) * 0.25); // +¼ above, −¼ below
    expect(Array.from(decompose(skewed, 3).values)).toEqual(Array.from(decompose(a, 3).values));
    const b = withSpectrum([-2, 0, 5], 4).a;
    const { values, vectors } = eigh(tensor([...a, ...b, ...a, ...b], [2, 2, 3, 3]));
    expect(values.shape).toEqual([2, 2, 3]);
    expect(vectors.shape).toEqual([2, 2, 3, 3]);
    expect(Array.from(values.data.subarray(3, 6))).toEqual(Array.from(decompose(b, 3).values));
    expect(Array.from(vectors.data.subarray(27, 36))).toEqual(Array.from(decompose(b, 3).vectors));
  });

  it('a NaN or ±∞ entry makes its matrix\'s values and vectors NaN, and leaves the rest of a stack alone', () => {
    const { a } = withSpectrum([1, 2, 3], 5);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const poisoned = [...a];
      poisoned[1] = bad;
      const { values, vectors } = eigh(tensor([...poisoned, ...a], [2, 3, 3]));
      expect(Array.from(values.data.subarray(0, 3)).every(Number.isNaN)).toBe(true);
      expect(Array.from(vectors.data.subarray(0, 9)).every(Number.isNaN)).toBe(true);
      expect(Array.from(values.data.subarray(3))).toEqual(Array.from(decompose(a, 3).values));
    }
  });

  it('0×0 and 1×1 matrices', () => {
    const empty = eigh(tensor([], [0, 0]));
    expect(empty.values.shape).toEqual([0]);
    expect(empty.vectors.shape).toEqual([0, 0]);
    expect(Array.from(decompose([-2.5], 1).values)).toEqual([-2.5]);
    expect(Array.from(decompose([-2.5], 1).vectors)).toEqual([1]);
  });
});

// ---- Derivatives against central differences of the order below -----------------------------------

const N = 4;
const WEIGHTS = tensor([0.7, -1.1, 0.4, 1.3]);
const B = tensor([[1, 0.5, -0.3, 0.2], [0.5, -2, 0.1, 0.7], [-0.3, 0.1, 0.8, -0.6], [0.2, 0.7, -0.6, 1.5]]);
const C = tensor(Array.from({ length: N * N }, (_, k) => Math.sin(k + 1)), [N, N]);

/** Σ exp(λ/2): basis-invariant, a function of the spectrum alone. */
const spectral = (x: Tensor): Scalar => eigh(x.reshape([N, N])).values.mul(0.5).exp().sum();
/** Σ_k w_k·v_kᵀ·B·v_k + Σ C∘V^∘3 (odd powers of the vectors: the sign rule matters) + Σ λ². */
const vectorial = (x: Tensor): Scalar => {
  const { values, vectors } = eigh(x.reshape([N, N]));
  const quadratic = vectors.transpose().matmul(B).mul(vectors.transpose()).sum(1).mul(WEIGHTS).sum();
  return quadratic.add(vectors.pow(3).mul(C).sum()).add(values.square().sum());
};
/** A stack of two: the vectors of one and the values of the other. */
const stacked = (x: Tensor): Scalar => {
  const { values, vectors } = eigh(x.reshape([2, N, N]));
  return vectors.slice(0, 1, 0).pow(3).mul(C).sum().add(values.slice(1, 2, 0).sin().sum());
};

const separated = (seed: number) => withSpectrum([-1.5, 0.25, 1.25, 3], seed).a;
const direction = (seed: number, n = N * N) => { const next = random(seed); return Array.from({ length: n }, () => next() * 2 - 1); };


const functions = [['Σ exp(λ/2)', spectral, N * N], ['Σ w·vᵀBv + Σ C∘V³ + Σ λ²', vectorial, N * N], ['a stack of two', stacked, 2 * N * N]] as const;
const pointOf = (size: number, seed: number) => (size === N * N ? separated(seed) : [...separated(seed), ...separated(seed + 1)]);

describe('derivatives against central differences', () => {
  centralDifferenceChecks('eigh', functions.map(([name, f, size]) => [name, f, (seed: number) => pointOf(size, seed), size] as const), direction);

  it('the vectors of [[a, b], [b, c]] turn at φ̇ = ḃ/(a − c) at b = 0', () => {
    // At b = 0 the vectors are [[0, 1], [1, 0]] (λ = [c, a] = [1, 3]); tan 2φ = 2b/(a − c) gives
    // φ̇ = ḃ/(a − c) = 1/4 for ḃ = ½: the small eigenvalue's (−sin φ, cos φ) moves by (−¼, 0), the
    // large one's (cos φ, sin φ) by (0, ¼).
    const { tangent } = jvp((x: Tensor) => eigh(x.reshape([2, 2])).vectors, [3, 0, 0, 1], [0, 0.5, 0.5, 0]);
    expect(Array.from(tangent as Float64Array)).toEqual([-0.25, 0, 0, 0.25]);
  });
});

describe('H·v properties (fast-check)', () => {
  const point = separated(21);
  hvpPropertyChecks(vectorial, point, 'uᵀ(H·v) = vᵀ(H·u), for the function of the vectors');
});

describe('repeated eigenvalues', () => {
  const identity = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const spectrumOnly = (x: Tensor) => eigh(x.reshape([3, 3])).values.square().sum(); // ‖A‖²_F for symmetric A
  const ofVectors = (x: Tensor) => eigh(x.reshape([3, 3])).vectors.pow(3).sum();

  it('the gradient of a function of λ alone stays exact: d Σλ²/dA at I is 2I', () => {
    expect(Array.from(grad(spectrumOnly)(identity) as Float64Array)).toEqual(identity.map((e) => 2 * e));
    // No 0·∞ is resolved on the way, so checkFinite has nothing to report.
    expect(Array.from(grad(spectrumOnly, { checkFinite: true })(identity) as Float64Array)).toEqual(identity.map((e) => 2 * e));
    // Also where rounding splits the repeated value: Q·diag(1, 1, 2)·Qᵀ.
    const { a, q } = withSpectrum([1, 1, 2], 5);
    const want = times(times(q, [[Math.E, 0, 0], [0, Math.E, 0], [0, 0, Math.E ** 2]]), transposed(q)).flat();
    expect(maxDiff(grad((x: Tensor) => eigh(x.reshape([3, 3])).values.exp().sum())(a) as Float64Array, want)).toBeLessThanOrEqual(1e-14);
  });

  it('the vectors\' derivatives are NaN, never a finite guess: tangent, and a gradient through the vectors', () => {
    const { tangent } = jvp((x: Tensor) => eigh(x.reshape([3, 3])).vectors, identity, [1, 0.3, 0, 0.3, 2, 0, 0, 0, 3]);
    expect(Array.from(tangent as Float64Array).some(Number.isNaN)).toBe(true);
    // Σ V³ is stationary under small rotations at V = I (Vᵀ·V̄ is diagonal), but the basis jumps.
    expect(Array.from(grad(ofVectors)(identity) as Float64Array).some(Number.isNaN)).toBe(true);
    // A loss of the one simple eigenvalue's vector is smooth there: diag(1, 1, 2)'s third vector.
    const third = (x: Tensor) => eigh(x.reshape([3, 3])).vectors.slice(2, 3, 1).pow(3).sum();
    const at = [1, 0, 0, 0, 1, 0, 0, 0, 2];
    const fd = differenced(valueAt(third), at, 1e-6).map((column) => column[0]);
    expect(maxDiff(grad(third)(at) as Float64Array, fd)).toBeLessThanOrEqual(1e-9);
  });

  it('second derivatives through the op are NaN, even of Σλ² (whose Hessian, 2I, needs f″ at the repeated value)', () => {
    const hv = hvp(spectrumOnly, identity, [0, 1, 0, 1, 0, 0, 0, 0, 0]) as Float64Array;
    expect(Array.from(hv).some(Number.isNaN)).toBe(true);
    const { a } = withSpectrum([1, 1, 2], 5);
    expect(Array.from(hvp(spectrumOnly, a, direction(3, 9)) as Float64Array).some(Number.isNaN)).toBe(true);
    // All directions at once (hessian's lanes) as one at a time.
    expect(Array.from(hessian(spectrumOnly, identity) as Float64Array).some(Number.isNaN)).toBe(true);
  });

  it('a matrix of a stack that the loss never reaches keeps zero second derivatives, repeated values or not', () => {
    // Stack [I₂, G]; f = Σλ(G)², which is ‖(G + Gᵀ)/2‖²_F: its Hessian over (g₀₀, g₀₁, g₁₀, g₁₁) is
    // [[2,0,0,0],[0,1,1,0],[0,1,1,0],[0,0,0,2]] (closed form), and every entry of I₂'s rows and columns is 0.
    const second = (x: Tensor) => eigh(x.reshape([2, 2, 2])).values.slice(1, 2, 0).square().sum();
    const H = Array.from(hessian(second, [1, 0, 0, 1, 2, 0.3, 0.3, 1]) as Float64Array);
    const block = [[2, 0, 0, 0], [0, 1, 1, 0], [0, 1, 1, 0], [0, 0, 0, 2]];
    const want = Array.from({ length: 64 }, (_, k) => (k >> 3 >= 4 && k % 8 >= 4 ? block[(k >> 3) - 4][(k % 8) - 4] : 0));
    expect(maxDiff(H, want)).toBeLessThanOrEqual(1e-14);
    // One direction that reaches only G: H·e₄, column 4 of the above.
    expect(maxDiff(hvp(second, [1, 0, 0, 1, 2, 0.3, 0.3, 1], [0, 0, 0, 0, 1, 0, 0, 0]) as Float64Array, [0, 0, 0, 0, 2, 0, 0, 0])).toBeLessThanOrEqual(1e-14);
  });
});

describe('compile', () => {
  it('a replay recomputes the decomposition, its sign rule and its repeated pairs at the new point', () => {
    const f = (x: Tensor) => { const { values, vectors } = eigh(x.reshape([3, 3])); return vectors.pow(3).sum().add(values.square().sum()); };
    const program = compile(f, withSpectrum([1, 2, 4], 1).a);
    const elsewhere = withSpectrum([-1, 0.5, 3], 2).a, v = direction(4, 9);
    const got = program.gradAndHvp(elsewhere, v);
    expect(Array.from(got.hvp as Float64Array)).toEqual(Array.from(hvp(f, elsewhere, v) as Float64Array));
    const atIdentity = program.gradAndHvp([1, 0, 0, 0, 1, 0, 0, 0, 1], v);
    expect(Array.from(atIdentity.hvp as Float64Array).some(Number.isNaN)).toBe(true);
  });
});

describe('errors', () => {
  it('a non-tensor, a vector or a non-square matrix is refused, saying what is expected', () => {
    expect(() => eigh([[1, 2], [2, 1]] as never)).toThrow(ArgumentError);
    expect(() => eigh([[1, 2], [2, 1]] as never)).toThrow(/eigh: expected a tensor/);
    expect(() => eigh(tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => eigh(tensor([1, 2, 3, 4, 5, 6], [2, 3]))).toThrow(/eigh: the matrix has shape \[2,3\]; expected a square matrix \[n, n\] or a stack of them \[\.\.\., n, n\]/);
  });
});
