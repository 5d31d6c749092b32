/**
 * Elementwise functions y = f(a, b) with NumPy broadcasting, given f and its first and second
 * partials. One pair of rules serves them all, written as dual arithmetic on the partials:
 *
 *   tangent:   R{y} = f_a·R{a} + f_b·R{b}
 *   backward:  (ā, R{ā}) += (ȳ, R{ȳ}) · (f_a, f_aa·R{a} + f_ab·R{b})
 *              (b̄, R{b̄}) += (ȳ, R{ȳ}) · (f_b, f_ab·R{a} + f_bb·R{b})
 *
 * summed back over the dimensions an operand was broadcast along. The partials are written in the
 * algebra (algebra/algebra.ts), so the same rules record themselves when a transform is nested.
 *
 * Terms of an operand that does not depend on the parameters are not formed at all, not multiplied by
 * zero: a constant exponent's ∂y/∂b = y·ln a is NaN for a < 0 and must not even be evaluated.
 * @module
 */
import type { Algebra, Value } from '../algebra/algebra.js';
import { shapeOf, type Lanes } from '../lanes.js';
import { Scalar, Tensor, constantScalar, newDeferredTensor, newTensor, type ArrayData, type Node, type Operand } from '../node.js';
import { Lazy, isLight, tile } from '../algebra/fusion.js';
import { broadcastShapes, sameShape, sizeOf, tilePeriod, type Shape } from '../shape.js';
import { addAdjoints, registerRule, type OpRule, type Tape } from '../tape.js';
import { asNode, asTensor, tapeOfOperands } from './operands.js';
import { binaryLoop } from './own-loops.js';
import { noExtraArguments } from '../arity.js';

/** A partial derivative in the algebra, at (a, b) with y = f(a, b), all of y's shape. */
export type Partial = (o: Algebra, a: Value, b: Value, y: Value) => Value;

export interface BinaryMath {
  readonly name: string;
  /** y = f(a, b) on numbers. */
  f(a: number, b: number): number;
  /** ∂y/∂a and ∂y/∂b. */
  readonly da: Partial;
  readonly db: Partial;
  /** Second partials; leave out those that vanish identically. */
  readonly daa?: Partial;
  readonly dab?: Partial;
  readonly dbb?: Partial;
  /** For a function with kinks (maximum), which piece (a, b) is on; see UnaryMath.branch. */
  branch?(a: number, b: number): number;
  /**
   * The fused loops' own operation for f, when it has one with the same rounding (a + b, a − b): the
   * op's value is then left as work for its readers to fuse, not computed when it is recorded.
   */
  readonly fused?: '+' | '-';
}

export type BinaryOp = {
  (a: Scalar | number, b: Scalar | number): Scalar;
  (a: Tensor | ArrayData, b: Operand): Tensor;
  (a: Operand, b: Tensor | ArrayData): Tensor;
  (a: Operand, b: Operand): Node;
  /** @internal The op's math, for rules that apply it through the algebra. */
  readonly math: BinaryMath;
};

/** x of shape `from` broadcast to `to` (as is when they agree). */
export function expand(o: Algebra, x: Value, from: Shape, to: Shape): Value {
  return x === 0 || from === to || sameShape(from, to) ? x : o.broadcastTo(x, from, to);
}

/** An adjoint of shape `from` summed back to an operand's shape `to`. */
export function reduce(o: Algebra, g: Value, from: Shape, to: Shape): Value {
  return g === 0 || from === to || sameShape(from, to) ? g : o.sumTo(g, from, to);
}

/** partial·factor, with the partial evaluated only when the factor can make the product nonzero. */
function term(o: Algebra, factor: Value, partial: Partial | undefined, a: Value, b: Value, y: Value): Value {
  return factor === 0 || partial === undefined ? 0 : o.mul(factor, partial(o, a, b, y));
}

