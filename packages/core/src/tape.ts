/**
 * The tape: every node of one transform call, recorded in creation order, stored as struct-of-arrays.
 *
 * A node is a scalar or a tensor. Scalars live entirely in typed arrays (value, tangent R{·}, adjoint,
 * R{adjoint}), so a scalar graph costs no object per node beyond its handle. Tensors keep their four
 * lanes as Float64Arrays on the {@link Tensor} handle, found through `slot`.
 *
 * Creation order is already a topological order, so the reverse sweep is a plain backwards loop: no
 * sort, no recursion, and a 10⁶-node chain needs no stack.
 * @module
 */
import { NestedTransformError, StaleNodeError, TapeBudgetError } from './errors.js';
import type { Tensor } from './node.js';

/** The rules of one op, side by side in the op's own file. */
export interface OpRule {
  readonly name: string;
  /** Recomputes the tangent R{y} of node `i` from its inputs' tangents (re-run by `hvpOperator`). */
  tangent(tape: Tape, i: number): void;
  /**
   * Pushes node `i`'s dual adjoint (ȳ, R{ȳ}) into its inputs, in dual arithmetic: the primal lane
   * when `tape.sweepBar`, the tangent lane when `tape.sweepBarDot`.
   */
  backward(tape: Tape, i: number): void;
}

const rules: OpRule[] = [];

/** Registers an op's rules and returns its op code. Called once per op, when its module loads. */
export function registerRule(rule: OpRule): number {
  rules.push(rule);
  return rules.length - 1;
}

/** The op code → rule table, for the sweeps and for tracing. */
export function ruleOf(code: number): OpRule {
  return rules[code];
}

/** Leaves (the parameters) and constants have nothing to push further back. */
export const LEAF = registerRule({ name: 'leaf', tangent() {}, backward() {} });
export const CONSTANT = registerRule({ name: 'constant', tangent() {}, backward() {} });

/** Options every transform accepts. */
export interface TapeOptions {
  /** Throw {@link FiniteError} on NaN/±Infinity in `x`, `v` or any recorded value. Default false. */
  readonly checkFinite?: boolean;
  /** Stop with {@link TapeBudgetError} once the tape holds this many nodes. Default 3·10⁷. */
  readonly maxNodes?: number;
}

export const DEFAULT_MAX_NODES = 30_000_000;
const INITIAL_CAPACITY = 1024;
const NO_INPUT = -1;

let nextTapeId = 1;

export class Tape {
  readonly id = nextTapeId++;
  /** Tangents are computed while recording (hvp, jvp); off for plain gradients. */
  readonly withTangent: boolean;
  readonly maxNodes: number;
  readonly checkFinite: boolean;
  /** Which lanes of the dual adjoint the current reverse sweep fills. */
  sweepBar = true;
  sweepBarDot = false;
  /** Set when the transform call ends; every op refuses nodes of a finished tape. */
  finished = false;

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
  val!: Float64Array;
  dot!: Float64Array;
  bar!: Float64Array;
  barDot!: Float64Array;
  aux!: Float64Array;
  /** Tensor handles by slot. */
  readonly tensors: Tensor[] = [];
  /** Op data that is not one number (index maps, extra inputs), by node. */
  readonly saved = new Map<number, unknown>();

  constructor(withTangent: boolean, options: TapeOptions = {}) {
    this.withTangent = withTangent;
    this.maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
    this.checkFinite = options.checkFinite ?? false;
    // Reuse the arrays of the last released tape: repeated calls then allocate and grow nothing.
    const storage = spare ?? newStorage(INITIAL_CAPACITY);
    spare = null;
    Object.assign(this, storage);
    this.capacity = storage.val.length;
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
    this.bar.fill(0, 0, this.length);
    this.barDot.fill(0, 0, this.length);
    // Keep at most ~4M nodes' arrays (~230 MB) for reuse: one runaway tape must not pin its memory.
    if (this.capacity <= MAX_SPARE_CAPACITY && (!spare || spare.val.length < this.capacity)) {
      spare = storageOf(this);
    }
    Object.assign(this, newStorage(0));
    this.tensors.length = 0;
    this.saved.clear();
    this.capacity = 0;
    this.length = 0;
  }

  /** True once `release` gave the arrays away. */
  released = false;

  /** Appends a scalar node and returns its index; the caller fills `val` (and `dot`). */
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

