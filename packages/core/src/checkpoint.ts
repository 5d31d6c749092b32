/**
 * Checkpointing: a segment of f recorded as one node, recomputed when a sweep needs it, so its
 * intermediates are never kept on the tape (Griewank's checkpointing, `jax.checkpoint`).
 *
 * The segment y = g(x) is an op whose rules run g again on a temporary tape of their own:
 *
 *   tangent   one dual forward evaluation of g at (x, ẋ): ẏ.
 *   backward  one forward-over-reverse evaluation of g at (x, ẋ), seeded with (ȳ, R{ȳ}): its input
 *             adjoints are x̄ = Jᵀȳ and R{x̄} = JᵀR{ȳ} + (ȳᵀ∂²g)[ẋ], exactly the two lanes the
 *             node must push (the dual-number form of the rule makes the second-order term free).
 *   primal    one plain evaluation of g (a `compile` replay).
 *
 * So `gradAndHvp` through a checkpoint is exact at second order and runs g twice more than without
 * it: the dual forward when the node is recorded (which also gives y), and once in the reverse
 * sweep. What stays alive is the outer tape (segment inputs and outputs) plus one segment's tape at
 * a time, instead of every segment's intermediates.
 *
 * Inside a nested transform's f, a sweep of the segment would have to be recorded on the enclosing
 * tape anyway (nodes algebra): there the wrapped function simply records g's ops inline — the same
 * derivatives, without the memory saving.
 * @module
 */
import type { Value } from './algebra/algebra.js';
import { ArgumentError, DualtapeError, OutputError } from './errors.js';
import { assertFiniteForward } from './finite-checks.js';
import type { Lanes } from './lanes.js';
import { Tensor, describeValue, isNode, newScalar, newTensor, type Node } from './node.js';
import { mapLeaves, type Pytree } from './pytree.js';
import { formatShape, sameShape, type Shape } from './shape.js';
import { argumentNodes, inputOf, leafOf, onTempTape, readOutput, runApart, sweepBackInto, type Output } from './sub-tape.js';
import { NO_INPUT, Tape, recordingDepth, recordingTape, registerRule, ruleOf, type OpRule } from './tape.js';
import { noExtraArguments } from './arity.js';

/**
 * A checkpointed function was misused: its f used a node of the transform that is recording instead
 * of receiving it as an argument, returned something other than a node, or returned a value of
 * another shape or other numbers when run again (f must be deterministic). The message says what to do.
 *
 * @example
 * ```ts
 * let error: unknown;
 * try {
 *   grad((w: Tensor) => {
 *     const layer = checkpoint((h: Tensor) => h.mul(w).tanh()); // w is closed over: refused
 *     return layer(w.square()).sum();
 *   })([1, 2]);
 * } catch (e) {
 *   error = e;
 * }
 * error instanceof CheckpointError; // true
 * // The fix: pass w in the argument.
 * const layer = checkpoint(({ h, w }: { h: Tensor; w: Tensor }) => h.mul(w).tanh());
 * grad((w: Tensor) => layer({ h: w.square(), w }).sum())([0]); // [0]
 * ```
 */
export class CheckpointError extends DualtapeError {}

/**
 * What a checkpointed function takes: a node, or a pytree (plain objects and arrays) of nodes.
 *
 * @example
 * ```ts
 * const layer = checkpoint((p: { w: Tensor; h: Tensor }) => p.h.matmul(p.w).tanh());
 * const input: CheckpointInput = { w: tensor([[1, 0], [0, 1]]), h: tensor([[0.5, -0.5]]) };
 * layer(input as { w: Tensor; h: Tensor }).value; // [0.4621, -0.4621]
 * ```
 */
export type CheckpointInput = Node | readonly unknown[] | object;

/**
 * `f` as one node of the tape: inside a transform, the wrapped function records a single node for
 * the whole of f instead of f's intermediates, and runs f again whenever a sweep needs its
 * derivatives (the tangent sweep, the reverse sweep, a `compile` replay). The derivatives are the
 * same as without the checkpoint, first and second order — f, ∇f and H·v exactly — at the price of
 * running f about twice more under `gradAndHvp`. Checkpoint the layers (or blocks of layers) of a deep
 * model to keep the memory of the tape to the layers' inputs and outputs plus one layer's
 * intermediates.
 *
 * `f` takes one argument, a node or a pytree of nodes (pass the layer's input and its parameters
 * together), and returns a Scalar or a Tensor. It must use no other node of the transform that is
 * recording — pass every such node in its argument; plain numbers and arrays may be closed over —
 * ({@link CheckpointError} otherwise), and it must be deterministic: it is run again and must give the
 * same numbers (no randomness, no state that changes between runs).
 *
 * Outside any transform the wrapped function is f. Inside a nested transform's f (a `grad` inside a
 * `grad`), it records f's ops inline: correct, but with no memory saved at that level.
 *
 * @example
 * ```ts
 * // 8 tanh layers, each recorded as one node and run again in the reverse sweep.
 * const layer = ({ h, w }: { h: Tensor; w: Tensor }) => h.matmul(w).tanh();
 * const deep = (step: typeof layer) => (p: { w: Tensor; x: Tensor }) => {
 *   let h = p.x;
 *   for (let k = 0; k < 8; k++) h = step({ h, w: p.w });
 *   return h.square().sum();
 * };
 * const p = { w: [[0.5, 0.1], [-0.2, 0.9]], x: [[1, 2]] }, v = { w: [[1, 0], [0, 1]], x: [[0, 0]] };
 * const saved = gradAndHvp(deep(checkpoint(layer)), p, v), kept = gradAndHvp(deep(layer), p, v);
 * saved.value === kept.value; // true
 * Math.abs(saved.hvp.w[3] - kept.hvp.w[3]) < 1e-14; // true
 * ```
 */
