/**
 * Elementwise functions y = f(a, b) with NumPy broadcasting, given f and its first and second
 * partials. One pair of rules serves them all, written as dual arithmetic on the partials:
 *
 *   tangent:   R{y} = f_a·R{a} + f_b·R{b}
 *   backward:  (ā, R{ā}) += (ȳ, R{ȳ}) · (f_a, f_aa·R{a} + f_ab·R{b})
 *              (b̄, R{b̄}) += (ȳ, R{ȳ}) · (f_b, f_ab·R{a} + f_bb·R{b})
 *
 * Terms of an operand that does not depend on the parameters are skipped, not multiplied by zero:
 * a constant exponent's ∂y/∂b = y·ln a is NaN for a < 0, and 0·NaN would poison the result. Likewise
 * exact zeros in adjoints and tangents are symbolic (see `times`), as in the unary rules.
 * @module
 */
import { Scalar, Tensor, newTensor, type Node, type Operand } from '../node.js';
import { broadcastMap, broadcastShapes } from '../shape.js';
import { registerRule, type Tape } from '../tape.js';
import { times } from './times.js';
import { asNode, asTensor, tapeOfOperands } from './operands.js';

/** Partials of f at one point, written into `out`: [f_a, f_b, f_aa, f_ab, f_bb]. */
export type Partials = (a: number, b: number, y: number, out: Float64Array) => void;

export interface BinaryMath {
  readonly name: string;
  f(a: number, b: number): number;
  partials: Partials;
}

export type BinaryOp = {
  (a: Scalar | number, b: Scalar | number): Scalar;
  (a: Tensor, b: Operand): Tensor;
  (a: Operand, b: Tensor): Tensor;
  (a: Operand, b: Operand): Node;
};

interface Maps {
  /** Output element → element of a (null: same shape, or size 1 when `aScalar`). */
  readonly a: Int32Array | null;
  readonly b: Int32Array | null;
}

const FA = 0, FB = 1, FAA = 2, FAB = 3, FBB = 4;

