/**
 * k directions in one tangent sweep and one reverse sweep over a recorded top-level tape (hvpMany,
 * hessian). Each node's value y and adjoint ȳ are the tape's, swept once; its tangent R{y} and
 * R-adjoint R{ȳ} hold k lanes, one per direction:
 *
 *   scalar nodes   lanes in two Float64Arrays, direction j of node i at i·k + j; the rule runs once
 *                  per direction on a view of lane j (plain float arithmetic, no stack objects);
 *   tensor nodes   one array per direction, as views of one array of k·size where the lanes can
 *                  be (then read as one whole stack); the rule runs ONCE, given lane stacks, in the
 *                  stacked algebra (algebra/lane-stack.ts), so elementwise work is one loop over
 *                  all k lanes and a matrix product takes them as one product with k times the
 *                  rows or columns.
 *
 * Both are the single-direction rule applied to each lane: no rule has a second form.
 * @module
 */
import type { Value } from './algebra/algebra.js';
import { Lazy, evaluate, type Times } from './algebra/fusion.js';
import { LaneStack, StackedAlgebra } from './algebra/lane-stack.js';
import { keep, takeFresh } from './algebra/numbers.js';
import { unfilled } from './algebra/unfilled.js';
import type { Lanes } from './lanes.js';
import { Scalar, type Node } from './node.js';
import { reachingOutput } from './reaching-output.js';
import { generateLaneSweeps, type LaneArrays, type LaneSweeps } from './scalar-lanes.js';
import { LEAF, ruleOf, type Tape } from './tape.js';

/** One direction's lane of a tensor node; null is zero. */
type Lane = Float64Array | null;

/**
 * The k-lane tangents and R-adjoints of a tape, and the two sweeps over them. Made once per block of
 * directions; its arrays hold the lanes of every node. @internal
 */
export class DirectionLanes implements LaneArrays {
  /** R{y} and R{ȳ} of scalar node i in direction j, at i·k + j. */
  readonly dots: Float64Array;
  readonly barDots: Float64Array;
  /** A tensor node's lanes by its slot, one array per direction. */
  readonly tensorDots: Lane[][] = [];
  readonly tensorBarDots: Lane[][] = [];
  readonly o: StackedAlgebra;
  private readonly stacked: StackedLanes;
  private readonly view: DirectionView;

  /** 1 for the nodes the output depends on: the only ones the sweeps visit (reaching-output.ts). */
  private readonly reaching: Uint8Array;

  constructor(readonly tape: Tape, readonly k: number, output: number) {
    const size = tape.length * k;
    this.reaching = reachingOutput(tape, output);
    // The arrays of the last released lanes, when large enough: a new 10⁷-number array costs its
    // page faults on first touch, more than zeroing one already mapped.
    const reuse = spare !== null && spare.dots.length >= size ? spare : null;
    if (reuse) {
      spare = null;
      this.dots = reuse.dots.subarray(0, size);
      this.barDots = reuse.barDots.subarray(0, size).fill(0);
      this.storage = reuse;
      // Tangents are written before they are read, except those of nodes no sweep visits (inactive
      // ones, which read as 0, and those the output does not depend on); leaves are set by run.
      const { active } = tape, dots = this.dots, reaching = this.reaching;
      for (let i = 0; i < tape.length; i++) if (active[i] !== 1 || reaching[i] !== 1) for (let j = i * k; j < i * k + k; j++) dots[j] = 0;
    } else {
      this.dots = new Float64Array(size);
      this.barDots = new Float64Array(size);
      this.storage = { dots: this.dots, barDots: this.barDots };
    }
    this.o = new StackedAlgebra(k);
    this.stacked = new StackedLanes(this);
    this.view = new DirectionView(this);
    for (let s = 0; s < tape.tensors.length; s++) {
      this.tensorDots.push(new Array<Lane>(k).fill(null));
      this.tensorBarDots.push(new Array<Lane>(k).fill(null));
    }
  }

  /** The whole arrays behind `dots` and `barDots` (perhaps longer: taken from earlier lanes). */
  private readonly storage: { readonly dots: Float64Array; readonly barDots: Float64Array };

  /** Hands the arrays to the next lanes made (the caller uses these lanes no more). */
  release(): void {
    if (this.storage.dots.length <= MAX_SPARE && (spare === null || spare.dots.length < this.storage.dots.length)) spare = this.storage;
  }

