/**
 * Hand-derived R-propagation for the two-layer network (PRML §5.4.6, Pearlmutter 1994): the exact
 * Hessian-vector product H·v in O(W) per pattern, written as plain loops over Float64Arrays — no AD.
 *
 * This file is the reference the AD engine must agree with (to ~1e-12), and it is meant to be read next to
 * the book. The R-operator is the directional derivative R{·} = vᵀ∇ (PRML 5.96–5.97): applied to every
 * quantity of the forward pass and of backprop, it turns "compute ∇E" into "compute vᵀ∇(∇E) = Hv".
 *
 * Per pattern n the steps are, with equation numbers from PRML:
 *
 *   forward       a_j = Σ_i w_ji x_i + b_j                     (5.98)
 *                 z_j = h(a_j)                                  (5.99)
 *                 a_k = Σ_j w_kj z_j + b_k,  y_k = f(a_k)       (5.100; the book's f is the identity)
 *   R-forward     R{a_j} = Σ_i v_ji x_i + v_bj                  (5.101)
 *                 R{z_j} = h'(a_j) R{a_j}                       (5.102)
 *                 R{a_k} = Σ_j w_kj R{z_j} + Σ_j v_kj z_j + v_bk (5.103)
 *                 R{y_k} = f'-term · R{a_k}                      (5.103 for non-linear output units)
 *   backprop      δ_k = y_k − t_k                               (5.104)
 *                 δ_j = h'(a_j) Σ_k w_kj δ_k                     (5.105)
 *   R-backprop    R{δ_k} = R{y_k}                               (5.106)
 *                 R{δ_j} = h''(a_j) R{a_j} Σ_k w_kj δ_k
 *                        + h'(a_j) Σ_k v_kj δ_k
 *                        + h'(a_j) Σ_k w_kj R{δ_k}              (5.107)
 *   gradient      ∂E/∂w_kj = δ_k z_j,   ∂E/∂w_ji = δ_j x_i       (5.108, 5.109)
 *   Hv            R{∂E/∂w_kj} = R{δ_k} z_j + δ_k R{z_j}          (5.110)
 *                 R{∂E/∂w_ji} = x_i R{δ_j}                       (5.111)
 *
 * A bias is a weight on a fixed input equal to 1 (PRML §5.1), so every bias equation is the weight
 * equation with x_i = 1 (first layer) or z_j = 1 (second layer); in particular R{1} = 0.
 *
 * E is SUMMED over the N patterns (PRML 5.11 / 5.24 style), so the value, gradient and Hv are sums of
 * per-pattern contributions. Cost: O(W) per pattern, O(N·W) in total; the Hessian is never formed.
 *
 * @module
 */

import { noExtraArguments } from '@dualtape/core';
import {
  activationFunctions,
  checkDataEntries,
  sigmoidUnchecked as logisticSigmoid,
  softplusUnchecked as softplus,
  validateData,
  validateParams,
  validateSpec,
  zeroParams,
} from './spec.js';
import type { ActivationFunctions, DataMatrix, OutputKind, TwoLayerParams, TwoLayerSpec } from './spec.js';

/**
 * Result of {@link rPropagation}: the error, its gradient and the Hessian-vector product, the last two in
 * the {@link TwoLayerParams} layout.
 *
 * @example
 * ```ts
 * const r: RPropagationResult = rPropagation(spec, params, X, T, v);
 * const Hv = flattenParams(r.hvp);
 * ```
 */
export interface RPropagationResult {
  /** E(w), summed over patterns. */
  value: number;
  /** ∇E, same layout as the parameters. */
  grad: TwoLayerParams;
  /** H·v = R{∇E}, same layout as the parameters. */
  hvp: TwoLayerParams;
}

/**
 * Result of {@link lossAndGrad}: the error and its gradient.
 *
 * @example
 * ```ts
 * const { value, grad }: LossAndGradResult = lossAndGrad(spec, params, X, T);
 * ```
 */
export interface LossAndGradResult {
  /** E(w), summed over patterns. */
  value: number;
  /** ∇E, same layout as the parameters. */
  grad: TwoLayerParams;
}

// ---------------------------------------------------------------------------------------------------------
// Per-pattern forward pass, shared with outer-product.ts
// ---------------------------------------------------------------------------------------------------------

/**
 * Scratch storage for one pattern's forward-pass quantities, allocated once per call and reused across
 * patterns.
 *
 * @example
 * ```ts
 * const s: ForwardState = createForwardState(spec);
 * ```
 * @internal
 */
