/**
 * Sparsity rules of ops that move, pick or add up elements: all linear, so they add no interaction;
 * each result element depends on exactly the elements it reads. Ops that only move elements run
 * their own numeric kernel on the element handles (as numbers), so the element order is the op's
 * by construction. The one nonlinear rule here, normOfLines, groups elements by line as the
 * reductions do.
 * @module
 */
import { NumberAlgebra, axisView } from '../algebra/numbers.js';
import type { SparseMap } from '../ops/linear-map.js';
import type { IndexMap } from '../ops/index-map.js';
import { keptShape } from '../ops/sum.js';
import { broadcastMap, sizeOf, type Shape } from '../shape.js';
import { NOTHING } from './element-graph.js';
import type { SparsityRule } from './elementwise-sparsity.js';
import type { Walk } from './walk.js';

const kernels = new NumberAlgebra();

/** Node x's element handles as numbers (0 where none), for a moving kernel. */
function handlesOf(w: Walk, x: number): Float64Array {
  const e = w.elements(x);
  return e === null ? new Float64Array(w.size(x)) : Float64Array.from(e);
}

function setMoved(w: Walk, i: number, moved: Float64Array): void {
  w.setElements(i, Int32Array.from(moved));
}

/** x.at(k): a scalar node that is element k. */
export const elementAt: SparsityRule = (w, i) => w.setRun(i, w.element(w.tape.in0[i], w.tape.aux[i]));

export const broadcastTo: SparsityRule = (w, i) => {
  const x = w.tape.in0[i];
  const ex = w.elements(x);
  if (ex === null) return w.setRun(i, NOTHING);
  const map = broadcastMap(w.shape(x), w.shape(i));
  if (map === null) return w.alias(i, x);
  const out = new Int32Array(map.length);
  for (let k = 0; k < map.length; k++) out[k] = ex[map[k]];
  w.setElements(i, out);
};

export const slice: SparsityRule = (w, i) => {
  const x = w.tape.in0[i];
  const s = w.tape.saved.get(i) as { axis: number; start: number; end: number };
  const { outer, inner } = axisView(w.shape(x), s.axis);
  const run = w.firstOfRun(x);
  // A slice of a contiguous run along its outermost axis is a run too.
  if (outer === 1 && run !== NOTHING) return w.setRun(i, run + s.start * inner);
  setMoved(w, i, kernels.slice(handlesOf(w, x), w.shape(x), s.start, s.end, s.axis) as Float64Array);
};

export const transpose: SparsityRule = (w, i) => {
  const x = w.tape.in0[i];
  setMoved(w, i, kernels.transpose(handlesOf(w, x), w.shape(x), w.tape.saved.get(i) as number[]) as Float64Array);
};

export const concat: SparsityRule = (w, i) => {
  const inputs = w.tape.inputsOf(i);
  const parts = inputs.map((x) => handlesOf(w, x));
  setMoved(w, i, kernels.concat(parts, inputs.map((x) => w.shape(x)), w.tape.aux[i]) as Float64Array);
};

/** y[k] = x[map[k]] (0 where the map reads nothing): take, flip, roll, pad, strided slices. */
export const gather: SparsityRule = (w, i) => {
  const x = w.tape.in0[i];
  const { map } = w.tape.saved.get(i) as IndexMap;
  const ex = w.elements(x);
  const out = new Int32Array(map.length);
  if (ex !== null) for (let k = 0; k < map.length; k++) out[k] = map[k] < 0 ? NOTHING : ex[map[k]];
  w.setElements(i, out);
};

/** y[map[j]] += g[j]: the gather's adjoint. */
export const scatter: SparsityRule = (w, i) => {
  const g = w.tape.in0[i];
  const { map } = w.tape.saved.get(i) as IndexMap;
  const eg = w.elements(g);
  const size = w.size(i);
  if (eg === null) return w.setRun(i, NOTHING);
  const targets = new Int32Array(map.length);
  for (let j = 0; j < map.length; j++) targets[j] = map[j] < 0 ? -1 : map[j];
  w.setElements(i, groupedUnions(w, targets, eg, size));
};

/**
 * y = S·x for a constant sparse S in compressed rows (einsum diagonals, pooling), or Sᵀ·x:
 * an output depends on the inputs its row reads with a nonzero weight.
 */
