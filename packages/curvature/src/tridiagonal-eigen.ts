/**
 * Eigen-decomposition of a real symmetric tridiagonal matrix by the implicit QL algorithm with
 * Wilkinson-type shifts (EISPACK `tql2`, as in JAMA). Lanczos reduces an operator to exactly
 * such a matrix T, so this is the inner solver of {@link lanczos} and {@link spectralDensity}.
 */
import { describeValue, noExtraArguments } from '@dualtape/core';
import { CurvatureConvergenceError, CurvatureInputError } from './errors.js';
import { checkFinite, checkLength, checkVector } from './validate.js';
import { extraArgumentError } from './arity.js';

/**
 * Result of {@link tridiagonalEigen}.
 *
 * @example
 * ```ts
 * const { values, vectors }: TridiagonalEigenResult = tridiagonalEigen([2, 2], [1]); // values [1, 3]
 * ```
 */
export interface TridiagonalEigenResult {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** `vectors[i]` is the unit eigenvector for `values[i]`. */
  vectors: Float64Array[];
}

/**
 * Eigenvalues and eigenvectors of the symmetric tridiagonal matrix with diagonal `diag`
 * (length m) and off-diagonal `offDiag` (length m − 1, `offDiag[i]` = T[i][i+1]).
 *
 * @example
 * ```ts
 * const { values } = tridiagonalEigen([2, 2], [1]); // [1, 3]
 * ```
 * @throws {DimensionMismatchError} when `offDiag.length !== diag.length − 1` (diag non-empty).
 * @throws {NonFiniteValueError} on NaN/±Infinity entries.
 */
export function tridiagonalEigen(diag: ArrayLike<number>, offDiag: ArrayLike<number>): TridiagonalEigenResult {
  noExtraArguments('tridiagonalEigen', arguments, 2, 'tridiagonalEigen(diag, offDiag)', undefined, extraArgumentError);
  checkVector('tridiagonalEigen', 'diag', diag);
  const m = diag.length;
  const all = Array.from({ length: m }, (_, i) => i);
  const { values, rows } = tridiagonalEigenRows(diag, offDiag, all);
  const vectors = Array.from({ length: m }, (_, i) => Float64Array.from(rows, (row) => row[i]));
  return { values, vectors };
}

/** `which` must be an array of row indices in [0, n − 1] (an index outside would silently give a zero row). */
function checkRowIndices(where: string, which: unknown, n: number): void {
  const expected = n > 0 ? `an array of row indices, integers in [0, ${n - 1}]` : 'an empty array (the matrix has no rows)';
  if (!Array.isArray(which)) {
    throw new CurvatureInputError(`${where}: which must be ${expected}, got ${describeValue(which)}`);
  }
  for (let t = 0; t < which.length; t++) {
    const r: unknown = which[t];
    if (!Number.isInteger(r) || (r as number) < 0 || (r as number) >= n) {
      throw new CurvatureInputError(`${where}: which[${t}] is ${describeValue(r)}; which must be ${expected}`);
    }
  }
}

/**
 * Like {@link tridiagonalEigen} but returns only the requested rows of the eigenvector matrix:
 * `rows[t][i]` is component `which[t]` of eigenvector i. Rotations act on columns, so each row
 * evolves independently and tracking one row costs O(m) per sweep instead of O(m²). Lanczos
 * needs just the last row (residual bounds) and quadrature just the first (weights).
 *
 * @example
 * ```ts
 * const { values, rows } = tridiagonalEigenRows([2, 2], [1], [0]);
 * rows[0][0] ** 2 + rows[0][1] ** 2; // 1
 * ```
 * @throws {DimensionMismatchError} when `offDiag.length !== diag.length − 1` (diag non-empty).
 * @throws {NonFiniteValueError} on NaN/±Infinity entries.
 * @throws {CurvatureInputError} when `diag` or `offDiag` is not a vector, or `which` is not an array of
 *   integers in [0, m − 1].
 */
export function tridiagonalEigenRows(
  diag: ArrayLike<number>,
  offDiag: ArrayLike<number>,
  which: ReadonlyArray<number>,
): { values: Float64Array; rows: Float64Array[] } {
  noExtraArguments('tridiagonalEigenRows', arguments, 3, 'tridiagonalEigenRows(diag, offDiag, which)', undefined, extraArgumentError);
  const where = 'tridiagonalEigen';
  checkVector(where, 'diag', diag);
  const n = diag.length;
  // An empty matrix has no off-diagonal either: with diag = [] an offDiag of any length was ignored.
  checkLength(where, 'offDiag', offDiag, Math.max(0, n - 1));
  checkFinite(where, 'diag', diag);
  checkFinite(where, 'offDiag', offDiag);
  checkRowIndices(where, which, n);
  const d = Float64Array.from(diag);
  const e = new Float64Array(n); // e[i] couples i and i+1; e[n-1] = 0 terminates the search
  for (let i = 0; i + 1 < n; i++) e[i] = offDiag[i];
  const z = which.map((r) => {
    const row = new Float64Array(n);
    row[r] = 1;
    return row;
  });

  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) {
          throw new CurvatureConvergenceError(
            `${where}: QL iteration did not converge for eigenvalue ${l} after 60 sweeps`,
          );
        }
        // Shift from the leading 2×2 block.
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        // Implicit QL transformation, chasing the bulge from m up to l.
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (const row of z) {
            const t = row[i + 1];
            row[i + 1] = s * row[i] + c * t;
            row[i] = c * row[i] - s * t;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a] - d[b]);
  return {
    values: Float64Array.from(order, (i) => d[i]),
    rows: z.map((row) => Float64Array.from(order, (i) => row[i])),
  };
}
