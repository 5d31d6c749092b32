// y = ‖Px‖/√k over some axes: the Euclidean norm of norm's ord 2 and 'fro' (P the identity, k = 1)
// and std (P the centering x ↦ x − x̄ along the axes, k = n − ddof). With N = ‖Px‖ and u = Px/N (0
// where Px = 0):
//   ∂y/∂x = u/√k,   ∂²y/∂x² = (P − uuᵀ)/(k·y)
//   R{y} = u·Pẋ/√k;  x̄ += ȳ·u/√k,  R{x̄} += R{ȳ}·u/√k + ȳ·(Pẋ − u(u·Pẋ))/(k·y)
// An op of its own, not sqrt over a sum of squares: there the tangent ẋ/d of the scaled entries met
// √″ before the factor d came back, and their product overflowed where H·v is finite (H·e₁ of
// ‖(1, 2, 3)·1e-309‖ was −∞ in every component, std's NaN from 1e-308 down). Here u is formed first
// (|u| ≤ 1), the product ȳ·(Pẋ − u(u·Pẋ)) next, and the division by k·y last, so no intermediate
// exceeds the result by more than the size of its terms.
// The value is d·√(Σz²/k), z = P(x/d), d a power of two near max|xₖ| of each line (norm-scale.ts): no
// square over- or underflows, and it is the value of the composite it replaces, bit for bit.
// When a transform is nested, the rules record two more ops of this file, whose own rules are closed
// forms in u and N divided by N last, so nested transforms keep that order: normUnit, ∂y/∂x = u/√k,
// and normBend, ȳ·H·ẋ (each described where its rules are). Where Px = 0 (x = 0 for norm, a constant
// line for std) the second derivatives are not finite: overNorm says what they are (docs/conventions.md).
// Internal: norm.ts and variance.ts record it.
import type { Algebra, Value } from '../algebra/algebra.js';
import { NumberAlgebra, keep } from '../algebra/numbers.js';
import { structuralTimes } from '../elementwise/structural-times.js';
import { SCALAR_SHAPE, shapeOf, type Lanes } from '../lanes.js';
import { Scalar, newScalar, newTensor, type Tensor } from '../node.js';
import { broadcastMap, sizeOf, type Shape } from '../shape.js';
import { NO_INPUT, addAdjoints, checkLive, registerRule, type OpRule } from '../tape.js';
import { scaleFor } from './norm-scale.js';
import { alongLines, keptShape, spread, total } from './sum.js';

/** What a compiled replay must see unchanged, from x's numbers (norm: which lines hold ±∞). */
export type NormBranch = (x: Float64Array) => number | Float64Array;

/** The per-line numbers of x that both ops' values and numeric rules use (each of the kept shape). */
interface Lines {
  /** d. */
  readonly scale: Float64Array;
  /** The mean m of x/d (centered only). */
  readonly mean: Float64Array | null;
  /**
   * The mean of z = x/d − m (centered only): the rounding of m, taken off z again for u (as project()
   * does). Σz² does not see it (to second order), but u = z/‖z‖ would be off by it to first order,
   * which is large where the spread is small against the mean (1e-9 of ∇ std at [1e8 + 1, 1e8, 1e8 − 3]).
   */
  readonly residual: Float64Array | null;
  /** √Σz², or 1 where that is 0, so that u = z/root is 0 there. */
  readonly root: Float64Array;
  /** N = ‖Px‖ (d·√Σz², 0 where Px = 0). */
  readonly norm: Float64Array;
  /** y = N/√k, formed as d·√(Σz²/k): the value of the composite d·√var(x/d) (of d·√Σ(x/d)²), bit for bit. */
  readonly value: Float64Array;
}

interface Spec {
  readonly axes: readonly number[];
  readonly center: boolean;
  /** k: y = N/√k for the norm; ∂y/∂x = u/√k for the unit vector. */
  readonly divisor: number;
  /** How a line's numbers are shaped: a scalar for a reduction to one, else the kept shape. */
  readonly lineShape: Shape;
  readonly branch: NormBranch | null;
  /** At the values recorded or last replayed. */
  lines: Lines;
}

const kernels = new NumberAlgebra();

