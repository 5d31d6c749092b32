// L = chol(A): lower triangular, positive diagonal, L·Lᵀ = Σ where Σ = (A + Aᵀ)/2 (A must be
// symmetric to rounding; both triangles are read). With Φ(X) = strictly-lower(X) + ½·diag(X) and
// sym(X) = (X + Xᵀ)/2 (Murray 2016, "Differentiation of the Cholesky decomposition", §3–4):
//   R{L} = L·Φ(L⁻¹·sym(R{A})·L⁻ᵀ)
//   Ā    = L⁻ᵀ·sym(Φ(Lᵀ·L̄))·L⁻¹                          (symmetric: the adjoint of sym(·) is sym)
//   R{Ā} = L⁻ᵀ·sym(Φ(R{L}ᵀ·L̄ + Lᵀ·R{L̄}))·L⁻¹ − V − Vᵀ,  V = L⁻ᵀ·R{L}ᵀ·Ā
// The last line is the tangent of the one above (d L⁻¹ = −L⁻¹·dL·L⁻¹, and Ā is symmetric). Every
// L⁻¹ is a triangularSolve, our own op, so nested transforms differentiate these rules with the same
// rules; Φ and sym are constant masks and transposes.
import type { Algebra, Value } from '../algebra/algebra.js';
import { ArgumentError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Tensor, describeValue, newTensor } from '../node.js';
import type { Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { choleskyNumbers } from './linalg/cholesky-factor.js';
import { squareStack, stackProduct, swapLast, symmetricPart, triangleMask } from './linalg/matrices.js';
import { triangularSolveIn } from './triangular-solve.js';
import { noExtraArguments } from './op-args.js';

const LOWER = { lower: true, transpose: false };
const LOWER_T = { lower: true, transpose: true };

/** Φ(X): the strictly lower triangle of each matrix and half its diagonal. */
function phi(o: Algebra, x: Value, s: Shape): Value {
  return x === 0 ? 0 : o.mul(x, triangleMask(o, s, true, 0.5));
}

/** L⁻ᵀ·M·L⁻¹ for a symmetric M: two transposed triangular solves (L⁻ᵀ·(L⁻ᵀ·M)ᵀ). */
function sandwich(o: Algebra, l: Value, m: Value, s: Shape): Value {
  if (m === 0) return 0;
  const z = triangularSolveIn(o, l, s, m, s, LOWER_T);
  return triangularSolveIn(o, l, s, swapLast(o, z, s), s, LOWER_T);
}

/** L⁻ᵀ·sym(Φ(M))·L⁻¹: the adjoint of A for the contraction M = Lᵀ·L̄. */
function adjointOf(o: Algebra, l: Value, m: Value, s: Shape): Value {
  return sandwich(o, l, symmetricPart(o, phi(o, m, s), s), s);
}

const rule: OpRule = {
  name: 'cholesky',
  // A compiled replay: the factor again at A's current values (a NotPositiveDefiniteError there, as
  // recording would raise).
  primal(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const { batch, n, count } = squareStack(shapeOf(t, a), 'cholesky');
    L.setVal(i, choleskyNumbers(o.numbers(L.val(a)) as Float64Array, n, count, batch));
  },
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const s = shapeOf(t, i);
    const aDot = L.dot(a);
    if (aDot === 0) return L.setDot(i, 0);
    const l = L.val(i);
    const y = triangularSolveIn(o, l, s, symmetricPart(o, aDot, s), s, LOWER); // L⁻¹·Σ̇
    const inner = triangularSolveIn(o, l, s, swapLast(o, y, s), s, LOWER); // L⁻¹·Σ̇·L⁻ᵀ
    L.setDot(i, stackProduct(o, l, s, false, phi(o, inner, s), s, false));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (!L.isActive(a) || (g === 0 && gDot === 0)) return;
    const s = shapeOf(t, i);
    const l = L.val(i);
    const aBar = adjointOf(o, l, stackProduct(o, l, s, true, g, s, false), s);
    if (L.sweepBar) L.addBar(a, aBar);
    if (L.sweepBarDot) {
      const lDot = L.dot(i);
      const m = o.add(stackProduct(o, lDot, s, true, g, s, false), stackProduct(o, l, s, true, gDot, s, false));
      const v = triangularSolveIn(o, l, s, stackProduct(o, lDot, s, true, aBar, s, false), s, LOWER_T);
      L.addBarDot(a, o.sub(adjointOf(o, l, m, s), o.add(v, swapLast(o, v, s))));
    }
  },
};
const CHOLESKY = registerRule(rule);

/**
 * The Cholesky factor of a symmetric positive-definite matrix: the lower triangular L with a positive
 * diagonal and L·Lᵀ = A, or of each matrix of a stack [..., n, n]. Both triangles of A are read, as
 * (A + Aᵀ)/2, so the derivative is symmetric; a matrix whose triangles differ by more than rounding
 * is an `ArgumentError`, and one that is not positive definite (to working precision) a
 * `NotPositiveDefiniteError` naming the failing pivot. Exact second derivatives (Murray 2016).
 *
 * @example
 * ```ts
 * const L = cholesky(K);               // K = L·Lᵀ, K symmetric positive definite
 * const alpha = triangularSolve(L, y); // L⁻¹·y
 * const quadratic = alpha.dot(alpha);  // yᵀ·K⁻¹·y
 * ```
 */
export function cholesky(a: Tensor): Tensor {
  noExtraArguments('cholesky', arguments, 1, 'cholesky(a)', 'it returns the lower factor L with A = L·Lᵀ; for the upper factor take swapAxes(L, -1, -2)');
  if (!(a instanceof Tensor)) throw new ArgumentError(`cholesky: expected a tensor, got ${describeValue(a)}`);
  const t = checkLive(a.tape, 'cholesky');
  const { batch, n, count } = squareStack(a.shape, 'cholesky');
  const data = choleskyNumbers(a.data, n, count, batch);
  const active = t.active[a.id] === 1;
  const y = newTensor(t, CHOLESKY, a.id, NO_INPUT, active, a.shape, data, null);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}
