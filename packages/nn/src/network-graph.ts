/**
 * The two-layer network and its canonical errors written only with `@dualtape/core` ops, so that the
 * engine (not hand-derived code) supplies the gradient, H·v and the Gauss-Newton product. Every
 * function here must be called inside a function passed to a core transform.
 *
 * The exported functions check their arguments once per call (spec, node kinds and sizes, data); the
 * `…Graph` versions below them are the same ops without the checks, for the closures of `twoLayerNet`,
 * which check what they were given when they are built.
 *
 * @module
 */
import { Tensor, describeValue, isNode, noExtraArguments, tensor, type NodeTree, type Scalar } from '@dualtape/core';
import {
  ACTIVATIONS,
  NetworkShapeError,
  NetworkSpecError,
  OUTPUT_KINDS,
  PARAM_KEYS,
  checkDataEntries,
  validateData,
  validateSpec,
  type Activation,
  type OutputKind,
  type TwoLayerParams,
  type TwoLayerSpec,
} from './reference/index.js';
import { checkInputs } from './validate.js';

function listNames(names: readonly string[]): string {
  return names.map((s) => `'${s}'`).join(', ');
}

function showName(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : describeValue(v);
}

function describeNode(v: unknown): string {
  return v instanceof Tensor ? `a tensor of shape [${v.shape.join(', ')}]` : isNode(v) ? 'a scalar node' : describeValue(v);
}

/**
 * Checks that `p` is the parameter tree as a core transform passes it: w1, b1, w2, b2 tensors holding
 * H·D, H, K·H and K numbers. Called when `f` is evaluated, so a plain `TwoLayerParams` passed to it
 * directly (outside a transform) is a typed error saying how to call it.
 *
 * @throws {NetworkShapeError} naming the block and what it is.
 * @internal
 */
export function checkNodeParams(fn: string, spec: TwoLayerSpec, p: unknown): asserts p is NodeTree<TwoLayerParams> {
  const how = `${fn} takes the parameters as core passes them inside a transform (e.g. valueAndGrad(f)(params)), not plain arrays`;
  if (typeof p !== 'object' || p === null || isNode(p)) {
    throw new NetworkShapeError(`${fn}: p must be an object of tensors w1, b1, w2, b2, got ${describeNode(p)}; ${how}`);
  }
  const { inputs: D, hidden: H, outputs: K } = spec;
  const sizes = { w1: H * D, b1: H, w2: K * H, b2: K };
  for (const key of PARAM_KEYS) {
    const block: unknown = (p as Record<string, unknown>)[key];
    if (!(block instanceof Tensor)) {
      throw new NetworkShapeError(`${fn}: p.${key} must be a tensor of ${sizes[key]} numbers, got ${describeNode(block)}; ${how}`);
    }
    if (block.size !== sizes[key]) {
      throw new NetworkShapeError(`${fn}: p.${key} is ${describeNode(block)} (${block.size} numbers) but the spec needs ${sizes[key]}`);
    }
    // The right count in another shape would be read row-major as [H, D] (or [K, H]): a [D, H] kernel
    // (flax's layout) would give a wrong loss without a word.
    const matrix = key === 'w1' ? [H, D] : key === 'w2' ? [K, H] : null;
    const shape = block.shape;
    const fits = shape.length === 1 || (matrix !== null && shape.length === 2 && shape[0] === matrix[0] && shape[1] === matrix[1]);
    if (!fits) {
      const want = matrix === null ? `[${sizes[key]}]` : `[${matrix.join(', ')}] (row j: unit j's weights) or flat [${sizes[key]}]`;
      throw new NetworkShapeError(
        `${fn}: p.${key} has shape [${shape.join(', ')}], but the spec reads it as ${want}` +
          `${matrix !== null && shape.length === 2 && shape[0] === matrix[1] && shape[1] === matrix[0] ? `; a [${matrix[1]}, ${matrix[0]}] kernel is its transpose` : ''}`,
      );
    }
  }
}

/**
 * h(a) for the hidden units, as a core op (the op supplies h' and h'' for the R-backward pass).
 *
 * @throws {NetworkSpecError} for an activation that is not one of 'tanh', 'logistic', 'relu'.
 * @throws {NetworkShapeError} when `a` is not a core node (a tensor or scalar inside a transform).
 * @example
 * ```ts
 * const z = activate('tanh', a); // same as a.tanh()
 * ```
 */
export function activate(activation: Activation, a: Tensor): Tensor {
  noExtraArguments('activate', arguments, 2, 'activate(activation, a)');
  if (!(ACTIVATIONS as readonly unknown[]).includes(activation)) {
    throw new NetworkSpecError(`activate: unknown activation ${showName(activation)}; expected one of ${listNames(ACTIVATIONS)}`);
  }
  if (!isNode(a)) throw new NetworkShapeError(`activate: a must be a tensor (a core node), got ${describeValue(a)}`);
  return activateGraph(activation, a);
}

/** {@link activate} without the checks. */
function activateGraph(activation: Activation, a: Tensor): Tensor {
  switch (activation) {
    case 'tanh':
      return a.tanh();
    case 'logistic':
      return a.sigmoid();
    case 'relu':
      return a.relu();
  }
}

/**
 * The output pre-activations a_k (PRML 5.98–5.100) for all N patterns at once, an [N, K] tensor:
 * a = h(X·W1ᵀ + b1)·W2ᵀ + b2, with b1 and b2 broadcast over the rows.
 *
 * @param X inputs as a Float64Array, N×D row-major (a constant: it gets no adjoint)
 * @throws {NetworkSpecError} when `spec` is not a valid spec.
 * @throws {NetworkShapeError} when `p` is not a tree of tensors of the spec's sizes, N is not a positive
 *   integer, or X does not hold N×D numbers.
 * @throws {NetworkDataError} for a non-finite input.
 * @example
 * ```ts
 * ggnvp((p: NodeTree<TwoLayerParams>) => outputPreActivations(spec, p, X, N), lossOfA, params, v);
 * ```
 */
