// U, s, Vᵀ = svd(A): A [..., m, n] = U·diag(s)·Vᵀ, k = min(m, n), U [..., m, k] and V [..., n, k] with
// orthonormal columns, s descending ≥ 0 (one-sided Jacobi, linalg/jacobi-svd.ts). With P = Uᵀ·Ȧ·V,
// S = diag(s) and F_ij = 1/(s_j² − s_i²) off the diagonal, 0 on it (JAX's svd_jvp_rule; Townsend 2016):
//   ṡ = diag(P),   U̇ = U·(F∘(P·S + S·Pᵀ)) + (Ȧ·V − U·P)·S⁻¹ [m > k],   V̇ = V·(F∘(S·P + Pᵀ·S)) + (Ȧᵀ·U − V·Pᵀ)·S⁻¹ [n > k]
// The adjoint is the transpose of that map: with G_U = Uᵀ·Ū, G_V = Vᵀ·V̄ and J = F∘(G − Gᵀ),
//   Ā = U·(diag(s̄) + J_U·S + S·J_V)·Vᵀ + (Ū − U·G_U)·S⁻¹·Vᵀ [m > k] + U·S⁻¹·(V̄ − V·G_V)ᵀ [n > k]
// and R{Ā} is its tangent, every factor differentiated: U̇, ṡ, V̇, Ḟ = −F∘F∘Ḋ (D_ij = s_j² − s_i²),
// (S⁻¹)˙ = −S⁻²·Ṡ, R{Ū}, R{s̄}, R{V̄}. The backward rule is written once over pairs (value, tangent)
// so that the second line is the derivative of the first by construction. U, s and V are one node,
// packed as [..., 1 + m + n, k] (row 0 s, then U's rows, then V's) that `svd` slices for the caller.
//
// Where the vectors are not functions of A the rules give NaN, as eigh's: singular values equal to
// rounding (a repeated pair: any basis of the pair's subspace is as good), and a zero singular value of
// a non-square matrix (its vector on the longer side is any unit vector orthogonal to the others: the
// S⁻¹ terms). A loss of s alone keeps its exact gradient U·diag(s̄)·Vᵀ there; every second derivative
// along a direction is NaN (it would need f″ of the loss at the repeated value).
import type { Algebra, Value } from '../algebra/algebra.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Tensor, describeValue, newTensor } from '../node.js';
import { formatShape, sizeOf, type Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { jacobiSvd } from './linalg/jacobi-svd.js';
import { stackProduct, swapLast } from './linalg/matrices.js';
import { minus, pair, plus, product, spread, swapped, times, type Pair } from './linalg/pairs.js';
import { entriesOfAnyLane, undefinedAlong } from './linalg/undefined-along.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { swapAxes } from './swap-axes.js';
import { noExtraArguments } from './op-args.js';

const EPSILON = 2 ** -52;

/** The shapes the rules work with, from A's shape [...batch, m, n]. */
interface Geometry {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** The packed node's rank; axis r − 2 holds s's row, U's rows and V's rows. */
  readonly r: number;
  readonly a: Shape;
  readonly u: Shape;
  readonly v: Shape;
  /** [...batch, k, k]: P, F, G, J, M. */
  readonly square: Shape;
  /** [...batch, 1, k]: s as a row. */
  readonly row: Shape;
  /** [...batch, k, 1]: s as a column. */
  readonly column: Shape;
  readonly packed: Shape;
  readonly empty: boolean;
}

function geometryOf(a: Shape): Geometry {
  const r = a.length, m = a[r - 2], n = a[r - 1], k = Math.min(m, n), batch = a.slice(0, r - 2);
  return {
    m, n, k, r, a, u: [...batch, m, k], v: [...batch, n, k], square: [...batch, k, k],
    row: [...batch, 1, k], column: [...batch, k, 1], packed: [...batch, 1 + m + n, k],
    empty: k === 0 || batch.some((d) => d === 0),
  };
}

/** s (a row), U and V out of a packed value; a symbolic zero gives zeros. */
function unpack(o: Algebra, x: Value, g: Geometry): { s: Value; u: Value; v: Value } {
  if (x === 0) return { s: 0, u: 0, v: 0 };
  const axis = g.r - 2;
  return { s: o.slice(x, g.packed, 0, 1, axis), u: o.slice(x, g.packed, 1, 1 + g.m, axis), v: o.slice(x, g.packed, 1 + g.m, 1 + g.m + g.n, axis) };
}

function pack(o: Algebra, s: Value, u: Value, v: Value, g: Geometry): Value {
  const axis = g.r - 2, rows = 1 + g.m + g.n;
  const top = s === 0 ? 0 : o.pad(s, g.row, 0, rows, axis);
  const left = u === 0 ? 0 : o.pad(u, g.u, 1, rows, axis);
  const right = v === 0 ? 0 : o.pad(v, g.v, 1 + g.m, rows, axis);
  return o.add(o.add(top, left), right);
}

// ---- Square patterns -------------------------------------------------------------------------------

function diagonalData(g: Geometry, onDiagonal: number, off: number): Float64Array {
  const data = new Float64Array(sizeOf(g.square)).fill(off);
  for (let b = 0; b < data.length; b += g.k * g.k) for (let c = 0; c < g.k; c++) data[b + c * g.k + c] = onDiagonal;
  return data;
}

/** diag(M) of each matrix, as a row. */
function diagonalRow(o: Algebra, m: Value, g: Geometry): Value {
  return m === 0 ? 0 : o.sumTo(o.mul(m, o.constant(diagonalData(g, 1, 0), g.square)), g.square, g.row);
}

/** diag(s) of a row, as matrices. */
function diagonalMatrix(o: Algebra, s: Value, g: Geometry): Value {
  return s === 0 ? 0 : o.mul(o.broadcastTo(s, g.row, g.square), o.constant(diagonalData(g, 1, 0), g.square));
}

/** s as a column spread over each matrix (s_i in row i): S·X = X∘this. */
function columnSpread(o: Algebra, s: Pair, g: Geometry): Pair {
  const column = pair(s.v === 0 ? 0 : o.reshape(s.v, g.row, g.column), s.d === 0 ? 0 : o.reshape(s.d, g.row, g.column));
  return spread(o, column, g.column, g.square);
}

/** X_ij = s_j ∘ s_i for a row s and t, as ⊕ says: s_j − t_i or s_j + t_i. */
function pairwise(o: Algebra, s: Value, g: Geometry, sum: boolean): Value {
  if (s === 0) return 0;
  const rows = o.broadcastTo(s, g.row, g.square), columns = o.broadcastTo(o.reshape(s, g.row, g.column), g.column, g.square);
  return sum ? o.add(rows, columns) : o.sub(rows, columns);
}

// ---- Where the vectors are not functions of A ------------------------------------------------------

/** Below this (relative to the largest singular value) a gap or a value is rounding: 8·max(m, n)·ε. */
const tolerance = (g: Geometry) => 8 * Math.max(g.m, g.n) * EPSILON;

/** NaN at the pairs (i ≠ j) whose singular values are equal to rounding, 0 elsewhere; null if none. */
function repeatedPairs(o: Algebra, s: Value, g: Geometry): Float64Array | null {
  const values = o.numbers(s) as Float64Array, k = g.k;
  let data: Float64Array | null = null;
  for (let b = 0; b < values.length; b += k) {
    const limit = tolerance(g) * values[b]; // s descending: values[b] is the largest
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        if (i !== j && Math.abs(values[b + i] - values[b + j]) <= limit) {
          data ??= new Float64Array(values.length * k);
          data[b * k + i * k + j] = NaN;
        }
      }
    }
  }
  return data;
}

