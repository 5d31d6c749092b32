/**
 * The transforms: each call records `f` once on a fresh tape (the forward sweep, carrying tangents
 * when asked) and walks it backwards once (the reverse sweep, carrying dual adjoints when asked).
 *
 *   valueAndGrad  primal forward, primal adjoints           f, ∇f
 *   gradAndHvp    dual forward (ẋ = v), dual adjoints       f, ∇f, H·v   (R{∇f} = H·v)
 *   jvp           dual forward only                         f, J·v
 *   vjp           primal forward; each pullback one sweep   f, uᵀJ
 *   hvpOperator   primal forward and adjoints once; each apply(v) re-runs only the tangent lanes
 * @module
 */
import {
  FiniteError, NestedTransformError, OutputError, StaleNodeError, StructureError,
} from './errors.js';
import { Scalar, Tensor, isNode, newScalar, newTensor, type Node } from './node.js';
import {
  assertFiniteTree, assertSameStructure, flatten, leavesOf, mapLeaves, type Pytree, type ValueTree,
} from './pytree.js';
import { formatShape } from './shape.js';
import { assertFiniteAdjoints, assertFiniteForward } from './finite-checks.js';
import { indeterminateCount } from './elementwise/times.js';
import { LEAF, NO_INPUT, Tape, popActiveTape, pushActiveTape, ruleOf, type TapeOptions } from './tape.js';

/** What `f` receives: the tree of `x` with numbers as {@link Scalar} and vectors as {@link Tensor} nodes. */
export type NodeTree<T> = [T] extends [number]
  ? Scalar
  : [T] extends [Float64Array | readonly number[]]
    ? Tensor
    : { readonly [K in keyof T]: NodeTree<T[K]> };

/** A function to differentiate. Returning a plain number means a constant (its derivatives are 0). */
export type Differentiable<T, R extends Node | number = Scalar | number> = (x: NodeTree<T>) => R;

/** Options of every transform. */
export type TransformOptions = TapeOptions;

/** @internal What `record` returns (exported for `trace`, not from the package). */
export interface Recording {
  readonly tape: Tape;
  /** One node per leaf of x, in flatten order. */
  readonly leaves: Node[];
  /** The output node, or null when f returned a plain number. */
  readonly output: Node | null;
  readonly constantValue: number;
}

/** Records `f` at `x`, with leaf tangents `v` when given. The tape is left open for sweeps. @internal */
export function record(
  name: string, f: (x: never) => unknown, x: Pytree, v: Pytree | null, options: TransformOptions, keepsTape = false,
): Recording {
  if (containsNode(x)) {
    throw new NestedTransformError(
      `${name}: x holds a node of an enclosing transform; differentiating through a nested transform is not supported ` +
        '(compute the inner derivative at plain numbers, outside the outer function)',
    );
  }
  leavesOf(x); // validates the structure before anything is recorded
  if (v !== null) assertSameStructure(x, v, 'v');
  if (options.checkFinite) {
    assertFiniteTree(x, 'x');
    if (v !== null) assertFiniteTree(v, 'v');
  }
  const tape = new Tape(v !== null, options);
  const leaves: Node[] = [];
  const tangents = v === null ? null : leavesOf(v).map((l) => l.value);
  const inputs = mapLeaves(x, (value) => {
    const tangent = tangents ? tangents[leaves.length] : null;
    const leaf = typeof value === 'number'
      ? newScalar(tape, LEAF, NO_INPUT, NO_INPUT, true, value, (tangent as number | null) ?? 0)
      // A tape that outlives the call (hvpOperator, vjp) copies x: the caller may update x in place.
      : newTensor(tape, LEAF, NO_INPUT, NO_INPUT, true, [value.length], keepsTape ? Float64Array.from(value) : asF64(value), tangent === null ? null : asF64(tangent as readonly number[]));
    leaves.push(leaf);
    return leaf;
  });
  pushActiveTape(tape);
  const indeterminateBefore = indeterminateCount();
  let result: unknown;
  try {
    result = (f as (x: unknown) => unknown)(inputs);
  } catch (error) {
    tape.release();
    throw error;
  } finally {
    popActiveTape(tape);
  }
  if (typeof result === 'number') return { tape, leaves, output: null, constantValue: result };
  if (!isNode(result)) {
    tape.release();
    throw new OutputError(`${name}: f must return a node or a number, got ${result === null ? 'null' : typeof result}`);
  }
  if (result.tape !== tape) {
    tape.release();
    throw result.tape.finished
      ? new StaleNodeError(`${name}: f returned a node from a finished transform call`)
      : new NestedTransformError(`${name}: f returned a node of an enclosing transform, not one computed from its own input`);
  }
  if (options.checkFinite) {
    try {
      if (tape.withTangent && indeterminateCount() !== indeterminateBefore) {
        throw indeterminateError(name, 'computing the tangents while recording f');
      }
      assertFiniteForward(name, tape);
    } catch (error) {
      tape.release();
      throw error;
    }
  }
  return { tape, leaves, output: result, constantValue: NaN };
}

