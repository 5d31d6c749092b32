// P = A⁺, the Moore–Penrose pseudo-inverse of A [..., m, n] (P [..., n, m]), from the SVD with the
// singular values at or below rtol·σ_max dropped (NumPy's and JAX's rule). Its derivative at constant
// rank (Golub & Pereyra 1973, "The differentiation of pseudo-inverses", Thm 4.3; JAX's pinv_jvp):
//   R{P} = −P·Ȧ·P + P·Pᵀ·Ȧᵀ·(I − A·P) + (I − P·A)·Ȧᵀ·Pᵀ·P
// and the adjoint is that map's transpose:
//   Ā = −Pᵀ·P̄·Pᵀ + (I − A·P)·P̄ᵀ·P·Pᵀ + Pᵀ·P·P̄ᵀ·(I − P·A)
// At full column rank I − P·A = 0 and at full row rank I − A·P = 0, near the point too, so those terms
// are left out there (see Saved). The rules are products of P (the node itself), A and lanes, never of
// the singular vectors, so they hold where singular values repeat and nest to any order through
// matmul. The backward rule is written once over pairs (value, tangent): R{Ā} is the tangent of the
// line above by construction.
// Where the rank changes (a singular value crossing the cutoff) A⁺ jumps; the rules give the
// derivative of the constant-rank branch the primal lies on, as JAX's do (docs/conventions.md).
import { ArgumentError, ShapeError } from '../errors.js';
import { shapeOf } from '../lanes.js';
import { Tensor, describeValue, newTensor } from '../node.js';
import { checkOptions, option, type OptionsSpec } from '../options.js';
import { formatShape, sizeOf, type Shape } from '../shape.js';
import { shown } from '../shown.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { jacobiSvd } from './linalg/jacobi-svd.js';
import { stackProduct, swapLast } from './linalg/matrices.js';
import { minus, pair, plus, product, swapped, type Pair } from './linalg/pairs.js';

const EPSILON = 2 ** -52;

/**
 * Options of {@link pinv}.
 *
 * @example
 * ```ts
 * const options: PinvOptions = { rtol: 1e-10 }; // drop singular values ≤ 1e-10·σ_max
 * ```
 */
export interface PinvOptions {
  /**
   * Singular values at or below `rtol`·σ_max count as zero. Default: 10·max(m, n)·2⁻⁵² (JAX's; NumPy's
   * is 1e-15). A finite number ≥ 0.
   */
  readonly rtol?: number;
}

const OPTIONS: OptionsSpec<PinvOptions> = { rtol: option.number({ min: 0 }) };

/**
 * What the rules keep of the primal: the cutoff, and whether every matrix of the stack has full column
 * rank (P·A = I, so I − P·A vanishes) or full row rank (A·P = I). Those terms are exactly zero there
 * and stay zero nearby (constant rank), so the rules leave them out: computed, they are rounding noise
 * of size κ·ε times ‖P‖², which the nested derivatives multiply again at every order. A replay
 * updates both flags at its values.
 */
interface Saved {
  readonly rtol: number;
  fullColumns: boolean;
  fullRows: boolean;
}

/** The shapes the rules work with, from A's shape [...batch, m, n]. */
interface Geometry {
  readonly a: Shape;
  /** P's shape [...batch, n, m]. */
  readonly p: Shape;
  /** [...batch, m, m] and [...batch, n, n]: A·P, Pᵀ·P and P·A, P·Pᵀ. */
  readonly mm: Shape;
  readonly nn: Shape;
}

function geometryOf(a: Shape): Geometry {
  const r = a.length, m = a[r - 2], n = a[r - 1], batch = a.slice(0, r - 2);
  return { a, p: [...batch, n, m], mm: [...batch, m, m], nn: [...batch, n, n] };
}

