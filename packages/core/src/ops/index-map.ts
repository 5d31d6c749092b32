// y[j] = x[map[j]], or 0 where map[j] = −1: the one op behind take, flip, roll, pad, diag, repeat
// by counts and strided slices, each of which only computes its index map.
// Linear: R{y} is the same gather of R{x}. Its adjoint is the scatter x̄[map[j]] += ȳ[j] — summing
// where an element was read more than once (repeated take indices, reflected or edge pads) — and
// likewise R{x̄}. The scatter is linear too, with the gather as its adjoint, so each op's rules are
// the other op: they stay exact at every order of nesting, with no second-order code.
import type { Primitive } from '../algebra/algebra.js';
import { fresh } from '../algebra/numbers.js';
import { unfilled } from '../algebra/unfilled.js';
import { type Node, type Tensor, newTensor } from '../node.js';
import { sizeOf, type Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';
import { shaped, through } from './primitive-lanes.js';

/** A gather from `source` (shape) to `target` (shape): target element j reads source[map[j]]. */
export interface IndexMap {
  readonly map: Int32Array;
  readonly source: Shape;
  readonly target: Shape;
  /** True when the map is known, by how it was built, to read each source element at most once. */
  readonly distinct?: boolean;
  /** The map's layout when it is a strided slice (stridedMap): its loops read no index array. */
  readonly stride?: Stride;
}

/**
 * Target element (o, j, c) reads source element (o, start + j·step, c): o < outer, j < count,
 * c < inner, the sliced axis n long. Every target element reads one source element, no two the same.
 */
interface Stride {
  readonly outer: number;
  readonly count: number;
  readonly inner: number;
  readonly n: number;
  readonly start: number;
  readonly step: number;
}

/** Marks an element of the target that reads no source element (it is 0). */
export const NOWHERE = -1;

/**
 * The indices read(0), …, read(n − 1) as an Int32Array, by a plain loop: `Int32Array.from({ length },
 * fn)` goes through the iterable protocol and cost ~25× more (2.5 ms for a stride-2 slice of 1.7·10⁵).
 */
export function indexArray(n: number, read: (j: number) => number): Int32Array {
  const out = new Int32Array(n);
  for (let j = 0; j < n; j++) out[j] = read(j);
  return out;
}

// GATHER's and SCATTER's arrays are new and nobody else's (fresh): a lane takes one as it is
// instead of copying it.
/** y = x gathered through the map: numbers at top level, a `gather` node when nested. */
export const GATHER: Primitive<IndexMap> = {
  name: 'gather',
  numbers: ([x], _shapes, m) => fresh(gatherOf(x as Float64Array, m)),
  nodes: ([x], _shapes, m) => gather(shaped(x as Node, m.source), m),
};

/** y = zeros of the source's shape with x scattered in (adding): the gather's adjoint. */
export const SCATTER: Primitive<IndexMap> = {
  name: 'scatter',
  numbers: ([g], _shapes, m) => fresh(scatterOf(g as Float64Array, m)),
  nodes: ([g], _shapes, m) => scatter(shaped(g as Node, m.target), m),
};

/** x gathered through the map on numbers (0 where the map reads nowhere). */
export function gatherNumbers(x: Float64Array, map: Int32Array): Float64Array {
  const y = new Float64Array(map.length);
  for (let j = 0; j < map.length; j++) {
    const k = map[j];
    if (k >= 0) y[j] = x[k];
  }
  return y;
}

/** x gathered through map m: a strided slice by its own loops (every element written), else through m.map. */
function gatherOf(x: Float64Array, m: IndexMap): Float64Array {
  const s = m.stride;
  if (s === undefined) return gatherNumbers(x, m.map);
  const { outer, count, inner, n, start, step } = s;
  const y = unfilled(m.map.length);
  let at = 0;
  for (let o = 0; o < outer; o++) {
    const base = o * n + start;
    if (inner === 1) {
      for (let j = 0, from = base; j < count; j++, from += step) y[at++] = x[from];
    } else {
      for (let j = 0; j < count; j++) {
        const from = (base + j * step) * inner;
        for (let c = 0; c < inner; c++) y[at++] = x[from + c];
      }
    }
  }
  return y;
}

/** g scattered, adding, into zeros of m's source shape. */
function scatterOf(g: Float64Array, m: IndexMap): Float64Array {
  const x = new Float64Array(sizeOf(m.source));
  if (m.stride !== undefined) scatterInto(x, g, m);
  else {
    const map = m.map;
    for (let j = 0; j < map.length; j++) {
      const k = map[j];
      if (k >= 0) x[k] += g[j];
    }
  }
  return x;
}

/**
 * A gather's tangent and backward rules, for any op whose saved spec is (or extends) its IndexMap —
 * the gather itself, and sort, whose map comes from the order of the values.
 */
export const gatherLanes: Pick<OpRule, 'tangent' | 'backward'> = {
  tangent(o, L, i) {
    const m = L.tape.saved.get(i) as IndexMap;
    L.setDot(i, through(o, GATHER, L.dot(L.tape.in0[i]), m.source, m));
  },
  backward(o, L, i) {
    const t = L.tape;
    const x = t.in0[i];
    const m = t.saved.get(i) as IndexMap;
    // A small gather of distinct elements on the tape's own lanes adds into x̄'s elements once x̄
    // exists, as the scatter would (0 + ȳⱼ, then added), without a scatter of x̄'s full size.
    const direct = L === t && fewAndDistinct(m);
    if (L.sweepBar && !(direct && t.addIntoLane(x, 'bar', L.bar(i), (into, v) => scatterInto(into, v, m)))) {
      L.addBar(x, through(o, SCATTER, L.bar(i), m.target, m));
    }
    if (L.sweepBarDot && !(direct && t.addIntoLane(x, 'barDot', L.barDot(i), (into, v) => scatterInto(into, v, m)))) {
      L.addBarDot(x, through(o, SCATTER, L.barDot(i), m.target, m));
    }
  },
};

/**
 * into[map[j]] += 0 + v[j] for a map that reads each element at most once: the scatter's sum for an
 * element read once (0 + v, so −0 becomes +0 as there), then added into the lane.
 */
function scatterInto(into: Float64Array, v: Float64Array, m: IndexMap): void {
  const s = m.stride;
  if (s === undefined) {
    const map = m.map;
    for (let j = 0; j < map.length; j++) {
      const k = map[j];
      if (k >= 0) into[k] += 0 + v[j];
    }
    return;
  }
  const { outer, count, inner, n, start, step } = s;
  let at = 0;
  for (let o = 0; o < outer; o++) {
    const base = o * n + start;
    if (inner === 1) {
      for (let j = 0, to = base; j < count; j++, to += step) into[to] += 0 + v[at++];
    } else {
      for (let j = 0; j < count; j++) {
        const to = (base + j * step) * inner;
        for (let c = 0; c < inner; c++) into[to + c] += 0 + v[at++];
      }
    }
  }
}

const distinctMaps = new WeakMap<IndexMap, boolean>();

/**
 * True when the map reads each source element at most once, and that is known by construction (a
 * strided slice) or cheap to check (it reads at most an eighth of its source). Then adding ȳ
 * straight into x̄ gives the numbers of the scatter (a repeated element would sum its reads first,
 * in another order), and saves the scatter's full-size array and the pass that adds it.
 */
function fewAndDistinct(m: IndexMap): boolean {
  if (m.distinct === true) return true;
  let known = distinctMaps.get(m);
  if (known === undefined) {
    known = m.map.length * 8 <= sizeOf(m.source) && new Set(m.map).size === m.map.length;
    distinctMaps.set(m, known);
  }
  return known;
}

const gatherRule: OpRule = { name: 'gather', linear: true, ...gatherLanes };
const GATHER_OP = registerRule(gatherRule);

const scatterRule: OpRule = {
  name: 'scatter',
  linear: true,
  tangent(o, L, i) {
    const m = L.tape.saved.get(i) as IndexMap;
    L.setDot(i, through(o, SCATTER, L.dot(L.tape.in0[i]), m.target, m));
  },
  backward(o, L, i) {
    const g = L.tape.in0[i];
    const m = L.tape.saved.get(i) as IndexMap;
    if (L.sweepBar) L.addBar(g, through(o, GATHER, L.bar(i), m.source, m));
    if (L.sweepBarDot) L.addBarDot(g, through(o, GATHER, L.barDot(i), m.source, m));
  },
};
const SCATTER_OP = registerRule(scatterRule);

/** x (of the map's source shape) gathered into the map's target shape. */
export function gather(x: Tensor, m: IndexMap): Tensor {
  const t = checkLive(x.tape, 'gather');
  const active = t.active[x.id] === 1;
  const y = newTensor(t, GATHER_OP, x.id, NO_INPUT, active, m.target, gatherOf(x.data, m), null);
  t.saved.set(y.id, m);
  if (active && t.withTangent) gatherRule.tangent(t.o, t, y.id);
  return y;
}

/** g (of the map's target shape) scattered, adding, into zeros of the map's source shape. */
export function scatter(g: Tensor, m: IndexMap): Tensor {
  const t = checkLive(g.tape, 'scatter');
  const active = t.active[g.id] === 1;
  const y = newTensor(t, SCATTER_OP, g.id, NO_INPUT, active, m.source, scatterOf(g.data, m), null);
  t.saved.set(y.id, m);
  if (active && t.withTangent) scatterRule.tangent(t.o, t, y.id);
  return y;
}

/**
 * The map of a gather along one axis with an index per target element (take_along_axis, sort):
 * target element (o, j, c) reads source element (o, indices[(o, j, c)], c), where o runs over the
 * axes before `axis` and c over those after; the target has `k` elements along the axis.
 */
export function alongAxisMap(indices: Int32Array, source: Shape, axis: number, k: number): IndexMap {
  let outer = 1, inner = 1;
  for (let a = 0; a < axis; a++) outer *= source[a];
  for (let a = axis + 1; a < source.length; a++) inner *= source[a];
  const n = source[axis];
  const map = new Int32Array(indices.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      for (let c = 0; c < inner; c++) {
        const at = (o * k + j) * inner + c;
        map[at] = (o * n + indices[at]) * inner + c;
      }
    }
  }
  return { map, source, target: source.map((d, a) => (a === axis ? k : d)) };
}

