// X = A⁻¹·B, by LU factorization with partial pivoting (Giles 2008, "An extended collection of matrix
// derivative results for forward and reverse mode AD", §2.2):
//   R{X} = A⁻¹·(R{B} − R{A}·X)
//   B̄ = A⁻ᵀ·X̄,                  Ā = −B̄·Xᵀ
//   R{B̄} = A⁻ᵀ·(R{X̄} − R{A}ᵀ·B̄),  R{Ā} = −(R{B̄}·Xᵀ + B̄·R{X}ᵀ)
// Every solve in the rules is this op again, through its Primitive; on numbers it reuses the LU
// factors of the primal, so a gradient costs triangular solves, not new factorizations.
import type { Algebra, Primitive, Value } from '../algebra/algebra.js';
import { asTensor, tapeOfOperands } from '../elementwise/operands.js';
import { shapeOf } from '../lanes.js';
import { Tensor, newTensor, onTape } from '../node.js';
import { sizeOf, type Shape } from '../shape.js';
import { commonTape, registerRule, type OpRule } from '../tape.js';
import { transpose } from './transpose.js';
import { assertInvertible, luFactor, luSolve, type LuFactors } from './linalg/lu.js';
import { lastTwoSwapped, linearSystem, squareStack, stackProduct } from './linalg/matrices.js';
import { noExtraArguments } from './op-args.js';

interface SolveParams {
  /** Solve with Aᵀ. */
  readonly transpose: boolean;
  /** A's LU factors when the primitive runs on A's own numbers (top level), else null. */
  readonly factors: LuFactors | null;
}

const rule: OpRule = {
  name: 'solve',
  // A compiled replay: LU and the substitutions again at the current values (a SingularMatrixError
  // there, as recording would raise); the factors are kept for the rules as recording keeps them.
  primal(o, L, i) {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    const { f, x } = factorAndSolve(o.numbers(L.val(a)) as Float64Array, shapeOf(t, a), o.numbers(L.val(b)) as Float64Array, shapeOf(t, b));
    t.saved.set(i, f);
    L.setVal(i, x);
  },
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    const as = shapeOf(t, a), xs = shapeOf(t, i);
    const rhs = o.sub(L.dot(b), stackProduct(o, L.dot(a), as, false, L.val(i), xs, false));
    L.setDot(i, solveIn(o, L.val(a), as, rhs, xs, { transpose: false, factors: factorsOf(o, L.tape, i) }));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (g === 0 && gDot === 0) return;
    const as = shapeOf(t, a), xs = shapeOf(t, i);
    const av = L.val(a);
    const params: SolveParams = { transpose: true, factors: factorsOf(o, t, i) };
    const bBar = solveIn(o, av, as, g, xs, params);
    const bBarDot = L.sweepBarDot ? solveIn(o, av, as, o.sub(gDot, stackProduct(o, L.dot(a), as, true, bBar, xs, false)), xs, params) : 0;
    if (L.isActive(b)) {
      if (L.sweepBar) L.addBar(b, bBar);
      if (L.sweepBarDot) L.addBarDot(b, bBarDot);
    }
    if (L.isActive(a)) {
      const x = L.val(i);
      if (L.sweepBar) L.addBar(a, o.neg(stackProduct(o, bBar, xs, false, x, xs, true)));
      if (L.sweepBarDot) {
        L.addBarDot(a, o.neg(o.add(stackProduct(o, bBarDot, xs, false, x, xs, true), stackProduct(o, bBar, xs, false, L.dot(i), xs, true))));
      }
    }
  },
};
const SOLVE = registerRule(rule);

/** The LU factors saved with node i, usable only when the rule runs on the tape's own numbers. */
function factorsOf(o: Algebra, t: { saved: Map<number, unknown> }, i: number): LuFactors | null {
  return o.kind === 'numbers' ? (t.saved.get(i) as LuFactors) : null;
}

/** The solve as rules reach it: LU substitution on numbers, this op on nodes. */
const SOLVE_PRIMITIVE: Primitive<SolveParams> = {
  name: 'solve',
  numbers(args, shapes, p) {
    const { batch, n, count } = squareStack(shapes[0], 'solve');
    const f = p.factors ?? luFactor(args[0] as Float64Array, n, count);
    assertInvertible(f, 'solve', batch);
    const bs = shapes[1];
    return luSolve(f, args[1] as Float64Array, bs[bs.length - 1], p.transpose);
  },
  nodes(args, _shapes, p) {
    const a = args[0] as Tensor;
    return solveCore(p.transpose ? transpose(a, lastTwoSwapped(a.shape.length)) : a, args[1] as Tensor);
  },
};

/** A⁻¹·rhs (or A⁻ᵀ·rhs) in the algebra, for a stack A and right-hand sides of its batch shape. */
function solveIn(o: Algebra, a: Value, as: Shape, rhs: Value, rs: Shape, p: SolveParams): Value {
  if (rhs === 0) return 0;
  const full = typeof rhs === 'number' ? o.constant(new Float64Array(sizeOf(rs)).fill(rhs), rs) : rhs;
  return o.apply(SOLVE_PRIMITIVE, [a, full], [as, rs], p);
}

/** A's LU factors and A⁻¹·B, for a stack A and right-hand sides B of its batch shape; singular A is an error. */
function factorAndSolve(a: Float64Array, as: Shape, b: Float64Array, bs: Shape): { f: LuFactors; x: Float64Array } {
  const { batch, n, count } = squareStack(as, 'solve');
  const f = luFactor(a, n, count);
  assertInvertible(f, 'solve', batch);
  return { f, x: luSolve(f, b, bs[bs.length - 1], false) };
}

/** The recorded op, for a stack A and right-hand sides B of the same batch shape ([..., n, m]). */
function solveCore(a: Tensor, b: Tensor): Tensor {
  const t = commonTape(a.tape, b.tape, 'solve');
  // An operand made outside the transform (an eager node) comes in as a constant of this tape.
  a = onTape(a, t, 'solve') as Tensor;
  b = onTape(b, t, 'solve') as Tensor;
  const { f, x: data } = factorAndSolve(a.data, a.shape, b.data, b.shape);
  const active = t.active[a.id] === 1 || t.active[b.id] === 1;
  const x = newTensor(t, SOLVE, a.id, b.id, active, b.shape, data, null);
  t.saved.set(x.id, f);
  if (active && t.withTangent) rule.tangent(t.o, t, x.id);
  return x;
}

/**
 * Solves A·x = b for x, by LU factorization with partial pivoting — more accurate and cheaper than
 * `inv(A).matmul(b)`. `b` is a vector [n] or a matrix [n, k] (k right-hand sides); A may be a stack
 * [..., n, n], with b's batch dimensions broadcasting against it (NumPy rules; a 1-D b is always one
 * vector, as in NumPy 2). A singular matrix, or one singular to working precision, is a
 * `SingularMatrixError`. Exact second derivatives in A and b.
 *
 * @example
 * ```ts
 * // least squares through the normal equations: w = (XᵀX + λI)⁻¹·Xᵀy
 * const w = solve(X.transpose().matmul(X).add(ridge), X.transpose().matmul(y));
 * ```
 */
export function solve(a: Tensor, b: Tensor): Tensor {
  if (arguments.length > 2) noExtraArguments('solve', arguments, 2, 'solve(a, b)');
  const tape = tapeOfOperands(a, b, 'solve');
  const system = linearSystem(asTensor(a, tape, 'solve'), asTensor(b, tape, 'solve'), 'solve');
  return system.restore(solveCore(system.A, system.B));
}

