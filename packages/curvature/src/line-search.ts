/**
 * A line search for the strong Wolfe conditions: bracketing, then zoom with safeguarded cubic
 * interpolation (Nocedal & Wright, *Numerical Optimization*, Algorithms 3.5 and 3.6, as in scipy's
 * `scalar_search_wolfe2`), made robust for runs to tight tolerances:
 *
 * - **Rounding noise in f.** Near a minimum, f(x + αd) − f(x) can sink below the rounding error of f
 *   (a loss made of residuals that cancel, as in a physics-informed network, carries relative noise far
 *   above ε). Sufficient-decrease tests on such values are coin flips and a plain Wolfe search fails
 *   long before the gradient is small. Where f(α) is within `noise` of f(0), the search trusts the
 *   slope, which stays accurate: it accepts the approximate Wolfe conditions of Hager & Zhang (2005),
 *   −c₂|φ′(0)| ≤ φ′(α) ≤ (1 − 2δ)|φ′(0)|, and brackets by the sign of φ′.
 * - **Non-finite values.** A trial where f or φ′ is NaN/±Infinity is treated as "too far": the step
 *   shrinks toward the last finite point.
 */
import { describeValue, noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import { CurvatureInputError } from './errors.js';
import { checkedOptions } from './validate.js';
import { searchStrongWolfe } from './line-search-kernel.js';
import { extraArgumentError } from './arity.js';

/**
 * One evaluation of φ(α) = f(x + αd): the value, the slope φ′(α) = ∇f(x + αd)·d, and what the caller keeps.
 *
 * @example
 * ```ts
 * const p: LinePoint<Float64Array> = { alpha: 0.5, value: 1.25, slope: -0.1, payload: xTrial };
 * ```
 */
export interface LinePoint<P> {
  alpha: number;
  value: number;
  slope: number;
  /** The caller's data for this trial (typically x + αd and its gradient), handed back on success. */
  payload: P;
}

/**
 * φ(α) with its slope; `payload` is returned with the accepted point.
 *
 * @example
 * ```ts
 * const phi: LineFunction<number> = (a) => ({ value: (a - 2) ** 2, slope: 2 * (a - 2), payload: a });
 * ```
 */
export type LineFunction<P> = (alpha: number) => { value: number; slope: number; payload: P };

/**
 * Parameters of {@link strongWolfeSearch}.
 *
 * @example
 * ```ts
 * const params: StrongWolfeParameters = { c1: 1e-4, c2: 0.9, maxEvaluations: 30, noise: 1e-6 * Math.abs(f0) };
 * ```
 */
export interface StrongWolfeParameters {
  /** Sufficient-decrease constant c₁ of φ(α) ≤ φ(0) + c₁αφ′(0); 0 < c₁ < c₂. */
  c1: number;
  /** Curvature constant c₂ of |φ′(α)| ≤ c₂|φ′(0)|; c₁ < c₂ < 1. */
  c2: number;
  /** Evaluations of φ allowed before giving up. */
  maxEvaluations: number;
  /**
   * Absolute size of the rounding noise in φ: values within φ(0) + noise are not trusted to rank
   * points, and the approximate Wolfe conditions apply there. 0 turns that off.
   */
  noise: number;
}

/**
 * How the accepted point qualified: `'strong-wolfe'` (both conditions), `'approximate-wolfe'` (slope
 * conditions, with φ(α) within the noise of φ(0)), `'sufficient-decrease'` (only φ(α) ≤ φ(0) + c₁αφ′(0)
 * could be met within the evaluations: a usable decrease without the curvature condition), or
 * `'failed'` (no acceptable point; `point` is null).
 *
 * @example
 * ```ts
 * if (result.outcome === 'failed') restartWithSteepestDescent();
 * ```
 */
export type LineSearchOutcome = 'strong-wolfe' | 'approximate-wolfe' | 'sufficient-decrease' | 'failed';

/**
 * Result of {@link strongWolfeSearch}.
 *
 * @example
 * ```ts
 * const { outcome, point, evaluations }: LineSearchResult<number> = strongWolfeSearch(phi, f0, slope0, 1, params);
 * ```
 */
export interface LineSearchResult<P> {
  outcome: LineSearchOutcome;
  /** The accepted point, or null when the search failed. */
  point: LinePoint<P> | null;
  /** Evaluations of φ spent. */
  evaluations: number;
}

const STRONG_WOLFE_PARAMETERS: OptionsSpec<StrongWolfeParameters> = {
  c1: option.number({ above: 0, below: 1 }),
  c2: option.number({ above: 0, below: 1 }),
  maxEvaluations: option.integer({ min: 1 }),
  noise: option.number({ min: 0 }),
};

/**
 * Searches along a descent direction for a step satisfying the strong Wolfe conditions
 * φ(α) ≤ φ(0) + c₁αφ′(0) and |φ′(α)| ≤ c₂|φ′(0)| (or their approximate form inside the noise of φ).
 *
 * @param phi evaluates φ and φ′ at α (and the caller's payload).
 * @param value0 φ(0).
 * @param slope0 φ′(0); must be negative (d a descent direction).
 * @param alpha1 the first trial step (> 0).
 * @example
 * ```ts
 * // φ(α) = (α − 2)²: the exact minimizer α = 2 satisfies both conditions.
 * const phi = (a: number) => ({ value: (a - 2) ** 2, slope: 2 * (a - 2), payload: a });
 * const r = strongWolfeSearch(phi, 4, -4, 1, { c1: 1e-4, c2: 0.9, maxEvaluations: 20, noise: 0 });
 * r.outcome; // 'strong-wolfe'
 * ```
 * @throws {CurvatureInputError} when `phi` is not a function or returns something other than
 *   `{ value: number, slope: number, payload }`, `value0` is not a finite number, `slope0` is not a finite
 *   number < 0 (d is not a descent direction), `alpha1` is not a finite number > 0, `params` lacks one of
 *   c1, c2, maxEvaluations and noise, or `c1 ≥ c2`.
 * @throws {CurvatureOptionError} when `params` is not an object, has an unknown key, or a value out of
 *   range (0 < c₁ < 1, 0 < c₂ < 1, maxEvaluations an integer ≥ 1, noise ≥ 0).
 */
export function strongWolfeSearch<P>(
  phi: LineFunction<P>,
  value0: number,
  slope0: number,
  alpha1: number,
  params: StrongWolfeParameters,
): LineSearchResult<P> {
  noExtraArguments('strongWolfeSearch', arguments, 5, 'strongWolfeSearch(phi, value0, slope0, alpha1, params)', undefined, extraArgumentError);
  const where = 'strongWolfeSearch';
  if (typeof phi !== 'function') {
    throw new CurvatureInputError(`${where}: phi must be a function α => ({ value, slope, payload }), got ${describeValue(phi)}`);
  }
  if (typeof value0 !== 'number' || !Number.isFinite(value0)) {
    throw new CurvatureInputError(`${where}: value0 = φ(0) must be a finite number, got ${describeValue(value0)}`);
  }
  if (typeof slope0 !== 'number') {
    throw new CurvatureInputError(`${where}: slope0 = φ′(0) must be a number, got ${describeValue(slope0)}`);
  }
  if (typeof alpha1 !== 'number') {
    throw new CurvatureInputError(`${where}: alpha1 (the first trial step) must be a number, got ${describeValue(alpha1)}`);
  }
  // Outside these ranges the search returned 'failed' after no evaluation, which read like a hard problem.
  if (!(slope0 < 0 && Number.isFinite(slope0))) {
    const why = slope0 >= 0 ? ': d is not a descent direction (search along a d with ∇f·d < 0, e.g. d = −∇f)' : '';
    throw new CurvatureInputError(`${where}: slope0 = φ′(0) must be a finite number < 0, got ${slope0}${why}`);
  }
  if (!(alpha1 > 0 && Number.isFinite(alpha1))) {
    throw new CurvatureInputError(`${where}: alpha1 (the first trial step) must be a finite number > 0, got ${alpha1}`);
  }
  const checked = checkedOptions(where, params, STRONG_WOLFE_PARAMETERS);
  const { c1, c2, maxEvaluations, noise } = checked;
  for (const key of ['c1', 'c2', 'maxEvaluations', 'noise'] as const) {
    if (checked[key] === undefined) {
      throw new CurvatureInputError(`${where}: params.${key} is required (params is { c1, c2, maxEvaluations, noise })`);
    }
  }
  if (!(c1 < c2)) throw new CurvatureInputError(`${where}: params.c1 must be below params.c2, got c1 = ${c1}, c2 = ${c2}`);
  const checkedPhi: LineFunction<P> = (alpha) => {
    const r: unknown = phi(alpha);
    if (r === null || typeof r !== 'object') {
      throw new CurvatureInputError(`${where}: phi(${alpha}) must return { value, slope, payload }, got ${describeValue(r)}`);
    }
    const { value, slope } = r as { value: unknown; slope: unknown };
    if (typeof value !== 'number' || typeof slope !== 'number') {
      throw new CurvatureInputError(
        `${where}: phi(${alpha}) must return numbers value and slope, got value ${describeValue(value)} and slope ${describeValue(slope)}`,
      );
    }
    return r as ReturnType<LineFunction<P>>;
  };
  return searchStrongWolfe(checkedPhi, value0, slope0, alpha1, { c1, c2, maxEvaluations, noise });
}
