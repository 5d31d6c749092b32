// Q, R = qr(A): A = Q·R for A m×n, m ≥ n, Q m×n with QᵀQ = I, R n×n upper triangular with
// diag(R) ≥ 0 (Householder, linalg/householder-qr.ts). With Y = Ȧ·R⁻¹, C = Qᵀ·Y and the skew
// Ω = tril(C, −1) − tril(C, −1)ᵀ (JAX's qr_jvp_rule):
//   Q̇ = Q·(Ω − C) + Y,   Ṙ = (C − Ω)·R
// Its transpose (Walter & Lehmann 2018; PyTorch's linalg_qr_backward), with copyutl(M) the symmetric
// matrix holding M's upper triangle (diagonal included) in both triangles:
//   Ā = (Q̄ + Q·N)·R⁻ᵀ,   N = copyutl(M),   M = R̄·Rᵀ − Qᵀ·Q̄
//   R{Ā} = (Ḃ − Ā·Ṙᵀ)·R⁻ᵀ,   Ḃ = R{Q̄} + Q̇·N + Q·copyutl(Ṁ),   Ṁ = R{R̄}·Rᵀ + R̄·Ṙᵀ − Q̇ᵀ·Q̄ − Qᵀ·R{Q̄}
// The last line is the tangent of the one above (d R⁻ᵀ = −R⁻ᵀ·Ṙᵀ·R⁻ᵀ). Every R⁻¹ is a
// triangularSolve, our own op, and Q and R are one node, packed as [..., m+n, n] (Q's rows, then R's)
// that `qr` slices for the caller, so nested transforms differentiate these rules with the same rules.
//
// Rank-deficient A (some |r_kk| within rounding of 0): R⁻¹ does not exist and Q's trailing columns are
// not a function of A (any unit vector orthogonal to the others would do). Every derivative through
// that matrix is NaN: its tangent, and its adjoint wherever the loss reaches it.
import type { Algebra, Value } from '../algebra/algebra.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Tensor, describeValue, newTensor } from '../node.js';
import { formatShape, sizeOf, type Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { householderQr } from './linalg/householder-qr.js';
import { stackProduct, swapLast, swappedShape, triangleMask } from './linalg/matrices.js';
import { concat } from './concat.js';
import { matmul } from './matmul.js';
import { slice } from './slice.js';
import { swapAxes } from './swap-axes.js';
import { triangularSolveIn } from './triangular-solve.js';
import { noExtraArguments } from './op-args.js';

const EPSILON = 2 ** -52;

/** The shapes the rules work with, from the packed node's shape [...batch, m+n, n]. */
interface Geometry {
  readonly m: number;
  readonly n: number;
  /** The packed node's rank; axis r − 2 holds Q's rows, then R's. */
  readonly r: number;
  /** [...batch, m, n]: Q, A. */
  readonly tall: Shape;
  /** [...batch, n, n]: R, C, Ω, M. */
  readonly square: Shape;
  readonly count: number;
  readonly empty: boolean;
}

function geometryOf(packed: Shape): Geometry {
  const r = packed.length, n = packed[r - 1], m = packed[r - 2] - n, batch = packed.slice(0, r - 2);
  const count = sizeOf(batch);
  return { m, n, r, tall: [...batch, m, n], square: [...batch, n, n], count, empty: n === 0 || count === 0 };
}

/** Q and R out of a packed value; a symbolic zero gives zeros. */
function unpack(o: Algebra, x: Value, ps: Shape, g: Geometry): { q: Value; r: Value } {
  if (x === 0) return { q: 0, r: 0 };
  return { q: o.slice(x, ps, 0, g.m, g.r - 2), r: o.slice(x, ps, g.m, g.m + g.n, g.r - 2) };
}

/** Q and R packed into one value. */
function pack(o: Algebra, q: Value, r: Value, g: Geometry): Value {
  const top = q === 0 ? 0 : o.pad(q, g.tall, 0, g.m + g.n, g.r - 2);
  const rest = r === 0 ? 0 : o.pad(r, g.square, g.m, g.m + g.n, g.r - 2);
  return o.add(top, rest);
}

/** X·R⁻¹ (`transpose` false) or X·R⁻ᵀ (true) for X of shape xs: a triangular solve of Xᵀ, transposed back. */
function rightSolve(o: Algebra, r: Value, g: Geometry, x: Value, xs: Shape, transpose: boolean): Value {
  if (x === 0) return 0;
  const ts = swappedShape(xs);
  // X·R⁻¹ = (R⁻ᵀ·Xᵀ)ᵀ and X·R⁻ᵀ = (R⁻¹·Xᵀ)ᵀ.
  return swapLast(o, triangularSolveIn(o, r, g.square, swapLast(o, x, xs), ts, { lower: false, transpose: !transpose }), ts);
}

/** tril(C, −1) − tril(C, −1)ᵀ. */
function skew(o: Algebra, c: Value, s: Shape): Value {
  if (c === 0) return 0;
  const lower = o.mul(c, triangleMask(o, s, true, 0));
  return o.sub(lower, swapLast(o, lower, s));
}

/** The symmetric matrix with M's upper triangle, diagonal included, in both triangles. */
function copyUpper(o: Algebra, m: Value, s: Shape): Value {
  if (m === 0) return 0;
  return o.add(o.mul(m, triangleMask(o, s, false)), o.mul(swapLast(o, m, s), triangleMask(o, s, true, 0)));
}

/**
 * Which matrices are rank deficient to working precision: some |r_kk| ≤ 8·max(m, n)·ε·max|R| (a
 * diagonal entry that size is rounding, and R⁻¹ would be noise), or R not finite. null when none.
 */
function deficient(o: Algebra, r: Value, g: Geometry): boolean[] | null {
  const data = o.numbers(r) as Float64Array;
  const n = g.n, tol = 8 * Math.max(g.m, n) * EPSILON;
  let found: boolean[] | null = null;
  for (let b = 0; b < g.count; b++) {
    let largest = 0;
    for (let k = 0; k < n * n; k++) largest = Math.max(largest, Math.abs(data[b * n * n + k]));
    for (let k = 0; k < n; k++) {
      if (!(Math.abs(data[b * n * n + k * n + k]) > tol * largest)) {
        (found ??= new Array<boolean>(g.count).fill(false))[b] = true;
        break;
      }
    }
  }
  return found;
}

/**
 * R with 1 added to the diagonal of each rank-deficient matrix, so that the solves in the rules never
 * meet a zero pivot; what they give for those matrices is replaced by NaN (below).
 */
function solvable(o: Algebra, r: Value, g: Geometry, bad: boolean[] | null): Value {
  if (bad === null) return r;
  const data = new Float64Array(sizeOf(g.square));
  for (let b = 0; b < g.count; b++) if (bad[b]) for (let k = 0; k < g.n; k++) data[b * g.n * g.n + k * g.n + k] = 1;
  return o.add(r, o.constant(data, g.square));
}

/** A constant of `shape` [...batch, rows, cols]: NaN over each matrix b with pick[b], 0 elsewhere; 0 when none. */
function nanOver(o: Algebra, pick: boolean[] | null, shape: Shape, count: number): Value {
  if (pick === null || !pick.includes(true)) return 0;
  const size = sizeOf(shape) / count;
  const data = new Float64Array(sizeOf(shape));
  for (let b = 0; b < count; b++) if (pick[b]) data.fill(NaN, b * size, (b + 1) * size);
  return o.constant(data, shape);
}

/** The matrices whose packed adjoint holds a nonzero (or NaN): the loss reaches their Q or R. */
function reached(o: Algebra, bar: Value, g: Geometry): boolean[] {
  const data = o.numbers(bar);
  const size = (g.m + g.n) * g.n;
  return Array.from({ length: g.count }, (_, b) => {
    if (typeof data === 'number') return data !== 0;
    for (let k = b * size; k < (b + 1) * size; k++) if (data[k] !== 0) return true;
    return false;
  });
}

const rule: OpRule = {
  name: 'qr',
  // A compiled replay: the decomposition again at A's current values.
  primal(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    L.setVal(i, packedQr(o.numbers(L.val(a)) as Float64Array, shapeOf(t, a)));
  },
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const aDot = L.dot(a);
    const ps = shapeOf(t, i), g = geometryOf(ps), s = g.square;
    if (aDot === 0 || g.empty) return L.setDot(i, 0);
    const { q, r } = unpack(o, L.val(i), ps, g);
    const bad = deficient(o, r, g);
    const y = rightSolve(o, solvable(o, r, g, bad), g, aDot, g.tall, false); // Ȧ·R⁻¹
    const c = stackProduct(o, q, g.tall, true, y, g.tall, false);
    const omega = skew(o, c, s);
    const qDot = o.add(stackProduct(o, q, g.tall, false, o.sub(omega, c), s, false), y);
    const rDot = stackProduct(o, o.sub(c, omega), s, false, r, s, false);
    L.setDot(i, o.add(pack(o, qDot, rDot, g), nanOver(o, bad, ps, g.count)));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const gBar = L.bar(i), gBarDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (!L.isActive(a) || (gBar === 0 && gBarDot === 0)) return;
    const ps = shapeOf(t, i), g = geometryOf(ps), s = g.square, ts = g.tall;
    if (g.empty) return;
    const { q, r } = unpack(o, L.val(i), ps, g);
    const bad = deficient(o, r, g);
    const rs = solvable(o, r, g, bad);
    // Rank deficient and reached by the loss: NaN (the derivative does not exist there).
    const hit = bad === null || gBar === 0 ? null : reached(o, gBar, g).map((x, b) => x && bad[b]);
    const bar = unpack(o, gBar, ps, g);
    const m = o.sub(stackProduct(o, bar.r, s, false, r, s, true), stackProduct(o, q, ts, true, bar.q, ts, false));
    const nSym = copyUpper(o, m, s);
    const aBar = rightSolve(o, rs, g, o.add(bar.q, stackProduct(o, q, ts, false, nSym, s, false)), ts, true);
    if (L.sweepBar) L.addBar(a, o.add(aBar, nanOver(o, hit, ts, g.count)));
    if (L.sweepBarDot) {
      const dot = unpack(o, L.dot(i), ps, g);
      const barDot = unpack(o, gBarDot, ps, g);
      const mDot = o.sub(
        o.add(stackProduct(o, barDot.r, s, false, r, s, true), stackProduct(o, bar.r, s, false, dot.r, s, true)),
        o.add(stackProduct(o, dot.q, ts, true, bar.q, ts, false), stackProduct(o, q, ts, true, barDot.q, ts, false)),
      );
      const bDot = o.add(
        o.add(barDot.q, stackProduct(o, dot.q, ts, false, nSym, s, false)),
        stackProduct(o, q, ts, false, copyUpper(o, mDot, s), s, false),
      );
      const aBarDot = rightSolve(o, rs, g, o.sub(bDot, stackProduct(o, aBar, ts, false, dot.r, s, true)), ts, true);
      // R{Q̄} may reach a matrix that Q̄ does not (a stationary loss): every rank-deficient one is NaN then.
      const hitDot = gBarDot === 0 ? hit : bad;
      L.addBarDot(a, o.add(aBarDot, nanOver(o, hitDot, ts, g.count)));
    }
  },
};
const QR = registerRule(rule);

