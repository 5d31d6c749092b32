// y = a ⊗ b, the Kronecker product (NumPy's kron): y[i·q + k, j·r + l] = a[i, j]·b[k, l], in any rank
// (the operand of lower rank gets leading axes of length 1). Each element pair meets once, so y is a
// broadcast product reshaped: mul's rules, exact derivatives of every order.
import { ArgumentError } from '../errors.js';
import { Tensor, describeValue } from '../node.js';
import { checkedSize } from '../shape.js';
import { commonTape } from '../tape.js';
import { mul } from './mul.js';
import { reshape } from './reshape.js';
import { noExtraArguments } from './op-args.js';

/**
 * The Kronecker product of two tensors (NumPy's `kron`): block (i, j) of the result is a[i, j]·b,
 * and in general the result's shape is the product of the shapes, axis by axis, after the operand of
 * lower rank is given leading axes of length 1.
 *
 * @example
 * ```ts
 * kron(tensor([[1, 2], [3, 4]]), tensor([[0, 1], [1, 0]])).value; // 4×4: [[0,1,0,2],[1,0,2,0],[0,3,0,4],[3,0,4,0]]
 * kron(eye(3), A);                                                 // three block-diagonal copies of A
 * ```
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  noExtraArguments('kron', arguments, 2, 'kron(a, b)', 'for more operands nest the calls: kron(kron(a, b), c)');
  if (!(a instanceof Tensor)) throw new ArgumentError(`kron: the first operand is ${describeValue(a)}; expected a tensor`);
  if (!(b instanceof Tensor)) throw new ArgumentError(`kron: the second operand is ${describeValue(b)}; expected a tensor`);
  // Checked here, or reshape and mul (the ops below) would name themselves.
  commonTape(a.tape, b.tape, 'kron');
  const rank = Math.max(a.shape.length, b.shape.length);
  const as = [...Array<number>(rank - a.shape.length).fill(1), ...a.shape];
  const bs = [...Array<number>(rank - b.shape.length).fill(1), ...b.shape];
  // a as [a₀, 1, a₁, 1, …] times b as [1, b₀, 1, b₁, …]: axis pairs (aᵢ, bᵢ), then merged.
  checkedSize(as.map((d, k) => d * bs[k]), 'kron');
  const y = mul(reshape(a, as.flatMap((d) => [d, 1])), reshape(b, bs.flatMap((d) => [1, d]))) as Tensor;
  return reshape(y, as.map((d, k) => d * bs[k]));
}
