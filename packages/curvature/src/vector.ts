/**
 * The handful of BLAS-1 helpers the solvers need. Deliberately minimal.
 *
 * These exported forms check their arguments once (kind and length; entries of a plain array must be
 * numbers) and then run the unchecked kernels the solvers use in their inner loops.
 */
import { describeValue, noExtraArguments } from '@dualtape/core';
import * as kernels from './kernels.js';
import { CurvatureInputError, DimensionMismatchError } from './errors.js';
import { checkVector } from './validate.js';
import { extraArgumentError } from './arity.js';

/**
 * A vector argument as a `Float64Array`: typed arrays of numbers are used as they are (any numeric
 * typed array converted), plain arrays must hold only numbers and are copied.
 */
function numericVector(where: string, what: string, v: unknown): Float64Array {
  checkVector(where, what, v);
  if (v instanceof Float64Array) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'number') {
        throw new CurvatureInputError(`${where}: ${what}[${i}] is ${describeValue(v[i])}, expected a number`);
      }
    }
  }
  return Float64Array.from(v as ArrayLike<number>);
}

/** Throws {@link DimensionMismatchError} unless `b` is as long as `a`. */
function sameLength(where: string, what: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (b.length !== a.length) throw new DimensionMismatchError(where, what, a.length, b.length);
}

/**
 * Inner product `aᵀb`.
 *
 * @throws {CurvatureInputError} when `a` or `b` is not a vector of numbers.
 * @throws {DimensionMismatchError} when `b.length !== a.length`.
 * @example
 * ```ts
 * dot(Float64Array.of(1, 2), Float64Array.of(3, 4)); // 11
 * ```
 */
export function dot(a: Float64Array, b: Float64Array): number {
  noExtraArguments('dot', arguments, 2, 'dot(a, b)', undefined, extraArgumentError);
  const x = numericVector('dot', 'a', a);
  const y = numericVector('dot', 'b', b);
  sameLength('dot', 'b', x, y);
  return kernels.dot(x, y);
}

/**
 * Euclidean norm `‖a‖₂`. Rescales when entries are huge or tiny so that squaring cannot
 * overflow to Infinity or underflow to 0 (a trial point far out should not look "non-finite").
 *
 * @throws {CurvatureInputError} when `a` is not a vector of numbers.
 * @example
 * ```ts
 * norm(Float64Array.of(3, 4)); // 5
 * norm(Float64Array.of(1e200, 1e200)); // 1.414e200, not Infinity
 * ```
 */
export function norm(a: Float64Array): number {
  return kernels.norm(numericVector('norm', 'a', a));
}

/**
 * In-place `y ← y + α·x`; returns `y` for chaining.
 *
 * @throws {CurvatureInputError} when `alpha` is not a finite number, `x` is not a vector of numbers,
 *   or `y` is not a `Float64Array` (it is updated in place).
 * @throws {DimensionMismatchError} when `x.length !== y.length`.
 * @example
 * ```ts
 * const y = Float64Array.of(1, 1);
 * axpy(2, Float64Array.of(1, 2), y); // y = [3, 5]
 * ```
 */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): Float64Array {
  noExtraArguments('axpy', arguments, 3, 'axpy(alpha, x, y)', undefined, extraArgumentError);
  if (!Number.isFinite(alpha)) {
    throw new CurvatureInputError(`axpy: alpha must be a finite number, got ${describeValue(alpha)}`);
  }
  if (!(y instanceof Float64Array)) {
    throw new CurvatureInputError(`axpy: y must be a Float64Array (it is updated in place), got ${describeValue(y)}`);
  }
  const xs = numericVector('axpy', 'x', x);
  sameLength('axpy', 'x', y, xs);
  return kernels.axpy(alpha, xs, y);
}

/**
 * True when every entry is finite (a loop: typed-array `every` with a callback is several times slower).
 * Entries of a plain array that are not numbers count as not finite.
 *
 * @throws {CurvatureInputError} when `v` is not a vector.
 * @example
 * ```ts
 * allFinite(Float64Array.of(1, NaN)); // false
 * ```
 */
export function allFinite(v: Float64Array): boolean {
  checkVector('allFinite', 'v', v);
  return kernels.allFinite(v);
}
