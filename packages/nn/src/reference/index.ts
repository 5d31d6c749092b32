/**
 * Public entry of the hand-derived reference for the two-layer network of PRML §5.4.6: the network spec
 * and parameter layout, exact R-propagation (value, gradient, Hessian-vector product), and the
 * outer-product (Gauss–Newton) Hessian approximation of §5.4.2. Plain Float64Array loops, no AD.
 *
 * @example
 * ```ts
 * import { initParams, rPropagation } from './reference/index.js';
 * const spec = { inputs: 3, hidden: 4, outputs: 2, activation: 'tanh', output: 'linear' } as const;
 * const { value, grad, hvp } = rPropagation(spec, initParams(spec, 1), X, T, initParams(spec, 2));
 * ```
 *
 * @module
 */

export {
  ACTIVATIONS,
  OUTPUT_KINDS,
  PARAM_KEYS,
  NetworkSpecError,
  NetworkShapeError,
  NetworkDataError,
  validateSpec,
  validateParams,
  validateData,
  checkDataEntries,
  paramCount,
  paramOffsets,
  flattenParams,
  unflattenParams,
  zeroParams,
  mulberry32,
  initParams,
  logisticSigmoid,
  softplus,
  activationFunctions,
} from './spec.js';
export type {
  Activation,
  OutputKind,
  TwoLayerSpec,
  TwoLayerParams,
  DataMatrix,
  ParamKey,
  ActivationFunctions,
} from './spec.js';

export { rPropagation, lossValue, lossAndGrad, predict } from './r-propagation.js';
export type { RPropagationResult, LossAndGradResult } from './r-propagation.js';

export { outerProductHessian } from './outer-product.js';
