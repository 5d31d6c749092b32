/**
 * A cheap randomized symmetry test for matrix-free operators.
 *
 * Lanczos, power iteration and Hutchinson's density all silently return wrong answers for a
 * non-symmetric operator (a common bug: a Jacobian passed where a Hessian was meant). For
 * symmetric A, uᵀ(Av) = vᵀ(Au) for every u, v; for random u, v a non-symmetric A violates this
 * with probability 1. Two products are a small price next to the tens a Krylov method spends.
 */
import type { LinearOperator } from './operator.js';
import { createRng, DEFAULT_SEED } from './random.js';
import { dot, norm, normalVector } from './kernels.js';
import { noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import { checkedApply, checkedOptions } from './validate.js';
import { SEED_RULE } from './option-rules.js';
import { checkSize } from './checks.js';
import { NonSymmetricOperatorError } from './errors.js';
import { extraArgumentError } from './arity.js';

/**
 * Options of {@link assertSymmetric}.
 *
 * @example
 * ```ts
 * assertSymmetric(hessianOp, n, { symmetryTolerance: 1e-8, where: 'myOptimizer' });
 * ```
 */
export interface SymmetryCheckOptions {
  /** Seed of the two Gaussian probes. Default {@link DEFAULT_SEED}. */
  seed?: number;
  /**
   * Allowed |uᵀAv − vᵀAu| relative to the scale ‖u‖‖Av‖ + ‖v‖‖Au‖. Default `1e-6`: far above
   * the rounding of exact (AD) Hessian products, far below the asymmetry of a genuine bug.
   */
  symmetryTolerance?: number;
  /** Routine name used in the error message. Default `'assertSymmetric'`. */
  where?: string;
}

const SYMMETRY_CHECK_OPTIONS: OptionsSpec<SymmetryCheckOptions> = {
  seed: SEED_RULE,
  symmetryTolerance: option.number({ min: 0 }),
  where: option.string(),
};

/**
 * Throws {@link NonSymmetricOperatorError} if `apply` is detectably non-symmetric on two
 * random probes. Returns the number of products used (always 2).
 *
 * @throws {NonSymmetricOperatorError} when uᵀ(Av) and vᵀ(Au) differ by more than the tolerance.
 * @throws {CurvatureInputError} when `n` is not an integer in [1, 2²⁸], or `apply` is not a function (or
 *   returns something other than a `Float64Array`).
 * @throws {DimensionMismatchError} / {NonFiniteValueError} when an operator output has the wrong length or is not finite.
 * @throws {CurvatureOptionError} for an unknown option or an option of the wrong type or range.
 * @example
 * ```ts
 * assertSymmetric(denseOperator([[1, 2], [2, 1]]), 2); // ok, returns 2
 * assertSymmetric(denseOperator([[1, 2], [0, 1]]), 2); // throws NonSymmetricOperatorError
 * ```
 */
export function assertSymmetric(apply: LinearOperator, n: number, options?: SymmetryCheckOptions): number {
  noExtraArguments('assertSymmetric', arguments, 3, 'assertSymmetric(apply, n, options)', undefined, extraArgumentError);
  // Callers pass their own name in `where`; option problems are reported under it too.
  const name = options !== null && typeof options === 'object' && typeof options.where === 'string' ? options.where : 'assertSymmetric';
  const opts = checkedOptions(name, options, SYMMETRY_CHECK_OPTIONS);
  const where = opts.where ?? 'assertSymmetric';
  checkSize(where, 'n', n);
  const tol = opts.symmetryTolerance ?? 1e-6;
  const rng = createRng(opts.seed ?? DEFAULT_SEED);
  const u = normalVector(rng, n);
  const v = normalVector(rng, n);
  const Au = checkedApply(where, 'operator output', apply, u);
  const Av = checkedApply(where, 'operator output', apply, v);
  const uAv = dot(u, Av);
  const vAu = dot(v, Au);
  const allowed = tol * (norm(u) * norm(Av) + norm(v) * norm(Au));
  if (!(Math.abs(uAv - vAu) <= allowed)) throw new NonSymmetricOperatorError(where, uAv, vAu, allowed);
  return 2;
}
