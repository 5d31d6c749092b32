/**
 * customJvp: a function with a derivative rule of its own (JAX's `jax.custom_jvp`), for a function
 * whose own ops should not be differentiated — an iterative solver, a fixed point, a numerically
 * delicate formula — given its Jacobian-vector product ẏ = J(x)·ẋ written with dualtape's ops.
 *
 * The function y = f(x) is one node of the tape, whose rules run the user's code on a temporary tape
 * of their own (sub-tape.ts), as `checkpoint`'s do:
 *
 *   primal    f at the inputs' values, as constants: f's own ops are never differentiated.
 *   tangent   the rule at (x, ẋ): ẏ = J(x)·ẋ.
 *   backward  the rule at (x, u) for leaves u = 0, x carrying the tangent R{x}, swept in reverse
 *             from (ȳ, R{ȳ}): since the rule is linear in u, u's adjoints are ū = J(x)ᵀȳ and
 *             R{ū} = J(x)ᵀR{ȳ} + (R{J(x)})ᵀȳ — exactly x̄ and R{x̄}, the two lanes the node pushes.
 *
 * So reverse mode comes from the JVP rule by transposition, as in JAX, and second order (H·v, the
 * Hessian) from differentiating the rule in x: the rule must be linear in ẋ and written with ops
 * (in x and ẋ alike). Inside a nested transform (a `grad` inside a `grad`, a derivative inside a
 * loss) the sweeps are recorded on the tape instead (the nodes algebra): the tangent sweep records
 * the rule, the reverse sweep a nested `vjp` of it in ẋ (and, for an inner H·v, a nested `jvp` of
 * that), so the enclosing transforms differentiate them like any other ops, to any order.
 * @module
 */
import type { Value } from './algebra/algebra.js';
import { ArgumentError, DualtapeError, OutputError } from './errors.js';
import { materialize } from './frame.js';
import { assertFiniteForward } from './finite-checks.js';
import type { Lanes } from './lanes.js';
import { Tensor, describeValue, isNode, newScalar, newTensor, type Node } from './node.js';
import { concat } from './ops/concat.js';
import { stack } from './ops/stack.js';
import { leavesOf, mapLeaves, type Pytree } from './pytree.js';
import { jvp, vjp } from './transforms.js';
import { formatShape, sameShape, type Shape } from './shape.js';
import { argumentNodes, inputOf, leafOf, onTempTape as onTape, readOutput, runApart, sweepBackInto, type Output } from './sub-tape.js';
import { CONSTANT, LEAF, NO_INPUT, Tape, recordingTape, registerRule, staleNode, type OpRule } from './tape.js';
import { noExtraArguments } from './arity.js';

/**
 * A function given to {@link customJvp} was misused: f or its rule used a node of the transform that
 * is recording instead of receiving it in the argument, or the rule returned a tangent of another
 * shape than f's result. The message says what to do.
 *
 * @example
 * ```ts
 * const cube = customJvp((x: Tensor) => x.mul(x).mul(x), (x, dx) => dx.mul(x.square()).mul(3));
 * let error: unknown;
 * try {
 *   grad((w: Tensor) => {
 *     const bad = customJvp((x: Tensor) => x.mul(w), (x, dx) => dx.mul(w)); // w is closed over: refused
 *     return bad(cube(w)).sum();
 *   })([1, 2]);
 * } catch (e) {
 *   error = e;
 * }
 * error instanceof CustomJvpError; // true
 * ```
 */
export class CustomJvpError extends DualtapeError {}

/**
 * The Jacobian-vector product of a {@link customJvp} function: `x` and `dx` have the structure of f's
 * argument (nodes), `y` is f's result at x; it returns ẏ = J(x)·dx, a node of y's shape, linear in dx.
 *
 * @example
 * ```ts
 * // y = A⁻¹b: ẏ = A⁻¹(ḃ − Ȧ·y).
 * const rule: JvpRule<{ A: Tensor; b: Tensor }, Tensor> = ({ A }, { A: dA, b: db }, y) => solve(A, db.sub(dA.matmul(y)));
 * const mySolve = customJvp(({ A, b }: { A: Tensor; b: Tensor }) => solve(A, b), rule);
 * jvp(mySolve, { A: [[2, 0], [0, 4]], b: [2, 4] }, { A: [[0, 0], [0, 0]], b: [1, 1] }).tangent; // [0.5, 0.25]
 * ```
 */
