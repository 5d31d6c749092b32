// P, L, U = lu(A): A = P·L·U for A n×n, P a permutation, L unit lower and U upper triangular (partial
// pivoting, linalg/lu.ts, as LAPACK's getrf). The pivots are piecewise constant in A and held fixed,
// as JAX holds them. Differentiating Pᵀ·A = L·U, L⁻¹·L̇ is strictly lower and U̇·U⁻¹ upper, so with
// F = L⁻¹·Pᵀ·Ȧ·U⁻¹ = L⁻¹·L̇ + U̇·U⁻¹ (JAX's _lu_jvp_rule):
//   L̇ = L·tril(F, −1),   U̇ = triu(F)·U
// Its transpose, and the tangent of that (d L⁻ᵀ = −L⁻ᵀ·L̇ᵀ·L⁻ᵀ, d U⁻ᵀ = −U⁻ᵀ·U̇ᵀ·U⁻ᵀ):
//   Ā = P·X,   X = L⁻ᵀ·M·U⁻ᵀ,   M = tril(Lᵀ·L̄, −1) + triu(Ū·Uᵀ)
//   R{Ā} = P·L⁻ᵀ·(Ṁ − L̇ᵀ·X·Uᵀ − Lᵀ·X·U̇ᵀ)·U⁻ᵀ,   Ṁ = tril(L̇ᵀ·L̄ + Lᵀ·R{L̄}, −1) + triu(R{Ū}·Uᵀ + Ū·U̇ᵀ)
// Every L⁻¹ and U⁻¹ is a triangularSolve, our own op. L and U are one node, packed as [..., n+1, n]:
// rows 0…n−1 LAPACK's compact form (L below the diagonal, U on and above it, which never overlap),
// row n the permutation (row i of L·U is row perm[i] of A), whose derivative is 0. `lu` takes L, U, P
// and the permutation out of it with ops, so nested transforms differentiate these rules with the
// same rules; a compiled replay pivots again at the new A, and P, a comparison, reports other pivots
// there as a branch change.
//
// A rectangular A is built on this square op with ops (wideLu, tallLu below), as JAX's rule pads it.
//
// A matrix singular to working precision (a pivot that solve would refuse) still has its factors, but
// U⁻¹ does not exist: any derivative through it is a SingularMatrixError, as slogdet's.
import type { Algebra, Value } from '../algebra/algebra.js';
import { ArgumentError, ShapeError, SingularMatrixError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Tensor, constantTensor, describeValue, newTensor } from '../node.js';
import { formatShape, sizeOf, type Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { whichMatrix } from './linalg/batch-index.js';
import { luFactor } from './linalg/lu.js';
import { squareStack, stackProduct, swapLast, triangleMask } from './linalg/matrices.js';
import { add } from './add.js';
import { concat } from './concat.js';
import { equal } from './equal.js';
import { matmulOp } from './matmul.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { tril } from './tril.js';
import { triangularSolve, triangularSolveIn } from './triangular-solve.js';
import { triu } from './triu.js';
import { noExtraArguments } from './op-args.js';

const EPSILON = 2 ** -52;
const LOWER = { lower: true, transpose: false };
const LOWER_T = { lower: true, transpose: true };

/** The shapes the rules work with, from the packed node's shape [...batch, n+1, n]. */
interface Geometry {
  readonly n: number;
  /** The packed node's rank; axis r − 2 holds the compact factors' rows, then the permutation. */
  readonly r: number;
  /** [...batch, n, n]: A, L, U, F, M. */
  readonly square: Shape;
  readonly batch: Shape;
  readonly count: number;
  readonly empty: boolean;
}

function geometryOf(packed: Shape): Geometry {
  const r = packed.length, n = packed[r - 1], batch = packed.slice(0, r - 2);
  const count = sizeOf(batch);
  return { n, r, square: [...batch, n, n], batch, count, empty: n === 0 || count === 0 };
}

/** The compact factors (rows 0…n−1) of a packed value; a symbolic zero gives 0. */
function compactOf(o: Algebra, x: Value, ps: Shape, g: Geometry): Value {
  return x === 0 ? 0 : o.slice(x, ps, 0, g.n, g.r - 2);
}

/** The compact factors' tangent, packed under a zero permutation row. */
function pack(o: Algebra, compact: Value, g: Geometry): Value {
  return compact === 0 ? 0 : o.pad(compact, g.square, 0, g.n + 1, g.r - 2);
}

/** The factors the rules need, from the packed value: L and U as matrices, and P as a constant. */
function factorsOf(o: Algebra, packed: Value, ps: Shape, g: Geometry): { l: Value; u: Value; p: Value } {
  const compact = compactOf(o, packed, ps, g);
  const numbers = o.numbers(packed) as Float64Array;
  const n = g.n, p = new Float64Array(sizeOf(g.square)), unit = new Float64Array(sizeOf(g.square));
  for (let b = 0; b < g.count; b++) {
    const row = b * (n + 1) * n + n * n;
    for (let j = 0; j < n; j++) {
      p[b * n * n + numbers[row + j] * n + j] = 1; // P[perm[j]][j] = 1: (Pᵀ·A)[j] = A[perm[j]]
      unit[b * n * n + j * n + j] = 1;
    }
  }
  const l = o.add(o.mul(compact, triangleMask(o, g.square, true, 0)), o.constant(unit, g.square));
  return { l, u: o.mul(compact, triangleMask(o, g.square, false)), p: o.constant(p, g.square) };
}

/**
 * Throws a SingularMatrixError if a matrix of the stack has a pivot that solve would count as zero
 * (|u_kk| ≤ n·ε·s_k, s_k the smaller of the largest entries of its row and its column in A): U⁻¹,
 * which every derivative of the factors goes through, does not exist there. `columns` is the caller's
 * n, for the message (a tall A is factored as the square [A E]; its pivots past n are 1).
 */
function assertDifferentiable(o: Algebra, a: Value, packed: Value, g: Geometry, columns: number): void {
  const av = o.numbers(a) as Float64Array, pv = o.numbers(packed) as Float64Array;
  const n = g.n;
  for (let b = 0; b < g.count; b++) {
    const off = b * n * n, row = b * (n + 1) * n + n * n;
    for (let k = 0; k < n; k++) {
      const source = pv[row + k];
      let rowMax = 0, colMax = 0;
      for (let j = 0; j < n; j++) rowMax = Math.max(rowMax, Math.abs(av[off + source * n + j]));
      for (let i = 0; i < n; i++) colMax = Math.max(colMax, Math.abs(av[off + i * n + k]));
      const scale = Math.min(rowMax, colMax), pivot = pv[b * (n + 1) * n + k * n + k];
      if (!(Math.abs(pivot) <= n * EPSILON * scale)) continue;
      const detail = pivot === 0
        ? `is singular: pivot ${k} of its LU factorization is 0`
        : `is singular to working precision: pivot ${k} of its LU factorization is ${pivot.toExponential(2)}, ` +
          `against entries of size ${scale.toExponential(2)} in its row and column`;
      throw new SingularMatrixError(
        `lu: the ${n}×${columns} matrix${whichMatrix(b, g.batch)} ${detail}; its factors are there, but their ` +
          'derivatives need U⁻¹, which it does not have. Check the matrix for linearly dependent columns, or regularize it',
      );
    }
  }
}

/** X·U⁻¹ (`transpose` false) or X·U⁻ᵀ (true), as the triangular solve of Xᵀ, transposed back. */
function rightSolve(o: Algebra, u: Value, x: Value, s: Shape, transpose: boolean): Value {
  if (x === 0) return 0;
  return swapLast(o, triangularSolveIn(o, u, s, swapLast(o, x, s), s, { lower: false, transpose: !transpose }), s);
}

/** L⁻ᵀ·M·U⁻ᵀ. */
function sandwich(o: Algebra, l: Value, u: Value, m: Value, s: Shape): Value {
  return m === 0 ? 0 : rightSolve(o, u, triangularSolveIn(o, l, s, m, s, LOWER_T), s, true);
}

/** tril(Lᵀ·L̄, −1) + triu(Ū·Uᵀ), for the adjoint (or its tangent) of the compact factors split into L̄ and Ū. */
function contraction(o: Algebra, lBar: Value, uBar: Value, l: Value, u: Value, s: Shape): Value {
  const lower = stackProduct(o, l, s, true, lBar, s, false), upper = stackProduct(o, uBar, s, false, u, s, true);
  return o.add(lower === 0 ? 0 : o.mul(lower, triangleMask(o, s, true, 0)), upper === 0 ? 0 : o.mul(upper, triangleMask(o, s, false)));
}

const rule: OpRule = {
  name: 'lu',
  // A compiled replay: the factorization again at A's current values, with its own pivots.
  primal(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    L.setVal(i, packedLu(o.numbers(L.val(a)) as Float64Array, shapeOf(t, a)));
  },
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const aDot = L.dot(a);
    const ps = shapeOf(t, i), g = geometryOf(ps), s = g.square;
    if (aDot === 0 || g.empty) return L.setDot(i, 0);
    const packed = L.val(i);
    assertDifferentiable(o, L.val(a), packed, g, (t.saved.get(i) as number | undefined) ?? g.n);
    const { l, u, p } = factorsOf(o, packed, ps, g);
    const f = rightSolve(o, u, triangularSolveIn(o, l, s, stackProduct(o, p, s, true, aDot, s, false), s, LOWER), s, false);
    const lDot = stackProduct(o, l, s, false, o.mul(f, triangleMask(o, s, true, 0)), s, false);
    const uDot = stackProduct(o, o.mul(f, triangleMask(o, s, false)), s, false, u, s, false);
    L.setDot(i, pack(o, o.add(lDot, uDot), g));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const gBar = L.bar(i), gBarDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (!L.isActive(a) || (gBar === 0 && gBarDot === 0)) return;
    const ps = shapeOf(t, i), g = geometryOf(ps), s = g.square;
    if (g.empty) return;
    const packed = L.val(i);
    assertDifferentiable(o, L.val(a), packed, g, (t.saved.get(i) as number | undefined) ?? g.n);
    const { l, u, p } = factorsOf(o, packed, ps, g);
    const strictlyLower = triangleMask(o, s, true, 0), upper = triangleMask(o, s, false);
    // The permutation row's adjoint is dropped: its derivative is 0.
    const bar = compactOf(o, gBar, ps, g);
    const lBar = bar === 0 ? 0 : o.mul(bar, strictlyLower), uBar = bar === 0 ? 0 : o.mul(bar, upper);
    const x = sandwich(o, l, u, contraction(o, lBar, uBar, l, u, s), s);
    if (L.sweepBar) L.addBar(a, stackProduct(o, p, s, false, x, s, false));
    if (L.sweepBarDot) {
      const dot = compactOf(o, L.dot(i), ps, g);
      const lDot = dot === 0 ? 0 : o.mul(dot, strictlyLower), uDot = dot === 0 ? 0 : o.mul(dot, upper);
      const barDot = compactOf(o, gBarDot, ps, g);
      const lBarDot = barDot === 0 ? 0 : o.mul(barDot, strictlyLower), uBarDot = barDot === 0 ? 0 : o.mul(barDot, upper);
      // Ṁ: the contraction is bilinear in (L, U) and (L̄, Ū).
      const mDot = o.add(contraction(o, lBar, uBar, lDot, uDot, s), contraction(o, lBarDot, uBarDot, l, u, s));
      const moved = o.add(
        stackProduct(o, stackProduct(o, lDot, s, true, x, s, false), s, false, u, s, true),
        stackProduct(o, stackProduct(o, l, s, true, x, s, false), s, false, uDot, s, true),
      );
      L.addBarDot(a, stackProduct(o, p, s, false, sandwich(o, l, u, o.sub(mDot, moved), s), s, false));
    }
  },
};
const LU = registerRule(rule);

