/**
 * `twoLayerNet`: the network of PRML §5.4.6 as a differentiable function for `@dualtape/core`, with the
 * value, gradient, exact H·v, full Hessian and Gauss-Newton product delegated to the engine. The
 * hand-derived R-propagation in `./reference` is what these are tested against.
 *
 * @module
 */
import {
  describeValue,
  ggnvp,
  gradAndHvp as coreGradAndHvp,
  hessian as coreHessian,
  noExtraArguments,
  valueAndGrad as coreValueAndGrad,
  type NodeTree,
  type Scalar,
  type Tensor,
} from '@dualtape/core';
import { hiddenOutputsUnchecked } from './hidden-units.js';
import { canonicalErrorGraph, checkNodeParams, checkPreActivations, outputPreActivationsGraph } from './network-graph.js';
import {
  NetworkShapeError,
  NetworkSpecError,
  checkDataEntries,
  initParams,
  paramCount,
  predict as referencePredict,
  validateData,
  validateSpec,
  type DataMatrix,
  type TwoLayerParams,
  type TwoLayerSpec,
} from './reference/index.js';
import { checkData, checkInputs, toParamTree } from './validate.js';

/**
 * A two-layer network bound to its spec. Parameters use the reference layout {@link TwoLayerParams}
 * (w1 H×D, b1 H, w2 K×H, b2 K); every flat vector and matrix is in the order w1, b1, w2, b2.
 *
 * @example
 * ```ts
 * const net = twoLayerNet({ inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' });
 * const params = net.init(1);
 * const { value, grad, hvp } = net.gradAndHvp(params, X, T, v);
 * ```
 */
export interface TwoLayerNet {
  /** The validated, frozen spec. */
  readonly spec: Readonly<TwoLayerSpec>;
  /** W = H·D + H + K·H + K. */
  readonly paramCount: number;
  /** Seeded initial parameters (the reference's `initParams`). */
  init(seed: number): TwoLayerParams;
  /**
   * The error E(w) for data (X, T) as a function core can differentiate; X and T are checked and
   * copied once here, not on every call.
   */
  lossFn(X: DataMatrix, T: DataMatrix): (p: NodeTree<TwoLayerParams>) => Scalar;
  /** The output pre-activations a_k as a function of the parameters, an [N, K] tensor. */
  modelFn(X: DataMatrix): (p: NodeTree<TwoLayerParams>) => Tensor;
  /** The canonical error as a function of the output pre-activations ([N, K]). */
  errorFn(T: DataMatrix): (a: Tensor) => Scalar;
  /** E(w), summed over patterns. */
  loss(params: TwoLayerParams, X: DataMatrix, T: DataMatrix): number;
  /** E and ∇E from one forward and one reverse sweep. */
  valueAndGrad(params: TwoLayerParams, X: DataMatrix, T: DataMatrix): { value: number; grad: TwoLayerParams };
  /** E, ∇E and the exact H·v from one dual forward and one dual reverse sweep. */
  gradAndHvp(
    params: TwoLayerParams,
    X: DataMatrix,
    T: DataMatrix,
    v: TwoLayerParams,
  ): { value: number; grad: TwoLayerParams; hvp: TwoLayerParams };
  /** The full W×W Hessian, row-major in the order w1, b1, w2, b2 (W products H·e_j: small nets only). */
  hessian(params: TwoLayerParams, X: DataMatrix, T: DataMatrix): Float64Array;
  /** G·v with G = Σ_n J_nᵀ H_L J_n the Gauss-Newton (outer-product) matrix of PRML §5.4.2. */
  gaussNewton(params: TwoLayerParams, X: DataMatrix, T: DataMatrix, v: TwoLayerParams): TwoLayerParams;
  /** The outputs y = f(a) after the output function, N×K row-major. */
  predict(params: TwoLayerParams, X: DataMatrix): Float64Array;
  /** The hidden-unit outputs z_j, N×H row-major. */
  hiddenOutputs(params: TwoLayerParams, X: DataMatrix): Float64Array;
}

/**
 * Builds a {@link TwoLayerNet}: D inputs, H hidden units with activation tanh, logistic or relu, and K
 * outputs with the canonical error of the output kind (linear → sum of squares, logistic → binary
 * cross-entropy, softmax → multiclass cross-entropy), summed over patterns.
 *
 * @throws {NetworkSpecError} for a size that is not a positive integer, more than 2²⁷ parameters in all (see
 *   `validateSpec`), an unknown activation/output name, or output `'softmax'` with `outputs: 1`.
 * @example
 * ```ts
 * const net = twoLayerNet({ inputs: 784, hidden: 256, outputs: 10, activation: 'tanh', output: 'softmax' });
 * const params = net.init(42);
 * const E = net.loss(params, X, T);
 * const Gv = net.gaussNewton(params, X, T, v); // PSD curvature product
 * ```
 */
