/**
 * Limited-memory BFGS on flat `Float64Array` parameters: the two-loop recursion over the last m
 * steps and gradient changes (Nocedal & Wright, Algorithm 7.4–7.5) with a strong Wolfe line search.
 *
 * Built to run to tight tolerances on badly conditioned problems (physics-informed networks, where
 * almost all Hessian eigenvalues are below 1e-8 of the largest) without stopping early:
 * - the line search trusts slopes where f is lost in rounding noise (see {@link strongWolfeSearch});
 * - a pair (s, y) enters the memory only when sᵀy > 0 by a margin, so the implicit Hessian stays
 *   positive definite;
 * - when the quasi-Newton direction fails its line search, the memory is dropped and steepest
 *   descent is tried before giving up, and "gave up" is reported as its own reason.
 */
import { noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import type { LineSearchOutcome } from './line-search.js';
import { searchStrongWolfe } from './line-search-kernel.js';
import { allFinite, axpy, dot, norm } from './kernels.js';
import { LbfgsMemory } from './lbfgs-memory.js';
import { checkedOptions, checkFinite } from './validate.js';
import { checkFunction, checkOracleResult } from './checks.js';
import { CurvatureInputError, NonFiniteValueError } from './errors.js';
import { extraArgumentError } from './arity.js';

/**
 * What an objective provides at a point: f and ∇f.
 *
 * @example
 * ```ts
 * const at: ValueAndGradient = { value: 5, grad: Float64Array.of(2, 4) }; // f = x₁² + x₂² at (1, 2)
 * ```
 */
export interface ValueAndGradient {
  value: number;
  grad: Float64Array;
}

/**
 * The objective of the flat optimizers: f and ∇f at `x` (must not keep or modify `x`).
 *
 * @example
 * ```ts
 * const sphere: ValueAndGradientOracle = (x) => ({ value: x.reduce((s, v) => s + v * v, 0), grad: x.map((v) => 2 * v) });
 * ```
 */
export type ValueAndGradientOracle = (x: Float64Array) => ValueAndGradient;

/**
 * Why {@link lbfgsFlat} stopped:
 * - `'gradient-tolerance'`: ‖∇f‖ ≤ max(gradTolerance, relativeGradTolerance·‖∇f(x₀)‖);
 * - `'value-tolerance'`: the last step lowered f by at most relativeValueTolerance·|f|;
 * - `'max-iterations'`: the iteration cap was reached;
 * - `'line-search-failed'`: not even a steepest-descent step could be found that satisfies the line
 *   search: f and ∇f are at their rounding floor (x is as good as float64 allows for this f), or ∇f
 *   does not match f (a bug in a hand-written gradient);
 * - `'stopped-by-callback'`: `onIteration` returned `false`.
 *
 * @example
 * ```ts
 * const { reason } = lbfgsFlat(oracle, x0);
 * if (reason === 'line-search-failed') console.log('at the rounding floor of f, or ∇f does not match f');
 * ```
 */
export type LbfgsReason =
  | 'gradient-tolerance'
  | 'value-tolerance'
  | 'max-iterations'
  | 'line-search-failed'
  | 'stopped-by-callback';

/**
 * One iteration of {@link lbfgsFlat}, as kept in `history` and passed to `onIteration`.
 *
 * @example
 * ```ts
 * const restarts = lbfgsFlat(oracle, x0).history.filter((h: LbfgsIteration) => h.restarted).length;
 * ```
 */
export interface LbfgsIteration {
  /** 1-based iteration number (= accepted steps). */
  iteration: number;
  /** f at the new iterate. */
  value: number;
  /** ‖∇f‖ there. */
  gradNorm: number;
  /** The accepted step length α along the search direction. */
  step: number;
  /** ‖x_new − x_old‖. */
  stepNorm: number;
  /** Objective evaluations spent in this iteration's line search(es). */
  evaluations: number;
  /** How the accepted step qualified (see {@link LineSearchOutcome}). */
  lineSearch: LineSearchOutcome;
  /** True when the quasi-Newton direction failed and the memory was dropped for a steepest-descent step. */
  restarted: boolean;
}

/**
 * Passed to `onIteration`.
 *
 * @example
 * ```ts
 * lbfgsFlat(oracle, x0, { onIteration: (info: LbfgsIterationInfo) => console.log(info.iteration, info.value) });
 * ```
 */
export interface LbfgsIterationInfo extends LbfgsIteration {
  /** The current iterate (a copy, so writing to it does not change the run). */
  x: Float64Array;
}

/**
 * Options of {@link lbfgsFlat} and {@link lbfgs}, checked at run time (an unknown key is a
 * `CurvatureOptionError` listing these names).
 *
 * @example
 * ```ts
 * const tight: LbfgsOptions = { memory: 50, gradTolerance: 0, relativeGradTolerance: 0, maxIterations: 20_000 };
 * ```
 */
export interface LbfgsOptions {
  /** Pairs (s, y) kept: the m of L-BFGS. Default `10`; 20–50 can pay on badly conditioned problems. */
  memory?: number;
  /** Maximum iterations (accepted steps). Default `1000`. */
  maxIterations?: number;
  /** Stop when ‖∇f‖ ≤ max(gradTolerance, relativeGradTolerance·‖∇f(x₀)‖). Default `1e-8`. */
  gradTolerance?: number;
  /** See `gradTolerance`; keeps the test reachable when ∇f is large in scale. Default `1e-12`. */
  relativeGradTolerance?: number;
  /**
   * Stop when a step lowers f by at most relativeValueTolerance·max(|f_old|, |f_new|). Default `0`
   * (off): a fixed floor on the relative decrease stops tiny-loss problems (a loss of 1e-16 still
   * improving) long before they converge, so it is opt-in.
   */
  relativeValueTolerance?: number;
  /**
   * Relative size of the rounding noise in f: inside f(x) + relativeValueNoise·|f(x)| the line search
   * ranks points by slope instead of value (Hager & Zhang's approximate Wolfe conditions), so a run
   * does not stop where f can no longer resolve its own decrease. Default `1e-6` (Hager & Zhang's
   * value): a loss of residuals that cancel, as in a PINN at a relative error of 1e-9, carries relative
   * noise of 1e-9 and more; with 1e-10 such a run stopped at 'line-search-failed' at 1.5e-9 where 1e-6
   * went on to 5e-10. 0 turns it off.
   */
  relativeValueNoise?: number;
  /** Sufficient-decrease constant c₁ of the line search. Default `1e-4`. */
  wolfeC1?: number;
  /** Curvature constant c₂ of the line search; c₁ < c₂ < 1. Default `0.9`. */
  wolfeC2?: number;
  /** Evaluations allowed per line search. Default `30`. */
  lineSearchMaxEvaluations?: number;
  /** Called after every iteration; return `false` to stop (reason `'stopped-by-callback'`). */
  onIteration?: (info: LbfgsIterationInfo) => void | boolean;
}

const LBFGS_OPTIONS: OptionsSpec<LbfgsOptions> = {
  memory: option.integer({ min: 1 }),
  maxIterations: option.integer({ min: 0 }),
  gradTolerance: option.number({ min: 0 }),
  relativeGradTolerance: option.number({ min: 0 }),
  relativeValueTolerance: option.number({ min: 0 }),
  relativeValueNoise: option.number({ min: 0 }),
  wolfeC1: option.number({ above: 0, below: 1 }),
  wolfeC2: option.number({ above: 0, below: 1 }),
  lineSearchMaxEvaluations: option.integer({ min: 1 }),
  onIteration: option.function(),
};

/**
 * Result of {@link lbfgsFlat}.
 *
 * @example
 * ```ts
 * const { x, value, gradNorm, reason, converged }: LbfgsResult = lbfgsFlat(oracle, x0);
 * ```
 */
export interface LbfgsResult {
  /** The last iterate (always finite). */
  x: Float64Array;
  /** f(x). */
  value: number;
  /** ‖∇f(x)‖. */
  gradNorm: number;
  /** Iterations (accepted steps). */
  iterations: number;
  /** Objective evaluations, the start included. */
  evaluations: number;
  /** True when a gradient or value tolerance was met. */
  converged: boolean;
  reason: LbfgsReason;
  history: LbfgsIteration[];
}

/** a − b as a new array. (Plain loops here: typed-array map/from with a callback is ~10× slower.) */
function difference(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
  return out;
}

/**
 * Minimizes f by L-BFGS given an oracle for f and ∇f on flat vectors.
 *
 * Each iteration: the direction d = −H∇f from the last `memory` pairs, then a strong Wolfe line
 * search along d (first trial step 1, or min(1, 1/‖∇f‖) for steepest descent at the start and after
 * a restart). Trial points where f or ∇f is not finite count as "too far" and shorten the step.
 *
 * @example
 * ```ts
 * // Rosenbrock from (−1.2, 1)
 * const oracle = (x: Float64Array) => ({
 *   value: 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2,
 *   grad: Float64Array.of(-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]), 200 * (x[1] - x[0] ** 2)),
 * });
 * const r = lbfgsFlat(oracle, Float64Array.of(-1.2, 1), { gradTolerance: 1e-10 });
 * r.reason; // 'gradient-tolerance', r.x ≈ [1, 1]
 * ```
 * @throws {NonFiniteValueError} when x₀, f(x₀) or ∇f(x₀) is not finite (there is no finite point to
 *   start from).
 * @throws {DimensionMismatchError} when the oracle's gradient has the wrong length.
 * @throws {CurvatureInputError} when `oracle` is not a function or `x0` not a vector, or when the oracle returns
 *   something other than `{ value: number, grad: vector }`.
 * @throws {CurvatureOptionError} for an unknown option or an option of the wrong type or range.
 * @throws {CurvatureInputError} when wolfeC1 ≥ wolfeC2.
 */
export function lbfgsFlat(oracle: ValueAndGradientOracle, x0: Float64Array, options?: LbfgsOptions): LbfgsResult {
  noExtraArguments('lbfgsFlat', arguments, 3, 'lbfgsFlat(oracle, x0, options)', undefined, extraArgumentError);
  const where = 'lbfgs';
  const opts = checkedOptions(where, options, LBFGS_OPTIONS);
  checkFunction(where, 'the oracle', oracle, 'x => ({ value, grad })');
  checkFinite(where, 'x0', x0);
  const n = x0.length;
  const memory = new LbfgsMemory(opts.memory ?? 10);
  const maxIterations = opts.maxIterations ?? 1000;
  const gradTolerance = opts.gradTolerance ?? 1e-8;
  const relativeGradTolerance = opts.relativeGradTolerance ?? 1e-12;
  const relativeValueTolerance = opts.relativeValueTolerance ?? 0;
  const relativeValueNoise = opts.relativeValueNoise ?? 1e-6;
  const c1 = opts.wolfeC1 ?? 1e-4;
  const c2 = opts.wolfeC2 ?? 0.9;
  if (!(c1 < c2)) throw new CurvatureInputError(`${where}: wolfeC1 must be below wolfeC2, got wolfeC1 = ${c1}, wolfeC2 = ${c2}`);
  const maxEvaluations = opts.lineSearchMaxEvaluations ?? 30;

  let evaluations = 0;
  const evaluate = (x: Float64Array): ValueAndGradient => {
    evaluations++;
    const r = oracle(x);
    checkOracleResult(where, r, n, false);
    return r;
  };

  let x: Float64Array = Float64Array.from(x0);
  let current = evaluate(x);
  if (!Number.isFinite(current.value)) throw new NonFiniteValueError(where, 'f(x0)', 0, current.value);
  checkFinite(where, 'grad f(x0)', current.grad);
  let gradNorm = norm(current.grad);
  const threshold = Math.max(gradTolerance, relativeGradTolerance * gradNorm);
  const history: LbfgsIteration[] = [];
  let reason: LbfgsReason = 'max-iterations';
  let iteration = 0;

  type Trial = { x: Float64Array; grad: Float64Array };
  const search = (d: Float64Array, alpha1: number) => {
    const slope0 = dot(current.grad, d);
    const phi = (alpha: number) => {
      const xt = Float64Array.from(x);
      axpy(alpha, d, xt);
      const r = evaluate(xt);
      // A trial is non-finite as a whole if any gradient entry is; the search then shortens the step.
      const slope = allFinite(r.grad) ? dot(r.grad, d) : NaN;
      return { value: r.value, slope, payload: { x: xt, grad: r.grad } as Trial };
    };
    const noise = relativeValueNoise * Math.abs(current.value);
    return searchStrongWolfe(phi, current.value, slope0, alpha1, { c1, c2, maxEvaluations, noise });
  };
  const steepestDescent = (): { d: Float64Array; alpha1: number } => ({
    d: difference(new Float64Array(n), current.grad),
    alpha1: Math.min(1, 1 / gradNorm),
  });

  while (true) {
    if (gradNorm <= threshold) {
      reason = 'gradient-tolerance';
      break;
    }
    if (iteration >= maxIterations) break;
    const before = evaluations;
    let restarted = false;
    let plan = memory.size > 0 ? { d: memory.direction(current.grad), alpha1: 1 } : steepestDescent();
    if (!(dot(current.grad, plan.d) < 0)) {
      // Rounding can cost the quasi-Newton direction its descent property; start the memory afresh.
      memory.clear();
      plan = steepestDescent();
      restarted = true;
    }
    let ls = search(plan.d, plan.alpha1);
    if (ls.point === null && memory.size > 0) {
      memory.clear();
      plan = steepestDescent();
      restarted = true;
      ls = search(plan.d, plan.alpha1);
    }
    if (ls.point === null) {
      reason = 'line-search-failed';
      break;
    }
    iteration++;
    const { x: xNew, grad: gNew } = ls.point.payload;
    const s = difference(xNew, x);
    const y = difference(gNew, current.grad);
    memory.push(s, y);
    const previousValue = current.value;
    x = xNew;
    current = { value: ls.point.value, grad: gNew };
    gradNorm = norm(gNew);
    const entry: LbfgsIteration = {
      iteration,
      value: current.value,
      gradNorm,
      step: ls.point.alpha,
      stepNorm: norm(s),
      evaluations: evaluations - before,
      lineSearch: ls.outcome,
      restarted,
    };
    history.push(entry);
    const scale = Math.max(Math.abs(previousValue), Math.abs(current.value));
    const stalled = relativeValueTolerance > 0 && previousValue - current.value <= relativeValueTolerance * scale;
    // A copy: x is the live iterate, and a callback writing to it changed the run and its result.
    if (opts.onIteration && opts.onIteration({ ...entry, x: Float64Array.from(x) }) === false) {
      reason = gradNorm <= threshold ? 'gradient-tolerance' : 'stopped-by-callback';
      break;
    }
    if (stalled && gradNorm > threshold) {
      reason = 'value-tolerance';
      break;
    }
  }
  return {
    x,
    value: current.value,
    gradNorm,
    iterations: iteration,
    evaluations,
    converged: reason === 'gradient-tolerance' || reason === 'value-tolerance',
    reason,
    history,
  };
}
