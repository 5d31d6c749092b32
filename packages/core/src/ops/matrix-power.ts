// Aⁿ for an integer n (NumPy's matrix_power): repeated squaring with matmul, A⁰ = I and A⁻ⁿ = (A⁻¹)ⁿ
// through inv. A composition, so its derivatives are matmul's and inv's: exact, of every order.
import { ShapeError, SingularMatrixError } from '../errors.js';
import { constantTensor } from '../node.js';
import { formatShape } from '../shape.js';
import { broadcastTo } from './broadcast-to.js';
import { inv } from './inv.js';
import { matmul } from './matmul.js';
import { integerArg, tensorArg, noExtraArguments } from './op-args.js';
import type { Tensor } from '../node.js';

/**
 * The n-th power of a square matrix, or of each matrix of a stack [..., m, m] (NumPy's
 * `linalg.matrix_power`): n = 0 gives the identity, a negative n the power of the inverse (a singular
 * matrix is then a `SingularMatrixError`). Computed by repeated squaring: about 2·log₂|n| products.
 *
 * @example
 * ```ts
 * matrixPower(tensor([[1, 1], [1, 0]]), 10).value; // [89, 55, 55, 34]: Fibonacci numbers
 * matrixPower(A, -1);                              // inv(A)
 * ```
 */
export function matrixPower(a: Tensor, n: number): Tensor {
  if (arguments.length > 2) noExtraArguments('matrixPower', arguments, 2, 'matrixPower(a, n)');
  const t = tensorArg(a, 'matrixPower').tape;
  integerArg(n, 'n', 'matrixPower');
  const r = a.shape.length;
  if (r < 2 || a.shape[r - 1] !== a.shape[r - 2]) {
    throw new ShapeError(`matrixPower: shape ${formatShape(a.shape)} is not a square matrix or a stack of them ([..., m, m])`);
  }
  if (n === 0) {
    const m = a.shape[r - 1];
    const eye = new Float64Array(m * m);
    for (let i = 0; i < m; i++) eye[i * m + i] = 1;
    return broadcastTo(constantTensor(t, eye, [m, m]), a.shape);
  }
  let base = n < 0 ? inverse(a) : a;
  let k = Math.abs(n);
  let result: Tensor | null = null;
  // Binary powering: the bits of k from the lowest; each set bit multiplies the running result.
  for (;;) {
    if (k % 2 === 1) result = result === null ? base : matmul(result, base);
    k = Math.floor(k / 2);
    if (k === 0) return result!;
    base = matmul(base, base);
  }
}

/** inv(a), its singular-matrix error named as matrixPower's: the user called matrixPower, not inv. */
function inverse(a: Tensor): Tensor {
  try {
    return inv(a);
  } catch (error) {
    if (error instanceof SingularMatrixError) throw new SingularMatrixError(`matrixPower: a negative power needs A⁻¹, and ${error.message}`);
    throw error;
  }
}
