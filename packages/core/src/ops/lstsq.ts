// Least squares, min ‖A·x − b‖ with the smallest ‖x‖ among the minimizers: x = A⁺·b, a composition of
// pinv and matmul, so its derivatives are pinv's (exact at every order where the rank is constant,
// repeated singular values included; JAX's lstsq differentiates through the SVD's vectors instead and
// gives NaN there). The residuals and singular values are ops too, so they differentiate.
import { tapeOfArguments, tensorOperand } from '../elementwise/operands.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { Tensor, type ArrayData } from '../node.js';
import { checkOptions, option, type OptionsSpec } from '../options.js';
import { formatShape } from '../shape.js';
import { shown } from '../shown.js';
import { matmul } from './matmul.js';
import { recordPinv } from './pinv.js';
import { reshape } from './reshape.js';
import { sum } from './sum.js';
import { svd } from './svd.js';

const EPSILON = 2 ** -52;

/**
 * Options of {@link lstsq}.
 *
 * @example
 * ```ts
 * const options: LstsqOptions = { rcond: 1e-10 }; // singular values ≤ 1e-10·σ_max count as zero
 * ```
 */
export interface LstsqOptions {
  /**
   * Singular values at or below `rcond`·σ_max count as zero. Default: max(m, n)·2⁻⁵² (NumPy's and
   * JAX's). A finite number ≥ 0. A singular value exactly at the cutoff is dropped, as NumPy (LAPACK's
   * gelsd) drops it; JAX keeps it.
   */
  readonly rcond?: number;
}

const OPTIONS: OptionsSpec<LstsqOptions> = { rcond: option.number({ min: 0 }) };

/**
 * What {@link lstsq} returns, as JAX's `(x, resid, rank, s)`.
 *
 * @example
 * ```ts
 * const { x, residuals, rank, s }: LeastSquares = lstsq(A, b);
 * ```
 */
export interface LeastSquares {
  /** The minimum-norm least-squares solution: [n] for b [m], [n, k] for b [m, k]. A node. */
  readonly x: Tensor;
  /**
   * ‖b − A·x‖² of each column of b: [k], or [1] for a vector b, as JAX's default (NumPy leaves them
   * out when the rank is below n or m ≤ n). A node.
   */
  readonly residuals: Tensor;
  /** The number of singular values above the cutoff. */
  readonly rank: number;
  /**
   * A's singular values, descending: [min(m, n)]. A node (svd's `s`), recorded when first read, so
   * that a call that never reads it records no SVD (whose vectors' tangents are NaN at repeated
   * singular values, which `checkFinite` would report): read it inside the transform that made A.
   */
  readonly s: Tensor;
}

/**
 * The least-squares solution of A·x ≈ b, as NumPy's and JAX's `linalg.lstsq`: A is a matrix [m, n],
 * b a vector [m] or a matrix [m, k] of right-hand sides; x minimizes ‖A·x − b‖ and, where that leaves
 * a choice (rank below n), has the smallest norm. Computed as pinv(A)·b from the SVD, with singular
 * values at or below `rcond`·σ_max treated as zero. Exact derivatives of every order in A and b
 * where the rank is constant (see {@link pinv}).
 *
 * @example
 * ```ts
 * // The line through three points: [1, t]·[c₀, c₁] ≈ y
 * const A = tensor([[1, 0], [1, 1], [1, 2]]);
 * const { x, residuals, rank } = lstsq(A, tensor([1, 2, 2])); // x ≈ [1.1667, 0.5], rank 2
 * ```
 */
export function lstsq(a: Tensor | ArrayData, b: Tensor | ArrayData, options?: LstsqOptions): LeastSquares {
  for (let k = 3; k < arguments.length; k++) {
    if (arguments[k] !== undefined) throw new ArgumentError(`lstsq: takes A, b and an options object ({ rcond }), got a further argument ${shown(arguments[k])}`);
  }
  const t = tapeOfArguments([a, b], 'lstsq');
  const A = tensorOperand(a, t, 'lstsq', 'matrix A'), B = tensorOperand(b, t, 'lstsq', 'right-hand side b');
  const { rcond: given } = checkOptions('lstsq', options, OPTIONS);
  if (A.shape.length !== 2) {
    throw new ShapeError(`lstsq: A has shape ${formatShape(A.shape)}; expected a matrix [m, n] (for a stack of systems, use pinv(A).matmul(b))`);
  }
  const [m, n] = A.shape;
  if ((B.shape.length !== 1 && B.shape.length !== 2) || B.shape[0] !== m) {
    throw new ShapeError(`lstsq: b has shape ${formatShape(B.shape)}; with A [${m}, ${n}] it must be [${m}] or [${m}, k]`);
  }
  const rcond = given ?? Math.max(m, n) * EPSILON;
  // The rank from the singular values pinv computed (its cutoff), with no SVD recorded for it.
  const { p, s: singular } = recordPinv(A, rcond);
  const x = matmul(p, B);
  const rank = singular.filter((e) => e > rcond * singular[0]).length;
  const misfit = B.sub(matmul(A, x));
  const perColumn = sum(misfit.square(), [0]); // [k], or 0-d for a vector b
  const residuals = B.shape.length === 1 ? reshape(perColumn, [1]) : perColumn;
  let s: Tensor | undefined;
  return {
    x, residuals, rank,
    get s(): Tensor {
      return (s ??= svd(A).s);
    },
  };
}
