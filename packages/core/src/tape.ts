/**
 * The tape: every node of one top-level transform call, recorded in creation order, stored as
 * struct-of-arrays. Transforms nested inside that call record on the same tape (see frame.ts), so
 * there is one tape per top-level call however deep the nesting goes.
 *
 * A node is a scalar or a tensor. Scalars live entirely in typed arrays (value, tangent R{·}, adjoint,
 * R{adjoint}), so a scalar graph costs no object per node beyond its handle. Tensors keep their four
 * lanes as Float64Arrays on the {@link Tensor} handle, found through `slot`.
 *
 * Creation order is already a topological order, so the reverse sweep is a plain backwards loop: no
 * sort, no recursion, and a 10⁶-node chain needs no stack.
 * @module
 */
import { NumberAlgebra, fresh, isHeld, keep, takeFresh } from './algebra/numbers.js';
import { Lazy, evaluate, evaluatePair, isLight, pairable } from './algebra/fusion.js';
import type { Algebra, Value } from './algebra/algebra.js';
import { DualtapeError, StaleNodeError, TapeBudgetError } from './errors.js';
import type { Lanes } from './lanes.js';
import type { Tensor } from './node.js';

/**
 * The rules of one op, side by side in the op's own file. Both are written once against the algebra
 * `o` and the lanes `L`, and so run on numbers at top level and on nodes when nested.
 */
export interface OpRule {
  readonly name: string;
  /** Sets R{y} of node `i` from its inputs' tangents. */
  tangent(o: Algebra, L: Lanes, i: number): void;
  /**
   * Pushes node `i`'s dual adjoint (ȳ, R{ȳ}) into its inputs: into their ȳ lane when `L.sweepBar`,
   * their R{ȳ} lane when `L.sweepBarDot`.
   */
  backward(o: Algebra, L: Lanes, i: number): void;
  /**
   * Recomputes y of node i from its inputs' current values: the op run again on a recorded tape at
   * new inputs (`compile`). An op without it cannot be replayed.
   */
  primal?(o: Algebra, L: Lanes, i: number): void;
  /**
   * Recomputes y and R{y} of node i together, at its inputs' current values and tangents (a replay
   * with a direction: Tape.valueAndTangentAt). True when it did both; false leaves them to
   * `primal` and `tangent`. For ops whose value and tangent are one loop (elementwise/unary.ts).
   */
  primalAndTangent?(o: Algebra, L: Lanes, i: number): boolean;
  /**
   * For an op with kinks or steps, which branch node i took (relu's side, maximum's winner, floor's
   * integer), from current values. A replay whose branches differ from the recording's is reported.
   */
  branch?(L: Lanes, i: number): number | Float64Array;
  /**
   * True for an op linear in its inputs (a sum, a reshape, a gather): its tangent rule, run on values,
   * is its primal (R{y} = op(R{x}) and y = op(x)), so it needs no primal rule of its own.
   */
  readonly linear?: boolean;
  /**
   * True for an op whose backward gives ȳ and R{ȳ} themselves to an input (a reshape; add): the tape's
   * sweeps let that input take the arrays instead of copying them. Safe when an input that took them
   * cannot change them before the rule's last read of them (add reads ȳ for its second input after
   * the first may have taken it: unchanged, unless both are one node, where taking then accumulating
   * doubles it, as it should). Afterwards the node's lane may be its input's: rules read only their
   * own node's lanes, and only while that node pushes, and after a sweep only leaves' lanes are read.
   */
  readonly handsOnAdjoint?: boolean;
  /** How node i reads its inputs, when the inputs column alone does not say (for traces). */
  describe?(tape: Tape, i: number): string | undefined;
  /**
   * True when the rules use `aux[i]` only as data (an index), never to choose what to compute: code
   * generated from them (replay/scalar-sweeps.ts) may then read it at run time instead of being made
   * once per value.
   */
  readonly auxIsData?: boolean;
  /**
   * True when the rules hand lanes to code outside the algebra (a user's rules on numbers, the sweeps
   * of a sub-tape), which sees one direction at a time: sweeps that carry several directions at once
   * (tangent-lanes.ts) then run the rule once per direction instead of once on all of them.
   */
  readonly perDirection?: boolean;
}

