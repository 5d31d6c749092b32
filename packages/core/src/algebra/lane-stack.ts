/**
 * k tangent lanes in one sweep (hvpMany, hessian). A node's tangent R{y} and R-adjoint R{ȳ} hold one
 * value per direction, a {@link LaneStack}; its value y and adjoint ȳ do not depend on the direction
 * and stay single. Every rule's tangent and R-adjoint output is linear in the lanes it reads, each
 * lane computed from that lane alone and the shared values, so the single-direction rule applied to
 * each lane is the k-direction rule: the {@link StackedAlgebra} does exactly that for any method given
 * a stack, and no rule changes. Where it pays, a method does the k lanes at once: elementwise work on
 * a whole stack (the lanes one after another in one array) is one fused loop over k·size elements,
 * the shared operands read tiled; a matrix product with one shared operand becomes ONE product with
 * the lanes as extra rows or columns (A·[ẋ₁ … ẋₖ]), not k. Each lane's numbers are those of the
 * one-direction rule, bit for bit where the kernels' are (see matmulSum).
 * @module
 */
import { sizeOf, type Shape } from '../shape.js';
import { separateSums, type Algebra, type Elementwise, type Elementwise2, type Primitive, type ProductTerm, type Value } from './algebra.js';
import { Lazy, evaluate, tile } from './fusion.js';
import { NumberAlgebra, fresh, hasNaN, keep, materialize } from './numbers.js';
import { MAX_BATCH, gemm, gemmBatch, lastProductMayHoldNaN, productOnWasm, type GemmProduct, type GemmTerm } from '../kernels/backend.js';
import { unfilled } from './unfilled.js';

/**
 * One value per direction, each a value of the numbers algebra (0 where the lane is zero); or the k
 * lanes of a tensor node of `size` elements one after another in ONE value of k·size elements
 * (`whole`: an array, or an expression not yet evaluated), which elementwise work runs over as one
 * loop instead of k. @internal
 */
export class LaneStack {
  private perLane: Value[] | null;
  private array: Float64Array | null;

  constructor(lanes: Value[] | null, readonly whole: Float64Array | Lazy | null = null, readonly size = 0) {
    this.perLane = lanes;
    this.array = whole instanceof Float64Array ? whole : null;
  }

  /** The k lanes one after another, from k·size numbers (an array or an expression). */
  static whole(whole: Float64Array | Lazy, size: number): LaneStack {
    return new LaneStack(null, whole, size);
  }

  /** The k·size numbers of a whole stack (its expression evaluated once). */
  wholeArray(): Float64Array {
    if (this.array === null) {
      if (!(this.whole instanceof Lazy)) throw new Error('dualtape internal error: a stack of separate lanes read as one array');
      this.array = fresh(evaluate(this.whole, structuralTimes, null, false));
    }
    return this.array;
  }

  /**
   * One value per direction; of a whole stack, views of its array (held: a lane copies what it
   * keeps, since the array may be read whole too).
   */
  get lanes(): Value[] {
    if (this.perLane === null) {
      const W = this.wholeArray(), size = this.size;
      this.perLane = Array.from({ length: W.length / size }, (_, j) => W.subarray(j * size, (j + 1) * size));
    }
    return this.perLane;
  }
}

/**
 * The structural-zero product for evaluating a whole stack outside an algebra (its 0·∞ are not
 * counted: strict mode, which reads the count, sweeps one direction at a time).
 */
function structuralTimes(u: number, w: number): number {
  return u === 0 || w === 0 ? 0 : u * w + 0;
}

/** Lane j of v: a stack's own, or v itself when v is shared by every lane. */
function laneOf(v: Value, j: number): Value {
  return v instanceof LaneStack ? v.lanes[j] : v;
}

function anyStack(values: readonly Value[]): boolean {
  for (const v of values) if (v instanceof LaneStack) return true;
  return false;
}

/**
 * The numbers algebra over values that may be lane stacks: a method given a stack among its
 * arguments runs once per lane, the other arguments shared; with none, it is the numbers algebra.
 * A result whose lanes are all zero is the symbolic zero 0, so rules still skip that work. @internal
 */
