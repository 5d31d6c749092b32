// sign(det A) and y = log|det A|, from the LU factorization with partial pivoting (a sum of the
// pivots' logs, so neither overflows). The sign is piecewise constant: a plain number (or constant
// tensor), with no derivative. For y (Jacobi's formula; Giles 2008, §2.2):
//   R{y} = tr(A⁻¹·R{A}) = Σ (A⁻ᵀ ⊙ R{A})
//   Ā    = ȳ·A⁻ᵀ
//   R{Ā} = R{ȳ}·A⁻ᵀ − ȳ·A⁻ᵀ·R{A}ᵀ·A⁻ᵀ
// A⁻ᵀ comes from inv (through its Primitive, reusing the primal's LU factors on numbers), so nested
// transforms differentiate these rules through inv's. At a singular matrix y = −∞ and its derivative
// does not exist: derivatives there are a SingularMatrixError.
import type { Algebra, Value } from '../algebra/algebra.js';
import { ArgumentError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Scalar, Tensor, constantTensor, describeValue, newScalar, newTensor } from '../node.js';
import type { Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule, type Tape } from '../tape.js';
import { inverseIn } from './inv.js';
import { determinantShape, type DetOptions } from './linalg/determinant-options.js';
import { luFactor, luLogDeterminants, type LuFactors } from './linalg/lu.js';
import { perMatrix, squareStack, stackProduct, sumMatrices } from './linalg/matrices.js';
import { noExtraArguments } from './op-args.js';

const WHY = '; the derivative of log|det A| is A⁻ᵀ, which does not exist there (log|det A| = −∞)';

function inverseTransposed(o: Algebra, t: Tape, i: number, a: Value, as: Shape, opName: string): Value {
  const factors = o.kind === 'numbers' ? (t.saved.get(i) as LuFactors) : null;
  return inverseIn(o, a, as, { transpose: true, factors, opName, why: WHY });
}

const rule: OpRule = {
  name: 'logAbsDet',
  // A compiled replay: LU again at A's current values, kept for the rules as recording keeps it.
  primal(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const { n, count } = squareStack(shapeOf(t, a), 'slogdet');
    const f = luFactor(o.numbers(L.val(a)) as Float64Array, n, count);
    t.saved.set(i, f);
    const values = luLogDeterminants(f).logAbsDet;
    L.setVal(i, t.isTensor(i) ? values : values[0]);
  },
  // sign(det A) of each matrix, from the factors of the current values (the primal rule keeps them):
  // slogdet hands it to f as a constant and logDet turns a negative one into NaN, so a replay where
  // it changes is a branch change.
  branch: (L, i) => luLogDeterminants(L.tape.saved.get(i) as LuFactors).sign,
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const aDot = L.dot(a);
    if (aDot === 0) return L.setDot(i, 0);
    const as = shapeOf(t, a);
    const yt = inverseTransposed(o, t, i, L.val(a), as, 'slogdet');
    L.setDot(i, sumMatrices(o, o.mul(yt, aDot), as, !t.isTensor(i)));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (!L.isActive(a) || (g === 0 && gDot === 0)) return;
    const as = shapeOf(t, a);
    const scalar = !t.isTensor(i);
    const yt = inverseTransposed(o, t, i, L.val(a), as, 'slogdet');
    if (L.sweepBar) L.addBar(a, o.mul(perMatrix(o, g, as, scalar), yt));
    if (L.sweepBarDot) {
      const ytDot = stackProduct(o, stackProduct(o, yt, as, false, L.dot(a), as, true), as, false, yt, as, false);
      L.addBarDot(a, o.sub(o.mul(perMatrix(o, gDot, as, scalar), yt), o.mul(perMatrix(o, g, as, scalar), ytDot)));
    }
  },
};
const LOG_ABS_DET = registerRule(rule);

/**
 * log|det A| as a node (a scalar, or a tensor of the batch shape) and sign(det A) as numbers: for
 * `slogdet` and `logDet`.
 */
export function logAbsDet(a: Tensor, options: DetOptions | undefined, opName: string): { sign: Float64Array; y: Scalar | Tensor; batch: Shape; scalar: boolean } {
  if (!(a instanceof Tensor)) throw new ArgumentError(`${opName}: expected a tensor, got ${describeValue(a)}`);
  const t = checkLive(a.tape, opName);
  const { batch, n, count, scalar } = determinantShape(a.shape, options, opName);
  const f = luFactor(a.data, n, count);
  const { sign, logAbsDet: values } = luLogDeterminants(f);
  const active = t.active[a.id] === 1;
  const y = scalar
    ? newScalar(t, LOG_ABS_DET, a.id, NO_INPUT, active, values[0], 0)
    : newTensor(t, LOG_ABS_DET, a.id, NO_INPUT, active, batch, values, null);
  t.saved.set(y.id, f);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return { sign, y, batch, scalar };
}

/**
 * What {@link slogdet} returns: det A = sign·exp(logAbsDet).
 *
 * @example
 * ```ts
 * const { sign, logAbsDet }: SignAndLogDet<number, Scalar> = slogdet(A);
 * ```
 */
export interface SignAndLogDet<S, L> {
  /** sign(det A): 1, −1, or 0 for a singular matrix (NaN if A holds a NaN); a constant. */
  readonly sign: S;
  /** log|det A| as a node, −∞ for a singular matrix. */
  readonly logAbsDet: L;
}

/**
 * The sign and the log of the absolute value of the determinant, det A = sign·exp(logAbsDet), from
 * the LU factorization with partial pivoting: no overflow or underflow where `det` would have one.
 * `sign` is a plain number (a constant: it has no derivative), `logAbsDet` a node whose derivative
 * is A⁻ᵀ; at a singular matrix, sign is 0, logAbsDet −∞, and derivatives a `SingularMatrixError`.
 * With `{ batched: true }`, A may be a stack [..., n, n]: sign is then a constant tensor and
 * logAbsDet a tensor, both of the batch shape.
 *
 * @example
 * ```ts
 * const { sign, logAbsDet } = slogdet(A);     // sign: number, logAbsDet: Scalar
 * const det = logAbsDet.exp().mul(sign);
 * ```
 */
export function slogdet(a: Tensor, options?: DetOptions & { readonly batched?: false }): SignAndLogDet<number, Scalar>;
export function slogdet(a: Tensor, options: DetOptions & { readonly batched: true }): SignAndLogDet<Tensor, Tensor>;
export function slogdet(a: Tensor, options?: DetOptions): SignAndLogDet<number | Tensor, Scalar | Tensor>;
export function slogdet(a: Tensor, options?: DetOptions): SignAndLogDet<number | Tensor, Scalar | Tensor> {
  if (arguments.length > 2) noExtraArguments('slogdet', arguments, 2, 'slogdet(a, options)');
  const { sign, y, batch, scalar } = logAbsDet(a, options, 'slogdet');
  return { sign: scalar ? sign[0] : constantTensor(y.tape, sign, batch), logAbsDet: y };
}