const rule: OpRule = {
  name: 'pinv',
  describe(t, i) {
    return `singular values ≤ ${(t.saved.get(i) as Saved).rtol}·σ_max dropped`;
  },
  // A compiled replay: the SVD again at A's current values (the rank may differ from the recording's).
  primal(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const saved = t.saved.get(i) as Saved;
    const { p, fullColumns, fullRows } = pseudoInverse(o.numbers(L.val(a)) as Float64Array, shapeOf(t, a), saved.rtol);
    saved.fullColumns = fullColumns;
    saved.fullRows = fullRows;
    L.setVal(i, p);
  },
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const g = geometryOf(shapeOf(t, a));
    const aDot = L.dot(a);
    if (aDot === 0) {
      L.setDot(i, 0);
      return;
    }
    const A = L.val(a), P = L.val(i);
    const { fullColumns, fullRows } = t.saved.get(i) as Saved;
    const aDotT = swapLast(o, aDot, g.a);
    // −P·Ȧ·P
    const first = stackProduct(o, P, g.p, false, stackProduct(o, aDot, g.a, false, P, g.p, false), g.mm, false);
    // P·Pᵀ·(Ȧᵀ − Ȧᵀ·A·P) = P·Pᵀ·Ȧᵀ·(I − A·P), zero at full row rank
    const second = fullRows ? 0 : stackProduct(o, stackProduct(o, P, g.p, false, P, g.p, true), g.nn, false,
      o.sub(aDotT, stackProduct(o, stackProduct(o, aDot, g.a, true, A, g.a, false), g.nn, false, P, g.p, false)), g.p, false);
    // (Ȧᵀ − P·A·Ȧᵀ)·Pᵀ·P = (I − P·A)·Ȧᵀ·Pᵀ·P, zero at full column rank
    const third = fullColumns ? 0 : stackProduct(o, o.sub(aDotT, stackProduct(o, P, g.p, false, stackProduct(o, A, g.a, false, aDot, g.a, true), g.mm, false)), g.p, false,
      stackProduct(o, P, g.p, true, P, g.p, false), g.mm, false);
    L.setDot(i, o.add(o.sub(second, first), third));
  },
  backward(o, L, i) {
    const t = L.tape;
    const a = t.in0[i];
    const bar = L.bar(i), barDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (!L.isActive(a) || (bar === 0 && barDot === 0)) return;
    const g = geometryOf(shapeOf(t, a));
    const sweepDot = L.sweepBarDot;
    const P = pair(L.val(i), sweepDot ? L.dot(i) : 0), A = pair(L.val(a), sweepDot ? L.dot(a) : 0);
    const G = pair(bar, barDot), Gt = swapped(o, G, g.p);
    // Pᵀ·P̄·Pᵀ
    const first = product(o, product(o, P, g.p, true, G, g.p, false), g.mm, false, P, g.p, true);
    const { fullColumns, fullRows } = t.saved.get(i) as Saved;
    const none = pair(0, 0);
    // (P̄ᵀ − A·P·P̄ᵀ)·P·Pᵀ = (I − A·P)·P̄ᵀ·P·Pᵀ, zero at full row rank
    const second = fullRows ? none : product(o, minus(o, Gt, product(o, A, g.a, false, product(o, P, g.p, false, G, g.p, true), g.nn, false)), g.a, false,
      product(o, P, g.p, false, P, g.p, true), g.nn, false);
    // Pᵀ·P·(P̄ᵀ − P̄ᵀ·P·A) = Pᵀ·P·P̄ᵀ·(I − P·A), zero at full column rank
    const third = fullColumns ? none : product(o, product(o, P, g.p, true, P, g.p, false), g.mm, false,
      minus(o, Gt, product(o, product(o, G, g.p, true, P, g.p, false), g.mm, false, A, g.a, false)), g.a, false);
    const aBar: Pair = plus(o, minus(o, second, first), third);
    if (L.sweepBar) L.addBar(a, aBar.v);
    if (sweepDot) L.addBarDot(a, aBar.d);
  },
};
const PINV = registerRule(rule);

/**
 * The pseudo-inverse of each matrix of a stack, by one-sided Jacobi SVD (NaN for a non-finite matrix),
 * and whether every matrix kept all min(m, n) singular values, so has full column rank (k = n) or full
 * row rank (k = m).
 */