const rules: OpRule[] = [];

/** Registers an op's rules and returns its op code. Called once per op, when its module loads. */
export function registerRule(rule: OpRule): number {
  rules.push(rule.linear && !rule.primal ? { ...rule, primal: (o, L, i) => rule.tangent(o, valuesAsTangents(L), i) } : rule);
  return rules.length - 1;
}

/**
 * The lanes a linear op's tangent rule sees when it computes the op's primal: every node's tangent
 * reads as its value, and setting a tangent sets the value.
 */
function valuesAsTangents(L: Lanes): Lanes {
  let view = primalViews.get(L);
  if (!view) primalViews.set(L, (view = primalView(L)));
  return view;
}

const primalViews = new WeakMap<Lanes, Lanes>();

function primalView(L: Lanes): Lanes {
  return {
    tape: L.tape, sweepBar: false, sweepBarDot: false,
    isActive: () => true,
    val: (i) => L.val(i), dot: (i) => L.val(i), fusedVal: (i) => L.fusedVal(i), fusedDot: (i) => L.fusedVal(i),
    bar: () => 0, barDot: () => 0,
    setDot: (i, v) => L.setVal(i, v), setVal: (i, v) => L.setVal(i, v),
    addBar: noWrite, addBarDot: noWrite, addBarAt: noWrite, addBarDotAt: noWrite,
  };
}

function noWrite(): never {
  throw new Error('dualtape internal error: a primal sweep wrote an adjoint');
}

/** The op code → rule table, for the sweeps and for tracing. */
export function ruleOf(code: number): OpRule {
  return rules[code];
}

/** Leaves (the parameters) and constants have nothing to push further back. */
export const LEAF = registerRule({ name: 'leaf', tangent() {}, backward() {} });
export const CONSTANT = registerRule({ name: 'constant', tangent() {}, backward() {} });

/**
 * Options every transform accepts.
 *
 * @example
 * ```ts
 * const options: TapeOptions = { checkFinite: true };
 * hvp((x: Scalar) => x.log(), 2, 1, options); // -0.25
 * hvp((x: Scalar) => x.log(), -2, 1, options); // throws FiniteError: log gave NaN
 * ```
 */
export interface TapeOptions {
  /** Throw {@link FiniteError} on NaN/±Infinity in `x`, `v` or any recorded value. Default false. */
  readonly checkFinite?: boolean;
  /** Stop with {@link TapeBudgetError} once the tape holds this many nodes. Default 3·10⁷. */
  readonly maxNodes?: number;
}

export const DEFAULT_MAX_NODES = 30_000_000;
const INITIAL_CAPACITY = 1024;
const EAGER_CAPACITY = 8;
export const NO_INPUT = -1;

let nextTapeId = 1;

/** The record of one transform call: nodes in creation order, their lanes, and the sweeps over them. @internal */
export class Tape implements Lanes {
  readonly id = nextTapeId++;
  /** As lanes, a tape is its own structure. */
  get tape(): Tape {
    return this;
  }
  /** Tangents are computed while recording (hvp, jvp); off for plain gradients. */
  readonly withTangent: boolean;
  readonly maxNodes: number;
  readonly checkFinite: boolean;
  /** The numeric algebra of this call; it also counts the 0·∞ products it resolves (for strict mode). */
  readonly o = new NumberAlgebra();
  /** Which lanes of the dual adjoint the current reverse sweep fills. */
  sweepBar = true;
  sweepBarDot = false;
  /** Set when the transform call ends; every op refuses nodes of a finished tape. */
  finished = false;
  /** For a temporary tape (a checkpoint's or customJvp's): what a node of it used after it ended should say. */
  staleHint?: string;
  /** Set while a sweep runs over this tape's numeric lanes, to refuse re-entry from inside a rule. */
  sweeping = false;
  /** In a freeing sweep, the node whose rule is running and whose lanes go once it has pushed; else −1. */
  private freeingNode = -1;

