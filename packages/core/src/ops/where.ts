// y = mask ? a : b elementwise; mask, a and b broadcast together. Linear in (a, b) with 0/1 weights:
// R{y} selects R{a} or R{b}; ā += mask·ȳ, b̄ += (1 − mask)·ȳ, each summed back over its broadcast
// dimensions, and likewise for R{ā}, R{b̄}. y depends on the mask only through which entries are
// nonzero, a piecewise-constant function of it: no derivative flows into the mask, whether it is data
// or a node that depends on x (sign(s), relu(s)), and the latter is watched by compiled replays.
import type { Value } from '../algebra/algebra.js';
import { ArgumentError } from '../errors.js';
import { expand, reduce } from '../elementwise/binary.js';
import { asTensor, tapeOfOperands } from '../elementwise/operands.js';
import { shapeOf } from '../lanes.js';
import { Tensor, describeValue, isNode, newTensor, type MaskLike, type Operand } from '../node.js';
import { broadcastMap, broadcastShapes, sizeOf, type Shape } from '../shape.js';
import { CONSTANT, addAdjoints, checkLive, registerRule, type OpRule } from '../tape.js';
import { noExtraArguments } from './op-args.js';

const rule: OpRule = {
  linear: true,
  name: 'where',
  // A mask that is a computed node (a function of values, such as norm(x, 0)) may differ at another
  // point: a compiled replay sees it here. `aux` holds that node (−1 for a mask that cannot change).
  branch(L, i) {
    const t = L.tape;
    const mask = t.aux[i];
    if (mask < 0) return 0;
    return Float64Array.from(pickOf(t.o.numbers(L.val(mask)) as ArrayLike<number>, shapeOf(t, mask), shapeOf(t, i)));
  },
  tangent(o, L, i) {
    const t = L.tape;
    const a = t.in0[i], b = t.in1[i];
    const ys = shapeOf(t, i);
    const aDot = expand(o, L.dot(a), shapeOf(t, a), ys), bDot = expand(o, L.dot(b), shapeOf(t, b), ys);
    L.setDot(i, aDot === 0 && bDot === 0 ? 0 : o.select(t.saved.get(i) as Uint8Array, aDot, bDot, ys));
  },
  backward(o, L, i) {
    const t = L.tape;
    const pick = t.saved.get(i) as Uint8Array;
    const ys = shapeOf(t, i);
    const a = t.in0[i], b = t.in1[i];
    for (const [x, mine] of [[a, 1], [b, 0]]) {
      if (!L.isActive(x)) continue;
      const xs = shapeOf(t, x);
      const part = (g: Value): Value =>
        g === 0 ? 0 : reduce(o, mine ? o.select(pick, g, 0, ys) : o.select(pick, 0, g, ys), ys, xs);
      addAdjoints(L, x, () => part(L.barDot(i)), () => part(L.bar(i)), -1);
    }
  },
};
const WHERE = registerRule(rule);

/**
 * 1 where the mask (broadcast to `shape`) is nonzero or true, 0 elsewhere. NaN is nonzero (as in
 * NumPy and JAX): it picks `a`, so a NaN mask shows in y instead of being read as false.
 */
function pickOf(maskValues: ArrayLike<number | boolean>, maskShape: Shape, shape: Shape): Uint8Array {
  const n = sizeOf(shape);
  const maskMap = broadcastMap(maskShape, shape);
  const pick = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const m = maskValues[maskMap ? maskMap[k] : k];
    pick[k] = m === true || (m !== false && m !== 0) ? 1 : 0;
  }
  return pick;
}

/**
 * A nested array mask (NumPy's where([[True, False], …], a, b)): its shape, read from the first
 * entry at each level, and its entries in row-major order; ragged levels or entries other than
 * numbers and booleans are an ArgumentError naming the place.
 */
