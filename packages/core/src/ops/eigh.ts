// λ, V = eigh(A): S = (A + Aᵀ)/2 = V·diag(λ)·Vᵀ, λ ascending, V orthogonal (cyclic Jacobi,
// linalg/jacobi-eigen.ts). With Ṡ = sym(Ȧ), P = Vᵀ·Ṡ·V, D_ij = λ_j − λ_i and F_ij = 1/D_ij off the
// diagonal, 0 on it (Giles 2008, §3.1; JAX's eigh_jvp_rule):
//   λ̇ = diag(P),   V̇ = V·(F∘P)
//   Ā = sym(V·M·Vᵀ),   M = diag(λ̄) + F∘G,   G = Vᵀ·V̄
//   R{Ā} = sym(V̇·(M + Mᵀ)·Vᵀ + V·Ṁ·Vᵀ),   Ṁ = diag(R{λ̄}) + Ḟ∘G + F∘(V̇ᵀ·V̄ + Vᵀ·R{V̄}),   Ḟ = −F∘F∘Ḋ
// The last line is the tangent of the one above. λ and V are one node, packed as [..., n+1, n] (row 0
// the values, rows 1…n the vectors) that `eigh` slices for the caller, so the rules see every output
// lane at once; they are products of that node's values and lanes, so nested transforms
// differentiate them again.
//
// Repeated eigenvalues (|λ_i − λ_j| within rounding of the spectrum) leave V's derivative undefined:
// which basis of the eigenspace comes out jumps under any perturbation. V̇ is NaN there, and so is Ā
// wherever the loss reaches either vector of the pair (a nonzero in that column of V̄); a loss of λ
// alone (V̄ zero there) keeps its exact gradient V·diag(λ̄)·Vᵀ. R{Ā} along any direction is NaN: a
// second derivative there needs f″ of the loss at the repeated value, which no rule of this op sees.
import type { Algebra, Value } from '../algebra/algebra.js';
import { ArgumentError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Tensor, describeValue, newTensor } from '../node.js';
import type { Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { symmetricEigen } from './linalg/jacobi-eigen.js';
import { squareStack, stackProduct, swapLast, symmetricPart } from './linalg/matrices.js';
import { entriesOfAnyLane, undefinedAlong } from './linalg/undefined-along.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { noExtraArguments } from './op-args.js';

const EPSILON = 2 ** -52;

/** The shapes the rules work with, from the packed node's shape [...batch, n+1, n]. */
interface Geometry {
  readonly n: number;
  /** The packed node's rank; axis r − 2 holds the values row and the vectors' rows. */
  readonly r: number;
  /** [...batch, n, n]: V, P, F, M. */
  readonly square: Shape;
  /** [...batch, 1, n]: λ as a row. */
  readonly row: Shape;
  /** [...batch, n, 1]: λ as a column. */
  readonly column: Shape;
  readonly empty: boolean;
}

function geometryOf(packed: Shape): Geometry {
  const r = packed.length, n = packed[r - 1], batch = packed.slice(0, r - 2);
  return {
    n, r, square: [...batch, n, n], row: [...batch, 1, n], column: [...batch, n, 1],
    empty: n === 0 || batch.some((d) => d === 0),
  };
}

/** λ (as a row) and V out of a packed value; a symbolic zero gives zeros. */
function unpack(o: Algebra, x: Value, ps: Shape, g: Geometry): { lambda: Value; vectors: Value } {
  if (x === 0) return { lambda: 0, vectors: 0 };
  return { lambda: o.slice(x, ps, 0, 1, g.r - 2), vectors: o.slice(x, ps, 1, g.n + 1, g.r - 2) };
}

/** λ (a row) and V packed into one value. */
function pack(o: Algebra, lambda: Value, vectors: Value, g: Geometry): Value {
  const top = lambda === 0 ? 0 : o.pad(lambda, g.row, 0, g.n + 1, g.r - 2);
  const rest = vectors === 0 ? 0 : o.pad(vectors, g.square, 1, g.n + 1, g.r - 2);
  return o.add(top, rest);
}

/** The numbers of a square-shaped constant: `onDiagonal` on each matrix's diagonal, `off` elsewhere. */
function diagonalData(g: Geometry, onDiagonal: number, off: number): Float64Array {
  const data = new Float64Array(g.square.reduce((p, d) => p * d, 1)).fill(off);
  for (let b = 0; b < data.length; b += g.n * g.n) for (let k = 0; k < g.n; k++) data[b + k * g.n + k] = onDiagonal;
  return data;
}

function diagonalPattern(o: Algebra, g: Geometry, onDiagonal: number, off: number): Value {
  return o.constant(diagonalData(g, onDiagonal, off), g.square);
}

/** D_ij = λ_j − λ_i for a row of values (or their tangents). */
function differences(o: Algebra, lambda: Value, g: Geometry): Value {
  if (lambda === 0) return 0;
  const column = o.reshape(lambda, g.row, g.column);
  return o.sub(o.broadcastTo(lambda, g.row, g.square), o.broadcastTo(column, g.column, g.square));
}

/** diag(M) of each matrix, as a row. */
function diagonalRow(o: Algebra, m: Value, g: Geometry): Value {
  return m === 0 ? 0 : o.sumTo(o.mul(m, diagonalPattern(o, g, 1, 0)), g.square, g.row);
}

/** diag(λ) of a row of values, as matrices. */
function diagonalMatrix(o: Algebra, lambda: Value, g: Geometry): Value {
  return lambda === 0 ? 0 : o.mul(o.broadcastTo(lambda, g.row, g.square), diagonalPattern(o, g, 1, 0));
}

/**
 * The pairs of each matrix whose eigenvalues are equal to rounding: |λ_i − λ_j| ≤ 8·n·ε·max|λ|, below
 * which the computed gap carries no information. NaN at those pairs and 0 elsewhere (the diagonal
 * included), of the square shape; null when there are none.
 */
function repeatedPairs(o: Algebra, lambda: Value, g: Geometry): Float64Array | null {
  const values = o.numbers(lambda) as Float64Array;
  const n = g.n;
  let data: Float64Array | null = null;
  for (let b = 0; b < values.length; b += n) {
    let largest = 0;
    for (let k = 0; k < n; k++) largest = Math.max(largest, Math.abs(values[b + k]));
    const tolerance = 8 * n * EPSILON * largest;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i !== j && Math.abs(values[b + i] - values[b + j]) <= tolerance) {
          data ??= new Float64Array(values.length * n);
          data[b * n + i * n + j] = NaN;
        }
      }
    }
  }
  return data;
}