/**
 * For a non-square matrix, NaN (of the row shape) at the singular values that are zero to rounding,
 * whose vector on the longer side A does not determine; null for a square one or when there are none.
 */
function zeroValues(o: Algebra, s: Value, g: Geometry): Float64Array | null {
  if (g.m === g.n) return null;
  const values = o.numbers(s) as Float64Array, k = g.k;
  let data: Float64Array | null = null;
  for (let b = 0; b < values.length; b += k) {
    const limit = tolerance(g) * values[b];
    for (let c = 0; c < k; c++) {
      if (values[b + c] <= limit) {
        data ??= new Float64Array(values.length);
        data[b + c] = NaN;
      }
    }
  }
  return data;
}

/** Which columns of each matrix of x (shape [..., rows, k]) hold a nonzero (or NaN): count·k flags. */
function liveColumns(o: Algebra, x: Value, shape: Shape, k: number): Uint8Array | null {
  if (x === 0) return null;
  const data = entriesOfAnyLane(o, x) as Float64Array;
  const rows = shape[shape.length - 2], count = data.length / (rows * k);
  const live = new Uint8Array(count * k);
  for (let b = 0; b < count; b++) {
    for (let i = 0; i < rows; i++) for (let c = 0; c < k; c++) if (data[b * rows * k + i * k + c] !== 0) live[b * k + c] = 1;
  }
  return live;
}

