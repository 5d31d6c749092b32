/**
 * Extreme eigenpairs of a symmetric operator by Lanczos with full reorthogonalization.
 */
import type { LinearOperator } from './operator.js';
import { LanczosProcess } from './lanczos-process.js';
import { tridiagonalEigen, tridiagonalEigenRows } from './tridiagonal-eigen.js';
import { assertSymmetric } from './symmetry.js';
import { createRng, DEFAULT_SEED } from './random.js';
import { axpy, normalVector } from './kernels.js';
import { option, type OptionsSpec } from '@dualtape/core';
import { checkedOptions, checkFinite, checkInteger, checkLength } from './validate.js';
import { SEED_RULE } from './option-rules.js';
import { checkSize } from './checks.js';

/**
 * Which end(s) of the spectrum {@link lanczos} targets (algebraic order, not magnitude).
 *
 * @example
 * ```ts
 * lanczos(denseOperator([[2, 0, 0], [0, -1, 0], [0, 0, 5]]), 3, 1, { which: 'smallest' }).values; // [-1]
 * ```
 */
export type LanczosWhich = 'largest' | 'smallest' | 'both';

/**
 * Options of {@link lanczos}.
 *
 * @example
 * ```ts
 * lanczos(hessianOp, n, 5, { which: 'both', tolerance: 1e-8, seed: 3 });
 * ```
 */
export interface LanczosOptions {
  /** Seed for the random start vector, restarts and the symmetry probes. */
  seed?: number;
  /**
   * Maximum Krylov dimension (= products, besides the 2 of the symmetry check). The basis is
   * stored, so memory is n × maxIterations doubles. Default `min(n, max(300, 3·k))`.
   */
  maxIterations?: number;
  /**
   * A Ritz pair (θ, y) counts as converged when its residual ‖Ay − θy‖ = β·|last component|
   * ≤ tolerance·max|θ|. Default `1e-10` (eigenvalue errors are then ~ tolerance²·‖A‖/gap).
   */
  tolerance?: number;
  /** Default `'largest'`. */
  which?: LanczosWhich;
  /** Starting vector (default: seeded Gaussian). Must be nonzero. */
  start?: Float64Array;
  /** Run the two-probe symmetry test first (2 products). Default `true`. */
  checkSymmetry?: boolean;
  /** Relative tolerance of the symmetry test, see {@link assertSymmetric}. Default `1e-6`. */
  symmetryTolerance?: number;
}

const LANCZOS_OPTIONS: OptionsSpec<LanczosOptions> = {
  seed: SEED_RULE,
  maxIterations: option.integer({ min: 1 }),
  tolerance: option.number({ min: 0 }),
  which: option.literal('largest', 'smallest', 'both'),
  start: option.float64Array(),
  checkSymmetry: option.boolean(),
  symmetryTolerance: option.number({ min: 0 }),
};

/**
 * Result of {@link lanczos}.
 *
 * @example
 * ```ts
 * const { values, vectors, converged }: LanczosResult = lanczos(denseOperator([[2, 0], [0, 5]]), 2, 1); // values [5]
 * ```
 */
export interface LanczosResult {
  /**
   * Ritz values: `'largest'` → descending (values[0] is the top), `'smallest'` → ascending,
   * `'both'` → the k smallest and k largest together in ascending order (all of them, without
   * duplicates, when 2k ≥ n).
   */
  values: Float64Array;
  /** Unit Ritz vectors, `vectors[i]` for `values[i]`. */
  vectors: Float64Array[];
  /** Residual norms ‖A yᵢ − θᵢ yᵢ‖ (computed from T, no extra products). */
  residualBounds: Float64Array;
  /** Lanczos steps (Krylov dimension reached). */
  iterations: number;
  /** Operator products, including the symmetry check. */
  applies: number;
  /** Whether every returned pair met `tolerance` (always true when the Krylov space was exhausted). */
  converged: boolean;
}

/**
 * The k algebraically largest and/or smallest eigenvalues (and unit eigenvectors) of a
 * symmetric operator, e.g. a Hessian given by H·v. Typically far fewer than n products.
 *
 * Single-vector Krylov methods see one copy of a repeated eigenvalue per invariant subspace; if
 * the iteration exhausts an invariant subspace it restarts with a fresh random vector, which
 * recovers multiplicities only when that happens before convergence.
 *
 * @example
 * ```ts
 * const A = denseOperator([[2, 0, 0], [0, -1, 0], [0, 0, 5]]);
 * lanczos(A, 3, 1).values;                     // [5]
 * lanczos(A, 3, 1, { which: 'smallest' }).values; // [-1]
 * ```
 * @throws {CurvatureInputError} when n is not an integer in [1, 2³² − 1], k is not in [1, n], `maxIterations` < k,
 *   or `apply` is not a function (or returns something other than a `Float64Array`).
 * @throws {CurvatureOptionError} for an unknown option or an option of the wrong type or range.
 * @throws {NonSymmetricOperatorError} when the operator fails the symmetry probe test.
 * @throws {DimensionMismatchError} / {NonFiniteValueError} on bad `start` or operator output.
 */