export class StackedAlgebra implements Algebra {
  readonly kind = 'numbers' as const;
  /** The numbers algebra each lane computes in (its 0·∞ count is this algebra's). */
  readonly base = new NumberAlgebra();
  readonly timesFn = this.base.timesFn;

  constructor(readonly k: number) {}

  /** Lanes 0…k−1 of `lane(j)`, or 0 when all are zero. */
  private stack(lane: (j: number) => Value): Value {
    const lanes = new Array<Value>(this.k);
    let zero = true;
    for (let j = 0; j < this.k; j++) if ((lanes[j] = lane(j)) !== 0) zero = false;
    return zero ? 0 : new LaneStack(lanes);
  }

  /**
   * A value every lane reads, computed once: an expression left unevaluated would be evaluated again
   * in each lane's loop (f′(x) = cos x, k times over). The same numbers: each element is the same
   * operations on the same operands, whether fused into the lane's loop or not.
   */
  private shared(v: Value): Value {
    return v instanceof Lazy ? keep(this.base.numbers(v) as Float64Array) : v;
  }

  /**
   * f over the k lanes as ONE expression of k·size elements where every stacked operand is whole (of
   * one size) and each shared one is a number or an array of that size, read tiled (the lanes' loop
   * reads it k times over); null where they are not, or the result is no array. The same numbers as
   * f lane by lane: each element is the same operations on the same operands.
   */
  private wholeOp(a: Value, b: Value, f: (a: Value, b: Value) => Value): Value | null {
    let size = -1;
    for (const v of [a, b]) {
      if (!(v instanceof LaneStack)) continue;
      if (v.whole === null || (size >= 0 && v.size !== size)) return null;
      size = v.size;
    }
    const whole = (v: Value): Value | null => {
      if (v instanceof LaneStack) return v.whole;
      if (typeof v === 'number') return v;
      // A tile longer than the fused loops' chunks keeps them in JavaScript: lane by lane then.
      return v instanceof Float64Array && v.length === size && size <= WHOLE_TILE_MAX ? tile(v, this.k * size) : null;
    };
    const wa = whole(a), wb = whole(b);
    if (wa === null || wb === null) return null;
    const r = f(wa, wb);
    if (r === 0) return 0;
    return r instanceof Lazy || r instanceof Float64Array ? LaneStack.whole(r, size) : null;
  }

  /** f(a, b) for stacks among a and b: whole where it can be, else lane by lane, a shared expression computed once. */
  private binary(a: Value, b: Value, f: (a: Value, b: Value) => Value): Value {
    a = this.shared(a);
    b = this.shared(b);
    return this.wholeOp(a, b, f) ?? this.stack((j) => f(laneOf(a, j), laneOf(b, j)));
  }

  /** f(x) of a stack x: one expression over a whole stack, else lane by lane. */
  private unary(x: LaneStack, f: (x: Value) => Value): Value {
    if (x.whole !== null) {
      const r = f(x.whole);
      if (r === 0) return 0;
      if (r instanceof Lazy || r instanceof Float64Array) return LaneStack.whole(r, x.size);
    }
    return this.stack((j) => f(laneOf(x, j)));
  }

  add(a: Value, b: Value): Value {
    if (!(a instanceof LaneStack || b instanceof LaneStack)) return this.base.add(a, b);
    return this.binary(a, b, (u, v) => this.base.add(u, v));
  }

  sub(a: Value, b: Value): Value {
    if (!(a instanceof LaneStack || b instanceof LaneStack)) return this.base.sub(a, b);
    return this.binary(a, b, (u, v) => this.base.sub(u, v));
  }

  mul(a: Value, b: Value): Value {
    if (!(a instanceof LaneStack || b instanceof LaneStack)) return this.base.mul(a, b);
    return this.binary(a, b, (u, v) => this.base.mul(u, v));
  }