/**
 * The map of a gather that works axis by axis: along axis a, target index j reads source index
 * `reads[a][j]` (NOWHERE for none), or the same index where `reads[a]` is null. Row-major, built one
 * axis at a time, so it costs one pass over the target.
 */
export function axisMap(source: Shape, reads: ReadonlyArray<Int32Array | null>): IndexMap {
  const target = source.map((d, a) => reads[a]?.length ?? d);
  let map = Int32Array.of(0);
  for (let a = 0; a < source.length; a++) {
    let stride = 1;
    for (let b = a + 1; b < source.length; b++) stride *= source[b];
    const along = reads[a];
    const n = target[a];
    const next = new Int32Array(map.length * n);
    for (let p = 0; p < map.length; p++) {
      const base = map[p];
      for (let j = 0; j < n; j++) {
        const k = along === null ? j : along[j];
        next[p * n + j] = base < 0 || k < 0 ? NOWHERE : base + k * stride;
      }
    }
    map = next;
  }
  return { map, source, target };
}

/** The reads of one axis only (every other axis as it is). */
export function oneAxisMap(source: Shape, axis: number, reads: Int32Array): IndexMap {
  return axisMap(source, source.map((_, a) => (a === axis ? reads : null)));
}

/** Strided maps kept for the next recording of the same slice (a loss records its slices every call). */
const stridedMaps = new Map<string, IndexMap>();
const STRIDED_MAPS_KEPT = 16;
/** Larger maps are built afresh each time rather than kept (4 bytes an element). */
const STRIDED_MAP_KEPT_MAX = 1 << 20;

