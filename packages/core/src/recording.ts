/**
 * Recording `f` for a transform, and the sweeps and read-outs every transform is built from. Each
 * works in both settings (frame.ts):
 *
 *   top level  a fresh tape with numeric lanes; results are numbers and Float64Arrays;
 *   nested     a segment of the enclosing tape with node lanes; results are nodes of that tape.
 *
 * so transforms.ts writes each transform once.
 * @module
 */
import type { Value } from './algebra/algebra.js';
import { ArgumentError, FiniteError, NestedTransformError, OutputError, StaleNodeError, StructureError, TapeBudgetError } from './errors.js';
import { checkOptions, option, type OptionsSpec } from './options.js';
import { assertFiniteAdjoints, assertFiniteForward, assertFiniteRange } from './finite-checks.js';
import { NestedLanes, inputNode } from './frame.js';
import { Scalar, Tensor, constantScalar, constantTensor, describeValue, isNode, newScalar, newTensor, onTape, type Node } from './node.js';
import { promote } from './elementwise/operands.js';
import { at } from './ops/at.js';
import { reshape } from './ops/reshape.js';
import { assertFiniteTree, assertSameStructure, leafNumbers, leavesOf, mapLeaves, nestedShape, type Leaf, type Pytree } from './pytree.js';
import { formatShape, sameShape } from './shape.js';
import {
  LEAF, NO_INPUT, Tape, popRecording, pushRecording, recordingTape, ruleOf, staleNode, type TapeOptions,
} from './tape.js';

/**
 * Options of every transform.
 *
 * @example
 * ```ts
 * grad((x: Tensor) => x.log().sum(), { checkFinite: true, maxNodes: 1_000_000 })([1, 2]); // [1, 0.5]
 * ```
 */
export type TransformOptions = TapeOptions;

/** One transform call's recording of `f`. @internal */
export interface Recording {
  readonly name: string;
  readonly tape: Tape;
  /** The lanes of a nested call; null at top level, where the tape's own lanes serve. */
  readonly nested: NestedLanes | null;
  /** One node per leaf of x, in flatten order. */
  readonly leaves: Node[];
  /** The output node, or null when f returned a plain number. */
  readonly output: Node | null;
  readonly constantValue: number;
  readonly options: TransformOptions;
  /** A nested call's name in traces (`grad #2`). */
  readonly label: string;
  /** Where a nested call's nodes begin on the enclosing tape (0 at top level). */
  readonly start: number;
}

/**
 * Nested calls so far on each top-level tape, to label their sweeps in traces (`grad #2 · reverse`):
 * numbered from 1 in every top-level call, in the order they begin (an outer call before the calls
 * inside it), so the same f traces the same way every time.
 */
const nestedCalls = new WeakMap<Tape, number>();

/**
 * Records `f` at `x`, with input tangents `v` when given: on a fresh tape at top level, on the
 * enclosing tape when another transform is recording. The tape is left open for sweeps. @internal
 */
export function record(
  name: string, f: (x: never) => unknown, x: Pytree, v: Pytree | null, options: TransformOptions, keepsTape = false,
): Recording {
  checkFunction(name, f);
  checkTransformOptions(name, options);
  const enclosing = recordingTape();
  return enclosing ? recordNested(enclosing, name, f, x, v, options) : recordTop(name, f, x, v, options, keepsTape);
}