/** The Lines of x (shape `shape`) over `axes`, and u/√k, when asked for, as x's shape. */
function linesOf(xs: Float64Array, shape: Shape, axes: readonly number[], center: boolean, divisor: number, withUnit: boolean): { lines: Lines; unit: Float64Array | null } {
  const kept = keptShape(shape, axes);
  const lines = sizeOf(kept);
  const group = broadcastMap(kept, shape);
  const lineOf = (e: number) => (group === null ? e : group[e]);
  const top = new Float64Array(lines);
  for (let e = 0; e < xs.length; e++) {
    const a = Math.abs(xs[e]), g = lineOf(e);
    if (a > top[g] || a !== a) top[g] = a;
  }
  const scale = top.map((m) => scaleFor(m, 2));
  const z = new Float64Array(xs.length);
  for (let e = 0; e < xs.length; e++) z[e] = xs[e] / scale[lineOf(e)];
  const n = lines === 0 ? 0 : xs.length / lines;
  let mean: Float64Array | null = null;
  if (center) {
    // As mean(): the sum times 1/n.
    mean = (kernels.sumTo(z, shape, kept) as Float64Array).map((s) => structuralTimes(s, 1 / n));
    for (let e = 0; e < xs.length; e++) z[e] -= mean[lineOf(e)];
  }
  const squares = new Float64Array(xs.length);
  for (let e = 0; e < xs.length; e++) squares[e] = z[e] * z[e];
  const sums = kernels.sumTo(squares, shape, kept) as Float64Array;
  const root = new Float64Array(lines), norm = new Float64Array(lines), value = new Float64Array(lines);
  for (let g = 0; g < lines; g++) {
    const r = Math.sqrt(sums[g]);
    root[g] = r === 0 ? 1 : r;
    norm[g] = structuralTimes(r, scale[g]);
    value[g] = structuralTimes(Math.sqrt(sums[g] / divisor), scale[g]);
  }
  // As project(): a quotient by n, exact where z is constant along a line.
  const residual = center ? (kernels.sumTo(z, shape, kept) as Float64Array).map((s) => s / n) : null;
  let unit: Float64Array | null = null;
  if (withUnit) {
    // The numbers the rules' lazy form gives: ((x/d − m) − m′)/root, times 1/√k.
    unit = z;
    const inverse = 1 / Math.sqrt(divisor);
    for (let e = 0; e < xs.length; e++) {
      const g = lineOf(e);
      const u = (residual === null ? z[e] : z[e] - residual[g]) / root[g];
      unit[e] = divisor === 1 ? u : structuralTimes(u, inverse);
    }
  }
  return {
    lines: { scale: keep(scale), mean: mean && keep(mean), residual: residual && keep(residual), root: keep(root), norm: keep(norm), value: keep(value) },
    unit,
  };
}

/** The shapes a rule works in, from node i's input x and its spec. */
interface Frame {
  readonly xs: Shape;
  readonly ls: Shape;
  readonly axes: readonly number[];
  /** Elements per line. */
  readonly n: number;
  readonly center: boolean;
}

function frameFor(xs: Shape, s: Pick<Spec, 'axes' | 'lineShape' | 'center'>): Frame {
  const lines = sizeOf(keptShape(xs, s.axes));
  return { xs, ls: s.lineShape, axes: s.axes, n: lines === 0 ? 0 : sizeOf(xs) / lines, center: s.center };
}

const frameOf = (L: Lanes, x: number, s: Spec): Frame => frameFor(shapeOf(L.tape, x), s);

/** Σ over each line, shaped as a line's numbers. */
const lineSum = (o: Algebra, v: Value, f: Frame): Value => total(o, v, f.xs, f.ls, f.axes);

/** A line's numbers repeated over its elements. */
const perElement = (o: Algebra, v: Value, f: Frame): Value => spread(o, v, f.ls, f.xs, f.axes);

/** Numbers kept per line (the kept shape) as a value of the line shape. */
const lineNumbers = (v: Float64Array, f: Frame): Value => (f.ls === SCALAR_SHAPE ? v[0] : v);

/** (u·w) over each line, repeated over its elements. */
const along = (o: Algebra, u: Value, w: Value, f: Frame): Value => alongLines(o, u, w, f.xs, f.ls, f.axes);

