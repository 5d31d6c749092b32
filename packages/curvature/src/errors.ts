/**
 * Typed errors thrown by `@dualtape/curvature`.
 *
 * Every input error extends {@link CurvatureInputError}, so callers can catch the whole family
 * with one `instanceof` test and still branch on the specific subclass when they care. Calling
 * `lbfgs`, `newtonCG` or `adam` inside the function of another transform is not a bad argument but a
 * wrong place: that is `@dualtape/core`'s `NestedTransformError`, as for core's own top-level-only
 * `sparseHessian`.
 */
import type { OptionProblem } from '@dualtape/core';
import { label, show } from './text.js';

/**
 * Base class for invalid arguments: wrong sizes, out-of-range options, non-finite data.
 *
 * @example
 * ```ts
 * try {
 *   lanczos(apply, 10, 0);
 * } catch (e) {
 *   if (e instanceof CurvatureInputError) console.error(e.message);
 *   // "lanczos: k must be an integer in [1, 10], got 0"
 * }
 * ```
 */
export class CurvatureInputError extends Error {
  override name = 'CurvatureInputError';

  constructor(message?: string) {
    // A Symbol as the message would make Error's constructor itself throw a TypeError.
    super(message === undefined ? undefined : label(message));
  }
}

/**
 * A vector (argument or operator output) does not have the expected length.
 *
 * @example
 * ```ts
 * cg(v => v, new Float64Array(3), { start: new Float64Array(4) });
 * // DimensionMismatchError: cg: start has length 4, expected 3
 * ```
 */
export class DimensionMismatchError extends CurvatureInputError {
  override name = 'DimensionMismatchError';
  /** Length the routine needed. */
  readonly expected: number;
  /** Length it received. */
  readonly actual: number;

  constructor(where: string, what: string, expected: number, actual: number) {
    super(`${label(where)}: ${label(what)} has length ${show(actual)}, expected ${show(expected)}`);
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * A vector (argument or operator output) contains NaN or ±Infinity.
 *
 * @example
 * ```ts
 * cg(v => v, Float64Array.of(1, NaN));
 * // NonFiniteValueError: cg: b[1] is NaN, expected a finite number
 * ```
 */
export class NonFiniteValueError extends CurvatureInputError {
  override name = 'NonFiniteValueError';
  /** Index of the first offending entry (0 for scalars). */
  readonly index: number;
  /** The offending value. */
  readonly value: number;

  constructor(where: string, what: string, index: number, value: number) {
    super(`${label(where)}: ${label(what)} is ${show(value)}, expected a finite number`);
    this.index = index;
    this.value = value;
  }
}

/**
 * The probe test `uᵀ(Av) = vᵀ(Au)` failed: the operator handed to a symmetric-only method
 * (Lanczos, power iteration, Hutchinson density) is not symmetric.
 *
 * @example
 * ```ts
 * const shear = (v: Float64Array) => Float64Array.of(v[0] + 5 * v[1], v[1]);
 * lanczos(shear, 2, 1);
 * // NonSymmetricOperatorError: lanczos: operator is not symmetric: uᵀ(Av) = ..., vᵀ(Au) = ...
 * ```
 */
export class NonSymmetricOperatorError extends CurvatureInputError {
  override name = 'NonSymmetricOperatorError';
  /** uᵀ(Av) for the two probes. */
  readonly uAv: number;
  /** vᵀ(Au) for the same probes. */
  readonly vAu: number;

  constructor(where: string, uAv: number, vAu: number, allowed: number) {
    super(
      `${label(where)}: operator is not symmetric: uᵀ(Av) = ${show(uAv)}, vᵀ(Au) = ${show(vAu)}; ` +
        `expected them to agree within ${show(allowed)}`,
    );
    this.uAv = uAv;
    this.vAu = vAu;
  }
}

/**
 * An inner eigen-solver that always converges in exact arithmetic hit its safety limit.
 * Seeing this means the input was pathological (e.g. values near overflow); it is not a
 * normal "did not converge" outcome, which iterative methods report through their result.
 *
 * @example
 * ```ts
 * try { jacobiEigen(rows); } catch (e) { if (e instanceof CurvatureConvergenceError) ... }
 * ```
 */
export class CurvatureConvergenceError extends Error {
  override name = 'CurvatureConvergenceError';

  constructor(message?: string) {
    super(message === undefined ? undefined : label(message));
  }
}

/**
 * An options object that is not an object, has a key the routine does not take (the message lists the
 * valid names and suggests the nearest), or has a value of the wrong type or range. The facts are on
 * `problem` (see `OptionProblem` in `@dualtape/core`).
 *
 * @example
 * ```ts
 * newtonCG(f, x0, { maxIter: 50 });
 * // CurvatureOptionError: newtonCG: unknown option 'maxIter'; did you mean 'maxIterations'? Valid options: …
 * ```
 */
export class CurvatureOptionError extends CurvatureInputError {
  override name = 'CurvatureOptionError';
  /** Which function, which option, what was wrong, the valid names and the suggestion. */
  readonly problem: OptionProblem;

  constructor(message: string, problem: OptionProblem) {
    super(message);
    this.problem = problem;
  }
}