/**
 * The repeated pairs (i, j) at which an adjoint of the vectors (Ū or V̄) reaches either vector: there the
 * loss depends on which basis was picked, which jumps under any perturbation. NaN there, else 0.
 */
function pairsReached(o: Algebra, repeated: Float64Array | null, uBar: Value, vBar: Value, g: Geometry): Value {
  if (repeated === null || (uBar === 0 && vBar === 0)) return 0;
  const lu = liveColumns(o, uBar, g.u, g.k), lv = liveColumns(o, vBar, g.v, g.k);
  const live = (c: number) => (lu !== null && lu[c] === 1) || (lv !== null && lv[c] === 1);
  const k = g.k, data = new Float64Array(repeated.length);
  let any = false;
  for (let b = 0; b < repeated.length / (k * k); b++) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        if (Number.isNaN(repeated[b * k * k + i * k + j]) && (live(b * k + i) || live(b * k + j))) data[b * k * k + i * k + j] = NaN, any = true;
      }
    }
  }
  return any ? o.constant(data, g.square) : 0;
}

/**
 * NaN in the columns (of `shape`, [..., rows, k]) of the zero singular values: all of them, or only those
 * an adjoint `reach` holds a nonzero in; 0 when there are none.
 */
function zeroColumns(o: Algebra, zeros: Float64Array | null, shape: Shape, g: Geometry, reach?: Value): Value {
  if (zeros === null || reach === 0) return 0;
  const live = reach === undefined ? null : liveColumns(o, reach, shape, g.k);
  const rows = shape[shape.length - 2], k = g.k, data = new Float64Array(sizeOf(shape));
  let any = false;
  for (let b = 0; b < zeros.length / k; b++) {
    for (let c = 0; c < k; c++) {
      if (!Number.isNaN(zeros[b * k + c]) || (live !== null && live[b * k + c] === 0)) continue;
      for (let i = 0; i < rows; i++) data[b * rows * k + i * k + c] = NaN;
      any = true;
    }
  }
  return any ? o.constant(data, shape) : 0;
}

/** NaN on the diagonal at each zero singular value, 0 elsewhere (square shape). */
function zeroDiagonal(zeros: Float64Array, g: Geometry): Float64Array {
  const data = new Float64Array(sizeOf(g.square));
  for (let e = 0; e < zeros.length; e++) if (Number.isNaN(zeros[e])) data[e * g.k + (e % g.k)] = NaN;
  return data;
}

/**
 * F_ij = 1/(s_j² − s_i²) off the diagonal, 0 on it and at repeated pairs (the rules add NaN there where
 * it belongs), with its tangent −F∘F∘Ḋ. D = (s_j − s_i)(s_j + s_i), which keeps a small gap's digits.
 */