/** The packed [..., n+1, n] numbers of each matrix of A: the compact factors, then the permutation. */
function packedLu(a: Float64Array, shape: Shape): Float64Array {
  const { n, count } = squareStack(shape, 'lu');
  const { lu, pivots } = luFactor(a, n, count);
  const packed = new Float64Array(count * (n + 1) * n);
  const perm = new Float64Array(n);
  for (let b = 0; b < count; b++) {
    packed.set(lu.subarray(b * n * n, (b + 1) * n * n), b * (n + 1) * n);
    for (let k = 0; k < n; k++) perm[k] = k;
    // LAPACK's swaps in order: step k exchanged rows k and pivots[k].
    for (let k = 0; k < n; k++) {
      const q = pivots[b * n + k], moved = perm[k];
      perm[k] = perm[q];
      perm[q] = moved;
    }
    packed.set(perm, b * (n + 1) * n + n * n);
  }
  return packed;
}

/**
 * What {@link lu} returns: A = p·l·u, and `permutation` with A[permutation] = l·u. For A [..., m, n]
 * and k = min(m, n).
 *
 * @example
 * ```ts
 * const { p, l, u, permutation }: LUDecomposition = lu(tensor([[1, 2], [3, 4]])); // permutation [1, 0]
 * ```
 */