export function checkpoint<F extends (x: never) => Node>(f: F): F {
  noExtraArguments('checkpoint', arguments, 1, 'checkpoint(f)');
  if (typeof f !== 'function') throw new ArgumentError(`checkpoint: f must be a function (x) => node, got ${describeValue(f)}`);
  const wrapped = (...args: unknown[]): Node => {
    if (args.length !== 1) {
      throw new ArgumentError(`checkpoint: the checkpointed function takes one argument (a node or a pytree of nodes), got ${args.length}; put them in one object`);
    }
    return callCheckpointed(f as unknown as Segment['f'], args[0] as Pytree);
  };
  return wrapped as unknown as F;
}

/** What the node keeps to run f again: f, the argument's structure (with the nodes it held), y's shape. */
interface Segment {
  readonly f: (x: unknown) => unknown;
  readonly x: Pytree;
  /** null for a scalar output. */
  readonly shape: Shape | null;
}

function callCheckpointed(f: Segment['f'], x: Pytree): Node {
  const leaves = argumentNodes('checkpoint', x);
  const tape = recordingTape();
  // Outside any transform the values are plain; inside a nested one, record inline (see the module comment).
  if (!tape) return checkedOutput(f(x), undefined, null);
  if (recordingDepth() > 1) {
    return recordInline(f, x, tape, leaves.flatMap(({ value }) => ((value as Node).tape === tape ? [(value as Node).id] : [])));
  }
  const ids = leaves.map(({ path, value }) => inputOf(tape, value as Node, path, 'checkpoint').id);
  const active = ids.some((id) => tape.active[id] === 1);
  const y = evaluate({ f, x, shape: null }, tape, ids, tape.withTangent && active, null, true);
  const node = y.shape
    ? newTensor(tape, CHECKPOINT, ids[0], NO_INPUT, active, y.shape, y.value as Float64Array, active ? (y.dot as Float64Array | null) : null)
    : newScalar(tape, CHECKPOINT, ids[0], NO_INPUT, active, y.value as number, active ? (y.dot as number) : 0);
  tape.manyInputs.set(node.id, ids);
  tape.saved.set(node.id, { f, x, shape: node instanceof Tensor ? node.shape : null } satisfies Segment);
  return node;
}

/**
 * f recorded on the enclosing tape like any other code, refusing what the checkpoint would refuse at
 * top level (a node used that is neither an argument nor computed inside f), so that f behaves the
 * same at every level.
 */
function recordInline(f: Segment['f'], x: Pytree, tape: Tape, argumentIds: readonly number[]): Node {
  const start = tape.length;
  const out = checkedOutput(f(x), undefined, tape);
  const own = new Set(argumentIds);
  for (let i = start; i < tape.length; i++) {
    for (const j of tape.inputsOf(i)) {
      if (j < start && !own.has(j)) throw closureError(`checkpoint (node ${i}, ${ruleOf(tape.op[i]).name})`);
    }
  }
  if (out.tape === tape && out.id < start && !own.has(out.id)) throw closureError('checkpoint');
  return out;
}

function closureError(opName: string): CheckpointError {
  return new CheckpointError(
    `${opName}: a checkpointed function used a node of the transform that is recording, which it closed over; ` +
      "pass that node as part of the argument, e.g. checkpoint(({ h, w }) => …) called as layer({ h, w }) (plain numbers and arrays may be closed over)",
  );
}

