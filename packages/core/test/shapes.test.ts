// Shape and indexing ops (issue 15): each against a plain reference written here element by element
// (multi-indices, NumPy's definitions spelled out), and — since each op is linear (affine for a
// constant pad) — its J·v and uᵀJ against the Jacobian built column by column from that reference:
// so take's adjoint is a scatter-add, pad's folds reflected and edge elements back, tile's and
// repeat's are sums, flip's and roll's undo themselves. Plus edge cases and error messages.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ArgumentError, ShapeError, at, diag, expandDims, flip, grad, jvp, matrixTrace, moveAxis, pad, repeat, roll, scatterAdd,
  slice, split, squeeze, swapAxes, take, tensor, tile, transpose, tril, triu, valueAndGrad, vjp, type Node, type Tensor,
} from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';

// ---- Reference arrays: shape + row-major data --------------------------------------------------------

interface Arr { shape: number[]; data: number[] }
const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);
function unravel(k: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = k % shape[a];
    k = Math.floor(k / shape[a]);
  }
  return idx;
}
const ravel = (idx: readonly number[], shape: readonly number[]) => idx.reduce((k, i, a) => k * shape[a] + i, 0);
const get = (x: Arr, idx: readonly number[]) => x.data[ravel(idx, x.shape)];
/** An array of `shape` whose element at each multi-index is `at(idx)`. */
const build = (shape: number[], at: (idx: number[]) => number): Arr =>
  ({ shape, data: Array.from({ length: size(shape) }, (_, k) => at(unravel(k, shape))) });
const mod = (a: number, n: number) => ((a % n) + n) % n;

const refTranspose = (x: Arr, perm: number[]) => build(perm.map((p) => x.shape[p]), (idx) => {
  const src = new Array<number>(perm.length);
  perm.forEach((p, k) => (src[p] = idx[k]));
  return get(x, src);
});
const refFlip = (x: Arr, axes: number[]) => build(x.shape, (idx) => get(x, idx.map((i, a) => (axes.includes(a) ? x.shape[a] - 1 - i : i))));
const refRoll = (x: Arr, shifts: number[]) => build(x.shape, (idx) => get(x, idx.map((i, a) => mod(i - shifts[a], x.shape[a]))));
function refTile(x: Arr, reps: number[]): Arr {
  const rank = Math.max(reps.length, x.shape.length);
  const dims = [...Array(rank - x.shape.length).fill(1), ...x.shape];
  const r = [...Array(rank - reps.length).fill(1), ...reps];
  const base = { shape: dims, data: x.data };
  return build(dims.map((d, k) => d * r[k]), (idx) => get(base, idx.map((i, k) => i % dims[k])));
}
function refRepeat(x: Arr, counts: number[], axis: number): Arr {
  const sources: number[] = [];
  counts.forEach((c, j) => { for (let r = 0; r < c; r++) sources.push(j); });
  return build(x.shape.map((d, a) => (a === axis ? sources.length : d)), (idx) => get(x, idx.map((i, a) => (a === axis ? sources[i] : i))));
}
/** Where position p of a padded axis reads from: walk from the nearest end, bouncing (reflect) or staying (edge). */
function padSource(p: number, n: number, mode: string): number {
  if (p >= 0 && p < n) return p;
  if (mode === 'constant') return -1;
  if (mode === 'edge') return p < 0 ? 0 : n - 1;
  let at = p < 0 ? 0 : n - 1, dir = p < 0 ? 1 : -1;
  for (let steps = p < 0 ? -p : p - (n - 1); steps > 0; steps--) {
    if (n === 1) break;
    if (at + dir < 0 || at + dir >= n) dir = -dir;
    at += dir;
  }
  return at;
}
function refPad(x: Arr, widths: Array<[number, number]>, mode: string, value: number): Arr {
  return build(x.shape.map((d, a) => d + widths[a][0] + widths[a][1]), (idx) => {
    const src = idx.map((i, a) => padSource(i - widths[a][0], x.shape[a], mode));
    return src.includes(-1) ? value : get(x, src);
  });
}
const refTake = (x: Arr, indices: number[], axis: number) =>
  build(x.shape.map((d, a) => (a === axis ? indices.length : d)), (idx) => get(x, idx.map((i, a) => (a === axis ? mod(indices[i], x.shape[a]) : i))));
