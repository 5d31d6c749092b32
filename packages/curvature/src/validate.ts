/**
 * Argument checks shared by every routine. They throw the typed errors of `errors.ts` with
 * messages that name the routine, the argument, what was expected and what was received.
 */
import { checkOptions, describeValue, noExtraArguments, type OptionsSpec } from '@dualtape/core';
import { CurvatureInputError, CurvatureOptionError, DimensionMismatchError, NonFiniteValueError } from './errors.js';
import type { LinearOperator } from './operator.js';
import { label } from './text.js';
import { extraArgumentError } from './arity.js';
import { isThenable, notAFunction } from './hints.js';

/**
 * Checks a routine's options object against its spec with `@dualtape/core`'s `checkOptions` (unknown
 * keys, non-objects, wrong types and ranges) and returns it (`{}` when left out). Problems throw
 * {@link CurvatureOptionError}, so `instanceof CurvatureInputError` still catches every bad argument.
 *
 * @example
 * ```ts
 * const o = checkedOptions('cg', opts, CG_OPTIONS);
 * ```
 */
export function checkedOptions<O extends object>(where: string, opts: O | undefined, spec: OptionsSpec<O>): O {
  noExtraArguments('checkedOptions', arguments, 3, 'checkedOptions(where, options, spec)', undefined, extraArgumentError);
  return checkOptions(where, opts, spec, (message, problem) => new CurvatureOptionError(message, problem));
}

/**
 * Throws {@link DimensionMismatchError} unless `v.length === n`.
 *
 * @throws {CurvatureInputError} when `v` is not a vector, or `n` is not an integer ≥ 0.
 * @throws {DimensionMismatchError} when `v.length !== n`.
 * @example
 * ```ts
 * checkLength('cg', 'start', start, b.length);
 * ```
 */
export function checkLength(where: string, what: string, v: ArrayLike<number>, n: number): void {
  noExtraArguments('checkLength', arguments, 4, 'checkLength(where, what, v, n)', undefined, extraArgumentError);
  checkVector(where, what, v);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new CurvatureInputError(
      `${label(where)}: the expected length of ${label(what)} must be an integer ≥ 0, got ${describeValue(n)}`,
    );
  }
  if (v.length !== n) throw new DimensionMismatchError(where, what, n, v.length);
}

/**
 * Throws {@link CurvatureInputError} unless `v` is an array or a typed array of numbers (null, a
 * number, a string or a `BigInt64Array` where a vector belongs would otherwise fail inside the
 * routine with a TypeError).
 *
 * @example
 * ```ts
 * checkVector('cg', 'b', b);
 * ```
 */
export function checkVector(where: string, what: string, v: unknown): void {
  noExtraArguments('checkVector', arguments, 3, 'checkVector(where, what, v)', undefined, extraArgumentError);
  if (v instanceof Float64Array) return; // the common case, first: this runs on every operator output
  // BigInt64Array/BigUint64Array hold bigints, which no arithmetic here can mix with numbers.
  const numericView =
    ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
  if (!Array.isArray(v) && !numericView) {
    throw new CurvatureInputError(
      `${label(where)}: ${label(what)} must be a Float64Array (or an array of numbers), got ${describeValue(v)}`,
    );
  }
}

/**
 * Throws {@link NonFiniteValueError} at the first NaN/±Infinity entry of `v` (or entry that is not
 * a number at all).
 *
 * @throws {CurvatureInputError} when `v` is not a vector.
 * @example
 * ```ts
 * checkFinite('cg', 'b', b);
 * ```
 */
export function checkFinite(where: string, what: string, v: ArrayLike<number>): void {
  noExtraArguments('checkFinite', arguments, 3, 'checkFinite(where, what, v)', undefined, extraArgumentError);
  checkVector(where, what, v);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) throw new NonFiniteValueError(where, `${label(what)}[${i}]`, i, v[i]);
  }
}

/**
 * Returns `value` if it is an integer in `[min, max]`, else throws {@link CurvatureInputError}
 * (also when `min` or `max` is not a number).
 *
 * @example
 * ```ts
 * const k = checkInteger('lanczos', 'k', 3, 1, n);
 * ```
 */