function nestedMask(mask: readonly unknown[]): { shape: Shape; values: Array<number | boolean> } {
  const shape: number[] = [];
  for (let level: unknown = mask; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    if (level.length === 0 || shape.length > 64) break;
  }
  const values: Array<number | boolean> = [];
  const walk = (part: unknown, depth: number, where: string): void => {
    if (depth === shape.length) {
      if (typeof part !== 'number' && typeof part !== 'boolean') {
        throw new ArgumentError(`where: mask${where} is ${describeValue(part)}; the mask's entries must be numbers or booleans, in a rectangular nested array`);
      }
      values.push(part);
      return;
    }
    if (!Array.isArray(part) || part.length !== shape[depth]) {
      throw new ArgumentError(`where: mask${where} is ${describeValue(part)} where an array of length ${shape[depth]} belongs; a nested mask must be rectangular`);
    }
    // An index loop, as tensorData's: forEach skips holes, which must be reported instead.
    for (let k = 0; k < part.length; k++) walk(part[k], depth + 1, `${where}[${k}]`);
  };
  walk(mask, 0, '');
  return { shape, values };
}

/** A plain mask's entries: numbers or booleans only (a nested array or a string would read as true). */
function checkMaskEntries(mask: ArrayLike<unknown>): void {
  for (let k = 0; k < mask.length; k++) {
    const m = mask[k];
    if (typeof m === 'number' || typeof m === 'boolean') continue;
    throw new ArgumentError(`where: mask[${k}] is ${describeValue(m)}; the mask's entries must be numbers or booleans`);
  }
}

/**
 * Elementwise choice: `a` where the mask is nonzero or true (NaN counts as nonzero, as in NumPy), `b`
 * elsewhere. Mask, `a` and `b` broadcast together: the mask is a tensor, an array of numbers or
 * booleans (nested for more axes, as NumPy reads a nested list) or one boolean or number for every
 * element; e.g. a `[m, n]` mask against a batch `[b, m, n]`.
 *
 * The mask may be data or a tensor node, also one that depends on x (`relu(sign(s))`: 1 where
 * s > 0). y depends on the mask only through which entries are nonzero, which is piecewise constant,
 * so no derivative flows into it (0, as for `sign`); only the picked operand's derivatives flow, so a
 * non-finite value in the other one (`log` of a negative number) stays out of y, ∇ and H·v. A mask
 * node is on the tape, so a compiled replay notices when it changes; a mask built from `.value` is
 * data, fixed when f was recorded.
 *
 * @example
 * ```ts
 * where([1, 0, 1], x, 0);                       // keeps x₀ and x₂
 * where(relu(sign(x)), x.log(), x.square());    // log x where x > 0, x² elsewhere
 * ```
 */
export function where(mask: MaskLike, a: Operand, b: Operand): Tensor {
  if (arguments.length > 3) noExtraArguments('where', arguments, 3, 'where(mask, a, b)');
  const t = tapeOfOperands(a, b, 'where');
  let maskShape: Shape;
  let maskValues: ArrayLike<number | boolean>;
  if (mask instanceof Tensor) {
    // A finished call's node still holds its numbers, but reading them is a stale use like any other.
    checkLive(mask.tape, 'where');
    maskShape = mask.shape;
    maskValues = mask.data;
  } else if (typeof mask === 'boolean' || typeof mask === 'number') {
    // One condition for every element (NumPy's where(True, a, b)).
    maskShape = [];
    maskValues = [mask];
  } else if (Array.isArray(mask) && mask.some((m) => Array.isArray(m))) {
    ({ shape: maskShape, values: maskValues } = nestedMask(mask));
  } else if (mask !== null && typeof mask === 'object' && !isNode(mask) && typeof (mask as ArrayLike<unknown>).length === 'number') {
    checkMaskEntries(mask);
    maskShape = [mask.length];
    maskValues = mask as ArrayLike<number | boolean>; // checked just above
  } else {
    throw new ArgumentError(`where: the mask must be a tensor or an array of numbers or booleans, got ${describeValue(mask)}`);
  }
  const at = asTensor(a, t, 'where');
  const bt = asTensor(b, t, 'where');
  const shape = broadcastShapes(broadcastShapes(at.shape, bt.shape, 'where'), maskShape, 'where');
  const pick = pickOf(maskValues, maskShape, shape);
  const A = t.o.broadcastTo(at.data, at.shape, shape), B = t.o.broadcastTo(bt.data, bt.shape, shape);
  const active = t.active[at.id] === 1 || t.active[bt.id] === 1;
  const y = newTensor(t, WHERE, at.id, bt.id, active, shape, t.o.select(pick, A, B) as Float64Array, null);
  t.saved.set(y.id, pick);
  t.aux[y.id] = mask instanceof Tensor && mask.tape === t && t.op[mask.id] !== CONSTANT ? mask.id : -1;
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}