  div(a: Value, b: Value): Value {
    if (!(a instanceof LaneStack || b instanceof LaneStack)) return this.base.div(a, b);
    return this.binary(a, b, (u, v) => this.base.div(u, v));
  }

  neg(a: Value): Value {
    return a instanceof LaneStack ? this.unary(a, (u) => this.base.neg(u)) : this.base.neg(a);
  }

  map(op: Elementwise, x: Value, p = 0): Value {
    return x instanceof LaneStack ? this.unary(x, (u) => this.base.map(op, u, p)) : this.base.map(op, x, p);
  }

  map2(op: Elementwise2, a: Value, b: Value): Value {
    if (!(a instanceof LaneStack || b instanceof LaneStack)) return this.base.map2(op, a, b);
    return this.binary(a, b, (u, v) => this.base.map2(op, u, v));
  }

  numbers(x: Value): number | Float64Array {
    // Rules read numbers of values (y, ȳ) to decide branches; a lane stack has no single number.
    if (x instanceof LaneStack) throw new Error('dualtape internal error: a rule read the numbers of a tangent lane stack');
    return this.base.numbers(x);
  }

  step(x: Value, fn: (v: number) => number): Value {
    return x instanceof LaneStack ? this.unary(x, (u) => this.base.step(u, fn)) : this.base.step(x, fn);
  }

  step2(a: Value, b: Value, fn: (u: number, v: number) => number): Value {
    if (!(a instanceof LaneStack || b instanceof LaneStack)) return this.base.step2(a, b, fn);
    return this.binary(a, b, (u, v) => this.base.step2(u, v, fn));
  }

  broadcastTo(x: Value, from: Shape, to: Shape): Value {
    return x instanceof LaneStack ? this.stack((j) => this.base.broadcastTo(laneOf(x, j), from, to)) : this.base.broadcastTo(x, from, to);
  }

  sumTo(x: Value, from: Shape, to: Shape): Value {
    return x instanceof LaneStack ? this.stack((j) => this.base.sumTo(laneOf(x, j), from, to)) : this.base.sumTo(x, from, to);
  }

  reshape(x: Value): Value {
    return x; // the same elements, lane by lane
  }

  constant(data: Float64Array): Value {
    return data;
  }

  transpose(x: Value, shape: Shape, perm: readonly number[]): Value {
    return x instanceof LaneStack ? this.stack((j) => this.base.transpose(laneOf(x, j), shape, perm)) : this.base.transpose(x, shape, perm);
  }

  slice(x: Value, shape: Shape, start: number, end: number, axis: number): Value {
    return x instanceof LaneStack ? this.stack((j) => this.base.slice(laneOf(x, j), shape, start, end, axis)) : this.base.slice(x, shape, start, end, axis);
  }

  pad(x: Value, shape: Shape, start: number, n: number, axis: number): Value {
    return x instanceof LaneStack ? this.stack((j) => this.base.pad(laneOf(x, j), shape, start, n, axis)) : this.base.pad(x, shape, start, n, axis);
  }

  concat(parts: readonly Value[], shapes: readonly Shape[], axis: number): Value {
    if (!anyStack(parts)) return this.base.concat(parts, shapes, axis);
    return this.stack((j) => this.base.concat(parts.map((p) => laneOf(p, j)), shapes, axis));
  }

  at(x: Value, shape: Shape, k: number): Value {
    return x instanceof LaneStack ? this.stack((j) => this.base.at(laneOf(x, j), shape, k)) : this.base.at(x, shape, k);
  }

  oneHot(x: Value, shape: Shape, k: number): Value {
    return x instanceof LaneStack ? this.stack((j) => this.base.oneHot(laneOf(x, j), shape, k)) : this.base.oneHot(x, shape, k);
  }

  select(pick: Uint8Array, a: Value, b: Value): Value {
    if (!(a instanceof LaneStack || b instanceof LaneStack)) return this.base.select(pick, a, b);
    a = this.shared(a);
    b = this.shared(b);
    return this.stack((j) => this.base.select(pick, laneOf(a, j), laneOf(b, j)));
  }

  promote(x: Value): Value {
    return x;
  }

