/**
 * The two-layer network and its canonical errors written only with `@dualtape/core` ops, so that the
 * engine (not hand-derived code) supplies the gradient, H·v and the Gauss-Newton product. Every
 * function here must be called inside a function passed to a core transform.
 *
 * @module
 */
import { tensor, type NodeTree, type Scalar, type Tensor } from '@dualtape/core';
import type { Activation, OutputKind, TwoLayerParams, TwoLayerSpec } from './reference/index.js';

/**
 * h(a) for the hidden units, as a core op (the op supplies h' and h'' for the R-backward pass).
 *
 * @example
 * ```ts
 * const z = activate('tanh', a); // same as a.tanh()
 * ```
 */
export function activate(activation: Activation, a: Tensor): Tensor {
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
  const { inputs: D, hidden: H, outputs: K } = spec;
  const aHidden = tensor(X, [N, D]).matmul(p.w1.reshape([H, D]).transpose()).add(p.b1);
  const z = activate(spec.activation, aHidden);
  return z.matmul(p.w2.reshape([K, H]).transpose()).add(p.b2);
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
 * @example
 * ```ts
 * const E = canonicalError('softmax', a, T, N, K); // a Scalar
 * ```
 */
export function canonicalError(output: OutputKind, a: Tensor, T: Float64Array, N: number, K: number): Scalar {
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
