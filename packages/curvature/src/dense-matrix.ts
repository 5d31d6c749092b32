/**
 * The two ways a small dense matrix arrives: as rows (`number[][]`), or flat and row-major (a
 * `Float64Array` or `number[]` of n² entries) — the form `@dualtape/core`'s `hessian` returns.
 */
import { describeValue, noExtraArguments } from '@dualtape/core';
import { CurvatureInputError } from './errors.js';
import { label } from './text.js';
import { checkFinite, checkLength } from './validate.js';
import { extraArgumentError } from './arity.js';

/**
 * A square matrix as rows, or flat row-major with n² entries.
 *
 * @example
 * ```ts
 * const rows: SquareMatrix = [[2, 1], [1, 2]];
 * const flat: SquareMatrix = Float64Array.of(2, 1, 1, 2); // e.g. hessian(f, x)
 * ```
 */
export type SquareMatrix = ReadonlyArray<ArrayLike<number>> | Float64Array | readonly number[];

/**
 * Copies a {@link SquareMatrix} into a fresh flat row-major `Float64Array`, checking that it is square,
 * non-empty and finite. Returns the size n and the entries.
 *
 * @throws {CurvatureInputError} when the matrix is empty, a flat length is not a perfect square, or
 *   rows are mixed with numbers.
 * @throws {DimensionMismatchError} when a row's length differs from the number of rows.
 * @throws {NonFiniteValueError} on NaN/±Infinity entries.
 * @example
 * ```ts
 * squareMatrix('jacobiEigen', [[1, 2], [2, 1]]); // { n: 2, a: Float64Array [1, 2, 2, 1] }
 * ```
 */
export function squareMatrix(where: string, matrix: SquareMatrix): { n: number; a: Float64Array } {
  noExtraArguments('squareMatrix', arguments, 2, 'squareMatrix(where, matrix)', undefined, extraArgumentError);
  where = label(where);
  const isRows = Array.isArray(matrix) && matrix.length > 0 && typeof matrix[0] !== 'number';
  if (!isRows) return flatSquare(where, matrix as Float64Array | readonly number[]);
  const rows = matrix as ReadonlyArray<ArrayLike<number>>;
  const n = rows.length;
  // Plain loops, not forEach: forEach skips the holes of a sparse array (new Array(3)), which would
  // leave those rows silently zero. Shapes are checked before the n² allocation, so a long array that is
  // not a matrix is reported as such rather than failing to allocate.
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new CurvatureInputError(
        `${where}: row ${i} is ${row === null ? 'null' : typeof row}; expected every row to be an array of ${n} numbers`,
      );
    }
    checkLength(where, `row ${i}`, row, n);
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    checkFinite(where, `row ${i}`, row);
    for (let j = 0; j < n; j++) a[i * n + j] = row[j];
  }
  return { n, a };
}

function flatSquare(where: string, flat: Float64Array | readonly number[]): { n: number; a: Float64Array } {
  if (!(flat instanceof Float64Array) && !Array.isArray(flat)) {
    throw new CurvatureInputError(
      `${where}: matrix must be rows (number[][]) or flat row-major (Float64Array or number[] of n² entries), got ${describeValue(flat)}`,
    );
  }
  if (flat.length === 0) throw new CurvatureInputError(`${where}: matrix must have at least 1 row, got 0`);
  const n = Math.round(Math.sqrt(flat.length));
  if (n * n !== flat.length) {
    throw new CurvatureInputError(
      `${where}: a flat matrix must have n² entries (row-major n×n), got ${flat.length}, which is not a perfect square`,
    );
  }
  for (let k = 0; k < flat.length; k++) {
    if (typeof flat[k] !== 'number') {
      throw new CurvatureInputError(
        `${where}: entry ${k} is ${typeof flat[k]}; a matrix is either all rows (number[][]) or all numbers (flat row-major)`,
      );
    }
  }
  checkFinite(where, 'matrix', flat);
  return { n, a: Float64Array.from(flat) };
}