export type JvpRule<X, Y extends Node = Node> = (x: X, dx: X, y: Y) => Node;

/**
 * `f` with the derivative given by `jvp` instead of by f's own ops (JAX's `jax.custom_jvp`). Use it
 * for a function whose ops should not be differentiated: an iterative solve or fixed point (give the
 * implicit function theorem's J·ẋ), a formula that loses accuracy when differentiated as written, a
 * library routine on plain numbers.
 *
 * - `f(x)` takes a node or a pytree (objects, arrays) of nodes and returns a Scalar or a Tensor. Inside
 *   a transform it runs on the inputs' values as constants, so it may read `.value`, loop, and return
 *   `tensor(numbers)`: its ops are never differentiated.
 * - `jvp(x, dx, y)` returns ẏ = J(x)·ẋ, a node of y's shape, for `dx` shaped as `x`. It must be linear
 *   in `dx` and written with dualtape's ops: the reverse sweep gets x̄ = Jᵀȳ by transposing it in `dx`,
 *   and second order (`hvp`, `gradAndHvp`, `hessian`) by differentiating it in `x` as well. A rule
 *   that is not 0 at dx = 0 (affine, or a constant) is a {@link CustomJvpError} there.
 *
 * Every top-level transform takes it: `grad`, `valueAndGrad`, `jvp`, `vjp`, `linearize`, `jacobian`,
 * `hvp`, `gradAndHvp`, `hvpOperator`, `hvpMany`, `hessian`, `compile` (a replay runs f again), and
 * they nest: inside a nested transform (a `grad` inside a `grad`, a derivative inside a loss) the
 * rule's ops are recorded and differentiated again, so third and higher derivatives come from the
 * rule too. Outside any transform the function is f. Like `checkpoint`, f and the rule must not use a
 * node of the transform that is recording except through `x`
 * ({@link CustomJvpError}): pass parameters in the argument; plain numbers and arrays may be closed
 * over.
 *
 * @example
 * ```ts
 * // √x by Newton's iteration on numbers, with the derivative d√x = dx / (2√x) given by hand.
 * const newtonSqrt = customJvp(
 *   (x: Tensor) => tensor(x.value.map((a) => {
 *     let r = Math.max(a, 1);
 *     for (let k = 0; k < 60; k++) r = 0.5 * (r + a / r);
 *     return r;
 *   })),
 *   (x, dx, y) => dx.div(y.mul(2)),
 * );
 * const { grad: g, hvp: h } = gradAndHvp((x: Tensor) => newtonSqrt(x).sum(), [4, 9], [1, 1]);
 * g; // [0.25, 0.1667]: 1 / (2√x)
 * h; // [-0.03125, -0.00926]: −1 / (4 x^{3/2})
 * ```
 */
export function customJvp<X, Y extends Node>(f: (x: X) => Y, jvp: JvpRule<X, Y>): (x: X) => Y {
  noExtraArguments('customJvp', arguments, 2, 'customJvp(f, jvp)');
  if (typeof f !== 'function') throw new ArgumentError(`customJvp: f must be a function (x) => node, got ${describeValue(f)}`);
  if (typeof jvp !== 'function') {
    throw new ArgumentError(`customJvp: jvp must be a function (x, dx, y) => ẏ, the Jacobian-vector product J(x)·dx as a node, got ${describeValue(jvp)}`);
  }
  const fn = { f: f as unknown as Custom['f'], jvp: jvp as unknown as Custom['jvp'] };
  const wrapped = (...args: unknown[]): Y => {
    if (args.length !== 1) {
      throw new ArgumentError(`customJvp: the function takes one argument (a node or a pytree of nodes), got ${args.length}; put them in one object`);
    }
    return callCustom(fn, args[0] as Pytree) as Y;
  };
  return wrapped;
}

