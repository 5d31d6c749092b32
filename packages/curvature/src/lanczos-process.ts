/**
 * The Lanczos three-term recurrence with full reorthogonalization, shared by the eigen-solver
 * ({@link lanczos}) and stochastic Lanczos quadrature ({@link spectralDensity}).
 *
 * Full reorthogonalization costs O(n·m) per step but keeps the basis orthonormal to working
 * precision, which removes the "ghost" copies of converged eigenvalues that plain Lanczos
 * produces. For the step counts used with Hessians (tens to a few hundred) it is affordable.
 */
import { noExtraArguments } from '@dualtape/core';
import type { LinearOperator } from './operator.js';
import { axpy, dot, norm } from './kernels.js';
import { checkedApply, checkFinite, checkLength } from './validate.js';
import { notAFunction } from './hints.js';
import { label } from './text.js';
import { CurvatureInputError } from './errors.js';
import { extraArgumentError } from './arity.js';

/** ‖residual‖ / ‖T‖ at the level of the rounding in a product and its orthogonalization. */
const ROUNDING_LEVEL = 64 * Number.EPSILON;

/**
 * Incrementally builds an orthonormal Krylov basis Q and the tridiagonal T = QᵀAQ.
 *
 * @example
 * ```ts
 * const proc = new LanczosProcess(apply, startVector);
 * while (proc.size < 20 && proc.step()) {}
 * // T has diagonal proc.alpha and off-diagonal proc.beta.slice(0, proc.size - 1)
 * ```
 */
export class LanczosProcess {
  /** Orthonormal basis vectors q₀, q₁, … */
  readonly basis: Float64Array[] = [];
  /** Diagonal of T: αⱼ = qⱼᵀAqⱼ. */
  readonly alpha: number[] = [];
  /**
   * βⱼ couples qⱼ and qⱼ₊₁ (T[j][j+1]); after m steps it has m entries and β_{m−1} is the
   * residual norm used in Ritz error bounds. 0 after a breakdown or restart.
   */
  readonly beta: number[] = [];
  /** Operator products so far. */
  applies = 0;
  private next: Float64Array | null;
  private normEstimate = 0;
  private readonly n: number;

  /**
   * @param op the symmetric operator.
   * @param start nonzero starting vector (normalized internally; not modified).
   * @param where routine name used in error messages.
   * @throws {CurvatureInputError} when `op` is not a function, `start` is not a vector, or `start` is zero.
   * @throws {NonFiniteValueError} when `start` has a NaN/±Infinity entry.
   */
  constructor(
    private readonly op: LinearOperator,
    start: Float64Array,
    private readonly where = 'lanczos',
  ) {
    noExtraArguments('LanczosProcess', arguments, 3, 'new LanczosProcess(op, start, where)', undefined, extraArgumentError);
    this.where = label(where);
    if (typeof op !== 'function') throw notAFunction(this.where, 'the operator', op, 'v => A·v');
    checkFinite(this.where, 'start', start);
    this.n = start.length;
    const s = norm(start);
    if (!(s > 0)) throw new CurvatureInputError(`${where}: start vector must be nonzero, got norm ${s}`);
    this.next = Float64Array.from(start, (x) => x / s);
  }

  /** Number of basis vectors (= steps taken = size of T). */
  get size(): number {
    return this.alpha.length;
  }

  /**
   * Takes one step. Returns `false` on breakdown: the Krylov space is invariant under A (βⱼ ≈ 0,
   * or the basis already spans the whole space), so the Ritz values found so far are exact
   * eigenvalues. Call {@link LanczosProcess.restart} to continue in the orthogonal complement.
   *
   * @example
   * ```ts
   * while (proc.size < 20 && proc.step()) {}
   * ```
   */
  step(): boolean {
    noExtraArguments('LanczosProcess.step', arguments, 0, 'proc.step()', undefined, extraArgumentError);
    const q = this.next;
    if (q === null) throw new CurvatureInputError(`${this.where}: step() after breakdown without restart()`);
    this.basis.push(q);
    const j = this.basis.length - 1;
    this.applies++;
    const w = checkedApply(this.where, 'operator output', this.op, q);
    const a = dot(q, w);
    axpy(-a, q, w);
    if (j > 0) axpy(-this.beta[j - 1], this.basis[j - 1], w);
    // Classical Gram–Schmidt twice ("twice is enough", Kahan–Parlett).
    for (let pass = 0; pass < 2; pass++) {
      for (const b of this.basis) axpy(-dot(b, w), b, w);
    }
    const b = norm(w);
    this.alpha.push(a);
    this.normEstimate = Math.max(this.normEstimate, Math.abs(a) + b + (j > 0 ? this.beta[j - 1] : 0));
    // Breakdown only when what is left is at the level of rounding. The former 1e-12·‖T‖ cut a stiff
    // spectrum (‖A‖ ≳ 1e11 × its small eigenvalues) off before the small end had been resolved.
    if (this.basis.length >= this.n || b <= ROUNDING_LEVEL * this.normEstimate) {
      this.beta.push(0);
      this.next = null;
      return false;
    }
    this.beta.push(b);
    this.next = Float64Array.from(w, (x) => x / b);
    return true;
  }

  /**
   * After a breakdown, continues with `v` orthogonalized against the basis (T gets a zero
   * off-diagonal there). Returns `false`, changing nothing, if `v` is numerically inside the current
   * span. Called after a regular step, it ends the block the same way: the pending residual is
   * dropped (its β set to 0), as when the caller judges the space invariant to its own tolerance.
   *
   * @example
   * ```ts
   * if (!proc.step()) proc.restart(randomVector);
   * ```
   * @throws {DimensionMismatchError} / {NonFiniteValueError} when `v` has the wrong length or is not finite.
   */
  restart(v: Float64Array): boolean {
    noExtraArguments('LanczosProcess.restart', arguments, 1, 'proc.restart(v)', undefined, extraArgumentError);
    checkLength(this.where, 'restart vector', v, this.n);
    checkFinite(this.where, 'restart vector', v);
    const w = Float64Array.from(v);
    const before = norm(w);
    for (let pass = 0; pass < 2; pass++) {
      for (const b of this.basis) axpy(-dot(b, w), b, w);
    }
    const after = norm(w);
    if (!(after > 1e-8 * before)) return false;
    // Otherwise T would couple the last vector to v with the dropped residual's β.
    if (this.beta.length > 0) this.beta[this.beta.length - 1] = 0;
    this.next = Float64Array.from(w, (x) => x / after);
    return true;
  }
}