  /**
   * H·vⱼ for the k directions in V (k×n row-major over the leaves in flatten order) into `out`
   * (k×n): the leaves' tangents set, one forward tangent sweep, one reverse sweep of R{ȳ}. With
   * `column` ≥ 0, `out` is n×n and H·vⱼ goes into its column `column` + j (the Hessian's columns,
   * written in place of a k×n block to be transposed). V null is zero tangents, and `seed` sets
   * R-adjoint lanes before the sweeps (jacobian's rows: see {@link seedOutput}).
   */
  run(leaves: readonly Node[], V: Float64Array | null, n: number, out: Float64Array, column = -1, seed?: (lanes: DirectionLanes) => void): void {
    const { tape, k } = this;
    // R-adjoints accumulate: zero them, except on the first block, whose arrays are new.
    if (this.used) {
      this.barDots.fill(0);
      for (const lanes of this.tensorBarDots) lanes.fill(null);
    }
    this.used = true;
    this.setLeafTangents(leaves, V, n);
    seed?.(this);
    // With no tangents every node's tangent is 0: the tangent sweep has nothing to compute.
    this.sweep(V !== null, true);
    let offset = 0;
    for (const leaf of leaves) {
      if (leaf instanceof Scalar) {
        if (column >= 0) for (let j = 0; j < k; j++) out[offset * n + column + j] = this.barDots[leaf.id * k + j];
        else for (let j = 0; j < k; j++) out[j * n + offset] = this.barDots[leaf.id * k + j];
        offset += 1;
      } else {
        const lanes = this.tensorBarDots[tape.slot[leaf.id]];
        if (column >= 0) {
          const W = contiguous(lanes, leaf.size);
          if (W !== null) writeColumns(W, leaf.size, k, out, offset * n + column, n);
          else for (let j = 0; j < k; j++) writeColumns(lanes[j] ?? new Float64Array(leaf.size), leaf.size, 1, out, offset * n + column + j, n);
        } else {
          for (let j = 0; j < k; j++) {
            const lane = lanes[j];
            if (lane) out.set(lane, j * n + offset);
            else out.fill(0, j * n + offset, j * n + offset + leaf.size);
          }
        }
        offset += leaf.size;
      }
    }
  }

  /**
   * J·vⱼ for the k directions in V (k×n, as for {@link run}) into the k rows of `out` (k×m, m the
   * size of node `output`): the leaves' tangents set and one tangent sweep, with no reverse sweep
   * (jacobian by columns).
   */
  tangents(leaves: readonly Node[], V: Float64Array, n: number, output: number, out: Float64Array): void {
    const { tape, k } = this;
    this.setLeafTangents(leaves, V, n);
    this.sweep(true, false);
    const s = tape.slot[output];
    if (s < 0) {
      for (let j = 0; j < k; j++) out[j] = this.dots[output * k + j];
      return;
    }
    const m = tape.tensors[s].size, lanes = this.tensorDots[s];
    // Copied before V changes: an output lane may be a view of V (f returns a leaf).
    for (let j = 0; j < k; j++) {
      const lane = lanes[j];
      if (lane) out.set(lane, j * m);
      else out.fill(0, j * m, (j + 1) * m);
    }
  }

  /**
   * Seeds node `output`'s k R-adjoint lanes with the k rows of U (k×m, m its size). On a tape never
   * swept for ȳ, with zero tangents, the R-adjoint lanes then carry plain adjoints (R{x̄} = R{ȳ}·f′ when
   * ȳ and ẋ are 0): the sweep gives the rows uⱼᵀJ (jacobian by rows).
   */
  seedOutput(output: number, U: Float64Array): void {
    const { tape, k } = this;
    const s = tape.slot[output];
    if (s < 0) {
      for (let j = 0; j < k; j++) this.barDots[output * k + j] = U[j];
      return;
    }
    const m = tape.tensors[s].size;
    // A copy: the sweep adds into these lanes.
    const W = this.laneArray(1, s, k * m);
    W.set(U.subarray(0, k * m));
    setViews(this.tensorBarDots[s], W, m);
  }