/**
 * The repeated pairs (i, j) at which an adjoint of the vectors reaches either vector: column i or j
 * of V̄ holds a nonzero (or NaN). There the loss depends on which basis of the eigenspace was picked,
 * which jumps under any perturbation: its derivative does not exist, whatever Vᵀ·V̄ says to first
 * order. As a constant (NaN there, 0 elsewhere), or 0 when there are none.
 */
function pairsReached(o: Algebra, repeated: Float64Array | null, vBar: Value, g: Geometry): Value {
  if (repeated === null || vBar === 0) return 0;
  const adjoint = entriesOfAnyLane(o, vBar) as Float64Array;
  const n = g.n;
  const data = new Float64Array(repeated.length);
  let any = false;
  for (let b = 0; b < repeated.length; b += n * n) {
    const live = Array.from({ length: n }, (_, j) => {
      for (let i = 0; i < n; i++) if (adjoint[b + i * n + j] !== 0) return true;
      return false;
    });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (Number.isNaN(repeated[b + i * n + j]) && (live[i] || live[j])) data[b + i * n + j] = NaN, any = true;
      }
    }
  }
  return any ? o.constant(data, g.square) : 0;
}

/**
 * F_ij = 1/(λ_j − λ_i) off the diagonal, 0 on it and at repeated pairs: the rules add NaN at those
 * pairs where it belongs (the constant from repeatedPairs), so that F itself has no 1/0 for a
 * structural zero to meet (which `checkFinite` would report as 0·∞ even where the answer is exact).
 */