export const linearMap: SparsityRule = (w, i) => {
  const x = w.tape.in0[i];
  const { map, transposed } = w.tape.saved.get(i) as { map: SparseMap; transposed: boolean };
  const ex = w.elements(x);
  if (ex === null) return w.setRun(i, NOTHING);
  const { offsets, index, weight } = map;
  const rows = offsets.length - 1;
  const size = w.size(i);
  // Each term j of row r links output r with input index[j] (or the reverse when transposed).
  const targets = new Int32Array(index.length).fill(-1);
  const sources = new Int32Array(index.length);
  for (let r = 0; r < rows; r++) {
    for (let j = offsets[r]; j < offsets[r + 1]; j++) {
      if (weight !== null && weight[j] === 0) continue;
      targets[j] = transposed ? index[j] : r;
      sources[j] = ex[transposed ? r : index[j]];
    }
  }
  w.setElements(i, groupedUnions(w, targets, sources, size));
};

/** For each output t, the union of sources[j] over the j with targets[j] = t (−1: no target). */
function groupedUnions(w: Walk, targets: Int32Array, sources: Int32Array, size: number): Int32Array {
  const start = new Int32Array(size + 1);
  for (let j = 0; j < targets.length; j++) if (targets[j] >= 0) start[targets[j] + 1]++;
  for (let t = 0; t < size; t++) start[t + 1] += start[t];
  const at = start.slice(0, size);
  const grouped = new Int32Array(start[size]);
  for (let j = 0; j < targets.length; j++) if (targets[j] >= 0) grouped[at[targets[j]]++] = sources[j];
  const out = new Int32Array(size);
  for (let t = 0; t < size; t++) out[t] = w.graph.unionOf(grouped, start[t], start[t + 1]);
  return out;
}

/** sum and max over axes (max is piecewise linear: its second derivatives vanish). */
export const reduction: SparsityRule = (w, i) => {
  const x = w.tape.in0[i];
  const ex = w.elements(x);
  if (ex === null) return w.setRun(i, NOTHING);
  const saved = w.tape.saved.get(i) as readonly number[] | { axes: readonly number[] };
  const axes = Array.isArray(saved) ? saved : (saved as { axes: readonly number[] }).axes;
  const xs: Shape = w.shape(x);
  const kept = keptShape(xs, axes);
  const groupOf = broadcastMap(kept, xs);
  if (groupOf === null) return w.alias(i, x); // only axes of length 1
  if (w.tape.slot[i] < 0) return w.setRun(i, w.graph.unionOf(ex));
  w.setElements(i, groupedUnions(w, groupOf, ex, w.size(i)));
};

/**
 * ‖x‖ over axes, x/‖x‖ and H·v (euclidean-norm.ts; v, of x's shape, is the second input): nonlinear
 * in each line (the elements reduced to one result), whose elements all meet (v's with each other
 * too, a superset); each result element depends on its whole line.
 */
export const normOfLines: SparsityRule = (w, i) => {
  const x = w.tape.in0[i], v = w.tape.in1[i];
  const ex = w.elements(x), ev = v < 0 ? null : w.elements(v);
  if (ex === null && ev === null) return w.setRun(i, NOTHING);
  const { axes } = w.tape.saved.get(i) as { axes: readonly number[] };
  const xs: Shape = w.shape(x);
  const groupOf = broadcastMap(keptShape(xs, axes), xs);
  const both = ev === null ? ex! : ex === null ? ev : ex.map((h, e) => w.graph.union2(h, ev[e]));
  const lines = groupOf === null ? both : groupedUnions(w, groupOf, both, sizeOf(keptShape(xs, axes)));
  for (let g = 0; g < lines.length; g++) w.square(lines[g]);
  if (w.tape.slot[i] < 0) return w.setRun(i, lines.length === 0 ? NOTHING : lines[0]);
  if (w.size(i) === w.size(x) && groupOf !== null) return w.setElements(i, groupOf.map((g) => lines[g]));
  w.setElements(i, lines === ex || lines === ev ? lines.slice() : lines);
};

/** yₖ = Σ_{j≤k} xⱼ along an axis: yₖ depends on yₖ₋₁ and xₖ (a chain, linear in the length). */
export const cumsum: SparsityRule = (w, i) => {
  const x = w.tape.in0[i];
  const ex = w.elements(x);
  if (ex === null) return w.setRun(i, NOTHING);
  const { axis, reverse } = w.tape.saved.get(i) as { axis: number; reverse: boolean };
  const { outer, n, inner } = axisView(w.shape(i), axis);
  const out = new Int32Array(ex.length);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < inner; r++) {
      let previous = NOTHING;
      for (let step = 0; step < n; step++) {
        const e = o * n * inner + (reverse ? n - 1 - step : step) * inner + r;
        previous = w.graph.union2(previous, ex[e]);
        out[e] = previous;
      }
    }
  }
  w.setElements(i, out);
};