function refScatterAdd(x: Arr, indices: number[], u: Arr, axis: number): Arr {
  const out = { shape: x.shape, data: [...x.data] };
  u.data.forEach((v, k) => {
    const idx = unravel(k, u.shape);
    idx[axis] = mod(indices[idx[axis]], x.shape[axis]);
    out.data[ravel(idx, x.shape)] += v;
  });
  return out;
}
/** Python's x[start:end:step] along an axis, for bounds inside the axis. */
function refSlice(x: Arr, start: number | null, end: number | null, axis: number, step: number): Arr {
  const n = x.shape[axis];
  const s = start === null ? (step > 0 ? 0 : n - 1) : start < 0 ? start + n : start;
  const e = end === null ? (step > 0 ? n : -1) : end < 0 ? end + n : end;
  const picked: number[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) picked.push(i);
  return build(x.shape.map((d, a) => (a === axis ? picked.length : d)), (idx) => get(x, idx.map((i, a) => (a === axis ? picked[i] : i))));
}
const refTri = (x: Arr, keep: (i: number, j: number) => boolean) =>
  build(x.shape, (idx) => (keep(idx[idx.length - 2], idx[idx.length - 1]) ? get(x, idx) : 0));

// ---- Checking a linear op against its reference ------------------------------------------------------

function close(actual: ArrayLike<number> | number, expected: ArrayLike<number> | number, tol = 1e-12) {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  expect(a.length).toBe(e.length);
  a.forEach((v, k) => expect(Math.abs(v - e[k])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e[k]))));
}
const flat = (y: Node) => (y.kind === 'scalar' ? [y.value] : Array.from(y.value));

/**
 * op (on x of `shape`) against ref: its value, and — building J from ref on basis vectors, less ref
 * at 0 for an affine op — its J·v by jvp and uᵀJ by vjp, at x given as data.
 */
function checkLinear(shape: number[], data: number[], op: (x: Tensor) => Node, ref: (x: Arr) => Arr) {
  const n = data.length;
  const f = (t: Tensor) => op(t.reshape(shape));
  const expected = ref({ shape, data });
  let value: number[] = [], outShape: readonly number[] = [], scalarOut = false;
  valueAndGrad((t: Tensor) => {
    const y = f(t);
    value = flat(y);
    scalarOut = y.kind === 'scalar';
    outShape = y.kind === 'scalar' ? [] : y.shape;
    return y.kind === 'scalar' ? y : y.sum();
  })(data);
  expect([...outShape]).toEqual(expected.shape);
  close(value, expected.data);
  const m = expected.data.length;
  const offset = ref({ shape, data: new Array<number>(n).fill(0) }).data;
  const column = (k: number) => ref({ shape, data: data.map((_, j) => (j === k ? 1 : 0)) }).data.map((e, i) => e - offset[i]);
  const J = Array.from({ length: n }, (_, k) => column(k));
  const v = data.map((_, k) => Math.cos(3 * k + 1)), u = Array.from({ length: m }, (_, i) => Math.sin(2 * i + 1));
  const jv = jvp(f, data, v).tangent;
  close(jv, Array.from({ length: m }, (_, i) => J.reduce((s, col, k) => s + col[i] * v[k], 0)));
  if (m > 0) {
    const pulled = vjp(f, data).pullback(scalarOut ? u[0] : u) as Float64Array;
    close(pulled, J.map((col) => col.reduce((s, e, i) => s + e * u[i], 0)));
  }
}

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 });
const withData = (shape: number[]) => fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: size(shape), maxLength: size(shape) });
const RUNS = { numRuns: 30, seed: 15 };
const axisOf = (pick: number, rank: number) => pick % rank;