function pseudoInverse(A: Float64Array, shape: Shape, rtol: number): { p: Float64Array; s: Float64Array; fullColumns: boolean; fullRows: boolean } {
  const r = shape.length, m = shape[r - 2], n = shape[r - 1], count = sizeOf(shape.slice(0, r - 2));
  const k = Math.min(m, n);
  const P = new Float64Array(count * n * m);
  let fullRank = true;
  if (k === 0 || count === 0) return { p: P, s: new Float64Array(0), fullColumns: n === 0 || count === 0, fullRows: m === 0 || count === 0 };
  const { u, s, v } = jacobiSvd(A, m, n, count);
  const inverse = new Float64Array(k);
  for (let b = 0; b < count; b++) {
    const sb = s.subarray(b * k, (b + 1) * k), ub = u.subarray(b * m * k), vb = v.subarray(b * n * k), pb = P.subarray(b * n * m, (b + 1) * n * m);
    if (Number.isNaN(sb[0])) {
      pb.fill(NaN);
      fullRank = false;
      continue;
    }
    const cutoff = rtol * sb[0]; // σ descending: σ₀ is the largest
    for (let l = 0; l < k; l++) {
      inverse[l] = sb[l] > cutoff ? 1 / sb[l] : 0;
      if (inverse[l] === 0) fullRank = false;
    }
    // P = V·diag(1/σ)·Uᵀ: P_ji = Σ_l v_jl·u_il/σ_l
    for (let j = 0; j < n; j++) {
      for (let l = 0; l < k; l++) {
        const w = vb[j * k + l] * inverse[l];
        if (w === 0) continue;
        for (let i = 0; i < m; i++) pb[j * m + i] += w * ub[i * k + l];
      }
    }
  }
  return { p: P, s, fullColumns: fullRank && k === n, fullRows: fullRank && k === m };
}

/**
 * The Moore–Penrose pseudo-inverse of a matrix, or of each matrix of a stack [..., m, n] → [..., n, m],
 * as NumPy's and JAX's `linalg.pinv`: from the SVD (one-sided Jacobi), with singular values at or
 * below `rtol`·σ_max treated as zero (default 10·max(m, n)·2⁻⁵², JAX's). For full column rank it is
 * (AᵀA)⁻¹Aᵀ, the least-squares solver: `pinv(A).matmul(b)` minimizes ‖A·x − b‖ (and ‖x‖ among the
 * minimizers). Exact derivatives of every order where the rank is constant (Golub–Pereyra), also at
 * repeated singular values; where a singular value crosses the cutoff A⁺ jumps, and the derivative is
 * that of the branch the value lies on, as JAX's. A matrix with a NaN or ±∞ entry gives NaN.
 *
 * @example
 * ```ts
 * const P = pinv(tensor([[1, 2], [3, 4], [5, 6]]));   // [2, 3]; P·A = I₂
 * const x = pinv(A).matmul(b);                         // least squares, minimum norm
 * pinv(A, { rtol: 1e-8 });                             // a looser cutoff
 * ```
 */
export function pinv(a: Tensor, options?: PinvOptions): Tensor {
  for (let k = 2; k < arguments.length; k++) {
    if (arguments[k] !== undefined) throw new ArgumentError(`pinv: takes the matrix and an options object ({ rtol }), got a further argument ${shown(arguments[k])}`);
  }
  if (!(a instanceof Tensor)) throw new ArgumentError(`pinv: expected a tensor, got ${describeValue(a)}`);
  const { rtol: given } = checkOptions('pinv', options, OPTIONS);
  checkLive(a.tape, 'pinv'); // a node of a finished call is that error, whatever its shape
  const r = a.shape.length;
  if (r < 2) throw new ShapeError(`pinv: the matrix has shape ${formatShape(a.shape)}; expected a matrix [m, n] or a stack of them [..., m, n]`);
  return recordPinv(a, given ?? 10 * Math.max(a.shape[r - 2], a.shape[r - 1]) * EPSILON).p;
}

/**
 * Records A⁺ (A checked by the caller) and returns it with the singular values it was computed from
 * (each matrix's, descending), for lstsq's rank without a second SVD. @internal
 */
export function recordPinv(a: Tensor, rtol: number): { p: Tensor; s: Float64Array } {
  const t = checkLive(a.tape, 'pinv');
  const active = t.active[a.id] === 1;
  const { p, s, fullColumns, fullRows } = pseudoInverse(a.data, a.shape, rtol);
  const y = newTensor(t, PINV, a.id, NO_INPUT, active, geometryOf(a.shape).p, p, null);
  t.saved.set(y.id, { rtol, fullColumns, fullRows } satisfies Saved);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return { p: y, s };
}