  demote(x: Value): Value {
    return x instanceof LaneStack ? this.stack((j) => this.base.demote(laneOf(x, j))) : this.base.demote(x);
  }

  apply<P>(p: Primitive<P>, args: readonly Value[], shapes: readonly Shape[], params: P): Value {
    // A primitive given this algebra in its parameters (a batched product's structural zeros) gets
    // the lane's own algebra, whose products it knows.
    const own = params !== null && typeof params === 'object' && (params as { o?: unknown }).o === this ? { ...params, o: this.base } : params;
    if (!anyStack(args)) return this.base.apply(p, args, shapes, own);
    // As one direction's rule would call it: a lane that is zero in every stacked argument gives 0
    // (what a rule does with a symbolic-zero lane, e.g. primitive-lanes.ts), a constant lane is
    // written out at its argument's shape, since primitives compute on arrays.
    return this.stack((j) => {
      let zero = true;
      for (const a of args) if (a instanceof LaneStack && a.lanes[j] !== 0) zero = false;
      if (zero) return 0;
      const lanes = args.map((a, m) => {
        const v = laneOf(a, j);
        return a instanceof LaneStack && typeof v === 'number' ? new Float64Array(sizeOf(shapes[m])).fill(v) : v;
      });
      return this.base.apply(p, lanes, shapes, own);
    });
  }

  /**
   * Σ op(Aₜ)·op(Bₜ) for every lane, each term a product whose lanes are stacked as {@link matmul}
   * stacks them (a shared operand read once for all k lanes), the terms added in order into one
   * result by the kernels' accumulate: the same numbers as the one-direction sum, which the kernels
   * compute as one product of longer depth, adding term after term (assembly/gemm.ts). The lanes
   * of Ȧ·B stack as rows of the result and those of A·Ḃ as columns, so the result is turned between
   * the two layouts where its terms need it.
   */
  matmulSum(terms: readonly ProductTerm[]): Value {
    if (!terms.some((t) => t.a instanceof LaneStack || t.b instanceof LaneStack)) return this.base.matmulSum(terms);
    return this.stackedSum(terms) ?? this.laneByLaneSum(terms);
  }

  /** The sums one by one, each as matmulSum takes its lanes; on the base algebra together when no lane is stacked. */
  matmulSums(sums: readonly (readonly ProductTerm[])[]): Value[] {
    const stacked = sums.some((terms) => terms.some((t) => t.a instanceof LaneStack || t.b instanceof LaneStack));
    return stacked ? separateSums(this, sums) : this.base.matmulSums(sums);
  }

  /**
   * Each lane's sum as the one-direction rule computes it (one kernel call of its live terms), each
   * written into its block of one whole result where every lane has live terms of one depth.
   */
  private laneByLaneSum(terms: readonly ProductTerm[]): Value {
    const k = this.k;
    const laneTerms = (j: number) => terms.map((t) => ({ ...t, a: laneOf(t.a, j), b: laneOf(t.b, j) }));
    const first = terms[0];
    const m = first.ta ? first.aShape[1] : first.aShape[0], depth = first.ta ? first.aShape[0] : first.aShape[1];
    const n = first.tb ? first.bShape[0] : first.bShape[1], size = m * n;
    const lives: GemmTerm[][] = [];
    const oneDepth = terms.every((t) => (t.ta ? t.aShape[0] : t.aShape[1]) === depth);
    for (let j = 0; j < k && size > 0 && oneDepth; j++) {
      const live: GemmTerm[] = [];
      for (const t of terms) {
        const a = this.base.numbers(laneOf(t.a, j)), b = this.base.numbers(laneOf(t.b, j));
        if (a !== 0 && b !== 0) live.push({ a: materialize(a, t.aShape), transA: t.ta, b: materialize(b, t.bShape), transB: t.tb });
      }
      if (live.length === 0) break;
      lives.push(live);
    }
    if (lives.length < k) return this.stack((j) => this.base.matmulSum(laneTerms(j)));
    const C = unfilled(k * size);
    // The lanes' sums as one job of the kernels per MAX_BATCH lanes (gemmBatch: each the numbers of
    // its own gemmSum), so an operand the lanes share (the activations a weight's lanes meet) is
    // copied into the kernels' memory once and the threads fork and join once, not once per lane.
    for (let j0 = 0; j0 < k; j0 += MAX_BATCH) {
      const j1 = Math.min(k, j0 + MAX_BATCH);
      const products: GemmProduct[] = [];
      for (let j = j0; j < j1; j++) products.push({ terms: lives[j], C: C.subarray(j * size, (j + 1) * size), m, n, k: depth });
      gemmBatch(products);
      if (!lastProductMayHoldNaN()) continue;
      for (let j = j0; j < j1; j++) {
        const block = products[j - j0].C;
        // As the numbers algebra: a NaN may be a 0·∞ that a rule's product makes 0 (see matmulSums there).
        if (hasNaN(block)) block.set(materialize(this.base.numbers(this.base.matmulSum(laneTerms(j))) as number | Float64Array, [m, n]));
      }
    }
    return LaneStack.whole(fresh(C), size);
  }

