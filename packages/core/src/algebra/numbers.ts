/**
 * The algebra of top-level sweeps: numbers for scalar nodes, Float64Arrays for tensor nodes, loops
 * with no per-element callback, matrix products on the selected kernels. One instance per tape, so
 * the 0·∞ products it resolves are counted per transform call (strict mode reads the count).
 * @module
 */
import { gemm } from '../kernels/backend.js';
import { transposeInto } from '../kernels/gemm.js';
import { sameShape, sizeOf, type Shape } from '../shape.js';
import type { Algebra, Elementwise, Elementwise2, Primitive, Value } from './algebra.js';

type Num = number | Float64Array;

export class NumberAlgebra implements Algebra {
  readonly kind = 'numbers' as const;
  /** How many 0·∞ (or 0·NaN) products `mul`/`matmul` have resolved to 0 on this tape. */
  indeterminate = 0;

  // Each elementwise method is a one-line test for two numbers, with the array work out of line: a
  // rule on scalar nodes then inlines to plain float arithmetic (V8 inlines small functions only).
  add(a: Value, b: Value): Num {
    return typeof a === 'number' && typeof b === 'number' ? a + b : this.addArrays(a as Num, b as Num);
  }

  sub(a: Value, b: Value): Num {
    return typeof a === 'number' && typeof b === 'number' ? a - b : this.addArrays(a as Num, this.neg(b));
  }

  mul(a: Value, b: Value): Num {
    return typeof a === 'number' && typeof b === 'number' ? this.times(a, b) : this.mulArrays(a as Num, b as Num);
  }

  div(a: Value, b: Value): Num {
    return typeof a === 'number' && typeof b === 'number' ? a / b : this.divArrays(a as Num, b as Num);
  }

  neg(a: Value): Num {
    return typeof a === 'number' ? -a : this.negArray(a as Float64Array);
  }

  /** u·w with structural zeros, counting the products where the other factor was ±∞ or NaN. */
  times(u: number, w: number): number {
    return u === 0 || w === 0 ? this.zeroTimes(u, w) : u * w + 0;
  }

  private zeroTimes(u: number, w: number): number {
    if (u - u !== 0 || w - w !== 0) this.indeterminate++;
    return 0;
  }

  private addArrays(a: Num, b: Num): Num {
    if (typeof a === 'number') return a === 0 ? b : mapScalar(b as Float64Array, (y) => a + y);
    if (typeof b === 'number') return b === 0 ? a : mapScalar(a, (x) => x + b);
    const out = new Float64Array(a.length);
    for (let k = 0; k < out.length; k++) out[k] = a[k] + b[k];
    return out;
  }

  private mulArrays(a: Num, b: Num): Num {
    if (typeof a === 'number') return this.scale(b as Float64Array, a);
    if (typeof b === 'number') return this.scale(a, b);
    const out = new Float64Array(a.length);
    for (let k = 0; k < out.length; k++) {
      const p = a[k] * b[k];
      // Only a NaN product can be a 0·∞ (or 0·NaN) for the structural-zero rule to resolve; + 0
      // makes a zero product +0, as the symbolic zero it stands for.
      out[k] = p === p ? p + 0 : this.times(a[k], b[k]);
    }
    return out;
  }

  private scale(x: Float64Array, s: number): Num {
    if (s === 0) {
      for (let k = 0; k < x.length; k++) if (x[k] - x[k] !== 0) this.indeterminate++;
      return 0;
    }
    if (s === 1) return x;
    const out = new Float64Array(x.length);
    if (s - s !== 0) {
      for (let k = 0; k < out.length; k++) out[k] = this.times(x[k], s);
    } else {
      for (let k = 0; k < out.length; k++) out[k] = x[k] * s + 0;
    }
    return out;
  }

  private divArrays(a: Num, b: Num): Num {
    if (typeof b === 'number') return mapScalar(a as Float64Array, (x) => x / b);
    if (typeof a === 'number') return mapScalar(b, (y) => a / y);
    const out = new Float64Array(a.length);
    for (let k = 0; k < out.length; k++) out[k] = a[k] / b[k];
    return out;
  }

  private negArray(x: Float64Array): Float64Array {
    const out = new Float64Array(x.length);
    for (let k = 0; k < out.length; k++) out[k] = -x[k];
    return out;
  }

  map(op: Elementwise, x: Value, p = 0): Num {
    const f = op.math.f;
    if (typeof x === 'number') return f(x, p);
    const xs = x as Float64Array;
    const out = new Float64Array(xs.length);
    for (let k = 0; k < out.length; k++) out[k] = f(xs[k], p);
    return out;
  }

  map2(op: Elementwise2, a: Value, b: Value): Num {
    return this.step2(a, b, op.math.f);
  }

  numbers(x: Value): Num {
    return x as Num;
  }

  step(x: Value, fn: (v: number) => number): Num {
    if (typeof x === 'number') return fn(x);
    const xs = x as Float64Array;
    const out = new Float64Array(xs.length);
    for (let k = 0; k < out.length; k++) out[k] = fn(xs[k]);
    return out;
  }

