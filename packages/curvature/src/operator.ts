/**
 * The one abstraction every routine in this package consumes: a matrix-free linear operator.
 */
import { checkFinite, checkLength } from './validate.js';
import { CurvatureInputError } from './errors.js';

/**
 * A linear map `v ↦ A·v` on `Float64Array`s of a fixed length. Symmetric unless a routine says
 * otherwise. Typically `v ↦ H(x)·v` from `@dualtape/core`'s `hvpOperator`.
 *
 * Implementations must not mutate `v`; they may return `v` itself or a reused buffer, since
 * every routine here copies the product before keeping it.
 *
 * @example
 * ```ts
 * const diag: LinearOperator = v => v.map((vi, i) => (i + 1) * vi);
 * ```
 */
export type LinearOperator = (v: Float64Array) => Float64Array;

/**
 * Wraps a dense matrix (rows) as a {@link LinearOperator} — handy for small problems and tests.
 * The rows are copied, so later edits to `rows` do not change the operator.
 *
 * @example
 * ```ts
 * const A = denseOperator([[2, 1], [1, 3]]);
 * A(Float64Array.of(1, 0)); // Float64Array [2, 1]
 * ```
 */
export function denseOperator(rows: ReadonlyArray<ArrayLike<number>>): LinearOperator {
  const n = rows.length;
  if (n === 0) throw new CurvatureInputError('denseOperator: matrix must have at least 1 row, got 0');
  const a = new Float64Array(n * n);
  rows.forEach((row, i) => {
    checkLength('denseOperator', `row ${i}`, row, n);
    checkFinite('denseOperator', `row ${i}`, row);
    for (let j = 0; j < n; j++) a[i * n + j] = row[j];
  });
  return (v: Float64Array) => {
    checkLength('denseOperator', 'v', v, n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * v[j];
      out[i] = s;
    }
    return out;
  };
}
