/**
 * Hutchinson's stochastic estimators of tr(A) and diag(A) from products A·z with Rademacher z.
 *
 * For Rademacher z, E[zᵀAz] = tr(A) and E[z ⊙ Az] = diag(A). Rademacher probes have the
 * smallest variance among i.i.d. probe distributions (Var = 2Σ_{i≠j} A_ij² for the trace), and
 * the sample standard deviation gives an honest error bar that shrinks like 1/√probes.
 */
import type { LinearOperator } from './operator.js';
import { createRng, DEFAULT_SEED } from './random.js';
import { dot, rademacherVector } from './kernels.js';
import { noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import { checkedApply, checkedOptions } from './validate.js';
import { SEED_RULE } from './option-rules.js';
import { checkSize } from './checks.js';
import { extraArgumentError } from './arity.js';

/**
 * Options of {@link hutchinsonTrace} and {@link hutchinsonDiagonal}.
 *
 * @example
 * ```ts
 * hutchinsonTrace(hessianOp, n, { probes: 500, seed: 7 });
 * ```
 */
export interface HutchinsonOptions {
  /** Number of Rademacher probes (= operator products). Default `100`. */
  probes?: number;
  /** Seed of the probe stream. Default {@link DEFAULT_SEED}. */
  seed?: number;
}

const HUTCHINSON_OPTIONS: OptionsSpec<HutchinsonOptions> = {
  probes: option.integer({ min: 1 }),
  seed: SEED_RULE,
};

/**
 * Result of {@link hutchinsonTrace}.
 *
 * @example
 * ```ts
 * const { estimate, standardError }: HutchinsonTraceResult = hutchinsonTrace(denseOperator([[2, 1], [1, 3]]), 2); // estimate ≈ 5
 * ```
 */
export interface HutchinsonTraceResult {
  /** Sample mean of zᵀAz. */
  estimate: number;
  /** Sample standard deviation / √probes; `Infinity` with a single probe (no spread known). */
  standardError: number;
  /** Probes used. */
  probes: number;
}

/**
 * Result of {@link hutchinsonDiagonal}.
 *
 * @example
 * ```ts
 * const { estimate }: HutchinsonDiagonalResult = hutchinsonDiagonal(denseOperator([[2, 1], [1, 3]]), 2); // ≈ [2, 3]
 * ```
 */
export interface HutchinsonDiagonalResult {
  /** Per-entry sample mean of z ⊙ Az. */
  estimate: Float64Array;
  /** Per-entry standard error (`Infinity` with a single probe). */
  standardError: Float64Array;
  /** Probes used. */
  probes: number;
}

/**
 * Estimates tr(A) — e.g. the trace of a Hessian — from `probes` products.
 *
 * @example
 * ```ts
 * const r = hutchinsonTrace(hessianOp, n, { probes: 200, seed: 1 });
 * console.log(`${r.estimate} ± ${2 * r.standardError}`);
 * ```
 * @throws {CurvatureInputError} when `n` is not an integer in [1, 2²⁸], or `apply` is not a function (or
 *   returns something other than a `Float64Array`).
 * @throws {DimensionMismatchError} / {NonFiniteValueError} when an operator output has the wrong length or is not finite.
 * @throws {CurvatureOptionError} for an unknown option, or `probes` that is not a positive integer.
 */
export function hutchinsonTrace(apply: LinearOperator, n: number, options?: HutchinsonOptions): HutchinsonTraceResult {
  noExtraArguments('hutchinsonTrace', arguments, 3, 'hutchinsonTrace(apply, n, options)', undefined, extraArgumentError);
  const where = 'hutchinsonTrace';
  const opts = checkedOptions(where, options, HUTCHINSON_OPTIONS);
  checkSize(where, 'n', n);
  const probes = opts.probes ?? 100;
  const rng = createRng(opts.seed ?? DEFAULT_SEED);
  // Welford's running mean/variance: stable even when the samples share a large offset.
  let mean = 0;
  let m2 = 0;
  for (let s = 1; s <= probes; s++) {
    const z = rademacherVector(rng, n);
    const sample = dot(z, checkedApply(where, 'operator output', apply, z));
    const delta = sample - mean;
    mean += delta / s;
    m2 += delta * (sample - mean);
  }
  return { estimate: mean, standardError: standardError(m2, probes), probes };
}

/**
 * Estimates diag(A) — e.g. a diagonal Hessian preconditioner — from `probes` products.
 *
 * @example
 * ```ts
 * const { estimate } = hutchinsonDiagonal(hessianOp, n, { probes: 100 });
 * const jacobiPreconditioner = (r: Float64Array) => r.map((ri, i) => ri / Math.max(estimate[i], 1e-8));
 * ```
 * @throws {CurvatureInputError} when `n` is not an integer in [1, 2²⁸], or `apply` is not a function (or
 *   returns something other than a `Float64Array`).
 * @throws {DimensionMismatchError} / {NonFiniteValueError} when an operator output has the wrong length or is not finite.
 * @throws {CurvatureOptionError} for an unknown option, or `probes` that is not a positive integer.
 */
export function hutchinsonDiagonal(
  apply: LinearOperator,
  n: number,
  options?: HutchinsonOptions,
): HutchinsonDiagonalResult {
  noExtraArguments('hutchinsonDiagonal', arguments, 3, 'hutchinsonDiagonal(apply, n, options)', undefined, extraArgumentError);
  const where = 'hutchinsonDiagonal';
  const opts = checkedOptions(where, options, HUTCHINSON_OPTIONS);
  checkSize(where, 'n', n);
  const probes = opts.probes ?? 100;
  const rng = createRng(opts.seed ?? DEFAULT_SEED);
  const mean = new Float64Array(n);
  const m2 = new Float64Array(n);
  for (let s = 1; s <= probes; s++) {
    const z = rademacherVector(rng, n);
    const Az = checkedApply(where, 'operator output', apply, z);
    for (let i = 0; i < n; i++) {
      const sample = z[i] * Az[i];
      const delta = sample - mean[i];
      mean[i] += delta / s;
      m2[i] += delta * (sample - mean[i]);
    }
  }
  return { estimate: mean, standardError: m2.map((v) => standardError(v, probes)), probes };
}

function standardError(m2: number, probes: number): number {
  return probes < 2 ? Infinity : Math.sqrt(Math.max(0, m2) / (probes - 1) / probes);
}