  length = 0;
  private capacity: number;
  // The node arrays (see Storage), assigned from a Storage in the constructor.
  op!: Int32Array;
  in0!: Int32Array;
  in1!: Int32Array;
  /** 1 when the node depends on the parameters: only such nodes carry tangents and adjoints. */
  active!: Uint8Array;
  /** Index into `tensors` for tensor nodes, −1 for scalars. */
  slot!: Int32Array;
  /** Scalar lanes: value, tangent R{y}, adjoint ȳ, R{ȳ}; and one number of op data (an exponent, an index). */
  vals!: Float64Array;
  dots!: Float64Array;
  bars!: Float64Array;
  barDots!: Float64Array;
  aux!: Float64Array;
  /** Tensor handles by slot. */
  readonly tensors: Tensor[] = [];
  /** Op data that is not one number (index maps, shapes), by node. */
  readonly saved = new Map<number, unknown>();
  /** Inputs of nodes with more than two (concat, user ops), by node; others use in0 and in1. */
  readonly manyInputs = new Map<number, readonly number[]>();
  /** Which nested transform recorded a range of nodes, for traces: [start, end, label]. */
  readonly frames: Array<{ start: number; end: number; label: string }> = [];

  /**
   * True for the tape of a computation outside any transform (constants only, nothing to sweep):
   * its nodes are plain values, imported as constants into whatever tape they meet.
   */
  readonly eager: boolean;

  constructor(withTangent: boolean, options: TapeOptions = {}, eager = false) {
    this.withTangent = withTangent;
    this.maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
    this.checkFinite = options.checkFinite ?? false;
    this.eager = eager;
    // Reuse the arrays of the last released tape: repeated calls then allocate and grow nothing. An
    // eager tape is never released, so it starts small and takes nothing from the transforms.
    const storage = eager ? newStorage(EAGER_CAPACITY) : spare ?? newStorage(INITIAL_CAPACITY);
    if (!eager) spare = null;
    Object.assign(this, storage);
    this.capacity = storage.vals.length;
  }

  /**
   * Marks the tape finished and hands its arrays to the next tape. Only for transforms that keep no
   * closure over the tape; handles still held by the user then fail with StaleNodeError on any read.
   */
  release(): void {
    this.finished = true;
    if (this.released) return;
    this.released = true;
    // Adjoint lanes must start at zero on the next tape; values and tangents are always written.
    this.bars.fill(0, 0, this.length);
    this.barDots.fill(0, 0, this.length);
    // Keep at most ~4M nodes' arrays (~230 MB) for reuse: one runaway tape must not pin its memory.
    if (this.capacity <= MAX_SPARE_CAPACITY && (!spare || spare.vals.length < this.capacity)) {
      spare = storageOf(this);
    }
    Object.assign(this, newStorage(0));
    this.tensors.length = 0;
    this.saved.clear();
    this.manyInputs.clear();
    this.capacity = 0;
    this.length = 0;
  }

  /** True once `release` gave the arrays away. */
  released = false;

  /** Appends a scalar node and returns its index; the caller fills `vals` (and `dots`). */
  pushScalar(op: number, a: number, b: number, active: boolean): number {
    const i = this.length;
    if (i === this.capacity || i === this.maxNodes) this.grow();
    this.op[i] = op;
    this.in0[i] = a;
    this.in1[i] = b;
    this.active[i] = active ? 1 : 0;
    this.slot[i] = -1;
    this.length = i + 1;
    return i;
  }

  /** Appends a tensor node; its data live on the handle that `register` receives. */
  pushTensor(op: number, a: number, b: number, active: boolean): number {
    const i = this.pushScalar(op, a, b, active);
    this.slot[i] = this.tensors.length;
    return i;
  }

  tensorAt(i: number): Tensor {
    return this.tensors[this.slot[i]];
  }

  isTensor(i: number): boolean {
    return this.slot[i] >= 0;
  }

  /** The inputs of node i, in argument order (an input used twice appears twice). */
  inputsOf(i: number): readonly number[] {
    const many = this.manyInputs.get(i);
    if (many) return many;
    const a = this.in0[i];
    const b = this.in1[i];
    return a < 0 ? [] : b < 0 ? [a] : [a, b];
  }

  private grow(): void {
    if (this.length >= this.maxNodes) {
      throw new TapeBudgetError(
        `the tape reached its budget of ${this.maxNodes} nodes; raise { maxNodes } or use tensor ops instead of many scalar ops`,
      );
    }
    const capacity = Math.min(Math.max(this.capacity * 2, this.eager ? EAGER_CAPACITY : INITIAL_CAPACITY), this.maxNodes);
    const next = newStorage(capacity);
    const current = storageOf(this);
    for (const key of STORAGE_KEYS) next[key].set(current[key]);
    Object.assign(this, next);
    this.capacity = capacity;
  }