function asF64(a: Float64Array | readonly number[]): Float64Array {
  return a instanceof Float64Array ? a : Float64Array.from(a);
}

function containsNode(x: unknown): boolean {
  if (isNode(x)) return true;
  if (Array.isArray(x)) return x.some(containsNode);
  if (x !== null && typeof x === 'object' && !ArrayBuffer.isView(x)) return Object.values(x).some(containsNode);
  return false;
}

/** @internal */
export function scalarOutput(name: string, rec: Recording): Scalar | null {
  const out = rec.output;
  if (out === null || out instanceof Scalar) return out;
  rec.tape.release();
  throw new OutputError(
    `${name}: f must return a scalar, got a tensor of shape ${formatShape(out.shape)}; reduce it (sum, mean, dot) or use jvp/vjp/jacobian`,
  );
}

/** Runs the reverse sweep from a scalar output with ȳ = 1, R{ȳ} = 0, filling the lanes asked for. */
function sweepFromScalar(name: string, tape: Tape, out: Scalar, bar: boolean, barDot: boolean): void {
  tape.sweepBar = bar;
  tape.sweepBarDot = barDot;
  tape.bar[out.id] = 1;
  reverse(name, tape);
}

/**
 * The reverse sweep. With checkFinite, node by node: a 0·∞ that the symbolic-zero convention had to
 * resolve (elementwise/times.ts) is reported with its node, then any non-finite adjoint.
 */
function reverse(name: string, tape: Tape): void {
  if (!tape.checkFinite) {
    tape.reverse();
    return;
  }
  let seen = indeterminateCount();
  tape.reverseEach((i) => {
    if (indeterminateCount() !== seen) {
      seen = indeterminateCount();
      throw indeterminateError(name, `the reverse sweep through node ${i} (${ruleOf(tape.op[i]).name})`);
    }
  });
  assertFiniteAdjoints(name, tape);
}

function indeterminateError(name: string, where: string): FiniteError {
  return new FiniteError(
    `${name}: ${where} met 0·∞ (an exact zero adjoint or tangent against an infinite local derivative); ` +
      'without checkFinite it counts as 0 (symbolic zero), which is right for masked branches but can be wrong ' +
      'where the zero is a coincidence of this point, e.g. (√x)² at 0',
  );
}

/** The adjoint lane (`bar`) or its tangent (`barDot`) of every leaf, as a tree shaped like x. @internal */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function collect(x: Pytree, rec: Recording, lane: 'bar' | 'barDot'): any {
  const { tape, leaves } = rec;
  let k = 0;
  return mapLeaves(x, () => {
    const leaf = leaves[k++];
    if (leaf instanceof Scalar) return lane === 'bar' ? tape.bar[leaf.id] : tape.barDot[leaf.id];
    return leaf[lane] ?? new Float64Array(leaf.size);
  });
}