function reciprocalGaps(o: Algebra, lambda: Value, g: Geometry, repeated: Float64Array | null): Value {
  // 1 in the numerator where F_ij is a reciprocal; elsewhere 0 over a denominator kept off 0 by 1.
  const live = diagonalData(g, 0, 1);
  if (repeated !== null) for (let k = 0; k < live.length; k++) if (Number.isNaN(repeated[k])) live[k] = 0;
  const dead = live.map((e) => 1 - e);
  return o.div(o.constant(live, g.square), o.add(differences(o, lambda, g), o.constant(dead, g.square)));
}

/** V·M·Vᵀ, the symmetric part: the adjoint of A for the inner matrix M. */
function sandwich(o: Algebra, v: Value, m: Value, s: Shape): Value {
  return symmetricPart(o, stackProduct(o, stackProduct(o, v, s, false, m, s, false), s, false, v, s, true), s);
}

const rule: OpRule = {
  name: 'eigh',
  // A compiled replay: the decomposition again at A's current values.
  primal(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    L.setVal(i, packedEigen(o.numbers(L.val(a)) as Float64Array, shapeOf(t, a)));
  },
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const aDot = L.dot(a);
    const ps = shapeOf(t, i), g = geometryOf(ps), s = g.square;
    if (aDot === 0 || g.empty) return L.setDot(i, 0);
    const { lambda, vectors: v } = unpack(o, L.val(i), ps, g);
    const p = stackProduct(o, stackProduct(o, v, s, true, symmetricPart(o, aDot, s), s, false), s, false, v, s, false);
    const repeated = repeatedPairs(o, lambda, g);
    const omega = o.mul(reciprocalGaps(o, lambda, g, repeated), p);
    // An exactly zero P_ij does not make a repeated pair's V̇ defined: NaN whatever P holds.
    const vDot = stackProduct(o, v, s, false, repeated === null ? omega : o.add(omega, o.constant(repeated, g.square)), s, false);
    L.setDot(i, pack(o, diagonalRow(o, p, g), vDot, g));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const gBar = L.bar(i), gBarDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (!L.isActive(a) || (gBar === 0 && gBarDot === 0)) return;
    const ps = shapeOf(t, i), g = geometryOf(ps), s = g.square;
    if (g.empty) return;
    const { lambda, vectors: v } = unpack(o, L.val(i), ps, g);
    const repeated = repeatedPairs(o, lambda, g);
    const f = reciprocalGaps(o, lambda, g, repeated);
    const bar = unpack(o, gBar, ps, g);
    const coupling = stackProduct(o, v, s, true, bar.vectors, s, false); // G = Vᵀ·V̄
    // F∘G alone would keep an exact zero G_ij at a repeated pair: pairsReached makes it NaN.
    const m = o.add(o.add(diagonalMatrix(o, bar.lambda, g), coupling === 0 ? 0 : o.mul(f, coupling)), pairsReached(o, repeated, bar.vectors, g));
    if (L.sweepBar) L.addBar(a, sandwich(o, v, m, s));
    if (L.sweepBarDot) {
      const yDot = L.dot(i);
      const dot = unpack(o, yDot, ps, g);
      const barDot = unpack(o, gBarDot, ps, g);
      const fDot = dot.lambda === 0 ? 0 : o.neg(o.mul(o.mul(f, f), differences(o, dot.lambda, g)));
      const couplingDot = o.add(stackProduct(o, dot.vectors, s, true, bar.vectors, s, false), stackProduct(o, v, s, true, barDot.vectors, s, false));
      let mDot = o.add(diagonalMatrix(o, barDot.lambda, g), o.add(coupling === 0 ? 0 : o.mul(fDot, coupling), couplingDot === 0 ? 0 : o.mul(f, couplingDot)));
      // Along a direction, the second derivative at a repeated pair is undefined here (see the top),
      // of each matrix that the direction moves and the loss reaches; the others as at first order.
      const along = repeated === null || yDot === 0 ? null : undefinedAlong(o, repeated, repeated.length / (g.n * g.n), yDot, gBar, gBarDot);
      mDot = o.add(mDot, o.add(along === null ? 0 : o.constant(along, s), pairsReached(o, repeated, barDot.vectors, g)));
      const moving = m === 0 ? 0 : stackProduct(o, stackProduct(o, dot.vectors, s, false, o.add(m, swapLast(o, m, s)), s, false), s, false, v, s, true);
      const turning = stackProduct(o, stackProduct(o, v, s, false, mDot, s, false), s, false, v, s, true);
      L.addBarDot(a, symmetricPart(o, o.add(moving, turning), s));
    }
  },
};
const EIGH = registerRule(rule);

