/**
 * Adam (Kingma & Ba, 2015) on flat `Float64Array` parameters: per-coordinate steps scaled by running
 * estimates of the gradient's first and second moments, with bias correction. The usual first stage
 * before L-BFGS or Newton–CG when training a network from a random start.
 */
import { describeValue, noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import type { ValueAndGradient, ValueAndGradientOracle } from './lbfgs.js';
import { allFinite, norm } from './kernels.js';
import { checkedOptions, checkFinite } from './validate.js';
import { checkFunction, checkOracleResult } from './checks.js';
import { CurvatureInputError, NonFiniteValueError } from './errors.js';
import { extraArgumentError } from './arity.js';

/**
 * Why {@link adamFlat} stopped: the iteration count ran out (`'max-iterations'`, the normal end), the
 * gradient fell to `gradTolerance`, `onIteration` returned `false`, or a step led to a non-finite f or
 * ∇f (`'diverged'`: the result is the last finite iterate; lower the learning rate).
 *
 * @example
 * ```ts
 * if (adamFlat(oracle, x0, { learningRate: 0.1 }).reason === 'diverged') console.log('lower the learning rate');
 * ```
 */
export type AdamReason = 'max-iterations' | 'gradient-tolerance' | 'stopped-by-callback' | 'diverged';

/**
 * One step of {@link adamFlat}, as kept in `history` and passed to `onIteration`.
 *
 * @example
 * ```ts
 * const losses = adamFlat(oracle, x0).history.map((h: AdamIteration) => h.value);
 * ```
 */
export interface AdamIteration {
  /** 1-based step number. */
  iteration: number;
  /** f at the iterate *before* this step (the value whose gradient drove it). */
  value: number;
  /** ‖∇f‖ there. */
  gradNorm: number;
  /** The learning rate used for this step. */
  learningRate: number;
}

/**
 * Passed to `onIteration`: the step, and the iterate *after* it.
 *
 * @example
 * ```ts
 * adamFlat(oracle, x0, { onIteration: (info: AdamIterationInfo) => { if (info.iteration % 500 === 0) console.log(info.value); } });
 * ```
 */
export interface AdamIterationInfo extends AdamIteration {
  /** The parameters after this step (a copy, so writing to it does not change the run). */
  x: Float64Array;
}

/**
 * Options of {@link adamFlat} and {@link adam}, checked at run time.
 *
 * @example
 * ```ts
 * const opts: AdamOptions = { learningRate: (k) => 1e-2 * 0.999 ** k, maxIterations: 5000 };
 * ```
 */
export interface AdamOptions {
  /**
   * Step size α, or a schedule `k ↦ α_k` of the 1-based step number (e.g. a decay). Default `1e-3`.
   */
  learningRate?: number | ((iteration: number) => number);
  /** Decay of the first-moment (mean) estimate, in [0, 1). Default `0.9`. */
  beta1?: number;
  /** Decay of the second-moment estimate, in [0, 1). Default `0.999`. */
  beta2?: number;
  /** Added to √v̂ so that a coordinate with a vanishing gradient does not get an infinite step. Default `1e-8`. */
  epsilon?: number;
  /** Steps to take. Default `1000`. */
  maxIterations?: number;
  /** Stop early when ‖∇f‖ ≤ gradTolerance. Default `0` (run all steps). */
  gradTolerance?: number;
  /** Called after every step; return `false` to stop (reason `'stopped-by-callback'`). */
  onIteration?: (info: AdamIterationInfo) => void | boolean;
}

const ADAM_OPTIONS: OptionsSpec<AdamOptions> = {
  learningRate: option.oneOf(option.number({ above: 0 }), option.function()),
  beta1: option.number({ min: 0, below: 1 }),
  beta2: option.number({ min: 0, below: 1 }),
  epsilon: option.number({ above: 0 }),
  maxIterations: option.integer({ min: 0 }),
  gradTolerance: option.number({ min: 0 }),
  onIteration: option.function(),
};

/**
 * Result of {@link adamFlat}.
 *
 * @example
 * ```ts
 * const { x, value, reason }: AdamResult = adamFlat(oracle, x0, { maxIterations: 100 });
 * ```
 */
export interface AdamResult {
  /** The last finite iterate. */
  x: Float64Array;
  /** f(x). */
  value: number;
  /** ‖∇f(x)‖. */
  gradNorm: number;
  /** Steps taken. */
  iterations: number;
  /** Objective evaluations: one at the start and one per step. */
  evaluations: number;
  reason: AdamReason;
  history: AdamIteration[];
}

/**
 * Minimizes f by Adam given an oracle for f and ∇f on flat vectors. Each step evaluates f and ∇f once
 * and updates m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², x ← x − α·m̂/(√v̂ + ε) with the bias-corrected
 * m̂ = m/(1 − β₁ᵏ), v̂ = v/(1 − β₂ᵏ). The returned `value` and `gradNorm` belong to the returned `x`.
 *
 * @example
 * ```ts
 * // f(x) = ½‖x − 3‖²
 * const oracle = (x: Float64Array) => ({
 *   value: 0.5 * x.reduce((s, xi) => s + (xi - 3) ** 2, 0),
 *   grad: x.map((xi) => xi - 3),
 * });
 * const r = adamFlat(oracle, new Float64Array(4), { learningRate: 0.1, maxIterations: 2000 });
 * r.x; // ≈ [3, 3, 3, 3]
 * ```
 * @throws {NonFiniteValueError} when x₀, f(x₀) or ∇f(x₀) is not finite.
 * @throws {DimensionMismatchError} when the oracle's gradient has the wrong length.
 * @throws {CurvatureInputError} when `oracle` is not a function or `x0` not a vector, or when the oracle returns
 *   something other than `{ value: number, grad: vector }`.
 * @throws {CurvatureOptionError} for an unknown option or an option of the wrong type or range.
 * @throws {CurvatureInputError} when a learning-rate schedule returns a value that is not a finite number > 0.
 */
export function adamFlat(oracle: ValueAndGradientOracle, x0: Float64Array, options?: AdamOptions): AdamResult {
  noExtraArguments('adamFlat', arguments, 3, 'adamFlat(oracle, x0, options)', undefined, extraArgumentError);
  const where = 'adam';
  const opts = checkedOptions(where, options, ADAM_OPTIONS);
  checkFunction(where, 'the oracle', oracle, 'x => ({ value, grad })');
  checkFinite(where, 'x0', x0);
  const n = x0.length;
  const schedule = opts.learningRate ?? 1e-3;
  const beta1 = opts.beta1 ?? 0.9;
  const beta2 = opts.beta2 ?? 0.999;
  const epsilon = opts.epsilon ?? 1e-8;
  const maxIterations = opts.maxIterations ?? 1000;
  const gradTolerance = opts.gradTolerance ?? 0;
  const rateAt = (k: number): number => {
    const rate = typeof schedule === 'number' ? schedule : schedule(k);
    if (!(Number.isFinite(rate) && rate > 0)) {
      throw new CurvatureInputError(`${where}: learningRate(${k}) must be a finite number > 0, got ${describeValue(rate)}`);
    }
    return rate;
  };

  let evaluations = 0;
  const evaluate = (x: Float64Array): ValueAndGradient => {
    evaluations++;
    const r = oracle(x);
    checkOracleResult(where, r, n, false);
    return r;
  };
  const isFinitePoint = (r: ValueAndGradient) => Number.isFinite(r.value) && allFinite(r.grad);

  let x: Float64Array = Float64Array.from(x0);
  let current = evaluate(x);
  if (!Number.isFinite(current.value)) throw new NonFiniteValueError(where, 'f(x0)', 0, current.value);
  checkFinite(where, 'grad f(x0)', current.grad);
  const m = new Float64Array(n);
  const v = new Float64Array(n);
  let beta1Power = 1;
  let beta2Power = 1;
  const history: AdamIteration[] = [];
  let reason: AdamReason = 'max-iterations';
  let iteration = 0;

  while (true) {
    const gradNorm = norm(current.grad);
    if (gradNorm <= gradTolerance) {
      reason = 'gradient-tolerance';
      break;
    }
    if (iteration >= maxIterations) break;
    iteration++;
    const rate = rateAt(iteration);
    beta1Power *= beta1;
    beta2Power *= beta2;
    const next = new Float64Array(n);
    const g = current.grad;
    for (let i = 0; i < n; i++) {
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
      const mHat = m[i] / (1 - beta1Power);
      const vHat = v[i] / (1 - beta2Power);
      next[i] = x[i] - (rate * mHat) / (Math.sqrt(vHat) + epsilon);
    }
    const entry: AdamIteration = { iteration, value: current.value, gradNorm, learningRate: rate };
    const trial = evaluate(next);
    if (!isFinitePoint(trial) || !allFinite(next)) {
      history.push(entry);
      reason = 'diverged';
      break;
    }
    x = next;
    current = trial;
    history.push(entry);
    // A copy: x is the live iterate, and a callback writing to it changed the run and its result.
    if (opts.onIteration && opts.onIteration({ ...entry, x: Float64Array.from(x) }) === false) {
      reason = norm(current.grad) <= gradTolerance ? 'gradient-tolerance' : 'stopped-by-callback';
      break;
    }
  }
  return { x, value: current.value, gradNorm: norm(current.grad), iterations: iteration, evaluations, reason, history };
}