  /** matmulSum with the lanes stacked into products (see there); null where the terms' depths differ. */
  private stackedSum(terms: readonly ProductTerm[]): Value | null {
    const k = this.k;
    // As the numbers algebra: a term with a zero operand is left out (a zero lane of a stack is
    // written out as zeros, which add nothing).
    const live: ProductTerm[] = [];
    for (const t of terms) {
      const a = t.a instanceof LaneStack ? t.a : this.base.numbers(t.a);
      const b = t.b instanceof LaneStack ? t.b : this.base.numbers(t.b);
      if (a !== 0 && b !== 0) live.push({ ...t, a, b });
    }
    if (live.length === 0) return 0;
    const first = live[0];
    const m = first.ta ? first.aShape[1] : first.aShape[0], depth = first.ta ? first.aShape[0] : first.aShape[1];
    const n = first.tb ? first.bShape[0] : first.bShape[1];
    if (!live.every((t) => (t.ta ? t.aShape[0] : t.aShape[1]) === depth)) return null;
    // Terms added into C one by one are the one-call sum only on the WebAssembly kernels (see
    // productOnWasm), which take every product here when they take one lane's term.
    if (live.length > 1 && !productOnWasm(m * n * depth)) return null;
    // Each term stacked, or all lane by lane: a term apart would still cost a call per lane.
    const modes: Mode[] = [];
    for (const t of live) {
      const mode = this.modeOf(t, m, n, n > 1 && modes.some((mode) => mode !== COLUMNS));
      if (mode === APART) return null;
      modes.push(mode);
    }
    const size = m * n;
    // A lane whose every term is zero stays the symbolic zero, as one direction's sum gives it (a
    // zero lane of a stack is written out as zeros, which add nothing).
    const used = new Uint8Array(k);
    for (const t of live) {
      for (let j = 0; j < k; j++) if (laneOf(t.a, j) !== 0 && laneOf(t.b, j) !== 0) used[j] = 1;
    }
    // C in rows layout: lane j's m×n block at j·m·n (a [k·m, n] matrix); in columns layout: row i of
    // every lane side by side (an [m, k·n] matrix).
    let C = unfilled(k * size), rows = true, written = false, mayHoldNaN = false;
    const layout = (wanted: boolean) => {
      if (rows === wanted) return;
      if (written) C = wanted ? columnsToRows(C, m, n, k) : rowsToColumns(C, m, n, k);
      rows = wanted;
    };
    live.forEach((t, q) => {
      const [ar, ac] = t.aShape, [br, bc] = t.bShape;
      if (modes[q] === COLUMNS && n === 1) {
        // Vectors: op(A)·bⱼ is (bⱼᵀ·op(A)ᵀ)ᵀ, and a vector and its transpose are the same numbers, so
        // the lanes of b one after another times op(A)ᵀ are the lanes of the result one after another
        // (each entry the same products added in the same order: the same bits).
        layout(true);
        gemm(this.lanesInRows(t.b as LaneStack, br * bc), false, this.sharedArray(t.a, ar * ac), !t.ta, C, k, m, depth, written);
      } else if (modes[q] === COLUMNS) {
        // op(A)·[op(B₁) … op(Bₖ)]: the lanes of B as extra columns.
        layout(false);
        const Bs = t.tb ? this.lanesInRows(t.b as LaneStack, br * bc) : interleaveRows(this.laneArrays(t.b as LaneStack, br * bc), br, bc);
        gemm(this.sharedArray(t.a, ar * ac), t.ta, Bs, t.tb, C, m, k * n, depth, written);
      } else {
        // [op(A₁); …; op(Aₖ)]·op(B): the lanes of A as extra rows.
        layout(true);
        // (Row vectors read transposed are the same numbers as read in place.)
        const ta = t.ta && m > 1;
        const As = ta ? interleaveRows(this.laneArrays(t.a as LaneStack, ar * ac), ar, ac) : this.lanesInRows(t.a as LaneStack, ar * ac);
        gemm(As, ta, this.sharedArray(t.b, br * bc), t.tb, C, k * m, n, depth, written);
      }
      mayHoldNaN ||= lastProductMayHoldNaN();
      written = true;
    });
    layout(true);
    if (size > 0 && !used.includes(0) && !(mayHoldNaN && hasNaN(C))) return LaneStack.whole(fresh(C), size);
    return new LaneStack(Array.from({ length: k }, (_, j) => {
      if (used[j] === 0) return 0;
      const lane = C.subarray(j * size, (j + 1) * size);
      // The kernels follow IEEE (0·∞ = NaN); a rule's products keep structural zeros. Only a lane
      // holding a NaN can differ, and it is computed again as one direction's sum does.
      if (mayHoldNaN && hasNaN(lane)) return this.base.matmulSum(terms.map((u) => ({ ...u, a: laneOf(u.a, j), b: laneOf(u.b, j) })));
      // Each lane a view of its own block of C: disjoint, so a lane may take its view as its array.
      return fresh(lane);
    }));
  }

