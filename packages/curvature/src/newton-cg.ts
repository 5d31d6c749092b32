/**
 * Trust-region truncated Newton (Newton–CG / Steihaug) on flat `Float64Array` parameters.
 *
 * Each outer iteration needs f, ∇f and a Hessian-vector operator at the current point — exactly
 * what one forward-over-reverse recording gives — and never forms the Hessian.
 */
import type { LinearOperator } from './operator.js';
import { steihaug, type SteihaugReason } from './steihaug.js';
import { axpy, norm } from './kernels.js';
import { noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import { checkedApply, checkedOptions, checkFinite, checkNumber } from './validate.js';
import { checkFunction, checkOracleResult } from './checks.js';
import { CurvatureInputError, NonFiniteValueError } from './errors.js';
import { extraArgumentError } from './arity.js';

/**
 * What the objective provides at a point: value, gradient, and `v ↦ ∇²f(x)·v` there.
 *
 * @example
 * ```ts
 * // f(x) = ½‖x‖²: ∇f = x, H = I
 * const atX = (x: Float64Array): NewtonCGOracleResult => ({ value: 0.5 * dot(x, x), grad: Float64Array.from(x), apply: (v) => Float64Array.from(v) });
 * ```
 */
export interface NewtonCGOracleResult {
  /** f(x). */
  value: number;
  /** ∇f(x). */
  grad: Float64Array;
  /** v ↦ ∇²f(x)·v. */
  apply: LinearOperator;
}

/**
 * The objective: evaluates f, ∇f and the Hessian operator at `x` (must not keep/mutate `x`).
 *
 * @example
 * ```ts
 * // From a dualtape loss: one recording per point, then H·v products at that point.
 * const oracle: NewtonCGOracle = (x) => {
 *   const H = hvpOperator(loss, x);
 *   return { value: H.value, grad: H.grad, apply: (v) => H.applyFlat(v) };
 * };
 * ```
 */
export type NewtonCGOracle = (x: Float64Array) => NewtonCGOracleResult;

/**
 * Why {@link newtonCGFlat} stopped.
 *
 * @example
 * ```ts
 * const { reason } = newtonCGFlat(oracle, x0);
 * if (reason !== 'gradient-tolerance') console.warn(`stopped early: ${reason}`);
 * ```
 */
export type NewtonCGReason =
  | 'gradient-tolerance'
  | 'max-iterations'
  | 'radius-too-small'
  | 'stopped-by-callback';

/**
 * One outer iteration, as recorded in `history` and passed to `onIteration`.
 *
 * @example
 * ```ts
 * const { history } = newtonCGFlat(oracle, x0);
 * history.filter((step: NewtonCGIteration) => !step.accepted).length; // rejected steps
 * ```
 */
export interface NewtonCGIteration {
  /** 1-based outer iteration number (rejected steps count). */
  iteration: number;
  /** f at the current iterate *after* this iteration's accept/reject decision. */
  value: number;
  /** ‖∇f‖ at that iterate. */
  gradNorm: number;
  /** Trust radius the step was computed with. */
  radius: number;
  /** Steihaug CG iterations (= Hessian-vector products) spent on this step. */
  cgIterations: number;
  /** How the inner solve ended. */
  cgReason: SteihaugReason;
  /** ‖p‖ of the trial step. */
  stepNorm: number;
  /** Actual / predicted reduction; `null` when the trial value was not finite. */
  ratio: number | null;
  /** Whether the trial point became the new iterate. */
  accepted: boolean;
  /** True when f or ∇f at the trial point was NaN/±Infinity (the step was rejected). */
  nonFinite: boolean;
}

/**
 * Information passed to `onIteration`.
 *
 * @example
 * ```ts
 * newtonCGFlat(oracle, x0, { onIteration: (info: NewtonCGIterationInfo) => console.log(info.iteration, info.value, info.gradNorm) });
 * ```
 */
export interface NewtonCGIterationInfo extends NewtonCGIteration {
  /** Current iterate: a copy, so writing to it does not change the run. */
  x: Float64Array;
}

/**
 * Options of {@link newtonCGFlat}.
 *
 * @example
 * ```ts
 * newtonCGFlat(oracle, x0, { gradTolerance: 1e-10, maxIterations: 200, initialRadius: 0.5 });
 * ```
 */
export interface NewtonCGOptions {
  /**
   * Absolute gradient tolerance. Convergence is declared when
   * ‖∇f(x)‖ ≤ max(gradTolerance, relativeGradTolerance · ‖∇f(x₀)‖). Default `1e-8`.
   */
  gradTolerance?: number;
  /**
   * Relative gradient tolerance (w.r.t. the starting gradient). Default `1e-12`, so it only
   * matters when ‖∇f(x₀)‖ > 10⁴: for such badly scaled objectives the rounding noise in ∇f
   * (≈ ε·scale) can make the absolute `gradTolerance` unreachable, and this keeps the test scale
   * invariant there. Set it to 0 for a purely absolute test.
   */
  relativeGradTolerance?: number;
  /** Maximum outer iterations (accepted + rejected). Default `500`. */
  maxIterations?: number;
  /** Initial trust radius Δ₀. Default `1`. */
  initialRadius?: number;
  /** Largest allowed radius. Default `1000 · initialRadius`. */
  maxRadius?: number;
  /**
   * Stop with `'radius-too-small'` when Δ falls below this; must be below `initialRadius`. Default
   * `ε · max(1, ‖x‖)`, below which a step cannot change x in floating point.
   */
  minRadius?: number;
  /** Accept a step when actual/predicted reduction > eta; 0 ≤ eta < ¼. Default `0.15`. */
  eta?: number;
  /**
   * Forcing sequence: relative tolerance for the inner CG as a function of ‖∇f‖, so that CG
   * stops when ‖Hp + g‖ ≤ forcing(‖g‖)·‖g‖. Default `min(0.5, √‖g‖)` (Nocedal–Wright),
   * which yields superlinear local convergence while keeping early inner solves cheap.
   */
  forcing?: (gradNorm: number) => number;
  /** Maximum CG iterations per subproblem. Default `2·n`. */
  cgMaxIterations?: number;
  /** Called after every outer iteration; return `false` to stop (reason `'stopped-by-callback'`). */
  onIteration?: (info: NewtonCGIterationInfo) => void | boolean;
}

const NEWTON_CG_OPTIONS: OptionsSpec<NewtonCGOptions> = {
  gradTolerance: option.number({ min: 0 }),
  relativeGradTolerance: option.number({ min: 0 }),
  maxIterations: option.integer({ min: 0 }),
  initialRadius: option.number({ above: 0 }),
  maxRadius: option.number({ above: 0 }),
  minRadius: option.number({ min: 0 }),
  eta: option.number({ min: 0, below: 0.25 }),
  forcing: option.function(),
  cgMaxIterations: option.integer({ min: 1 }),
  onIteration: option.function(),
};

/**
 * Result of {@link newtonCGFlat}.
 *
 * @example
 * ```ts
 * const { x, converged, iterations, hvpCount }: NewtonCGResult = newtonCGFlat(oracle, x0);
 * ```
 */
export interface NewtonCGResult {
  /** Best accepted iterate (always finite). */
  x: Float64Array;
  /** f(x) (always finite). */
  value: number;
  /** ‖∇f(x)‖. */
  gradNorm: number;
  /** Outer iterations performed (accepted + rejected). */
  iterations: number;
  /** Hessian-vector products spent in all inner solves. */
  hvpCount: number;
  /** Oracle calls (one per trial point, plus the start). */
  evaluations: number;
  /** True iff the gradient tolerance was met. */
  converged: boolean;
  /** Why it stopped. */
  reason: NewtonCGReason;
  /** Every outer iteration, in order. */
  history: NewtonCGIteration[];
}

/**
 * Minimizes f by trust-region Newton–CG: each step approximately minimizes the quadratic model
 * within the trust region with {@link steihaug}, so indefinite Hessians are handled (negative
 * curvature sends the step to the boundary) and no Hessian is ever formed.
 *
 * Trial points where f or ∇f is NaN/±Infinity are rejected like a bad model fit and the
 * radius shrinks; they are flagged `nonFinite: true` in `history`. The returned x and value
 * are always those of an accepted, finite iterate.
 *
 * Radius update: ρ < ¼ or non-finite → Δ ← ¼·min(Δ, ‖p‖) (so the same step cannot be retried);
 * ρ > ¾ with the step on the boundary → Δ ← min(2Δ, maxRadius).
 *
 * @example
 * ```ts
 * // f(x) = ½ xᵀ diag(1, 10) x
 * const oracle = (x: Float64Array) => ({
 *   value: 0.5 * (x[0] ** 2 + 10 * x[1] ** 2),
 *   grad: Float64Array.of(x[0], 10 * x[1]),
 *   apply: (v: Float64Array) => Float64Array.of(v[0], 10 * v[1]),
 * });
 * const r = newtonCGFlat(oracle, Float64Array.of(3, -2));
 * r.converged; // true, r.x ≈ [0, 0]
 * ```
 * @throws {NonFiniteValueError} when x₀, f(x₀) or ∇f(x₀) is not finite (there is no finite
 *   point to fall back to), or when a Hessian product at an accepted point is not finite.
 * @throws {DimensionMismatchError} when the oracle's gradient or its `apply`'s output has the wrong length.
 * @throws {CurvatureOptionError} for an unknown option or an option of the wrong type or range.
 * @throws {CurvatureInputError} when `maxRadius` < `initialRadius` or `minRadius` ≥ `initialRadius`, or `forcing` returns a value outside [0, 1);
 *   when `oracle` is not a function or `x0` not a vector; or when the oracle returns something other than
 *   `{ value: number, grad: vector, apply: function }`.
 */
export function newtonCGFlat(
  oracle: NewtonCGOracle,
  x0: Float64Array,
  options?: NewtonCGOptions,
): NewtonCGResult {
  noExtraArguments('newtonCGFlat', arguments, 3, 'newtonCGFlat(oracle, x0, options)', undefined, extraArgumentError);
  const where = 'newtonCG';
  const opts = checkedOptions(where, options, NEWTON_CG_OPTIONS);
  checkFunction(where, 'the oracle', oracle, 'x => ({ value, grad, apply })');
  checkFinite(where, 'x0', x0);
  const n = x0.length;
  const gradTol = opts.gradTolerance ?? 1e-8;
  const gradRelTol = opts.relativeGradTolerance ?? 1e-12;
  const maxIter = opts.maxIterations ?? 500;
  let radius = opts.initialRadius ?? 1;
  const maxRadius = checkNumber(where, 'maxRadius', opts.maxRadius ?? 1000 * radius, radius);
  const minRadius = opts.minRadius;
  // At or above the starting radius there is no room to shrink: the run stopped at once with 'radius-too-small'.
  if (minRadius !== undefined && !(minRadius < radius)) {
    throw new CurvatureInputError(
      `${where}: minRadius must be below initialRadius = ${radius}, got ${minRadius}; the run stops once the trust radius falls ` +
        'below minRadius, so lower minRadius (or raise initialRadius)',
    );
  }
  const eta = opts.eta ?? 0.15;
  const cgMaxIter = opts.cgMaxIterations ?? 2 * n;
  const forcing = opts.forcing ?? ((gn: number) => Math.min(0.5, Math.sqrt(gn)));

  let evaluations = 0;
  const evaluate = (x: Float64Array): NewtonCGOracleResult => {
    evaluations++;
    const r = oracle(x);
    checkOracleResult(where, r, n, true);
    return r;
  };

  let x: Float64Array = Float64Array.from(x0);
  let cur = evaluate(x);
  if (!Number.isFinite(cur.value)) throw new NonFiniteValueError(where, 'f(x0)', 0, cur.value);
  checkFinite(where, 'grad f(x0)', cur.grad);
  let gradNorm = norm(cur.grad);
  const threshold = Math.max(gradTol, gradRelTol * gradNorm);
  const history: NewtonCGIteration[] = [];
  let hvpCount = 0;
  let reason: NewtonCGReason = 'max-iterations';
  let iteration = 0;

  while (true) {
    if (gradNorm <= threshold) {
      reason = 'gradient-tolerance';
      break;
    }
    if (iteration >= maxIter) break;
    if (radius < (minRadius ?? Number.EPSILON * Math.max(1, norm(x)))) {
      reason = 'radius-too-small';
      break;
    }
    iteration++;
    const usedRadius = radius;
    const cgTol = checkNumber(where, 'forcing(‖g‖)', forcing(gradNorm), 0, 1);
    // A relative tolerance of 1 would let CG return p = 0 forever without shrinking Δ.
    if (cgTol === 1) throw new CurvatureInputError(`${where}: forcing(‖g‖) must be < 1, got 1`);
    // Checked here too, so that a bad product names newtonCG's oracle and not steihaug, which the caller never called.
    const hessian = cur.apply;
    const apply = (v: Float64Array) => checkedApply(where, "the oracle's apply output", hessian, v);
    const sub = steihaug(apply, cur.grad, radius, { tolerance: cgTol, maxIterations: cgMaxIter });
    hvpCount += sub.applies;
    const stepNorm = norm(sub.p);
    const trialX = axpy(1, sub.p, Float64Array.from(x));
    const trial = evaluate(trialX);
    const nonFinite = !Number.isFinite(trial.value) || !trial.grad.every(Number.isFinite);

    let ratio: number | null = null; // stays null for a non-finite trial
    if (!nonFinite) {
      const actual = cur.value - trial.value;
      const predicted = sub.predictedReduction;
      // When both reductions are at the rounding level of f their ratio is noise; treat the
      // model as exact there, otherwise a converged run would shrink Δ to nothing.
      const noise = 64 * Number.EPSILON * Math.max(1, Math.abs(cur.value));
      if (Math.abs(actual) <= noise && Math.abs(predicted) <= noise) ratio = 1;
      else ratio = predicted > 0 ? actual / predicted : -Infinity;
    }
    const accepted = ratio !== null && ratio > eta && stepNorm > 0;
    if (ratio === null || ratio < 0.25) {
      // Non-finite or poor model fit: shrink below the failed step so it is not retried.
      radius = 0.25 * Math.min(radius, stepNorm);
    } else if (ratio > 0.75 && stepNorm >= 0.99 * radius) {
      radius = Math.min(2 * radius, maxRadius);
    }
    if (accepted) {
      x = trialX;
      cur = trial;
      gradNorm = norm(cur.grad);
    }
    const entry: NewtonCGIteration = {
      iteration,
      value: cur.value,
      gradNorm,
      radius: usedRadius,
      cgIterations: sub.iterations,
      cgReason: sub.reason,
      stepNorm,
      ratio,
      accepted,
      nonFinite,
    };
    history.push(entry);
    // A copy: x is the live iterate, and a callback writing to it changed the run and its result.
    if (opts.onIteration && opts.onIteration({ ...entry, x: Float64Array.from(x) }) === false) {
      reason = gradNorm <= threshold ? 'gradient-tolerance' : 'stopped-by-callback';
      break;
    }
  }
  return {
    x,
    value: cur.value,
    gradNorm,
    iterations: iteration,
    hvpCount,
    evaluations,
    converged: reason === 'gradient-tolerance',
    reason,
    history,
  };
}