export function outputPreActivations(
  spec: TwoLayerSpec,
  p: NodeTree<TwoLayerParams>,
  X: Float64Array,
  N: number,
): Tensor {
  noExtraArguments('outputPreActivations', arguments, 4, 'outputPreActivations(spec, p, X, N)');
  validateSpec(spec);
  checkNodeParams('outputPreActivations', spec, p);
  if (!Number.isInteger(N) || N < 1) {
    throw new NetworkShapeError(`outputPreActivations: N (the number of patterns) must be a positive integer, got ${describeValue(N)}`);
  }
  const n = checkInputs(spec, X);
  if (n !== N) {
    throw new NetworkShapeError(
      `outputPreActivations: X has length ${X.length} = ${n}×D (D = ${spec.inputs}) but N = ${N}, so expected N×D = ${N * spec.inputs}`,
    );
  }
  return outputPreActivationsGraph(spec, p, X, N);
}

/**
 * {@link outputPreActivations} without the checks (the caller checked spec, X and N).
 * @internal
 */
export function outputPreActivationsGraph(
  spec: TwoLayerSpec,
  p: NodeTree<TwoLayerParams>,
  X: Float64Array,
  N: number,
): Tensor {
  const { inputs: D, hidden: H, outputs: K } = spec;
  const aHidden = tensor(X, [N, D]).matmul(p.w1.reshape([H, D]).transpose()).add(p.b1);
  const z = activateGraph(spec.activation, aHidden);
  return z.matmul(p.w2.reshape([K, H]).transpose()).add(p.b2);
}

/**
 * Checks that `a` is an [N, K] tensor: anything else would broadcast against T silently.
 * @internal
 */
export function checkPreActivations(fn: string, a: unknown, N: number, K: number): asserts a is Tensor {
  if (!(a instanceof Tensor) || a.shape.length !== 2 || a.shape[0] !== N || a.shape[1] !== K) {
    throw new NetworkShapeError(
      `${fn}: a must be the output pre-activations, a tensor of shape [N, K] = [${N}, ${K}], got ${describeNode(a)}`,
    );
  }
}

/**
 * The canonical error of the output kind as a function of the pre-activations a ([N, K]), summed
 * over patterns. Each form is the stable one, taken from a rather than from y = f(a):
 *
 * - linear:   ½ Σ (a − t)²
 * - logistic: Σ t·softplus(−a) + (1 − t)·softplus(a)   (= −Σ t ln σ(a) + (1 − t) ln(1 − σ(a)))
 * - softmax:  Σ_n [logSumExp(a_n) − Σ_k t_nk a_nk]   (= −Σ t ln softmax(a), rows of T summing to 1)
 *
 * @param T targets as a Float64Array, N×K row-major (a constant)
 * @throws {NetworkSpecError} for an output kind that is not one of 'linear', 'logistic', 'softmax'.
 * @throws {NetworkShapeError} when N or K is not a positive integer, T does not hold N×K numbers, or `a`
 *   is not a tensor of shape [N, K].
 * @throws {NetworkDataError} for targets the error cannot take (non-finite; logistic outside [0, 1];
 *   softmax rows negative or not summing to 1).
 * @example
 * ```ts
 * const E = canonicalError('softmax', a, T, N, K); // a Scalar
 * ```
 */
export function canonicalError(output: OutputKind, a: Tensor, T: Float64Array, N: number, K: number): Scalar {
  noExtraArguments('canonicalError', arguments, 5, 'canonicalError(output, a, T, N, K)');
  if (!(OUTPUT_KINDS as readonly unknown[]).includes(output)) {
    throw new NetworkSpecError(`canonicalError: unknown output kind ${showName(output)}; expected one of ${listNames(OUTPUT_KINDS)}`);
  }
  for (const [symbol, n, what] of [['N', N, 'patterns'], ['K', K, 'outputs']] as const) {
    if (!Number.isInteger(n) || (n as number) < 1) {
      throw new NetworkShapeError(`canonicalError: ${symbol} (the number of ${what}) must be a positive integer, got ${describeValue(n)}`);
    }
  }
  checkDataEntries('T', T, K);
  if (T.length !== N * K) {
    throw new NetworkShapeError(`canonicalError: T has length ${T.length} but N×K = ${N}×${K} = ${N * K}`);
  }
  // The target values (finite, valid for the output kind), with placeholder inputs.
  validateData({ inputs: 1, hidden: 1, outputs: K, activation: 'tanh', output }, new Float64Array(N), T);
  checkPreActivations('canonicalError', a, N, K);
  return canonicalErrorGraph(output, a, Float64Array.from(T), N, K);
}

/**
 * {@link canonicalError} without the checks (the caller checked T, N, K and the shape of a).
 * @internal
 */
export function canonicalErrorGraph(output: OutputKind, a: Tensor, T: Float64Array, N: number, K: number): Scalar {
  const t = tensor(T, [N, K]);
  switch (output) {
    case 'linear':
      return a.sub(t).square().sum().mul(0.5);
    case 'logistic': {
      // 1 − t is data too; precomputing it keeps it a constant instead of a recorded op.
      const oneMinusT = tensor(T.map((x) => 1 - x), [N, K]);
      return t.mul(a.neg().softplus()).add(oneMinusT.mul(a.softplus())).sum();
    }
    case 'softmax':
      return a.logSumExp(1).sum().sub(a.mul(t).sum());
  }
}