  step2(a: Value, b: Value, fn: (u: number, v: number) => number): Num {
    if (typeof a === 'number' && typeof b === 'number') return fn(a, b);
    const n = typeof a === 'number' ? (b as Float64Array).length : (a as Float64Array).length;
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      out[k] = fn(typeof a === 'number' ? a : (a as Float64Array)[k], typeof b === 'number' ? b : (b as Float64Array)[k]);
    }
    return out;
  }

  constant(data: Float64Array): Num {
    return data;
  }

  broadcastTo(x: Value, from: Shape, to: Shape): Num {
    if (typeof x === 'number') return x;
    const xs = x as Float64Array;
    if (xs.length === 1) return new Float64Array(sizeOf(to)).fill(xs[0]);
    if (sameShape(from, to)) return xs;
    const out = new Float64Array(sizeOf(to));
    walkBroadcast(to, from, (big, small, n, step) => {
      if (step === 1) for (let k = 0; k < n; k++) out[big + k] = xs[small + k];
      else out.fill(xs[small], big, big + n);
    });
    return out;
  }

  sumTo(x: Value, from: Shape, to: Shape): Num {
    if (typeof x === 'number') return x === 0 ? 0 : x * (sizeOf(from) / sizeOf(to));
    const xs = x as Float64Array;
    if (sameShape(from, to)) return xs;
    const out = new Float64Array(sizeOf(to));
    walkBroadcast(from, to, (big, small, n, step) => {
      if (step === 1) for (let k = 0; k < n; k++) out[small + k] += xs[big + k];
      else {
        let s = 0;
        for (let k = 0; k < n; k++) s += xs[big + k];
        out[small] += s;
      }
    });
    return out;
  }

  reshape(x: Value): Num {
    return x as Num;
  }

  transpose(x: Value, shape: Shape, perm: readonly number[]): Num {
    if (typeof x === 'number') return x;
    const xs = x as Float64Array;
    const out = new Float64Array(xs.length);
    if (shape.length === 2 && perm[0] === 1) transposeInto(xs, shape[0], shape[1], out);
    else permuteInto(xs, shape, perm, out);
    return out;
  }

  matmul(a: Value, aShape: Shape, b: Value, bShape: Shape, ta: boolean, tb: boolean): Num {
    if (a === 0 || b === 0) return 0;
    const A = materialize(a as Num, aShape), B = materialize(b as Num, bShape);
    const m = ta ? aShape[1] : aShape[0], k = ta ? aShape[0] : aShape[1];
    const n = tb ? bShape[0] : bShape[1];
    const C = new Float64Array(m * n);
    gemm(A, ta, B, tb, C, m, n, k, false);
    // The kernels follow IEEE, where 0·∞ = NaN; products in rules keep structural zeros, like mul.
    // Only a NaN in the result can come from such a product, so only then is it recomputed.
    if (hasNaN(C)) this.matmulWithZeros(A, B, C, m, n, k, ta, tb);
    return C;
  }

  private matmulWithZeros(
    A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, ta: boolean, tb: boolean,
  ): void {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) {
          s += this.times(ta ? A[l * m + i] : A[i * k + l], tb ? B[j * k + l] : B[l * n + j]);
        }
        C[i * n + j] = s;
      }
    }
  }

  slice(x: Value, shape: Shape, start: number, end: number, axis: number): Num {
    if (typeof x === 'number') return x;
    const { outer, n, inner } = axisView(shape, axis);
    const len = end - start;
    const out = new Float64Array(outer * len * inner);
    copyAlongAxis(x as Float64Array, n, start, out, len, 0, len, outer, inner);
    return out;
  }

  pad(x: Value, shape: Shape, start: number, n: number, axis: number): Num {
    if (x === 0) return 0;
    const xs = materialize(x as Num, shape);
    const { outer, n: len, inner } = axisView(shape, axis);
    const out = new Float64Array(outer * n * inner);
    copyAlongAxis(xs, len, 0, out, n, start, len, outer, inner);
    return out;
  }

  concat(parts: readonly Value[], shapes: readonly Shape[], axis: number): Num {
    const { outer, inner } = axisView(shapes[0], axis);
    const lengths = shapes.map((s) => s[axis]);
    const total = lengths.reduce((p, d) => p + d, 0);
    const out = new Float64Array(outer * total * inner);
    let at = 0;
    parts.forEach((part, j) => {
      if (part !== 0) copyAlongAxis(materialize(part as Num, shapes[j]), lengths[j], 0, out, total, at, lengths[j], outer, inner);
      at += lengths[j];
    });
    return out;
  }

  at(x: Value, _shape: Shape, k: number): number {
    return typeof x === 'number' ? x : (x as Float64Array)[k];
  }

  oneHot(x: Value, shape: Shape, k: number): Num {
    if (x === 0) return 0;
    const out = new Float64Array(sizeOf(shape));
    out[k] = typeof x === 'number' ? x : (x as Float64Array)[0];
    return out;
  }

  select(pick: Uint8Array, a: Value, b: Value): Num {
    if (a === 0 && b === 0) return 0;
    const out = new Float64Array(pick.length);
    const as = a as Num, bs = b as Num;
    for (let k = 0; k < out.length; k++) {
      const src = pick[k] ? as : bs;
      out[k] = typeof src === 'number' ? src : src[k];
    }
    return out;
  }

  promote(x: Value): Num {
    return x as Num; // a number is already a constant of any shape
  }

  demote(x: Value): number {
    return typeof x === 'number' ? x : (x as Float64Array)[0];
  }

  apply<P>(p: Primitive<P>, args: readonly Value[], shapes: readonly Shape[], params: P): Num {
    return p.numbers(args as readonly Num[], shapes, params);
  }
}

