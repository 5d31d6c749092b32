/**
 * The algebra of top-level sweeps: numbers for scalar nodes, Float64Arrays for tensor nodes, loops
 * with no per-element callback, matrix products on the selected kernels. One instance per tape, so
 * the 0·∞ products it resolves are counted per transform call (strict mode reads the count).
 * @module
 */
import { gemm, gemmBatch, lastProductMayHoldNaN, type GemmProduct } from '../kernels/backend.js';
import { transposeInto } from '../kernels/gemm.js';
import { sameShape, sizeOf, tilePeriod, type Shape } from '../shape.js';
import { addedProducts, type Algebra, type Elementwise, type Elementwise2, type Primitive, type ProductTerm, type Value } from './algebra.js';
import { Lazy, evaluate, lengthOf, tile, type Times } from './fusion.js';
import { unfilled } from './unfilled.js';
import { wasmColumnSums } from './wasm-loops.js';

type Num = number | Float64Array;
/** A value of this algebra: a number, an array, or elementwise work on arrays not done yet. */
type N = Num | Lazy;

export class NumberAlgebra implements Algebra {
  readonly kind = 'numbers' as const;
  /** How many 0·∞ (or 0·NaN) products `mul`/`matmul` have resolved to 0 on this tape. */
  indeterminate = 0;
  /** The structural-zero product, bound for fused loops. */
  readonly timesFn: Times = (u, w) => this.times(u, w);

  // Each elementwise method is a one-line test for two numbers: a rule on scalar nodes then inlines to
  // plain float arithmetic (V8 inlines small functions only). On arrays the work is deferred into a
  // Lazy expression, run as one fused loop when the result is needed (fusion.ts).
  add(a: Value, b: Value): N {
    return typeof a === 'number' && typeof b === 'number' ? a + b : this.lazy('+', a as N, b as N);
  }

  sub(a: Value, b: Value): N {
    return typeof a === 'number' && typeof b === 'number' ? a - b : this.lazy('-', a as N, b as N);
  }

  mul(a: Value, b: Value): N {
    return typeof a === 'number' && typeof b === 'number' ? this.times(a, b) : this.lazy('*', a as N, b as N);
  }

  div(a: Value, b: Value): N {
    return typeof a === 'number' && typeof b === 'number' ? a / b : this.lazy('/', a as N, b as N);
  }

  neg(a: Value): N {
    return typeof a === 'number' ? -a : new Lazy('neg', a as Lazy | Float64Array, 0, lengthOf(a as N, 0));
  }

  /** u·w with structural zeros, counting the products where the other factor was ±∞ or NaN. */
  times(u: number, w: number): number {
    return u === 0 || w === 0 ? this.zeroTimes(u, w) : u * w + 0;
  }

  private zeroTimes(u: number, w: number): number {
    if (u - u !== 0 || w - w !== 0) this.indeterminate++;
    return 0;
  }

  /** An elementwise operation on operands of which at least one is an array (or expression). */
  private lazy(kind: '+' | '-' | '*' | '/', a: N, b: N): N {
    // Symbolic zeros and ones fold away without touching the arrays.
    if (kind === '*') {
      if (a === 0 || b === 0) return this.zeroFactor(a === 0 ? b : a);
      if (a === 1) return b;
      if (b === 1) return a;
    } else if (kind === '+') {
      if (a === 0) return b;
      if (b === 0) return a;
    } else if (kind === '-') {
      if (b === 0) return a;
      if (a === 0) return this.neg(b);
    } else if (b === 1) return a;
    return new Lazy(kind, a, b, lengthOf(a, b));
  }

  /** 0·x: a structural zero; the 0·∞ it resolves are counted where x is at hand (strict mode). */
  private zeroFactor(x: N): 0 {
    if (x instanceof Float64Array) for (let k = 0; k < x.length; k++) if (x[k] - x[k] !== 0) this.indeterminate++;
    else if (typeof x === 'number' && x - x !== 0) this.indeterminate++;
    return 0;
  }

  map(op: Elementwise, x: Value, p = 0): N {
    const f = op.math.f;
    if (typeof x === 'number') return f(x, p);
    return new Lazy('f1', x as Lazy | Float64Array, p, lengthOf(x as N, 0), f);
  }