/**
 * The map of x[start : … : step] along `axis` (count elements; step ≠ 0): target (o, j, c) reads
 * source (o, start + j·step, c), in one pass. Distinct by construction, so its adjoint adds straight
 * into x̄. The last few maps are kept, since a loss records the same slices at every call.
 */
export function stridedMap(source: Shape, axis: number, start: number, step: number, count: number): IndexMap {
  const key = `${source.join(',')}|${axis}|${start}|${step}|${count}`;
  const kept = stridedMaps.get(key);
  if (kept) return kept;
  let outer = 1, inner = 1;
  for (let a = 0; a < axis; a++) outer *= source[a];
  for (let a = axis + 1; a < source.length; a++) inner *= source[a];
  const n = source[axis];
  const map = new Int32Array(outer * count * inner);
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const from = (o * n + start + j * step) * inner;
      for (let c = 0; c < inner; c++) map[at++] = from + c;
    }
  }
  const stride: Stride = { outer, count, inner, n, start, step };
  const m: IndexMap = { map, source, target: source.map((d, a) => (a === axis ? count : d)), distinct: true, stride };
  if (map.length <= STRIDED_MAP_KEPT_MAX) {
    if (stridedMaps.size >= STRIDED_MAPS_KEPT) stridedMaps.delete(stridedMaps.keys().next().value!);
    stridedMaps.set(key, m);
  }
  return m;
}