/**
 * w − u(u·w) for w = Pv: the part of Pv across u. (u·Pv rather than u·v, equal in exact arithmetic:
 * a shift v then gives exactly 0.)
 */
const across = (o: Algebra, u: Value, w: Value, f: Frame): Value => (w === 0 ? 0 : o.sub(w, o.mul(u, along(o, u, w, f))));

/**
 * Pv: v less its mean along each line, when centered, in two passes: the mean m of v, then that of
 * v − m, which is the rounding of m. A shift (v constant along a line) then gives exactly 0, its exact
 * value (v − m is a few ulps of v there, whose sum is exact, as is its quotient by n), where one pass
 * leaves the rounding of m, which the division by a small std makes large.
 */
function project(o: Algebra, v: Value, f: Frame): Value {
  if (!f.center || v === 0) return v;
  if (typeof v === 'number') return 0;
  const less = (w: Value) => o.sub(w, perElement(o, o.div(lineSum(o, w, f), f.n), f));
  return less(less(v));
}

// overNorm's lines where N is not a positive number.
const ZERO = 1, NOT_A_NUMBER = 2;

/**
 * q/N, N given per line, divided last. Where q is 0 the quotient is 0 at every line (nothing flows
 * there, as with the structural zeros of a product). At a line where N is 0, q ≠ 0 gives ±∞ (norm at
 * x = 0), and for a centered line NaN over the line (std at zero variance: H·v is NaN unless v is a
 * shift); where N is NaN, NaN.
 */
function overNorm(o: Algebra, q: Value, norm: Value, f: Frame): Value {
  if (q === 0) return 0;
  const quotient = o.div(q, perElement(o, norm, f));
  const values = o.numbers(norm);
  let special: Uint8Array | null = null;
  const lines = typeof values === 'number' ? 1 : values.length;
  for (let g = 0; g < lines; g++) {
    const n = typeof values === 'number' ? values : values[g];
    if (n !== 0 && n === n) continue;
    special ??= new Uint8Array(lines);
    special[g] = n === 0 ? ZERO : NOT_A_NUMBER;
  }
  if (special === null) return quotient;
  const group = broadcastMap(keptShape(f.xs, f.axes), f.xs);
  const size = sizeOf(f.xs);
  const codes = new Float64Array(size), pick = new Uint8Array(size);
  for (let e = 0; e < size; e++) pick[e] = (codes[e] = special[group === null ? e : group[e]]) === 0 ? 0 : 1;
  const limit = f.center
    ? perElement(o, o.step(lineSum(o, o.step(q, (a) => (a === 0 ? 0 : 1)), f), (c) => (c === 0 ? 0 : NaN)), f)
    : o.step2(q, o.constant(codes, f.xs), (a, c) => (a === 0 ? 0 : c === ZERO ? a * Infinity : NaN));
  return o.select(pick, limit, quotient, f.xs);
}

/**
 * u/√k at the level of `o`: the op normUnit when nested; at top level ((x/d − m) − m′)/root (times
 * 1/√k) from the saved lines, elementwise work that fuses into the loop that reads it.
 */
function unitOf(o: Algebra, L: Lanes, x: number, s: Spec, f: Frame, divisor: number): Value {
  if (o.kind === 'nodes') return normUnit(L.val(x) as Tensor, s.axes, s.lineShape, s.center, divisor);
  const { scale, mean, residual, root } = s.lines;
  const each = (v: Float64Array) => perElement(o, lineNumbers(v, f), f);
  let z = o.div(L.fusedVal(x), each(scale));
  if (mean !== null && residual !== null) z = o.sub(o.sub(z, each(mean)), each(residual));
  const u = o.div(z, each(root));
  return divisor === 1 ? u : o.mul(u, 1 / Math.sqrt(divisor));
}

/** N = ‖Px‖ per line at the level of `o`: this op with k = 1 when nested, the saved numbers at top level. */
function normOf(o: Algebra, L: Lanes, x: number, s: Spec, f: Frame): Value {
  if (o.kind === 'nodes') return euclideanNorm(L.val(x) as Tensor, s.axes, s.lineShape, { center: s.center });
  return lineNumbers(s.lines.norm, f);
}

