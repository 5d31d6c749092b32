// d = det A, from the LU factorization with partial pivoting: the parity of the row swaps times the
// product of the pivots (Giles 2008, "An extended collection of matrix derivative results for forward
// and reverse mode AD", §2.2; Jacobi's formula):
//   R{d} = d·tr(A⁻¹·R{A}) = d·Σ (A⁻ᵀ ⊙ R{A})
//   Ā    = d̄·d·A⁻ᵀ
//   R{Ā} = (R{d̄}·d + d̄·R{d})·A⁻ᵀ − d̄·d·A⁻ᵀ·R{A}ᵀ·A⁻ᵀ
// A⁻ᵀ comes from inv (through its Primitive, reusing the primal's LU factors on numbers), so nested
// transforms differentiate these rules through inv's. At a singular matrix d = 0 but the derivative is
// the adjugate, which this form cannot reach: derivatives there are a SingularMatrixError. Near it,
// R{Ā}'s two terms are each of size |d|·‖A⁻¹‖² and cancel to a cofactor's size, so second and higher
// derivatives lose accuracy with the conditioning (a cofactor form, as JAX's, would not).
import type { Algebra, Value } from '../algebra/algebra.js';
import { ArgumentError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Scalar, Tensor, describeValue, newScalar, newTensor } from '../node.js';
import type { Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule, type Tape } from '../tape.js';
import { inverseIn } from './inv.js';
import { determinantShape, type DetOptions } from './linalg/determinant-options.js';
import { luDeterminants, luFactor, type LuFactors } from './linalg/lu.js';
import { perMatrix, squareStack, stackProduct, sumMatrices } from './linalg/matrices.js';

const WHY = '; det\'s derivative is det(A)·A⁻ᵀ, which at a singular matrix becomes the adjugate, and that is not supported';

/** A⁻ᵀ of node i's input, reusing the primal's LU factors when the rule runs on numbers. */
function inverseTransposed(o: Algebra, t: Tape, i: number, a: Value, as: Shape): Value {
  const factors = o.kind === 'numbers' ? (t.saved.get(i) as LuFactors) : null;
  return inverseIn(o, a, as, { transpose: true, factors, opName: 'det', why: WHY });
}

const rule: OpRule = {
  name: 'det',
  // A compiled replay: LU again at A's current values, kept for the rules as recording keeps it.
  primal(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const { n, count } = squareStack(shapeOf(t, a), 'det');
    const f = luFactor(o.numbers(L.val(a)) as Float64Array, n, count);
    t.saved.set(i, f);
    const values = luDeterminants(f);
    L.setVal(i, t.isTensor(i) ? values : values[0]);
  },
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const aDot = L.dot(a);
    if (aDot === 0) return L.setDot(i, 0);
    const as = shapeOf(t, a);
    const yt = inverseTransposed(o, t, i, L.val(a), as);
    L.setDot(i, o.mul(L.val(i), sumMatrices(o, o.mul(yt, aDot), as, !t.isTensor(i))));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (!L.isActive(a) || (g === 0 && gDot === 0)) return;
    const as = shapeOf(t, a);
    const scalar = !t.isTensor(i);
    const d = L.val(i);
    const yt = inverseTransposed(o, t, i, L.val(a), as);
    const c = o.mul(g, d);
    if (L.sweepBar) L.addBar(a, o.mul(perMatrix(o, c, as, scalar), yt));
    if (L.sweepBarDot) {
      const cDot = o.add(o.mul(gDot, d), o.mul(g, L.dot(i)));
      const ytDot = stackProduct(o, stackProduct(o, yt, as, false, L.dot(a), as, true), as, false, yt, as, false);
      L.addBarDot(a, o.sub(o.mul(perMatrix(o, cDot, as, scalar), yt), o.mul(perMatrix(o, c, as, scalar), ytDot)));
    }
  },
};
const DET = registerRule(rule);

/**
 * The determinant of a square matrix, from its LU factorization with partial pivoting. A singular
 * matrix has determinant 0 (exactly, when a pivot is exactly 0); its derivative there (the adjugate)
 * is not supported, so derivatives at a singular matrix are a `SingularMatrixError`. Near one, the
 * value and gradient stay accurate but second and higher derivatives lose accuracy as A nears
 * singularity (docs/conventions.md, Linear algebra). For a product of many factors prefer `slogdet`,
 * which cannot overflow. With `{ batched: true }`, A may be a stack
 * [..., n, n] and the result is a tensor of its batch shape.
 *
 * @example
 * ```ts
 * const d = det(A);                          // a Scalar node
 * const ds = det(stack, { batched: true });  // stack [b, n, n] → a tensor [b]
 * ```
 */
export function det(a: Tensor, options?: DetOptions & { readonly batched?: false }): Scalar;
export function det(a: Tensor, options: DetOptions & { readonly batched: true }): Tensor;
export function det(a: Tensor, options?: DetOptions): Scalar | Tensor;
export function det(a: Tensor, options?: DetOptions): Scalar | Tensor {
  if (!(a instanceof Tensor)) throw new ArgumentError(`det: expected a tensor, got ${describeValue(a)}`);
  const t = checkLive(a.tape, 'det');
  const { batch, n, count, scalar } = determinantShape(a.shape, options, 'det');
  const f = luFactor(a.data, n, count);
  const values = luDeterminants(f);
  const active = t.active[a.id] === 1;
  const y = scalar
    ? newScalar(t, DET, a.id, NO_INPUT, active, values[0], 0)
    : newTensor(t, DET, a.id, NO_INPUT, active, batch, values, null);
  t.saved.set(y.id, f);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}
export type { DetOptions } from './linalg/determinant-options.js';