  // ---- Lanes: the numeric lanes of a top-level transform --------------------------------------------

  isActive(i: number): boolean {
    return this.active[i] === 1;
  }

  val(i: number): number | Float64Array {
    return this.slot[i] < 0 ? this.vals[i] : this.tensorAt(i).data;
  }

  dot(i: number): number | Float64Array {
    return this.slot[i] < 0 ? this.dots[i] : this.tensorAt(i).dataDot ?? 0;
  }

  fusedVal(i: number): Value {
    return this.slot[i] < 0 ? this.vals[i] : this.tensorAt(i).dataWork ?? this.tensorAt(i).data;
  }

  fusedDot(i: number): Value {
    return this.slot[i] < 0 ? this.dots[i] : this.tensorAt(i).dotWork ?? this.tensorAt(i).dataDot ?? 0;
  }

  bar(i: number): number | Float64Array {
    return this.slot[i] < 0 ? this.bars[i] : this.tensorAt(i).bar ?? 0;
  }

  barDot(i: number): number | Float64Array {
    return this.slot[i] < 0 ? this.barDots[i] : this.tensorAt(i).barDot ?? 0;
  }

  /** Sets y of node i (a replay's primal sweep): a scalar's lane, or a tensor's data array. */
  setVal(i: number, v: Value): void {
    const s = this.slot[i];
    if (s < 0) {
      this.vals[i] = scalarOf(this.o.numbers(v));
      return;
    }
    const t = this.tensors[s];
    // Light work (a sum with a bias) waits for its readers, as it does when f is recorded (setTensorDot).
    if (v instanceof Lazy && v.n === t.size && isLight(v, isHeld)) {
      t.deferData(v);
      return;
    }
    const data = this.o.numbers(v);
    t.data = typeof data === 'number' ? new Float64Array(t.size).fill(data) : checkedArray(data, t.size);
  }

  // The scalar case of each writer is one line; tensors go out of line (see NumberAlgebra on inlining).
  setDot(i: number, v: Value): void {
    if (typeof v === 'number' && this.slot[i] < 0) this.dots[i] = v;
    else this.setTensorDot(i, v);
  }

  addBar(i: number, v: Value, spent = -1): void {
    if (typeof v === 'number' && this.slot[i] < 0) this.bars[i] += v;
    else if (v !== 0) this.addTensorBar(i, v, 'bar', spent);
  }

  addBarDot(i: number, v: Value, spent = -1): void {
    if (typeof v === 'number' && this.slot[i] < 0) this.barDots[i] += v;
    else if (v !== 0) this.addTensorBar(i, v, 'barDot', spent);
  }

  /**
   * R{ȳ} += barDot, then ȳ += bar, of node i (`spent` as for addBar): the same as addBarDot and addBar
   * in that order, but when both are elementwise work on a tensor node that one loop can do
   * (fusion.ts, pairable), one fused loop computes and writes both, reading what they share once —
   * an elementwise rule's f′(x), its input's values and ȳ.
   */
  addBarPair(i: number, bar: Value, barDot: Value, spent = -1): void {
    const s = this.slot[i];
    if (s >= 0 && bar instanceof Lazy && barDot instanceof Lazy && bar.n === this.tensors[s].size && pairable(barDot, bar)) {
      const t = this.tensors[s];
      // Each lane as addTensorBar would write it: added into when it holds an array, else into the
      // running node's spent array or a new one (bar's and barDot's spent arrays are different arrays).
      const addDot = t.barDot !== null, addBar = t.bar !== null;
      const dotInto = t.barDot ?? this.spentLane(spent, 'barDot', t.size);
      const barInto = t.bar ?? this.spentLane(spent, 'bar', t.size);
      [t.barDot, t.bar] = evaluatePair(barDot, dotInto, addDot, bar, barInto, addBar, this.o.timesFn);
      return;
    }
    this.addBarDot(i, barDot, spent);
    this.addBar(i, bar, spent);
  }