export interface LUDecomposition {
  /** The permutation matrix, [..., m, m]: 0 and 1, derivative 0. A node. */
  readonly p: Tensor;
  /** Unit lower triangular (trapezoidal for a tall A), [..., m, k]: ones on the diagonal, |entries| ≤ 1 below it. A node. */
  readonly l: Tensor;
  /** Upper triangular (trapezoidal for a wide A), [..., k, n]. A node. */
  readonly u: Tensor;
  /** Row i of l·u is row permutation[i] of A, [..., m] (JAX's `permutation`): integers, derivative 0. A node. */
  readonly permutation: Tensor;
}

/**
 * The LU decomposition with partial pivoting of a matrix, or of each matrix of a stack [..., m, n], as
 * JAX's `jax.scipy.linalg.lu` (and SciPy's): A = p·l·u with p [..., m, m] a permutation matrix, l
 * [..., m, k] unit lower triangular and u [..., k, n] upper triangular, k = min(m, n), pivoting on the
 * largest entry of each column (the first on ties, as LAPACK's getrf), so the factors are JAX's and
 * SciPy's. Also returns the permutation as row indices, as `jax.lax.linalg.lu`. The pivots are held
 * fixed in the derivatives (they are piecewise constant, as JAX's): exact derivatives of every order
 * of l and u; p and the permutation have derivative 0. A matrix whose leading k×k block of pᵀ·A is
 * singular (a pivot that `solve` would refuse) has its factors, but any derivative through them is a
 * `SingularMatrixError`; a NaN or ±∞ entry gives NaN factors (docs/conventions.md).
 *
 * @example
 * ```ts
 * const { p, l, u } = lu(A);                                   // A = p·l·u
 * const y = triangularSolve(l, p.transpose().matmul(b));       // l⁻¹·pᵀ·b
 * const x = triangularSolve(u, y, { lower: false });           // A⁻¹·b
 * const logAbsDet = diag(u).abs().log().sum();                 // log |det A|
 * ```
 */
