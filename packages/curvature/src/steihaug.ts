/**
 * Steihaug–Toint truncated conjugate gradients for the trust-region subproblem
 *
 *     minimize  m(p) = gᵀp + ½ pᵀHp   subject to ‖p‖ ≤ Δ.
 *
 * CG from p = 0 increases ‖p‖ monotonically and decreases m monotonically, so the iteration
 * can simply stop where it leaves the ball (or meets pᵀHp ≤ 0) and step to the boundary.
 * That is what lets a Newton method use an indefinite Hessian safely.
 */
import type { LinearOperator } from './operator.js';
import { axpy, dot, norm } from './kernels.js';
import { noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import { checkedApply, checkedOptions, checkFinite, checkNumber } from './validate.js';
import { extraArgumentError } from './arity.js';

/**
 * Why {@link steihaug} stopped.
 *
 * @example
 * ```ts
 * steihaug(denseOperator([[1, 0], [0, -1]]), Float64Array.of(1, 0.1), 2).reason; // 'negative-curvature'
 * ```
 */
export type SteihaugReason = 'converged' | 'boundary' | 'negative-curvature' | 'max-iterations';

/**
 * Options of {@link steihaug}.
 *
 * @example
 * ```ts
 * steihaug(H, g, radius, { tolerance: 1e-6, maxIterations: 20 });
 * ```
 */
export interface SteihaugOptions {
  /** Stop when the residual ‖Hp + g‖ ≤ tolerance·‖g‖. Default `1e-10`. */
  tolerance?: number;
  /** Maximum CG iterations (= products with H). Default `2·n`. */
  maxIterations?: number;
}

const STEIHAUG_OPTIONS: OptionsSpec<SteihaugOptions> = {
  tolerance: option.number({ min: 0 }),
  maxIterations: option.integer({ min: 0 }),
};

/**
 * Result of {@link steihaug}.
 *
 * @example
 * ```ts
 * const { p, reason, predictedReduction }: SteihaugResult = steihaug(denseOperator([[2, 0], [0, 2]]), Float64Array.of(1, 1), 10);
 * // p = [-0.5, -0.5], 'converged': the Newton step lies inside the region
 * ```
 */
export interface SteihaugResult {
  /** The step, with ‖p‖ ≤ Δ (‖p‖ = Δ up to rounding for `'boundary'`/`'negative-curvature'`). */
  p: Float64Array;
  /** CG iterations performed. */
  iterations: number;
  /** Why it stopped. */
  reason: SteihaugReason;
  /** m(0) − m(p) = −(gᵀp + ½pᵀHp) ≥ 0, computed without an extra product. */
  predictedReduction: number;
  /** Products with H. */
  applies: number;
}

/**
 * Approximately solves the trust-region subproblem with Steihaug–Toint CG
 * (Nocedal & Wright, *Numerical Optimization*, Algorithm 7.2).
 *
 * On negative curvature it follows the offending direction to the boundary, choosing whichever
 * of the two boundary points has the lower model value.
 *
 * @example
 * ```ts
 * const H = denseOperator([[1, 0], [0, -1]]);            // indefinite
 * const r = steihaug(H, Float64Array.of(1, 0.1), 2);
 * r.reason;   // 'negative-curvature'
 * norm(r.p);  // 2
 * ```
 * @throws {NonFiniteValueError} when `g` or an operator output is not finite.
 * @throws {DimensionMismatchError} when an operator output has the wrong length.
 * @throws {CurvatureInputError} when `radius` ≤ 0.
 * @throws {CurvatureOptionError} for an unknown option or an option of the wrong type or range.
 */
export function steihaug(
  apply: LinearOperator,
  g: Float64Array,
  radius: number,
  options?: SteihaugOptions,
): SteihaugResult {
  noExtraArguments('steihaug', arguments, 4, 'steihaug(apply, g, radius, options)', undefined, extraArgumentError);
  const where = 'steihaug';
  const opts = checkedOptions(where, options, STEIHAUG_OPTIONS);
  checkFinite(where, 'g', g);
  const n = g.length;
  checkNumber(where, 'radius', radius, 0, Infinity, true);
  const tol = opts.tolerance ?? 1e-10;
  const maxIter = opts.maxIterations ?? 2 * n;
  let applies = 0;

  const z = new Float64Array(n); // current iterate
  const Hz = new Float64Array(n); // H·z, maintained by recurrence so m(p) costs no product
  const r = Float64Array.from(g); // residual H z + g
  const gNorm = norm(g);
  const target = tol * gNorm;

  const finish = (reason: SteihaugReason, p: Float64Array, Hp: Float64Array, iterations: number): SteihaugResult => {
    const model = dot(g, p) + 0.5 * dot(p, Hp);
    return { p, iterations, reason, predictedReduction: 0 - model, applies }; // 0 − m: never −0
  };
  if (gNorm <= target || gNorm === 0) return finish('converged', z, Hz, 0);

  const d = Float64Array.from(g, (gi) => -gi);
  let rr = dot(r, r);
  for (let it = 0; it < maxIter; it++) {
    applies++;
    const Hd = checkedApply(where, 'operator output', apply, d);
    const dHd = dot(d, Hd);
    if (!(dHd > 0)) {
      // m(z + τd) − m(z) = τ rᵀd + ½τ² dᵀHd: take the boundary root with the lower model value.
      const [tLow, tHigh] = boundaryRoots(z, d, radius);
      const rd = dot(r, d);
      const gain = (t: number): number => t * rd + 0.5 * t * t * dHd;
      const tau = gain(tLow) < gain(tHigh) ? tLow : tHigh;
      return finish('negative-curvature', step(z, d, tau), step(Hz, Hd, tau), it + 1);
    }
    const alpha = rr / dHd;
    const zNext = step(z, d, alpha);
    if (norm(zNext) >= radius) {
      const tau = boundaryRoots(z, d, radius)[1];
      return finish('boundary', step(z, d, tau), step(Hz, Hd, tau), it + 1);
    }
    z.set(zNext);
    axpy(alpha, Hd, Hz);
    axpy(alpha, Hd, r);
    const rrNew = dot(r, r);
    if (Math.sqrt(rrNew) <= target) return finish('converged', z, Hz, it + 1);
    const beta = rrNew / rr;
    rr = rrNew;
    for (let i = 0; i < n; i++) d[i] = -r[i] + beta * d[i];
  }
  return finish('max-iterations', z, Hz, maxIter);
}

/** z + τd as a new array. */
function step(z: Float64Array, d: Float64Array, tau: number): Float64Array {
  return axpy(tau, d, Float64Array.from(z));
}

/**
 * The two roots τ₋ ≤ 0 ≤ τ₊ of ‖z + τd‖ = Δ for ‖z‖ ≤ Δ, using the cancellation-free form of
 * the quadratic formula (z is often much shorter or longer than d).
 */
function boundaryRoots(z: Float64Array, d: Float64Array, radius: number): [number, number] {
  const a = dot(d, d);
  const b = 2 * dot(z, d);
  const c = Math.min(0, dot(z, z) - radius * radius); // clamp: z is inside up to rounding
  const disc = Math.sqrt(b * b - 4 * a * c);
  const q = -0.5 * (b + (b >= 0 ? disc : -disc));
  if (q === 0) return [0, 0]; // only when z = 0 and Δ = 0, excluded by the caller's checks
  const t1 = q / a;
  const t2 = c / q;
  return t1 <= t2 ? [t1, t2] : [t2, t1];
}