/** The packed [..., m+n, n] numbers of each matrix of A: Q's rows, then R's. */
function packedQr(a: Float64Array, shape: Shape): Float64Array {
  const { m, n, count } = tallStack(shape);
  const { q, r } = householderQr(a, m, n, count);
  const packed = new Float64Array(count * (m + n) * n);
  for (let b = 0; b < count; b++) {
    packed.set(q.subarray(b * m * n, (b + 1) * m * n), b * (m + n) * n);
    packed.set(r.subarray(b * n * n, (b + 1) * n * n), b * (m + n) * n + m * n);
  }
  return packed;
}

/** The stack view of A's shape [..., m, n] with m ≥ n, or a ShapeError saying what to do. */
function tallStack(shape: Shape): { batch: Shape; m: number; n: number; count: number } {
  const k = shape.length;
  if (k < 2) {
    throw new ShapeError(`qr: the matrix has shape ${formatShape(shape)}; expected a matrix [m, n] or a stack of them [..., m, n]`);
  }
  const m = shape[k - 2], n = shape[k - 1], batch = shape.slice(0, k - 2);
  return { batch, m, n, count: sizeOf(batch) };
}

/**
 * What {@link qr} returns: A = q·r.
 *
 * @example
 * ```ts
 * const { q, r }: QRDecomposition = qr(tensor([[3, 1], [4, 2]])); // r = [[5, 2.2], [0, 0.4]]
 * ```
 */