function recordTop(
  name: string, f: (x: never) => unknown, x: Pytree, v: Pytree | null, options: TransformOptions, keepsTape: boolean,
): Recording {
  // Validates the structure before anything is recorded.
  const [xLeaves, vLeaves] = naming(name, () => [leavesOf(x), v === null ? null : checkDirection(x, v)] as const);
  for (const leaf of [...xLeaves, ...(vLeaves ?? [])]) {
    if (isNode(leaf.value) && !leaf.value.tape.eager) {
      throw leaf.value.tape.finished
        ? new StaleNodeError(`${name}: ${leaf.path} is a node of a finished transform call; pass its .value instead`)
        : new NestedTransformError(`${name}: ${leaf.path} is a node, but no transform is recording; pass numbers`);
    }
  }
  if (options.checkFinite) {
    assertFiniteTree(x, 'x', name);
    if (v !== null) assertFiniteTree(v, 'v', name);
  }
  const tape = new Tape(v !== null, options);
  const leaves: Node[] = [];
  const inputs = mapLeaves(x, (given) => {
    const value = plainLeaf(given);
    const tangent = vLeaves ? plainLeaf(vLeaves[leaves.length].value) : null;
    let leaf: Node;
    if (typeof value === 'number') leaf = newScalar(tape, LEAF, NO_INPUT, NO_INPUT, true, value, (tangent as number | null) ?? 0);
    else {
      const shape = given instanceof Tensor ? given.shape : nestedShape(given) ?? [value.length];
      // A tape that outlives the call (hvpOperator, vjp) copies x: the caller may update x in place.
      const data = keepsTape || !(value instanceof Float64Array) ? Float64Array.from(value) : value;
      // Tangents are replaced, never changed in place, so v is read as x is: copied only when kept.
      // (A number is the direction of a 0-d tensor leaf, checked by checkDirection.)
      const dot = tangent === null ? null : typeof tangent === 'number' ? Float64Array.of(tangent)
        : keepsTape || !(tangent instanceof Float64Array) ? Float64Array.from(tangent as ArrayLike<number>) : tangent;
      leaf = newTensor(tape, LEAF, NO_INPUT, NO_INPUT, true, shape, data, dot);
    }
    leaves.push(leaf);
    return leaf;
  });
  const result = runF(name, tape, f, inputs, () => tape.release());
  const rec = finish(name, tape, null, leaves, result, options, () => tape.release());
  if (options.checkFinite) {
    try {
      if (tape.withTangent && tape.o.indeterminate !== 0) throw indeterminateError(name, 'computing the tangents while recording f');
      assertFiniteForward(name, tape);
    } catch (error) {
      tape.release();
      throw error;
    }
  }
  return rec;
}

function recordNested(
  tape: Tape, name: string, f: (x: never) => unknown, x: Pytree, v: Pytree | null, options: TransformOptions,
): Recording {
  const [xLeaves, vLeaves] = naming(name, () => [leavesOf(x), v === null ? null : checkDirection(x, v)] as const);
  for (const leaf of [...xLeaves, ...(vLeaves ?? [])]) checkEnclosingNode(name, tape, leaf);
  const start = tape.length;
  const leaves: Node[] = [];
  const inputs = mapLeaves(x, (value) => {
    const leaf = inputNode(tape, value);
    leaves.push(leaf);
    return leaf;
  });
  const number = (nestedCalls.get(tape) ?? 0) + 1;
  nestedCalls.set(tape, number);
  const label = `${name} #${number}`;
  const result = runF(name, tape, f, inputs, () => {});
  tape.frames.push({ start, end: tape.length, label: `${label} · f` });
  if (options.checkFinite) assertFiniteRange(name, tape, start, tape.length);
  const lanes = new NestedLanes(tape, start, tape.length, leaves);
  const rec = finish(name, tape, lanes, leaves, result, options, () => {}, label, start);
  if (vLeaves) {
    vLeaves.forEach((l, k) => lanes.setDot(leaves[k].id, directionValue(tape, l.value, leaves[k])));
    emit(rec, 'tangent sweep', () => lanes.forwardTangents());
  }
  return rec;
}

export const TRANSFORM_OPTIONS: OptionsSpec<TransformOptions> = {
  checkFinite: option.boolean(),
  maxNodes: option.integer({ min: 1 }),
};

/** Options of a transform, checked at run time: unknown keys and bad values are an {@link OptionError}. */
export function checkTransformOptions(name: string, options: unknown): TransformOptions {
  return checkOptions(name, options as TransformOptions | undefined, TRANSFORM_OPTIONS);
}

/**
 * A function argument of a transform (f by default): a function, or an {@link ArgumentError} naming the
 * argument, the function it must be and what it got.
 */
export function checkFunction(name: string, f: unknown, what = 'f', signature = '(x) => node'): void {
  if (typeof f !== 'function') throw new ArgumentError(`${name}: ${what} must be a function ${signature}, got ${describeValue(f)}`);
}

/** Runs the checks of x and v, a StructureError from them named for the transform (the pytree code cannot know it). @internal */
export function naming<T>(name: string, checks: () => T): T {
  try {
    return checks();
  } catch (error) {
    if (error instanceof StructureError && !error.message.startsWith(`${name}:`)) throw new StructureError(`${name}: ${error.message}`);
    throw error;
  }
}

/** The leaves of v, after checking it is shaped like x. */
function checkDirection(x: Pytree, v: Pytree): Leaf[] {
  assertSameStructure(x, v, 'v');
  return leavesOf(v, 'v');
}

