// y = ln Σₖ e^(zₖ) over each line of z, the shifted input of logSumExp, logSoftmax and softmax (z = x − m,
// so no e^(zₖ) overflows). With s = softmax(z) = e^(z − y), ⟨a, b⟩ the sum of a·b over a line,
// ã = a − ⟨s, a⟩ and J = diag(s) − ssᵀ (symmetric, J·a = s·ã):
//   ∂y/∂z = s,   ∂²y/∂z² = J
//   R{y} = ⟨s, ż⟩;  z̄ += ȳ·s,  R{z̄} += R{ȳ}·s + ȳ·J·ż
// An op of its own, not log over sum over exp: there R{z̄} came as R{ē}·e + ē·e·ż with
// R{ē} = R{ȳ}/S − ȳ·Ṡ/S², two terms of size |ȳ·ż| whose difference is ȳ·J·ż. Where one element
// dominates its line (s one-hot to the last bit) that cancelled: H·v of logSumExp(p)·p₁ at a saturated
// p was off by 1e-13 of itself. Here J·ż = s·(ż − ⟨s, ż⟩), exactly 0 at such a line. At top level s
// is not formed: the rules scale e^z (kept from the value, as exp's node kept it) by per-line factors
// ȳ/S and R{ȳ}/S + (ȳ/S)·(ż − ẏ), with ẏ = ⟨e^z, ż⟩/S.
// When a transform is nested the rules record two more ops of this file, whose own rules are closed
// forms of the same shape (a difference from the line's mean under s, then the factor s), so that the
// transform over them keeps that order: softmaxLines, s = ∂y/∂z, and softmaxBend, J·u. Composites
// would not: reversed, exp(z − y) sends its adjoint into y, where it meets y's other adjoints, and
// grad∘grad of the reproducer cancelled as before.
// Internal: log-sum-exp.ts records it.
import type { Algebra, Value } from '../algebra/algebra.js';
import { NumberAlgebra, keep } from '../algebra/numbers.js';
import { SCALAR_SHAPE, shapeOf, type Lanes } from '../lanes.js';
import { newScalar, newTensor, type Scalar, type Tensor } from '../node.js';
import { sizeOf, type Shape } from '../shape.js';
import { NO_INPUT, addAdjoints, checkLive, registerRule, type OpRule } from '../tape.js';
import { exp } from './exp.js';
import { alongLines, keptShape, spread, total } from './sum.js';

interface Spec {
  readonly axes: readonly number[];
  /** s at the values recorded or last replayed (z's shape): softmaxLines and softmaxBend. */
  weights: Float64Array;
}

interface LinesSpec {
  readonly axes: readonly number[];
  /** e^z and S = Σ e^z per line (the kept shape), at the values recorded or last replayed. */
  exps: Float64Array;
  sums: Float64Array;
  /** 1 where z = 0 (a line's largest element, z being x − max x), else 0 (z's shape); and their count per line. */
  tops: Float64Array;
  counts: Float64Array;
  /** S − (count of tops) per line, summed without the tops' e⁰ = 1, which would round it away. */
  rests: Float64Array;
}

const kernels = new NumberAlgebra();

/** e^z, and S per line (the kept shape), at z's numbers. */
function exponentials(zs: Float64Array, shape: Shape, axes: readonly number[]): { exps: Float64Array; sums: Float64Array } {
  // As the op exp computes it: one loop, split across the kernel threads where that pays.
  const exps = kernels.numbers(kernels.map(exp, zs));
  if (typeof exps === 'number' || exps === zs) throw new Error('dualtape internal error: logSumExp lost its exponentials');
  // A copy: sumTo returns exps itself when every line is one element.
  return { exps: keep(exps), sums: keep(Float64Array.from(kernels.sumTo(exps, shape, keptShape(shape, axes)) as Float64Array)) };
}

/**
 * What the value and the R-adjoint need beyond S where one element dominates a line: z = x − max x is
 * exactly 0 at the line's largest element(s), whose e⁰ = 1 makes S = 1 + ε, and ln S, 1 − s there
 * and ż − ⟨s, ż⟩ lose the digits of ε (a relative error of 2⁻⁵³/ε). So the lines are also summed
 * without their tops: y = ln(1 + ε) = log1p(ε) from ε itself.
 */
