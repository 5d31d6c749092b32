/**
 * A line search for the strong Wolfe conditions: bracketing, then zoom with safeguarded cubic
 * interpolation (Nocedal & Wright, *Numerical Optimization*, Algorithms 3.5 and 3.6, as in scipy's
 * `scalar_search_wolfe2`), made robust for runs to tight tolerances:
 *
 * - **Rounding noise in f.** Near a minimum, f(x + αd) − f(x) can sink below the rounding error of f
 *   (a loss made of residuals that cancel, as in a physics-informed network, carries relative noise far
 *   above ε). Sufficient-decrease tests on such values are coin flips and a plain Wolfe search fails
 *   long before the gradient is small. Where f(α) is within `noise` of f(0), the search trusts the
 *   slope, which stays accurate: it accepts the approximate Wolfe conditions of Hager & Zhang (2005),
 *   −c₂|φ′(0)| ≤ φ′(α) ≤ (1 − 2δ)|φ′(0)|, and brackets by the sign of φ′.
 * - **Non-finite values.** A trial where f or φ′ is NaN/±Infinity is treated as "too far": the step
 *   shrinks toward the last finite point.
 */

/**
 * One evaluation of φ(α) = f(x + αd): the value, the slope φ′(α) = ∇f(x + αd)·d, and what the caller keeps.
 *
 * @example
 * ```ts
 * const p: LinePoint<Float64Array> = { alpha: 0.5, value: 1.25, slope: -0.1, payload: xTrial };
 * ```
 */
export interface LinePoint<P> {
  alpha: number;
  value: number;
  slope: number;
  /** The caller's data for this trial (typically x + αd and its gradient), handed back on success. */
  payload: P;
}

/**
 * φ(α) with its slope; `payload` is returned with the accepted point.
 *
 * @example
 * ```ts
 * const phi: LineFunction<number> = (a) => ({ value: (a - 2) ** 2, slope: 2 * (a - 2), payload: a });
 * ```
 */
export type LineFunction<P> = (alpha: number) => { value: number; slope: number; payload: P };

/**
 * Parameters of {@link strongWolfeSearch}.
 *
 * @example
 * ```ts
 * const params: StrongWolfeParameters = { c1: 1e-4, c2: 0.9, maxEvaluations: 30, noise: 1e-6 * Math.abs(f0) };
 * ```
 */
export interface StrongWolfeParameters {
  /** Sufficient-decrease constant c₁ of φ(α) ≤ φ(0) + c₁αφ′(0); 0 < c₁ < c₂. */
  c1: number;
  /** Curvature constant c₂ of |φ′(α)| ≤ c₂|φ′(0)|; c₁ < c₂ < 1. */
  c2: number;
  /** Evaluations of φ allowed before giving up. */
  maxEvaluations: number;
  /**
   * Absolute size of the rounding noise in φ: values within φ(0) + noise are not trusted to rank
   * points, and the approximate Wolfe conditions apply there. 0 turns that off.
   */
  noise: number;
}

/**
 * How the accepted point qualified: `'strong-wolfe'` (both conditions), `'approximate-wolfe'` (slope
 * conditions, with φ(α) within the noise of φ(0)), `'sufficient-decrease'` (only φ(α) ≤ φ(0) + c₁αφ′(0)
 * could be met within the evaluations: a usable decrease without the curvature condition), or
 * `'failed'` (no acceptable point; `point` is null).
 *
 * @example
 * ```ts
 * if (result.outcome === 'failed') restartWithSteepestDescent();
 * ```
 */
export type LineSearchOutcome = 'strong-wolfe' | 'approximate-wolfe' | 'sufficient-decrease' | 'failed';

/**
 * Result of {@link strongWolfeSearch}.
 *
 * @example
 * ```ts
 * const { outcome, point, evaluations }: LineSearchResult<number> = strongWolfeSearch(phi, f0, slope0, 1, params);
 * ```
 */