function reciprocalGaps(o: Algebra, s: Pair, g: Geometry, repeated: Float64Array | null): Pair {
  const live = diagonalData(g, 0, 1);
  if (repeated !== null) for (let e = 0; e < live.length; e++) if (Number.isNaN(repeated[e])) live[e] = 0;
  const dead = live.map((e) => 1 - e);
  const gap = pairwise(o, s.v, g, false), total = pairwise(o, s.v, g, true);
  const f = o.div(o.constant(live, g.square), o.add(o.mul(gap, total), o.constant(dead, g.square)));
  if (s.d === 0) return pair(f);
  const dDot = o.add(o.mul(pairwise(o, s.d, g, false), total), o.mul(gap, pairwise(o, s.d, g, true)));
  return pair(f, o.neg(o.mul(o.mul(f, f), dDot)));
}

/** 1/s_c, 0 at the zero singular values (the rules add NaN there where it belongs), with its tangent. */
function reciprocals(o: Algebra, s: Pair, g: Geometry, zeros: Float64Array | null): Pair {
  const live = new Float64Array(sizeOf(g.row)).fill(1);
  if (zeros !== null) for (let e = 0; e < live.length; e++) if (Number.isNaN(zeros[e])) live[e] = 0;
  const inverse = o.div(o.constant(live, g.row), o.add(s.v, o.constant(live.map((e) => 1 - e), g.row)));
  return pair(inverse, s.d === 0 ? 0 : o.neg(o.mul(o.mul(inverse, inverse), s.d)));
}

// ---- The rule --------------------------------------------------------------------------------------