function tops(zs: Float64Array, exps: Float64Array, shape: Shape, axes: readonly number[]): Pick<LinesSpec, 'tops' | 'counts' | 'rests'> {
  const n = zs.length, top = new Float64Array(n), others = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    if (zs[k] === 0) top[k] = 1;
    else others[k] = exps[k];
  }
  const kept = keptShape(shape, axes);
  const perLineSum = (a: Float64Array) => keep(Float64Array.from(kernels.sumTo(a, shape, kept) as Float64Array));
  return { tops: top, counts: perLineSum(top), rests: perLineSum(others) };
}

/** y per line: log1p of the sum without the tops where a line has one (z = 0), else ln S. */
function lineValues({ sums, counts, rests }: Pick<LinesSpec, 'sums' | 'counts' | 'rests'>): Float64Array {
  return sums.map((S, k) => (counts[k] >= 1 ? Math.log1p(rests[k] + (counts[k] - 1)) : Math.log(S)));
}

/** s = e^z/S at z's numbers (z's shape). */
function weightsAt(zs: Float64Array, shape: Shape, axes: readonly number[]): Float64Array {
  const { exps, sums } = exponentials(zs, shape, axes);
  const kept = keptShape(shape, axes);
  return keep(Float64Array.from(kernels.numbers(kernels.div(exps, spread(kernels, sums, kept, shape, axes))) as Float64Array));
}

/** S per line as a value of the output's shape ys (a number for a scalar output). */
const perLine = (sums: Float64Array, ys: Shape): Value => (ys === SCALAR_SHAPE ? sums[0] : sums);

/** What the rules of node i work with at the level of `o`: s, and z itself when nested. */
interface Line {
  readonly o: Algebra;
  readonly s: Value;
  /** z as a node of the enclosing tape (nested), else null. */
  readonly z: Tensor | null;
  readonly zs: Shape;
  readonly axes: readonly number[];
}

/** The Line of node i, whose input z is in0; s given (the node's own value for softmaxLines). */
function lineOf(o: Algebra, L: Lanes, i: number, s?: Value): Line {
  const t = L.tape, z = t.in0[i];
  const spec = t.saved.get(i) as Spec | LinesSpec;
  const nested = o.kind === 'nodes';
  const zNode = nested ? (L.val(z) as Tensor) : null;
  const weights = s ?? (nested ? softmaxLines(zNode!, spec.axes) : (spec as Spec).weights);
  return { o, s: weights, z: zNode, zs: shapeOf(t, z), axes: spec.axes };
}

/** ⟨a, b⟩ over each line, repeated over its elements. */
const along = (l: Line, a: Value, b: Value): Value => alongLines(l.o, a, b, l.zs, keptShape(l.zs, l.axes), l.axes);

/** ã = a − ⟨s, a⟩. */
const centered = (l: Line, a: Value): Value => (a === 0 ? 0 : l.o.sub(a, along(l, l.s, a)));

/** J·a: s·ã, or the op softmaxBend when nested (its derivatives closed forms too). */
function bend(l: Line, a: Value): Value {
  if (a === 0) return 0;
  if (l.z === null) return l.o.mul(l.s, centered(l, a));
  const u = typeof a === 'number' ? l.o.constant(new Float64Array(sizeOf(l.zs)).fill(a), l.zs) : a;
  return softmaxBend(l.z, u as Tensor, l.axes);
}

/** T(a, b) = J·(ã·b̃), the third derivative of y contracted with a and b (ã, b̃ given). */
const third = (l: Line, aCentered: Value, bCentered: Value): Value =>
  (aCentered === 0 || bCentered === 0 ? 0 : bend(l, l.o.mul(aCentered, bCentered)));