/** The user's f and rule. */
interface Custom {
  readonly f: (x: unknown) => unknown;
  readonly jvp: (x: unknown, dx: unknown, y: Node) => unknown;
}

/** What the node keeps: the functions, the argument's structure, y's shape (null for a scalar). */
interface Saved extends Custom {
  readonly x: Pytree;
  readonly shape: Shape | null;
}

function callCustom(fn: Custom, x: Pytree): Node {
  const leaves = argumentNodes('customJvp', x);
  const tape = recordingTape();
  if (!tape) return checkedOutput(fn.f(x), undefined, 'f', null);
  const ids = leaves.map(({ path, value }) => inputOf(tape, value as Node, path, 'customJvp').id);
  const active = ids.some((id) => tape.active[id] === 1);
  const saved: Saved = { ...fn, x, shape: null };
  const y = primal(saved, tape, ids, true);
  const withShape: Saved = { ...saved, shape: y.shape };
  const dot = tape.withTangent && active ? tangent(withShape, tape, ids, y) : null;
  const node = y.shape
    ? newTensor(tape, CUSTOM_JVP, ids[0], NO_INPUT, active, y.shape, y.value as Float64Array, dot as Float64Array | null)
    : newScalar(tape, CUSTOM_JVP, ids[0], NO_INPUT, active, y.value as number, (dot ?? 0) as number);
  tape.manyInputs.set(node.id, ids);
  tape.saved.set(node.id, withShape);
  return node;
}

function closureError(opName: string): CustomJvpError {
  return new CustomJvpError(
    `${opName}: a customJvp function or its rule used a node of the transform that is recording, which it closed over; ` +
      'pass that node as part of the argument, e.g. customJvp(({ x, w }) => …, ({ x, w }, { x: dx, w: dw }, y) => …) called as g({ x, w }) ' +
      '(plain numbers and arrays may be closed over)',
  );
}

const describeShape = (shape: Shape | null) => (shape === null ? 'a scalar' : `a tensor of shape ${formatShape(shape)}`);

/**
 * What f or the rule returned, checked: a node of the temporary tape `temp` (or made outside any
 * transform), of `shape` when given.
 */
function checkedOutput(out: unknown, shape: Shape | null | undefined, which: 'f' | 'jvp', temp: Tape | null): Node {
  if (!isNode(out)) {
    const what = which === 'f' ? 'f must return a Scalar or a Tensor' : 'jvp must return the tangent ẏ as a node (a Scalar or a Tensor)';
    throw new OutputError(`customJvp: ${what}, got ${describeValue(out)}; wrap numbers with scalar(…) or tensor(…)`);
  }
  if (temp && out.tape !== temp && !out.tape.eager) {
    if (out.tape.finished && out.tape !== recordingTape()) throw staleNode(`customJvp: ${which}'s result`, out.tape);
    throw new CustomJvpError(
      `customJvp: ${which} returned a node that is not computed from its arguments (a node of the transform that is recording, closed over); pass that node in the argument`,
    );
  }
  if (which === 'jvp' && shape !== undefined) {
    const got = out instanceof Tensor ? out.shape : null;
    if (got === null ? shape !== null : shape === null || !sameShape(got, shape)) {
      throw new CustomJvpError(`customJvp: jvp returned ${describeShape(got)}, but f returned ${describeShape(shape)}; ẏ has y's shape`);
    }
  }
  return out;
}

/** The node's inputs as leaves of `temp`: constants, or carrying their tangents when `temp` carries tangents. */
function inputLeaves(saved: Saved, temp: Tape, L: Lanes, ids: readonly number[]): { leaves: Node[]; x: unknown } {
  const leaves = ids.map((id) => leafOf(temp, L, id));
  let k = 0;
  return { leaves, x: mapLeaves(saved.x, () => leaves[k++]) };
}