describe('each op against its reference: values, J·v and uᵀJ', () => {
  it('swapAxes, moveAxis and transpose(perm) permute axes', () => {
    fc.assert(fc.property(shapeArb.chain((s) => fc.tuple(fc.constant(s), withData(s), fc.nat(), fc.nat())), ([shape, data, p, q]) => {
      const r = shape.length, a = axisOf(p, r), b = axisOf(q, r);
      const swapped = shape.map((_, k) => (k === a ? b : k === b ? a : k));
      checkLinear(shape, data, (x) => swapAxes(x, a - r, b), (x) => refTranspose(x, swapped));
      // moveaxis as NumPy defines it: the others in order, the moved one inserted at its destination.
      const order = shape.map((_, k) => k).filter((k) => k !== a);
      order.splice(b, 0, a);
      checkLinear(shape, data, (x) => moveAxis(x, a, b - r), (x) => refTranspose(x, order));
      const reversed = shape.map((_, k) => r - 1 - k);
      checkLinear(shape, data, (x) => x.transpose(reversed.map((k) => k - r)), (x) => refTranspose(x, reversed));
    }), RUNS);
  });

  it('flip over one axis, several, or all', () => {
    fc.assert(fc.property(shapeArb.chain((s) => fc.tuple(fc.constant(s), withData(s), fc.subarray(s.map((_, k) => k)))), ([shape, data, axes]) => {
      checkLinear(shape, data, (x) => flip(x, axes), (x) => refFlip(x, axes));
      checkLinear(shape, data, (x) => x.flip(), (x) => refFlip(x, shape.map((_, k) => k)));
    }), RUNS);
  });

  it('roll by any shift along axes, and of x flattened', () => {
    fc.assert(fc.property(shapeArb.chain((s) => fc.tuple(fc.constant(s), withData(s), fc.nat(), fc.integer({ min: -9, max: 9 }))), ([shape, data, p, shift]) => {
      const a = axisOf(p, shape.length);
      checkLinear(shape, data, (x) => roll(x, shift, a), (x) => refRoll(x, shape.map((_, k) => (k === a ? shift : 0))));
      checkLinear(shape, data, (x) => roll(x, shift), (x) => ({ shape: x.shape, data: refRoll({ shape: [x.data.length], data: x.data }, [shift]).data }));
      checkLinear(shape, data, (x) => x.roll([shift, 1], [a, a]), (x) => refRoll(x, shape.map((_, k) => (k === a ? shift + 1 : 0))));
    }), RUNS);
  });

  it('tile (reps shorter, as long as, or longer than the rank) and repeat (one count, or one per element)', () => {
    const tiling = shapeArb.chain((s) => fc.tuple(fc.constant(s), withData(s), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }), fc.nat()));
    fc.assert(fc.property(tiling, ([shape, data, reps, p]) => {
      checkLinear(shape, data, (x) => tile(x, reps), (x) => refTile(x, reps));
      const a = axisOf(p, shape.length);
      const counts = Array.from({ length: shape[a] }, (_, j) => reps[j % reps.length]);
      checkLinear(shape, data, (x) => repeat(x, counts, a), (x) => refRepeat(x, counts, a));
      checkLinear(shape, data, (x) => x.repeat(reps[0], a - shape.length), (x) => refRepeat(x, new Array(shape[a]).fill(reps[0]), a));
      checkLinear(shape, data, (x) => repeat(x, 2), (x) => refRepeat({ shape: [x.data.length], data: x.data }, new Array(x.data.length).fill(2), 0));
    }), RUNS);
  });

  it('pad in every mode, widths longer than the axis included: the adjoint folds reflected and edge elements back', () => {
    const padding = shapeArb.chain((s) => fc.tuple(
      fc.constant(s), withData(s),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), { minLength: s.length, maxLength: s.length }),
      fc.constantFrom('constant', 'reflect', 'edge'), fc.constantFrom(0, 2.5),
    ));
    fc.assert(fc.property(padding, ([shape, data, widths, mode, value]) => {
      const c = mode === 'constant' ? value : 0;
      checkLinear(shape, data, (x) => pad(x, widths, mode as 'constant', c), (x) => refPad(x, widths, mode, c));
      checkLinear(shape, data, (x) => x.pad(widths[0], mode as 'edge'), (x) => refPad(x, shape.map(() => widths[0]), mode, 0));
    }), RUNS);
  });

  it('take and scatterAdd along an axis (repeated and negative indices), and of x flattened; each the other\'s adjoint', () => {
    const indexing = shapeArb.chain((s) => fc.nat().chain((p) => {
      const a = axisOf(p, s.length), n = s[a];
      return fc.tuple(fc.constant(s), withData(s), fc.constant(a), fc.array(fc.integer({ min: -n, max: n - 1 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: -size(s), max: size(s) - 1 }), { minLength: 1, maxLength: 5 }));
    }));
    fc.assert(fc.property(indexing, ([shape, data, a, indices, flatIndices]) => {
      checkLinear(shape, data, (x) => take(x, indices, a), (x) => refTake(x, indices, a));
      checkLinear(shape, data, (x) => x.take(Int32Array.from(flatIndices)), (x) => refTake({ shape: [x.data.length], data: x.data }, flatIndices, 0));
      const uShape = shape.map((d, k) => (k === a ? indices.length : d));
      const u = { shape: uShape, data: Array.from({ length: size(uShape) }, (_, k) => 1 + k / 7) };
      // Linear in x (u a constant here) and in u (x a constant).
      checkLinear(shape, data, (x) => scatterAdd(x, indices, tensor(u.data, u.shape), a), (x) => refScatterAdd(x, indices, u, a));
      checkLinear(uShape, u.data, (w) => x0(shape, data).scatterAdd(indices, w, a), (w) => refScatterAdd({ shape, data }, indices, w, a));
    }), RUNS);
  });

  it('slice with negative indices, null bounds and steps of either sign', () => {
    const slicing = shapeArb.chain((s) => fc.nat().chain((p) => {
      const a = axisOf(p, s.length), n = s[a];
      return fc.tuple(fc.constant(s), withData(s), fc.constant(a), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }),
        fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.boolean());
    }));
    fc.assert(fc.property(slicing, ([shape, data, a, i, j, stepSize, backwards, negative]) => {
      const n = shape[a];
      const [lo, hi] = i <= j ? [i, j] : [j, i];
      const write = (k: number) => (negative ? k - n : k);
      if (backwards) {
        checkLinear(shape, data, (x) => slice(x, write(hi), write(lo), a, -stepSize), (x) => refSlice(x, hi, lo, a, -stepSize));
        checkLinear(shape, data, (x) => x.slice(null, null, a, -stepSize), (x) => refSlice(x, null, null, a, -stepSize));
      } else {
        checkLinear(shape, data, (x) => slice(x, write(lo), hi + 1, a, stepSize), (x) => refSlice(x, lo, hi + 1, a, stepSize));
        checkLinear(shape, data, (x) => x.slice(write(lo), null, a - shape.length), (x) => refSlice(x, lo, null, a, 1));
      }
    }), RUNS);
  });

  it('at with a flat index or one per axis, each non-negative or counted from the end, picks that element', () => {
    const picking = shapeArb.chain((s) => fc.tuple(fc.constant(s), withData(s), fc.tuple(...s.map((d) => fc.integer({ min: 0, max: d - 1 }))), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length })));
    fc.assert(fc.property(picking, ([shape, data, idx, fromEnd]) => {
      const written = idx.map((i, a) => (fromEnd[a] ? i - shape[a] : i));
      const k = ravel(idx, shape), n = size(shape);
      const pick = (x: Arr) => ({ shape: [], data: [get(x, idx)] });
      checkLinear(shape, data, (x) => x.at(written), pick);
      checkLinear(shape, data, (x) => at(x.reshape([n]), fromEnd[0] ? k - n : k), pick);
    }), RUNS);
  });

  it('diag both ways, tril/triu over the last two axes, matrixTrace of a matrix and of a batch', () => {
    const matrices = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: -4, max: 4 }))
      .chain(([b, m, n, k]) => fc.tuple(fc.constant([b, m, n] as number[]), withData([b, m, n]), fc.constant(k)));
    fc.assert(fc.property(matrices, ([shape, data, k]) => {
      const [, m, n] = shape;
      const first = data.slice(0, m * n);
      checkLinear([m, n], first, (x) => diag(x, k), (x) => {
        const d: number[] = [];
        for (let i = 0; i < m; i++) if (i + k >= 0 && i + k < n) d.push(get(x, [i, i + k]));
        return { shape: [d.length], data: d };
      });
      checkLinear([m], first.slice(0, m), (v) => v.diag(k), (v) => build([m + Math.abs(k), m + Math.abs(k)], ([i, j]) => (j - i === k ? v.data[Math.min(i, j)] : 0)));
      checkLinear(shape, data, (x) => tril(x, k), (x) => refTri(x, (i, j) => j <= i + k));
      checkLinear(shape, data, (x) => x.triu(k), (x) => refTri(x, (i, j) => j >= i + k));
      const traceOf = (x: Arr, b: number) => {
        let s = 0;
        for (let i = 0; i < m; i++) if (i + k >= 0 && i + k < n) s += get(x, [b, i, i + k]);
        return s;
      };
      checkLinear(shape, data, (x) => matrixTrace(x, k), (x) => ({ shape: [shape[0]], data: Array.from({ length: shape[0] }, (_, b) => traceOf(x, b)) }));
      checkLinear([m, n], first, (x) => x.matrixTrace(k), (x) => ({ shape: [], data: [traceOf({ shape: [1, m, n], data: x.data }, 0)] }));
    }), RUNS);
  });

  it('split into equal sections and at cut points; squeeze and expandDims move no data', () => {
    fc.assert(fc.property(shapeArb.chain((s) => fc.tuple(fc.constant(s), withData(s), fc.nat(), fc.nat(), fc.nat())), ([shape, data, p, c1, c2]) => {
      const a = axisOf(p, shape.length), n = shape[a];
      const cuts = [c1 % (n + 1), c2 % (n + 1)].sort((x, y) => x - y);
      const bounds = [0, ...cuts, n];
      bounds.slice(1).forEach((end, piece) => {
        checkLinear(shape, data, (x) => split(x, [cuts[0], cuts[1] < n ? cuts[1] - n : cuts[1]], a)[piece], (x) => refSlice(x, bounds[piece], end, a, 1));
      });
      checkLinear(shape, data, (x) => x.split(1, a)[0], (x) => x);
      const ones = [1, ...shape, 1];
      checkLinear(shape, data, (x) => expandDims(x, [0, -1]), (x) => ({ shape: ones, data: x.data }));
      checkLinear(ones, data, (x) => squeeze(x, [0, -1]), (x) => ({ shape, data: x.data }));
      checkLinear(ones, data, (x) => x.squeeze(), (x) => ({ shape: shape.filter((d) => d !== 1), data: x.data }));
    }), RUNS);
  });
});