export interface ForwardState {
  /** a_j, hidden pre-activations (length H). */
  aJ: Float64Array;
  /** z_j = h(a_j) (length H). */
  zJ: Float64Array;
  /** h'(a_j) (length H). */
  dhJ: Float64Array;
  /** a_k, output pre-activations (length K). */
  aK: Float64Array;
  /** y_k = f(a_k) (length K). */
  yK: Float64Array;
}

/**
 * Allocates a {@link ForwardState} for `spec`.
 *
 * @example
 * ```ts
 * const s = createForwardState(spec); // s.aJ.length === spec.hidden
 * ```
 * @internal
 */
export function createForwardState(spec: TwoLayerSpec): ForwardState {
  const { hidden: H, outputs: K } = spec;
  return {
    aJ: new Float64Array(H),
    zJ: new Float64Array(H),
    dhJ: new Float64Array(H),
    aK: new Float64Array(K),
    yK: new Float64Array(K),
  };
}

/**
 * Forward pass for pattern n (5.98–5.100), writing a_j, z_j, h'(a_j), a_k, y_k into `s`, and returning this
 * pattern's error E_n. X and T are row-major; the pattern's row starts at n·D in X and n·K in T.
 *
 * @example
 * ```ts
 * const s = createForwardState(spec);
 * const En = forwardPattern(spec, activationFunctions(spec.activation), params, X, T, n, s); // s.yK = outputs
 * ```
 * @internal
 */
export function forwardPattern(
  spec: TwoLayerSpec,
  act: ActivationFunctions,
  params: TwoLayerParams,
  X: DataMatrix,
  T: DataMatrix,
  n: number,
  s: ForwardState,
): number {
  const { inputs: D, hidden: H, outputs: K } = spec;
  const { w1, b1, w2, b2 } = params;
  const xOff = n * D;
  const tOff = n * K;

  // (5.98) a_j = Σ_i w_ji x_i + b_j, and (5.99) z_j = h(a_j). h'(a_j) is kept: backprop and R-prop reuse it.
  for (let j = 0; j < H; j++) {
    let a = b1[j];
    for (let i = 0; i < D; i++) a += w1[j * D + i] * X[xOff + i];
    s.aJ[j] = a;
    s.zJ[j] = act.h(a);
    s.dhJ[j] = act.dh(a);
  }

  // (5.100) a_k = Σ_j w_kj z_j + b_k.
  for (let k = 0; k < K; k++) {
    let a = b2[k];
    for (let j = 0; j < H; j++) a += w2[k * H + j] * s.zJ[j];
    s.aK[k] = a;
  }

  // Output function y_k = f(a_k) and this pattern's error E_n, computed from a_k where that is more stable
  // than going through y_k.
  return outputAndError(spec.output, K, s.aK, s.yK, T, tOff);
}

/**
 * y = f(a) for the output kind, and the canonical error of the pattern.
 */