  map2(op: Elementwise2, a: Value, b: Value): N {
    return this.step2(a, b, op.math.f);
  }

  /** The numbers of a value: an expression is evaluated (one fused loop), anything else is as is. */
  numbers(x: Value): Num {
    return x instanceof Lazy ? fresh(evaluate(x, this.timesFn, null, false)) : (x as Num);
  }

  step(x: Value, fn: (v: number) => number): N {
    if (typeof x === 'number') return fn(x);
    return new Lazy('f1', x as Lazy | Float64Array, 0, lengthOf(x as N, 0), fn);
  }

  step2(a: Value, b: Value, fn: (u: number, v: number) => number): N {
    if (typeof a === 'number' && typeof b === 'number') return fn(a, b);
    return new Lazy('f2', a as N, b as N, lengthOf(a as N, b as N), fn);
  }

  constant(data: Float64Array): Num {
    return data;
  }

  broadcastTo(x: Value, from: Shape, to: Shape): N {
    x = this.numbers(x);
    if (typeof x === 'number') return x;
    const xs = x as Float64Array;
    if (sameShape(from, to)) return xs;
    const n = sizeOf(to);
    // Repeated whole along leading axes (a bias, a constant): left for the loop that reads it.
    if (n > 0 && tilePeriod(from, to) > 0) return tile(xs, n);
    const out = new Float64Array(n);
    walkBroadcast(to, from, (big, small, n, step) => {
      if (step === 1) for (let k = 0; k < n; k++) out[big + k] = xs[small + k];
      else out.fill(xs[small], big, big + n);
    });
    return fresh(out);
  }

  sumTo(x: Value, from: Shape, to: Shape): Num {
    x = this.numbers(x);
    if (typeof x === 'number') return x === 0 ? 0 : x * (sizeOf(from) / sizeOf(to));
    const xs = x as Float64Array;
    if (sameShape(from, to)) return xs;
    const p = sizeOf(to);
    const out = new Float64Array(p);
    if (p > 0 && tilePeriod(to, from) === p && to[to.length - 1] === from[from.length - 1]) {
      // The adjoint of a tile (a bias's): rows of P added up in order, as walkBroadcast would, four
      // rows per pass (the same additions in the same order, a quarter of the loads and stores of out).
      if (wasmColumnSums(xs, p, out)) return fresh(out);
      const n = xs.length, step = 4 * p;
      let k0 = 0;
      for (; k0 + step <= n; k0 += step) {
        for (let j = 0, k = k0; j < p; j++, k++) out[j] = out[j] + xs[k] + xs[k + p] + xs[k + 2 * p] + xs[k + 3 * p];
      }
      for (; k0 < n; k0 += p) for (let j = 0; j < p; j++) out[j] += xs[k0 + j];
      return fresh(out);
    }
    walkBroadcast(from, to, (big, small, n, step) => {
      if (step === 1) for (let k = 0; k < n; k++) out[small + k] += xs[big + k];
      else {
        let s = 0;
        for (let k = 0; k < n; k++) s += xs[big + k];
        out[small] += s;
      }
    });
    return fresh(out);
  }

  reshape(x: Value): N {
    return x as N; // the same elements: an expression stays unevaluated
  }

  transpose(x: Value, shape: Shape, perm: readonly number[]): Num {
    x = this.numbers(x);
    if (typeof x === 'number') return x;
    const xs = x as Float64Array;
    const out = unfilled(xs.length);
    if (shape.length === 2 && perm[0] === 1) transposeInto(xs, shape[0], shape[1], out);
    else permuteInto(xs, shape, perm, out);
    return fresh(out);
  }

  matmul(a: Value, aShape: Shape, b: Value, bShape: Shape, ta: boolean, tb: boolean): Num {
    a = this.numbers(a);
    b = this.numbers(b);
    if (a === 0 || b === 0) return 0;
    const A = materialize(a as Num, aShape), B = materialize(b as Num, bShape);
    const m = ta ? aShape[1] : aShape[0], k = ta ? aShape[0] : aShape[1];
    const n = tb ? bShape[0] : bShape[1];
    const C = unfilled(m * n); // gemm with accumulate false writes all of C
    gemm(A, ta, B, tb, C, m, n, k, false);
    // The kernels follow IEEE, where 0·∞ = NaN; products in rules keep structural zeros, like mul.
    // Only a NaN in the result can come from such a product, so only then is it recomputed. The
    // WebAssembly kernel says whether it stored any NaN, which spares a pass over C.
    if (lastProductMayHoldNaN() && hasNaN(C)) this.matmulWithZeros(A, B, C, m, n, k, ta, tb);
    return fresh(C);
  }

