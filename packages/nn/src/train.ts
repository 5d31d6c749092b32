/**
 * Training a {@link TwoLayerNet}: trust-region Newton-CG from `@dualtape/curvature` on the parameter
 * pytree (each CG step one exact H·v from the engine), or plain gradient descent as the baseline.
 *
 * @module
 */
import { newtonCG } from '@dualtape/curvature';
import { OptionError } from './errors.js';
import type { DataMatrix, TwoLayerParams } from './reference/index.js';
import type { TwoLayerNet } from './two-layer-net.js';
import { toParamTree } from './validate.js';

/**
 * Options of {@link train}.
 *
 * @example
 * ```ts
 * const opts: TrainOptions = { method: 'newton-cg', maxIterations: 200, tolerance: 1e-8 };
 * ```
 */
export interface TrainOptions {
  /** Default `'newton-cg'`. */
  method?: 'newton-cg' | 'gradient-descent';
  /** Outer iterations (Newton steps, accepted or rejected; or descent steps). Default 200 / 10 000. */
  maxIterations?: number;
  /** Stop when ‖∇E‖ ≤ tolerance. Default 1e-8. */
  tolerance?: number;
  /** Step size η of gradient descent, w ← w − η∇E (ignored by Newton-CG). Default 1e-2. */
  learningRate?: number;
  /** Called after every iteration; return `false` to stop early. */
  onProgress?: (progress: TrainProgress) => void | boolean;
}

/**
 * The state after one iteration, as passed to `onProgress` and kept in `history`.
 *
 * @example
 * ```ts
 * train(net, params, X, T, { onProgress: (p: TrainProgress) => console.log(p.iteration, p.loss) });
 * ```
 */
export interface TrainProgress {
  /** 1-based iteration number. */
  iteration: number;
  /** E at the current parameters (after the step was accepted or rejected). */
  loss: number;
  /** ‖∇E‖ there. */
  gradNorm: number;
  /** Hessian-vector products used so far (0 for gradient descent). */
  hvpCount: number;
}

/**
 * Result of {@link train}.
 *
 * @example
 * ```ts
 * const { params, loss, iterations, hvpCount, converged }: TrainResult = train(net, net.init(1), X, T);
 * ```
 */
export interface TrainResult {
  /** The trained parameters (new arrays; the starting ones are not modified). */
  params: TwoLayerParams;
  /** E at `params`. */
  loss: number;
  /** ‖∇E‖ at `params`. */
  gradNorm: number;
  iterations: number;
  hvpCount: number;
  /** True when ‖∇E‖ ≤ tolerance was reached. */
  converged: boolean;
  /** Why training stopped. */
  reason: 'gradient-tolerance' | 'max-iterations' | 'radius-too-small' | 'stopped-by-callback' | 'diverged';
  history: TrainProgress[];
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new OptionError(`train: ${message}`);
}

/**
 * Minimizes the network's error E(w) on (X, T) from `params`.
 *
 * Newton-CG uses the exact Hessian through H·v products: no W×W matrix is formed, and negative
 * curvature (common away from a minimum) is handled by the trust region rather than by damping.
 *
 * @throws {OptionError} for an unknown method or an invalid number option.
 * @throws {NetworkShapeError | NetworkDataError} for params or data that do not fit the net.
 * @example
 * ```ts
 * const net = twoLayerNet({ inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' });
 * const r = train(net, net.init(1), X, T, { method: 'newton-cg', maxIterations: 300 });
 * console.log(r.loss, r.iterations, r.hvpCount);
 * ```
 */