export function defineBinary(m: BinaryMath): BinaryOp {
  const rule: OpRule = {
    name: m.name,
    primal: binaryPrimal(() => self),
    ...(m.branch ? { branch: binaryBranch(m.branch) } : {}),
    tangent(o, L, i) {
      const t = L.tape;
      const a = t.in0[i], b = t.in1[i];
      const ys = shapeOf(t, i);
      const A = expand(o, L.fusedVal(a), shapeOf(t, a), ys);
      const B = expand(o, L.fusedVal(b), shapeOf(t, b), ys);
      const aDot = expand(o, L.fusedDot(a), shapeOf(t, a), ys);
      const bDot = expand(o, L.fusedDot(b), shapeOf(t, b), ys);
      const y = L.fusedVal(i);
      L.setDot(i, o.add(term(o, aDot, m.da, A, B, y), term(o, bDot, m.db, A, B, y)));
    },
    backward(o, L, i) {
      const t = L.tape;
      const g = L.bar(i), gDot = L.barDot(i);
      if (g === 0 && gDot === 0 && !t.checkFinite) return; // strict mode goes on, to count any 0·∞
      const a = t.in0[i], b = t.in1[i];
      const ys = shapeOf(t, i), as = shapeOf(t, a), bs = shapeOf(t, b);
      const A = expand(o, L.fusedVal(a), as, ys);
      const B = expand(o, L.fusedVal(b), bs, ys);
      const y = L.fusedVal(i);
      const aActive = L.isActive(a), bActive = L.isActive(b);
      const aDot = L.sweepBarDot && aActive ? expand(o, L.fusedDot(a), as, ys) : 0;
      const bDot = L.sweepBarDot && bActive ? expand(o, L.fusedDot(b), bs, ys) : 0;
      // (x̄, R{x̄}) += (ȳ, R{ȳ})·(d, R{d}) for each active operand x with partial d, summed back to x's
      // shape; R{d} is formed only when ȳ can multiply it. R{x̄} goes before x̄, so the last operand's
      // two writes are the last reads of R{ȳ} and of ȳ: a freeing sweep may put them in those arrays
      // (`i` as spent: Lanes.addBar). On the tape's own lanes each operand's two are one loop (addAdjoints).
      if (aActive) {
        const d = m.da(o, A, B, y);
        addAdjoints(L, a, () => {
          const dDot = g === 0 ? 0 : o.add(term(o, aDot, m.daa, A, B, y), term(o, bDot, m.dab, A, B, y));
          return reduce(o, o.add(o.mul(gDot, d), o.mul(g, dDot)), ys, as);
        }, () => reduce(o, o.mul(g, d), ys, as), bActive ? -1 : i);
      }
      if (bActive) {
        const d = m.db(o, A, B, y);
        addAdjoints(L, b, () => {
          const dDot = g === 0 ? 0 : o.add(term(o, aDot, m.dab, A, B, y), term(o, bDot, m.dbb, A, B, y));
          return reduce(o, o.add(o.mul(gDot, d), o.mul(g, dDot)), ys, bs);
        }, () => reduce(o, o.mul(g, d), ys, bs), i);
      }
    },
  };
  const code = registerRule(rule);

  const self = Object.assign(binaryRecorder(m, code, rule), { math: m }) as BinaryOp;
  return self;
}

/** The primal rule of a binary elementwise op: y = f(a, b) at the inputs' current values, broadcast. */
export function binaryPrimal(op: () => BinaryOp): (o: Algebra, L: Lanes, i: number) => void {
  return (o, L, i) => {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    L.setVal(i, o.map2(op(), seen(o, t, L.fusedVal(a), a, i), seen(o, t, L.fusedVal(b), b, i)));
  };
}

/** The branch rule of a binary op with kinks: the piece of each element pair. */
export function binaryBranch(which: (a: number, b: number) => number): (L: Lanes, i: number) => number | Float64Array {
  return (L, i) => {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    const o = t.o;
    const A = o.numbers(seen(o, t, L.val(a), a, i)), B = o.numbers(seen(o, t, L.val(b), b, i));
    return o.numbers(o.step2(A, B, which)) as number | Float64Array;
  };
}

/** A number or a scalar node: what a binary op combines into a scalar (anything else is a tensor or an error). */
function isScalarOperand(x: Operand): boolean {
  return typeof x === 'number' || x instanceof Scalar;
}

/**
 * The op function of a binary op whose rule `rule` is registered as `code`: scalars, numbers and
 * broadcast tensors. Ops that write their rule out in their own file use it for everything but the
 * scalar hot path (see scalar-fast-path.ts).
 */