/** A direction argument `v` of a public transform: present, not null. */
export function direction(name: string, v: unknown, what = 'v'): Pytree {
  if (v === null || v === undefined) {
    throw new StructureError(`${name}: ${what} is ${v === null ? 'null' : 'undefined'}; give a direction shaped like x (numbers and vectors)`);
  }
  // Options where the direction belongs (v left out): a key of an option holding what no leaf can be.
  if (typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
    const option = Object.keys(v).find((key) => OPTION_NAMES.has(key) && !['number', 'object'].includes(typeof (v as Record<string, unknown>)[key]));
    if (option !== undefined) {
      throw new StructureError(
        `${name}: ${what} looks like options ({ ${option}: ${String((v as Record<string, unknown>)[option])} }); ${what} is the direction, shaped like x, and options come after it: ${name}(f, x, ${what}, options)`,
      );
    }
  }
  return v as Pytree;
}

/**
 * Option names of the transforms, to tell an options object given where a direction belongs: the
 * shared ones, and those of the transforms that add their own (defined where recording.ts cannot import).
 */
const OPTION_NAMES = new Set([...Object.keys(TRANSFORM_OPTIONS), 'hasAux', 'argnums', 'lanes', 'mode', 'onBranchChange']);

/** In a nested call, x and v may hold nodes, but only of the transform that is recording. */
function checkEnclosingNode(name: string, tape: Tape, leaf: Leaf): void {
  const value = leaf.value;
  if (!isNode(value)) return;
  if (value.tape.finished) throw new StaleNodeError(`${name}: ${leaf.path} is a node of a finished transform call`);
  if (value.tape !== tape && !value.tape.eager) {
    throw new NestedTransformError(`${name}: ${leaf.path} is a node of another transform call, not of the one recording`);
  }
}

/** A leaf of v as a tangent of input `leaf`: nodes as they are (reshaped to it), numbers as constants. */
function directionValue(tape: Tape, given: Leaf['value'], leaf: Node): Value {
  const value = given instanceof Scalar || given instanceof Tensor ? onTape(given, tape, 'v') : given;
  if (leaf instanceof Tensor && leaf.shape.length === 0) {
    // A 0-d tensor leaf: a number or a scalar node is its direction, as a 0-d tensor.
    if (typeof value === 'number') return constantTensor(tape, Float64Array.of(value), []);
    if (value instanceof Scalar) return promote(value);
  }
  if (typeof value === 'number' || value instanceof Scalar) return value;
  const shape = (leaf as Tensor).shape;
  if (value instanceof Tensor) return sameShape(value.shape, shape) ? value : reshape(value, shape);
  return constantTensor(tape, Float64Array.from(leafNumbers(value)), shape);
}

function runF(name: string, tape: Tape, f: (x: never) => unknown, inputs: unknown, onError: () => void): unknown {
  pushRecording(tape);
  let result: unknown;
  try {
    result = (f as (x: unknown) => unknown)(inputs);
  } catch (error) {
    onError();
    // The tape's own budget message does not know the transform: name it here (once: a nested
    // call's error, already named, passes through its enclosing calls as it is).
    if (error instanceof TapeBudgetError && error.message.startsWith('the tape')) throw new TapeBudgetError(`${name}: ${error.message}`);
    throw containerMethodError(name, error, inputs) ?? error;
  } finally {
    popRecording(tape);
  }
  if (result !== null && (typeof result === 'object' || typeof result === 'function') &&
      typeof (result as { then?: unknown }).then === 'function') {
    // An async f: its promise would reject unobserved later; mark it handled, then say what to do.
    (result as Promise<unknown>).then(undefined, () => {});
    onError();
    throw new OutputError(`${name}: f returned a promise; f must compute synchronously (no async, no await)`);
  }
  // A node computed outside any transform (only from constants) is a constant of this call, as one made
  // inside f is: f does not depend on x, so its gradient and H·v are 0 (conventions.md), not an error.
  // Imported before a nested call marks its segment, so the constant is part of it.
  if (isNode(result) && result.tape.eager) return onTape(result, tape, name);
  return result;
}

/**
 * The node method f called on something that is not a node, read from the TypeError it threw
 * (`x.mul is not a function`): null for any other error, f's own TypeErrors included. vmap's number
 * slices, arguments outside argnums and a list or object x each turn it into an ArgumentError saying
 * what f got.
 */
export function nodeMethodCalled(error: unknown): string | null {
  if (!(error instanceof TypeError)) return null;
  const method = /\.(\w+) is not a function/.exec(error.message)?.[1];
  return method !== undefined && typeof (Tensor.prototype as unknown as Record<string, unknown>)[method] === 'function' ? method : null;
}

/**
 * f called a node method (`x.sum()`) on its argument where x is a list or an object of nodes: a
 * ragged array ([[1, 2], [3]]) is a list of vectors, not one tensor. Said as such, instead of the bare
 * TypeError; null for any other error (f's own TypeErrors included).
 */