export function twoLayerNet(options: TwoLayerSpec): TwoLayerNet {
  noExtraArguments('twoLayerNet', arguments, 1, 'twoLayerNet(spec)');
  validateSpec(options);
  // Copy before freezing: the caller's object must neither be frozen nor able to change the net later.
  const spec: Readonly<TwoLayerSpec> = Object.freeze({
    inputs: options.inputs,
    hidden: options.hidden,
    outputs: options.outputs,
    activation: options.activation,
    output: options.output,
  });
  const K = spec.outputs;

  // The closures check only what they are called with (a few instanceof and size tests per evaluation);
  // X and T were checked when the closure was built.
  const modelFn = function modelFn(X: DataMatrix) {
    noExtraArguments('net.modelFn', arguments, 1, 'net.modelFn(X)');
    const N = checkInputs(spec, X);
    const x = Float64Array.from(X);
    return (p: NodeTree<TwoLayerParams>): Tensor => {
      checkNodeParams('modelFn(X)', spec, p);
      return outputPreActivationsGraph(spec, p, x, N);
    };
  };
  const errorOf = (T: Float64Array, N: number) => (a: Tensor): Scalar => {
    checkPreActivations('errorFn(T)', a, N, K);
    return canonicalErrorGraph(spec.output, a, T, N, K);
  };
  const lossFn = function lossFn(X: DataMatrix, T: DataMatrix) {
    noExtraArguments('net.lossFn', arguments, 2, 'net.lossFn(X, T)');
    const N = checkData(spec, X, T);
    const x = Float64Array.from(X);
    const t = Float64Array.from(T);
    return (p: NodeTree<TwoLayerParams>): Scalar => {
      checkNodeParams('lossFn(X, T)', spec, p);
      return canonicalErrorGraph(spec.output, outputPreActivationsGraph(spec, p, x, N), t, N, K);
    };
  };

  return {
    spec,
    paramCount: paramCount(spec),
    init(seed) {
      noExtraArguments('net.init', arguments, 1, 'net.init(seed)');
      return initParams(spec, seed);
    },
    lossFn,
    modelFn,
    errorFn(T) {
      noExtraArguments('net.errorFn', arguments, 1, 'net.errorFn(T)');
      checkDataEntries('T', T, K); // before T.length: T may be anything
      const N = T.length / K;
      if (!Number.isInteger(N) || N < 1) {
        throw new NetworkShapeError(`T has length ${T.length} but expected N×K with K = ${K} and N ≥ 1`);
      }
      validateData(spec, new Float64Array(N * spec.inputs), T); // the target values (finite, valid for the output kind)
      return errorOf(Float64Array.from(T), N);
    },
    loss(params, X, T) {
      noExtraArguments('net.loss', arguments, 3, 'net.loss(params, X, T)');
      // valueAndGrad is the engine's cheapest full evaluation (one extra reverse sweep), and it keeps
      // net.loss on the very graph whose derivatives the other methods return.
      return coreValueAndGrad(lossFn(X, T))(toParamTree(spec, params)).value;
    },
    valueAndGrad(params, X, T) {
      noExtraArguments('net.valueAndGrad', arguments, 3, 'net.valueAndGrad(params, X, T)');
      return coreValueAndGrad(lossFn(X, T))(toParamTree(spec, params));
    },
    gradAndHvp(params, X, T, v) {
      noExtraArguments('net.gradAndHvp', arguments, 4, 'net.gradAndHvp(params, X, T, v)');
      const f = lossFn(X, T);
      return coreGradAndHvp(f, toParamTree(spec, params), toParamTree(spec, v, 'v'));
    },
    hessian(params, X, T) {
      noExtraArguments('net.hessian', arguments, 3, 'net.hessian(params, X, T)');
      return coreHessian(lossFn(X, T), toParamTree(spec, params));
    },
    gaussNewton(params, X, T, v) {
      noExtraArguments('net.gaussNewton', arguments, 4, 'net.gaussNewton(params, X, T, v)');
      const N = checkData(spec, X, T);
      const p = toParamTree(spec, params);
      const dir = toParamTree(spec, v, 'v');
      return ggnvp(modelFn(X), errorOf(Float64Array.from(T), N), p, dir);
    },
    predict(params, X) {
      noExtraArguments('net.predict', arguments, 2, 'net.predict(params, X)');
      checkInputs(spec, X);
      return referencePredict(spec, toParamTree(spec, params), X);
    },
    hiddenOutputs(params, X) {
      noExtraArguments('net.hiddenOutputs', arguments, 2, 'net.hiddenOutputs(params, X)');
      checkInputs(spec, X);
      return hiddenOutputsUnchecked(spec, toParamTree(spec, params), X);
    },
  };
}

/**
 * Checks that `net` is a {@link TwoLayerNet}: an object with a valid `spec` and the methods `fn` calls
 * (`uses`). A spec passed in its place is named as such.
 *
 * @throws {NetworkSpecError} naming `fn` and what `net` was.
 * @internal
 */
export function checkNet(fn: string, net: unknown, uses: readonly (keyof TwoLayerNet)[]): asserts net is TwoLayerNet {
  const make = 'build one with twoLayerNet(spec)';
  if (typeof net !== 'object' || net === null) {
    throw new NetworkSpecError(`${fn}: net must be a TwoLayerNet (${make}), got ${describeValue(net)}`);
  }
  const n = net as Record<string, unknown>;
  if (!('spec' in n)) {
    const what = 'inputs' in n && 'activation' in n ? 'a spec' : `${describeValue(net)} without a spec`;
    throw new NetworkSpecError(`${fn}: net must be a TwoLayerNet (${make}), got ${what}`);
  }
  const missing = uses.filter((m) => typeof n[m] !== 'function');
  if (missing.length > 0) {
    throw new NetworkSpecError(
      `${fn}: net must be a TwoLayerNet (${make}), got an object without the method${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    );
  }
  validateSpec(n.spec);
}
