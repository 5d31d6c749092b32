/**
 * Errors for the commonest wrong kinds of operator and oracle, with a pointer to the fix (internal: not
 * exported from the package index).
 */
import { describeValue } from '@dualtape/core';
import { CurvatureInputError } from './errors.js';
import { label } from './text.js';

/**
 * Whether `v` is a Promise or another thenable: what an `async` oracle or operator returns. Its
 * fields are all undefined, so without this test the message said "value must be a number, got undefined".
 */
export function isThenable(v: unknown): boolean {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * The error for `op` where a function `expected` belongs (`what` is e.g. 'the operator'). An object with an
 * `applyFlat` method is core's `hvpOperator` (or a compiled program's) passed whole: the message says to
 * pass its `applyFlat`, the product on flat `Float64Array`s.
 *
 * @example
 * ```ts
 * if (typeof op !== 'function') throw notAFunction('cg', 'the operator', op, 'v => A·v');
 * // cg: the operator must be a function v => A·v, got an object with an applyFlat method (an hvpOperator?); pass H.applyFlat …
 * ```
 */
export function notAFunction(where: string, what: string, op: unknown, expected: string): CurvatureInputError {
  const head = `${label(where)}: ${label(what)} must be a function ${expected}`;
  if (typeof op === 'object' && op !== null && typeof (op as { applyFlat?: unknown }).applyFlat === 'function') {
    return new CurvatureInputError(
      `${head}, got an object with an applyFlat method (an hvpOperator?); pass H.applyFlat, its product on flat Float64Arrays, not H itself`,
    );
  }
  return new CurvatureInputError(`${head}, got ${describeValue(op)}`);
}
