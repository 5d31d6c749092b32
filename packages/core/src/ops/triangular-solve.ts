// X = op(T)⁻¹·B, op(T) = tri(T) or tri(T)ᵀ, where tri keeps T's lower (or upper) triangle with its
// diagonal: the other triangle is never read, so its derivative is 0. With Ṫ = tri(R{T}):
//   R{X} = op(T)⁻¹·(R{B} − op(Ṫ)·X)
//   B̄ = op(T)⁻ᵀ·X̄                         (this op again, with the other transposition)
//   T̄ = −tri(B̄·Xᵀ)   for op(T) = T,        T̄ = −tri(X·B̄ᵀ)   for op(T) = Tᵀ
//   R{B̄} = op(T)⁻ᵀ·(R{X̄} − op(Ṫ)ᵀ·B̄)
//   R{T̄} = −tri(R{B̄}·Xᵀ + B̄·R{X}ᵀ)         or −tri(X·R{B̄}ᵀ + R{X}·B̄ᵀ)
// (the solve results of Giles 2008, "An extended collection of matrix derivative results for forward
// and reverse mode AD", restricted to a triangle). Every solve in the rules is this op through its
// Primitive, so nested transforms differentiate the rules with the same rules.
import type { Algebra, Primitive, Value } from '../algebra/algebra.js';
import { asTensor, tapeOfOperands } from '../elementwise/operands.js';
import { shapeOf } from '../lanes.js';
import { Tensor, constantTensor, newTensor, onTape, type Node } from '../node.js';
import { checkOptions, option, type OptionsSpec } from '../options.js';
import { sizeOf, type Shape } from '../shape.js';
import { commonTape, registerRule, type OpRule } from '../tape.js';
import { linearSystem, squareStack, stackProduct, triangle } from './linalg/matrices.js';
import { triangularSolveNumbers, type TriangularParams } from './linalg/triangular.js';
import { noExtraArguments } from './op-args.js';

const rule: OpRule = {
  name: 'triangularSolve',
  // A compiled replay: the substitution again at the current values (a zero on the diagonal is a
  // SingularMatrixError there, as recording would raise).
  primal(o, L, i) {
    const t = L.tape;
    const T = t.in0[i], B = t.in1[i];
    L.setVal(i, substitution(o.numbers(L.val(T)) as Float64Array, shapeOf(t, T), o.numbers(L.val(B)) as Float64Array, shapeOf(t, B), t.saved.get(i) as TriangularParams));
  },
  tangent(o, L, i) {
    const t = L.tape;
    const T = t.in0[i], B = t.in1[i];
    const p = t.saved.get(i) as TriangularParams;
    const ts = shapeOf(t, T), xs = shapeOf(t, i);
    const tDot = triangle(o, L.dot(T), ts, p.lower);
    const rhs = o.sub(L.dot(B), stackProduct(o, tDot, ts, p.transpose, L.val(i), xs, false));
    L.setDot(i, triangularSolveIn(o, L.val(T), ts, rhs, xs, p));
  },
  backward(o, L, i) {
    const t = L.tape;
    const T = t.in0[i], B = t.in1[i];
    const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (g === 0 && gDot === 0) return;
    const p = t.saved.get(i) as TriangularParams;
    const ts = shapeOf(t, T), xs = shapeOf(t, i);
    const flipped: TriangularParams = { lower: p.lower, transpose: !p.transpose };
    const tv = L.val(T);
    const bBar = triangularSolveIn(o, tv, ts, g, xs, flipped);
    let bBarDot: Value = 0;
    if (L.sweepBarDot) {
      const tDot = triangle(o, L.dot(T), ts, p.lower);
      bBarDot = triangularSolveIn(o, tv, ts, o.sub(gDot, stackProduct(o, tDot, ts, !p.transpose, bBar, xs, false)), xs, flipped);
    }
    if (L.isActive(B)) {
      if (L.sweepBar) L.addBar(B, bBar);
      if (L.sweepBarDot) L.addBarDot(B, bBarDot);
    }
    if (L.isActive(T)) {
      // u·vᵀ for op(T) = T, v·uᵀ for op(T) = Tᵀ: the outer products of T̄ and R{T̄}.
      const outer = (u: Value, v: Value): Value =>
        p.transpose ? stackProduct(o, v, xs, false, u, xs, true) : stackProduct(o, u, xs, false, v, xs, true);
      const X = L.val(i);
      if (L.sweepBar) L.addBar(T, o.neg(triangle(o, outer(bBar, X), ts, p.lower)));
      if (L.sweepBarDot) {
        L.addBarDot(T, o.neg(triangle(o, o.add(outer(bBarDot, X), outer(bBar, L.dot(i))), ts, p.lower)));
      }
    }
  },
};
const TRIANGULAR_SOLVE = registerRule(rule);

