/**
 * Frames: one transform call's view of the tape. A top-level call owns a fresh tape and sweeps its
 * numeric lanes. A call made while another transform is recording — a nested transform — owns no tape:
 *
 * 1. it records its function on the enclosing tape, as a segment that starts with copies of its
 *    inputs (so the inner inputs are variables of their own, and values the function closes over are
 *    constants to it: no perturbation confusion);
 * 2. it marks which nodes of the segment depend on its inputs (its own activity, apart from the
 *    enclosing transform's);
 * 3. it runs its tangent and reverse sweeps with the `nodes` algebra: each rule's arithmetic is itself
 *    recorded on the enclosing tape, after the segment;
 * 4. it returns nodes of the enclosing tape, which the enclosing transform differentiates like any
 *    other nodes — through the inner sweeps, since their rules were recorded as ops.
 *
 * However deep the nesting, there is one tape per top-level call and one set of rules; depth n of
 * nesting is n layers of recorded sweeps.
 * @module
 */
import type { Algebra, Value } from './algebra/algebra.js';
import { NodeAlgebra } from './algebra/nodes.js';
import type { Lanes } from './lanes.js';
import { Scalar, Tensor, constantScalar, constantTensor, newScalar, newTensor, onTape, type Node } from './node.js';
import { leafNumbers, nestedShape, type Leaf } from './pytree.js';
import { sizeOf, type Shape } from './shape.js';
import { reshape } from './ops/reshape.js';
import { stack } from './ops/stack.js';
import { NO_INPUT, registerRule, ruleOf, type OpRule, type Tape } from './tape.js';

/**
 * An input of a nested transform: the same number as the enclosing node it copies (R{y} = R{x},
 * x̄ += ȳ at the enclosing level), but a node of its own, so the nested transform can tell its own
 * input from the enclosing one it came from.
 */
const inputRule: OpRule = {
  name: 'input',
  linear: true,
  tangent(_o, L, i) {
    L.setDot(i, L.dot(L.tape.in0[i]));
  },
  backward(_o, L, i) {
    const x = L.tape.in0[i];
    if (L.sweepBar) L.addBar(x, L.bar(i));
    if (L.sweepBarDot) L.addBarDot(x, L.barDot(i));
  },
};
export const INPUT = registerRule(inputRule);

/** A nested transform's input node copying `x` (a node of the enclosing tape, or numbers). */
export function inputNode(tape: Tape, given: Leaf['value']): Node {
  if (typeof given === 'number') return constantScalar(tape, given);
  if (!(given instanceof Scalar) && !(given instanceof Tensor)) {
    const values = leafNumbers(given);
    return constantTensor(tape, values instanceof Float64Array ? values : Float64Array.from(values), nestedShape(given) ?? [values.length]);
  }
  const x = onTape(given, tape, 'input');
  if (x.tape !== given.tape) return x; // a plain value computed outside any transform: a constant here
  const active = tape.active[x.id] === 1;
  const node = x instanceof Scalar
    ? newScalar(tape, INPUT, x.id, NO_INPUT, active, tape.vals[x.id], 0)
    : newTensor(tape, INPUT, x.id, NO_INPUT, active, x.shape, x.data, null);
  if (active && tape.withTangent) inputRule.tangent(tape.o, tape, node.id);
  return node;
}

/** Node i's activity in a nested frame: outside, a plain node, or an input (where sweeps stop). */
const OUTSIDE = 0, ACTIVE = 1, INPUT_NODE = 2;

/**
 * The lanes of a nested transform: its tangents and adjoints are nodes of the enclosing tape (or
 * numbers: 0 for nothing), kept beside the segment they belong to.
 */
export class NestedLanes implements Lanes {
  readonly o: NodeAlgebra;
  sweepBar = true;
  sweepBarDot = false;
  private readonly mark: Uint8Array;
  private readonly dots: Value[];
  private bars: Value[];
  private barDots: Value[];
  /** Element-wise contributions (addBarAt) not yet gathered into a tensor, by node: element → value. */
  private pendingBars = new Map<number, Map<number, Value>>();
  private pendingBarDots = new Map<number, Map<number, Value>>();

  /** The segment [start, end) of `tape` and the nodes of it that are this transform's inputs. */
  constructor(readonly tape: Tape, readonly start: number, readonly end: number, inputs: readonly Node[]) {
    this.o = new NodeAlgebra(tape);
    const n = end - start;
    this.mark = new Uint8Array(n);
    for (const x of inputs) this.mark[x.id - start] = INPUT_NODE;
    for (let i = start; i < end; i++) {
      if (this.mark[i - start] !== OUTSIDE) continue;
      for (const j of tape.inputsOf(i)) {
        if (j >= start && this.mark[j - start] !== OUTSIDE) {
          this.mark[i - start] = ACTIVE;
          break;
        }
      }
    }
    this.dots = new Array<Value>(n).fill(0);
    this.bars = new Array<Value>(n).fill(0);
    this.barDots = new Array<Value>(n).fill(0);
  }