export function lanczos(apply: LinearOperator, n: number, k: number, options?: LanczosOptions): LanczosResult {
  const where = 'lanczos';
  const opts = checkedOptions(where, options, LANCZOS_OPTIONS);
  checkSize(where, 'n', n);
  checkInteger(where, 'k', k, 1, n);
  const which = opts.which ?? 'largest';
  const wanted = which === 'both' ? Math.min(2 * k, n) : k;
  const defaultMaxIter = Math.min(n, Math.max(300, 3 * wanted));
  const maxIter = Math.min(n, checkInteger(where, 'maxIterations', opts.maxIterations ?? defaultMaxIter, wanted));
  const tol = opts.tolerance ?? 1e-10;
  const seed = opts.seed ?? DEFAULT_SEED;
  let applies = 0;
  if (opts.checkSymmetry ?? true) {
    applies += assertSymmetric(apply, n, { seed, symmetryTolerance: opts.symmetryTolerance, where });
  }

  const rng = createRng(seed);
  let start: Float64Array;
  if (opts.start) {
    checkLength(where, 'start', opts.start, n);
    checkFinite(where, 'start', opts.start);
    start = opts.start;
  } else {
    start = normalVector(rng, n);
  }
  const proc = new LanczosProcess(apply, start, where);

  let converged = false;
  while (proc.size < maxIter) {
    if (!proc.step()) {
      // Whole space spanned: T is similar to A and its eigenvalues are exact.
      if (proc.size >= n) break;
      // An exhausted invariant subspace: its Ritz values are exact, keep looking in the
      // orthogonal complement (that is where further copies of repeated eigenvalues live).
      if (proc.size < maxIter && !proc.restart(normalVector(rng, n))) break;
    }
    if (proc.size >= wanted) {
      const m = proc.size;
      const { values, rows } = tridiagonalEigenRows(proc.alpha, proc.beta.slice(0, m - 1), [m - 1]);
      const idx = selectIndices(values.length, k, which);
      const bounds = idx.map((i) => Math.abs(proc.beta[m - 1] * rows[0][i]));
      if (bounds.every((b) => b <= tol * spectralScale(values))) {
        converged = true;
        break;
      }
    }
  }

  const m = proc.size;
  const { values, vectors } = tridiagonalEigen(proc.alpha, proc.beta.slice(0, m - 1));
  const idx = selectIndices(m, k, which);
  const bounds = Float64Array.from(idx, (i) => Math.abs(proc.beta[m - 1] * vectors[i][m - 1]));
  const scale = spectralScale(values);
  return {
    values: Float64Array.from(idx, (i) => values[i]),
    vectors: idx.map((i) => ritzVector(proc.basis, vectors[i])),
    residualBounds: bounds,
    iterations: m,
    applies: applies + proc.applies,
    converged: converged || bounds.every((b) => b <= tol * scale),
  };
}

/** Indices into ascending Ritz values, in the order documented on {@link LanczosResult.values}. */
function selectIndices(m: number, k: number, which: LanczosWhich): number[] {
  const all = Array.from({ length: m }, (_, i) => i);
  if (which === 'smallest') return all.slice(0, Math.min(k, m));
  if (which === 'largest') return all.slice(Math.max(0, m - k)).reverse();
  return 2 * k >= m ? all : [...all.slice(0, k), ...all.slice(m - k)];
}

function spectralScale(ascending: Float64Array): number {
  return ascending.length === 0 ? 0 : Math.max(Math.abs(ascending[0]), Math.abs(ascending[ascending.length - 1]));
}

/** y = Q s, renormalized (s is a unit vector and Q orthonormal, so this only removes rounding). */
function ritzVector(basis: Float64Array[], s: Float64Array): Float64Array {
  const y = new Float64Array(basis[0].length);
  basis.forEach((q, j) => axpy(s[j], q, y));
  let nrm = 0;
  for (const yi of y) nrm += yi * yi;
  nrm = Math.sqrt(nrm);
  return nrm > 0 ? y.map((yi) => yi / nrm) : y;
}
