// d = det A, from the LU factorization with partial pivoting: the parity of the row swaps times the
// product of the pivots. Its derivative is the cofactor matrix C = adj(A)ᵀ:
//   R{d} = Σ (C ⊙ R{A}),   Ā = d̄·C,   R{Ā} = R{d̄}·C + d̄·R{C}
// Up to 3×3, C is the polynomial in A's entries (./linalg/cofactors.ts): nothing cancels, every order
// is exact to rounding, and a singular matrix has its derivatives (C is then the adjugate). From 4×4,
// C = d·A⁻ᵀ (Giles 2008, "An extended collection of matrix derivative results for forward and reverse
// mode AD", §2.2; Jacobi's formula), so
//   R{d} = d·Σ (A⁻ᵀ ⊙ R{A}),   Ā = d̄·d·A⁻ᵀ,   R{Ā} = (R{d̄}·d + d̄·R{d})·A⁻ᵀ − d̄·d·A⁻ᵀ·R{A}ᵀ·A⁻ᵀ
// with A⁻ᵀ from inv (through its Primitive, reusing the primal's LU factors on numbers), so nested
// transforms differentiate these rules through inv's. That form cannot reach a singular matrix, nor
// one whose det(A) over- or underflows: there, on numbers, R{d} and Ā take the cofactors from the LU
// factors instead (./linalg/adjugate.ts, no pivot divided), and R{Ā} stays a typed error (it needs
// R{C}, through A⁻¹). Near a singular matrix R{Ā}'s two terms, each of size
// |d|·‖A⁻¹‖², cancel to a cofactor's size: second and higher derivatives lose accuracy with the
// conditioning (JAX's cofactor solve through its LU's derivative would not).
import type { Algebra, Value } from '../algebra/algebra.js';
import { ArgumentError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Scalar, Tensor, describeValue, newScalar, newTensor } from '../node.js';
import type { Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule, type Tape } from '../tape.js';
import { inverseIn } from './inv.js';
import { determinantShape, type DetOptions } from './linalg/determinant-options.js';
import { whichMatrix } from './linalg/batch-index.js';
import { cofactorsFromLu } from './linalg/adjugate.js';
import { luDeterminants, luFactor, type LuFactors } from './linalg/lu.js';
import { byCofactors, cofactorMatrix, cofactorTangent } from './linalg/cofactors.js';
import { perMatrix, squareStack, stackProduct, sumMatrices } from './linalg/matrices.js';
import { noExtraArguments } from './op-args.js';

const WHY = '; from 4×4 on, det\'s first derivatives there are its cofactors (from the LU factors), but its second derivatives ' +
  '(an H·v, a nested transform) go through det(A)·A⁻ᵀ, which a singular matrix does not have';

/**
 * From 4×4 the cofactors are det(A)·A⁻ᵀ, which is not them where det(A) is ±∞ (it overflowed, or A
 * has an infinite entry) or below the normal range at a nonsingular A (it underflowed): 0 or ±∞
 * where the cofactors are finite. A typed error there rather than those numbers; NaN propagates.
 */
function assertFormulaHolds(o: Algebra, d: Value, as: Shape): void {
  const ds = o.numbers(d);
  const values = typeof ds === 'number' ? [ds] : ds;
  for (let b = 0; b < values.length; b++) {
    const m = Math.abs(values[b]);
    if (m === Infinity || m < MIN_NORMAL) {
      const n = as[as.length - 1];
      throw new ArgumentError(
        `det: the ${n}×${n} matrix${whichMatrix(b, as.slice(0, -2))} has det(A) = ${values[b]}, which ` +
          `${m === Infinity ? 'overflows (or A has an infinite entry)' : 'underflows'}; from 4×4 on det's derivatives are det(A)·A⁻ᵀ, ` +
          'which is then 0 or ±∞ where the cofactors are finite. Differentiate slogdet(A).logAbsDet or logDet(A) instead, or rescale A',
      );
    }
  }
}

/** The smallest normal float64, 2⁻¹⁰²²: below it det(A) has lost digits to underflow. */
const MIN_NORMAL = 2 ** -1022;

/**
 * The cofactors of node i's input from the primal's LU factors (./linalg/adjugate.ts), where the rule
 * runs on numbers and det(A)·A⁻ᵀ cannot give them: a matrix of the stack singular to working
 * precision, or det(A) ±∞ or below the normal range. Null where that formula holds, or on nodes (a
 * nested transform differentiates the formula, and its second derivatives need A⁻¹).
 */
function cofactorsWhereFormulaFails(o: Algebra, t: Tape, i: number, d: Value): Float64Array | null {
  if (o.kind !== 'numbers') return null;
  const f = t.saved.get(i) as LuFactors;
  const ds = o.numbers(d);
  let fails = false;
  for (let b = 0; b < f.count && !fails; b++) {
    const m = Math.abs(typeof ds === 'number' ? ds : ds[b]);
    fails = f.singularAt[b] >= 0 || m === Infinity || m < MIN_NORMAL;
  }
  return fails ? cofactorsFromLu(f) : null;
}

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
    const scalar = !t.isTensor(i);
    if (byCofactors(as)) return L.setDot(i, sumMatrices(o, o.mul(cofactorMatrix(o, L.val(a), as), aDot), as, scalar));
    const cof = cofactorsWhereFormulaFails(o, t, i, L.val(i));
    if (cof) return L.setDot(i, sumMatrices(o, o.mul(cof, aDot), as, scalar));
    const yt = inverseTransposed(o, t, i, L.val(a), as);
    assertFormulaHolds(o, L.val(i), as);
    L.setDot(i, o.mul(L.val(i), sumMatrices(o, o.mul(yt, aDot), as, scalar)));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (!L.isActive(a) || (g === 0 && gDot === 0)) return;
    const as = shapeOf(t, a);
    const scalar = !t.isTensor(i);
    if (byCofactors(as)) {
      // Ā = d̄·C and R{Ā} = R{d̄}·C + d̄·R{C}, C the cofactors as a polynomial: nothing cancels.
      const A = L.val(a), cof = cofactorMatrix(o, A, as), gEach = perMatrix(o, g, as, scalar);
      if (L.sweepBar) L.addBar(a, o.mul(gEach, cof));
      if (L.sweepBarDot) L.addBarDot(a, o.add(o.mul(perMatrix(o, gDot, as, scalar), cof), o.mul(gEach, cofactorTangent(o, A, L.dot(a), as))));
      return;
    }
    const d = L.val(i);
    // First derivatives only: Ā = d̄·C with C from the LU factors where det(A)·A⁻ᵀ fails.
    const cof = L.sweepBarDot ? null : cofactorsWhereFormulaFails(o, t, i, d);
    if (cof) return L.addBar(a, o.mul(perMatrix(o, g, as, scalar), cof));
    const yt = inverseTransposed(o, t, i, L.val(a), as);
    assertFormulaHolds(o, d, as);
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
 * matrix has determinant 0 (exactly, when a pivot is exactly 0). Up to 3×3 the derivatives are the
 * cofactors as polynomials: exact at every order, at a singular matrix too (the adjugate). From 4×4
 * they go through A⁻¹, except the first derivatives at a singular matrix (or where det(A) over- or
 * underflows), which are the cofactors formed from the LU factors without dividing by a pivot; second
 * derivatives there are a `SingularMatrixError`, and near one they lose accuracy (docs/conventions.md,
 * Linear algebra). For a product of many factors prefer `slogdet`, which cannot overflow. With `{ batched: true }`, A may be a stack
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
  noExtraArguments('det', arguments, 2, 'det(a, options)');
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