/** A value of the output's shape as one of the line shape, and back (the same elements). */
const toLines = (o: Algebra, v: Value, ys: Shape, f: Frame): Value => (v === 0 || ys === f.ls ? v : o.reshape(v, ys, f.ls));
const fromLines = (o: Algebra, v: Value, ys: Shape, f: Frame): Value => (v === 0 || ys === f.ls ? v : o.reshape(v, f.ls, ys));

/** Refreshes node i's saved lines at its input's current numbers (a compiled replay). */
function replayLines(o: Algebra, L: Lanes, i: number, withUnit: boolean): Float64Array | null {
  const t = L.tape, x = t.in0[i];
  const s = t.saved.get(i) as Spec;
  const { lines, unit } = linesOf(o.numbers(L.val(x)) as Float64Array, shapeOf(t, x), s.axes, s.center, s.divisor, withUnit);
  s.lines = lines;
  return unit;
}

const normRule: OpRule = {
  name: 'euclideanNorm',
  primal(o, L, i) {
    replayLines(o, L, i, false);
    const { value } = (L.tape.saved.get(i) as Spec).lines;
    L.setVal(i, L.tape.isTensor(i) ? value.slice() : value[0]);
  },
  branch(L, i) {
    const s = L.tape.saved.get(i) as Spec;
    return s.branch === null ? 0 : s.branch(L.tape.o.numbers(L.val(L.tape.in0[i])) as Float64Array);
  },
  tangent(o, L, i) {
    const t = L.tape, x = t.in0[i];
    const xDot = L.fusedDot(x);
    if (xDot === 0) return L.setDot(i, 0);
    const s = t.saved.get(i) as Spec, f = frameOf(L, x, s);
    const slope = lineSum(o, o.mul(unitOf(o, L, x, s, f, 1), project(o, xDot, f)), f);
    L.setDot(i, fromLines(o, s.divisor === 1 ? slope : o.mul(slope, 1 / Math.sqrt(s.divisor)), shapeOf(t, i), f));
  },
  backward(o, L, i) {
    const t = L.tape, x = t.in0[i];
    const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (g === 0 && gDot === 0) return;
    const s = t.saved.get(i) as Spec, f = frameOf(L, x, s), ys = shapeOf(t, i);
    const k = s.divisor;
    const gradient = unitOf(o, L, x, s, f, k);
    const G = perElement(o, toLines(o, g, ys, f), f);
    addAdjoints(L, x, () => {
      const xDot = L.fusedDot(x);
      let curvature: Value = 0;
      if (g !== 0 && xDot !== 0 && o.kind === 'nodes') {
        // ȳ·H·ẋ as the op normBend(x, ȳ·ẋ) (ȳ is one number per line): its derivatives in x are
        // closed forms too, so a transform over this hvp divides last as well.
        curvature = normBend(L.val(x) as Tensor, o.mul(G, xDot) as Tensor, s);
      } else if (g !== 0 && xDot !== 0) {
        // u·Pẋ is √k·R{y}; ȳ·(Pẋ − u(u·Pẋ)) before the division by k·y, formed as √k·N (a std below
        // 2.5e-324 rounds to 0 where N does not).
        const u = k === 1 ? gradient : unitOf(o, L, x, s, f, 1);
        const slope = toLines(o, k === 1 ? L.dot(i) : o.mul(L.dot(i), Math.sqrt(k)), ys, f);
        const q = o.mul(G, o.sub(project(o, xDot, f), o.mul(u, perElement(o, slope, f))));
        curvature = overNorm(o, q, k === 1 ? toLines(o, L.val(i), ys, f) : o.mul(normOf(o, L, x, s, f), Math.sqrt(k)), f);
      }
      return o.add(o.mul(perElement(o, toLines(o, gDot, ys, f), f), gradient), curvature);
    }, () => o.mul(G, gradient), -1);
  },
};
const NORM = registerRule(normRule);