export function checkInteger(where: string, what: string, value: number, min: number, max = Infinity): number {
  noExtraArguments('checkInteger', arguments, 5, 'checkInteger(where, what, value, min, max)', undefined, extraArgumentError);
  checkBounds(where, what, min, max);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new CurvatureInputError(`${label(where)}: ${label(what)} must be an integer ${range}, got ${describeValue(value)}`);
  }
  return value;
}

/** The bounds handed to checkInteger/checkNumber must be numbers (comparing with a Symbol throws). */
function checkBounds(where: string, what: string, min: unknown, max: unknown): void {
  if (typeof min !== 'number' || Number.isNaN(min) || typeof max !== 'number' || Number.isNaN(max)) {
    throw new CurvatureInputError(
      `${label(where)}: the bounds for ${label(what)} must be numbers, got min ${describeValue(min)} and max ${describeValue(max)}`,
    );
  }
}

/**
 * Returns `value` if it is a finite number with `min ≤ value` (or `min < value` when
 * `strict`) and `value ≤ max`; otherwise throws {@link CurvatureInputError} (also when `min` or
 * `max` is not a number).
 *
 * @example
 * ```ts
 * const tol = checkNumber('cg', 'tol', opts.tol ?? 1e-10, 0);
 * ```
 */
export function checkNumber(
  where: string,
  what: string,
  value: number,
  min: number,
  max = Infinity,
  strict = false,
): number {
  noExtraArguments('checkNumber', arguments, 6, 'checkNumber(where, what, value, min, max, strict)', undefined, extraArgumentError);
  checkBounds(where, what, min, max);
  const ok = Number.isFinite(value) && (strict ? value > min : value >= min) && value <= max;
  if (!ok) {
    const lo = strict ? `> ${min}` : `≥ ${min}`;
    const range = max === Infinity ? lo : `${lo} and ≤ ${max}`;
    throw new CurvatureInputError(`${label(where)}: ${label(what)} must be a finite number ${range}, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Applies `op` to `v` and validates the output (length `n`, all finite), returning a fresh copy.
 *
 * The copy is deliberate: user operators may return their input (`v => v`) or a buffer they
 * reuse between calls, and the algorithms here keep products around or update them in place.
 * One O(n) copy is negligible next to any Hessian-vector product.
 *
 * @throws {CurvatureInputError} when `op` is not a function (an object with an `applyFlat` method, as
 *   core's `hvpOperator` returns, gets a pointer to `H.applyFlat`), `v` is not a `Float64Array`, or the
 *   output is not a `Float64Array` (a Promise is named as such).
 * @throws {DimensionMismatchError} when the output's length differs from `v.length`.
 * @throws {NonFiniteValueError} when the output has a NaN/±Infinity entry.
 * @example
 * ```ts
 * const Ap = checkedApply('cg', 'operator output', apply, p);
 * ```
 */
export function checkedApply(where: string, what: string, op: LinearOperator, v: Float64Array): Float64Array {
  noExtraArguments('checkedApply', arguments, 4, 'checkedApply(where, what, op, v)', undefined, extraArgumentError);
  // Names are only formatted on failure: this runs once per operator product inside the solvers.
  if (typeof op !== 'function') throw notAFunction(where, `the ${operatorName(what)}`, op, 'v => A·v');
  if (!(v instanceof Float64Array)) {
    throw new CurvatureInputError(
      `${label(where)}: the vector to apply the ${operatorName(what)} to must be a Float64Array, got ${describeValue(v)}`,
    );
  }
  const out = op(v);
  if (!(out instanceof Float64Array)) {
    const got = isThenable(out) ? `a Promise; the ${operatorName(what)} must be synchronous (not an async function)` : describeValue(out);
    throw new CurvatureInputError(`${label(where)}: ${label(what)} must be a Float64Array of length ${v.length}, got ${got}`);
  }
  checkLength(where, what, out, v.length);
  checkFinite(where, what, out);
  return Float64Array.from(out);
}

/** 'operator output' → 'operator', for messages about the operator itself. */
function operatorName(what: unknown): string {
  return label(what).replace(/ output$/, '');
}
