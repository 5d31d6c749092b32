/**
 * The strong Wolfe line search itself, without argument checks (internal: not exported from the
 * package index). {@link strongWolfeSearch} checks its arguments and calls this; {@link lbfgsFlat},
 * whose arguments are valid by construction, calls it directly once per iteration.
 */
import type { LineFunction, LinePoint, LineSearchResult, StrongWolfeParameters } from './line-search.js';

/** Keeps a zoom step this far (as a fraction of the interval) from either end, as scipy does. */
const CUBIC_MARGIN = 0.2;
const QUADRATIC_MARGIN = 0.1;
/** Hager–Zhang's δ: the upper slope bound (1 − 2δ)|φ′(0)| is Armijo's test on the secant of φ′. */
const HZ_DELTA = 0.1;

/** {@link strongWolfeSearch} without argument checks: see there for the algorithm and the parameters. */
export function searchStrongWolfe<P>(
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