  /**
   * Each leaf's k tangent lanes from its part of V's rows. V null is zero tangents: every node's lanes
   * are set to 0 (a tensor's to the symbolic zero), since no tangent sweep follows.
   */
  private setLeafTangents(leaves: readonly Node[], V: Float64Array | null, n: number): void {
    const { tape, k, dots } = this;
    this.blocks++;
    if (V === null) {
      dots.fill(0);
      for (const lanes of this.tensorDots) lanes.fill(null);
      return;
    }
    let offset = 0;
    for (const leaf of leaves) {
      if (leaf instanceof Scalar) {
        for (let j = 0; j < k; j++) dots[leaf.id * k + j] = V[j * n + offset];
        offset += 1;
      } else {
        const size = leaf.size, lanes = this.tensorDots[tape.slot[leaf.id]];
        if (size === n || k === 1) {
          // Tangent lanes are replaced, never updated in place, so they may be views of V (whose
          // rows are then the leaf's lanes one after another).
          for (let j = 0; j < k; j++) lanes[j] = V.subarray(j * n + offset, j * n + offset + size);
        } else {
          // One of several leaves: its lanes copied together, so the rules read them whole.
          const W = this.laneArray(0, tape.slot[leaf.id], k * size);
          for (let j = 0; j < k; j++) W.set(V.subarray(j * n + offset, j * n + offset + size), j * size);
          setViews(lanes, W, size);
        }
        offset += size;
      }
    }
  }

  /** The tangent sweep and the reverse sweep of R{ȳ}, each where asked for. */
  private sweep(tangents: boolean, reverse: boolean): void {
    // Generated once per block width: the loops and their per-node cases serve every block.
    this.sweeps ??= generateLaneSweeps(this.tape, this.k, this, (i) => this.tangentOf(i), (i) => this.backwardOf(i), this.reaching) ??
      { tangent: () => this.forward(), reverse: () => this.reverse() };
    const { tangent, reverse: back } = this.sweeps;
    this.tape.sweepWith(() => {
      if (tangents) tangent();
      if (reverse) back();
    });
  }

  private sweeps: LaneSweeps | null = null;
  private used = false;
  /** Blocks run so far (see laneArray). */
  private blocks = 0;
  /** The array laneArray last handed out for each slot's tangents (0) and R-adjoints (1), and in which block. */
  private readonly handedOut: Array<Array<Float64Array | null>> = [[], []];
  private readonly handedAt: Int32Array[] = [new Int32Array(0), new Int32Array(0)];

  /**
   * An array of `length` for the lanes of tensor slot s (`kind` 0 its tangents, 1 its R-adjoints)
   * that the caller writes whole before reading: the one handed out for the slot in an earlier block
   * when it has that length, else a new one. Reusing them spares an allocation per node and block
   * (and the collector's work after it). Safe: a block's values are all spent when it ends, so the
   * only references left to the array are this slot's lanes, which this block replaces, and lanes of
   * later nodes that share them (a reshape's tangent), which this block replaces after. @internal
   */
  laneArray(kind: 0 | 1, s: number, length: number): Float64Array {
    const arrays = this.handedOut[kind];
    if (this.handedAt[kind].length < this.tape.tensors.length) {
      const grown = new Int32Array(this.tape.tensors.length).fill(-1);
      grown.set(this.handedAt[kind]);
      this.handedAt[kind] = grown;
    }
    const last = arrays[s];
    const W = last && last.length === length && this.handedAt[kind][s] < this.blocks ? last : unfilled(length);
    arrays[s] = W;
    this.handedAt[kind][s] = this.blocks;
    return W;
  }

  /** The tangent rule of every node the output depends on, in order (where no sweep could be generated). */
  private forward(): void {
    const { active, op } = this.tape, reaching = this.reaching;
    for (let i = 0; i < this.tape.length; i++) if (active[i] === 1 && reaching[i] === 1 && op[i] !== LEAF) this.tangentOf(i);
  }

  private reverse(): void {
    const { active, op } = this.tape, reaching = this.reaching;
    for (let i = this.tape.length - 1; i >= 0; i--) if (active[i] === 1 && reaching[i] === 1 && op[i] !== LEAF) this.backwardOf(i);
  }

  /** Node i's tangent rule for all k directions: once per direction on a scalar node, once on stacks on a tensor node. */
  private tangentOf(i: number): void {
    const rule = ruleOf(this.tape.op[i]);
    if (this.tape.slot[i] < 0 || rule.perDirection) {
      const { view, k } = this, o = this.tape.o;
      for (let j = 0; j < k; j++) {
        view.j = j;
        rule.tangent(o, view, i);
      }
    } else {
      rule.tangent(this.o, this.stacked, i);
    }
  }