/** The same lane of every leaf, concatenated in flatten order. */
function collectFlat(rec: Recording, lane: 'bar' | 'barDot', size: number): Float64Array {
  const out = new Float64Array(size);
  let at = 0;
  for (const leaf of rec.leaves) {
    if (leaf instanceof Scalar) out[at++] = lane === 'bar' ? rec.tape.bar[leaf.id] : rec.tape.barDot[leaf.id];
    else {
      const values = leaf[lane];
      if (values) out.set(values, at);
      at += leaf.size;
    }
  }
  return out;
}

// Returned as `any`: callers state the ValueTree<T> they return, which TypeScript cannot instantiate
// generically here without recursing through the whole Pytree union.
/** @internal */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function zerosLike(x: Pytree): any {
  return mapLeaves(x, (value) => (typeof value === 'number' ? 0 : new Float64Array(value.length)));
}

function valueOf(rec: Recording): number {
  return rec.output === null ? rec.constantValue : (rec.output as Scalar).value;
}

/**
 * f(x) and ∇f(x) from one forward and one reverse sweep; tangents are not computed at all.
 *
 * @example
 * ```ts
 * const { value, grad } = valueAndGrad((x: Tensor) => x.square().sum())(new Float64Array([1, 2]));
 * // value = 5, grad = Float64Array [2, 4]
 * ```
 */
export function valueAndGrad(f: (x: never) => Scalar | number, options: TransformOptions = {}) {
  return <T extends Pytree>(x: T): { value: number; grad: ValueTree<T> } => {
    const rec = record('valueAndGrad', f, x, null, options);
    try {
      const out = scalarOutput('valueAndGrad', rec);
      if (out === null) return { value: rec.constantValue, grad: zerosLike(x) };
      sweepFromScalar('valueAndGrad', rec.tape, out, true, false);
      return { value: out.value, grad: collect(x, rec, 'bar') };
    } finally {
      rec.tape.release();
    }
  };
}

/**
 * ∇f(x), shaped like x.
 *
 * @example
 * ```ts
 * grad((p: { a: Scalar; b: Scalar }) => p.a.mul(p.b))({ a: 2, b: 3 }); // { a: 3, b: 2 }
 * ```
 */
export function grad(f: (x: never) => Scalar | number, options: TransformOptions = {}) {
  const vg = valueAndGrad(f, options);
  return <T extends Pytree>(x: T): ValueTree<T> => vg(x).grad;
}

/**
 * f(x), ∇f(x) and H(x)·v from one forward sweep with tangents ẋ = v and one reverse sweep with dual
 * adjoints: the primal lane of each adjoint is the gradient, its tangent lane R{∇f} = H·v.
 *
 * @example
 * ```ts
 * const rosenbrock = (x: Tensor) => {
 *   const a = x.at(0), b = x.at(1);
 *   return a.sub(1).square().add(b.sub(a.square()).square().mul(100));
 * };
 * const { value, grad, hvp } = gradAndHvp(rosenbrock, [1, 1], [1, 0]);
 * // value = 0, grad = [0, 0], hvp = [802, -400] (first column of the Hessian)
 * ```
 */
export function gradAndHvp<T extends Pytree>(
  f: Differentiable<T>, x: T, v: Pytree, options: TransformOptions = {},
): { value: number; grad: ValueTree<T>; hvp: ValueTree<T> } {
  const rec = record('gradAndHvp', f, x, v, options);
  try {
    const out = scalarOutput('gradAndHvp', rec);
    if (out === null) {
      const zeros = { value: rec.constantValue, grad: zerosLike(x), hvp: zerosLike(x) };
      return zeros;
    }
    sweepFromScalar('gradAndHvp', rec.tape, out, true, true);
    return { value: out.value, grad: collect(x, rec, 'bar'), hvp: collect(x, rec, 'barDot') };
  } finally {
    rec.tape.release();
  }
}

/**
 * H(x)·v, shaped like x (see {@link gradAndHvp}, which costs the same and returns f and ∇f too).
 *
 * @example
 * ```ts
 * hvp((x: Tensor) => x.at(0).mul(x.at(1)), [3, 4], [1, 0]); // Float64Array [0, 1]
 * ```
 */
