/**
 * The one abstraction every routine in this package consumes: a matrix-free linear operator.
 */
import { noExtraArguments } from '@dualtape/core';
import { checkLength } from './validate.js';
import { squareMatrix, type SquareMatrix } from './dense-matrix.js';
import { extraArgumentError } from './arity.js';

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
 * Wraps a dense matrix — rows, or flat row-major with n² entries as `hessian` returns — as a
 * {@link LinearOperator}; handy for small problems and tests. The entries are copied, so later edits
 * to the matrix do not change the operator.
 *
 * @example
 * ```ts
 * const A = denseOperator([[2, 1], [1, 3]]);
 * A(Float64Array.of(1, 0)); // Float64Array [2, 1]
 * denseOperator(Float64Array.of(2, 1, 1, 3)); // the same operator
 * ```
 */
export function denseOperator(matrix: SquareMatrix): LinearOperator {
  noExtraArguments('denseOperator', arguments, 1, 'denseOperator(matrix)', undefined, extraArgumentError);
  const { n, a } = squareMatrix('denseOperator', matrix);
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