const lseRule: OpRule = {
  name: 'logSumExpLines',
  primal(o, L, i) {
    const t = L.tape, z = t.in0[i];
    const spec = t.saved.get(i) as LinesSpec;
    const zs = o.numbers(L.val(z)) as Float64Array, shape = shapeOf(t, z);
    Object.assign(spec, exponentials(zs, shape, spec.axes));
    Object.assign(spec, tops(zs, spec.exps, shape, spec.axes));
    const ys = lineValues(spec);
    L.setVal(i, t.isTensor(i) ? ys : ys[0]);
  },
  tangent(o, L, i) {
    const t = L.tape, z = t.in0[i];
    const zDot = L.fusedDot(z);
    if (zDot === 0) return L.setDot(i, 0);
    const ys = shapeOf(t, i), zs = shapeOf(t, z);
    if (o.kind === 'nodes') {
      const l = lineOf(o, L, i);
      return L.setDot(i, total(o, o.mul(l.s, zDot), zs, ys, l.axes));
    }
    // ⟨s, ż⟩ as Σ e^z·ż / S: s is never formed at top level.
    const { axes, exps, sums } = t.saved.get(i) as LinesSpec;
    L.setDot(i, o.div(total(o, o.mul(exps, zDot), zs, ys, axes), perLine(sums, ys)));
  },
  backward(o, L, i) {
    const t = L.tape, z = t.in0[i];
    const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (g === 0 && gDot === 0) return;
    const ys = shapeOf(t, i), zs = shapeOf(t, z);
    if (o.kind === 'nodes') {
      const l = lineOf(o, L, i);
      const G = spread(o, g, ys, zs, l.axes);
      addAdjoints(L, z, () => {
        const zDot = L.fusedDot(z);
        const moved = gDot === 0 ? 0 : o.mul(spread(o, gDot, ys, zs, l.axes), l.s);
        return g === 0 || zDot === 0 ? moved : o.add(moved, bend(l, o.mul(G, zDot)));
      }, () => o.mul(G, l.s), -1);
      return;
    }
    // ȳ·s and (R{ȳ} + ȳ·(ż − ⟨s, ż⟩))·s as per-line factors over S times e^z.
    const spec = t.saved.get(i) as LinesSpec;
    const { axes, exps, sums } = spec;
    const S = perLine(sums, ys);
    const G = g === 0 ? 0 : spread(o, o.div(g, S), ys, zs, axes);
    addAdjoints(L, z, () => {
      const zDot = L.fusedDot(z);
      let r = gDot === 0 ? 0 : spread(o, o.div(gDot, S), ys, zs, axes);
      if (G !== 0 && zDot !== 0) r = o.add(r, o.mul(G, centeredOnTops(o, spec, zDot, zs, ys)));
      return r === 0 ? 0 : o.mul(r, exps);
    }, () => (G === 0 ? 0 : o.mul(G, exps)), -1);
  },
};
const LINES = registerRule(lseRule);

// The op logSoftmaxLines, yₖ = zₖ − ℓ over each line (logSoftmax of x = z + max x), with
//   ẏ = ż − ⟨s, ż⟩;  z̄ += ȳ − s·Σȳ,  R{z̄} += R{ȳ} − s·ΣR{ȳ} − (J·ż)·Σȳ
// An op of its own, not z − ℓ: there z̄ at a line's dominant element came as ȳ + (−Σȳ)·s, two terms
// whose sum 1 − s kept only the digits of ε that survive next to 1. At top level each difference is
// formed from the small parts: g − s·Σg = g·(1 − s) − s·(Σg − g), with 1 − s = (S − e^z)/S summed
// without the tops at a top, and ż − ⟨s, ż⟩ centred on the tops as in the op above. Nested, the
// rules are those forms written with softmaxLines and softmaxBend (their cancellation stays there).
interface SoftmaxSpec extends LinesSpec {
  /** s = e^z/S and 1 − s = (S − e^z)/S (at a line's top: the sum without the tops, over S), z's shape. */
  weights: Float64Array;
  complements: Float64Array;
}

/** The spec of logSoftmaxLines at z's numbers. */
function softmaxSpecAt(zs: Float64Array, shape: Shape, axes: readonly number[]): SoftmaxSpec {
  const { exps, sums } = exponentials(zs, shape, axes);
  const lines = { axes, exps, sums, ...tops(zs, exps, shape, axes) };
  const line = lineOfElement(shape, axes, lines.sums.length);
  const weights = new Float64Array(zs.length), complements = new Float64Array(zs.length);
  for (let k = 0; k < zs.length; k++) {
    const j = line(k), S = lines.sums[j];
    weights[k] = exps[k] / S;
    complements[k] = (lines.tops[k] === 1 ? lines.rests[j] + (lines.counts[j] - 1) : S - exps[k]) / S;
  }
  return { ...lines, weights, complements };
}

/**
 * Element k's line (its index in the kept shape): by division where the reduced axes are the last
 * ones (a line is a run of elements, as for softmax over its default axis), else from a table.
 */