  matmulSum(terms: readonly ProductTerm[]): Num {
    return this.matmulSums([terms])[0];
  }

  matmulSums(sums: readonly (readonly ProductTerm[])[]): Num[] {
    const out: Num[] = new Array<Num>(sums.length).fill(0);
    const products: GemmProduct[] = [], at: number[] = [], lives: ProductTerm[][] = [];
    for (let q = 0; q < sums.length; q++) {
      const live: ProductTerm[] = [];
      for (const t of sums[q]) {
        const a = this.numbers(t.a), b = this.numbers(t.b);
        if (a !== 0 && b !== 0) live.push({ ...t, a, b });
      }
      if (live.length === 0) continue;
      const inner = (t: ProductTerm) => (t.ta ? t.aShape[0] : t.aShape[1]);
      const first = live[0];
      const m = first.ta ? first.aShape[1] : first.aShape[0], k = inner(first);
      const n = first.tb ? first.bShape[0] : first.bShape[1];
      if (!live.every((t) => inner(t) === k)) {
        out[q] = this.numbers(addedProducts(this, live)) as Num;
        continue;
      }
      const terms = live.map((t) => ({ a: materialize(t.a as Num, t.aShape), transA: t.ta, b: materialize(t.b as Num, t.bShape), transB: t.tb }));
      products.push({ terms, C: unfilled(m * n), m, n, k }); // gemmBatch writes all of each C
      at.push(q);
      lives.push(live);
    }
    if (products.length === 0) return out;
    gemmBatch(products);
    // The kernels follow IEEE, where 0·∞ = NaN; products in rules keep structural zeros, like mul.
    // Only a NaN in a result can come from such a product, so only then are its products computed
    // again one by one (matmul). The WebAssembly kernel says whether it stored any NaN, which spares
    // a pass over each C.
    const mayHoldNaN = lastProductMayHoldNaN();
    for (let j = 0; j < products.length; j++) {
      const C = products[j].C;
      out[at[j]] = mayHoldNaN && hasNaN(C) ? (this.numbers(addedProducts(this, lives[j])) as Num) : fresh(C);
    }
    return out;
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
    x = this.numbers(x);
    if (typeof x === 'number') return x;
    const { outer, n, inner } = axisView(shape, axis);
    const len = end - start;
    const out = unfilled(outer * len * inner);
    copyAlongAxis(x as Float64Array, n, start, out, len, 0, len, outer, inner);
    return fresh(out);
  }

  pad(x: Value, shape: Shape, start: number, n: number, axis: number): Num {
    x = this.numbers(x);
    if (x === 0) return 0;
    const xs = materialize(x as Num, shape);
    const { outer, n: len, inner } = axisView(shape, axis);
    const out = new Float64Array(outer * n * inner);
    copyAlongAxis(xs, len, 0, out, n, start, len, outer, inner);
    return fresh(out);
  }

  concat(parts: readonly Value[], shapes: readonly Shape[], axis: number): Num {
    parts = parts.map((part) => this.numbers(part));
    const { outer, inner } = axisView(shapes[0], axis);
    const lengths = shapes.map((s) => s[axis]);
    const total = lengths.reduce((p, d) => p + d, 0);
    const out = new Float64Array(outer * total * inner);
    let at = 0;
    parts.forEach((part, j) => {
      if (part !== 0) copyAlongAxis(materialize(part as Num, shapes[j]), lengths[j], 0, out, total, at, lengths[j], outer, inner);
      at += lengths[j];
    });
    return fresh(out);
  }

  at(x: Value, _shape: Shape, k: number): number {
    x = this.numbers(x);
    return typeof x === 'number' ? x : (x as Float64Array)[k];
  }

  oneHot(x: Value, shape: Shape, k: number): Num {
    x = this.numbers(x);
    if (x === 0) return 0;
    const out = new Float64Array(sizeOf(shape));
    out[k] = typeof x === 'number' ? x : (x as Float64Array)[0];
    return fresh(out);
  }

