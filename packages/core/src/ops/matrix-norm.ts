// Matrix norms of each matrix of a stack [..., m, n], as NumPy 2's and the array API's matrix_norm
// (jnp.linalg.norm(A, ord) of a 2-D A):
//   'fro'  √Σ aᵢⱼ²                      (norm's Euclidean form over the last two axes)
//   'nuc'  Σ σᵢ                          2 / −2   max σᵢ / min σᵢ   (svd's singular values)
//   1 / −1 max / min over columns of Σᵢ |aᵢⱼ|    ∞ / −∞   max / min over rows of Σⱼ |aᵢⱼ|
// Each is a composition of ops, so its derivatives are theirs: through svd's s, exact at simple
// singular values (the gradient of the spectral norm is u₁v₁ᵀ, of the nuclear norm U·Vᵀ); at repeated
// ones the gradient of a function of s stays exact and second derivatives are NaN (svd's convention);
// max/min ties and abs at 0 as docs/conventions.md says.
import { ArgumentError, ShapeError } from '../errors.js';
import { type Node, type Scalar, type Tensor } from '../node.js';
import { formatShape } from '../shape.js';
import { abs } from './abs.js';
import { max } from './max.js';
import { min } from './min.js';
import { norm } from './norm.js';
import { keepDimsArg, noExtraArguments, shown, tensorArg } from './op-args.js';
import { reshape } from './reshape.js';
import { sum } from './sum.js';
import { svd } from './svd.js';

/**
 * Which matrix norm {@link matrixNorm} computes: `'fro'` (Frobenius), `'nuc'` (nuclear, Σσ), 2 / −2
 * (largest / smallest singular value), 1 / −1 (largest / smallest column sum of |aᵢⱼ|), `Infinity` /
 * `-Infinity` (largest / smallest row sum).
 *
 * @example
 * ```ts
 * const spectral: MatrixNormOrder = 2;
 * ```
 */
export type MatrixNormOrder = 'fro' | 'nuc' | 1 | -1 | 2 | -2 | typeof Infinity;

const ORDERS = "'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity";

/**
 * The norm of a matrix, or of each matrix of a stack [..., m, n] (over the last two axes), as NumPy
 * 2's `linalg.matrix_norm` and JAX's `jnp.linalg.norm` of a matrix: `'fro'` (default), `'nuc'`, 2
 * (spectral), −2, 1, −1, `Infinity`, `-Infinity` (see {@link MatrixNormOrder}). A single matrix gives
 * a scalar, a stack a tensor of its batch shape; `keepDims` keeps the two axes as 1. ({@link norm}
 * with a number is a vector norm of the elements, as NumPy 2's `vector_norm`.) The singular-value
 * norms go through `svd`, the others through `abs`, `sum`, `max` and `min`: derivatives of every
 * order where those have them (see docs/conventions.md).
 *
 * @example
 * ```ts
 * matrixNorm(tensor([[3, 0], [0, -4]]), 2).value;      // 4, the largest singular value
 * matrixNorm(tensor([[3, 0], [0, -4]]), 'nuc').value;  // 7
 * matrixNorm(tensor([[1, -2], [3, 4]]), 1).value;      // 6, the largest column sum of |aᵢⱼ|
 * ```
 */
export function matrixNorm(x: Tensor, ord?: MatrixNormOrder, keepDims?: false): Node;
export function matrixNorm(x: Tensor, ord: MatrixNormOrder | undefined, keepDims: true): Tensor;
export function matrixNorm(x: Tensor, ord: MatrixNormOrder = 'fro', keepDims = false): Scalar | Tensor {
  if (arguments.length > 3) noExtraArguments('matrixNorm', arguments, 3, 'matrixNorm(x, ord, keepDims)');
  keepDimsArg(keepDims, 'matrixNorm');
  const a = tensorArg(x, 'matrixNorm');
  const r = a.shape.length;
  if (r < 2) {
    throw new ShapeError(`matrixNorm: x has shape ${formatShape(a.shape)}; expected a matrix [m, n] or a stack of them [..., m, n] (for a vector, use norm)`);
  }
  if (!(['fro', 'nuc', 1, -1, 2, -2, Infinity, -Infinity] as unknown[]).includes(ord)) {
    throw new ArgumentError(`matrixNorm: ord must be ${ORDERS}, got ${shown(ord)}`);
  }
  const batch = a.shape.slice(0, r - 2), [m, n] = a.shape.slice(r - 2);
  if ((m === 0 || n === 0) && ord !== 'fro' && ord !== 'nuc') {
    throw new ShapeError(`matrixNorm: the ${ord} norm of a matrix of shape [${m}, ${n}] is a max or min over nothing; only 'fro' and 'nuc' (0) are defined for an empty matrix`);
  }
  const single = batch.length === 0;
  let y: Node;
  if (ord === 'fro') y = single ? norm(a, 'fro') : norm(a, 'fro', [r - 2, r - 1]);
  else if (ord === 'nuc' || ord === 2 || ord === -2) {
    const s = svd(a).s; // [..., k], descending
    if (ord === 'nuc') y = single ? sum(s) : sum(s, -1);
    else if (ord === 2) y = single ? max(s) : max(s, -1);
    else y = single ? min(s) : min(s, -1);
  } else {
    // 1: columns (sum over rows, axis −2); ∞: rows (sum over columns, axis −1)
    const sums = sum(abs(a), ord === 1 || ord === -1 ? r - 2 : r - 1);
    const largest = ord === 1 || ord === Infinity;
    y = single ? (largest ? max(sums) : min(sums)) : largest ? max(sums, -1) : min(sums, -1);
  }
  return keepDims ? reshape(y, [...batch, 1, 1]) : y;
}