function mapScalar(xs: Float64Array, f: (x: number) => number): Float64Array {
  const out = new Float64Array(xs.length);
  for (let k = 0; k < out.length; k++) out[k] = f(xs[k]);
  return out;
}

/**
 * Visits a broadcast pair row by row: `big` has shape `bigShape`, `small` broadcasts to it (NumPy
 * rules). For each run of n elements along the last axis it calls visit(bigStart, smallStart, n,
 * step), step 1 when the small array runs along with the big one there, 0 when it repeats one element.
 */
function walkBroadcast(bigShape: Shape, smallShape: Shape, visit: (big: number, small: number, n: number, step: number) => void): void {
  const rank = bigShape.length;
  if (rank === 0) {
    visit(0, 0, 1, 1);
    return;
  }
  const offset = rank - smallShape.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let k = rank - 1; k >= offset; k--) {
    const d = smallShape[k - offset];
    strides[k] = d === 1 ? 0 : stride;
    stride *= d;
  }
  const n = bigShape[rank - 1];
  const step = strides[rank - 1];
  const rows = sizeOf(bigShape) / Math.max(n, 1);
  if (n === 0 || rows === 0) return;
  const counter = new Array<number>(rank).fill(0);
  let small = 0;
  for (let row = 0, big = 0; row < rows; row++, big += n) {
    visit(big, small, n, step === 0 ? 0 : 1);
    for (let k = rank - 2; k >= 0; k--) {
      counter[k]++;
      small += strides[k];
      if (counter[k] < bigShape[k]) break;
      small -= strides[k] * counter[k];
      counter[k] = 0;
    }
  }
}

/** A number stands for a constant of any shape; kernels need its elements written out. */
export function materialize(x: Num, shape: Shape): Float64Array {
  return typeof x === 'number' ? new Float64Array(sizeOf(shape)).fill(x) : x;
}

function hasNaN(xs: Float64Array): boolean {
  // Branch-free: x·0 is NaN exactly for NaN and ±∞, and one such term makes the sum NaN.
  let acc = 0;
  for (let k = 0; k < xs.length; k++) acc += xs[k] * 0;
  return acc !== 0;
}

/** A shape seen as [outer, n, inner] around one axis. */
export interface AxisView {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
}

export function axisView(shape: Shape, axis: number): AxisView {
  let outer = 1;
  let inner = 1;
  for (let k = 0; k < axis; k++) outer *= shape[k];
  for (let k = axis + 1; k < shape.length; k++) inner *= shape[k];
  return { outer, n: shape[axis], inner };
}

/**
 * For each of `outer` rows, copies `len·inner` contiguous numbers from `src` (axis length `srcN`,
 * starting at axis index `srcAt`) to `dst` (axis length `dstN`, at `dstAt`).
 */
export function copyAlongAxis(
  src: Float64Array, srcN: number, srcAt: number,
  dst: Float64Array, dstN: number, dstAt: number,
  len: number, outer: number, inner: number,
): void {
  const run = len * inner;
  for (let o = 0; o < outer; o++) {
    const s = (o * srcN + srcAt) * inner;
    const d = (o * dstN + dstAt) * inner;
    for (let k = 0; k < run; k++) dst[d + k] = src[s + k];
  }
}

/** out = x with axes permuted (result axis j is axis perm[j] of x), any rank. */
export function permuteInto(xs: Float64Array, shape: Shape, perm: readonly number[], out: Float64Array): void {
  const rank = shape.length;
  const strides = new Array<number>(rank);
  let s = 1;
  for (let k = rank - 1; k >= 0; k--) {
    strides[k] = s;
    s *= shape[k];
  }
  const outShape = perm.map((p) => shape[p]);
  const step = perm.map((p) => strides[p]);
  const counter = new Array<number>(rank).fill(0);
  let src = 0;
  for (let e = 0; e < out.length; e++) {
    out[e] = xs[src];
    for (let k = rank - 1; k >= 0; k--) {
      counter[k]++;
      src += step[k];
      if (counter[k] < outShape[k]) break;
      src -= step[k] * counter[k];
      counter[k] = 0;
    }
  }
}
