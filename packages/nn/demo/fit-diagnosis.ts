/**
 * Why a fit ended where it did, checked by going on: a fit is continued from its final weights for a
 * fixed number of further Newton-CG iterations with no gradient test, and the change tells a minimum
 * from a valley that runs off to infinite weights.
 *
 * Measured on the demo's data (N = 50, seed 2024): for sin(πx) and |x| the extra iterations move w by
 * < 1e-5 and E by < 1e-9 relative, and the Hessian there is positive definite — a finite minimum. For x²
 * (stopped by the 1000-iteration cap) and the step H(x) (stopped by ‖∇E‖ ≤ 1e-9) 100 more lower E by a
 * factor 0.74 and 0.07 while ‖w‖ grows by 7 % and 11 %, and the Hessian's smallest eigenvalues are ≈ 0
 * (|λ| < 1e-7 against λmax > 100). A 1-3-1 tanh net reaches x² only as a limit — two units with input
 * weights ε → 0 and output weights ∝ 1/ε² form the Taylor parabola, and along the fit E ∝ ‖w‖⁻⁴ — and
 * H(x) only as tanh's slope → ∞, so E has no finite minimizer and neither stop is at one.
 *
 * @module
 */
import { flattenParams, train, type DataMatrix, type TrainResult, type TwoLayerNet } from '../src/index.js';

/** What continuing the fit showed. */
export interface FitDiagnosis {
  /** `'minimum'`: going on leaves w and E where they are; `'unbounded'`: E falls as ‖w‖ keeps growing. */
  kind: 'minimum' | 'unbounded';
  /** Further iterations run. */
  iterations: number;
  lossBefore: number;
  lossAfter: number;
  normBefore: number;
  normAfter: number;
  /** ‖w_after − w_before‖₂. */
  step: number;
}

/** E must fall by more than this fraction, and ‖w‖ grow by more than GROWTH, to count as unbounded. */
const FALL = 0.1;
const GROWTH = 0.01;

/**
 * Continues `result` for `iterations` more Newton-CG iterations (gradient tolerance 0) and classifies it.
 *
 * @example
 * ```ts
 * const r = train(net, net.init(1), X, T, { maxIterations: 300 });
 * diagnoseFit(net, r, X, T).kind; // 'unbounded' for x² data: E still falls as ‖w‖ grows
 * ```
 */
export function diagnoseFit(net: TwoLayerNet, result: TrainResult, X: DataMatrix, T: DataMatrix, iterations = 100): FitDiagnosis {
  const more = train(net, result.params, X, T, { method: 'newton-cg', maxIterations: iterations, gradTolerance: 0 });
  const before = flattenParams(result.params);
  const after = flattenParams(more.params);
  const normBefore = Math.hypot(...before);
  const normAfter = Math.hypot(...after);
  const step = Math.hypot(...after.map((w, k) => w - before[k]));
  const unbounded = more.loss < (1 - FALL) * result.loss && normAfter > (1 + GROWTH) * normBefore;
  return {
    kind: unbounded ? 'unbounded' : 'minimum',
    iterations: more.iterations,
    lossBefore: result.loss,
    lossAfter: more.loss,
    normBefore,
    normAfter,
    step,
  };
}

/**
 * The demo's lines for a diagnosis: what going on did, and what that means for the way the fit ended.
 *
 * @example
 * ```ts
 * explainFit(r, diagnoseFit(net, r, X, T));
 * // ['100 more iterations: E 4.50e-8 → 3.31e-8, ‖w‖ 19.5 → 20.9, w moved 1.5e+0', 'no finite minimum: …']
 * ```
 */
export function explainFit(result: TrainResult, d: FitDiagnosis): string[] {
  const what =
    `${d.iterations} more iterations: E ${d.lossBefore.toExponential(2)} → ${d.lossAfter.toExponential(2)}, ` +
    `‖w‖ ${d.normBefore.toFixed(1)} → ${d.normAfter.toFixed(1)}, w moved ${d.step.toExponential(1)}`;
  if (d.kind === 'minimum') return [`${what}: a minimum`];
  const ended =
    result.reason === 'max-iterations'
      ? 'the iteration cap ended the fit, not a minimum'
      : result.reason === 'gradient-tolerance'
        ? '‖∇E‖ fell below the tolerance on the way out, not at a minimum'
        : `the fit ended (${result.reason}) on the way out, not at a minimum`;
  return [what, `no finite minimum: E keeps falling as the weights grow without bound; ${ended}`];
}
