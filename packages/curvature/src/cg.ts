/**
 * (Preconditioned) conjugate gradients for `A x = b` with a matrix-free symmetric operator.
 */
import type { LinearOperator } from './operator.js';
import { axpy, dot, norm } from './kernels.js';
import { noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import { checkedApply, checkedOptions, checkFinite, checkLength } from './validate.js';
import { CurvatureInputError } from './errors.js';
import { extraArgumentError } from './arity.js';

/**
 * Why {@link cg} stopped.
 *
 * @example
 * ```ts
 * const { reason } = cg(denseOperator([[1, 0], [0, -1]]), Float64Array.of(1, 1)); // 'negative-curvature'
 * ```
 */
export type CGReason = 'converged' | 'max-iterations' | 'negative-curvature';

/**
 * Options of {@link cg}.
 *
 * @example
 * ```ts
 * cg(A, b, { tolerance: 1e-12, maxIterations: 50, onNegativeCurvature: 'continue' });
 * ```
 */
export interface CGOptions {
  /** Stop when ‖b − A x‖ ≤ tolerance·‖b‖ (relative residual). Default `1e-10`. */
  tolerance?: number;
  /** Maximum number of iterations (= operator products after the first). Default `2·n`. */
  maxIterations?: number;
  /** Starting guess (default zeros). Costs one extra product to form the initial residual. */
  start?: Float64Array;
  /** Applies M⁻¹ for a symmetric positive definite preconditioner M ≈ A. */
  preconditioner?: LinearOperator;
  /**
   * What to do on a direction with pᵀAp ≤ 0 (A not positive definite).
   * `'stop'` (default) returns at once with reason `'negative-curvature'`.
   * `'continue'` records the first such direction and keeps iterating (CG still solves a
   * nonsingular indefinite system when it does not break down); it only stops if pᵀAp = 0.
   */
  onNegativeCurvature?: 'stop' | 'continue';
}

const CG_OPTIONS: OptionsSpec<CGOptions> = {
  tolerance: option.number({ min: 0 }),
  maxIterations: option.integer({ min: 0 }),
  start: option.float64Array(),
  preconditioner: option.function(),
  onNegativeCurvature: option.literal('stop', 'continue'),
};

/**
 * Result of {@link cg}.
 *
 * @example
 * ```ts
 * const { x, iterations, residualNorm, reason }: CGResult = cg(denseOperator([[4, 1], [1, 3]]), Float64Array.of(1, 2));
 * ```
 */
export interface CGResult {
  /** Final iterate. On `'negative-curvature'` this is the iterate before the offending step. */
  x: Float64Array;
  /** Completed CG steps. */
  iterations: number;
  /** ‖r‖ of the recursively updated residual (equals ‖b − A x‖ up to rounding). */
  residualNorm: number;
  /** Why it stopped. */
  reason: CGReason;
  /** Number of products with A (preconditioner applications are not counted). */
  applies: number;
  /** First search direction p with pᵀAp ≤ 0, if one was met. */
  direction?: Float64Array;
  /** pᵀAp for `direction`. */
  curvature?: number;
}

/**
 * Solves `A x = b` for symmetric positive definite `A` given only `v ↦ A v`.
 *
 * Meant for Hessian systems `H x = b` where each product is one forward-over-reverse sweep,
 * so it counts products in `applies` and detects non-positive curvature instead of silently
 * producing garbage when H is indefinite.
 *
 * @example
 * ```ts
 * const A = denseOperator([[4, 1], [1, 3]]);
 * const { x, reason } = cg(A, Float64Array.of(1, 2)); // x ≈ [1/11, 7/11], 'converged'
 * ```
 * @throws {DimensionMismatchError} when `start` or an operator output has the wrong length.
 * @throws {NonFiniteValueError} when `b` or an operator output is not finite.
 * @throws {CurvatureOptionError} for an unknown option or an option of the wrong type or range.
 * @throws {CurvatureInputError} for a preconditioner with rᵀM⁻¹r ≤ 0.
 */
export function cg(apply: LinearOperator, b: Float64Array, options?: CGOptions): CGResult {
  noExtraArguments('cg', arguments, 3, 'cg(apply, b, options)', undefined, extraArgumentError);
  const where = 'cg';
  const opts = checkedOptions(where, options, CG_OPTIONS);
  checkFinite(where, 'b', b);
  const n = b.length;
  const tol = opts.tolerance ?? 1e-10;
  const maxIter = opts.maxIterations ?? 2 * n;
  const mode = opts.onNegativeCurvature ?? 'stop';
  let applies = 0;
  const A = (v: Float64Array): Float64Array => {
    applies++;
    return checkedApply(where, 'operator output', apply, v);
  };
  const precond = opts.preconditioner;
  const M = (r: Float64Array): Float64Array =>
    precond ? checkedApply(where, 'preconditioner output', precond, r) : r;

  const x = new Float64Array(n);
  if (opts.start) {
    checkLength(where, 'start', opts.start, n);
    checkFinite(where, 'start', opts.start);
    x.set(opts.start);
  }
  const bNorm = norm(b);
  // b = 0 has the exact answer x = 0 for nonsingular A; a relative test against ‖b‖ = 0
  // could never be met from a nonzero start, so answer directly.
  if (bNorm === 0) {
    return { x: new Float64Array(n), iterations: 0, residualNorm: 0, reason: 'converged', applies };
  }
  // CG is invariant under b → b/β, its squares (rᵀz, pᵀAp) are not: at ‖b‖ = 1e-170 they underflowed
  // to a false 'negative-curvature', at 1e160 they overflowed to NaN. So it solves A·x' = b/β, β a
  // power of two near ‖b‖ (the scaling exact), and reports x = β·x' and the rest in b's units.
  const beta = 2 ** Math.max(-1074, Math.min(1023, Math.round(Math.log2(bNorm))));
  for (let i = 0; i < n; i++) x[i] /= beta;
  const r = b.map((v) => v / beta);
  if (opts.start) axpy(-1, A(x), r);
  const target = tol * (bNorm / beta);
  let rNorm = norm(r);
  const done = (reason: CGReason, iterations: number, extra: Partial<CGResult> = {}): CGResult => {
    for (let i = 0; i < n; i++) x[i] *= beta;
    const scaled: Partial<CGResult> = extra.direction
      ? { direction: extra.direction.map((v) => v * beta), curvature: (extra.curvature ?? 0) * beta * beta }
      : {};
    return { x, iterations, residualNorm: rNorm * beta, reason, applies, ...extra, ...scaled };
  };
  if (rNorm <= target) return done('converged', 0);

  let z = M(r);
  let rz = checkPreconditioned(dot(r, z), precond !== undefined);
  const p = Float64Array.from(z);
  let direction: Float64Array | undefined;
  let curvature: number | undefined;
  const negative = (): Partial<CGResult> => (direction ? { direction, curvature } : {});

  for (let it = 0; it < maxIter; ) {
    const Ap = A(p);
    const pAp = dot(p, Ap);
    if (!(pAp > 0)) {
      if (!direction) {
        direction = Float64Array.from(p);
        curvature = pAp;
      }
      // pAp = 0 makes the step length undefined, so even 'continue' must stop there.
      if (mode === 'stop' || pAp === 0) return done('negative-curvature', it, negative());
    }
    const alpha = rz / pAp;
    axpy(alpha, p, x);
    axpy(-alpha, Ap, r);
    it++;
    rNorm = norm(r);
    if (rNorm <= target) return done('converged', it, negative());
    if (it === maxIter) break;
    z = M(r);
    const rzNew = checkPreconditioned(dot(r, z), precond !== undefined);
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
  }
  return done('max-iterations', maxIter, negative());
}

function checkPreconditioned(rz: number, hasPreconditioner: boolean): number {
  // Without a preconditioner rz = ‖r‖² > 0 here. With one, rᵀM⁻¹r ≤ 0 means M is not SPD,
  // and CG's step lengths would be meaningless: report it rather than return nonsense.
  if (hasPreconditioner && !(rz > 0)) {
    throw new CurvatureInputError(
      `cg: preconditioner must be positive definite: expected rᵀM⁻¹r > 0, got ${rz}`,
    );
  }
  return rz;
}