export function lu(a: Tensor): LUDecomposition {
  noExtraArguments('lu', arguments, 1, 'lu(a)', 'it returns { p, l, u, permutation } with A = p·l·u; there is no permute_l option');
  if (!(a instanceof Tensor)) throw new ArgumentError(`lu: expected a tensor, got ${describeValue(a)}`);
  checkLive(a.tape, 'lu');
  const rank = a.shape.length;
  if (rank < 2) {
    throw new ShapeError(`lu: the matrix has shape ${formatShape(a.shape)}; expected a matrix [m, n] or a stack of them [..., m, n]`);
  }
  const m = a.shape[rank - 2], n = a.shape[rank - 1];
  if (m < n) return wideLu(a);
  if (m > n) return tallLu(a);
  return squareLu(a, n);
}

/** The square factorization, the recorded op; `columns` is the caller's n, for messages (tallLu's A). */
function squareLu(a: Tensor, columns: number): LUDecomposition {
  const t = a.tape;
  const { batch, n } = squareStack(a.shape, 'lu');
  const packedShape = [...batch, n + 1, n];
  const active = t.active[a.id] === 1;
  const y = newTensor(t, LU, a.id, NO_INPUT, active, packedShape, packedLu(a.data, a.shape), null);
  if (columns !== n) t.saved.set(y.id, columns);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  const axis = packedShape.length - 2;
  const compact = slice(y, 0, n, axis);
  const permutation = reshape(slice(y, n, n + 1, axis), [...batch, n]);
  const unit = new Float64Array(n * n), rows = new Float64Array(n);
  for (let k = 0; k < n; k++) unit[k * n + k] = 1, rows[k] = k;
  // p[i][j] = 1 where permutation[j] = i: a comparison, so a compiled replay builds it from its own
  // pivots and reports pivots that changed as a branch change.
  const p = equal(reshape(permutation, [...batch, 1, n]), constantTensor(t, rows, [n, 1])) as Tensor;
  return { p, l: add(tril(compact, -1), constantTensor(t, unit, [n, n])) as Tensor, u: triu(compact), permutation };
}