  private grow(): void {
    if (this.length >= this.maxNodes) {
      throw new TapeBudgetError(
        `the tape reached its budget of ${this.maxNodes} nodes; raise { maxNodes } or use tensor ops instead of many scalar ops`,
      );
    }
    const capacity = Math.min(this.capacity * 2, this.maxNodes);
    const next = newStorage(capacity);
    const current = storageOf(this);
    for (const key of STORAGE_KEYS) next[key].set(current[key]);
    Object.assign(this, next);
    this.capacity = capacity;
  }

  /** Recomputes every active node's tangent from the leaves' tangents, in creation order. */
  forwardTangents(): void {
    const { op, active } = this;
    for (let i = 0; i < this.length; i++) {
      if (active[i] === 1) rules[op[i]].tangent(this, i);
    }
  }

  /** The reverse sweep: each active node, last to first, pushes its dual adjoint into its inputs. */
  reverse(): void {
    const { op, active } = this;
    for (let i = this.length - 1; i >= 0; i--) {
      if (active[i] === 1) rules[op[i]].backward(this, i);
    }
  }

  /** The same sweep, calling `after(i)` once node i has pushed (for checks; slower). */
  reverseEach(after: (i: number) => void): void {
    const { op, active } = this;
    for (let i = this.length - 1; i >= 0; i--) {
      if (active[i] !== 1) continue;
      rules[op[i]].backward(this, i);
      after(i);
    }
  }

  /** Zeroes the adjoint lanes that the next sweep will fill. */
  clearAdjoints(bar: boolean, barDot: boolean): void {
    if (bar) this.bar.fill(0, 0, this.length);
    if (barDot) this.barDot.fill(0, 0, this.length);
    for (const t of this.tensors) {
      if (bar) t.bar = null;
      if (barDot) t.barDot = null;
    }
  }
}

export { NO_INPUT };

interface Storage {
  op: Int32Array;
  in0: Int32Array;
  in1: Int32Array;
  active: Uint8Array;
  slot: Int32Array;
  val: Float64Array;
  dot: Float64Array;
  bar: Float64Array;
  barDot: Float64Array;
  aux: Float64Array;
}

const STORAGE_KEYS = ['op', 'in0', 'in1', 'active', 'slot', 'val', 'dot', 'bar', 'barDot', 'aux'] as const;

function storageOf(t: Storage): Storage {
  const s = {} as Record<keyof Storage, Storage[keyof Storage]>;
  for (const key of STORAGE_KEYS) s[key] = t[key];
  return s as Storage;
}

function newStorage(capacity: number): Storage {
  return {
    op: new Int32Array(capacity), in0: new Int32Array(capacity), in1: new Int32Array(capacity),
    active: new Uint8Array(capacity), slot: new Int32Array(capacity),
    val: new Float64Array(capacity), dot: new Float64Array(capacity), bar: new Float64Array(capacity),
    barDot: new Float64Array(capacity), aux: new Float64Array(capacity),
  };
}

const MAX_SPARE_CAPACITY = 1 << 22;

/** The arrays of the last released tape, waiting for the next one (one spare set: memory stays bounded). */
let spare: Storage | null = null;

// The transforms in progress, innermost last. Constants made inside `f` go on the innermost tape.
const active: Tape[] = [];

export function pushActiveTape(tape: Tape): void {
  active.push(tape);
}

export function popActiveTape(tape: Tape): void {
  const top = active.pop();
  if (top !== tape) throw new Error('dualtape internal error: transform stack out of order');
}

export function innermostTape(): Tape | undefined {
  return active[active.length - 1];
}

/** The tape two operands share, after checking neither is stale and they are not from different calls. */
export function commonTape(a: Tape, b: Tape, opName: string): Tape {
  if (a.finished || b.finished) throw staleNode(opName);
  if (a !== b) {
    throw new NestedTransformError(
      `${opName}: operands come from different transform calls (an outer one and an inner one). ` +
        'dualtape does not differentiate through a transform nested in another, as mixing their nodes ' +
        'would confuse their perturbations; compute the inner derivative outside, or pass it in as data',
    );
  }
  return a;
}

export function checkLive(tape: Tape, opName: string): Tape {
  if (tape.finished) throw staleNode(opName);
  return tape;
}

function staleNode(opName: string): StaleNodeError {
  return new StaleNodeError(
    `${opName}: a node from a finished transform call was used; nodes are valid only inside the function being differentiated`,
  );
}
