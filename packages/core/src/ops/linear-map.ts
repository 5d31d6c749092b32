// y = S·x for a constant sparse matrix S (or y = Sᵀ·x): the linear maps behind einsum's diagonals
// (a gather), pooling (a weighted window sum) and their adjoints (a scatter-add).
// Linear with a constant S: R{y} = S·R{x}; x̄ += Sᵀ·ȳ and R{x̄} += Sᵀ·R{ȳ}. The transposed map is the
// same op read the other way, so the pair differentiates again at any order.
// Internal: not exported from the package.
import type { Primitive } from '../algebra/algebra.js';
import { materialize } from '../algebra/numbers.js';
import { shapeOf } from '../lanes.js';
import { Tensor, newTensor } from '../node.js';
import { sizeOf, type Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';

/**
 * S in compressed rows: output r is Σⱼ weight[j]·x[index[j]] for j in offsets[r] … offsets[r+1]−1.
 * `weight` null means every weight is 1 (a gather).
 */
export interface SparseMap {
  readonly inShape: Shape;
  readonly outShape: Shape;
  readonly offsets: Int32Array;
  readonly index: Int32Array;
  readonly weight: Float64Array | null;
  /**
   * For a map chosen from x's values (max pooling picks each window's largest): the map at other
   * values. A compiled replay rebuilds it and reports a branch change when the choice differs.
   */
  readonly rebuild?: (x: Float64Array) => SparseMap;
}

interface Params {
  readonly map: SparseMap;
  readonly transposed: boolean;
}

/** S·x (shape outShape), or Sᵀ·x (shape inShape) when transposed. */
function applyNumbers(x: Float64Array, { map, transposed }: Params): Float64Array {
  const { offsets, index, weight } = map;
  const rows = offsets.length - 1;
  if (!transposed) {
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      if (weight === null) for (let j = offsets[r]; j < offsets[r + 1]; j++) s += x[index[j]];
      else for (let j = offsets[r]; j < offsets[r + 1]; j++) s += weight[j] * x[index[j]];
      y[r] = s;
    }
    return y;
  }
  const y = new Float64Array(sizeOf(map.inShape));
  for (let r = 0; r < rows; r++) {
    const g = x[r];
    if (weight === null) for (let j = offsets[r]; j < offsets[r + 1]; j++) y[index[j]] += g;
    else for (let j = offsets[r]; j < offsets[r + 1]; j++) y[index[j]] += weight[j] * g;
  }
  return y;
}

const LINEAR: Primitive<Params> = {
  name: 'linearMap',
  numbers: (args, shapes, p) => applyNumbers(materialize(args[0], shapes[0]), p),
  nodes(args, _shapes, p) {
    const x = args[0];
    if (x === 0) return 0;
    // Nested lanes of tensor nodes hold nodes (or the symbolic zero), never another number.
    if (!(x instanceof Tensor)) throw new Error('dualtape internal error: linearMap met a lane that is not a tensor node');
    return applyLinearMap(x, p.map, p.transposed);
  },
};

const rule: OpRule = {
  name: 'linearMap',
  linear: true,
  branch(L, i) {
    const { map, transposed } = L.tape.saved.get(i) as Params;
    if (!map.rebuild || transposed) return 0;
    return Float64Array.from(map.rebuild(L.tape.o.numbers(L.val(L.tape.in0[i])) as Float64Array).index);
  },
  tangent(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    const p = t.saved.get(i) as Params;
    const xDot = L.dot(x);
    L.setDot(i, xDot === 0 ? 0 : o.apply(LINEAR, [xDot], [shapeOf(t, x)], p));
  },
  backward(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    const p = t.saved.get(i) as Params;
    const back: Params = { map: p.map, transposed: !p.transposed };
    const ys = shapeOf(t, i);
    const g = L.sweepBar ? L.bar(i) : 0, gDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (g !== 0) L.addBar(x, o.apply(LINEAR, [g], [ys], back));
    if (gDot !== 0) L.addBarDot(x, o.apply(LINEAR, [gDot], [ys], back));
  },
};
const LINEAR_MAP = registerRule(rule);

/** S·x for a tensor x of S's input shape (or Sᵀ·x, x of its output shape, when `transposed`). */
export function applyLinearMap(x: Tensor, map: SparseMap, transposed = false): Tensor {
  const t = checkLive(x.tape, 'linearMap');
  const p: Params = { map, transposed };
  const active = t.active[x.id] === 1;
  const y = newTensor(t, LINEAR_MAP, x.id, NO_INPUT, active, transposed ? map.inShape : map.outShape, applyNumbers(x.data, p), null);
  t.saved.set(y.id, p);
  if (active && t.withTangent) rule.tangent(t.o, t, y.id);
  return y;
}