/**
 * A wide A = [A₁ A₂] (m < n): partial pivoting never looks past column m, so p, l and u₁ are those of
 * the square A₁, and u = [u₁ l⁻¹·pᵀ·A₂] (written with ops, so its derivatives are those of that
 * composition, which are JAX's).
 */
function wideLu(a: Tensor): LUDecomposition {
  const rank = a.shape.length, m = a.shape[rank - 2], n = a.shape[rank - 1];
  const { p, l, u, permutation } = lu(slice(a, 0, m, rank - 1));
  const rest = triangularSolve(l, matmulOp(p, slice(a, m, n, rank - 1), true, false, true));
  return { p, l, u: concat([u, rest], rank - 1), permutation };
}

/**
 * A tall A (m > n), factored as the square B = [A E]: E [..., m, m − n] has a 1 in column n + j at the
 * row of A that partial pivoting leaves at position n + j (found by factoring [A 0], which pivots as A
 * does), so that Pᵀ·E = [0; I]. Then B's first n steps are A's, its trailing block is exactly I (no
 * more swaps, pivots 1), and l = B's l[:, :n], u = B's u[:n, :n], p and the permutation B's, with the
 * derivatives of the square factorization (E is a constant). m³ work rather than m·n².
 */
function tallLu(a: Tensor): LUDecomposition {
  const rank = a.shape.length, m = a.shape[rank - 2], n = a.shape[rank - 1];
  const batch = a.shape.slice(0, rank - 2), count = sizeOf(batch);
  const padded = new Float64Array(count * m * m);
  for (let b = 0; b < count; b++) {
    for (let i = 0; i < m; i++) padded.set(a.data.subarray((b * m + i) * n, (b * m + i + 1) * n), (b * m + i) * m);
  }
  const packed = packedLu(padded, [...batch, m, m]);
  const e = new Float64Array(count * m * (m - n));
  for (let b = 0; b < count; b++) {
    for (let j = 0; j < m - n; j++) e[(b * m + packed[b * (m + 1) * m + m * m + n + j]) * (m - n) + j] = 1;
  }
  const square = squareLu(concat([a, constantTensor(a.tape, e, [...batch, m, m - n])], rank - 1), n);
  return {
    p: square.p,
    l: slice(square.l, 0, n, rank - 1),
    u: slice(slice(square.u, 0, n, rank - 2), 0, n, rank - 1),
    permutation: square.permutation,
  };
}