  private backwardOf(i: number): void {
    const rule = ruleOf(this.tape.op[i]);
    if (this.tape.slot[i] < 0 || rule.perDirection) {
      const { view, k } = this, o = this.tape.o;
      for (let j = 0; j < k; j++) {
        view.j = j;
        rule.backward(o, view, i);
      }
    } else {
      rule.backward(this.o, this.stacked, i);
    }
  }
}

/**
 * The bytes one direction's lanes take in a sweep over `tape`: a tangent and an R-adjoint of every
 * active tensor node's size, and of one number for every node (the scalar lanes' rows). k lanes
 * take k times as much, besides what the rules compute on the way. @internal
 */
export function laneBytes(tape: Tape): number {
  const { active, slot, tensors } = tape;
  let numbers = 2 * tape.length;
  for (let i = 0; i < tape.length; i++) if (active[i] === 1 && slot[i] >= 0) numbers += 2 * tensors[slot[i]].size;
  return 8 * numbers;
}

/** One spare pair of lane arrays (memory stays bounded), of at most 2²⁵ numbers each (256 MB). */
let spare: { readonly dots: Float64Array; readonly barDots: Float64Array } | null = null;
const MAX_SPARE = 1 << 25;

/**
 * What a lane sweep shares with every direction: the tape's activity, values and adjoints ȳ (already
 * swept). Only the R{ȳ} lane is filled.
 */
abstract class SharedLanes {
  readonly sweepBar = false;
  readonly sweepBarDot = true;

  constructor(readonly tape: Tape) {}

  isActive(i: number): boolean {
    return this.tape.active[i] === 1;
  }

  val(i: number): Value {
    return this.tape.val(i);
  }

  fusedVal(i: number): Value {
    return this.tape.fusedVal(i);
  }

  fusedDot(i: number): Value {
    return this.dot(i);
  }

  abstract dot(i: number): Value;

  bar(i: number): Value {
    return this.tape.bar(i);
  }
}

/** The lanes of one direction j, as a single-direction sweep sees them. */
class DirectionView extends SharedLanes implements Lanes {
  /** The direction the next rule call computes. */
  j = 0;
  private readonly k: number;
  private readonly dots: Float64Array;
  private readonly barDots: Float64Array;
  private readonly times: Times;

  constructor(private readonly d: DirectionLanes) {
    super(d.tape);
    this.k = d.k;
    this.dots = d.dots;
    this.barDots = d.barDots;
    this.times = d.tape.o.timesFn;
  }

  dot(i: number): Value {
    const s = this.tape.slot[i];
    return s < 0 ? this.dots[i * this.k + this.j] : this.d.tensorDots[s][this.j] ?? 0;
  }

  barDot(i: number): Value {
    const s = this.tape.slot[i];
    return s < 0 ? this.barDots[i * this.k + this.j] : this.d.tensorBarDots[s][this.j] ?? 0;
  }

  setDot(i: number, v: Value): void {
    const s = this.tape.slot[i];
    if (s < 0) this.dots[i * this.k + this.j] = typeof v === 'number' ? v : scalarOf(this.tape, v);
    else this.d.tensorDots[s][this.j] = tangentLane(v, this.tape.tensors[s].size, this.times);
  }

  addBarDot(i: number, v: Value): void {
    const s = this.tape.slot[i];
    if (s < 0) this.barDots[i * this.k + this.j] += typeof v === 'number' ? v : scalarOf(this.tape, v);
    else addToLane(this.d.tensorBarDots[s], this.j, v, this.tape.tensors[s].size, this.times);
  }

  addBarDotAt(i: number, k: number, v: Value): void {
    if (v === 0) return;
    const lanes = this.d.tensorBarDots[this.tape.slot[i]];
    (lanes[this.j] ??= new Float64Array(this.tape.tensorAt(i).size))[k] += scalarOf(this.tape, v);
  }

  setVal = refuse;
  addBar = refuse;
  addBarAt = refuse;
}

/** The lanes of all k directions at once, as lane stacks, for rules run in the stacked algebra. */
class StackedLanes extends SharedLanes implements Lanes {
  private readonly times: Times;

  constructor(private readonly d: DirectionLanes) {
    super(d.tape);
    this.times = d.o.timesFn;
  }

