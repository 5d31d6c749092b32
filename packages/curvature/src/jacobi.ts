/**
 * Dense symmetric eigen-decomposition by the cyclic Jacobi method.
 *
 * O(n³) per sweep and only sensible for small matrices (n ≲ 200), but simple, unconditionally
 * convergent and accurate — a good reference for the matrix-free methods and for users who
 * want the full spectrum of a small Hessian assembled column by column from H·eᵢ.
 */
import { noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import { CurvatureConvergenceError, CurvatureInputError } from './errors.js';
import { checkedOptions } from './validate.js';
import { squareMatrix, type SquareMatrix } from './dense-matrix.js';
import { extraArgumentError } from './arity.js';

/**
 * Options of {@link jacobiEigen}.
 *
 * @example
 * ```ts
 * jacobiEigen([[2, 1], [1, 2]], { maxSweeps: 20, symmetryTolerance: 1e-8 });
 * ```
 */
export interface JacobiOptions {
  /** Safety limit on sweeps (convergence is quadratic; ~6–10 sweeps is typical). Default `100`. */
  maxSweeps?: number;
  /**
   * Allowed asymmetry |A[i][j] − A[j][i]| relative to max|A| before the input is rejected.
   * Default `1e-10`. Within tolerance, the matrix is symmetrized by averaging.
   */
  symmetryTolerance?: number;
}

const JACOBI_OPTIONS: OptionsSpec<JacobiOptions> = {
  maxSweeps: option.integer({ min: 1 }),
  symmetryTolerance: option.number({ min: 0 }),
};

/**
 * Result of {@link jacobiEigen}.
 *
 * @example
 * ```ts
 * const { values, vectors, sweeps }: JacobiResult = jacobiEigen([[2, 1], [1, 2]]); // values [1, 3]
 * ```
 */
export interface JacobiResult {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** `vectors[i]` is the unit eigenvector for `values[i]`; the vectors are orthonormal. */
  vectors: Float64Array[];
  /** Sweeps performed. */
  sweeps: number;
}

/**
 * All eigenvalues and eigenvectors of a dense symmetric matrix, given as rows (`number[][]`) or flat
 * row-major with n² entries — the form `@dualtape/core`'s `hessian` returns, so
 * `jacobiEigen(hessian(f, x))` is the whole spectrum of a small Hessian.
 *
 * Any finite entries work, from subnormal to near the largest double: the iteration runs on the
 * matrix scaled by a power of two, so scaling A by 2ᵉ (without under- or overflowing an entry) scales
 * the eigenvalues by exactly 2ᵉ and leaves the eigenvectors unchanged. An eigenvalue beyond the
 * float64 range (e.g. 2e308 of `[[1e308, 1e308], [1e308, 1e308]]`) comes out as ±Infinity.
 *
 * @example
 * ```ts
 * const { values, vectors } = jacobiEigen([[2, 1], [1, 2]]);
 * values;     // [1, 3]
 * vectors[1]; // ±[0.7071, 0.7071]
 * jacobiEigen(Float64Array.of(2, 1, 1, 2)).values; // the same matrix, flat: [1, 3]
 * ```
 * @throws {DimensionMismatchError} when a row's length differs from the number of rows.
 * @throws {NonFiniteValueError} on NaN/±Infinity entries.
 * @throws {CurvatureInputError} when the matrix is empty, not square or not symmetric.
 * @throws {CurvatureOptionError} for an unknown option or an option of the wrong type or range.
 */
export function jacobiEigen(matrix: SquareMatrix, options?: JacobiOptions): JacobiResult {
  noExtraArguments('jacobiEigen', arguments, 2, 'jacobiEigen(matrix, options)', undefined, extraArgumentError);
  const where = 'jacobiEigen';
  const opts = checkedOptions(where, options, JACOBI_OPTIONS);
  const { n, a } = squareMatrix(where, matrix);
  const maxSweeps = opts.maxSweeps ?? 100;
  const symTol = opts.symmetryTolerance ?? 1e-10;
  let maxAbs = 0;
  for (let k = 0; k < n * n; k++) maxAbs = Math.max(maxAbs, Math.abs(a[k]));
  // Work on A·2⁻ᵉ with max|entry| in [1, 2): squares of entries beyond ~1e154 or below ~1e-162 would
  // overflow or underflow the convergence test, which then passed before any rotation. Power-of-two
  // scaling is exact and the rotations are scale-invariant, so only the eigenvalues are rescaled.
  const exponent = maxAbs > 0 ? binaryExponent(maxAbs) : 0;
  const scaledMax = timesPowerOfTwo(maxAbs, -exponent);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = timesPowerOfTwo(a[i * n + i], -exponent);
    for (let j = i + 1; j < n; j++) {
      const aij = a[i * n + j];
      const aji = a[j * n + i];
      // Compared scaled, so neither the difference nor symTol·max|A| can over- or underflow.
      const sij = timesPowerOfTwo(aij, -exponent);
      const sji = timesPowerOfTwo(aji, -exponent);
      if (Math.abs(sij - sji) > symTol * scaledMax) {
        throw new CurvatureInputError(
          `${where}: matrix is not symmetric: A[${i}][${j}] = ${aij}, A[${j}][${i}] = ${aji}; ` +
            `expected equal within ${symTol * maxAbs}`,
        );
      }
      a[i * n + j] = a[j * n + i] = 0.5 * (sij + sji);
    }
  }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;

  let frob2 = 0;
  for (let i = 0; i < n * n; i++) frob2 += a[i] * a[i];
  let sweeps = 0;
  for (;;) {
    let off2 = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off2 += 2 * a[i * n + j] ** 2;
    // Weyl: eigenvalues of A equal its diagonal up to ‖offdiag‖, so ε‖A‖_F is backward-stable.
    if (off2 <= (Number.EPSILON * Number.EPSILON) * frob2) break;
    if (sweeps === maxSweeps) {
      throw new CurvatureConvergenceError(`${where}: not converged after ${maxSweeps} sweeps`);
    }
    sweeps++;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) rotate(a, v, n, p, q);
    }
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[x * n + x] - a[y * n + y]);
  return {
    values: Float64Array.from(order, (i) => timesPowerOfTwo(a[i * n + i], exponent)),
    vectors: order.map((col) => Float64Array.from({ length: n }, (_, r) => v[r * n + col])),
    sweeps,
  };
}