export interface LineSearchResult<P> {
  outcome: LineSearchOutcome;
  /** The accepted point, or null when the search failed. */
  point: LinePoint<P> | null;
  /** Evaluations of φ spent. */
  evaluations: number;
}

/** Keeps a zoom step this far (as a fraction of the interval) from either end, as scipy does. */
const CUBIC_MARGIN = 0.2;
const QUADRATIC_MARGIN = 0.1;
/** Hager–Zhang's δ: the upper slope bound (1 − 2δ)|φ′(0)| is Armijo's test on the secant of φ′. */
const HZ_DELTA = 0.1;

/**
 * Searches along a descent direction for a step satisfying the strong Wolfe conditions
 * φ(α) ≤ φ(0) + c₁αφ′(0) and |φ′(α)| ≤ c₂|φ′(0)| (or their approximate form inside the noise of φ).
 *
 * @param phi evaluates φ and φ′ at α (and the caller's payload).
 * @param value0 φ(0).
 * @param slope0 φ′(0); must be negative (d a descent direction).
 * @param alpha1 the first trial step (> 0).
 * @example
 * ```ts
 * // φ(α) = (α − 2)²: the exact minimizer α = 2 satisfies both conditions.
 * const phi = (a: number) => ({ value: (a - 2) ** 2, slope: 2 * (a - 2), payload: a });
 * const r = strongWolfeSearch(phi, 4, -4, 1, { c1: 1e-4, c2: 0.9, maxEvaluations: 20, noise: 0 });
 * r.outcome; // 'strong-wolfe'
 * ```
 */
export function strongWolfeSearch<P>(
  phi: LineFunction<P>,
  value0: number,
  slope0: number,
  alpha1: number,
  params: StrongWolfeParameters,
): LineSearchResult<P> {
  const { c1, c2, maxEvaluations, noise } = params;
  let evaluations = 0;
  if (!(slope0 < 0) || !(alpha1 > 0) || !Number.isFinite(alpha1)) return { outcome: 'failed', point: null, evaluations };
  let best: LinePoint<P> | null = null; // lowest φ among points with sufficient decrease

  const evaluate = (alpha: number): LinePoint<P> => {
    evaluations++;
    const r = phi(alpha);
    return { alpha, value: r.value, slope: r.slope, payload: r.payload };
  };
  const finite = (p: LinePoint<P>) => Number.isFinite(p.value) && Number.isFinite(p.slope);
  const sufficientDecrease = (p: LinePoint<P>) => p.value <= value0 + c1 * p.alpha * slope0;
  const flatEnough = (p: LinePoint<P>) => Math.abs(p.slope) <= -c2 * slope0;
  const withinNoise = (p: LinePoint<P>) => noise > 0 && p.value <= value0 + noise;
  const approximateWolfe = (p: LinePoint<P>) =>
    withinNoise(p) && p.slope >= c2 * slope0 && p.slope <= -(1 - 2 * HZ_DELTA) * slope0;
  /** Whether p is at least as good as q for bracketing: lower φ, or indistinguishable φ inside the noise. */
  const noWorse = (p: LinePoint<P>, q: LinePoint<P>) =>
    p.value < q.value || (withinNoise(p) && withinNoise(q) && Math.abs(p.value - q.value) <= noise);
  const remember = (p: LinePoint<P>) => {
    if (sufficientDecrease(p) && p.value < value0 && (best === null || p.value < best.value)) best = p;
  };
  const giveUp = (): LineSearchResult<P> =>
    best !== null ? { outcome: 'sufficient-decrease', point: best, evaluations } : { outcome: 'failed', point: null, evaluations };

  // Zoom inside a bracket: `lo` is the best point so far (φ acceptable), the minimizer lies between
  // lo and hi, and lo's slope points toward hi. `hi` may be non-finite (only a position is known).
  const zoom = (lo: LinePoint<P>, hi: LinePoint<P>): LineSearchResult<P> => {
    while (evaluations < maxEvaluations) {
      const width = hi.alpha - lo.alpha;
      if (Math.abs(width) <= Number.EPSILON * Math.max(Math.abs(lo.alpha), Math.abs(hi.alpha))) break;
      const alpha = zoomStep(lo, hi, finite(hi));
      const p = evaluate(alpha);
      if (!finite(p)) {
        hi = p;
        continue;
      }
      remember(p);
      if (sufficientDecrease(p) && flatEnough(p)) return { outcome: 'strong-wolfe', point: p, evaluations };
      if (approximateWolfe(p)) return { outcome: 'approximate-wolfe', point: p, evaluations };
      const acceptable = (sufficientDecrease(p) || withinNoise(p)) && noWorse(p, lo);
      if (!acceptable) {
        hi = p;
      } else {
        if (p.slope * (hi.alpha - lo.alpha) >= 0) hi = lo;
        lo = p;
      }
    }
    return giveUp();
  };

  let prev: LinePoint<P> = { alpha: 0, value: value0, slope: slope0, payload: undefined as P };
  let alpha = alpha1;
  while (evaluations < maxEvaluations) {
    const p = evaluate(alpha);
    if (!finite(p)) return zoom(prev, p);
    remember(p);
    if (sufficientDecrease(p) && flatEnough(p)) return { outcome: 'strong-wolfe', point: p, evaluations };
    if (approximateWolfe(p)) return { outcome: 'approximate-wolfe', point: p, evaluations };
    const acceptable = (sufficientDecrease(p) || withinNoise(p)) && (prev.alpha === 0 || noWorse(p, prev));
    if (!acceptable) return zoom(prev, p);
    if (p.slope >= 0) return zoom(p, prev);
    // Still going down steeply: step further, by the cubic's minimizer kept within [2.1α, 5α]-like
    // bounds relative to the last step (Moré–Thuente's extrapolation interval).
    const grow = p.alpha - prev.alpha;
    const lower = p.alpha + 1.1 * grow;
    const upper = p.alpha + 4 * grow;
    const guess = cubicMinimizer(prev, p);
    alpha = Number.isFinite(guess) ? Math.min(upper, Math.max(lower, guess)) : upper;
    prev = p;
  }
  return giveUp();
}