/** A constant (or, when `active`, a leaf with no tangent) of `temp` holding `value`, shaped as input `id`. */
function valueLeaf(temp: Tape, L: Lanes, id: number, value: number | Float64Array, active: boolean): Node {
  const op = active ? LEAF : CONSTANT;
  if (L.tape.slot[id] < 0) return newScalar(temp, op, NO_INPUT, NO_INPUT, active, value as number, 0);
  const shape = L.tape.tensorAt(id).shape;
  const data = typeof value === 'number' ? new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(value) : value;
  return newTensor(temp, op, NO_INPUT, NO_INPUT, active, shape, data, null);
}

/** What a node of a customJvp's temporary tape says when used after the tape ended. */
const STALE_HINT = "a node computed inside a customJvp's f or rule lives only while that runs; to use it later, keep its numbers (.value)";

/** Runs `body` on a fresh temporary tape (released after). */
const onTempTape = <T>(L: Lanes, withTangent: boolean, body: (temp: Tape) => T): T => onTape(L, withTangent, STALE_HINT, body);

/** y = f(x) at the inputs' current values, f's ops on constants. */
function primal(saved: Saved, L: Lanes, ids: readonly number[], first: boolean): Output {
  return onTempTape(L, false, (temp) => {
    const { x } = inputLeaves(saved, temp, L, ids);
    const out = runApart(L.tape, temp, closureError, () => saved.f(x));
    const y = checkedOutput(out, first ? undefined : saved.shape, 'f', temp);
    if (!first) {
      const got = y instanceof Tensor ? y.shape : null;
      if (got === null ? saved.shape !== null : saved.shape === null || !sameShape(got, saved.shape)) {
        throw new CustomJvpError(`customJvp: run again, f returned ${describeShape(got)} where it first returned ${describeShape(saved.shape)}`);
      }
    }
    if (L.tape.checkFinite) assertFiniteForward('customJvp (f)', temp);
    return readOutput(y, temp);
  });
}

/** y as a constant node of `temp`. */
function outputLeaf(temp: Tape, y: Output): Node {
  if (y.shape === null) return newScalar(temp, CONSTANT, NO_INPUT, NO_INPUT, false, y.value as number, 0);
  return newTensor(temp, CONSTANT, NO_INPUT, NO_INPUT, false, y.shape, y.value as Float64Array, null);
}

/** ẏ = J(x)·ẋ at the inputs' current values and tangents. */
function tangent(saved: Saved, L: Lanes, ids: readonly number[], y: Output): number | Float64Array {
  return onTempTape(L, false, (temp) => {
    const { x } = inputLeaves(saved, temp, L, ids);
    const dots = ids.map((id) => valueLeaf(temp, L, id, L.isActive(id) ? (L.dot(id) as number | Float64Array) : 0, false));
    let k = 0;
    const dx = mapLeaves(saved.x, () => dots[k++]);
    const yNode = outputLeaf(temp, y);
    const out = checkedOutput(runApart(L.tape, temp, closureError, () => saved.jvp(x, dx, yNode)), saved.shape, 'jvp', temp);
    if (L.tape.checkFinite) assertFiniteForward('customJvp (jvp rule)', temp);
    return readOutput(out, temp).value;
  });
}

/**
 * Pushes (ȳ, R{ȳ}) into the inputs: the rule at (x, u, y), x and y carrying their tangents R{x} and
 * R{y}, u = 0 leaves, swept in reverse from the seed; u's adjoints are the inputs' (the module comment).
 */