function lineOfElement(shape: Shape, axes: readonly number[], lines: number): (k: number) => number {
  const rank = shape.length;
  if (axes.every((a) => a >= rank - axes.length)) {
    const run = sizeOf(shape) / Math.max(lines, 1);
    return (k) => Math.floor(k / run);
  }
  const kept = keptShape(shape, axes);
  const table = kernels.numbers(spread(kernels, Float64Array.from({ length: lines }, (_, j) => j), kept, shape, axes)) as Float64Array;
  return (k) => table[k];
}

/**
 * ż − ⟨s, ż⟩ at top level, as d − ⟨s, d⟩ for d = ż − c (equal, as Σs = 1, for any c per line): c the
 * mean of ż over the line's tops makes d 0 there, so at a dominant element the difference is −Σ sₖdₖ
 * over the small weights, where 1 − s there would keep only the digits of 1.
 */
function centeredOnTops(o: Algebra, spec: LinesSpec, zDot: Value, zs: Shape, ys: Shape): Value {
  const { axes, exps, sums, tops: top, counts } = spec;
  const c = o.div(total(o, o.mul(top, zDot), zs, ys, axes), perLine(counts.map((m) => Math.max(m, 1)), ys));
  const d = o.sub(zDot, spread(o, c, ys, zs, axes));
  return o.sub(d, spread(o, o.div(total(o, o.mul(exps, d), zs, ys, axes), perLine(sums, ys)), ys, zs, axes));
}

/**
 * g − s·Σg over each line at top level: g·(1 − s) − s·(Σg − g), each term from the small parts.
 * `sums` is Σg spread over the line (given when the caller has it).
 */
function withoutMean(o: Algebra, spec: SoftmaxSpec, g: Value, zs: Shape, kept: Shape, sums = lineSums(o, g, zs, kept, spec.axes)): Value {
  return o.sub(o.mul(g, spec.complements), o.mul(spec.weights, o.sub(sums, g)));
}

/** Σa over each line, spread back over the line's elements. */
const lineSums = (o: Algebra, a: Value, zs: Shape, kept: Shape, axes: readonly number[]): Value =>
  spread(o, total(o, a, zs, kept, axes), kept, zs, axes);

const logSoftmaxRule: OpRule = {
  name: 'logSoftmaxLines',
  primal(o, L, i) {
    const t = L.tape, z = t.in0[i];
    const spec = t.saved.get(i) as SoftmaxSpec;
    const zs = o.numbers(L.val(z)) as Float64Array;
    Object.assign(spec, softmaxSpecAt(zs, shapeOf(t, z), spec.axes));
    L.setVal(i, logSoftmaxValues(zs, shapeOf(t, z), spec));
  },
  tangent(o, L, i) {
    const t = L.tape, z = t.in0[i];
    const zDot = L.fusedDot(z);
    if (zDot === 0) return L.setDot(i, 0);
    const zs = shapeOf(t, z);
    if (o.kind === 'nodes') return L.setDot(i, centered(lineOf(o, L, i), zDot));
    const spec = t.saved.get(i) as SoftmaxSpec;
    L.setDot(i, centeredOnTops(o, spec, zDot, zs, keptShape(zs, spec.axes)));
  },
  backward(o, L, i) {
    const t = L.tape, z = t.in0[i];
    const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (g === 0 && gDot === 0) return;
    const zs = shapeOf(t, z);
    const spec = t.saved.get(i) as SoftmaxSpec;
    const kept = keptShape(zs, spec.axes);
    if (o.kind === 'nodes') {
      const l = lineOf(o, L, i);
      const minusMean = (a: Value) => (a === 0 ? 0 : o.sub(a, o.mul(l.s, spread(o, total(o, a, zs, kept, l.axes), kept, zs, l.axes))));
      addAdjoints(L, z, () => {
        const zDot = L.fusedDot(z);
        const moved = minusMean(gDot);
        if (g === 0 || zDot === 0) return moved;
        return o.sub(moved, o.mul(bend(l, zDot), spread(o, total(o, g, zs, kept, l.axes), kept, zs, l.axes)));
      }, () => minusMean(g), -1);
      return;
    }
    // Σȳ per line, read by both lanes: formed once.
    const gSums = g === 0 ? 0 : lineSums(o, g, zs, kept, spec.axes);
    addAdjoints(L, z, () => {
      const zDot = L.fusedDot(z);
      const moved = gDot === 0 ? 0 : withoutMean(o, spec, gDot, zs, kept);
      if (g === 0 || zDot === 0) return moved;
      const turned = o.mul(o.mul(spec.weights, centeredOnTops(o, spec, zDot, zs, kept)), gSums);
      return moved === 0 ? o.neg(turned) : o.sub(moved, turned);
    }, () => (g === 0 ? 0 : withoutMean(o, spec, g, zs, kept, gSums)), -1);
  },
};
const LOG_SOFTMAX = registerRule(logSoftmaxRule);