  /**
   * How a term of an m×n sum takes its lanes. Stacked, one product reads the shared operand once
   * for k lanes and pays one call; but the lanes are copied into one operand (strided when they
   * sit side by side) and, stacked as columns, the result is cut back into lanes. Per lane those
   * copies are about the stacked operand's and the result's size, against about twice the shared
   * operand's (copied into the kernels' memory and packed) and a call's fixed cost: stacking pays
   * where the shared operand is large against the lanes (A·[ẋ₁ … ẋₖ] with a dense A), not where
   * small lanes of weights meet larger activations. `switched`: a columns term after rows ones
   * turns the result between layouts once more.
   */
  private modeOf(t: ProductTerm, m: number, n: number, switched: boolean): Mode {
    const sa = t.a instanceof LaneStack, sb = t.b instanceof LaneStack;
    const aSize = t.aShape[0] * t.aShape[1], bSize = t.bShape[0] * t.bShape[1];
    // Lanes read in rows cost no copy when they are one array already (a whole stack), one copy
    // else; lanes side by side, and a result cut back into lanes, a strided copy each.
    const rows = (x: Value, size: number) => ((x as LaneStack).whole instanceof Float64Array ? 0 : size);
    if (sb && !sa && n <= THIN) {
      // Vector lanes need neither packing nor cutting apart (see stackedSum).
      const cost = n === 1 ? rows(t.b, bSize) : (t.tb ? rows(t.b, bSize) : STRIDED * bSize) + STRIDED * m * n * (switched ? 2 : 1);
      return 2 * aSize + CALL_COST >= cost ? COLUMNS : APART;
    }
    if (sa && !sb && (!t.ta || m <= THIN)) {
      const cost = t.ta && m > 1 ? STRIDED * aSize : rows(t.a, aSize);
      return 2 * bSize + CALL_COST >= cost ? ROWS : APART;
    }
    return APART;
  }