export function train(
  net: TwoLayerNet,
  params: TwoLayerParams,
  X: DataMatrix,
  T: DataMatrix,
  options: TrainOptions = {},
): TrainResult {
  const method = options.method ?? 'newton-cg';
  check(method === 'newton-cg' || method === 'gradient-descent', `unknown method ${JSON.stringify(method)}; expected 'newton-cg' or 'gradient-descent'`);
  const maxIterations = options.maxIterations ?? (method === 'newton-cg' ? 200 : 10_000);
  check(Number.isInteger(maxIterations) && maxIterations >= 0, `maxIterations must be a non-negative integer, got ${maxIterations}`);
  const tolerance = options.tolerance ?? 1e-8;
  check(Number.isFinite(tolerance) && tolerance >= 0, `tolerance must be a finite number ≥ 0, got ${tolerance}`);
  const learningRate = options.learningRate ?? 1e-2;
  check(Number.isFinite(learningRate) && learningRate > 0, `learningRate must be a finite number > 0, got ${learningRate}`);

  const start = toParamTree(net.spec, params);
  const f = net.lossFn(X, T); // validates X and T once
  return method === 'newton-cg'
    ? newtonCGTrain(f, start, maxIterations, tolerance, options.onProgress)
    : gradientDescent(net, start, X, T, maxIterations, tolerance, learningRate, options.onProgress);
}

function newtonCGTrain(
  f: ReturnType<TwoLayerNet['lossFn']>,
  start: ReturnType<typeof toParamTree>,
  maxIterations: number,
  tolerance: number,
  onProgress: TrainOptions['onProgress'],
): TrainResult {
  const history: TrainProgress[] = [];
  let hvpCount = 0;
  const r = newtonCG(f, start, {
    gradTol: tolerance,
    maxIter: maxIterations,
    onIteration(info) {
      hvpCount += info.cgIterations;
      const progress = { iteration: info.iteration, loss: info.value, gradNorm: info.gradNorm, hvpCount };
      history.push(progress);
      return onProgress?.(progress);
    },
  });
  return {
    params: r.x,
    loss: r.value,
    gradNorm: r.gradNorm,
    iterations: r.iterations,
    hvpCount: r.hvpCount,
    converged: r.converged,
    reason: r.reason,
    history,
  };
}

function gradientDescent(
  net: TwoLayerNet,
  start: ReturnType<typeof toParamTree>,
  X: DataMatrix,
  T: DataMatrix,
  maxIterations: number,
  tolerance: number,
  learningRate: number,
  onProgress: TrainOptions['onProgress'],
): TrainResult {
  const history: TrainProgress[] = [];
  // Own copies: the caller's starting arrays stay untouched, as with Newton-CG.
  let p: TwoLayerParams = { w1: start.w1.slice(), b1: start.b1.slice(), w2: start.w2.slice(), b2: start.b2.slice() };
  let { value, grad } = net.valueAndGrad(p, X, T);
  let gradNorm = normOf(grad);
  let iterations = 0;
  let reason: TrainResult['reason'] = 'max-iterations';
  while (true) {
    if (gradNorm <= tolerance) {
      reason = 'gradient-tolerance';
      break;
    }
    if (iterations >= maxIterations) break;
    iterations++;
    const next: TwoLayerParams = {
      w1: step(p.w1, grad.w1, learningRate),
      b1: step(p.b1, grad.b1, learningRate),
      w2: step(p.w2, grad.w2, learningRate),
      b2: step(p.b2, grad.b2, learningRate),
    };
    const r = net.valueAndGrad(next, X, T);
    // A fixed step too large for the curvature blows up; keep the last finite point and say so.
    if (!Number.isFinite(r.value) || !Number.isFinite(normOf(r.grad))) {
      reason = 'diverged';
      break;
    }
    p = next;
    ({ value, grad } = r);
    gradNorm = normOf(grad);
    const progress = { iteration: iterations, loss: value, gradNorm, hvpCount: 0 };
    history.push(progress);
    if (onProgress?.(progress) === false) {
      reason = gradNorm <= tolerance ? 'gradient-tolerance' : 'stopped-by-callback';
      break;
    }
  }
  return { params: p, loss: value, gradNorm, iterations, hvpCount: 0, converged: reason === 'gradient-tolerance', reason, history };
}

function step(w: Float64Array, g: Float64Array, eta: number): Float64Array {
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = w[i] - eta * g[i];
  return out;
}

function normOf(g: TwoLayerParams): number {
  let s = 0;
  for (const block of [g.w1, g.b1, g.w2, g.b2]) for (let i = 0; i < block.length; i++) s += block[i] * block[i];
  return Math.sqrt(s);
}