function backward(saved: Saved, L: Lanes, i: number, bar: number | Float64Array, barDot: number | Float64Array): void {
  const ids = L.tape.inputsOf(i);
  onTempTape(L, L.sweepBarDot, (temp) => {
    const { x } = inputLeaves(saved, temp, L, ids);
    const us = ids.map((id) => valueLeaf(temp, L, id, 0, L.isActive(id)));
    let k = 0;
    const u = mapLeaves(saved.x, () => us[k++]);
    // y moves with x: the rule's dependence on y is part of R{J}.
    const y = leafOf(temp, L, i);
    const out = checkedOutput(runApart(L.tape, temp, closureError, () => saved.jvp(x, u, y)), saved.shape, 'jvp', temp);
    if (L.tape.checkFinite) assertFiniteForward('customJvp (jvp rule, in the reverse sweep)', temp);
    assertZeroAtZero(out.value);
    if (out.tape !== temp) return; // a constant ẏ: J = 0
    sweepBackInto(temp, out, { bar, barDot }, L, us, ids, 'customJvp (reverse sweep of the jvp rule)');
  });
}

/**
 * The reverse sweep runs the rule at dx = 0, where a rule linear in dx gives 0. Anything else (an
 * affine dx + c, a constant) would make reverse mode transpose a different map than forward mode
 * pushes: refused, as JAX's transposition refuses a non-linear rule. NaN flows (conventions.md). A
 * rule non-linear but 0 at 0 (dx²) is not caught here: the rule's contract says linear.
 */
function assertZeroAtZero(value: number | Float64Array): void {
  const values = typeof value === 'number' ? [value] : value;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v !== 0 && !Number.isNaN(v)) {
      throw new CustomJvpError(
        `customJvp: the jvp rule gave ẏ = ${v}${typeof value === 'number' ? '' : ` (element ${k})`} at dx = 0, where J(x)·dx is 0; ` +
          'the rule must be linear in dx (no constant or affine term such as dx.add(1)), or reverse mode would not be the transpose of forward mode',
      );
    }
  }
}

const valueOf = (v: Node | number): number | Float64Array => (typeof v === 'number' ? v : v.value);

/**
 * Inside a nested transform the sweeps are recorded on the tape (the nodes algebra): the rule is
 * called on the lanes' nodes, so its ops are recorded and the enclosing transforms differentiate
 * them like any others. The reverse sweep's Jᵀȳ is a nested `vjp` of the rule in u, and a nested
 * H·v's R{x̄} a nested `jvp` of that pullback. These build the rule's arguments from the lanes.
 */
function nestedArguments(saved: Saved, ids: readonly number[], leaf: (j: number) => Node): unknown {
  let k = 0;
  return mapLeaves(saved.x, () => leaf(k++));
}

/** A lane value of input `id` as a node (a symbolic 0 becomes a constant of the input's shape). */
function laneNode(L: Lanes, id: number, v: Value): Node {
  return materialize(L.tape, v, L.tape.slot[id] < 0 ? null : L.tape.tensorAt(id).shape);
}

/**
 * The user's rule recorded inline, with what a top-level call would refuse refused here too: a node
 * it used that is neither one of its arguments nor computed in it (a closure over the transform).
 */
function ruleInline(saved: Saved, L: Lanes, args: { x: unknown; dx: unknown; y: Node }, allowed: readonly Node[]): Node {
  const tape = L.tape;
  const start = tape.length;
  const out = checkedOutput(saved.jvp(args.x, args.dx, args.y), saved.shape, 'jvp', null);
  const own = new Set(allowed.map((node) => node.id));
  for (let j = start; j < tape.length; j++) {
    for (const input of tape.inputsOf(j)) if (input < start && !own.has(input)) throw closureError(`customJvp (jvp rule, node ${j})`);
  }
  if (out.tape === tape && out.id < start && !own.has(out.id)) throw closureError('customJvp (jvp rule)');
  return out;
}

function nestedTangent(saved: Saved, L: Lanes, i: number): void {
  const ids = L.tape.inputsOf(i);
  const xs = ids.map((id) => L.val(id) as Node), dxs = ids.map((id) => laneNode(L, id, L.dot(id)));
  const y = L.val(i) as Node;
  const x = nestedArguments(saved, ids, (j) => xs[j]), dx = nestedArguments(saved, ids, (j) => dxs[j]);
  L.setDot(i, ruleInline(saved, L, { x, dx, y }, [...xs, ...dxs, y]));
}

