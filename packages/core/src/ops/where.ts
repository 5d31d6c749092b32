// y = mask ? a : b elementwise, for a constant mask. Linear in (a, b) with 0/1 weights:
// R{y} selects R{a} or R{b}; ā += mask·ȳ, b̄ += (1 − mask)·ȳ, and likewise for R{ā}, R{b̄}.
import { ArgumentError, ShapeError } from '../errors.js';
import { Tensor, newTensor, type MaskLike, type Operand } from '../node.js';
import { broadcastMap, broadcastShapes, formatShape, sizeOf, type Shape } from '../shape.js';
import { registerRule } from '../tape.js';
import { asTensor, tapeOfOperands } from '../elementwise/operands.js';

interface Selection {
  readonly pick: Uint8Array;
  readonly a: Int32Array | null;
  readonly b: Int32Array | null;
}

const WHERE = registerRule({
  name: 'where',
  tangent(t, i) {
    const y = t.tensorAt(i);
    y.dataDot = select(t.tensorAt(t.in0[i]).dataDot, t.tensorAt(t.in1[i]).dataDot, t.saved.get(i) as Selection, y.size);
  },
  backward(t, i) {
    const y = t.tensorAt(i);
    const a = t.tensorAt(t.in0[i]);
    const b = t.tensorAt(t.in1[i]);
    const s = t.saved.get(i) as Selection;
    const lanes: Array<[Float64Array | null, 'bar' | 'barDot']> = [];
    if (t.sweepBar) lanes.push([y.bar, 'bar']);
    if (t.sweepBarDot) lanes.push([y.barDot, 'barDot']);
    for (const [g, lane] of lanes) {
      if (!g) continue;
      const aG = t.active[a.id] === 1 ? (a[lane] ??= new Float64Array(a.size)) : null;
      const bG = t.active[b.id] === 1 ? (b[lane] ??= new Float64Array(b.size)) : null;
      for (let k = 0; k < g.length; k++) {
        if (s.pick[k]) { if (aG) aG[index(s.a, k, a.size)] += g[k]; }
        else if (bG) bG[index(s.b, k, b.size)] += g[k];
      }
    }
  },
});

function index(map: Int32Array | null, k: number, size: number): number {
  return map ? map[k] : size === 1 ? 0 : k;
}

function select(a: Float64Array | null, b: Float64Array | null, s: Selection, n: number): Float64Array | null {
  if (!a && !b) return null;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const src = s.pick[k] ? a : b;
    if (src) out[k] = src[index(s.pick[k] ? s.a : s.b, k, src.length)];
  }
  return out;
}

/**
 * Elementwise choice by a constant mask: `a` where the mask is truthy, `b` elsewhere. `a` and `b`
 * broadcast to the mask's shape (a plain array mask is 1-D).
 * @example `where([1, 0, 1], x, 0)` keeps x₀ and x₂
 */
export function where(mask: MaskLike, a: Operand, b: Operand): Tensor {
  const t = tapeOfOperands(a, b, 'where');
  let maskShape: Shape;
  let maskValues: ArrayLike<number | boolean>;
  if (mask instanceof Tensor) {
    if (mask.isActive) throw new ArgumentError('where: the mask must be a constant (it has no derivative)');
    maskShape = mask.shape;
    maskValues = mask.data;
  } else {
    maskShape = [mask.length];
    maskValues = mask;
  }
  const at = asTensor(a, t, 'where');
  const bt = asTensor(b, t, 'where');
  const shape = broadcastShapes(broadcastShapes(at.shape, bt.shape, 'where'), maskShape, 'where');
  if (sizeOf(shape) !== sizeOf(maskShape)) {
    throw new ShapeError(`where: operands of shapes ${formatShape(at.shape)} and ${formatShape(bt.shape)} do not fit the mask's shape ${formatShape(maskShape)}`);
  }
  const pick = new Uint8Array(maskValues.length);
  for (let k = 0; k < pick.length; k++) pick[k] = maskValues[k] ? 1 : 0;
  const s: Selection = {
    pick,
    a: at.size === 1 ? null : broadcastMap(at.shape, shape),
    b: bt.size === 1 ? null : broadcastMap(bt.shape, shape),
  };
  const active = t.active[at.id] === 1 || t.active[bt.id] === 1;
  const y = newTensor(t, WHERE, at.id, bt.id, active, shape, select(at.data, bt.data, s, pick.length)!, null);
  t.saved.set(y.id, s);
  if (active && t.withTangent) y.dataDot = select(at.dataDot, bt.dataDot, s, pick.length);
  return y;
}