function containerMethodError(name: string, error: unknown, inputs: unknown): ArgumentError | null {
  const method = nodeMethodCalled(error);
  if (method === null || isNode(inputs) || inputs === null || typeof inputs !== 'object') return null;
  const what = Array.isArray(inputs)
    ? `a list of ${inputs.length} parts, one per item of x (a ragged array such as [[1, 2], [3]] is a list of vectors, not a matrix)`
    : `an object of nodes, one per key of x`;
  const part = Array.isArray(inputs) ? 'x[0]' : `x.${Object.keys(inputs)[0] ?? 'key'}`;
  return new ArgumentError(
    `${name}: f threw "TypeError: ${(error as TypeError).message}": f's argument is ${what}, and .${method} is a method of a node. ` +
      `Call it on a part (${part}.${method}()), or give x as one vector or rectangular array`,
  );
}

/** The transforms that take `{ hasAux: true }` (an OutputError for an [output, aux] pair names them). */
const TAKES_AUX = new Set(['grad', 'valueAndGrad', 'gradAndHvp', 'hvp', 'hvpMany', 'hessian', 'jvp', 'vjp', 'linearize', 'jacobian']);

function finish(
  name: string, tape: Tape, nested: NestedLanes | null, leaves: Node[], result: unknown, options: TransformOptions,
  onError: () => void, label = name, start = 0,
): Recording {
  // (The record spelled out each time: an object spread here showed in profiles of small calls.)
  if (typeof result === 'number') return { name, tape, nested, leaves, options, label, start, output: null, constantValue: result };
  if (!isNode(result)) {
    onError();
    // JAX takes a tuple or a dict of outputs, and a pair with has_aux: say how each is written here.
    const several = Array.isArray(result) || (result !== null && typeof result === 'object' && !ArrayBuffer.isView(result));
    const pair = Array.isArray(result) && result.length === 2
      ? TAKES_AUX.has(name) ? '; if it is [output, aux], pass { hasAux: true }' : `; if it is [output, aux], ${name} takes no aux: compute aux apart, or use one that does (${[...TAKES_AUX].join(', ')})`
      : '';
    const hint = several ? `${pair}; for several outputs return one tensor of them: stack([a, b]) for scalars, concat([u.reshape([-1]), v.reshape([-1])]) for tensors` : '';
    throw new OutputError(`${name}: f must return a node or a number, got ${describeValue(result)}${hint}`);
  }
  if (result.tape !== tape) {
    onError();
    throw result.tape.finished
      ? new StaleNodeError(`${name}: f returned a node from a finished transform call`)
      : new NestedTransformError(`${name}: f returned a node of another transform call, not one computed from its input`);
  }
  return { name, tape, nested, leaves, options, label, start, output: result, constantValue: NaN };
}

/** Runs `work` (a nested sweep), labelling the nodes it records on the tape for traces. */
function emit(rec: Recording, what: string, work: () => void): void {
  const { tape } = rec;
  const start = tape.length;
  work();
  if (tape.length > start) tape.frames.push({ start, end: tape.length, label: `${rec.label} · ${what}` });
  if (rec.options.checkFinite) assertFiniteRange(rec.name, tape, start, tape.length);
  // A nested call's budget counts what it records on the enclosing tape: its f and its sweeps.
  const budget = rec.options.maxNodes;
  if (budget !== undefined && tape.length - rec.start > budget) {
    throw new TapeBudgetError(`${rec.name}: the nested call recorded ${tape.length - rec.start} nodes, over its budget of ${budget}; raise { maxNodes }`);
  }
}

/**
 * f for a transform that differentiates a scalar (grad, H·v, hessian, …): a 0-d tensor result (a
 * vector·vector matmul, an einsum that sums every label, a sum over every listed axis) is read as the
 * number it holds, as JAX's grad takes a 0-d array. Recorded inside f's call, so a nested transform's
 * lanes include it. Anything but a function is passed on for record's check to name. @internal
 */
export function scalarValued<F>(f: F): F {
  if (typeof f !== 'function') return f;
  return ((x: unknown) => {
    const y: unknown = f(x);
    // A node of a finished call goes to record as it is, whose check names the transform; at would
    // report it as its own error.
    return y instanceof Tensor && y.shape.length === 0 && !y.tape.finished ? at(y, []) : y;
  }) as F;
}