function nestedBackward(saved: Saved, L: Lanes, i: number): void {
  const ids = L.tape.inputsOf(i);
  const xs = ids.map((id) => L.val(id) as Node);
  const y = L.val(i) as Node;
  const bar = L.bar(i), barDot = L.sweepBarDot ? L.barDot(i) : 0;
  if (bar === 0 && barDot === 0) return;
  /** J(x, y)ᵀ·w: the pullback of the rule, linear in its u, at any u (zeros), recorded as ops. */
  const pullback = (xNodes: readonly Node[], yNode: Node, w: Node): Node[] => {
    const x = nestedArguments(saved, ids, (j) => xNodes[j]);
    const zeros = nestedArguments(saved, ids, (j) => laneNode(L, ids[j], 0));
    const rule = (u: Pytree) => ruleInline(saved, L, { x, dx: u, y: yNode }, [...xNodes, ...leavesOf(u).map((leaf) => leaf.value as Node), yNode]);
    const linear = vjp(rule, zeros as Pytree);
    assertZeroAtZero(valueOf(linear.value as unknown as Node | number));
    return leavesOf(linear.pullback(w as never) as Pytree).map((leaf) => leaf.value as Node);
  };
  if (L.sweepBar && bar !== 0) {
    const ubar = pullback(xs, y, laneNode(L, i, bar));
    ids.forEach((id, j) => L.isActive(id) && L.addBar(id, ubar[j]));
  }
  if (L.sweepBarDot) {
    // R{x̄} = d/dε J(x + εR{x}, y + εR{y})ᵀ·(ȳ + εR{ȳ}): one nested jvp of the whole pullback, its
    // inputs' pieces joined into one vector (a jvp per input would record the rule once per input).
    const at = { x: xs, y, w: laneNode(L, i, bar) };
    const along = { x: ids.map((id) => laneNode(L, id, L.dot(id))), y: laneNode(L, i, L.dot(i)), w: laneNode(L, i, barDot) };
    const sizes = ids.map((id) => (L.tape.slot[id] < 0 ? 1 : L.tape.tensorAt(id).size));
    const joined = (p: typeof at) => concat(pullback(p.x, p.y, p.w).map((u, j) => (u instanceof Tensor ? u.reshape([sizes[j]]) : stack([u]))));
    const tangent = jvp(joined as never, at as never, along as never).tangent as unknown as Tensor;
    let offset = 0;
    ids.forEach((id, j) => {
      const size = sizes[j];
      if (L.isActive(id)) {
        L.addBarDot(id, L.tape.slot[id] < 0 ? tangent.at(offset) : tangent.slice(offset, offset + size).reshape(L.tape.tensorAt(id).shape));
      }
      offset += size;
    });
  }
}

const rule: OpRule = {
  name: 'customJvp',
  // Its sweeps run the user's rule on a sub-tape, whose lanes hold one direction.
  perDirection: true,
  tangent(o, L, i) {
    const saved = L.tape.saved.get(i) as Saved;
    if (o.kind === 'nodes') return nestedTangent(saved, L, i);
    const y: Output = { value: L.val(i) as number | Float64Array, dot: null, shape: saved.shape };
    L.setDot(i, tangent(saved, L, L.tape.inputsOf(i), y));
  },
  backward(o, L, i) {
    if (o.kind === 'nodes') return nestedBackward(L.tape.saved.get(i) as Saved, L, i);
    const bar = L.bar(i) as number | Float64Array, barDot = (L.sweepBarDot ? L.barDot(i) : 0) as number | Float64Array;
    if (bar === 0 && barDot === 0) return;
    backward(L.tape.saved.get(i) as Saved, L, i, bar, barDot);
  },
  primal(o, L, i) {
    if (o.kind === 'nodes') throw new Error('dualtape internal error: a nested transform does not replay values');
    const saved = L.tape.saved.get(i) as Saved;
    L.setVal(i, primal(saved, L, L.tape.inputsOf(i), false).value);
  },
};

const CUSTOM_JVP = registerRule(rule);