/** The solve as rules reach it: the substitution kernel on numbers, this op on nodes. */
const TRIANGULAR_SOLVE_PRIMITIVE: Primitive<TriangularParams> = {
  name: 'triangularSolve',
  numbers: (args, shapes, p) => substitution(args[0] as Float64Array, shapes[0], args[1] as Float64Array, shapes[1], p),
  nodes(args, shapes, p) {
    const T = args[0] as Tensor;
    const B = typeof args[1] === 'number' ? constantTensor(T.tape, new Float64Array(sizeOf(shapes[1])).fill(args[1]), shapes[1]) : args[1] as Node;
    return triangularSolveCore(T, B as Tensor, p);
  },
};

/**
 * op(T)⁻¹·rhs in the algebra, for a stack T (shape ts) and right-hand sides of its batch shape
 * (shape rs): for rules, of this op and of others (cholesky's).
 */
export function triangularSolveIn(o: Algebra, T: Value, ts: Shape, rhs: Value, rs: Shape, p: TriangularParams): Value {
  if (rhs === 0) return 0;
  const full = typeof rhs === 'number' ? o.constant(new Float64Array(sizeOf(rs)).fill(rhs), rs) : rhs;
  return o.apply(TRIANGULAR_SOLVE_PRIMITIVE, [T, full], [ts, rs], p);
}

/** op(T)⁻¹·B on numbers, for a stack T and right-hand sides B of its batch shape. */
function substitution(T: Float64Array, ts: Shape, B: Float64Array, bs: Shape, p: TriangularParams): Float64Array {
  const { batch, n, count } = squareStack(ts, 'triangularSolve');
  return triangularSolveNumbers(T, B, n, bs[bs.length - 1], count, p, 'triangularSolve', batch);
}

/** The recorded op, for a stack T and right-hand sides B of the same batch shape ([..., n, m]). */
function triangularSolveCore(T: Tensor, B: Tensor, p: TriangularParams): Tensor {
  const t = commonTape(T.tape, B.tape, 'triangularSolve');
  // An operand made outside the transform (an eager node) comes in as a constant of this tape.
  T = onTape(T, t, 'triangularSolve') as Tensor;
  B = onTape(B, t, 'triangularSolve') as Tensor;
  const data = substitution(T.data, T.shape, B.data, B.shape, p);
  const active = t.active[T.id] === 1 || t.active[B.id] === 1;
  const x = newTensor(t, TRIANGULAR_SOLVE, T.id, B.id, active, B.shape, data, null);
  t.saved.set(x.id, p);
  if (active && t.withTangent) rule.tangent(t.o, t, x.id);
  return x;
}

/**
 * Options of {@link triangularSolve}: which triangle of the matrix is read, and whether it is applied
 * transposed.
 *
 * @example
 * ```ts
 * const options: TriangularSolveOptions = { lower: true, transpose: true }; // solves Lᵀ·x = b
 * ```
 */
export interface TriangularSolveOptions {
  /** Read the lower triangle (default `true`); `false` reads the upper one. */
  readonly lower?: boolean;
  /** Solve with the triangle transposed, op(T)ᵀ·x = b (default `false`). */
  readonly transpose?: boolean;
}

const OPTIONS: OptionsSpec<TriangularSolveOptions> = { lower: option.boolean(), transpose: option.boolean() };

/**
 * Solves T·x = b (or Tᵀ·x = b with `transpose`) for a triangular T, by substitution: O(n²) per
 * right-hand side. Only T's lower triangle (or upper, with `lower: false`) and diagonal are read; the
 * other triangle may hold anything and gets a zero derivative. `b` is a vector [n] or a matrix
 * [n, k]; T may be a stack [..., n, n] with b's batch dimensions broadcasting against it (NumPy
 * rules). A zero on the diagonal is a `SingularMatrixError`; unknown options an `OptionError`.
 *
 * @example
 * ```ts
 * // With A = L·Lᵀ (cholesky), A⁻¹·b is two triangular solves:
 * const L = cholesky(A);
 * const x = triangularSolve(L, triangularSolve(L, b), { transpose: true });
 * ```
 */
export function triangularSolve(t: Tensor, b: Tensor, options?: TriangularSolveOptions): Tensor {
  if (arguments.length > 3) noExtraArguments('triangularSolve', arguments, 3, 'triangularSolve(t, b, options)');
  const { lower = true, transpose = false } = checkOptions('triangularSolve', options, OPTIONS);
  const tape = tapeOfOperands(t, b, 'triangularSolve');
  const system = linearSystem(asTensor(t, tape, 'triangularSolve'), asTensor(b, tape, 'triangularSolve'), 'triangularSolve');
  return system.restore(triangularSolveCore(system.A, system.B, { lower, transpose }));
}