export function binaryRecorder(m: BinaryMath, code: number, rule: OpRule): (a: Operand, b: Operand) => Node {
  /** Two scalar nodes of one tape: the hot path of scalar graphs. */
  function scalarOp(t: Tape, ia: number, ib: number): Scalar {
    const active = t.active[ia] === 1 || t.active[ib] === 1;
    const i = t.pushScalar(code, ia, ib, active);
    t.vals[i] = m.f(t.vals[ia], t.vals[ib]);
    t.dots[i] = 0;
    if (active && t.withTangent) rule.tangent(t.o, t, i);
    return new Scalar(t, i);
  }

  function op(a: Operand, b: Operand): Node {
    if (arguments.length > 2) refuseThirdOperand(m.name, arguments);
    if (a instanceof Scalar && !a.tape.finished) {
      if (b instanceof Scalar && a.tape === b.tape) return scalarOp(a.tape, a.id, b.id);
      if (typeof b === 'number') return scalarOp(a.tape, a.id, constantScalar(a.tape, b).id);
    }
    const t = tapeOfOperands(a, b, m.name);
    // Only scalars and numbers make a scalar: plain array data is a tensor operand too (it was read
    // as a scalar node's id, so add(s, [1, 2]) returned a Scalar and mul(s, [1, 2]) an internal error).
    if (isScalarOperand(a) && isScalarOperand(b)) {
      return scalarOp(t, asNode(a, t, m.name).id, asNode(b, t, m.name).id);
    }
    const at = asTensor(a, t, m.name);
    const bt = asTensor(b, t, m.name);
    const shape = broadcastShapes(at.shape, bt.shape, m.name);
    const active = t.active[at.id] === 1 || t.active[bt.id] === 1;
    const work = m.fused ? deferredWork(m.fused, at, bt, shape) : null;
    const y = work
      ? newDeferredTensor(t, code, at.id, bt.id, active, shape, work)
      : newTensor(t, code, at.id, bt.id, active, shape, primal(at, bt, shape), null);
    if (active && t.withTangent) rule.tangent(t.o, t, y.id);
    return y;
  }

  /**
   * a ∘ b as work left undone (∘ the fused loops' + or −), when it is light (isLight) and each operand
   * is read in place: full, one number, or a tile (a bias). A deferred operand's own work is folded in.
   */
  function deferredWork(kind: '+' | '-', a: Tensor, b: Tensor, shape: Shape): Lazy | null {
    const n = sizeOf(shape);
    const A = n > 0 ? operandWork(a, shape, n) : null;
    const B = A === null ? null : operandWork(b, shape, n);
    if (A === null || B === null) return null;
    const e = new Lazy(kind, A, B, n);
    return isLight(e, heldByNodes) ? e : null;
  }

  function operandWork(x: Tensor, shape: Shape, n: number): Lazy | Float64Array | number | null {
    if (x.size === n) return x.dataWork ?? x.data;
    if (x.size === 1) return x.data[0];
    return tilePeriod(x.shape, shape) > 0 ? tile(x.data, n) : null;
  }

  function primal(a: Tensor, b: Tensor, shape: Shape): Float64Array {
    const as = a.data, bs = b.data;
    const ys = new Float64Array(sizeOf(shape));
    const f = m.f;
    const n = ys.length;
    // Full, a number, or repeated along leading axes (a bias added to each row): read in place.
    if (as.length === n && (bs.length === n || bs.length === 1 || tilePeriod(b.shape, shape) > 0)) {
      binaryLoop(f)(as, bs, ys, bs.length === n ? 0 : 1);
    } else if (bs.length === n && (as.length === 1 || tilePeriod(a.shape, shape) > 0)) {
      binaryLoop(f)(as, bs, ys, 2);
    } else {
      // General broadcasting: expand each operand to the result's shape first (row by row, no map).
      const o = a.tape.o;
      const A = o.numbers(o.broadcastTo(as, a.shape, shape)) as Float64Array;
      const B = o.numbers(o.broadcastTo(bs, b.shape, shape)) as Float64Array;
      for (let k = 0; k < ys.length; k++) ys[k] = f(A.length === 1 ? A[0] : A[k], B.length === 1 ? B[0] : B[k]);
    }
    return ys;
  }

  return op;
}

/** A trace's note on a sum left undone (deferredWork): its readers computed it in their own loops. */
export function deferredSum(t: Tape, i: number): string | undefined {
  if (!t.isTensor(i)) return undefined;
  const y = t.tensorAt(i);
  return y.dataWork !== null || y.dotWork !== null ? 'left undone: computed inside the loops that read it' : undefined;
}

/** Arrays a deferred sum reads are its operands' values (a bias's too), which their nodes hold. */
const heldByNodes = (): boolean => true;

/** Operand j's lane value `v` as node i sees it: broadcast to i's shape (scalar nodes need nothing). */
export function seen(o: Algebra, t: Tape, v: Value, j: number, i: number): Value {
  return t.slot[i] < 0 ? v : expand(o, v, shapeOf(t, j), shapeOf(t, i));
}

/** An adjoint contribution of node i's shape, summed back to operand j's shape. */
export function back(o: Algebra, t: Tape, g: Value, i: number, j: number): Value {
  return t.slot[i] < 0 ? g : reduce(o, g, shapeOf(t, i), shapeOf(t, j));
}

/**
 * A binary op given a third argument: it takes two operands (nested calls combine more, as does
 * `terms.reduce(add)`, which noExtraArguments lets through).
 */
export function refuseThirdOperand(name: string, given: ArrayLike<unknown>): void {
  noExtraArguments(name, given, 2, `${name}(a, b)`, `for more operands nest the calls: ${name}(${name}(a, b), c), or terms.reduce(${name})`);
}