/** zₖ − ℓ of its line, ℓ as logSumExpLines computes it. */
function logSoftmaxValues(zs: Float64Array, shape: Shape, spec: SoftmaxSpec): Float64Array {
  const lse = lineValues(spec), line = lineOfElement(shape, spec.axes, lse.length);
  const y = new Float64Array(zs.length);
  for (let k = 0; k < zs.length; k++) y[k] = zs[k] - lse[line(k)];
  return y;
}

// The op softmaxLines, s = ∂y/∂z of the op above (as that op: z's lines, each with a finite element):
//   ṡ = J·ż;  z̄ += J·ḡ,  R{z̄} += J·(R{ḡ} + g̃·z̃)   (J·R{ḡ} + T(ḡ, ż), T being linear in J)
const softmaxRule: OpRule = {
  name: 'softmaxLines',
  primal(o, L, i) {
    const t = L.tape, z = t.in0[i];
    const spec = t.saved.get(i) as Spec;
    spec.weights = weightsAt(o.numbers(L.val(z)) as Float64Array, shapeOf(t, z), spec.axes);
    L.setVal(i, spec.weights.slice());
  },
  tangent(o, L, i) {
    const zDot = L.fusedDot(L.tape.in0[i]);
    if (zDot === 0) return L.setDot(i, 0);
    L.setDot(i, bend(lineOf(o, L, i, L.val(i)), zDot));
  },
  backward(o, L, i) {
    const t = L.tape, z = t.in0[i];
    const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (g === 0 && gDot === 0) return;
    const l = lineOf(o, L, i, L.val(i));
    addAdjoints(L, z, () => {
      const zDot = L.fusedDot(z);
      const curvature = g === 0 || zDot === 0 ? 0 : o.mul(centered(l, g), centered(l, zDot));
      return bend(l, o.add(gDot, curvature));
    }, () => bend(l, g), -1);
  },
};
const SOFTMAX = registerRule(softmaxRule);

// The op softmaxBend(z, u) = J·u, linear in u, with J symmetric; in z its derivatives are those of
// y, the third and fourth (the cumulants of the distribution s), contracted:
//   T(a, b) = J·(ã·b̃)
//   Q(a, b, c) = J·(ã·b̃·c̃) − s·(ã⟨s, b̃c̃⟩ + b̃⟨s, ãc̃⟩ + c̃⟨s, ãb̃⟩)
//   Ḃ = J·u̇ + T(u, ż) = J·(u̇ + ũ·z̃);  ū += J·B̄,  z̄ += T(u, B̄);
//   R{ū} += J·(R{B̄} + B̃·z̃),  R{z̄} += T(u, R{B̄}) + T(u̇, B̄) + Q(u, B̄, ż)
// Each centered factor is exactly 0 at a saturated line's one element, and s is 0 at the others.
const bendRule: OpRule = {
  name: 'softmaxBend',
  primal(o, L, i) {
    const t = L.tape, z = t.in0[i], u = t.in1[i];
    const spec = t.saved.get(i) as Spec;
    spec.weights = weightsAt(o.numbers(L.val(z)) as Float64Array, shapeOf(t, z), spec.axes);
    const l: Line = { o: kernels, s: spec.weights, z: null, zs: shapeOf(t, z), axes: spec.axes };
    L.setVal(i, Float64Array.from(kernels.numbers(bend(l, o.numbers(L.val(u)))) as Float64Array));
  },
  tangent(o, L, i) {
    const t = L.tape, z = t.in0[i], u = t.in1[i];
    const zDot = L.fusedDot(z), uDot = L.fusedDot(u);
    if (zDot === 0 && uDot === 0) return L.setDot(i, 0);
    const l = lineOf(o, L, i);
    const curvature = zDot === 0 ? 0 : o.mul(centered(l, L.fusedVal(u)), centered(l, zDot));
    L.setDot(i, bend(l, o.add(uDot, curvature)));
  },
  backward(o, L, i) {
    const t = L.tape, z = t.in0[i], u = t.in1[i];
    const g = L.bar(i), gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (g === 0 && gDot === 0) return;
    const l = lineOf(o, L, i);
    const zDot = L.sweepBarDot ? L.fusedDot(z) : 0;
    const G = centered(l, g), Z = centered(l, zDot), U = centered(l, L.fusedVal(u));
    if (L.isActive(u)) {
      addAdjoints(L, u, () => bend(l, o.add(gDot, o.mul(G, Z))), () => bend(l, g), -1);
    }
    if (L.isActive(z)) {
      addAdjoints(L, z, () => {
        const uDot = L.fusedDot(u);
        let sum = o.mul(U, centered(l, gDot));
        if (uDot !== 0) sum = o.add(sum, o.mul(centered(l, uDot), G));
        if (Z === 0 || G === 0) return bend(l, sum);
        sum = o.add(sum, o.mul(o.mul(U, G), Z));
        const pairs = o.add(o.add(o.mul(U, along(l, l.s, o.mul(G, Z))), o.mul(G, along(l, l.s, o.mul(U, Z)))), o.mul(Z, along(l, l.s, o.mul(U, G))));
        return o.sub(bend(l, sum), o.mul(l.s, pairs));
      }, () => third(l, U, G), -1);
    }
  },
};
const BEND = registerRule(bendRule);