/** The data x as a constant inside f. */
const x0 = (shape: number[], data: number[]) => tensor(data, shape);

describe('edge cases', () => {
  it('pad reflect matches NumPy on a long width; edge on a length-1 axis repeats it', () => {
    grad((x: Tensor) => {
      // np.pad([0, 1, 2], (5, 6), 'reflect')
      expect(Array.from(pad(x, [5, 6], 'reflect').value)).toEqual([1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1, 0]);
      expect(Array.from(pad(x.slice(0, 1), 2, 'reflect').value)).toEqual([0, 0, 0, 0, 0]);
      return x.sum();
    })([0, 1, 2]);
  });

  it('empty pieces and empty results flow through the derivatives', () => {
    const g = grad((x: Tensor) => {
      const [a, b, c] = split(x, [2, 2]);
      expect(b.shape).toEqual([0]);
      return a.square().sum().add(b.sum()).add(c.mul(3).sum()).add(take(x, []).sum()).add(tile(x, 0).sum());
    })([1, 2, 3]);
    close(g as Float64Array, [2, 4, 3]);
  });

  it('a single take index drops the axis; tril keeps NaN out of the dropped triangle', () => {
    grad((x: Tensor) => {
      const m = x.reshape([2, 2]);
      expect(take(m, -2, 1).shape).toEqual([2]);
      expect(Array.from(take(m, -2, 1).value)).toEqual([1, 3]);
      expect(take(x, 3).shape).toEqual([]);
      expect(Array.from(tril(m).value)).toEqual([1, 0, 3, 4]);
      return x.sum();
    })([1, NaN, 3, 4]);
  });

  it('the slice/pad and take/scatterAdd pairs pass checkGrads at order 3 (nested transforms)', () => {
    const x = [0.3, -1.1, 0.8, 1.7, -0.4, 0.2];
    const f = (t: Tensor) => pad(slice(t.reshape([2, 3]), -1, null, 1, -2), [[1, 1], [2, 0]], 'reflect').sin().sum()
      .add(scatterAdd(t, [0, 0, -1], take(t, [5, 1, 1]).square()).tanh().sum());
    expect(checkGrads(f, x, { order: 3, directions: 1 }).every((c) => c.passed)).toBe(true);
  });
});