  private setTensorDot(i: number, v: Value): void {
    const s = this.slot[i];
    if (s < 0) {
      this.dots[i] = scalarOf(this.o.numbers(v));
      return;
    }
    const t = this.tensors[s];
    // Tangent lanes are only ever replaced, never updated in place, so they may share arrays, and light
    // work on them (a sum with a bias's tangent) may wait for its readers: elementwise rules fuse it into
    // their own loops (fusedDot), anything else runs it once, on first read.
    if (v instanceof Lazy) {
      if (isLight(v, isHeld)) t.deferDot(v);
      else t.dataDot = evaluate(v, this.o.timesFn, null, false);
    } else t.dataDot = v === 0 ? null : typeof v === 'number' ? ownArray(v, t.size) : checkedArray(v, t.size);
  }

  private addTensorBar(i: number, v: Value, lane: 'bar' | 'barDot', spent: number): void {
    const s = this.slot[i];
    if (s < 0) {
      if (lane === 'bar') this.bars[i] += scalarOf(this.o.numbers(v));
      else this.barDots[i] += scalarOf(this.o.numbers(v));
      return;
    }
    const t = this.tensors[s];
    const current = t[lane];
    if (current) {
      // Deferred elementwise work runs as one loop straight into the lane (fusion.ts).
      t[lane] = v instanceof Lazy ? evaluate(v, this.o.timesFn, current, true) : accumulate(current, v);
      return;
    }
    if (v instanceof Float64Array && v.length === t.size && takeFresh(v)) {
      t[lane] = v;
      return;
    }
    const reuse = this.spentLane(spent, lane, t.size);
    if (v instanceof Lazy) t[lane] = evaluate(v, this.o.timesFn, reuse, false);
    else t[lane] = reuse ? copyInto(reuse, v) : ownArray(v, t.size);
  }

  /**
   * The running node's own `lane` array, for the rule's last write that reads it (Lanes.addBar): only
   * in a freeing sweep, where that node's lanes are let go once it has pushed, and only an array of the
   * written lane's size. Handed over, it is no longer the running node's. Null when it cannot be had.
   */
  private spentLane(spent: number, lane: 'bar' | 'barDot', size: number): Float64Array | null {
    if (spent < 0 || spent !== this.freeingNode) return null;
    const t = this.tensors[this.slot[spent]];
    const a = t[lane];
    if (a === null || a.length !== size) return null;
    t[lane] = null;
    return a;
  }

  /**
   * Tensor node i's `lane` += v through `add`, which adds v into the part of the lane it belongs to
   * (a slice's or a gather's adjoint) and leaves the rest untouched: O(size of v), where adding the
   * full-size form (x̄ += pad(ȳ)) is O(size of x̄) per call, O(k·n) for k slices of n elements. Only
   * while the lane already holds an array (else false, and the caller adds the full-size form, which
   * becomes the lane); the zeros around v are not added, as addBarAt does not add them.
   */
  addIntoLane(i: number, lane: 'bar' | 'barDot', v: Value, add: (into: Float64Array, v: Float64Array) => void): boolean {
    if (v === 0) return true;
    const s = this.slot[i];
    if (s < 0 || !(v instanceof Float64Array)) return false;
    const into = this.tensors[s][lane];
    if (into === null) return false;
    add(into, v);
    return true;
  }

  addBarAt(i: number, k: number, v: Value): void {
    if (v === 0) return;
    const t = this.tensors[this.slot[i]];
    (t.bar ??= new Float64Array(t.size))[k] += scalarOf(this.o.numbers(v));
  }

  addBarDotAt(i: number, k: number, v: Value): void {
    if (v === 0) return;
    const t = this.tensors[this.slot[i]];
    (t.barDot ??= new Float64Array(t.size))[k] += scalarOf(this.o.numbers(v));
  }

  // ---- Sweeps -----------------------------------------------------------------------------------------

