/**
 * Training a {@link TwoLayerNet}: trust-region Newton-CG from `@dualtape/curvature` on the parameter
 * pytree (each CG step one exact H·v from the engine), or plain gradient descent as the baseline.
 *
 * @module
 */
import { OptionError, checkOptions, noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import { newtonCG } from '@dualtape/curvature';
import { NetworkDataError, type DataMatrix, type TwoLayerParams } from './reference/index.js';
import { checkNet, type TwoLayerNet } from './two-layer-net.js';
import { toParamTree } from './validate.js';

/**
 * Options of {@link train}, in the vocabulary of `@dualtape/curvature` (`maxIterations`,
 * `gradTolerance`, `onIteration` mean what they mean for `newtonCG`). Checked at run time: an unknown
 * key is an `OptionError` naming the valid ones.
 *
 * @example
 * ```ts
 * const opts: TrainOptions = { method: 'newton-cg', maxIterations: 200, gradTolerance: 1e-8 };
 * ```
 */
export interface TrainOptions {
  /** Default `'newton-cg'`. */
  method?: 'newton-cg' | 'gradient-descent';
  /** Outer iterations (Newton steps, accepted or rejected; or descent steps). Default 200 / 10 000. */
  maxIterations?: number;
  /** Stop when ‖∇E‖ ≤ gradTolerance. Default 1e-8. */
  gradTolerance?: number;
  /** Step size η of gradient descent, w ← w − η∇E (an `OptionError` with Newton-CG, which takes none). Default 1e-2. */
  learningRate?: number;
  /** Called after every iteration; return `false` to stop early. */
  onIteration?: (progress: TrainProgress) => void | boolean;
}

const TRAIN_OPTIONS: OptionsSpec<TrainOptions> = {
  method: option.literal('newton-cg', 'gradient-descent'),
  maxIterations: option.integer({ min: 0 }),
  gradTolerance: option.number({ min: 0 }),
  learningRate: option.number({ above: 0 }),
  onIteration: option.function(),
};

/**
 * The state after one iteration, as passed to `onIteration` and kept in `history`.
 *
 * @example
 * ```ts
 * train(net, params, X, T, { onIteration: (p: TrainProgress) => console.log(p.iteration, p.loss) });
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
  /**
   * ‖w‖₂ of the current parameters. Growing without bound while E keeps falling means E has no finite
   * minimizer on this data (a tanh net approaching a step or a parabola by ever larger weights).
   */
  paramNorm: number;
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
  /** True when ‖∇E‖ ≤ gradTolerance was reached. */
  converged: boolean;
  /** Why training stopped. */
  reason: 'gradient-tolerance' | 'max-iterations' | 'radius-too-small' | 'stopped-by-callback' | 'diverged';
  history: TrainProgress[];
}

/**
 * Minimizes the network's error E(w) on (X, T) from `params`.
 *
 * Newton-CG uses the exact Hessian through H·v products: no W×W matrix is formed, and negative
 * curvature (common away from a minimum) is handled by the trust region rather than by damping.
 *
 * @throws {OptionError} for an unknown option, an unknown method or a number option out of range.
 * @throws {NetworkShapeError | NetworkDataError} for params or data that do not fit the net, or a
 *   parameter that is not a finite number.
 * @throws {NetworkSpecError} when `net` is not a {@link TwoLayerNet} (e.g. a spec passed in its place).
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
  trainOptions?: TrainOptions,
): TrainResult {
  noExtraArguments('train', arguments, 5, 'train(net, params, X, T, options)');
  checkNet('train', net, ['lossFn', 'valueAndGrad']);
  const options = checkOptions('train', trainOptions, TRAIN_OPTIONS);
  const method = options.method ?? 'newton-cg';
  const maxIterations = options.maxIterations ?? (method === 'newton-cg' ? 200 : 10_000);
  const gradTolerance = options.gradTolerance ?? 1e-8;
  const learningRate = options.learningRate ?? 1e-2;
  // A step size Newton-CG would drop: as any option that would not be used, said rather than ignored.
  if (method === 'newton-cg' && options.learningRate !== undefined) {
    throw new OptionError("train: learningRate is gradient descent's step size, and Newton-CG takes none (its steps come from H·v and a trust region); drop it, or pass method: 'gradient-descent'");
  }

  const start = toParamTree(net.spec, params);
  // No method can start from a non-finite parameter: Newton-CG refused it as 'newtonCG: x0[6]', a name
  // the caller never gave, and gradient descent stopped at once as 'diverged'.
  for (const [block, values] of Object.entries(start)) {
    const i = values.findIndex((w) => !Number.isFinite(w));
    if (i >= 0) throw new NetworkDataError(`train: params.${block}[${i}] is ${values[i]}; training starts from finite parameters (e.g. net.init(seed))`);
  }
  const f = net.lossFn(X, T); // validates X and T once
  // Finite parameters can still give an infinite loss (weights of 1e200): neither method can start
  // there, and each said so in its own way (curvature's newtonCG error; gradient descent 'diverged').
  const E0 = net.loss(params, X, T);
  if (!Number.isFinite(E0)) throw new NetworkDataError(`train: the loss at the starting parameters is ${E0}; start from parameters that give a finite loss (e.g. net.init(seed), or smaller weights)`);
  return method === 'newton-cg'
    ? newtonCGTrain(f, start, maxIterations, gradTolerance, options.onIteration)
    : gradientDescent(net, start, X, T, maxIterations, gradTolerance, learningRate, options.onIteration);
}

function newtonCGTrain(
  f: ReturnType<TwoLayerNet['lossFn']>,
  start: ReturnType<typeof toParamTree>,
  maxIterations: number,
  gradTolerance: number,
  onIteration: TrainOptions['onIteration'],
): TrainResult {
  const history: TrainProgress[] = [];
  let hvpCount = 0;
  const r = newtonCG(f, start, {
    gradTolerance,
    // train's tolerance is absolute, as for gradient descent: newtonCG's relative one (a fraction of
    // the first gradient's norm) would stop it above gradTolerance and still call that converged.
    relativeGradTolerance: 0,
    maxIterations,
    onIteration(info) {
      hvpCount += info.cgIterations;
      const progress = { iteration: info.iteration, loss: info.value, gradNorm: info.gradNorm, hvpCount, paramNorm: norm2(info.x) };
      history.push(progress);
      return onIteration?.(progress);
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
  gradTolerance: number,
  learningRate: number,
  onIteration: TrainOptions['onIteration'],
): TrainResult {
  const history: TrainProgress[] = [];
  // Own copies: the caller's starting arrays stay untouched, as with Newton-CG.
  let p: TwoLayerParams = { w1: start.w1.slice(), b1: start.b1.slice(), w2: start.w2.slice(), b2: start.b2.slice() };
  let { value, grad } = net.valueAndGrad(p, X, T);
  let gradNorm = normOf(grad);
  let iterations = 0;
  let reason: TrainResult['reason'] = 'max-iterations';
  while (true) {
    if (gradNorm <= gradTolerance) {
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
    const progress = { iteration: iterations, loss: value, gradNorm, hvpCount: 0, paramNorm: normOf(p) };
    history.push(progress);
    if (onIteration?.(progress) === false) {
      reason = gradNorm <= gradTolerance ? 'gradient-tolerance' : 'stopped-by-callback';
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
  return Math.sqrt([g.w1, g.b1, g.w2, g.b2].reduce((s, block) => s + sumOfSquares(block), 0));
}

function norm2(v: Float64Array): number {
  return Math.sqrt(sumOfSquares(v));
}

function sumOfSquares(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}