const rule: OpRule = {
  name: 'svd',
  // A compiled replay: the decomposition again at A's current values.
  primal(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    L.setVal(i, packedSvd(o.numbers(L.val(a)) as Float64Array, shapeOf(t, a)));
  },
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const aDot = L.dot(a);
    const g = geometryOf(shapeOf(t, a));
    if (aDot === 0 || g.empty) return L.setDot(i, 0);
    const { s, u, v } = unpack(o, L.val(i), g);
    const ps: Shape = [...g.square.slice(0, -2), g.k, g.n];
    const p = stackProduct(o, stackProduct(o, u, g.u, true, aDot, g.a, false), ps, false, v, g.v, false);
    const repeated = repeatedPairs(o, s, g), zeros = zeroValues(o, s, g);
    const f = reciprocalGaps(o, pair(s), g, repeated).v;
    const nan = repeated === null ? 0 : o.constant(repeated, g.square);
    const ps_ = o.mul(p, o.broadcastTo(s, g.row, g.square)); // P·S
    const sp = o.mul(p, columnSpread(o, pair(s), g).v); // S·P
    // An exactly zero P_ij does not make a repeated pair's derivative defined: NaN whatever P holds.
    let uDot = stackProduct(o, u, g.u, false, o.add(o.mul(f, o.add(ps_, swapLast(o, ps_, g.square))), nan), g.square, false);
    let vDot = stackProduct(o, v, g.v, false, o.add(o.mul(f, o.add(sp, swapLast(o, sp, g.square))), nan), g.square, false);
    const inverse = reciprocals(o, pair(s), g, zeros).v;
    if (g.m > g.k) {
      const rest = o.sub(stackProduct(o, aDot, g.a, false, v, g.v, false), stackProduct(o, u, g.u, false, p, g.square, false));
      uDot = o.add(o.add(uDot, o.mul(rest, o.broadcastTo(inverse, g.row, g.u))), zeroColumns(o, zeros, g.u, g));
    }
    if (g.n > g.k) {
      const rest = o.sub(stackProduct(o, aDot, g.a, true, u, g.u, false), stackProduct(o, v, g.v, false, p, g.square, true));
      vDot = o.add(o.add(vDot, o.mul(rest, o.broadcastTo(inverse, g.row, g.v))), zeroColumns(o, zeros, g.v, g));
    }
    L.setDot(i, pack(o, diagonalRow(o, p, g), uDot, vDot, g));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const gBar = L.bar(i), gBarDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (!L.isActive(a) || (gBar === 0 && gBarDot === 0)) return;
    const g = geometryOf(shapeOf(t, a));
    if (g.empty) return;
    const y = unpack(o, L.val(i), g);
    const yDot = L.sweepBarDot ? L.dot(i) : 0;
    const dot = unpack(o, yDot, g), bar = unpack(o, gBar, g), barDot = unpack(o, gBarDot, g);
    const U = pair(y.u, dot.u), s = pair(y.s, dot.s), V = pair(y.v, dot.v);
    const uBar = pair(bar.u, barDot.u), sBar = pair(bar.s, barDot.s), vBar = pair(bar.v, barDot.v);
    const repeated = repeatedPairs(o, y.s, g), zeros = zeroValues(o, y.s, g);
    const f = reciprocalGaps(o, s, g, repeated);
    const gU = product(o, U, g.u, true, uBar, g.u, false), gV = product(o, V, g.v, true, vBar, g.v, false);
    const jU = times(o, f, minus(o, gU, swapped(o, gU, g.square)));
    const jV = times(o, f, minus(o, gV, swapped(o, gV, g.square)));
    let m = plus(o, pair(diagonalMatrix(o, sBar.v, g), diagonalMatrix(o, sBar.d, g)),
      plus(o, times(o, jU, spread(o, s, g.row, g.square)), times(o, jV, columnSpread(o, s, g))));
    // J alone would keep an exactly zero G_ij at a repeated pair: NaN where the loss reaches the pair.
    // Along a direction every second derivative is undefined there (see the top), of each matrix
    // that the direction moves and the loss reaches; the others as at first order.
    let along: Float64Array | null = null;
    if (yDot !== 0 && (repeated !== null || zeros !== null)) {
      const marks = repeated === null ? new Float64Array(sizeOf(g.square)) : repeated.slice();
      if (zeros !== null) zeroDiagonal(zeros, g).forEach((e, k) => (marks[k] += e));
      along = undefinedAlong(o, marks, marks.length / (g.k * g.k), yDot, gBar, gBarDot);
    }
    const mNan = pair(
      pairsReached(o, repeated, bar.u, bar.v, g),
      o.add(along === null ? 0 : o.constant(along, g.square), pairsReached(o, repeated, barDot.u, barDot.v, g)),
    );
    m = plus(o, m, mNan);
    let aBar = product(o, product(o, U, g.u, false, m, g.square, false), g.u, false, V, g.v, true);
    if (g.m > g.k || g.n > g.k) {
      const inverse = reciprocals(o, s, g, zeros);
      if (g.m > g.k) {
        const rest = times(o, minus(o, uBar, product(o, U, g.u, false, gU, g.square, false)), spread(o, inverse, g.row, g.u));
        const reached = plus(o, rest, pair(zeroColumns(o, zeros, g.u, g, bar.u), zeroColumns(o, zeros, g.u, g, barDot.u)));
        aBar = plus(o, aBar, product(o, reached, g.u, false, V, g.v, true));
      }
      if (g.n > g.k) {
        const rest = times(o, minus(o, vBar, product(o, V, g.v, false, gV, g.square, false)), spread(o, inverse, g.row, g.v));
        const reached = plus(o, rest, pair(zeroColumns(o, zeros, g.v, g, bar.v), zeroColumns(o, zeros, g.v, g, barDot.v)));
        aBar = plus(o, aBar, product(o, U, g.u, false, reached, g.v, true));
      }
    }
    if (L.sweepBar) L.addBar(a, aBar.v);
    if (L.sweepBarDot) L.addBarDot(a, aBar.d);
  },
};
const SVD = registerRule(rule);