export function hvp<T extends Pytree>(f: Differentiable<T>, x: T, v: Pytree, options: TransformOptions = {}): ValueTree<T> {
  return gradAndHvp(f, x, v, options).hvp;
}

/** A recorded point at which H·v can be applied again and again. */
export interface HvpOperator<T extends Pytree> {
  readonly value: number;
  readonly grad: ValueTree<T>;
  /** The number of parameters (length of flatten(x)). */
  readonly size: number;
  /** H(x)·v; re-runs only the tangent lanes of the recorded tape. */
  apply(v: Pytree): ValueTree<T>;
  /** H(x)·v on flat vectors (flatten order), for solvers. */
  applyFlat(v: Float64Array): Float64Array;
}

/**
 * Records f at x once, sweeps the primal and its adjoints once, and returns an operator whose
 * `apply(v)` pays only for the tangent work: a forward tangent sweep and the R{adjoint} lane of the
 * reverse sweep. The way to do many H·v at one point (CG, Lanczos, Hutchinson).
 *
 * @example
 * ```ts
 * const H = hvpOperator((x: Tensor) => x.square().sum().mul(0.5).add(x.at(0).mul(x.at(1))), [1, 2]);
 * H.apply([1, 0]); // Float64Array [1, 1]
 * ```
 */
export function hvpOperator<T extends Pytree>(f: Differentiable<T>, x: T, options: TransformOptions = {}): HvpOperator<T> {
  const rec = record('hvpOperator', f, x, null, options, true);
  const out = scalarOutput('hvpOperator', rec);
  const size = flatten(x).length;
  const value = valueOf(rec);
  // The tape stays alive for apply(), but no node may be recorded on it any more.
  rec.tape.finished = true;
  if (out === null) {
    return {
      value: rec.constantValue, grad: zerosLike(x), size,
      apply: (v) => { assertSameStructure(x, v, 'v'); return zerosLike(x); },
      applyFlat: (v) => { assertFlatLength(v, size); return new Float64Array(size); },
    };
  }
  const { tape, leaves } = rec;
  sweepFromScalar('hvpOperator', tape, out, true, false);
  const gradient = collect(x, rec, 'bar');
  // Later sweeps must not add into the returned gradient arrays: keep them apart from the tape.
  for (const leaf of leaves) if (leaf instanceof Tensor) leaf.bar = leaf.bar ? leaf.bar.slice() : null;

  function applyLeaves(tangent: (k: number) => number | Float64Array): void {
    leaves.forEach((leaf, k) => {
      const t = tangent(k);
      if (leaf instanceof Scalar) tape.dot[leaf.id] = t as number;
      else leaf.dataDot = t as Float64Array;
    });
    const indeterminateBefore = indeterminateCount();
    tape.forwardTangents();
    if (tape.checkFinite) {
      if (indeterminateCount() !== indeterminateBefore) throw indeterminateError('hvpOperator.apply', 'the tangent sweep');
      assertFiniteForward('hvpOperator.apply', tape);
    }
    tape.clearAdjoints(false, true);
    tape.sweepBar = false;
    tape.sweepBarDot = true;
    reverse('hvpOperator.apply', tape);
  }

  return {
    value,
    grad: gradient,
    size,
    apply(v) {
      assertSameStructure(x, v, 'v');
      if (options.checkFinite) assertFiniteTree(v, 'v');
      const vs = leavesOf(v).map((l) => (typeof l.value === 'number' ? l.value : asF64(l.value)));
      applyLeaves((k) => vs[k]);
      return collect(x, rec, 'barDot');
    },
    applyFlat(v) {
      assertFlatLength(v, size);
      if (options.checkFinite) assertFiniteTree(v, 'v');
      let at = 0;
      applyLeaves((k) => {
        const leaf = leaves[k];
        if (leaf instanceof Scalar) return v[at++];
        const part = v.subarray(at, at + leaf.size);
        at += leaf.size;
        return part;
      });
      return collectFlat(rec, 'barDot', size);
    },
  };
}

function assertFlatLength(v: Float64Array, size: number): void {
  if (v.length !== size) throw new StructureError(`applyFlat: v has length ${v.length} but x has ${size} parameters`);
}