/** ⌊log₂ x⌋ for finite x > 0 (subnormals included); Math.log2 alone may round across a power of two. */
function binaryExponent(x: number): number {
  let e = Math.floor(Math.log2(x));
  if (2 ** e > x) e--;
  else if (2 ** (e + 1) <= x) e++;
  return e;
}

/** x·2ᵉ for |e| ≤ 2046, in two factors: 2ᵉ itself is not a double for e > 1023 or e < −1074. */
function timesPowerOfTwo(x: number, e: number): number {
  const half = Math.trunc(e / 2);
  return x * 2 ** half * 2 ** (e - half);
}

/** One Jacobi rotation zeroing a[p][q] (Numerical Recipes' stable form, tan θ of smaller angle). */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q];
  if (apq === 0) return;
  const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
  // For huge θ, θ² overflows; t ≈ 1/(2θ) there.
  const t =
    Math.abs(theta) > 1e150
      ? 1 / (2 * theta)
      : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  a[p * n + p] -= t * apq;
  a[q * n + q] += t * apq;
  a[p * n + q] = a[q * n + p] = 0;
  for (let r = 0; r < n; r++) {
    if (r !== p && r !== q) {
      const arp = a[r * n + p];
      const arq = a[r * n + q];
      a[r * n + p] = a[p * n + r] = c * arp - s * arq;
      a[r * n + q] = a[q * n + r] = s * arp + c * arq;
    }
    const vrp = v[r * n + p];
    const vrq = v[r * n + q];
    v[r * n + p] = c * vrp - s * vrq;
    v[r * n + q] = s * vrp + c * vrq;
  }
}