  select(pick: Uint8Array, a: Value, b: Value): Num {
    a = this.numbers(a);
    b = this.numbers(b);
    if (a === 0 && b === 0) return 0;
    const out = new Float64Array(pick.length);
    const as = a as Num, bs = b as Num;
    for (let k = 0; k < out.length; k++) {
      const src = pick[k] ? as : bs;
      out[k] = typeof src === 'number' ? src : src[k];
    }
    return fresh(out);
  }

  promote(x: Value): N {
    return x as N; // a number is already a constant of any shape
  }

  demote(x: Value): number {
    x = this.numbers(x);
    return typeof x === 'number' ? x : (x as Float64Array)[0];
  }

  apply<P>(p: Primitive<P>, args: readonly Value[], shapes: readonly Shape[], params: P): Num {
    return p.numbers(args.map((a) => this.numbers(a)), shapes, params, this);
  }
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

/**
 * Arrays this algebra has just allocated and nothing else refers to yet: a lane given one takes it
 * as its own instead of copying it (Tape.addBar), which saves a copy of every adjoint contribution.
 *
 * Large arrays are remembered in a WeakSet. Small ones, whose copy costs about what a WeakSet entry
 * does (its hash and the collector's ephemeron pass: ~150–300 ns), go in a ring of the last
 * `SMALL_FRESH` instead, with strong references that hold at most SMALL_FRESH × 32 KB. An array
 * pushed out of the ring before it is taken just counts as held: the lane then copies it, which is
 * always safe.
 */
const freshArrays = new WeakSet<Float64Array>();
/** Elements up to which an array goes in the ring. */
const SMALL = 4096;
const SMALL_FRESH = 16;
const smallFresh: Array<Float64Array | null> = new Array<Float64Array | null>(SMALL_FRESH).fill(null);
let nextSmall = 0;

export function fresh(a: Float64Array): Float64Array {
  if (a.length > SMALL) freshArrays.add(a);
  else if (!inRing(a, false)) {
    smallFresh[nextSmall] = a;
    nextSmall = (nextSmall + 1) % SMALL_FRESH;
  }
  return a;
}

/** Whether a is in the ring; with `remove`, takes it out. */
function inRing(a: Float64Array, remove: boolean): boolean {
  for (let s = 0; s < SMALL_FRESH; s++) {
    if (smallFresh[s] === a) {
      if (remove) smallFresh[s] = null;
      return true;
    }
  }
  return false;
}

/** Marks an array as held elsewhere (a node's value or tangent): no lane may take it. */
export function keep(a: Float64Array): Float64Array {
  if (a.length > SMALL) freshArrays.delete(a);
  else inRing(a, true);
  return a;
}

/** True for an array not waiting to be taken (a node's value or tangent, a lane): held elsewhere. */
export function isHeld(a: Float64Array): boolean {
  return a.length > SMALL ? !freshArrays.has(a) : !inRing(a, false);
}

/** True (once) for an array from {@link fresh}: the caller may keep it. */
export function takeFresh(a: Float64Array): boolean {
  return a.length > SMALL ? freshArrays.delete(a) : inRing(a, true);
}

/** A number stands for a constant of any shape; kernels need its elements written out. */
export function materialize(x: Num, shape: Shape): Float64Array {
  return typeof x === 'number' ? new Float64Array(sizeOf(shape)).fill(x) : x;
}

/** Whether xs holds a NaN or an infinity (where a product's 0·∞ may hide: matmul's structural-zero check). */
export function hasNaN(xs: Float64Array): boolean {
  // Branch-free: x·0 is NaN exactly for NaN and ±∞, and one such term makes a sum NaN. Four sums, so
  // the additions do not wait on each other.
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = xs.length, m = n - (n % 4);
  for (let k = 0; k < m; k += 4) {
    s0 += xs[k] * 0;
    s1 += xs[k + 1] * 0;
    s2 += xs[k + 2] * 0;
    s3 += xs[k + 3] * 0;
  }
  for (let k = m; k < n; k++) s0 += xs[k] * 0;
  return s0 + s1 + s2 + s3 !== 0;
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