/** The output as a scalar, or null for a constant f; a tensor output is an error naming `name`. @internal */
export function scalarOutput(rec: Recording): Scalar | null {
  const out = rec.output;
  if (out === null || out instanceof Scalar) return out;
  release(rec);
  throw new OutputError(
    `${rec.name}: f must return a scalar, got a tensor of shape ${formatShape(out.shape)}; reduce it (sum, mean, dot) or use jvp/vjp/jacobian`,
  );
}

/**
 * The reverse sweep from the output with adjoint `seed` (1 for a gradient), filling the lanes asked
 * for. At top level with checkFinite, node by node: a 0·∞ that the structural-zero convention had to
 * resolve is reported with its node, then any non-finite adjoint.
 */
export function sweep(rec: Recording, seed: Value, bar: boolean, barDot: boolean, freeAsSwept = false): void {
  const out = rec.output!;
  const lanes = rec.nested;
  if (lanes) {
    lanes.sweepBar = bar;
    lanes.sweepBarDot = barDot;
    if (bar) lanes.addBar(out.id, seed);
    emit(rec, 'reverse sweep', () => lanes.reverse());
    return;
  }
  const tape = rec.tape;
  tape.sweepBar = bar;
  tape.sweepBarDot = barDot;
  if (bar) tape.addBar(out.id, seed);
  if (!tape.checkFinite) {
    // (Generating code for the sweep, as compile does, costs more per call than it saves here.)
    tape.reverse(freeAsSwept);
    return;
  }
  let seen = tape.o.indeterminate;
  tape.reverseEach((i) => {
    if (tape.o.indeterminate !== seen) {
      seen = tape.o.indeterminate;
      throw indeterminateError(rec.name, `the reverse sweep through node ${i} (${ruleOf(tape.op[i]).name})`);
    }
  });
  assertFiniteAdjoints(rec.name, tape);
}

export function indeterminateError(name: string, where: string): FiniteError {
  return new FiniteError(
    `${name}: ${where} met 0·∞ (an exact zero adjoint or tangent against an infinite local derivative); ` +
      'without checkFinite it counts as 0 (a structural zero), which is right for masked branches but can be wrong ' +
      'where the zero is a coincidence of this point, e.g. (√x)² at 0',
  );
}

/** The tangent of the inputs' lane `lane` of every leaf, as a tree shaped like x. @internal */
// Returned as `any`: callers state the ValueTree<T> they return, which TypeScript cannot instantiate
// generically here without recursing through the whole Pytree union.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function collect(x: Pytree, rec: Recording, lane: 'bar' | 'barDot'): any {
  const { tape, leaves, nested } = rec;
  let k = 0;
  return mapLeaves(x, () => {
    const leaf = leaves[k++];
    if (nested) return nested.asNode(leaf.id, lane === 'bar' ? nested.bar(leaf.id) : nested.barDot(leaf.id));
    if (leaf instanceof Scalar) return lane === 'bar' ? tape.bars[leaf.id] : tape.barDots[leaf.id];
    return leaf[lane] ?? new Float64Array(leaf.size);
  });
}

/** A tree of zeros shaped like x: numbers at top level, constant nodes when nested. @internal */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function zerosLike(x: Pytree, rec: Recording): any {
  let k = 0;
  return mapLeaves(x, () => {
    const leaf = rec.leaves[k++];
    if (rec.nested) return rec.nested.asNode(leaf.id, 0);
    return leaf instanceof Scalar ? 0 : new Float64Array(leaf.size);
  });
}

/** A result number as the transform returns it: the number itself, or a constant node when nested. */
export function scalarResult(rec: Recording, value: number | Scalar): number | Scalar {
  if (!rec.nested) return value instanceof Scalar ? value.value : value;
  return typeof value === 'number' ? constantScalar(rec.tape, value) : value;
}

/** f's value: a number or a copy of the data at top level, the output node (or a constant) when nested. */
export function outputValue(rec: Recording): number | Float64Array | Node {
  const out = rec.output;
  if (out === null) return scalarResult(rec, rec.constantValue);
  if (rec.nested) return out;
  return out instanceof Scalar ? out.value : out.data.slice();
}

/** Hands a top-level tape's arrays back for reuse; a nested recording lives on in the enclosing tape. */
export function release(rec: Recording): void {
  if (!rec.nested) rec.tape.release();
}

/** A leaf's numbers: a number, or its elements in row-major order (an eager node's value included). */
function plainLeaf(value: Leaf['value']): number | ArrayLike<number> {
  if (value instanceof Scalar) return value.value;
  if (value instanceof Tensor) return value.value;
  return typeof value === 'number' ? value : leafNumbers(value);
}

export { emit, staleNode };