describe('errors name the problem and what to do', () => {
  const run = (f: (t: Tensor) => unknown, x: number[] = [1, 2, 3, 4, 5, 6]) => () => grad((t: Tensor) => (f(t), t.sum()))(x);
  it('indices and ranges', () => {
    expect(run((t) => take(t, [0, 6]))).toThrow(/take: index 6 at position 1 is out of bounds for x flattened \(shape \[6\]\) of length 6; indices must lie in \[-6, 6\)/);
    expect(run((t) => take(t.reshape([2, 3]), [-4], 1))).toThrow(/index -4 at position 0 is out of bounds for axis 1 of shape \[2,3\]/);
    expect(run((t) => take(t, [1.5]))).toThrow(/take: index 1.5 at position 0 is not an integer/);
    expect(run((t) => take(t, [[0, 1], [2, 3]] as never))).toThrow(/take: index \[0,1\] at position 0 is not an integer; indices are a flat list/);
    expect(run((t) => take(t, 'a' as never))).toThrow(ArgumentError);
    expect(run((t) => scatterAdd(t, [9], 1))).toThrow(/scatterAdd: index 9/);
    expect(run((t) => scatterAdd(t.reshape([2, 3]), [0], t.slice(0, 2), 0))).toThrow(ShapeError);
    expect(run((t) => scatterAdd(t.reshape([2, 3]), [0], t.slice(0, 2), 0))).toThrow(/updates of shape \[2\] do not broadcast to \[1,3\]/);
    expect(run((t) => slice(t, 0, 3, 0, 0))).toThrow(/slice: step must be a non-zero integer, got 0/);
    expect(run((t) => slice(t, 1, 4, 0, -1))).toThrow(/with a negative step, start must not be below end/);
    expect(run((t) => slice(t, 0, 7))).toThrow(/slice: range \[0, 7\) is not within axis 0 of shape \[6\]/);
  });

  it('shapes, counts and modes', () => {
    expect(run((t) => pad(t, 1, 'wrap' as never))).toThrow(/pad: mode must be one of 'constant', 'reflect', 'edge', got 'wrap'/);
    expect(run((t) => pad(t, -1))).toThrow(/pad: each pad width must be an integer ≥ 0, got -1/);
    expect(run((t) => pad(t.reshape([2, 3]), [[1, 1]] as never))).toThrow(/pad: widths must be a number, a pair \[before, after\], or 2 pairs/);
    expect(run((t) => pad(t.slice(0, 0), 1, 'edge'))).toThrow(/axis 0 of shape \[0\] is empty; mode 'edge' has no element to copy/);
    expect(run((t) => pad(t, 1, 'reflect', 3))).toThrow(/value is for mode 'constant'/);
    expect(run((t) => split(t, 4))).toThrow(/split: axis 0 of shape \[6\] \(length 6\) does not divide into 4 equal sections/);
    expect(run((t) => split(t, [4, 2]))).toThrow(/cut points \[4,2\] must lie in \[-6, 6\] and not decrease/);
    expect(run((t) => squeeze(t.reshape([2, 3]), 0))).toThrow(/squeeze: axis 0 of shape \[2,3\] has length 2, not 1/);
    expect(run((t) => expandDims(t, [0, 0]))).toThrow(/expandDims: axis \[0,0\] must name distinct positions in \[-3, 3\)/);
    expect(run((t) => tile(t, [2, -1]))).toThrow(/tile: reps\[1\] must be an integer ≥ 0, got -1/);
    expect(run((t) => repeat(t, [1, 2]))).toThrow(/repeat: 2 repeat counts for an axis of length 6/);
    expect(run((t) => roll(t, [1, 2]))).toThrow(/roll: 2 shifts need as many axes/);
    expect(run((t) => moveAxis(t.reshape([2, 3]), [0, 1], [1]))).toThrow(/moveAxis: 2 source axes but 1 destinations/);
    expect(run((t) => swapAxes(t, 0, 1))).toThrow(/swapAxes: axis 1 is out of range for shape \[6\]/);
    expect(run((t) => diag(t.reshape([1, 2, 3])))).toThrow(/diag: expects a vector or a matrix, got shape \[1,2,3\]/);
    expect(run((t) => tril(t))).toThrow(/tril: expects a matrix or a batch of matrices \(rank ≥ 2\), got shape \[6\]/);
    expect(run((t) => matrixTrace(t, 0.5))).toThrow(ArgumentError);
    expect(run((t) => flip([1, 2] as never))).toThrow(/flip: expected a tensor, got an array/);
    expect(run((t) => transpose(t.reshape([2, 3]), [0, 0]))).toThrow(/not a permutation/);
  });
});