/** f's result, checked: a node (of `tape` when given), of the segment's shape once that is known. */
function checkedOutput(out: unknown, shape: Shape | null | undefined, tape: Tape | null): Node {
  if (!isNode(out)) {
    throw new OutputError(`checkpoint: f must return a Scalar or a Tensor, got ${describeValue(out)}; wrap a number with scalar(…)`);
  }
  if (tape && out.tape !== tape && !out.tape.eager) {
    throw new CheckpointError(
      "checkpoint: f returned a node that is not computed from its argument (a node of the transform that is recording, closed over); pass that node in f's argument",
    );
  }
  if (shape !== undefined) {
    const got = out instanceof Tensor ? out.shape : null;
    if (got === null ? shape !== null : shape === null || !sameShape(got, shape)) {
      throw new CheckpointError(
        `checkpoint: run again, f returned ${describe(got)} where it first returned ${describe(shape)}; f must be deterministic (the same result for the same argument)`,
      );
    }
  }
  return out;
}

const describe = (shape: Shape | null) => (shape === null ? 'a scalar' : `a tensor of shape ${formatShape(shape)}`);

/** The adjoint (ȳ, R{ȳ}) of the segment's output, to seed its reverse sweep with. */
interface Seed {
  readonly bar: Value;
  readonly barDot: Value;
}

/**
 * Runs the segment's f on a temporary top-level tape at the current values of its inputs `ids` on
 * `L` (with their tangents when `withTangent`), then — given a seed — its reverse sweep, pushing the
 * input adjoints into the lanes L's sweep fills. The temporary tape is released before returning;
 * the enclosing tape is closed to f meanwhile (CheckpointError).
 */
function evaluate(
  segment: Segment, L: Lanes, ids: readonly number[], withTangent: boolean, seed: Seed | null, first = false,
): Output {
  return onTempTape(L, withTangent, undefined, (temp) => {
    const leaves = ids.map((id) => leafOf(temp, L, id));
    let k = 0;
    const x = mapLeaves(segment.x, () => leaves[k++]);
    const out = runSegment(segment, L.tape, temp, x, first);
    if (L.tape.checkFinite) assertFiniteForward('checkpoint (f, run again on a tape of its own)', temp);
    const result = readOutput(out, temp);
    if (seed) sweepBackInto(temp, out, seed, L, leaves, ids, 'checkpoint (reverse sweep of f, run again)');
    return result;
  });
}

/** f on the temporary tape, with the enclosing one closed to it; f's output, checked. */
function runSegment(segment: Segment, outer: Tape, temp: Tape, x: unknown, first: boolean): Node {
  const out = runApart(outer, temp, closureError, () => segment.f(x));
  return checkedOutput(out, first ? undefined : segment.shape, temp);
}

/** The segment of node i on L's tape. */
function segmentOf(L: Lanes, i: number): Segment {
  return L.tape.saved.get(i) as Segment;
}

function refuseNested(o: { kind: string }): void {
  if (o.kind === 'nodes') throw new Error('dualtape internal error: a checkpoint node was swept by a nested transform');
}

/**
 * f run again must give the output it gave when recorded, or the sweeps would differentiate another
 * function than the one whose value the tape holds (an f that draws random numbers, or reads state it
 * changes): a CheckpointError, not a silently wrong ∇f or H·v. A relative tolerance leaves room for
 * nothing but the last bits (the kernels are deterministic; it only guards against reordered sums).
 */
function checkSameOutput(again: Output, recorded: Value): void {
  const a = again.value, r = recorded as number | Float64Array;
  const n = typeof a === 'number' ? 1 : a.length;
  let scale = 0, worst = 0;
  for (let k = 0; k < n; k++) {
    const x = typeof a === 'number' ? a : a[k], y = typeof r === 'number' ? r : r[k];
    if (Object.is(x, y)) continue;
    scale = Math.max(scale, Math.abs(y));
    worst = Math.max(worst, Number.isNaN(x - y) ? Infinity : Math.abs(x - y));
  }
  if (worst > 1e-9 * Math.max(scale, 1e-300)) {
    throw new CheckpointError(
      'checkpoint: f run again in a sweep gave another result than when it was recorded (it reads state that changes, or draws random numbers); ' +
        'f must be deterministic: pass what varies (a random mask, a key) in its argument',
    );
  }
}

const rule: OpRule = {
  name: 'checkpoint',
  // Its sweeps seed a sub-tape, whose lanes hold one direction.
  perDirection: true,
  tangent(o, L, i) {
    refuseNested(o);
    const again = evaluate(segmentOf(L, i), L, L.tape.inputsOf(i), true, null);
    checkSameOutput(again, L.val(i));
    L.setDot(i, again.dot ?? 0);
  },
  backward(o, L, i) {
    refuseNested(o);
    const bar = L.bar(i), barDot = L.sweepBarDot ? L.barDot(i) : 0;
    if (bar === 0 && barDot === 0) return;
    checkSameOutput(evaluate(segmentOf(L, i), L, L.tape.inputsOf(i), L.sweepBarDot, { bar, barDot }), L.val(i));
  },
  primal(o, L, i) {
    refuseNested(o);
    L.setVal(i, evaluate(segmentOf(L, i), L, L.tape.inputsOf(i), false, null).value);
  },
};

const CHECKPOINT = registerRule(rule);