export interface QRDecomposition {
  /** Orthonormal columns, [..., m, k] with k = min(m, n). A node. */
  readonly q: Tensor;
  /** Upper triangular (trapezoidal for a wide A) with a diagonal ≥ 0, [..., k, n]. A node. */
  readonly r: Tensor;
}

/**
 * The reduced QR decomposition of a matrix, or of each matrix of a stack [..., m, n], as NumPy's and JAX's `qr(A, mode='reduced')`: A = q·r with q
 * [..., m, n] having orthonormal columns and r [..., n, n] upper triangular, its diagonal ≥ 0 (so the
 * factors of a full-rank A are unique; LAPACK and JAX do not fix the signs). Householder reflections
 * in float64, accurate to rounding. A wide matrix A = [A₁ A₂] (m < n) gives JAX's reduced factors,
 * q [..., m, m] and r = [r₁ qᵀ·A₂] [..., m, n] from the qr of its square part A₁ (written with ops,
 * so its derivatives are those of that composition, as JAX's); a matrix with a NaN or ±∞ entry gives
 * NaN factors. Exact derivatives of every order for A of full
 * column rank; at a rank-deficient A (a diagonal entry of r within rounding of 0) every derivative
 * through that matrix is NaN (docs/conventions.md).
 *
 * @example
 * ```ts
 * const { q, r } = qr(A);                             // A [m, n] = q·r
 * const x = triangularSolve(r, q.transpose().matmul(b), { lower: false }); // least squares min ‖A·x − b‖
 * ```
 */