function outputAndError(
  output: OutputKind,
  K: number,
  aK: Float64Array,
  yK: Float64Array,
  T: DataMatrix,
  tOff: number,
): number {
  let E = 0;
  switch (output) {
    case 'linear': {
      // y_k = a_k; E_n = ½ Σ_k (y_k − t_k)²  (PRML 5.11)
      for (let k = 0; k < K; k++) {
        yK[k] = aK[k];
        const r = yK[k] - T[tOff + k];
        E += 0.5 * r * r;
      }
      return E;
    }
    case 'logistic': {
      // y_k = σ(a_k); E_n = −Σ_k [t ln y + (1 − t) ln(1 − y)]  (PRML 5.21/5.23: one binary term per output)
      // Since −ln σ(a) = softplus(−a) and −ln(1 − σ(a)) = softplus(a), this is
      // Σ_k t·softplus(−a_k) + (1 − t)·softplus(a_k): finite even when y_k rounds to exactly 0 or 1.
      for (let k = 0; k < K; k++) {
        const a = aK[k];
        const t = T[tOff + k];
        yK[k] = logisticSigmoid(a);
        E += t * softplus(-a) + (1 - t) * softplus(a);
      }
      return E;
    }
    case 'softmax': {
      // y_k = exp(a_k) / Σ_l exp(a_l)  (PRML 5.25); E_n = −Σ_k t_k ln y_k  (PRML 5.24).
      // Shift by m = max_l a_l so that no exp overflows; ln y_k = a_k − lse with the log-sum-exp
      // lse = m + ln Σ_l exp(a_l − m), so E_n = Σ_k t_k (lse − a_k) never takes ln 0.
      let m = -Infinity;
      for (let k = 0; k < K; k++) m = Math.max(m, aK[k]);
      let sumExp = 0;
      for (let k = 0; k < K; k++) {
        yK[k] = Math.exp(aK[k] - m);
        sumExp += yK[k];
      }
      for (let k = 0; k < K; k++) yK[k] /= sumExp;
      const lse = m + Math.log(sumExp);
      for (let k = 0; k < K; k++) {
        E += T[tOff + k] * (lse - aK[k]);
      }
      return E;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// The shared driver: value, optionally gradient, optionally Hv
// ---------------------------------------------------------------------------------------------------------

interface PropagateOptions {
  /** Accumulate ∇E. */
  grad: boolean;
  /** Direction for Hv; omitted → no R-pass. */
  v?: TwoLayerParams;
}

interface PropagateResult {
  value: number;
  grad?: TwoLayerParams;
  hvp?: TwoLayerParams;
}

function propagate(
  spec: TwoLayerSpec,
  params: TwoLayerParams,
  X: DataMatrix,
  T: DataMatrix,
  options: PropagateOptions,
): PropagateResult {
  validateSpec(spec);
  validateParams(spec, params, 'params');
  if (options.v !== undefined) validateParams(spec, options.v, 'v');
  const N = validateData(spec, X, T);

  const { inputs: D, hidden: H, outputs: K } = spec;
  const { w2 } = params;
  const act = activationFunctions(spec.activation);
  const v = options.v;
  const needDelta = options.grad || v !== undefined;

  const fwd = createForwardState(spec);
  const { aJ, zJ, dhJ, aK, yK } = fwd;

  // Backprop quantities.
  const deltaK = new Float64Array(K); // δ_k
  const backJ = new Float64Array(H); // Σ_k w_kj δ_k, used by both δ_j (5.105) and R{δ_j} (5.107)
  const deltaJ = new Float64Array(H); // δ_j

  // R-pass quantities.
  const rAJ = new Float64Array(H); // R{a_j}
  const rZJ = new Float64Array(H); // R{z_j}
  const rAK = new Float64Array(K); // R{a_k}
  const rYK = new Float64Array(K); // R{y_k} = R{δ_k}
  const rDeltaJ = new Float64Array(H); // R{δ_j}

  const grad = options.grad ? zeroParams(spec) : undefined;
  const hvp = v !== undefined ? zeroParams(spec) : undefined;

  let value = 0;
  for (let n = 0; n < N; n++) {
    const xOff = n * D;
    const tOff = n * K;

    // ---- forward propagation (5.98–5.100) and the pattern's error -------------------------------------
    value += forwardPattern(spec, act, params, X, T, n, fwd);
    if (!needDelta) continue;

    // ---- backpropagation (5.104–5.105) ------------------------------------------------------------------
    // (5.104) δ_k = y_k − t_k. For all three canonical output/error pairs ∂E_n/∂a_k takes this form.
    for (let k = 0; k < K; k++) deltaK[k] = yK[k] - T[tOff + k];
    // (5.105) δ_j = h'(a_j) Σ_k w_kj δ_k.
    for (let j = 0; j < H; j++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += w2[k * H + j] * deltaK[k];
      backJ[j] = sum;
      deltaJ[j] = dhJ[j] * sum;
    }

    // ---- gradient (5.108–5.109), accumulated over patterns ------------------------------------------
    if (grad !== undefined) {
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < H; j++) grad.w2[k * H + j] += deltaK[k] * zJ[j]; // (5.108) ∂E/∂w_kj = δ_k z_j
        grad.b2[k] += deltaK[k]; // bias: z_j → 1
      }
      for (let j = 0; j < H; j++) {
        for (let i = 0; i < D; i++) grad.w1[j * D + i] += deltaJ[j] * X[xOff + i]; // (5.109) ∂E/∂w_ji = δ_j x_i
        grad.b1[j] += deltaJ[j]; // bias: x_i → 1
      }
    }

    if (v === undefined || hvp === undefined) continue;

    // ---- R-forward (5.101–5.103) ----------------------------------------------------------------------
    // R{w} = v (5.97); x_i and the bias input 1 do not depend on w, so R{x_i} = R{1} = 0.
    for (let j = 0; j < H; j++) {
      // (5.101) R{a_j} = Σ_i v_ji x_i + v_bj
      let rA = v.b1[j];
      for (let i = 0; i < D; i++) rA += v.w1[j * D + i] * X[xOff + i];
      rAJ[j] = rA;
      // (5.102) R{z_j} = h'(a_j) R{a_j}  (chain rule: z_j depends on w only through a_j)
      rZJ[j] = dhJ[j] * rA;
    }
    for (let k = 0; k < K; k++) {
      // (5.103) R{a_k} = Σ_j w_kj R{z_j} + Σ_j v_kj z_j + v_bk — product rule on w_kj z_j: both factors vary.
      let rA = v.b2[k];
      for (let j = 0; j < H; j++) rA += w2[k * H + j] * rZJ[j] + v.w2[k * H + j] * zJ[j];
      rAK[k] = rA;
    }
    // R{y_k} through the output function (for the book's linear outputs this is just R{a_k}).
    switch (spec.output) {
      case 'linear':
        for (let k = 0; k < K; k++) rYK[k] = rAK[k];
        break;
      case 'logistic':
        // dσ/da = σ(a)(1 − σ(a)); 1 − σ(a_k) is taken as σ(−a_k) to avoid cancellation when y_k ≈ 1.
        for (let k = 0; k < K; k++) rYK[k] = yK[k] * logisticSigmoid(-aK[k]) * rAK[k];
        break;
      case 'softmax': {
        // ∂y_k/∂a_l = y_k(I_kl − y_l) (PRML 4.106), so R{y_k} = y_k (R{a_k} − Σ_l y_l R{a_l}).
        let mean = 0;
        for (let l = 0; l < K; l++) mean += yK[l] * rAK[l];
        for (let k = 0; k < K; k++) rYK[k] = yK[k] * (rAK[k] - mean);
        break;
      }
    }

    // ---- R-backprop (5.106–5.107) ---------------------------------------------------------------------
    // (5.106) R{δ_k} = R{y_k} − R{t_k} = R{y_k}, since targets do not depend on w. rYK doubles as R{δ_k}.
    const rDeltaK = rYK;
    for (let j = 0; j < H; j++) {
      // (5.107) product rule on δ_j = h'(a_j) · Σ_k w_kj δ_k, with R{h'(a_j)} = h''(a_j) R{a_j}
      // and R{Σ_k w_kj δ_k} = Σ_k v_kj δ_k + Σ_k w_kj R{δ_k}.
      let vDelta = 0; // Σ_k v_kj δ_k
      let wRDelta = 0; // Σ_k w_kj R{δ_k}
      for (let k = 0; k < K; k++) {
        vDelta += v.w2[k * H + j] * deltaK[k];
        wRDelta += w2[k * H + j] * rDeltaK[k];
      }
      rDeltaJ[j] = act.d2h(aJ[j]) * rAJ[j] * backJ[j] + dhJ[j] * vDelta + dhJ[j] * wRDelta;
    }

    // ---- Hv = R{∇E} (5.110–5.111), accumulated over patterns ------------------------------------------
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < H; j++) {
        // (5.110) R{∂E/∂w_kj} = R{δ_k} z_j + δ_k R{z_j}
        hvp.w2[k * H + j] += rDeltaK[k] * zJ[j] + deltaK[k] * rZJ[j];
      }
      hvp.b2[k] += rDeltaK[k]; // bias: z_j → 1, R{1} = 0
    }
    for (let j = 0; j < H; j++) {
      // (5.111) R{∂E/∂w_ji} = x_i R{δ_j}
      for (let i = 0; i < D; i++) hvp.w1[j * D + i] += X[xOff + i] * rDeltaJ[j];
      hvp.b1[j] += rDeltaJ[j]; // bias: x_i → 1
    }
  }

  const result: PropagateResult = { value };
  if (grad !== undefined) result.grad = grad;
  if (hvp !== undefined) result.hvp = hvp;
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------------