/**
 * The full Hessian over the flattened parameters, n×n row-major: n products H·eⱼ at one recorded
 * point. O(n²) memory: prefer {@link hvp} when only products are needed.
 *
 * @example
 * ```ts
 * hessian((x: Tensor) => x.at(0).square().mul(x.at(1)), [1, 2]); // Float64Array [4, 2, 2, 0]
 * ```
 */
export function hessian<T extends Pytree>(f: Differentiable<T>, x: T, options: TransformOptions = {}): Float64Array {
  const op = hvpOperator(f, x, options);
  const n = op.size;
  const H = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e[j] = 1;
    const column = op.applyFlat(e);
    e[j] = 0;
    for (let i = 0; i < n; i++) H[i * n + j] = column[i];
  }
  return H;
}

/** The value of a scalar or tensor output, as a number or a copy of its data. */
function outputValue(rec: Recording): number | Float64Array {
  const out = rec.output;
  if (out === null) return rec.constantValue;
  return out instanceof Scalar ? out.value : out.data.slice();
}

/**
 * f(x) and the directional derivative J(x)·v from one forward sweep with tangents (f may return a
 * scalar or a tensor).
 *
 * @example
 * ```ts
 * jvp((x: Tensor) => x.exp(), [0, 1], [1, 1]); // { value: [1, e], tangent: [1, e] }
 * ```
 */
export function jvp<T extends Pytree>(
  f: Differentiable<T, Node | number>, x: T, v: Pytree, options: TransformOptions = {},
): { value: number | Float64Array; tangent: number | Float64Array } {
  const rec = record('jvp', f, x, v, options);
  try {
    const out = rec.output;
    if (out === null) return { value: rec.constantValue, tangent: 0 };
    const tangent = out instanceof Scalar ? out.tangent : out.dataDot ? out.dataDot.slice() : new Float64Array(out.size);
    return { value: outputValue(rec), tangent };
  } finally {
    rec.tape.release();
  }
}

/**
 * f(x) and its pullback u ↦ uᵀJ(x) (a gradient-shaped tree). Each pullback call is one reverse sweep
 * over the tape recorded once here.
 *
 * @example
 * ```ts
 * const { value, pullback } = vjp((x: Tensor) => x.mul(x), [1, 2]);
 * pullback([1, 1]); // Float64Array [2, 4]
 * ```
 */
export function vjp<T extends Pytree>(
  f: Differentiable<T, Node | number>, x: T, options: TransformOptions = {},
): { value: number | Float64Array; pullback: (u: number | Float64Array | readonly number[]) => ValueTree<T> } {
  const rec = record('vjp', f, x, null, options, true);
  const out = rec.output;
  const value = outputValue(rec);
  rec.tape.finished = true; // kept alive for the pullbacks; no more recording
  const pullback = (u: number | Float64Array | readonly number[]): ValueTree<T> => {
    if (out === null) {
      if (typeof u !== 'number') throw new StructureError(`vjp: f returns a scalar, so u must be a number, got a vector of length ${u.length}`);
      return zerosLike(x);
    }
    const { tape } = rec;
    tape.clearAdjoints(true, false);
    tape.sweepBar = true;
    tape.sweepBarDot = false;
    if (out instanceof Scalar) {
      if (typeof u !== 'number') throw new StructureError(`vjp: f returns a scalar, so u must be a number, got a vector of length ${u.length}`);
      tape.bar[out.id] = u;
    } else {
      if (typeof u === 'number' || u.length !== out.size) {
        const got = typeof u === 'number' ? 'a number' : `a vector of length ${u.length}`;
        throw new StructureError(`vjp: u must match f's output of shape ${formatShape(out.shape)} (${out.size} numbers), got ${got}`);
      }
      out.bar = Float64Array.from(u);
    }
    reverse('vjp', tape);
    return collect(x, rec, 'bar');
  };
  return { value, pullback };
}

