/**
 * Extreme eigenpairs of a symmetric operator by Lanczos with full reorthogonalization.
 */
import type { LinearOperator } from './operator.js';
import { LanczosProcess } from './lanczos-process.js';
import { tridiagonalEigen, tridiagonalEigenRows } from './tridiagonal-eigen.js';
import { assertSymmetric } from './symmetry.js';
import { createRng, DEFAULT_SEED } from './random.js';
import { axpy, normalVector } from './kernels.js';
import { noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import { checkedOptions, checkFinite, checkInteger, checkLength } from './validate.js';
import { SEED_RULE } from './option-rules.js';
import { checkSize } from './checks.js';
import { extraArgumentError } from './arity.js';

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
   * Convergence test, per Ritz pair (θᵢ, yᵢ) with yᵢ = Q sᵢ: its residual ‖A yᵢ − θᵢ yᵢ‖ =
   * β·|last component of sᵢ| must be ≤ tolerance·max(|θᵢ|, ε^(2/3)·‖T‖) (ARPACK's test; ε = 2⁻⁵²),
   * i.e. relative to θᵢ itself, so that the small end of a stiff spectrum is resolved as well as
   * the large one. A pair also passes once that last component is below 64ε (capped at tolerance): its
   * residual is then rounding that cannot be shown smaller, and this is what lets θᵢ ≈ 0 converge.
   * The iteration runs until every wanted pair passes. A residual r puts θᵢ within r of an eigenvalue,
   * and within r²/gap when the rest of the spectrum is at least gap away: errors ~ (tolerance·|θᵢ|)²/gap
   * (not tolerance²·‖A‖/gap), plus rounding of order ε·‖A‖. `0` runs until `maxIterations` or the
   * space is exhausted. Default `1e-10`.
   */
  tolerance?: number;
  /** Default `'largest'`. */
  which?: LanczosWhich;
  /**
   * Starting vector (default: seeded Gaussian). Must be nonzero. Krylov methods see only what the
   * start vector touches: one inside an invariant subspace (e.g. an eigenvector) is followed by
   * random restarts once that subspace is exhausted, but if the test passes first, eigenvalues
   * outside it are missed.
   */
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
  /** Residual norms ‖A yᵢ − θᵢ yᵢ‖ (computed from T, no extra products; rounding of order ε·‖A‖ aside). */
  residualBounds: Float64Array;
  /** Lanczos steps (Krylov dimension reached). */
  iterations: number;
  /** Operator products, including the symmetry check. */
  applies: number;
  /**
   * Whether every wanted pair met `tolerance` and nothing left unexplored can change them: the
   * basis spans the whole space, or an exhausted random block rules the rest out (see
   * {@link lanczos}). A breakdown followed by a restart is not convergence.
   */
  converged: boolean;
}

/**
 * The k algebraically largest and/or smallest eigenvalues (and unit eigenvectors) of a
 * symmetric operator, e.g. a Hessian given by H·v. Typically far fewer than n products.
 *
 * When the iteration exhausts an invariant subspace (β = 0: a start vector inside an eigenspace, an
 * operator of low rank, a repeated eigenvalue; or every Ritz pair of the block passing the test, as
 * rounding can hide β = 0) it restarts from a seeded random vector orthogonalized against all Lanczos
 * vectors so far, and keeps iterating in that orthogonal complement. A restart is not convergence:
 * it stops there only when the whole space is spanned (the answer is then exact), or when the
 * exhausted block began at a random vector — such a block meets every eigenvector of the unexplored
 * complement, so all that is left there are further copies of its Ritz values — and no such copy
 * could enter the wanted values. Copies of a repeated eigenvalue are recovered that way; a single
 * Krylov sequence sees only one copy, so any that no breakdown reveals before the test passes are
 * missed.
 *
 * Accuracy: with `converged`, each returned θᵢ is within `residualBounds[i]` (which passed the test
 * described under `tolerance`) of an eigenvalue of A, up to rounding from the products, the
 * orthogonalization and the eigen-solver for T: of order ε·‖A‖ per step at most, which is what
 * limits eigenvalues much smaller than ‖A‖. As with any Krylov method, an eigenvalue can still be
 * missed when the start vector barely touches its eigenvector, or when it lies closer to another
 * one than the tolerance can tell apart.
 *
 * @example
 * ```ts
 * const A = denseOperator([[2, 0, 0], [0, -1, 0], [0, 0, 5]]);
 * lanczos(A, 3, 1).values;                     // [5]
 * lanczos(A, 3, 1, { which: 'smallest' }).values; // [-1]
 * ```
 * @throws {CurvatureInputError} when n is not an integer in [1, 2²⁸], k is not in [1, n], `maxIterations` < k,
 *   or `apply` is not a function (or returns something other than a `Float64Array`).
 * @throws {CurvatureOptionError} for an unknown option or an option of the wrong type or range.
 * @throws {NonSymmetricOperatorError} when the operator fails the symmetry probe test.
 * @throws {DimensionMismatchError} / {NonFiniteValueError} on bad `start` or operator output.
 */
export function lanczos(apply: LinearOperator, n: number, k: number, options?: LanczosOptions): LanczosResult {
  noExtraArguments('lanczos', arguments, 4, 'lanczos(apply, n, k, options)', undefined, extraArgumentError);
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

  // Ritz values of the blocks ended so far (invariant subspaces): eigenvalues of A.
  const settled: number[] = [];
  // Residuals dropped by a restart after a block that was invariant to tolerance: [last index, β].
  const dropped: Array<[number, number]> = [];
  let blockStart = 0;
  // A seeded random block has, almost surely, a component along every eigenvector in the complement
  // of the earlier blocks; the user's start vector (e.g. ones for a Laplacian) may have none.
  let blockIsRandom = opts.start === undefined;
  let converged = false;
  while (!converged && proc.size < maxIter) {
    let blockValues: Float64Array;
    if (proc.step()) {
      const live = liveBlock(proc, blockStart, settled, tol);
      if (!live.converged.every(Boolean)) {
        converged = proc.size >= wanted && selectIndices(live.values.length, k, which).every((i) => live.converged[i]);
        continue;
      }
      // Every pair of the block passed: it is invariant to tolerance, a breakdown in all but name
      // (rounding can hide β = 0), and going on would only find its values again.
      blockValues = live.values;
    } else {
      blockValues = tridiagonalEigen(proc.alpha.slice(blockStart), proc.beta.slice(blockStart, -1)).values;
    }
    settled.push(...blockValues);
    if (proc.size >= n) {
      converged = true; // T is similar to A: its eigenvalues are exact
    } else if (blockIsRandom && proc.size >= wanted && copiesCannotEnter(settled, blockValues, k, which, tol)) {
      converged = true;
    } else if (proc.size < maxIter) {
      const pending: [number, number] = [proc.size - 1, proc.beta[proc.size - 1]]; // β = 0 after a breakdown
      if (proc.restart(normalVector(rng, n))) {
        if (pending[1] > 0) dropped.push(pending);
        blockStart = proc.size;
        blockIsRandom = true;
      } else {
        converged = true; // a random vector numerically inside the span: the basis spans the whole space
      }
    }
  }

  const m = proc.size;
  const { values, vectors } = tridiagonalEigen(proc.alpha, proc.beta.slice(0, m - 1));
  const idx = selectIndices(m, k, which);
  // ‖A y − θ y‖² sums the residual of every block end (only the block holding y contributes).
  const ends: Array<[number, number]> = [...dropped, [m - 1, proc.beta[m - 1]]];
  const residualBound = (s: Float64Array) => Math.hypot(...ends.map(([j, beta]) => beta * s[j]));
  return {
    values: Float64Array.from(idx, (i) => values[i]),
    vectors: idx.map((i) => ritzVector(proc.basis, vectors[i])),
    residualBounds: Float64Array.from(idx, (i) => residualBound(vectors[i])),
    iterations: m,
    applies: applies + proc.applies,
    converged,
  };
}

/** ε^(2/3): ARPACK's floor, relative to ‖T‖, on the scale of a Ritz value in the convergence test. */
const EPS_TWO_THIRDS = Number.EPSILON ** (2 / 3);
/**
 * Below this the last component sᵢ of an eigenvector of T is rounding, and so is the residual
 * β·|sᵢ| ≤ 64ε·‖T‖: it cannot be shown smaller. ARPACK's floor alone, tol·ε^(2/3)·‖T‖ (4e-21·‖T‖ at
 * tol = 1e-10), is out of reach, so an eigenvalue 0 (a singular Hessian) would never converge.
 */
const ROUNDING_COMPONENT = 64 * Number.EPSILON;

/** The convergence test's scale for a Ritz value θ: tol·max(|θ|, ε^(2/3)·‖T‖). */
function relativeAccuracy(theta: number, normT: number, tol: number): number {
  return tol * Math.max(Math.abs(theta), EPS_TWO_THIRDS * normT);
}

/**
 * Ritz values of the live block (the vectors since the last restart), ascending, and whether each
 * pair passes the convergence test. Earlier blocks hold eigenvalues of A already, so once the live
 * block's wanted pairs pass, the wanted values of the whole of T are settled too. The live block's
 * own extremes are the ones to test, not only those that rank among T's wanted values: one that ranks
 * below an earlier block's value may still be converging towards an eigenvalue beyond it.
 */
function liveBlock(
  proc: LanczosProcess,
  blockStart: number,
  settled: readonly number[],
  tol: number,
): { values: Float64Array; converged: boolean[] } {
  const m = proc.size - blockStart;
  const lastBeta = proc.beta[proc.size - 1];
  const { values, rows } = tridiagonalEigenRows(
    proc.alpha.slice(blockStart),
    proc.beta.slice(blockStart, proc.size - 1),
    [m - 1],
  );
  const normT = Math.max(spectralScale(values), ...settled.map(Math.abs));
  const lastComponentFloor = Math.min(tol, ROUNDING_COMPONENT);
  return {
    values,
    converged: Array.from(values, (theta, i) => {
      const s = Math.abs(rows[0][i]);
      return lastBeta * s <= relativeAccuracy(theta, normT, tol) || s <= lastComponentFloor;
    }),
  };
}

/**
 * After a random block ended: the unexplored complement holds only copies of that block's Ritz
 * values `block`. True when no such copy would change the wanted values of `settled` (all Ritz values
 * so far) by more than the convergence test accepts, allowing for rounding between two blocks' copies
 * of one eigenvalue.
 */
function copiesCannotEnter(
  settled: readonly number[],
  block: Float64Array,
  k: number,
  which: LanczosWhich,
  tol: number,
): boolean {
  const all = Float64Array.from(settled).sort();
  const normT = spectralScale(all);
  const slack = (x: number) => relativeAccuracy(x, normT, tol) + Math.min(tol, ROUNDING_COMPONENT) * normT;
  const lowEnd = all[k - 1];
  const highEnd = all[all.length - k];
  const lowOk = block[0] >= lowEnd - slack(lowEnd);
  const highOk = block[block.length - 1] <= highEnd + slack(highEnd);
  if (which === 'smallest') return lowOk;
  if (which === 'largest') return highOk;
  return lowOk && highOk;
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