  /**
   * Recomputes every active node's tangent from the leaves' tangents, in creation order; with
   * `reaching` (reaching-output.ts), only those of the nodes the output depends on.
   */
  forwardTangents(reaching?: Uint8Array): void {
    const { op, active, o } = this;
    this.enterSweep();
    try {
      for (let i = 0; i < this.length; i++) {
        if (active[i] === 1 && (reaching === undefined || reaching[i] === 1)) rules[op[i]].tangent(o, this, i);
      }
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * Node i's y and, if it is active, its R{y}, from its inputs' values and tangents (a replay with a
   * direction, node by node in creation order: compile): together where its rule can
   * (OpRule.primalAndTangent), else its primal and then its tangent rule. The generated replay passes
   * call it for the nodes they run through the rules (replay/scalar-sweeps.ts).
   */
  valueAndTangentAt(i: number): void {
    const { o } = this;
    const rule = rules[this.op[i]];
    const active = this.active[i] === 1;
    if (active && rule.primalAndTangent?.(o, this, i)) return;
    rule.primal!(o, this, i);
    if (active) rule.tangent(o, this, i);
  }

  /**
   * A replay's primal sweep with the tangents in the same pass, where the generated passes cannot be
   * had (code generation refused): {@link valueAndTangentAt} for every node but the leaves and
   * constants — the same numbers as a primal sweep followed by forwardTangents.
   */
  forwardValuesAndTangents(): void {
    this.sweepWith(() => {
      for (let i = 0; i < this.length; i++) {
        const code = this.op[i];
        if (code !== LEAF && code !== CONSTANT) this.valueAndTangentAt(i);
      }
    });
  }

  /**
   * Before node i pushes: if its op gives ȳ and R{ȳ} on as they are (OpRule.handsOnAdjoint), offers
   * its lanes to its input to take instead of copying (numbers.ts, takeFresh). Every sweep over the
   * tape's own lanes calls it (this one's, and a compiled program's generated one). Only the lanes
   * this sweep pushes: an `hvpOperator` apply keeps ȳ from the recording and pushes R{ȳ} alone, and
   * a ȳ offered then would stay marked while its nodes still hold it, for a later write to take and
   * add into in place (a checkpoint seeds its segment's sweep with ȳ, whose spent lanes it reuses).
   */
  offerAdjointLanes(i: number): void {
    const s = this.slot[i];
    if (s < 0 || rules[this.op[i]].handsOnAdjoint !== true) return;
    const t = this.tensors[s];
    if (this.sweepBar && t.bar !== null) fresh(t.bar);
    if (this.sweepBarDot && t.barDot !== null) fresh(t.barDot);
  }

  /**
   * The reverse sweep: each active node, last to first, pushes its dual adjoint into its inputs.
   * With `freeAsSwept`, a tensor node's lanes are let go once it has pushed (nothing later in the
   * sweep reads them), so adjoints can reuse the memory of the values behind them.
   */
  reverse(freeAsSwept = false): void {
    const { op, active, o, slot, tensors } = this;
    this.enterSweep();
    try {
      for (let i = this.length - 1; i >= 0; i--) {
        const freed = freeAsSwept && slot[i] >= 0 && op[i] !== LEAF;
        if (active[i] === 1) {
          this.offerAdjointLanes(i);
          // A node about to be freed may give its adjoint arrays to its rule's last writes (spentLane).
          this.freeingNode = freed ? i : -1;
          rules[op[i]].backward(o, this, i);
        }
        if (freed) {
          const t = tensors[slot[i]];
          t.data = SWEPT;
          t.dataDot = t.bar = t.barDot = null;
        }
      }
    } finally {
      this.freeingNode = -1;
      this.sweeping = false;
    }
  }

  /** The same sweep, calling `after(i)` once node i has pushed (for checks and traces; slower). */
  reverseEach(after: (i: number) => void): void {
    const { op, active, o } = this;
    this.enterSweep();
    try {
      for (let i = this.length - 1; i >= 0; i--) {
        if (active[i] !== 1) continue;
        rules[op[i]].backward(o, this, i);
        after(i);
      }
    } finally {
      this.sweeping = false;
    }
  }

  /** Runs a sweep over this tape's lanes (a generated one), refusing re-entry like the sweeps above. */
  sweepWith(run: () => void): void {
    this.enterSweep();
    try {
      run();
    } finally {
      this.sweeping = false;
    }
  }

  private enterSweep(): void {
    if (this.sweeping) {
      throw new ReentrantSweepError(
        'a transform on this tape was applied from inside one of its own sweeps (e.g. an hvpOperator or a vjp ' +
          'pullback called from a defineOp rule); its lanes are in use, so the result would be wrong. Apply it ' +
          'outside the rule, or record a new transform inside the rule',
      );
    }
    this.sweeping = true;
  }

  /** Zeroes the adjoint lanes that the next sweep will fill. */
  clearAdjoints(bar: boolean, barDot: boolean): void {
    if (bar) this.bars.fill(0, 0, this.length);
    if (barDot) this.barDots.fill(0, 0, this.length);
    for (const t of this.tensors) {
      if (bar) t.bar = null;
      if (barDot) t.barDot = null;
    }
  }
}

/**
 * A sweep was started on a tape whose own sweep is still running.
 *
 * @example
 * ```ts
 * // A user op whose backward rule applies the operator whose sweep is running it:
 * let H: HvpOperator<number[]> | undefined;
 * const probe = defineOp({ name: 'probe', primal: (x) => x, tangent: (_x, [d]) => d, backward: (_x, _y, g) => { H?.applyFlat(Float64Array.of(1, 0)); return [g]; } });
 * H = hvpOperator((x: Tensor) => probe(x.at(0)).mul(x.at(1)), [1, 2]);
 * H.applyFlat(Float64Array.of(1, 0)); // throws ReentrantSweepError
 * ```
 */
export class ReentrantSweepError extends DualtapeError {}

/**
 * R{x̄} += barDot(), then x̄ += bar(), for node x, in the lanes the running sweep fills (`spent` as
 * for Lanes.addBar): an elementwise rule's two writes to one input. On the tape's own lanes both go
 * in one fused loop when they can (Tape.addBarPair); elsewhere (a nested transform's frame, lane
 * stacks) each is formed and written in turn, in that order.
 */
export function addAdjoints(L: Lanes, x: number, barDot: () => Value, bar: () => Value, spent: number): void {
  if (L.sweepBarDot && L.sweepBar && L instanceof Tape) {
    const dot = barDot();
    L.addBarPair(x, bar(), dot, spent);
    return;
  }
  if (L.sweepBarDot) L.addBarDot(x, barDot(), spent);
  if (L.sweepBar) L.addBar(x, bar(), spent);
}

function scalarOf(v: Value): number {
  if (typeof v === 'number') return v;
  if (v instanceof Float64Array && v.length === 1) return v[0];
  throw new Error('dualtape internal error: a rule gave a tensor value to a scalar node');
}

/** A lane's own copy of v (a number fills the lane: a number is a constant of any shape). */
function ownArray(v: Value, size: number): Float64Array {
  if (typeof v === 'number') return new Float64Array(size).fill(v);
  if (v instanceof Float64Array && v.length === size) return v.slice();
  throw new Error('dualtape internal error: a rule gave a lane a value of the wrong size');
}

function checkedArray(v: Value, size: number): Float64Array {
  // Kept as a node's value or tangent: no longer an adjoint lane's to take (takeFresh).
  if (v instanceof Float64Array && v.length === size) return keep(v);
  throw new Error('dualtape internal error: a rule gave a lane a value of the wrong size');
}

/** `into` := v (a number fills it), for a lane that reuses a spent array. */
function copyInto(into: Float64Array, v: Value): Float64Array {
  if (typeof v === 'number') return into.fill(v);
  if (v instanceof Float64Array && v.length === into.length) {
    into.set(v);
    return into;
  }
  throw new Error('dualtape internal error: a rule gave a lane a value of the wrong size');
}

function accumulate(lane: Float64Array, v: Value): Float64Array {
  if (typeof v === 'number') {
    for (let k = 0; k < lane.length; k++) lane[k] += v;
  } else if (v instanceof Float64Array && v.length === lane.length) {
    for (let k = 0; k < lane.length; k++) lane[k] += v[k];
  } else {
    throw new Error('dualtape internal error: a rule gave a lane a value of the wrong size');
  }
  return lane;
}

interface Storage {
  op: Int32Array;
  in0: Int32Array;
  in1: Int32Array;
  active: Uint8Array;
  slot: Int32Array;
  vals: Float64Array;
  dots: Float64Array;
  bars: Float64Array;
  barDots: Float64Array;
  aux: Float64Array;
}

const STORAGE_KEYS = ['op', 'in0', 'in1', 'active', 'slot', 'vals', 'dots', 'bars', 'barDots', 'aux'] as const;

function storageOf(t: Storage): Storage {
  const s = {} as Record<keyof Storage, Storage[keyof Storage]>;
  for (const key of STORAGE_KEYS) s[key] = t[key];
  return s as Storage;
}

function newStorage(capacity: number): Storage {
  return {
    op: new Int32Array(capacity), in0: new Int32Array(capacity), in1: new Int32Array(capacity),
    active: new Uint8Array(capacity), slot: new Int32Array(capacity),
    vals: new Float64Array(capacity), dots: new Float64Array(capacity), bars: new Float64Array(capacity),
    barDots: new Float64Array(capacity), aux: new Float64Array(capacity),
  };
}

/** What a tensor node's data become once a freeing sweep has passed it: nothing reads them after (the tape is released next). */
const SWEPT = new Float64Array(0);

const MAX_SPARE_CAPACITY = 1 << 22;

/** The arrays of the last released tape, waiting for the next one (one spare set: memory stays bounded). */
let spare: Storage | null = null;

// The transforms in progress, innermost last: one entry per transform, all of one top-level call
// sharing its tape. Constants made inside `f` (tensor(), scalar()) go on that tape.
const recording: Tape[] = [];

export function pushRecording(tape: Tape): void {
  recording.push(tape);
}

export function popRecording(tape: Tape): void {
  const top = recording.pop();
  if (top !== tape) throw new Error('dualtape internal error: transform stack out of order');
}

/** The tape of the transform in progress, if any. */
export function recordingTape(): Tape | undefined {
  return recording[recording.length - 1];
}

/**
 * How many transforms in progress record on the innermost one's tape: 1 inside a top-level
 * transform's f, more inside a nested transform's f (0 outside any transform).
 */
export function recordingDepth(): number {
  const top = recording[recording.length - 1];
  let depth = 0;
  for (let k = recording.length - 1; k >= 0 && recording[k] === top; k--) depth++;
  return depth;
}

/**
 * Tapes closed for a while, with the error that using one of their nodes gives instead of
 * StaleNodeError: a checkpoint's function runs apart from the transform recording it (checkpoint.ts).
 */
const fences = new Map<Tape, (opName: string) => DualtapeError>();

/** Closes `tape` to every op until the returned function is called; `error` says why and what to do. */
export function fenceTape(tape: Tape, error: (opName: string) => DualtapeError): () => void {
  const wasFinished = tape.finished;
  const previous = fences.get(tape);
  tape.finished = true;
  fences.set(tape, error);
  return () => {
    tape.finished = wasFinished;
    if (previous) fences.set(tape, previous);
    else fences.delete(tape);
  };
}

/** Throws {@link StaleNodeError} unless the tape is still recording. */
export function checkLive(tape: Tape, opName: string): Tape {
  if (tape.finished) throw staleNode(opName, tape);
  return tape;
}

/**
 * The tape an op on nodes of tapes `a` and `b` records on, after checking neither is stale: their
 * common tape, or — when one of them is an eager tape (plain values computed outside any transform)
 * — the other one, into which the op then imports the eager operand as a constant (see `onTape` in
 * node.ts). Two separate transform calls cannot mix.
 */
export function commonTape(a: Tape, b: Tape, opName: string): Tape {
  if (a.finished || b.finished) throw staleNode(opName, a.finished ? a : b);
  if (a === b) return a;
  if (b.eager) return a;
  if (a.eager) return b;
  throw new StaleNodeError(
    `${opName}: operands come from two separate transform calls (neither nested in the other); ` +
      'a node is valid only inside the function of the call that made it and of transforms nested in it',
  );
}

/** A fresh tape for values computed outside any transform (tensor(), scalar() and ops on them). */
export function eagerTape(): Tape {
  return new Tape(false, {}, true);
}

export function staleNode(opName: string, tape?: Tape): DualtapeError {
  const fenced = tape && fences.get(tape);
  if (fenced) return fenced(opName);
  if (tape?.staleHint) return new StaleNodeError(`${opName}: ${tape.staleHint}`);
  return new StaleNodeError(
    `${opName}: a node from a finished transform call was used; nodes are valid only inside the function being differentiated`,
  );
}