/**
 * The Jacobian of f at x, m×n row-major (m outputs, n flattened parameters), by m pullbacks.
 *
 * @example
 * ```ts
 * jacobian((x: Tensor) => x.mul(x.at(0)), [2, 3]); // [[4, 0], [3, 2]] as Float64Array [4, 0, 3, 2]
 * ```
 */
export function jacobian<T extends Pytree>(f: Differentiable<T, Node | number>, x: T, options: TransformOptions = {}): Float64Array {
  const { value, pullback } = vjp(f, x, options);
  const n = flatten(x).length;
  const m = typeof value === 'number' ? 1 : value.length;
  const J = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    let row: Float64Array;
    if (typeof value === 'number') row = flatten(pullback(1) as Pytree);
    else {
      const u = new Float64Array(m);
      u[i] = 1;
      row = flatten(pullback(u) as Pytree);
    }
    J.set(row, i * n);
  }
  return J;
}

/**
 * H(x)·vⱼ for k directions at one point: the primal is recorded and swept once, then each direction
 * costs one tangent sweep (see {@link hvpOperator}). `V` is k×n row-major over the flattened
 * parameters; the result is k×n as well (row j = H·vⱼ).
 *
 * @example
 * ```ts
 * hvpMany((x: Tensor) => x.square().sum(), [1, 2], Float64Array.of(1, 0, 0, 1)); // [2, 0, 0, 2]
 * ```
 */
export function hvpMany<T extends Pytree>(f: Differentiable<T>, x: T, V: Float64Array, options: TransformOptions = {}): Float64Array {
  const op = hvpOperator(f, x, options);
  const n = op.size;
  if (n === 0 ? V.length !== 0 : V.length % n !== 0) {
    throw new StructureError(`hvpMany: V has length ${V.length}, which is not a multiple of the ${n} parameters`);
  }
  const k = n === 0 ? 0 : V.length / n;
  const out = new Float64Array(k * n);
  for (let j = 0; j < k; j++) out.set(op.applyFlat(V.subarray(j * n, (j + 1) * n)), j * n);
  return out;
}

/**
 * Generalized Gauss-Newton product G(x)·v = J(x)ᵀ · H_L(model(x)) · J(x) · v, where J is the Jacobian
 * of the model's outputs and H_L the Hessian of the loss at those outputs. G is positive semi-definite
 * whenever the loss is convex in the outputs (what Hessian-free training and Levenberg-Marquardt use).
 * Costs one dual forward sweep and one reverse sweep of the model, plus an H·v of the loss.
 * `loss` receives the outputs as a tensor of the model's output shape.
 *
 * @example
 * ```ts
 * // Least squares: model r(w) = X·w, loss ½‖r − y‖², so G = XᵀX exactly.
 * const model = (w: Tensor) => tensor([1, 2, 3, 4, 5, 6], [2, 3]).matmul(w);
 * const loss = (r: Tensor) => r.sub(tensor([1, 2])).square().sum().mul(0.5);
 * ggnvp(model, loss, [1, 2, 3], [1, 2, 3]); // Float64Array [142, 188, 234]
 * ```
 */
export function ggnvp<T extends Pytree>(
  model: Differentiable<T, Node>,
  loss: (outputs: Tensor) => Scalar | number,
  x: T,
  v: Pytree,
  options: TransformOptions = {},
): ValueTree<T> {
  const rec = record('ggnvp', model, x, v, options);
  try {
    const out = rec.output;
    if (!(out instanceof Tensor)) {
      throw new OutputError('ggnvp: the model must return a tensor of outputs (for one output, return stack([y]))');
    }
    const Jv = out.dataDot ? out.dataDot.slice() : new Float64Array(out.size);
    const shape = out.shape;
    const lossOfOutputs = (z: Tensor) => loss(shape.length === 1 ? z : z.reshape(shape));
    const HJv = gradAndHvp(lossOfOutputs, out.data.slice(), Jv, options).hvp as Float64Array;
    const { tape } = rec;
    tape.sweepBar = true;
    tape.sweepBarDot = false;
    out.bar = HJv;
    reverse('ggnvp', tape);
    return collect(x, rec, 'bar');
  } finally {
    rec.tape.release();
  }
}