/** The next trial inside [lo, hi]: cubic, else quadratic, else the midpoint, never near an end. */
function zoomStep<P>(lo: LinePoint<P>, hi: LinePoint<P>, hiFinite: boolean): number {
  const a = Math.min(lo.alpha, hi.alpha);
  const b = Math.max(lo.alpha, hi.alpha);
  const width = b - a;
  if (hiFinite) {
    const cubic = cubicMinimizer(lo, hi);
    if (cubic > a + CUBIC_MARGIN * width && cubic < b - CUBIC_MARGIN * width) return cubic;
    const quadratic = quadraticMinimizer(lo, hi);
    if (quadratic > a + QUADRATIC_MARGIN * width && quadratic < b - QUADRATIC_MARGIN * width) return quadratic;
  }
  return 0.5 * (a + b);
}

/** Minimizer of the cubic through two points with their slopes (N&W eq. 3.59); NaN when it has none. */
function cubicMinimizer<P>(p: LinePoint<P>, q: LinePoint<P>): number {
  const d1 = p.slope + q.slope - (3 * (p.value - q.value)) / (p.alpha - q.alpha);
  const disc = d1 * d1 - p.slope * q.slope;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(q.alpha - p.alpha) * Math.sqrt(disc);
  const denom = q.slope - p.slope + 2 * d2;
  if (denom === 0) return NaN;
  return q.alpha - (q.alpha - p.alpha) * ((q.slope + d2 - d1) / denom);
}

/** Minimizer of the quadratic through φ(p), φ′(p) and φ(q); NaN when it opens downward. */
function quadraticMinimizer<P>(p: LinePoint<P>, q: LinePoint<P>): number {
  const h = q.alpha - p.alpha;
  const curvature = (q.value - p.value - p.slope * h) / (h * h);
  if (!(curvature > 0)) return NaN;
  return p.alpha - p.slope / (2 * curvature);
}
