/**
 * Entry-point checks shared by several routines (internal: not exported from the package index).
 */
import { describeValue } from '@dualtape/core';
import { CurvatureInputError } from './errors.js';
import { isThenable, notAFunction } from './hints.js';
import { checkInteger, checkLength } from './validate.js';

/**
 * Largest size `n` a routine accepts, 2²⁸: one vector is then 2 GiB, and every routine holds at least
 * three (CG's residual and direction, Lanczos' basis), 6 GiB or more. A larger `n` is a wrong argument
 * far more often than a problem size (dualtape's own operators are smaller: an nn spec has at most
 * 2²⁷ parameters), and it used to be accepted up to 2³² − 1, where filling the first random vector
 * exhausted memory — a crash no `catch` sees — before the operator could report its own length.
 */
export const MAX_VECTOR_LENGTH = 2 ** 28;

/**
 * Returns `n` if it is an integer in `[min, MAX_VECTOR_LENGTH]`, else throws {@link CurvatureInputError}.
 */
export function checkSize(where: string, what: string, n: number, min = 1): number {
  return checkInteger(where, what, n, min, MAX_VECTOR_LENGTH);
}

/**
 * Throws {@link CurvatureInputError} unless `f` is a function; `expected` says what it should compute.
 */
export function checkFunction(where: string, what: string, f: unknown, expected: string): void {
  if (typeof f !== 'function') {
    throw new CurvatureInputError(`${where}: ${what} must be a function ${expected}, got ${describeValue(f)}`);
  }
}

/**
 * Checks what an objective oracle returned at one point: an object with a numeric `value`, a
 * gradient vector of length `n` and, when `withApply`, a Hessian operator `apply`. NaN/±Infinity
 * values pass (callers treat them as a failed trial point); a value of the wrong kind does not, nor does
 * a Promise (an `async` oracle), which is named as such.
 */
export function checkOracleResult(where: string, result: unknown, n: number, withApply: boolean): void {
  const shape = withApply ? '{ value, grad, apply }' : '{ value, grad }';
  if (result === null || typeof result !== 'object') {
    throw new CurvatureInputError(`${where}: the oracle must return ${shape}, got ${describeValue(result)}`);
  }
  if (isThenable(result)) {
    throw new CurvatureInputError(`${where}: the oracle returned a Promise; it must be synchronous (not an async function) and return ${shape}`);
  }
  const r = result as { value?: unknown; grad?: unknown; apply?: unknown };
  if (typeof r.value !== 'number') {
    throw new CurvatureInputError(
      `${where}: the oracle's value must be a number f(x), got ${describeValue(r.value)} (it must return ${shape})`,
    );
  }
  checkLength(where, 'oracle gradient', r.grad as ArrayLike<number>, n);
  if (withApply && typeof r.apply !== 'function') throw notAFunction(where, "the oracle's apply", r.apply, 'v => ∇²f(x)·v');
}