export function qr(a: Tensor): QRDecomposition {
  noExtraArguments('qr', arguments, 1, 'qr(a)', 'it returns the reduced factors (q [..., m, k], r [..., k, n], k = min(m, n)); there is no mode');
  if (!(a instanceof Tensor)) throw new ArgumentError(`qr: expected a tensor, got ${describeValue(a)}`);
  const t = checkLive(a.tape, 'qr');
  const rank = a.shape.length;
  if (rank >= 2 && a.shape[rank - 2] < a.shape[rank - 1]) return wideQr(a);
  const { batch, m, n } = tallStack(a.shape);
  const packedShape = [...batch, m + n, n];
  const active = t.active[a.id] === 1;
  const y = newTensor(t, QR, a.id, NO_INPUT, active, packedShape, packedQr(a.data, a.shape), null);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  const axis = packedShape.length - 2;
  return { q: slice(y, 0, m, axis), r: slice(y, m, m + n, axis) };
}

/** A wide A = [A₁ A₂] (m < n), as JAX factors it: q and r₁ of the square A₁, and r = [r₁ qᵀ·A₂]. */
function wideQr(a: Tensor): QRDecomposition {
  const rank = a.shape.length, m = a.shape[rank - 2], n = a.shape[rank - 1];
  const { q, r } = qr(slice(a, 0, m, rank - 1));
  return { q, r: concat([r, matmul(swapAxes(q, -1, -2), slice(a, m, n, rank - 1))], rank - 1) };
}
