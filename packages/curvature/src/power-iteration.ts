/**
 * Power iteration for the eigenpair of largest |λ| — the "sharpness" of a loss landscape.
 */
import type { LinearOperator } from './operator.js';
import { assertSymmetric } from './symmetry.js';
import { createRng, DEFAULT_SEED } from './random.js';
import { axpy, dot, norm, normalVector } from './kernels.js';
import { noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import { checkedApply, checkedOptions, checkFinite, checkLength } from './validate.js';
import { SEED_RULE } from './option-rules.js';
import { checkSize } from './checks.js';
import { CurvatureInputError } from './errors.js';
import { extraArgumentError } from './arity.js';

/**
 * Options of {@link powerIteration}.
 *
 * @example
 * ```ts
 * powerIteration(hessianOp, n, { maxIterations: 200, tolerance: 1e-8, seed: 1 });
 * ```
 */
export interface PowerIterationOptions {
  /** Seed for the random start vector and symmetry probes. */
  seed?: number;
  /** Maximum products (besides the symmetry check). Default `1000`. */
  maxIterations?: number;
  /** Stop when ‖Av − λv‖ ≤ tolerance·|λ| for the unit iterate v and λ = vᵀAv. Default `1e-10`. */
  tolerance?: number;
  /** Starting vector (default seeded Gaussian). Must be nonzero. */
  start?: Float64Array;
  /** Run the two-probe symmetry test first (2 products). Default `true`. */
  checkSymmetry?: boolean;
  /** Relative tolerance of the symmetry test. Default `1e-6`. */
  symmetryTolerance?: number;
}

const POWER_ITERATION_OPTIONS: OptionsSpec<PowerIterationOptions> = {
  seed: SEED_RULE,
  maxIterations: option.integer({ min: 1 }),
  tolerance: option.number({ min: 0 }),
  start: option.float64Array(),
  checkSymmetry: option.boolean(),
  symmetryTolerance: option.number({ min: 0 }),
};

/**
 * Result of {@link powerIteration}.
 *
 * @example
 * ```ts
 * const { value, vector, converged }: PowerIterationResult = powerIteration(denseOperator([[2, 0], [0, -5]]), 2); // value ≈ -5
 * ```
 */
export interface PowerIterationResult {
  /** Rayleigh quotient λ = vᵀAv (signed). */
  value: number;
  /** Unit eigenvector estimate v. */
  vector: Float64Array;
  /** ‖Av − λv‖ at the returned pair. */
  residualNorm: number;
  /** Products in the main loop. */
  iterations: number;
  /** All products, including the symmetry check. */
  applies: number;
  /** Whether the residual met `tolerance`. */
  converged: boolean;
}

/**
 * Dominant (largest-magnitude) eigenpair of a symmetric operator by power iteration.
 *
 * Converges like |λ₂/λ₁|ᵏ; when two eigenvalues of opposite sign share the top magnitude it
 * cannot converge (it reports `converged: false`) — use {@link lanczos} with `which: 'both'`
 * there, which is also usually faster.
 *
 * @example
 * ```ts
 * const A = denseOperator([[2, 0], [0, -5]]);
 * powerIteration(A, 2).value; // ≈ -5
 * ```
 * @throws {NonSymmetricOperatorError} when the operator fails the symmetry probe test.
 * @throws {CurvatureInputError} when n is not an integer in [1, 2²⁸], or `apply` is not a function (or
 *   returns something other than a `Float64Array`).
 * @throws {DimensionMismatchError} / {NonFiniteValueError} on bad `start` or operator output.
 * @throws {CurvatureOptionError} for an unknown option or an option of the wrong type or range.
 */
export function powerIteration(apply: LinearOperator, n: number, options?: PowerIterationOptions): PowerIterationResult {
  noExtraArguments('powerIteration', arguments, 3, 'powerIteration(apply, n, options)', undefined, extraArgumentError);
  const where = 'powerIteration';
  const opts = checkedOptions(where, options, POWER_ITERATION_OPTIONS);
  checkSize(where, 'n', n);
  const maxIter = opts.maxIterations ?? 1000;
  const tol = opts.tolerance ?? 1e-10;
  const seed = opts.seed ?? DEFAULT_SEED;
  let applies = 0;
  if (opts.checkSymmetry ?? true) {
    applies += assertSymmetric(apply, n, { seed, symmetryTolerance: opts.symmetryTolerance, where });
  }
  let v: Float64Array;
  if (opts.start) {
    checkLength(where, 'start', opts.start, n);
    checkFinite(where, 'start', opts.start);
    v = Float64Array.from(opts.start);
  } else {
    v = normalVector(createRng(seed), n);
  }
  const s = norm(v);
  if (!(s > 0)) throw new CurvatureInputError(`${where}: start vector must be nonzero, got norm ${s}`);
  v = v.map((x) => x / s);

  let iterations = 0;
  for (;;) {
    iterations++;
    const w = checkedApply(where, 'operator output', apply, v);
    const value = dot(v, w);
    const wNorm = norm(w);
    const residualNorm = norm(axpy(-value, v, Float64Array.from(w)));
    // wNorm = 0: Av = 0, so v is an exact eigenvector for λ = 0.
    const converged = residualNorm <= tol * Math.abs(value) || wNorm === 0;
    if (converged || iterations === maxIter) {
      // Report the pair (λ, v) that the residual belongs to, not the next iterate.
      return { value, vector: v, residualNorm, iterations, applies: applies + iterations, converged };
    }
    v = w.map((x) => x / wNorm);
  }
}