  dot(i: number): Value {
    return this.read(i, this.d.dots, this.d.tensorDots);
  }

  barDot(i: number): Value {
    return this.read(i, this.d.barDots, this.d.tensorBarDots);
  }

  private read(i: number, scalars: Float64Array, tensors: Lane[][]): Value {
    const { k } = this.d;
    const s = this.tape.slot[i];
    if (s >= 0) {
      // Lanes that lie one after another in one array are read as one whole stack (not to be kept:
      // they are this node's).
      const W = contiguous(tensors[s], this.tape.tensors[s].size);
      if (W !== null) return LaneStack.whole(W, this.tape.tensors[s].size);
    }
    const lanes: Value[] = new Array<Value>(k);
    let zero = true;
    for (let j = 0; j < k; j++) {
      const v = s < 0 ? scalars[i * k + j] : tensors[s][j] ?? 0;
      if (v !== 0) zero = false;
      lanes[j] = v;
    }
    return zero ? 0 : new LaneStack(lanes);
  }

  setDot(i: number, v: Value): void {
    const { k, dots, tensorDots } = this.d;
    const s = this.tape.slot[i];
    if (s < 0) {
      for (let j = 0; j < k; j++) dots[i * k + j] = scalarOf(this.tape, laneOf(v, j));
      return;
    }
    const size = this.tape.tensors[s].size;
    // The k lanes as one array where they can be (read whole by the next rules): a whole stack's
    // own, or each lane's value written into its block; tangent lanes are replaced, never updated
    // in place, so they may share an array.
    const W = v instanceof LaneStack ? this.gathered(v, s, size, false) : null;
    if (W !== null) {
      setViews(tensorDots[s], W, size);
      return;
    }
    // A value shared by every direction is computed once.
    const shared = v instanceof LaneStack ? null : tangentLane(v, size, this.times);
    for (let j = 0; j < k; j++) tensorDots[s][j] = shared ?? tangentLane(laneOf(v, j), size, this.times);
  }

  /**
   * A stack's k lanes of `size` numbers as one array, or null where a lane is the symbolic zero (its
   * lane stays null) or the node has no elements. A whole stack's array, or its expression evaluated;
   * else each lane evaluated or copied into its block. `own`: the array must be the caller's to
   * update (a fresh one taken, anything else copied).
   */
  private gathered(v: LaneStack, s: number, size: number, own: boolean): Float64Array | null {
    const { k } = this.d;
    if (size === 0) return null;
    const kind = own ? 1 : 0;
    if (v.whole !== null && v.size === size) {
      if (v.whole instanceof Lazy) return evaluate(v.whole, this.times, this.d.laneArray(kind, s, k * size), false);
      if (!own) return keep(v.whole);
      if (takeFresh(v.whole)) return v.whole;
      const W = this.d.laneArray(kind, s, k * size);
      W.set(v.whole);
      return W;
    }
    const lanes = v.lanes;
    for (let j = 0; j < k; j++) {
      const lane = lanes[j];
      if (lane === 0 || !(typeof lane === 'number' || lane instanceof Lazy || (lane instanceof Float64Array && lane.length === size))) return null;
      if (lane instanceof Lazy && lane.n !== size) return null;
    }
    const W = this.d.laneArray(kind, s, k * size);
    for (let j = 0; j < k; j++) {
      const lane = lanes[j], block = W.subarray(j * size, (j + 1) * size);
      if (lane instanceof Lazy) evaluate(lane, this.times, block, false);
      else if (lane instanceof Float64Array) block.set(lane);
      // As a lane filled with a number: the tangent's fill, the R-adjoint's 0 + v.
      else block.fill(own ? 0 + (lane as number) : (lane as number));
    }
    return W;
  }

  addBarDot(i: number, v: Value): void {
    if (v === 0) return;
    const { k, barDots, tensorBarDots } = this.d;
    const s = this.tape.slot[i];
    if (!(v instanceof LaneStack)) v = this.d.o.numbers(v); // once, not once per direction
    if (s < 0) {
      for (let j = 0; j < k; j++) barDots[i * k + j] += scalarOf(this.tape, laneOf(v, j));
      return;
    }
    const size = this.tape.tensors[s].size, lanes = tensorBarDots[s];
    if (v instanceof LaneStack) {
      const W = contiguous(lanes, size);
      if (W !== null && v.whole !== null && v.size === size) {
        // Onto lanes held as one array: one loop over all k.
        if (v.whole instanceof Lazy) evaluate(v.whole, this.times, W, true);
        else {
          const x = v.whole;
          for (let e = 0; e < W.length; e++) W[e] += x[e];
        }
        return;
      }
      if (W === null && lanes.every((lane) => lane === null)) {
        // The first R-adjoint of the node: its lanes as one array where the stack allows.
        const G = this.gathered(v, s, size, true);
        if (G !== null) {
          setViews(lanes, G, size);
          return;
        }
      }
    }
    // A shared array is taken by at most one direction (takeFresh), copied into the others.
    for (let j = 0; j < k; j++) addToLane(lanes, j, laneOf(v, j), size, this.times);
  }