// The op normUnit, g = u/√k, ∂y/∂x of the op above; with N = ‖Px‖ and the Jacobian (P − uuᵀ)/(√k·N):
//   ġ = (Pẋ − u(u·Pẋ))/(√k·N);  x̄ += r/(√k·N), r = Pḡ − u(u·Pḡ);
//   R{x̄} += (P·R{ḡ} − u(u·P·R{ḡ}) − (p(u·Pḡ) + u(p·Pḡ) + r(u·Pẋ))/N)/(√k·N), p = Pẋ − u(u·Pẋ).
// The 1/√k is in the last division, not a factor after it: ġ of std at 1e-309 is within a factor √k
// of the largest double.
const unitRule: OpRule = {
  name: 'normUnit',
  primal(o, L, i) {
    L.setVal(i, replayLines(o, L, i, true)!);
  },
  tangent(o, L, i) {
    const t = L.tape, x = t.in0[i];
    const xDot = L.fusedDot(x);
    if (xDot === 0) return L.setDot(i, 0);
    const s = t.saved.get(i) as Spec, f = frameOf(L, x, s);
    const u = s.divisor === 1 ? L.val(i) : unitOf(o, L, x, s, f, 1);
    L.setDot(i, overNorm(o, across(o, u, project(o, xDot, f), f), scaledNorm(o, normOf(o, L, x, s, f), s.divisor), f));
  },
  backward(o, L, i) {
    const t = L.tape, x = t.in0[i];
    const gBar = L.bar(i), gBarDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (gBar === 0 && gBarDot === 0) return;
    const s = t.saved.get(i) as Spec, f = frameOf(L, x, s);
    const u = s.divisor === 1 ? L.val(i) : unitOf(o, L, x, s, f, 1);
    const N = normOf(o, L, x, s, f), Nk = scaledNorm(o, N, s.divisor);
    const pBar = project(o, gBar, f);
    const r = across(o, u, pBar, f);
    addAdjoints(L, x, () => {
      const xDot = L.fusedDot(x);
      let bend: Value = 0;
      if (gBar !== 0 && xDot !== 0) {
        const px = project(o, xDot, f);
        const a = along(o, u, pBar, f), c = along(o, u, px, f);
        const p = o.sub(px, o.mul(u, c));
        bend = overNorm(o, o.add(o.add(o.mul(p, a), o.mul(u, along(o, p, pBar, f))), o.mul(r, c)), N, f);
      }
      return overNorm(o, o.sub(across(o, u, project(o, gBarDot, f), f), bend), Nk, f);
    }, () => overNorm(o, r, Nk, f), -1);
  },
};
const UNIT = registerRule(unitRule);

// The op normBend(x, v) = H·v = v⊥/(√k·N), with a⊥ = Pa − u(u·Pa) and αₐ = u·Pa: ȳ·H·ẋ of the op
// above when nested. Linear in v, with the symmetric H; in x its derivatives are those of N, the
// third and fourth, contracted:
//   T(a, b) = −(αₐb⊥ + α_b a⊥ + (a⊥·b⊥)u)/(√k·N²)
//   Q(a, b, c) = −((b⊥·c⊥)a⊥ + (a⊥·c⊥)b⊥ + (a⊥·b⊥)c⊥ − 2(α_bα_c a⊥ + αₐα_c b⊥ + αₐα_b c⊥)
//                 − 2(αₐ(b⊥·c⊥) + α_b(a⊥·c⊥) + α_c(a⊥·b⊥))u)/(√k·N³)
//   Ḃ = H·v̇ + T(v, ẋ);  v̄ += H·B̄,  x̄ += T(v, B̄);
//   R{v̄} += H·R{B̄} + T(B̄, ẋ),  R{x̄} += T(v, R{B̄}) + T(v̇, B̄) + Q(v, B̄, ẋ);
// each bracket formed in full before its divisions by N, so that a third derivative that exceeds the
// largest double is ±∞, not ∞ − ∞ (grad of an hvp was NaN at (1, 2, 3)·1e-300 as two paths of ±∞).
interface Bend {
  readonly o: Algebra;
  readonly f: Frame;
  readonly u: Value;
  readonly N: Value;
  readonly Nk: Value;
}

/** a⊥ and αₐ (per element) of a direction a. */
function split(b: Bend, a: Value): { across: Value; along: Value } {
  const pa = project(b.o, a, b.f);
  return { across: across(b.o, b.u, pa, b.f), along: along(b.o, b.u, pa, b.f) };
}