/**
 * Exact error, gradient and Hessian-vector product of the two-layer network by Pearlmutter's
 * R-propagation (PRML §5.4.6, eqs. 5.98–5.111), for every activation/output pair. E is summed over the N
 * patterns; the cost is O(N·W) and the W×W Hessian is never built.
 *
 * @param spec   network shape (D, H, K, activation, output kind)
 * @param params weights, layout {@link TwoLayerParams} (w1 H×D, b1 H, w2 K×H, b2 K)
 * @param X      inputs, N×D row-major
 * @param T      targets, N×K row-major (valid for the output kind, see {@link validateData})
 * @param v      direction, same layout as `params`
 * @returns      `{ value: E, grad: ∇E, hvp: H·v }`
 * @throws {NetworkSpecError | NetworkShapeError | NetworkDataError} on invalid input
 *
 * @example
 * ```ts
 * const spec = { inputs: 3, hidden: 4, outputs: 2, activation: 'tanh', output: 'linear' } as const;
 * const params = initParams(spec, 1);
 * const v = initParams(spec, 2);
 * const { value, grad, hvp } = rPropagation(spec, params, X, T, v);
 * // hvp.w2[k * 4 + j] = Σ_q H[(w_kj), q] v_q
 * ```
 */
export function rPropagation(
  spec: TwoLayerSpec,
  params: TwoLayerParams,
  X: DataMatrix,
  T: DataMatrix,
  v: TwoLayerParams,
): RPropagationResult {
  noExtraArguments('rPropagation', arguments, 5, 'rPropagation(spec, params, X, T, v)');
  // Guard here too so a missing v is reported as such, not silently treated as "no R-pass".
  validateSpec(spec);
  validateParams(spec, params, 'params');
  validateParams(spec, v, 'v');
  const r = propagate(spec, params, X, T, { grad: true, v });
  return { value: r.value, grad: r.grad as TwoLayerParams, hvp: r.hvp as TwoLayerParams };
}

