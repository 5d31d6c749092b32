// The convolution y = conv(x, W) and the two products its rules need, as one family of bilinear ops.
// All three are partial derivatives of one trilinear form, T(x, W, ḡ) = ⟨ḡ, conv(x, W)⟩:
//
//   'y'  y  = ∂T/∂ḡ = conv(x, W)              the convolution            (operands x, W)
//   'x'  x̄  = ∂T/∂x = convᵀ_x(ḡ, W)            a transposed convolution   (operands ḡ, W)
//   'w'  W̄  = ∂T/∂W = corr(x, ḡ)               a correlation of x with ḡ  (operands x, ḡ)
//
// Each is linear in each operand, so for z = ∂T/∂s (operands p, q in slots sp, sq):
//   R{z} = ∂T/∂s(R{p}, q) + ∂T/∂s(p, R{q})
//   p̄ += ∂T/∂sp with z̄ in slot s and q in slot sq,   R{p̄} += the same with R{z̄}, and with z̄ and R{q}
// — the rules of every member are written once, in terms of the members, so the input adjoint and
// the filter adjoint are ops with rules of their own and nest to any order. Numbers go through
// im2col + GEMM (conv-kernels.ts).
import type { Algebra, Primitive, Value } from '../algebra/algebra.js';
import { materialize } from '../algebra/numbers.js';
import { Tensor, constantTensor, newTensor, onTape, type Node } from '../node.js';
import { sizeOf, type Shape } from '../shape.js';
import { commonTape, registerRule, type OpRule } from '../tape.js';
import type { ConvGeometry } from './conv-geometry.js';
import { convFilterAdjoint, convForward, convInputAdjoint, fullCols, zerosFor } from './conv-kernels.js';

/** The slot a member computes: the output 'y' (its adjoint is ḡ), the input 'x', the filter 'w'. */
export type Slot = 'y' | 'x' | 'w';

/** The operands' slots of each member, in argument order. */
const OPERANDS: Readonly<Record<Slot, readonly [Slot, Slot]>> = { y: ['x', 'w'], x: ['y', 'w'], w: ['x', 'y'] };

/** The shape of each slot. */
function shapeOfSlot(g: ConvGeometry, slot: Slot): Shape {
  if (slot === 'x') return [g.n, g.h, g.w, g.c];
  if (slot === 'w') return [g.fh, g.fw, g.c / g.groups, g.k];
  return [g.n, g.oh, g.ow, g.k];
}

/**
 * cols (conv-kernels.ts) of the arrays a convolution's terms read as x — its primal input and that
 * input's tangent — kept on the node for the rest of the call: each is read again by a filter
 * adjoint in the reverse sweep. Lane arrays are never written in place, so the array identifies
 * its cols. Only a convolution whose batch fits one chunk keeps any (memory stays bounded).
 */
class KnownCols {
  private readonly xs: Float64Array[] = [];
  private readonly cols: Float64Array[] = [];
  constructor(private readonly g: ConvGeometry) {}

  /**
   * Drops what was kept, but the cols of `x` (when given): a compiled replay writes new values, and
   * the parameters' arrays are written in place, so an array no longer identifies its cols.
   */
  keepOnly(x: Float64Array | null): void {
    const k = x === null ? -1 : this.xs.indexOf(x);
    const cols = k >= 0 ? this.cols[k] : null;
    this.xs.length = 0;
    this.cols.length = 0;
    if (cols !== null) {
      this.xs.push(x!);
      this.cols.push(cols);
    }
  }

  of(x: Float64Array): Float64Array | null {
    const k = this.xs.indexOf(x);
    if (k >= 0) return this.cols[k];
    if (this.xs.length === 2) return null;
    const cols = fullCols(x, this.g);
    if (cols !== null) {
      this.xs.push(x);
      this.cols.push(cols);
    }
    return cols;
  }
}

interface Params {
  readonly geometry: ConvGeometry;
  readonly slot: Slot;
  /** The tape's algebra on numbers (products keep structural zeros), null for a primal. */
  readonly o: Algebra | null;
  /** cols of x for the terms of an active convolution (null for other members and primals of constants). */
  readonly known: KnownCols | null;
}

function numbers(slot: Slot, p: Float64Array, q: Float64Array, g: ConvGeometry, o: Algebra | null, known: KnownCols | null): Float64Array {
  const zeros = zerosFor(o, p, q);
  const cols = known !== null && slot !== 'x' ? known.of(p) : null;
  if (slot === 'y') return convForward(p, q, g, zeros, cols);
  if (slot === 'x') return convInputAdjoint(p, q, g, zeros);
  return convFilterAdjoint(p, q, g, zeros, cols);
}

