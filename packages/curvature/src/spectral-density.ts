/**
 * Eigenvalue density of a symmetric operator by stochastic Lanczos quadrature (SLQ), as in
 * PyHessian (Yao et al., 2020) and Ghorbani et al. (2019).
 *
 * For a unit probe v, m Lanczos steps from v give T = SΘSᵀ whose eigenvalues θⱼ (nodes) and
 * squared first eigenvector components wⱼ = S[0][j]² (weights) form the m-point Gauss
 * quadrature of the measure Σᵢ (vᵀuᵢ)² δ(λᵢ): exact for polynomials of degree < 2m. With
 * v = z/√n, z Rademacher, that measure is, in expectation, the spectral density (1/n)Σᵢ δ(λᵢ).
 */
import type { LinearOperator } from './operator.js';
import { LanczosProcess } from './lanczos-process.js';
import { tridiagonalEigenRows } from './tridiagonal-eigen.js';
import { assertSymmetric } from './symmetry.js';
import { createRng, DEFAULT_SEED } from './random.js';
import { rademacherVector } from './kernels.js';
import { noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import { checkedOptions } from './validate.js';
import { SEED_RULE } from './option-rules.js';
import { checkSize, MAX_VECTOR_LENGTH } from './checks.js';
import { extraArgumentError } from './arity.js';

/**
 * Options of {@link spectralDensity}.
 *
 * @example
 * ```ts
 * spectralDensity(hessianOp, n, { probes: 5, lanczosSteps: 60, gridSize: 256, seed: 0 });
 * ```
 */
export interface SpectralDensityOptions {
  /** Independent probes (Lanczos runs). Default `10`. */
  probes?: number;
  /** Lanczos steps per probe (clamped to n). Default `30`. */
  lanczosSteps?: number;
  /** Seed of the probe stream. */
  seed?: number;
  /** Points of the density grid (2 to 2²⁸). Default `512`. */
  gridSize?: number;
  /**
   * Width of the Gaussian placed at every node. Default 1% of the node range (or 1% of
   * max(1, |node|) when all nodes coincide).
   */
  sigma?: number;
  /** Run the two-probe symmetry test first (2 products). Default `true`. */
  checkSymmetry?: boolean;
  /** Relative tolerance of the symmetry test. Default `1e-6`. */
  symmetryTolerance?: number;
}

const SPECTRAL_DENSITY_OPTIONS: OptionsSpec<SpectralDensityOptions> = {
  probes: option.integer({ min: 1 }),
  lanczosSteps: option.integer({ min: 1 }),
  seed: SEED_RULE,
  // The grid is two vectors of gridSize: the vector limit, not an out-of-memory RangeError.
  gridSize: option.integer({ min: 2, max: MAX_VECTOR_LENGTH }),
  sigma: option.number({ above: 0 }),
  checkSymmetry: option.boolean(),
  symmetryTolerance: option.number({ min: 0 }),
};

/**
 * Result of {@link spectralDensity}.
 *
 * @example
 * ```ts
 * const { grid, density }: SpectralDensityResult = spectralDensity(denseOperator([[1, 0], [0, 3]]), 2); // two bumps, at 1 and 3
 * ```
 */
export interface SpectralDensityResult {
  /** Quadrature nodes (Ritz values, ascending) for each probe. */
  nodes: Float64Array[];
  /** Quadrature weights for each probe; each set sums to 1. */
  weights: Float64Array[];
  /** Evenly spaced grid from min node − 5σ to max node + 5σ. */
  grid: Float64Array;
  /** Probe-averaged Gaussian-smoothed density on `grid` (integrates to ≈ 1). */
  density: Float64Array;
  /** The σ used. */
  sigma: number;
  /** Operator products, including the symmetry check. */
  applies: number;
}

/**
 * Approximates the eigenvalue density of a symmetric operator (e.g. a network's Hessian).
 * A probe's Lanczos run stops early if it exhausts an invariant subspace; its quadrature is then
 * exact for that probe.
 *
 * @example
 * ```ts
 * const { grid, density } = spectralDensity(hessianOp, n, { probes: 5, lanczosSteps: 60, seed: 0 });
 * // plot density against grid; outliers show up as isolated bumps
 * ```
 * @throws {CurvatureInputError} for a size n that is not an integer in [1, 2²⁸], or an `apply` that is not a
 *   function (or returns something other than a `Float64Array`).
 * @throws {CurvatureOptionError} for an unknown option or an option of the wrong type or range.
 * @throws {NonSymmetricOperatorError} when the operator fails the symmetry probe test.
 */
export function spectralDensity(
  apply: LinearOperator,
  n: number,
  options?: SpectralDensityOptions,
): SpectralDensityResult {
  noExtraArguments('spectralDensity', arguments, 3, 'spectralDensity(apply, n, options)', undefined, extraArgumentError);
  const where = 'spectralDensity';
  const opts = checkedOptions(where, options, SPECTRAL_DENSITY_OPTIONS);
  checkSize(where, 'n', n);
  const probes = opts.probes ?? 10;
  const steps = Math.min(n, opts.lanczosSteps ?? 30);
  const gridSize = opts.gridSize ?? 512;
  const seed = opts.seed ?? DEFAULT_SEED;
  let applies = 0;
  if (opts.checkSymmetry ?? true) {
    applies += assertSymmetric(apply, n, { seed, symmetryTolerance: opts.symmetryTolerance, where });
  }

  const rng = createRng(seed);
  const nodes: Float64Array[] = [];
  const weights: Float64Array[] = [];
  for (let s = 0; s < probes; s++) {
    const proc = new LanczosProcess(apply, rademacherVector(rng, n), where);
    while (proc.size < steps && proc.step()) {
      /* the loop condition does the work */
    }
    applies += proc.applies;
    const m = proc.size;
    const { values, rows } = tridiagonalEigenRows(proc.alpha, proc.beta.slice(0, m - 1), [0]);
    nodes.push(values);
    weights.push(rows[0].map((x) => x * x));
  }

  let lo = Infinity;
  let hi = -Infinity;
  for (const t of nodes) {
    lo = Math.min(lo, t[0]);
    hi = Math.max(hi, t[t.length - 1]);
  }
  const range = hi - lo;
  // Nodes that coincide up to rounding (an operator c·I, whose Lanczos nodes differ in the last bits)
  // have no width to take 1% of: σ that small put the grid's steps below an ulp of the nodes.
  const spread = range > 1e-10 * Math.max(Math.abs(lo), Math.abs(hi));
  const sigma = opts.sigma ?? 0.01 * (spread ? range : Math.max(1, Math.abs(hi)));
  const start = lo - 5 * sigma;
  const h = (range + 10 * sigma) / (gridSize - 1);
  const grid = Float64Array.from({ length: gridSize }, (_, i) => start + i * h);
  const density = new Float64Array(gridSize);
  const norm = 1 / (probes * sigma * Math.sqrt(2 * Math.PI));
  nodes.forEach((t, s) => {
    t.forEach((theta, j) => {
      const w = weights[s][j] * norm;
      for (let i = 0; i < gridSize; i++) {
        const u = (grid[i] - theta) / sigma;
        density[i] += w * Math.exp(-0.5 * u * u);
      }
    });
  });
  return { nodes, weights, grid, density, sigma, applies };
}