const inner = (b: Bend, p: Value, q: Value): Value => along(b.o, p, q, b.f);

function bendT(b: Bend, a: ReturnType<typeof split>, c: ReturnType<typeof split>): Value {
  const { o } = b;
  const sum = o.add(o.add(o.mul(a.along, c.across), o.mul(c.along, a.across)), o.mul(inner(b, a.across, c.across), b.u));
  return o.neg(overNorm(o, overNorm(o, sum, b.N, b.f), b.Nk, b.f));
}

function bendQ(b: Bend, a: ReturnType<typeof split>, c: ReturnType<typeof split>, e: ReturnType<typeof split>): Value {
  const { o } = b;
  const ac = inner(b, a.across, c.across), ae = inner(b, a.across, e.across), ce = inner(b, c.across, e.across);
  const cross = o.add(o.add(o.mul(ce, a.across), o.mul(ae, c.across)), o.mul(ac, e.across));
  const pairs = o.add(o.add(o.mul(o.mul(c.along, e.along), a.across), o.mul(o.mul(a.along, e.along), c.across)), o.mul(o.mul(a.along, c.along), e.across));
  const radial = o.mul(o.add(o.add(o.mul(a.along, ce), o.mul(c.along, ae)), o.mul(e.along, ac)), b.u);
  const sum = o.sub(cross, o.mul(2, o.add(pairs, radial)));
  return o.neg(overNorm(o, overNorm(o, overNorm(o, sum, b.N, b.f), b.N, b.f), b.Nk, b.f));
}

const bendRule: OpRule = {
  name: 'normBend',
  primal(o, L, i) {
    const t = L.tape, x = t.in0[i], v = t.in1[i];
    const s = t.saved.get(i) as Spec;
    const { lines, values } = bendValues(o.numbers(L.val(x)) as Float64Array, o.numbers(L.val(v)) as Float64Array, shapeOf(t, x), s);
    s.lines = lines;
    L.setVal(i, values);
  },
  tangent(o, L, i) {
    const t = L.tape, x = t.in0[i], v = t.in1[i];
    const xDot = L.fusedDot(x), vDot = L.fusedDot(v);
    if (xDot === 0 && vDot === 0) return L.setDot(i, 0);
    const b = bendOf(o, L, i);
    const byV = vDot === 0 ? 0 : overNorm(o, split(b, vDot).across, b.Nk, b.f);
    L.setDot(i, o.add(byV, xDot === 0 ? 0 : bendT(b, split(b, L.fusedVal(v)), split(b, xDot))));
  },
  backward(o, L, i) {
    const t = L.tape, x = t.in0[i], v = t.in1[i];
    const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (g === 0 && gDot === 0) return;
    const b = bendOf(o, L, i);
    const xDot = L.sweepBarDot ? L.fusedDot(x) : 0, vDot = L.sweepBarDot ? L.fusedDot(v) : 0;
    const G = g === 0 ? null : split(b, g), V = split(b, L.fusedVal(v)), X = xDot === 0 ? null : split(b, xDot);
    if (L.isActive(v)) {
      addAdjoints(L, v, () => o.add(
        gDot === 0 ? 0 : overNorm(o, split(b, gDot).across, b.Nk, b.f),
        G === null || X === null ? 0 : bendT(b, G, X),
      ), () => (G === null ? 0 : overNorm(o, G.across, b.Nk, b.f)), -1);
    }
    if (L.isActive(x)) {
      addAdjoints(L, x, () => {
        let sum = gDot === 0 ? 0 : bendT(b, V, split(b, gDot));
        if (G !== null && vDot !== 0) sum = o.add(sum, bendT(b, split(b, vDot), G));
        if (G !== null && X !== null) sum = o.add(sum, bendQ(b, V, G, X));
        return sum;
      }, () => (G === null ? 0 : bendT(b, V, G)), -1);
    }
  },
};
const BEND = registerRule(bendRule);