  private inside(i: number): boolean {
    return i >= this.start && i < this.end && this.mark[i - this.start] !== OUTSIDE;
  }

  isActive(i: number): boolean {
    return this.inside(i);
  }

  val(i: number): Node {
    return this.tape.isTensor(i) ? this.tape.tensorAt(i) : new Scalar(this.tape, i);
  }

  dot(i: number): Value {
    return this.inside(i) ? this.dots[i - this.start] : 0;
  }

  fusedVal(i: number): Node {
    return this.val(i);
  }

  fusedDot(i: number): Value {
    return this.dot(i);
  }

  bar(i: number): Value {
    if (!this.inside(i)) return 0;
    this.gather(i, this.pendingBars, this.bars);
    return this.bars[i - this.start];
  }

  barDot(i: number): Value {
    if (!this.inside(i)) return 0;
    this.gather(i, this.pendingBarDots, this.barDots);
    return this.barDots[i - this.start];
  }

  addBarAt(i: number, k: number, v: Value): void {
    if (this.inside(i) && v !== 0) addPending(this.pendingBars, i, k, v, this.o);
  }

  addBarDotAt(i: number, k: number, v: Value): void {
    if (this.inside(i) && v !== 0) addPending(this.pendingBarDots, i, k, v, this.o);
  }

  /** Folds node i's pending element contributions into its lane, as one tensor of scalars. */
  private gather(i: number, pending: Map<number, Map<number, Value>>, lane: Value[]): void {
    const parts = pending.get(i);
    if (!parts) return;
    pending.delete(i);
    const x = this.tape.tensorAt(i);
    const elements: Scalar[] = [];
    for (let k = 0; k < x.size; k++) {
      const v = parts.get(k) ?? 0;
      elements.push(typeof v === 'number' ? constantScalar(this.tape, v) : (v as Scalar));
    }
    lane[i - this.start] = this.o.add(lane[i - this.start], reshape(stack(elements), x.shape));
  }

  setDot(i: number, v: Value): void {
    if (this.inside(i)) this.dots[i - this.start] = v;
  }

  setVal(): never {
    throw new Error('dualtape internal error: a nested transform does not replay values');
  }

  addBar(i: number, v: Value): void {
    if (this.inside(i)) this.bars[i - this.start] = this.o.add(this.bars[i - this.start], v);
  }

  addBarDot(i: number, v: Value): void {
    if (this.inside(i)) this.barDots[i - this.start] = this.o.add(this.barDots[i - this.start], v);
  }

  /** Emits R{y} of every active node from the inputs' tangents (already set), in creation order. */
  forwardTangents(): void {
    const { tape, o } = this;
    for (let i = this.start; i < this.end; i++) {
      if (this.mark[i - this.start] === ACTIVE) ruleOf(tape.op[i]).tangent(o, this, i);
    }
  }

  /** Emits the reverse sweep over the segment, from adjoints already seeded. */
  reverse(): void {
    const { tape, o } = this;
    for (let i = this.end - 1; i >= this.start; i--) {
      if (this.mark[i - this.start] === ACTIVE) ruleOf(tape.op[i]).backward(o, this, i);
    }
  }

  clearAdjoints(bar: boolean, barDot: boolean): void {
    if (bar) {
      this.bars = this.bars.map(() => 0);
      this.pendingBars.clear();
    }
    if (barDot) {
      this.barDots = this.barDots.map(() => 0);
      this.pendingBarDots.clear();
    }
  }

  /** A lane value of node i as a node of its own shape (a number becomes a constant). */
  asNode(i: number, v: Value): Node {
    return materialize(this.tape, v, this.tape.isTensor(i) ? this.tape.tensorAt(i).shape : null);
  }
}

function addPending(pending: Map<number, Map<number, Value>>, i: number, k: number, v: Value, o: NodeAlgebra): void {
  let parts = pending.get(i);
  if (!parts) pending.set(i, (parts = new Map()));
  parts.set(k, o.add(parts.get(k) ?? 0, v));
}

/** A value of the nodes algebra as a node: a scalar when `shape` is null, else a tensor of that shape. */
export function materialize(tape: Tape, v: Value, shape: Shape | null): Node {
  if (shape === null) {
    if (typeof v === 'number') return constantScalar(tape, v);
    if (v instanceof Tensor) throw new Error('dualtape internal error: a tensor where a scalar belongs');
    return v as Scalar;
  }
  if (typeof v === 'number') return constantTensor(tape, new Float64Array(sizeOf(shape)).fill(v), shape);
  if (v instanceof Scalar || v instanceof Float64Array) throw new Error('dualtape internal error: a scalar where a tensor belongs');
  return v as Tensor;
}

export type { Algebra };