/**
 * ln Σ e^z over `axes` of z, as a scalar node when `shape` is the scalar shape, else a tensor of the
 * kept shape (each reduced axis 1). z's lines must each have a finite element or none (no +∞, no NaN:
 * log-sum-exp.ts takes those out first).
 */
export function logSumExpLines(z: Tensor, axes: readonly number[], shape: Shape): Scalar | Tensor {
  const t = checkLive(z.tape, 'logSumExp');
  const { exps, sums } = exponentials(z.data, z.shape, axes);
  const spec: LinesSpec = { axes, exps, sums, ...tops(z.data, exps, z.shape, axes) };
  const values = lineValues(spec);
  const active = t.active[z.id] === 1;
  const y = shape === SCALAR_SHAPE
    ? newScalar(t, LINES, z.id, NO_INPUT, active, values[0], 0)
    : newTensor(t, LINES, z.id, NO_INPUT, active, keptShape(z.shape, axes), values, null);
  t.saved.set(y.id, spec);
  if (active && t.withTangent) lseRule.tangent(t.o, t, y.id);
  return y;
}

/** softmax(z) over `axes`, of z's shape. */
function softmaxLines(z: Tensor, axes: readonly number[]): Tensor {
  const t = checkLive(z.tape, 'logSumExp');
  const weights = weightsAt(z.data, z.shape, axes);
  const active = t.active[z.id] === 1;
  const s = newTensor(t, SOFTMAX, z.id, NO_INPUT, active, z.shape, weights.slice(), null);
  t.saved.set(s.id, { axes, weights } satisfies Spec);
  if (active && t.withTangent) softmaxRule.tangent(t.o, t, s.id);
  return s;
}

/** J·u at z over `axes` (u of z's shape). */
function softmaxBend(z: Tensor, u: Tensor, axes: readonly number[]): Tensor {
  const t = checkLive(z.tape, 'logSumExp');
  const weights = weightsAt(z.data, z.shape, axes);
  const l: Line = { o: kernels, s: weights, z: null, zs: z.shape, axes };
  const values = Float64Array.from(kernels.numbers(bend(l, u.data)) as Float64Array);
  const active = t.active[z.id] === 1 || t.active[u.id] === 1;
  const b = newTensor(t, BEND, z.id, u.id, active, z.shape, values, null);
  t.saved.set(b.id, { axes, weights } satisfies Spec);
  if (active && t.withTangent) bendRule.tangent(t.o, t, b.id);
  return b;
}

/**
 * logSoftmax's regular form over `axes`: zₖ − ln Σ e^(z) of its line, for z = x − max x (each line
 * with a finite element, none +∞ or NaN), of z's shape.
 */
export function logSoftmaxLines(z: Tensor, axes: readonly number[]): Tensor {
  const t = checkLive(z.tape, 'logSoftmax');
  const spec = softmaxSpecAt(z.data, z.shape, axes);
  const active = t.active[z.id] === 1;
  const y = newTensor(t, LOG_SOFTMAX, z.id, NO_INPUT, active, z.shape, logSoftmaxValues(z.data, z.shape, spec), null);
  t.saved.set(y.id, spec);
  if (active && t.withTangent) logSoftmaxRule.tangent(t.o, t, y.id);
  return y;
}