/**
 * The error E(w) = Σ_n E_n of the canonical output/error pair, computed stably (softplus for logistic
 * cross-entropy, log-sum-exp for softmax cross-entropy).
 *
 * @throws {NetworkSpecError | NetworkShapeError | NetworkDataError} on invalid input
 * @example
 * ```ts
 * const E = lossValue(spec, params, X, T);
 * ```
 */
export function lossValue(spec: TwoLayerSpec, params: TwoLayerParams, X: DataMatrix, T: DataMatrix): number {
  noExtraArguments('lossValue', arguments, 4, 'lossValue(spec, params, X, T)');
  return propagate(spec, params, X, T, { grad: false }).value;
}

/**
 * The error and its gradient by ordinary backpropagation (PRML 5.104–5.105, 5.108–5.109).
 *
 * @throws {NetworkSpecError | NetworkShapeError | NetworkDataError} on invalid input
 * @example
 * ```ts
 * const { value, grad } = lossAndGrad(spec, params, X, T);
 * // gradient-descent step: params.w1[m] -= eta * grad.w1[m], ...
 * ```
 */
export function lossAndGrad(
  spec: TwoLayerSpec,
  params: TwoLayerParams,
  X: DataMatrix,
  T: DataMatrix,
): LossAndGradResult {
  noExtraArguments('lossAndGrad', arguments, 4, 'lossAndGrad(spec, params, X, T)');
  const r = propagate(spec, params, X, T, { grad: true });
  return { value: r.value, grad: r.grad as TwoLayerParams };
}

/**
 * The network outputs y (N×K, row-major) for inputs X (N×D): the forward pass 5.98–5.100 followed by the
 * output function. Useful for comparing forward passes and for building targets.
 *
 * @throws {NetworkSpecError | NetworkShapeError | NetworkDataError} on invalid input
 *
 * @example
 * ```ts
 * const Y = predict(spec, params, X); // Y[n * K + k] = y_k for pattern n
 * ```
 */
export function predict(spec: TwoLayerSpec, params: TwoLayerParams, X: DataMatrix): Float64Array {
  noExtraArguments('predict', arguments, 3, 'predict(spec, params, X)');
  validateSpec(spec);
  validateParams(spec, params, 'params');
  const { inputs: D, outputs: K } = spec;
  checkDataEntries('X', X, D); // before X.length: X may be anything
  // Validate X with placeholder targets that are valid for every output kind (a one-hot row sums to 1).
  const N = X.length > 0 && X.length % D === 0 ? X.length / D : 0;
  const dummyT = new Float64Array(N * K);
  for (let n = 0; n < N; n++) dummyT[n * K] = 1;
  validateData(spec, X, dummyT);
  const act = activationFunctions(spec.activation);
  const fwd = createForwardState(spec);
  const Y = new Float64Array(N * K);
  for (let n = 0; n < N; n++) {
    forwardPattern(spec, act, params, X, dummyT, n, fwd);
    Y.set(fwd.yK, n * K);
  }
  return Y;
}
