/**
 * A function run on a temporary tape of its own from inside a sweep of the tape that recorded its
 * node: how `checkpoint` runs its segment again and `customJvp` runs the user's rules. The node's
 * inputs become leaves (or constants) of the temporary tape, the function runs with the enclosing
 * tape closed to it, and what the node needs is read back before the temporary tape is released.
 * @module
 */
import type { Value } from './algebra/algebra.js';
import { ArgumentError, NestedTransformError, StructureError, type DualtapeError } from './errors.js';
import type { Lanes } from './lanes.js';
import { Scalar, describeValue, isNode, newScalar, newTensor, onTape, type Node } from './node.js';
import { leavesOf, type Leaf, type Pytree } from './pytree.js';
import { assertFiniteAdjoints } from './finite-checks.js';
import { CONSTANT, LEAF, NO_INPUT, Tape, fenceTape, popRecording, pushRecording, staleNode } from './tape.js';

/** The leaves of a node's argument x, each a node (an ArgumentError naming `name` and the path otherwise). */
export function argumentNodes(name: string, x: Pytree): Leaf[] {
  let leaves: Leaf[];
  try {
    leaves = leavesOf(x);
  } catch (error) {
    if (!(error instanceof StructureError)) throw error;
    // The pytree walker's own words ("x.b is a Map; expected a number, …") are about transforms' points: keep the path.
    throw new ArgumentError(`${name}: ${error.message.split(';')[0]}; the argument must be a node or a pytree (plain objects and arrays) of nodes`);
  }
  if (leaves.length === 0) throw new ArgumentError(`${name}: the argument holds no node; pass the nodes f computes from`);
  for (const leaf of leaves) {
    if (!isNode(leaf.value)) {
      throw new ArgumentError(
        `${name}: ${leaf.path} is ${describeValue(leaf.value)}; the argument's leaves must be nodes (close over plain numbers and arrays instead)`,
      );
    }
  }
  return leaves;
}

/** A leaf of the argument as a node of the recording tape (a plain value computed outside any transform becomes a constant). */
export function inputOf(tape: Tape, node: Node, path: string, name: string): Node {
  if (node.tape === tape || node.tape.eager) return onTape(node, tape, name);
  if (node.tape.finished) throw staleNode(`${name}: ${path}`, node.tape);
  throw new NestedTransformError(`${name}: ${path} is a node of another transform call, not of the one recording`);
}

/** A node's result as the enclosing node holds it: y, ẏ (null or 0 for none), and the shape (null for a scalar). */
export interface Output {
  readonly value: number | Float64Array;
  readonly dot: number | Float64Array | null;
  readonly shape: readonly number[] | null;
}

/**
 * Input `id` of the enclosing lanes as a leaf of the temporary tape: its value, and its tangent when
 * the temporary tape carries tangents and the input is active (a constant otherwise).
 */
export function leafOf(temp: Tape, L: Lanes, id: number): Node {
  const active = L.isActive(id);
  const value = L.val(id) as number | Float64Array;
  const dot = temp.withTangent && active ? (L.dot(id) as number | Float64Array) : 0;
  const op = active ? LEAF : CONSTANT;
  if (typeof value === 'number') return newScalar(temp, op, NO_INPUT, NO_INPUT, active, value, dot as number);
  const shape = L.tape.tensorAt(id).shape;
  const tangent = typeof dot === 'number' ? (dot === 0 ? null : new Float64Array(value.length).fill(dot)) : dot;
  return newTensor(temp, op, NO_INPUT, NO_INPUT, active, shape, value, tangent);
}

/** Runs `body` with `temp` recording and `outer` closed to it (an op on outer's nodes throws `closure(opName)`). */
export function runApart<T>(outer: Tape, temp: Tape, closure: (opName: string) => DualtapeError, body: () => T): T {
  const reopen = fenceTape(outer, closure);
  pushRecording(temp);
  try {
    return body();
  } finally {
    popRecording(temp);
    reopen();
  }
}

/** A node's value and tangent read before its temporary tape goes (copies of arrays a leaf holds). */
export function readOutput(out: Node, temp: Tape): Output {
  const computed = out.tape === temp;
  if (out instanceof Scalar) return { value: out.tape.vals[out.id], dot: computed ? temp.dots[out.id] : 0, shape: null };
  // A leaf's arrays belong to an input node of the enclosing tape (and an eager node's to the caller).
  const own = computed && temp.op[out.id] !== LEAF && temp.op[out.id] !== CONSTANT;
  const dot = computed && out.dataDot ? (own ? out.dataDot : out.dataDot.slice()) : null;
  return { value: own ? out.data : out.data.slice(), dot, shape: out.shape };
}

/** The ȳ or R{ȳ} lane of a leaf of a temporary tape after its reverse sweep (0 for none). */
export function laneOf(leaf: Node, lane: 'bar' | 'barDot'): Value {
  if (leaf instanceof Scalar) return lane === 'bar' ? leaf.tape.bars[leaf.id] : leaf.tape.barDots[leaf.id];
  return leaf[lane] ?? 0;
}

/**
 * Runs `body` on a fresh temporary tape like L's (strict mode, node budget), released after; the 0·∞
 * products it resolves are counted on L's tape, where strict mode looks for them. `staleHint` is what
 * a node of it used after it ended says.
 */
export function onTempTape<T>(L: Lanes, withTangent: boolean, staleHint: string | undefined, body: (temp: Tape) => T): T {
  const outer = L.tape;
  const temp = new Tape(withTangent, { checkFinite: outer.checkFinite, maxNodes: outer.maxNodes });
  temp.staleHint = staleHint;
  try {
    const result = body(temp);
    outer.o.indeterminate += temp.o.indeterminate;
    return result;
  } finally {
    temp.release();
  }
}

/**
 * Sweeps `temp` back from the seed (ȳ, R{ȳ}) at `out`, filling the lanes L's sweep fills, and adds
 * leaf j's adjoints into L's input ids[j] (strict mode checks the sweep, naming `what`).
 */
export function sweepBackInto(
  temp: Tape, out: Node, seed: { readonly bar: Value; readonly barDot: Value }, L: Lanes, leaves: readonly Node[], ids: readonly number[], what: string,
): void {
  const strict = L.tape.checkFinite;
  temp.sweepBar = true;
  temp.sweepBarDot = L.sweepBarDot;
  temp.addBar(out.id, seed.bar);
  if (L.sweepBarDot) temp.addBarDot(out.id, seed.barDot);
  temp.reverse(!strict);
  if (strict) assertFiniteAdjoints(what, temp);
  ids.forEach((id, j) => {
    if (!L.isActive(id)) return;
    if (L.sweepBar) L.addBar(id, laneOf(leaves[j], 'bar'));
    if (L.sweepBarDot) L.addBarDot(id, laneOf(leaves[j], 'barDot'));
  });
}
