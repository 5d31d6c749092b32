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
import { NumberAlgebra, fresh } from './numbers.js';

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

  add(a: Value, b: Value): Value {
    return a instanceof LaneStack || b instanceof LaneStack ? this.stack((j) => this.base.add(laneOf(a, j), laneOf(b, j))) : this.base.add(a, b);
  }

  sub(a: Value, b: Value): Value {
    return a instanceof LaneStack || b instanceof LaneStack ? this.stack((j) => this.base.sub(laneOf(a, j), laneOf(b, j))) : this.base.sub(a, b);
  }

  mul(a: Value, b: Value): Value {
    return a instanceof LaneStack || b instanceof LaneStack ? this.stack((j) => this.base.mul(laneOf(a, j), laneOf(b, j))) : this.base.mul(a, b);
  }

  div(a: Value, b: Value): Value {
    return a instanceof LaneStack || b instanceof LaneStack ? this.stack((j) => this.base.div(laneOf(a, j), laneOf(b, j))) : this.base.div(a, b);
  }

  neg(a: Value): Value {
    return a instanceof LaneStack ? this.stack((j) => this.base.neg(laneOf(a, j))) : this.base.neg(a);
  }

  map(op: Elementwise, x: Value, p = 0): Value {
    return x instanceof LaneStack ? this.stack((j) => this.base.map(op, laneOf(x, j), p)) : this.base.map(op, x, p);
  }

  map2(op: Elementwise2, a: Value, b: Value): Value {
    return a instanceof LaneStack || b instanceof LaneStack ? this.stack((j) => this.base.map2(op, laneOf(a, j), laneOf(b, j))) : this.base.map2(op, a, b);
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
    return a instanceof LaneStack || b instanceof LaneStack ? this.stack((j) => this.base.step2(laneOf(a, j), laneOf(b, j), fn)) : this.base.step2(a, b, fn);
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
    return a instanceof LaneStack || b instanceof LaneStack ? this.stack((j) => this.base.select(pick, laneOf(a, j), laneOf(b, j))) : this.base.select(pick, a, b);
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
   * Lane by lane, as the one-direction rule computes it (the same numbers bit for bit): the terms'
   * stacked operands sit on different sides (Ȧ·B + A·Ḃ), so no one layout stacks them all.
   */
  matmulSum(terms: readonly ProductTerm[]): Value {
    if (!terms.some((t) => t.a instanceof LaneStack || t.b instanceof LaneStack)) return this.base.matmulSum(terms);
    return this.stack((j) => this.base.matmulSum(terms.map((t) => ({ ...t, a: laneOf(t.a, j), b: laneOf(t.b, j) }))));
  }

  /**
   * op(A)·op(B) with the lanes of one operand as extra columns (or rows) of one product: k lanes of
   * an [K, N] right operand are the [K, k·N] matrix [B₁ … Bₖ], and op(A)·[B₁ … Bₖ] = [op(A)B₁ … op(A)Bₖ].
   */
  /** The sums one by one, each as matmulSum takes its lanes; on the base algebra together when no lane is stacked. */
  matmulSums(sums: readonly (readonly ProductTerm[])[]): Value[] {
    const stacked = sums.some((terms) => terms.some((t) => t.a instanceof LaneStack || t.b instanceof LaneStack));
    return stacked ? separateSums(this, sums) : this.base.matmulSums(sums);
  }

  matmul(a: Value, aShape: Shape, b: Value, bShape: Shape, ta: boolean, tb: boolean): Value {
    const sa = a instanceof LaneStack, sb = b instanceof LaneStack;
    if (!sa && !sb) return this.base.matmul(a, aShape, b, bShape, ta, tb);
    if (sa && sb) return this.stack((j) => this.base.matmul(laneOf(a, j), aShape, laneOf(b, j), bShape, ta, tb));
    const k = this.k;
    // Stacking pays where each lane's product is thin (a matrix times a few columns: memory-bound,
    // the shared matrix read once instead of k times); wide ones are already matrix-matrix products,
    // and their lanes are cheaper to multiply apart than to pack and unpack.
    if (sb) {
      const [r, c] = bShape;
      const n = tb ? r : c;
      if (n > THIN) return this.stack((j) => this.base.matmul(a, aShape, laneOf(b, j), bShape, ta, tb));
      const A = this.base.numbers(a);
      if (A === 0) return 0;
      // Lanes of B as columns: read transposed, [N, K] blocks stacked down are Bᵀ's columns side by side.
      const lanes = this.laneArrays(b as LaneStack, r * c);
      const Bs = tb ? concatLanes(lanes, r * c) : interleaveRows(lanes, r, c);
      const C = this.base.matmul(A, aShape, Bs, tb ? [k * r, c] : [r, k * c], ta, tb) as Float64Array;
      const m = C.length / (k * n);
      return new LaneStack(splitColumns(C, m, n, k));
    }
    const [r, c] = aShape;
    // Lanes stacked down are one copy in and none out; read transposed they need packing: only if thin.
    if (ta && c > THIN) return this.stack((j) => this.base.matmul(laneOf(a, j), aShape, b, bShape, ta, tb));
    const B = this.base.numbers(b);
    if (B === 0) return 0;
    // Lanes of A as rows: [M, K] blocks stacked down; read transposed, [K, M] blocks side by side.
    const lanes = this.laneArrays(a as LaneStack, r * c);
    const As = ta ? interleaveRows(lanes, r, c) : concatLanes(lanes, r * c);
    const C = this.base.matmul(As, ta ? [r, k * c] : [k * r, c], B, bShape, ta, tb) as Float64Array;
    const size = C.length / k;
    // Each lane a view of its own rows of C: disjoint, so a lane may take its view as its array.
    return new LaneStack(Array.from({ length: k }, (_, j) => fresh(C.subarray(j * size, (j + 1) * size))));
  }

  /** Each lane of a stack as an array of `size` numbers (a zero or constant lane written out). */
  private laneArrays(x: LaneStack, size: number): Float64Array[] {
    return x.lanes.map((lane) => {
      const v = this.base.numbers(lane);
      return typeof v === 'number' ? new Float64Array(size).fill(v) : v;
    });
  }
}

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

/** An [m, k·n] matrix cut into its k column blocks of [m, n]. */
function splitColumns(C: Float64Array, m: number, n: number, k: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const lane = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      const from = (i * k + j) * n, to = i * n;
      for (let e = 0; e < n; e++) lane[to + e] = C[from + e];
    }
    out.push(fresh(lane));
  }
  return out;
}