export function defineBinary(m: BinaryMath): BinaryOp {
  const P = new Float64Array(5);

  const scalarCode = registerRule({
    name: m.name,
    tangent(t, i) {
      t.dot[i] = scalarTangent(t, i, t.in0[i], t.in1[i]);
    },
    backward(t, i) {
      const yBar = t.bar[i];
      const yBarDot = t.barDot[i];
      if (yBar === 0 && yBarDot === 0 && !t.checkFinite) return; // strict mode goes on, to count any 0·∞
      const a = t.in0[i];
      const b = t.in1[i];
      const aActive = t.active[a] === 1;
      const bActive = t.active[b] === 1;
      m.partials(t.val[a], t.val[b], t.val[i], P);
      if (t.sweepBar) {
        if (aActive) t.bar[a] += times(yBar, P[FA]);
        if (bActive) t.bar[b] += times(yBar, P[FB]);
      }
      if (t.sweepBarDot) {
        const aDot = aActive ? t.dot[a] : 0;
        const bDot = bActive ? t.dot[b] : 0;
        if (aActive) t.barDot[a] += times(yBarDot, P[FA]) + times(yBar, times(aDot, P[FAA]) + times(bDot, P[FAB]));
        if (bActive) t.barDot[b] += times(yBarDot, P[FB]) + times(yBar, times(aDot, P[FAB]) + times(bDot, P[FBB]));
      }
    },
  });

  function scalarTangent(t: Tape, i: number, a: number, b: number): number {
    const aActive = t.active[a] === 1;
    const bActive = t.active[b] === 1;
    m.partials(t.val[a], t.val[b], t.val[i], P);
    return (aActive ? times(t.dot[a], P[FA]) : 0) + (bActive ? times(t.dot[b], P[FB]) : 0);
  }

  const tensorCode = registerRule({
    name: m.name,
    tangent(t, i) {
      const y = t.tensorAt(i);
      y.dataDot = tensorTangent(y, t.tensorAt(t.in0[i]), t.tensorAt(t.in1[i]), t.saved.get(i) as Maps);
    },
    backward(t, i) {
      const y = t.tensorAt(i);
      if (!y.bar && !y.barDot) return;
      const a = t.tensorAt(t.in0[i]);
      const b = t.tensorAt(t.in1[i]);
      const maps = t.saved.get(i) as Maps;
      const aActive = t.active[a.id] === 1;
      const bActive = t.active[b.id] === 1;
      const { data: as, dataDot: aDot } = a;
      const { data: bs, dataDot: bDot } = b;
      const { data: ys, bar: yBar, barDot: yBarDot } = y;
      const aBar = aActive && t.sweepBar && yBar ? (a.bar ??= new Float64Array(a.size)) : null;
      const bBar = bActive && t.sweepBar && yBar ? (b.bar ??= new Float64Array(b.size)) : null;
      const wantDot = t.sweepBarDot && (yBarDot || (yBar && (aDot || bDot)));
      const aBarDot = aActive && wantDot ? (a.barDot ??= new Float64Array(a.size)) : null;
      const bBarDot = bActive && wantDot ? (b.barDot ??= new Float64Array(b.size)) : null;
      const aOne = as.length === 1, bOne = bs.length === 1;
      for (let k = 0; k < ys.length; k++) {
        const ka = maps.a ? maps.a[k] : aOne ? 0 : k;
        const kb = maps.b ? maps.b[k] : bOne ? 0 : k;
        m.partials(as[ka], bs[kb], ys[k], P);
        const g = yBar ? yBar[k] : 0;
        if (aBar) aBar[ka] += times(g, P[FA]);
        if (bBar) bBar[kb] += times(g, P[FB]);
        if (aBarDot || bBarDot) {
          const gDot = yBarDot ? yBarDot[k] : 0;
          const ad = aDot ? aDot[ka] : 0;
          const bd = bDot ? bDot[kb] : 0;
          if (aBarDot) aBarDot[ka] += times(gDot, P[FA]) + times(g, times(ad, P[FAA]) + times(bd, P[FAB]));
          if (bBarDot) bBarDot[kb] += times(gDot, P[FB]) + times(g, times(ad, P[FAB]) + times(bd, P[FBB]));
        }
      }
    },
  });

  function tensorTangent(y: Tensor, a: Tensor, b: Tensor, maps: Maps): Float64Array | null {
    const aDot = a.dataDot, bDot = b.dataDot;
    if (!aDot && !bDot) return null;
    const as = a.data, bs = b.data, ys = y.data;
    const aOne = as.length === 1, bOne = bs.length === 1;
    const yDot = new Float64Array(ys.length);
    for (let k = 0; k < ys.length; k++) {
      const ka = maps.a ? maps.a[k] : aOne ? 0 : k;
      const kb = maps.b ? maps.b[k] : bOne ? 0 : k;
      m.partials(as[ka], bs[kb], ys[k], P);
      yDot[k] = (aDot ? times(aDot[ka], P[FA]) : 0) + (bDot ? times(bDot[kb], P[FB]) : 0);
    }
    return yDot;
  }

  /** The hot path of scalar graphs: two live scalars of one tape. */
  function scalarOp(a: Scalar, b: Scalar): Scalar {
    const t = a.tape;
    const ia = a.id;
    const ib = b.id;
    const av = t.val[ia];
    const bv = t.val[ib];
    const active = t.active[ia] === 1 || t.active[ib] === 1;
    const i = t.pushScalar(scalarCode, ia, ib, active);
    t.val[i] = m.f(av, bv);
    t.dot[i] = active && t.withTangent ? scalarTangent(t, i, ia, ib) : 0;
    return new Scalar(t, i);
  }

  function op(a: Operand, b: Operand): Node {
    if (a instanceof Scalar && b instanceof Scalar && a.tape === b.tape && !a.tape.finished) return scalarOp(a, b);
    const t = tapeOfOperands(a, b, m.name);
    if (!(a instanceof Tensor) && !(b instanceof Tensor)) {
      return scalarOp(asNode(a, t, m.name) as Scalar, asNode(b, t, m.name) as Scalar);
    }
    const at = asTensor(a, t, m.name);
    const bt = asTensor(b, t, m.name);
    const shape = broadcastShapes(at.shape, bt.shape, m.name);
    const maps: Maps = {
      a: at.size === 1 ? null : broadcastMap(at.shape, shape),
      b: bt.size === 1 ? null : broadcastMap(bt.shape, shape),
    };
    const as = at.data, bs = bt.data;
    const n = shape.reduce((x, d) => x * d, 1);
    const ys = new Float64Array(n);
    const aOne = as.length === 1, bOne = bs.length === 1;
    for (let k = 0; k < n; k++) {
      ys[k] = m.f(as[maps.a ? maps.a[k] : aOne ? 0 : k], bs[maps.b ? maps.b[k] : bOne ? 0 : k]);
    }
    const active = t.active[at.id] === 1 || t.active[bt.id] === 1;
    const y = newTensor(t, tensorCode, at.id, bt.id, active, shape, ys, null);
    t.saved.set(y.id, maps);
    if (active && t.withTangent) y.dataDot = tensorTangent(y, at, bt, maps);
    return y;
  }
  return op as BinaryOp;
}