const CONV: Primitive<Params> = {
  name: 'conv',
  numbers(args, _shapes, { geometry, slot, o, known }) {
    const [sp, sq] = OPERANDS[slot];
    return numbers(slot, materialize(args[0], shapeOfSlot(geometry, sp)), materialize(args[1], shapeOfSlot(geometry, sq)), geometry, o, known);
  },
  nodes(args, _shapes, { geometry, slot }) {
    const tape = (args[0] instanceof Tensor ? args[0] : (args[1] as Node)).tape;
    const [sp, sq] = OPERANDS[slot];
    const tensorOf = (x: Node | number, s: Slot): Tensor => {
      const shape = shapeOfSlot(geometry, s);
      return typeof x === 'number' ? constantTensor(tape, new Float64Array(sizeOf(shape)).fill(x), shape) : (x as Tensor);
    };
    return convolutionTerm(slot, tensorOf(args[0], sp), tensorOf(args[1], sq), geometry);
  },
};

/** ∂T/∂slot with the other two slots' values given in `at`, in the algebra (0 if either is 0). */
function term(o: Algebra, slot: Slot, at: Readonly<Partial<Record<Slot, Value>>>, saved: Params): Value {
  const [sp, sq] = OPERANDS[slot];
  const p = at[sp]!, q = at[sq]!;
  if (p === 0 || q === 0) return 0;
  const g = saved.geometry;
  return o.apply(CONV, [p, q], [shapeOfSlot(g, sp), shapeOfSlot(g, sq)], { geometry: g, slot, o, known: saved.known });
}

const rule: OpRule = {
  name: 'conv',
  // A compiled replay: the member again at its operands' current values, as recorded (cols kept anew).
  primal(o, L, i) {
    const t = L.tape;
    const { geometry, slot, known } = t.saved.get(i) as Params;
    known?.keepOnly(null);
    const p = o.numbers(L.val(t.in0[i])) as Float64Array, q = o.numbers(L.val(t.in1[i])) as Float64Array;
    L.setVal(i, numbers(slot, p, q, geometry, null, known));
  },
  tangent(o, L, i) {
    const t = L.tape;
    const saved = t.saved.get(i) as Params;
    const [sp, sq] = OPERANDS[saved.slot];
    const p = t.in0[i], q = t.in1[i];
    // New tangents (hvpOperator's apply, or a compiled program's, which writes the parameters'
    // tangents in place): only the cols of x's value may still be right.
    if (saved.known !== null && o.kind === 'numbers') saved.known.keepOnly(o.numbers(L.val(p)) as Float64Array);
    L.setDot(i, o.add(
      term(o, saved.slot, { [sp]: L.dot(p), [sq]: L.val(q) }, saved),
      term(o, saved.slot, { [sp]: L.val(p), [sq]: L.dot(q) }, saved),
    ));
  },
  backward(o, L, i) {
    const t = L.tape;
    const saved = t.saved.get(i) as Params;
    const slot = saved.slot;
    const zBar = L.bar(i), zBarDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (zBar === 0 && zBarDot === 0) return;
    const [sp, sq] = OPERANDS[slot];
    const inputs: [number, Slot, number, Slot][] = [[t.in0[i], sp, t.in1[i], sq], [t.in1[i], sq, t.in0[i], sp]];
    for (const [x, sx, other, so] of inputs) {
      if (!L.isActive(x)) continue;
      if (L.sweepBar) L.addBar(x, term(o, sx, { [slot]: zBar, [so]: L.val(other) }, saved));
      if (L.sweepBarDot) {
        L.addBarDot(x, o.add(
          term(o, sx, { [slot]: zBarDot, [so]: L.val(other) }, saved),
          term(o, sx, { [slot]: zBar, [so]: L.dot(other) }, saved),
        ));
      }
    }
  },
};
const CONVOLUTION = registerRule(rule);

/**
 * One member of the family, recorded: `slot` 'y' is conv(p = x, q = W), 'x' the input adjoint
 * (p = ḡ, q = W), 'w' the filter adjoint (p = x, q = ḡ). Operands must have their slots' shapes.
 * Internal: conv2d and conv1d call it with slot 'y'.
 */
export function convolutionTerm(slot: Slot, p: Tensor, q: Tensor, geometry: ConvGeometry): Tensor {
  const t = commonTape(p.tape, q.tape, 'conv');
  // An operand made outside the transform (an eager node) comes in as a constant of this tape.
  p = onTape(p, t, 'conv') as Tensor;
  q = onTape(q, t, 'conv') as Tensor;
  const active = t.active[p.id] === 1 || t.active[q.id] === 1;
  const params: Params = { geometry, slot, o: null, known: slot === 'y' && active ? new KnownCols(geometry) : null };
  const data = numbers(slot, p.data, q.data, geometry, null, params.known);
  const z = newTensor(t, CONVOLUTION, p.id, q.id, active, shapeOfSlot(geometry, slot), data, null);
  t.saved.set(z.id, params);
  if (active && t.withTangent) rule.tangent(t.o, t, z.id);
  return z;
}

export { shapeOfSlot };