/** The packed [..., n+1, n] numbers of each matrix of A: λ in row 0, V below. */
function packedEigen(a: Float64Array, shape: Shape): Float64Array {
  const { n, count } = squareStack(shape, 'eigh');
  const { values, vectors } = symmetricEigen(a, n, count);
  const packed = new Float64Array(count * (n + 1) * n);
  for (let b = 0; b < count; b++) {
    packed.set(values.subarray(b * n, (b + 1) * n), b * (n + 1) * n);
    packed.set(vectors.subarray(b * n * n, (b + 1) * n * n), b * (n + 1) * n + n);
  }
  return packed;
}

/**
 * What {@link eigh} returns: S = vectors·diag(values)·vectorsᵀ.
 *
 * @example
 * ```ts
 * const { values, vectors }: Eigendecomposition = eigh(tensor([[2, 1], [1, 2]])); // values [1, 3]
 * ```
 */
export interface Eigendecomposition {
  /** The eigenvalues, ascending: [..., n]. A node. */
  readonly values: Tensor;
  /** The unit eigenvectors as columns, column j for values[j]: [..., n, n]. A node. */
  readonly vectors: Tensor;
}

/**
 * The eigenvalues and eigenvectors of a symmetric matrix, or of each matrix of a stack [..., n, n],
 * as NumPy's and JAX's `eigh`: values ascending, column j of vectors the unit eigenvector of values[j],
 * its sign fixed so that its largest-magnitude component (the first, on ties) is positive. A is read
 * as (A + Aᵀ)/2, as JAX's default `symmetrize_input`: the derivatives are those of the symmetrized
 * matrix, split evenly between A[i][j] and A[j][i]. Computed by cyclic Jacobi in float64 (accurate
 * to rounding; O(n³) per sweep, for small and medium n). A matrix with a NaN or ±∞ entry gives NaN
 * values and vectors. Exact derivatives of every order; at repeated eigenvalues the vectors'
 * derivatives are NaN (they do not exist), the values' first derivatives stay finite, and every
 * second derivative through the op is NaN (docs/conventions.md).
 *
 * @example
 * ```ts
 * const { values, vectors } = eigh(S);                // S = vectors·diag(values)·vectorsᵀ
 * const top = vectors.slice(-1, null, -1);             // the eigenvector of the largest eigenvalue
 * const spread = values.exp().sum().log();             // a smooth function of the spectrum
 * ```
 */
export function eigh(a: Tensor): Eigendecomposition {
  noExtraArguments('eigh', arguments, 1, 'eigh(a)', 'it returns the values and vectors of the symmetric matrix; there is no UPLO or eigenvalues-only mode');
  if (!(a instanceof Tensor)) throw new ArgumentError(`eigh: expected a tensor, got ${describeValue(a)}`);
  const t = checkLive(a.tape, 'eigh');
  const { batch, n } = squareStack(a.shape, 'eigh');
  const packedShape = [...batch, n + 1, n];
  const active = t.active[a.id] === 1;
  const y = newTensor(t, EIGH, a.id, NO_INPUT, active, packedShape, packedEigen(a.data, a.shape), null);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  const axis = packedShape.length - 2;
  return { values: reshape(slice(y, 0, 1, axis), [...batch, n]), vectors: slice(y, 1, n + 1, axis) };
}