/** The batch shape, m and n of a stack of matrices, or a ShapeError. */
function matrixStack(shape: Shape): { batch: Shape; m: number; n: number } {
  const r = shape.length;
  if (r < 2) throw new ShapeError(`svd: the matrix has shape ${formatShape(shape)}; expected a matrix [m, n] or a stack of them [..., m, n]`);
  return { batch: shape.slice(0, r - 2), m: shape[r - 2], n: shape[r - 1] };
}

/** The packed [..., 1 + m + n, k] numbers of each matrix of A: s in row 0, U's rows, then V's. */
function packedSvd(a: Float64Array, shape: Shape): Float64Array {
  const { batch, m, n } = matrixStack(shape);
  const k = Math.min(m, n), count = sizeOf(batch);
  const { u, s, v } = jacobiSvd(a, m, n, count);
  const block = (1 + m + n) * k;
  const packed = new Float64Array(count * block);
  for (let b = 0; b < count; b++) {
    packed.set(s.subarray(b * k, (b + 1) * k), b * block);
    packed.set(u.subarray(b * m * k, (b + 1) * m * k), b * block + k);
    packed.set(v.subarray(b * n * k, (b + 1) * n * k), b * block + (1 + m) * k);
  }
  return packed;
}

/**
 * What {@link svd} returns: A = u·diag(s)·vt.
 *
 * @example
 * ```ts
 * const { u, s, vt }: SingularValueDecomposition = svd(tensor([[3, 0], [0, -2]])); // s [3, 2]
 * ```
 */
export interface SingularValueDecomposition {
  /** The left singular vectors as columns: [..., m, k], k = min(m, n). A node. */
  readonly u: Tensor;
  /** The singular values, descending, ≥ 0: [..., k]. A node. */
  readonly s: Tensor;
  /** The right singular vectors as rows (Vᵀ): [..., k, n]. A node. */
  readonly vt: Tensor;
}

/**
 * The reduced singular value decomposition of a matrix, or of each matrix of a stack [..., m, n], as
 * NumPy's and JAX's `svd(A, full_matrices=False)`: A = u·diag(s)·vt with k = min(m, n), u [..., m, k]
 * and vtᵀ [..., n, k] with orthonormal columns, s [..., k] descending and ≥ 0. Each right singular
 * vector (row of vt) has its largest-magnitude component positive (the first such on ties), and u's
 * columns follow from A·v = s·u. Computed by one-sided Jacobi in float64, never through AᵀA: small
 * singular values keep their relative accuracy. A matrix with a NaN or ±∞ entry gives NaN results.
 * Exact derivatives of every order; at repeated singular values, and at a zero one of a non-square
 * matrix, the vectors' derivatives are NaN (they do not exist), the gradient of a function of s alone
 * stays finite, and every second derivative through the op is NaN (docs/conventions.md).
 *
 * @example
 * ```ts
 * const { u, s, vt } = svd(A);                  // A = u·diag(s)·vt
 * const nuclear = s.sum();                      // the nuclear norm
 * const top = vt.slice(0, 1, -2);               // the leading right singular vector, as a row
 * ```
 */
export function svd(a: Tensor): SingularValueDecomposition {
  noExtraArguments('svd', arguments, 1, 'svd(a)', 'it returns the reduced factors (u [..., m, k], s [..., k], vt [..., k, n], k = min(m, n)); there is no full_matrices or compute_uv');
  if (!(a instanceof Tensor)) throw new ArgumentError(`svd: expected a tensor, got ${describeValue(a)}`);
  const t = checkLive(a.tape, 'svd');
  const { batch, m, n } = matrixStack(a.shape);
  const k = Math.min(m, n);
  const packedShape = [...batch, 1 + m + n, k];
  const active = t.active[a.id] === 1;
  const y = newTensor(t, SVD, a.id, NO_INPUT, active, packedShape, packedSvd(a.data, a.shape), null);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  const axis = packedShape.length - 2;
  return {
    u: slice(y, 1, 1 + m, axis),
    s: reshape(slice(y, 0, 1, axis), [...batch, k]),
    vt: swapAxes(slice(y, 1 + m, 1 + m + n, axis), -1, -2),
  };
}