  addBarDotAt(i: number, e: number, v: Value): void {
    if (v === 0) return;
    const { k, tensorBarDots } = this.d;
    const lanes = tensorBarDots[this.tape.slot[i]];
    const size = this.tape.tensorAt(i).size;
    for (let j = 0; j < k; j++) {
      const w = laneOf(v, j);
      if (w !== 0) (lanes[j] ??= new Float64Array(size))[e] += scalarOf(this.tape, w);
    }
  }

  setVal = refuse;
  addBar = refuse;
  addBarAt = refuse;
}

/** Lanes that are views of one array, one after another: that array's k·size numbers; else null. */
function contiguous(lanes: readonly Lane[], size: number): Float64Array | null {
  const first = lanes[0];
  if (size === 0 || !first || first.length !== size) return null;
  const { buffer, byteOffset } = first;
  for (let j = 1; j < lanes.length; j++) {
    const lane = lanes[j];
    if (!lane || lane.buffer !== buffer || lane.byteOffset !== byteOffset + 8 * j * size || lane.length !== size) return null;
  }
  return lanes.length === 1 ? first : new Float64Array(buffer, byteOffset, lanes.length * size);
}

/**
 * k lanes of `size` numbers one after another in W, as k columns of the row-major `out` (rows n
 * apart) from index `at`: row by row, each row's k numbers side by side.
 */
function writeColumns(W: Float64Array, size: number, k: number, out: Float64Array, at: number, n: number): void {
  for (let e = 0; e < size; e++, at += n) {
    for (let j = 0, from = e; j < k; j++, from += size) out[at + j] = W[from];
  }
}

/** Lanes as the k blocks of W. */
function setViews(lanes: Lane[], W: Float64Array, size: number): void {
  for (let j = 0; j < lanes.length; j++) lanes[j] = W.subarray(j * size, (j + 1) * size);
}

function laneOf(v: Value, j: number): Value {
  return v instanceof LaneStack ? v.lanes[j] : v;
}

/** A direction's tangent lane from a value, as the tape's setDot keeps it. */
function tangentLane(v: Value, size: number, times: Times): Lane {
  if (v instanceof Lazy) return evaluate(v, times, null, false);
  if (v === 0) return null;
  if (typeof v === 'number') return new Float64Array(size).fill(v);
  if (v instanceof Float64Array && v.length === size) return keep(v);
  throw new Error('dualtape internal error: a rule gave a tangent lane a value of the wrong size');
}

/** lanes[j] += v, as the tape's addBar does it: deferred work runs straight into the lane. */
function addToLane(lanes: Lane[], j: number, v: Value, size: number, times: Times): void {
  if (v === 0) return;
  const current = lanes[j];
  if (v instanceof Lazy) {
    lanes[j] = evaluate(v, times, current, true);
  } else if (typeof v === 'number') {
    const lane = current ?? new Float64Array(size);
    for (let e = 0; e < size; e++) lane[e] += v;
    lanes[j] = lane;
  } else if (v instanceof Float64Array && v.length === size) {
    if (current) for (let e = 0; e < size; e++) current[e] += v[e];
    else lanes[j] = takeFresh(v) ? v : v.slice();
  } else {
    throw new Error('dualtape internal error: a rule gave an adjoint lane a value of the wrong size');
  }
}

function scalarOf(tape: Tape, v: Value): number {
  const x = tape.o.numbers(v);
  if (typeof x === 'number') return x;
  if (x.length === 1) return x[0];
  throw new Error('dualtape internal error: a rule gave a tensor value to a scalar node');
}

function refuse(): never {
  throw new Error('dualtape internal error: a sweep of R-adjoints wrote a value or an adjoint');
}
