// y = log det A: log|det A| where det A > 0 (slogdet's node, with its exact rules), −∞ where A is
// singular, and NaN where det A < 0 — as log of a negative number, value and derivatives alike (the
// NaN enters as a constant factor, so it reaches every derivative). Use slogdet for a sign-aware form.
import { Scalar, Tensor, constantTensor } from '../node.js';
import { mul } from './mul.js';
import type { DetOptions } from './linalg/determinant-options.js';
import { logAbsDet } from './slogdet.js';
import { noExtraArguments } from './op-args.js';

/**
 * The log of the determinant, log det A, from the LU factorization with partial pivoting (no
 * overflow, unlike `det(A).log()`); its derivative is A⁻ᵀ, exact to second order. For a symmetric
 * positive-definite A (a covariance) this is the term of a Gaussian log-likelihood. det A < 0 gives
 * NaN (value and derivatives, as log of a negative number; see `slogdet` for the sign-aware form);
 * a singular A gives −∞, with derivatives a `SingularMatrixError`. With `{ batched: true }`, A may be
 * a stack [..., n, n] and the result is a tensor of its batch shape.
 *
 * @example
 * ```ts
 * // Gaussian negative log-likelihood of y under N(0, K)
 * const nll = solve(K, y).dot(y).add(logDet(K)).add(n * Math.log(2 * Math.PI)).mul(0.5);
 * ```
 */
export function logDet(a: Tensor, options?: DetOptions & { readonly batched?: false }): Scalar;
export function logDet(a: Tensor, options: DetOptions & { readonly batched: true }): Tensor;
export function logDet(a: Tensor, options?: DetOptions): Scalar | Tensor;
export function logDet(a: Tensor, options?: DetOptions): Scalar | Tensor {
  noExtraArguments('logDet', arguments, 2, 'logDet(a, options)');
  const { sign, y, batch, scalar } = logAbsDet(a, options, 'logDet');
  if (!sign.some((s) => s < 0)) return y;
  if (scalar) return mul(y, NaN) as Scalar;
  return mul(y, constantTensor(y.tape, sign.map((s) => (s < 0 ? NaN : 1)), batch)) as Tensor;
}