/** u, N and √k·N of normBend node i at the level of `o`. */
function bendOf(o: Algebra, L: Lanes, i: number): Bend {
  const t = L.tape, x = t.in0[i];
  const s = t.saved.get(i) as Spec, f = frameOf(L, x, s);
  const N = normOf(o, L, x, s, f);
  return { o, f, u: unitOf(o, L, x, s, f, 1), N, Nk: scaledNorm(o, N, s.divisor) };
}

/** H·v at x's and v's numbers, with the lines of x. */
function bendValues(xs: Float64Array, vs: Float64Array, shape: Shape, s: Pick<Spec, 'axes' | 'lineShape' | 'center' | 'divisor'>): { lines: Lines; values: Float64Array } {
  const { lines, unit } = linesOf(xs, shape, s.axes, s.center, 1, true);
  const f = frameFor(shape, s);
  const b: Bend = { o: kernels, f, u: unit!, N: lineNumbers(lines.norm, f), Nk: scaledNorm(kernels, lineNumbers(lines.norm, f), s.divisor) };
  const values = kernels.numbers(overNorm(kernels, split(b, vs).across, b.Nk, f));
  return { lines, values: typeof values === 'number' ? new Float64Array(sizeOf(shape)).fill(values) : values.slice() };
}

/** H·v of the op above (its spec `s`: axes, centering, k) as the op normBend, at x and a direction v of x's shape. */
function normBend(x: Tensor, v: Tensor, s: Spec): Tensor {
  const t = checkLive(x.tape, 'norm');
  const { lines, values } = bendValues(x.data, v.data, x.shape, s);
  const active = t.active[x.id] === 1 || t.active[v.id] === 1;
  const y = newTensor(t, BEND, x.id, v.id, active, x.shape, values, null);
  t.saved.set(y.id, { axes: s.axes, center: s.center, divisor: s.divisor, lineShape: s.lineShape, branch: null, lines } satisfies Spec);
  if (active && t.withTangent) bendRule.tangent(t.o, t, y.id);
  return y;
}

/** √k·N (N itself for k = 1). */
const scaledNorm = (o: Algebra, N: Value, divisor: number): Value => (divisor === 1 ? N : o.mul(N, Math.sqrt(divisor)));

/**
 * ‖Px‖/√k over `axes` of x (P the centering along them with `center`, k the `divisor`, 1 by default),
 * as a scalar node when `shape` is the scalar shape, else a tensor of `shape` (the reduced shape, with
 * or without the kept axes). `branch` is what a compiled replay must see unchanged.
 */
export function euclideanNorm(
  x: Tensor, axes: readonly number[], shape: Shape,
  options: { readonly center?: boolean; readonly divisor?: number; readonly branch?: NormBranch | null } = {},
): Scalar | Tensor {
  const t = checkLive(x.tape, 'norm');
  const { center = false, divisor = 1, branch = null } = options;
  const { lines } = linesOf(x.data, x.shape, axes, center, divisor, false);
  const active = t.active[x.id] === 1;
  const lineShape = shape === SCALAR_SHAPE ? SCALAR_SHAPE : keptShape(x.shape, axes);
  const y = shape === SCALAR_SHAPE
    ? newScalar(t, NORM, x.id, NO_INPUT, active, lines.value[0], 0)
    : newTensor(t, NORM, x.id, NO_INPUT, active, shape, lines.value.slice(), null);
  t.saved.set(y.id, { axes, center, divisor, lineShape, branch, lines } satisfies Spec);
  if (active && t.withTangent) normRule.tangent(t.o, t, y.id);
  return y;
}

/** u/√k, u = Px/‖Px‖ over `axes` (0 where Px = 0), of x's shape; `lineShape` as euclideanNorm's. */
function normUnit(x: Tensor, axes: readonly number[], lineShape: Shape, center: boolean, divisor: number): Tensor {
  const t = checkLive(x.tape, 'norm');
  const { lines, unit } = linesOf(x.data, x.shape, axes, center, divisor, true);
  const active = t.active[x.id] === 1;
  const u = newTensor(t, UNIT, x.id, NO_INPUT, active, x.shape, unit!, null);
  t.saved.set(u.id, { axes, center, divisor, lineShape, branch: null, lines } satisfies Spec);
  if (active && t.withTangent) unitRule.tangent(t.o, t, u.id);
  return u;
}
