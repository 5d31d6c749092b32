/**
 * The outer-product (Levenberg–Marquardt / Gauss–Newton) approximation of the Hessian for the two-layer
 * network, PRML §5.4.2, as an explicit W×W matrix built with plain loops — no AD.
 *
 * For sum-of-squares error the exact Hessian is (PRML 5.83)
 *
 *     H = Σ_n ∇y_n ∇y_nᵀ + Σ_n (y_n − t_n) ∇∇y_n,
 *
 * and dropping the second term gives H ≈ Σ_n b_n b_nᵀ with b_n = ∇y_n = ∇a_n (5.84). The same split
 * works for every canonical output/error pair: with a_k the output pre-activations,
 *
 *     H = Σ_n J_nᵀ H_L J_n + Σ_n Σ_k δ_nk ∇∇a_nk,      J_n[k, ·] = ∇_w a_nk,  H_L = ∂²E_n/∂a∂aᵀ,
 *
 * where δ_k = y_k − t_k, and H_L = I (linear + SSE), diag(y_k(1 − y_k)) (logistic + cross-entropy, cf. 5.85),
 * diag(y) − y yᵀ (softmax + cross-entropy). The Gauss–Newton matrix G = Σ_n J_nᵀ H_L J_n drops the
 * δ-weighted term; it is therefore exact whenever every residual δ_nk is zero, and it is positive
 * semi-definite because H_L is.
 *
 * @module
 */

import { noExtraArguments } from '@dualtape/core';
import { createForwardState, forwardPattern } from './r-propagation.js';
import {
  activationFunctions,
  sigmoidUnchecked as logisticSigmoid,
  paramCount,
  paramOffsets,
  validateData,
  validateParams,
  validateSpec,
} from './spec.js';
import type { DataMatrix, TwoLayerParams, TwoLayerSpec } from './spec.js';

/**
 * The Gauss–Newton / outer-product approximation G = Σ_n J_nᵀ H_L J_n of the Hessian (PRML §5.4.2,
 * generalised from sum-of-squares to the three canonical output/error pairs), as a W×W row-major matrix
 * over the flattened parameter order w1, b1, w2, b2 (see {@link flattenParams}).
 *
 * For linear outputs with sum-of-squares error this is exactly Σ_n Σ_k b_nk b_nkᵀ of PRML 5.84 with
 * b_nk = ∇a_nk; for logistic outputs it is Σ_n Σ_k y_nk(1 − y_nk) b_nk b_nkᵀ (5.85). G is symmetric and
 * positive semi-definite by construction, and equals the exact Hessian when all residuals y − t vanish.
 *
 * Cost O(N·K·W²) time, O(W²) memory — this is a reference for small networks, not a training tool.
 *
 * @throws {NetworkSpecError | NetworkShapeError | NetworkDataError} on invalid input
 * @example
 * ```ts
 * const G = outerProductHessian(spec, params, X, T);
 * const W = paramCount(spec);
 * const G_pq = G[p * W + q]; // p, q index flattenParams(params)
 * ```
 */
export function outerProductHessian(
  spec: TwoLayerSpec,
  params: TwoLayerParams,
  X: DataMatrix,
  T: DataMatrix,
): Float64Array {
  noExtraArguments('outerProductHessian', arguments, 4, 'outerProductHessian(spec, params, X, T)');
  validateSpec(spec);
  validateParams(spec, params, 'params');
  const N = validateData(spec, X, T);

  const { inputs: D, hidden: H, outputs: K } = spec;
  const W = paramCount(spec);
  const off = paramOffsets(spec);
  const { w2 } = params;
  const act = activationFunctions(spec.activation);
  const fwd = createForwardState(spec);
  const { zJ, dhJ, aK, yK } = fwd;

  // J[k·W + p] = ∂a_k/∂w_p for the current pattern, then overwritten in place by the rows of a square-root
  // factor B with Bᵀ B = Jᵀ H_L J, so that G accumulates Σ_k B_k B_kᵀ — a sum of outer products, hence
  // symmetric and PSD by construction (no cancellation between terms).
  const J = new Float64Array(K * W);
  const jBar = new Float64Array(W); // softmax only: Σ_l y_l J_l
  const G = new Float64Array(W * W);

  for (let n = 0; n < N; n++) {
    const xOff = n * D;
    forwardPattern(spec, act, params, X, T, n, fwd);

    // ---- J_n: row k is b_nk = ∇_w a_k (the vector b_n of PRML 5.84, one per output) -------------------
    J.fill(0);
    for (let k = 0; k < K; k++) {
      const row = k * W;
      // Second layer: a_k = Σ_j w_kj z_j + b_k, so ∂a_k/∂w_kj = z_j, ∂a_k/∂b_k = 1, and zero for the
      // weights of other outputs k' ≠ k.
      for (let j = 0; j < H; j++) J[row + off.w2 + k * H + j] = zJ[j];
      J[row + off.b2 + k] = 1;
      // First layer: a_j feeds a_k through w_kj h'(a_j), so ∂a_k/∂w_ji = w_kj h'(a_j) x_i and
      // ∂a_k/∂b_j = w_kj h'(a_j) (the backprop of 5.105 with δ replaced by a unit at output k).
      for (let j = 0; j < H; j++) {
        const g = w2[k * H + j] * dhJ[j];
        for (let i = 0; i < D; i++) J[row + off.w1 + j * D + i] = g * X[xOff + i];
        J[row + off.b1 + j] = g;
      }
    }

    // ---- B_n with B_nᵀ B_n = J_nᵀ H_L J_n ----------------------------------------------------------------
    switch (spec.output) {
      case 'linear':
        // H_L = I: B = J, and G is exactly Σ_n Σ_k b_nk b_nkᵀ (5.84).
        break;
      case 'logistic':
        // H_L = diag(y_k(1 − y_k)): B_k = √(y_k(1 − y_k)) J_k (cf. 5.85). 1 − y_k taken as σ(−a_k).
        for (let k = 0; k < K; k++) {
          const c = Math.sqrt(yK[k] * logisticSigmoid(-aK[k]));
          for (let p = 0; p < W; p++) J[k * W + p] *= c;
        }
        break;
      case 'softmax': {
        // H_L = diag(y) − y yᵀ. With Σ_l y_l = 1 this factors as
        //   Jᵀ (diag(y) − y yᵀ) J = Σ_k y_k (J_k − J̄)(J_k − J̄)ᵀ,   J̄ = Σ_l y_l J_l,
        // i.e. the covariance of the rows J_k under the distribution y. So B_k = √y_k (J_k − J̄).
        jBar.fill(0);
        for (let l = 0; l < K; l++) {
          for (let p = 0; p < W; p++) jBar[p] += yK[l] * J[l * W + p];
        }
        for (let k = 0; k < K; k++) {
          const c = Math.sqrt(yK[k]);
          for (let p = 0; p < W; p++) J[k * W + p] = c * (J[k * W + p] - jBar[p]);
        }
        break;
      }
    }

    // ---- G += Σ_k B_k B_kᵀ, upper triangle only --------------------------------------------------------
    for (let k = 0; k < K; k++) {
      const row = k * W;
      for (let p = 0; p < W; p++) {
        const bp = J[row + p];
        if (bp === 0) continue; // J is sparse in the second-layer block; skipping zeros changes nothing
        for (let q = p; q < W; q++) G[p * W + q] += bp * J[row + q];
      }
    }
  }

  // Mirror the upper triangle: G is symmetric exactly, not just to round-off.
  for (let p = 0; p < W; p++) {
    for (let q = p + 1; q < W; q++) G[q * W + p] = G[p * W + q];
  }
  return G;
}
