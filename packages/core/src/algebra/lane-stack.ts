/**
 * k tangent lanes in one sweep (hvpMany, hessian). A node's tangent R{y} and R-adjoint R{ȳ} hold one
 * value per direction, a {@link LaneStack}; its value y and adjoint ȳ do not depend on the direction
 * and stay single. Every rule's tangent and R-adjoint output is linear in the lanes it reads, each
 * lane computed from that lane alone and the shared values, so the single-direction rule applied to
 * each lane is the k-direction rule: the {@link StackedAlgebra} does exactly that for any method given
 * a stack, and no rule changes. Where it pays, a method does the k lanes at once — a matrix product
 * with one shared operand becomes ONE product with the lanes as extra columns (A·[ẋ₁ … ẋₖ]), not k.
 * @module
 */
import { sizeOf, type Shape } from '../shape.js';
import { separateSums, type Algebra, type Elementwise, type Elementwise2, type Primitive, type ProductTerm, type Value } from './algebra.js';
import { Lazy } from './fusion.js';
import { NumberAlgebra, fresh, hasNaN, keep } from './numbers.js';
import { gemm, lastProductMayHoldNaN, productOnWasm } from '../kernels/backend.js';
import { unfilled } from './unfilled.js';

/** One value per direction, each a value of the numbers algebra (0 where the lane is zero). @internal */
export class LaneStack {
  constructor(readonly lanes: Value[]) {}
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

  add(a: Value, b: Value): Value {
    if (!(a instanceof LaneStack || b instanceof LaneStack)) return this.base.add(a, b);
    a = this.shared(a);
    b = this.shared(b);
    return this.stack((j) => this.base.add(laneOf(a, j), laneOf(b, j)));
  }

  sub(a: Value, b: Value): Value {
    if (!(a instanceof LaneStack || b instanceof LaneStack)) return this.base.sub(a, b);
    a = this.shared(a);
    b = this.shared(b);
    return this.stack((j) => this.base.sub(laneOf(a, j), laneOf(b, j)));
  }

  mul(a: Value, b: Value): Value {
    if (!(a instanceof LaneStack || b instanceof LaneStack)) return this.base.mul(a, b);
    a = this.shared(a);
    b = this.shared(b);
    return this.stack((j) => this.base.mul(laneOf(a, j), laneOf(b, j)));
  }

  div(a: Value, b: Value): Value {
    if (!(a instanceof LaneStack || b instanceof LaneStack)) return this.base.div(a, b);
    a = this.shared(a);
    b = this.shared(b);
    return this.stack((j) => this.base.div(laneOf(a, j), laneOf(b, j)));
  }

  neg(a: Value): Value {
    return a instanceof LaneStack ? this.stack((j) => this.base.neg(laneOf(a, j))) : this.base.neg(a);
  }

  map(op: Elementwise, x: Value, p = 0): Value {
    return x instanceof LaneStack ? this.stack((j) => this.base.map(op, laneOf(x, j), p)) : this.base.map(op, x, p);
  }

  map2(op: Elementwise2, a: Value, b: Value): Value {
    if (!(a instanceof LaneStack || b instanceof LaneStack)) return this.base.map2(op, a, b);
    a = this.shared(a);
    b = this.shared(b);
    return this.stack((j) => this.base.map2(op, laneOf(a, j), laneOf(b, j)));
  }

  numbers(x: Value): number | Float64Array {
    // Rules read numbers of values (y, ȳ) to decide branches; a lane stack has no single number.
    if (x instanceof LaneStack) throw new Error('dualtape internal error: a rule read the numbers of a tangent lane stack');
    return this.base.numbers(x);
  }

  step(x: Value, fn: (v: number) => number): Value {
    return x instanceof LaneStack ? this.stack((j) => this.base.step(laneOf(x, j), fn)) : this.base.step(x, fn);
  }

  step2(a: Value, b: Value, fn: (u: number, v: number) => number): Value {
    if (!(a instanceof LaneStack || b instanceof LaneStack)) return this.base.step2(a, b, fn);
    a = this.shared(a);
    b = this.shared(b);
    return this.stack((j) => this.base.step2(laneOf(a, j), laneOf(b, j), fn));
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

  /** Each lane's sum as the one-direction rule computes it. */
  private laneByLaneSum(terms: readonly ProductTerm[]): Value {
    return this.stack((j) => this.base.matmulSum(terms.map((t) => ({ ...t, a: laneOf(t.a, j), b: laneOf(t.b, j) }))));
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
      const mode = this.modeOf(t, m, n, modes.some((mode) => mode !== COLUMNS));
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
      if (modes[q] === COLUMNS) {
        // op(A)·[op(B₁) … op(Bₖ)]: the lanes of B as extra columns.
        layout(false);
        const lanes = this.laneArrays(t.b as LaneStack, br * bc);
        const Bs = t.tb ? concatLanes(lanes, br * bc) : interleaveRows(lanes, br, bc);
        gemm(this.wholeArray(t.a, ar * ac), t.ta, Bs, t.tb, C, m, k * n, depth, written);
      } else {
        // [op(A₁); …; op(Aₖ)]·op(B): the lanes of A as extra rows.
        layout(true);
        const lanes = this.laneArrays(t.a as LaneStack, ar * ac);
        const As = t.ta ? interleaveRows(lanes, ar, ac) : concatLanes(lanes, ar * ac);
        gemm(As, t.ta, this.wholeArray(t.b, br * bc), t.tb, C, k * m, n, depth, written);
      }
      mayHoldNaN ||= lastProductMayHoldNaN();
      written = true;
    });
    layout(true);
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
    if (sb && !sa && n <= THIN) {
      const cost = (t.tb ? bSize : 2 * bSize) + 2 * m * n * (switched ? 2 : 1);
      return 2 * aSize + CALL_COST >= cost ? COLUMNS : APART;
    }
    if (sa && !sb && (!t.ta || m <= THIN)) {
      const cost = t.ta ? 2 * aSize : aSize;
      return 2 * bSize + CALL_COST >= cost ? ROWS : APART;
    }
    return APART;
  }

  /** A shared operand's elements (a constant written out). */
  private wholeArray(x: Value, size: number): Float64Array {
    const v = this.base.numbers(x);
    return typeof v === 'number' ? new Float64Array(size).fill(v) : v;
  }

  /** op(A)·op(B): a sum of one term (see {@link matmulSum}), the lanes stacked into one product where that pays. */
  matmul(a: Value, aShape: Shape, b: Value, bShape: Shape, ta: boolean, tb: boolean): Value {
    const sa = a instanceof LaneStack, sb = b instanceof LaneStack;
    if (!sa && !sb) return this.base.matmul(a, aShape, b, bShape, ta, tb);
    const stacked = sa && sb ? null : this.stackedSum([{ a, aShape, ta, b, bShape, tb }]);
    return stacked ?? this.stack((j) => this.base.matmul(laneOf(a, j), aShape, laneOf(b, j), bShape, ta, tb));
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