  /** A shared operand's elements (a constant written out). */
  private sharedArray(x: Value, size: number): Float64Array {
    const v = this.base.numbers(x);
    return typeof v === 'number' ? new Float64Array(size).fill(v) : v;
  }

  /** op(A)·op(B): a sum of one term (see {@link matmulSum}), the lanes stacked into one product where that pays. */
  matmul(a: Value, aShape: Shape, b: Value, bShape: Shape, ta: boolean, tb: boolean): Value {
    const sa = a instanceof LaneStack, sb = b instanceof LaneStack;
    if (!sa && !sb) return this.base.matmul(a, aShape, b, bShape, ta, tb);
    const term: ProductTerm[] = [{ a, aShape, ta, b, bShape, tb }];
    return (sa && sb ? null : this.stackedSum(term)) ?? this.laneByLaneSum(term);
  }

  /** The k lanes one after another: a whole stack's own array, else copied together. */
  private lanesInRows(x: LaneStack, size: number): Float64Array {
    return x.whole !== null ? x.wholeArray() : concatLanes(this.laneArrays(x, size), size);
  }

  /** Each lane of a stack as an array of `size` numbers (a zero or constant lane written out). */
  private laneArrays(x: LaneStack, size: number): Float64Array[] {
    return x.lanes.map((lane) => {
      const v = this.base.numbers(lane);
      return typeof v === 'number' ? new Float64Array(size).fill(v) : v;
    });
  }
}

/** How a term of a sum of products takes its lanes: as extra columns, as extra rows, or one product per lane. */
const COLUMNS = 0, ROWS = 1, APART = 2;
type Mode = typeof COLUMNS | typeof ROWS | typeof APART;
/** A kernel call's fixed cost, in numbers copied (see modeOf). */
const CALL_COST = 2048;
/**
 * A number copied to or from lanes side by side against one copied in a block: measured 4–8× (the
 * 64×30 lanes of a 20-30-5 network's layer, 16–28 lanes: 4–8 ns against about 1 ns a number).
 */
const STRIDED = 4;
/**
 * The most elements per lane for which a shared array is read tiled by a whole stack's loop: the
 * WebAssembly loops take tiles up to 4 chunks of 2¹⁴ (algebra/wasm-loops.ts); longer lanes cost
 * little per lane anyway.
 */
const WHOLE_TILE_MAX = 1 << 16;
/** The widest per-lane product side (columns, or rows read transposed) that is packed into one product. */
const THIN = 32;

/** The lanes one after another. */
function concatLanes(lanes: readonly Float64Array[], size: number): Float64Array {
  const out = new Float64Array(lanes.length * size);
  lanes.forEach((lane, j) => out.set(lane, j * size));
  return out;
}

/** k lanes of [r, c] side by side as one [r, k·c] matrix. */
function interleaveRows(lanes: readonly Float64Array[], r: number, c: number): Float64Array {
  const k = lanes.length;
  const out = new Float64Array(r * k * c);
  for (let j = 0; j < k; j++) {
    const lane = lanes[j];
    for (let i = 0; i < r; i++) {
      const to = (i * k + j) * c, from = i * c;
      for (let e = 0; e < c; e++) out[to + e] = lane[from + e];
    }
  }
  return out;
}

/** k blocks of [m, n] one after another ([k·m, n]) as one [m, k·n] matrix, each block's row i side by side. */
function rowsToColumns(C: Float64Array, m: number, n: number, k: number): Float64Array {
  const out = unfilled(C.length);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < m; i++) {
      const from = (j * m + i) * n, to = (i * k + j) * n;
      for (let e = 0; e < n; e++) out[to + e] = C[from + e];
    }
  }
  return out;
}

/** An [m, k·n] matrix as its k column blocks of [m, n] one after another ([k·m, n]). */
function columnsToRows(C: Float64Array, m: number, n: number, k: number): Float64Array {
  const out = unfilled(C.length);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < m; i++) {
      const from = (i * k + j) * n, to = (j * m + i) * n;
      for (let e = 0; e < n; e++) out[to + e] = C[from + e];
    }
  }
  return out;
}
