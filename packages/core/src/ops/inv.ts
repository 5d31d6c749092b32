// Y = A⁻¹, by LU factorization with partial pivoting (Giles 2008, "An extended collection of matrix
// derivative results for forward and reverse mode AD", §2.2):
//   R{Y} = −Y·R{A}·Y
//   Ā    = −Yᵀ·Ȳ·Yᵀ
//   R{Ā} = −((R{Y}ᵀ·Ȳ + Yᵀ·R{Ȳ})·Yᵀ + Yᵀ·Ȳ·R{Y}ᵀ)
// The rules are products of Y (the node itself) and lanes, so nested transforms differentiate them
// through matmul. det and slogdet reach A⁻¹ in their rules through this op's Primitive.
import type { Algebra, Primitive, Value } from '../algebra/algebra.js';
import { ArgumentError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Tensor, describeValue, newTensor } from '../node.js';
import type { Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { transpose } from './transpose.js';
import { assertInvertible, luFactor, luInverse, type LuFactors } from './linalg/lu.js';
import { lastTwoSwapped, squareStack, stackProduct } from './linalg/matrices.js';
import { noExtraArguments } from './op-args.js';

const rule: OpRule = {
  name: 'inv',
  // A compiled replay: LU and the inverse again at A's current values (a SingularMatrixError there, as
  // recording would raise).
  primal(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    L.setVal(i, inverseOf(o.numbers(L.val(a)) as Float64Array, shapeOf(t, a)));
  },
  tangent(o, L, i) {
    const s = shapeOf(L.tape, i);
    const aDot = L.dot(L.tape.in0[i]);
    const y = L.val(i);
    L.setDot(i, o.neg(stackProduct(o, stackProduct(o, y, s, false, aDot, s, false), s, false, y, s, false)));
  },
  backward(o, L, i) {
    const a = L.tape.in0[i];
    const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (!L.isActive(a) || (g === 0 && gDot === 0)) return;
    const s = shapeOf(L.tape, i);
    const y = L.val(i);
    const w = stackProduct(o, y, s, true, g, s, false); // Yᵀ·Ȳ
    if (L.sweepBar) L.addBar(a, o.neg(stackProduct(o, w, s, false, y, s, true)));
    if (L.sweepBarDot) {
      const yDot = L.dot(i);
      const left = o.add(stackProduct(o, yDot, s, true, g, s, false), stackProduct(o, y, s, true, gDot, s, false));
      L.addBarDot(a, o.neg(o.add(stackProduct(o, left, s, false, y, s, true), stackProduct(o, w, s, false, yDot, s, true))));
    }
  },
};
const INV = registerRule(rule);

/** A⁻¹ of a stack of matrices' numbers, by LU with partial pivoting; singular ones are an error. */
function inverseOf(a: Float64Array, shape: Shape): Float64Array {
  const { batch, n, count } = squareStack(shape, 'inv');
  const f = luFactor(a, n, count);
  assertInvertible(f, 'inv', batch);
  return luInverse(f);
}

/** What the inverse Primitive needs besides A. */
export interface InverseParams {
  /** Return A⁻ᵀ instead of A⁻¹. */
  readonly transpose: boolean;
  /** A's LU factors when the primitive runs on A's own numbers (top level), else null. */
  readonly factors: LuFactors | null;
  /** The op whose rule asks, and why, for the message if A is singular. */
  readonly opName: string;
  readonly why: string;
}

/** A⁻¹ as other ops' rules reach it: from LU factors on numbers, this op on nodes. */
const INVERSE_PRIMITIVE: Primitive<InverseParams> = {
  name: 'inv',
  numbers(args, shapes, p) {
    const { batch, n, count } = squareStack(shapes[0], p.opName);
    const f = p.factors ?? luFactor(args[0] as Float64Array, n, count);
    assertInvertible(f, p.opName, batch, p.why);
    return luInverse(f, p.transpose);
  },
  nodes(args, _shapes, p) {
    const y = inv(args[0] as Tensor);
    return p.transpose ? transpose(y, lastTwoSwapped(y.shape.length)) : y;
  },
};

/** A⁻¹ (or A⁻ᵀ) in the algebra, for the rules of ops that need it (det, slogdet). */
export function inverseIn(o: Algebra, a: Value, as: Shape, p: InverseParams): Value {
  return o.apply(INVERSE_PRIMITIVE, [a], [as], p);
}

/**
 * The inverse of a square matrix, or of each matrix of a stack [..., n, n], by LU factorization with
 * partial pivoting. To solve A·x = b, `solve(A, b)` is cheaper and more accurate. A singular matrix,
 * or one singular to working precision, is a `SingularMatrixError`. Exact second derivatives.
 *
 * @example
 * ```ts
 * const Ainv = inv(A);      // A·A⁻¹ = I
 * const x = Ainv.matmul(b); // prefer solve(A, b)
 * ```
 */
export function inv(a: Tensor): Tensor {
  noExtraArguments('inv', arguments, 1, 'inv(a)', 'for a system A·x = b use solve(A, b), which is cheaper and more accurate');
  if (!(a instanceof Tensor)) throw new ArgumentError(`inv: expected a tensor, got ${describeValue(a)}`);
  const t = checkLive(a.tape, 'inv');
  const active = t.active[a.id] === 1;
  const y = newTensor(t, INV, a.id, NO_INPUT, active, a.shape, inverseOf(a.data, a.shape), null);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}
