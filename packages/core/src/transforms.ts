/**
 * The transforms: each call records `f` once (the forward sweep, carrying tangents when asked) and
 * walks it backwards once (the reverse sweep, carrying dual adjoints when asked).
 *
 *   valueAndGrad  primal forward, primal adjoints           f, ∇f
 *   gradAndHvp    dual forward (ẋ = v), dual adjoints       f, ∇f, H·v   (R{∇f} = H·v)
 *   jvp           dual forward only                         f, J·v
 *   vjp           primal forward; each pullback one sweep   f, uᵀJ
 *   hvpOperator   primal forward and adjoints once; each apply(v) re-runs only the tangent lanes
 *
 * Transforms compose. Called inside the function of another transform, a transform records its
 * sweeps on the enclosing tape and returns nodes of it (a Scalar where it returns a number at top
 * level, a Tensor where it returns a Float64Array), so `grad(grad(f))`, a third derivative or the H·v
 * of a loss that contains a gradient are exact, to any depth (frame.ts, recording.ts).
 * @module
 */
import { ArgumentError, NestedTransformError, OutputError, StaleNodeError, StructureError } from './errors.js';
import { indeterminateError, nodeMethodCalled } from './recording.js';
import { assertFiniteForward } from './finite-checks.js';
import { Scalar, Tensor, constantTensor, isNode, type Node } from './node.js';
import { concat } from './ops/concat.js';
import { reshape } from './ops/reshape.js';
import { slice } from './ops/slice.js';
import { stack } from './ops/stack.js';
import { transpose } from './ops/transpose.js';
import { at } from './ops/at.js';
import { fromTree, intoTree, rowsIntoTree, treeOutputs } from './tree-outputs.js';
import { assertFiniteTree, assertSameStructure, flatten, isNumberLeaf, leafNumbers, leafSize, leavesOf, nestedShape, structureCopy, type NestedNumbers, type Pytree, type ValueTree } from './pytree.js';
import {
  TRANSFORM_OPTIONS, checkFunction, checkTransformOptions, collect, direction, emit, naming, outputValue, record, release, scalarOutput, scalarValued,
  scalarResult, sweep, zerosLike, type Recording, type TransformOptions,
} from './recording.js';
import { OptionError, checkOptions, describeValue, option, type OptionsSpec } from './options.js';
import { DirectionLanes, laneBytes } from './tangent-lanes.js';
import { reachingOutput } from './reaching-output.js';
import { checkedSize, formatShape } from './shape.js';
import type { Value } from './algebra/algebra.js';
import { recordingTape, type Tape } from './tape.js';
import { noExtraArguments } from './arity.js';

export type { TransformOptions } from './recording.js';
export { record, scalarOutput, collect, zerosLike, type Recording } from './recording.js';

/**
 * What `f` receives: the tree of `x` with numbers as {@link Scalar} and vectors as {@link Tensor} nodes.
 *
 * @example
 * ```ts
 * // x = { w: [1, 2], b: 3 } reaches f as { w: Tensor, b: Scalar }
 * grad((p: NodeTree<{ w: number[]; b: number }>) => p.w.sum().mul(p.b))({ w: [1, 2], b: 3 }); // { w: [3, 3], b: 3 }
 * ```
 */
export type NodeTree<T> = [T] extends [number | Scalar]
  ? Scalar
  : [T] extends [Float64Array | readonly number[] | NestedNumbers | Tensor]
    ? Tensor
    : { readonly [K in keyof T]: NodeTree<T[K]> };

/**
 * A function to differentiate. Returning a plain number means a constant (its derivatives are 0).
 * The transforms of a scalar (grad, hvp, hessian, …) also take a 0-d tensor (`x.matmul(x)` of a
 * vector, an einsum summing every label) as the number it holds; a tensor of any other shape is an
 * OutputError.
 *
 * @example
 * ```ts
 * const f: Differentiable<number[]> = (x) => x.square().sum();
 * grad(f)([1, 2]); // [2, 4]
 * ```
 */
export type Differentiable<T, R extends Node | number = Scalar | Tensor | number> = (x: NodeTree<T>) => R;

/**
 * What {@link valueAndGrad} returns: called with numbers, a number and numbers; called inside another
 * transform's function with a node, a {@link Scalar} and nodes of that transform. (Inside a function,
 * a call with plain numbers or a pytree holding nodes also returns nodes; its static type says number:
 * cast it, or pass the point as a node.)
 *
 * @example
 * ```ts
 * valueAndGrad((x: Scalar) => x.square())(3); // { value: 9, grad: 6 }
 * ```
 */
export interface ValueAndGradFunction {
  <T extends Node>(x: T, ...rest: readonly unknown[]): { value: Scalar; grad: ValueTree<T> };
  <T extends Pytree>(x: T, ...rest: readonly unknown[]): { value: number; grad: ValueTree<T> };
}

/**
 * Options of {@link grad} and {@link valueAndGrad}: the transform options, and `argnums`, which of
 * f's arguments to differentiate (JAX's `argnums`): a position (0 by default), or a list of them,
 * and then the gradient is the list of their gradients, in that order. The other arguments are
 * passed to f as they are, as constants.
 *
 * @example
 * ```ts
 * const loss = (w: Tensor, b: Scalar, x: number[]) => w.mul(x).sum().add(b).square();
 * grad(loss, { argnums: [0, 1] })([1, 2], 0.5, [3, 4]); // [∇w, ∂b]
 * ```
 */
export interface GradOptions extends TransformOptions {
  readonly argnums?: number | readonly number[];
  /**
   * f returns a pair [loss, aux] (JAX's `has_aux`): the loss is differentiated, aux (any tree of
   * nodes, numbers and arrays: metrics, predictions) comes back beside the gradient, its nodes as
   * numbers and arrays (nodes of the enclosing transform when nested). `grad` then returns
   * [gradient, aux] and `valueAndGrad` { value, grad, aux }.
   */
  readonly hasAux?: boolean;
}

/**
 * The gradient with respect to f's arguments at the positions K of a call with arguments A: shaped
 * like A[K] for one position, a tuple of those for a list (`unknown` where the type of that argument
 * is not a pytree the static types know).
 *
 * @example
 * ```ts
 * const g: ArgnumsGradient<[number[], number], [0, 1]> = [Float64Array.of(1, 2), 3];
 * ```
 */
export type ArgnumsGradient<A extends readonly unknown[], K> = K extends number
  ? [A[K]] extends [Pytree] ? ValueTree<A[K]> : unknown
  : { -readonly [I in keyof K]: K[I] extends number ? ArgnumsGradient<A, K[I]> : never };

/**
 * What {@link grad} returns with `argnums`: a function of all of f's arguments whose gradient is the
 * gradient of the argument at that position, or the list of the listed arguments' gradients.
 *
 * @example
 * ```ts
 * const both = grad((a: Scalar, b: Scalar) => a.mul(b), { argnums: [0, 1] });
 * both(2, 3); // [3, 2], typed [number, number]
 * ```
 */
export interface ArgnumsGradFunction<K extends number | readonly number[] = number | readonly number[]> {
  <A extends readonly unknown[]>(...args: A): ArgnumsGradient<A, K>;
}

/**
 * What {@link valueAndGrad} returns with `argnums`: f's value and the gradient of
 * {@link ArgnumsGradFunction}.
 *
 * @example
 * ```ts
 * const vg = valueAndGrad((a: number, b: Scalar) => b.mul(a), { argnums: 1 }); // a is passed as it is
 * vg(2, 3).value; // 6
 * vg(2, 3).grad; // 2, typed number
 * ```
 */
export interface ArgnumsValueAndGradFunction<K extends number | readonly number[] = number | readonly number[]> {
  <A extends readonly unknown[]>(...args: A): { value: number; grad: ArgnumsGradient<A, K> };
}

/**
 * f of {@link grad} and {@link valueAndGrad} with `hasAux` (JAX's `has_aux`): it returns a pair, the
 * loss to differentiate and aux, anything to bring back beside the gradient.
 *
 * @example
 * ```ts
 * const f: AuxFunction = (w: Tensor) => { const r = w.sub([1, 2]); return [r.square().sum(), { residual: r }]; };
 * ```
 */
export type AuxFunction = (...args: never[]) => readonly [Scalar | Tensor | number, unknown] | readonly unknown[];

/**
 * Options of the transforms that take `hasAux` besides {@link grad} and {@link valueAndGrad}: {@link jvp},
 * {@link vjp}, {@link jacobian}, {@link hvp} and {@link gradAndHvp} ({@link hessian} and {@link hvpMany}
 * take it beside `lanes`).
 * Checked at run time like every transform's options.
 *
 * @example
 * ```ts
 * const { value, tangent, aux } = jvp((x: Tensor) => [x.exp(), x.sum()] as const, [0, 1], [1, 0], { hasAux: true });
 * // value = [1, e], tangent = [1, 0], aux = 1
 * ```
 */
export interface AuxTransformOptions extends TransformOptions {
  /**
   * f returns a pair [output, aux] (JAX's `has_aux`): the output is differentiated and aux comes back
   * beside the result, as {@link AuxValue} at top level (its nodes as numbers and Float64Arrays) and
   * as the enclosing transform's nodes when nested. Default false.
   */
  readonly hasAux?: boolean;
}

/**
 * f of a transform called with `hasAux: true`: it returns the pair [output, aux] (write the array
 * `as const` so that aux keeps its type).
 *
 * @example
 * ```ts
 * const f: AuxDifferentiable<number[], Tensor, { scale: Scalar }> = (x) => [x.mul(2), { scale: x.sum() }] as const;
 * ```
 */
export type AuxDifferentiable<T, R extends Node | number, A> = (x: NodeTree<T>) => readonly [R, A];

/**
 * The aux of an {@link AuxFunction}'s pair (`unknown` where f's result is not typed as a pair: write
 * it `[loss, aux] as const`).
 *
 * @example
 * ```ts
 * // A is { residual: Tensor }:
 * type A = AuxOf<(x: Tensor) => readonly [Scalar, { residual: Tensor }]>;
 * ```
 */
export type AuxOf<F> = F extends (...args: never[]) => infer R ? (R extends readonly [unknown, infer A] ? A : unknown) : unknown;

/**
 * aux as {@link grad} and {@link valueAndGrad} return it at top level: each scalar node a number, each
 * tensor node a Float64Array of its elements, arrays and objects walked, the rest as it was. (Called
 * inside another transform's f, aux keeps the enclosing transform's nodes: cast it.)
 *
 * @example
 * ```ts
 * const a: AuxValue<{ residual: Tensor; loss: Scalar; label: string }> = { residual: Float64Array.of(0, 1), loss: 1, label: 'fit' };
 * ```
 */
export type AuxValue<A> = A extends Scalar
  ? number
  : A extends Tensor
    ? Float64Array
    : A extends Float64Array | ((...args: never[]) => unknown)
      ? A
      : A extends object
        ? { -readonly [K in keyof A]: AuxValue<A[K]> }
        : A;

/**
 * What {@link grad} returns with `hasAux`: the pair [∇f(x), aux], as JAX's `grad(f, has_aux=True)`.
 *
 * @example
 * ```ts
 * const [g, aux] = grad((x: Tensor) => [x.square().sum(), { norm: x.square().sum().sqrt() }] as const, { hasAux: true })([3, 4]);
 * // g = Float64Array [6, 8], aux = { norm: 5 }
 * ```
 */
export interface AuxGradFunction<A> {
  <T extends Pytree>(x: T, ...rest: readonly unknown[]): [ValueTree<T>, AuxValue<A>];
}

/**
 * What {@link valueAndGrad} returns with `hasAux`: f's loss, ∇f(x) and aux (JAX returns
 * ((value, aux), grad)).
 *
 * @example
 * ```ts
 * const { value, grad, aux } = valueAndGrad((x: Scalar) => [x.square(), x.mul(2)] as const, { hasAux: true })(3);
 * // value = 9, grad = 6, aux = 6
 * ```
 */
export interface AuxValueAndGradFunction<A> {
  <T extends Pytree>(x: T, ...rest: readonly unknown[]): { value: number; grad: ValueTree<T>; aux: AuxValue<A> };
}

/**
 * What {@link grad} returns; see {@link ValueAndGradFunction} for nodes.
 *
 * @example
 * ```ts
 * const df: GradFunction = grad((x: Scalar) => x.square());
 * df(3); // 6
 * ```
 */
export interface GradFunction {
  <T extends Pytree>(x: T, ...rest: readonly unknown[]): ValueTree<T>;
}

/**
 * f(x), ∇f(x) and H(x)·v; nodes of the enclosing transform when called inside one.
 *
 * @example
 * ```ts
 * const { value, grad, hvp } = gradAndHvp((x: Scalar) => x.pow(3), 2, 1); // 8, 12 = 3x², 12 = 6x·v
 * ```
 */
export interface GradAndHvpResult<T, V = number> {
  readonly value: V;
  readonly grad: ValueTree<T>;
  readonly hvp: ValueTree<T>;
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
export function valueAndGrad(f: ScalarFunction, options?: TransformOptions & { readonly argnums?: 0; readonly hasAux?: false }): ValueAndGradFunction;
export function valueAndGrad<F extends AuxFunction>(
  f: F, options: TransformOptions & { readonly hasAux: true; readonly argnums?: 0 },
): AuxValueAndGradFunction<AuxOf<F>>;
export function valueAndGrad<const K extends number | readonly number[]>(
  f: ScalarFunction, options: TransformOptions & { readonly argnums: K; readonly hasAux?: false },
): ArgnumsValueAndGradFunction<K>;
export function valueAndGrad(f: ScalarFunction | AuxFunction, options: GradOptions): ArgnumsValueAndGradFunction;
export function valueAndGrad(
  f: ScalarFunction | AuxFunction, options: GradOptions = {},
): ValueAndGradFunction | ArgnumsValueAndGradFunction | AuxValueAndGradFunction<unknown> {
  noExtraArguments('valueAndGrad', arguments, 2, 'valueAndGrad(f, options)');
  return valueAndGradNamed('valueAndGrad', f as ScalarFunction, options);
}

/**
 * A function of one or more arguments to differentiate with {@link grad} or {@link valueAndGrad}:
 * it returns a scalar node, a number, or a 0-d tensor.
 *
 * @example
 * ```ts
 * const loss: ScalarFunction = (w: Tensor, x: number[]) => w.mul(x).sum();
 * ```
 */
export type ScalarFunction = (...args: never[]) => Scalar | Tensor | number;

const GRAD_OPTIONS: OptionsSpec<GradOptions> = {
  ...TRANSFORM_OPTIONS,
  argnums: {
    expected: 'a position (an integer ≥ 0) or a non-empty list of distinct positions',
    accepts: (v) => (Number.isInteger(v) && (v as number) >= 0) ||
      // Array.from turns holes into undefined: every() alone skips them, and [0, , 1] passed.
      (Array.isArray(v) && v.length > 0 && Array.from(v).every((k) => Number.isInteger(k) && k >= 0) && new Set(v).size === v.length),
  },
  hasAux: option.boolean(),
};

/** valueAndGrad under the name its errors and traces give (`grad` shares it). */
function valueAndGradNamed(name: string, f: ScalarFunction, options: GradOptions): ValueAndGradFunction {
  // Checked now, where the mistake is made, not at the first call; `grad(f, x)` (JAX's spelling is
  // grad(f)(x)) would otherwise silently return a function.
  checkFunction(name, f);
  if (options !== undefined && (typeof options !== 'object' || options === null || !isOptionsLike(options))) {
    throw new ArgumentError(
      `${name}(f, …) takes f and options and returns a function: call it as ${name}(f)(x); got ${describeValue(options)} where options belong`,
    );
  }
  const { argnums = 0, hasAux = false, ...transformOptions } = checkOptions(name, options, GRAD_OPTIONS);
  // One position: x is that argument and its gradient the result; a list: an object keyed by position.
  const single = typeof argnums === 'number';
  const positions = single ? [argnums] : [...argnums];
  return ((...args: unknown[]) => {
    if (args.length === 0) throw new ArgumentError(`${name}(f)(x, …) needs x, the point to differentiate at`);
    const missing = positions.find((k) => k >= args.length);
    if (missing !== undefined) {
      throw new ArgumentError(`${name}: argnums names argument ${missing}, but f was given ${args.length} argument${args.length === 1 ? '' : 's'}`);
    }
    // The differentiated arguments as one pytree (an object keyed by position: a list of numbers
    // would read as one vector); the others go to f as they are.
    const x = single ? args[positions[0]] : Object.fromEntries(positions.map((k) => [k, args[k]]));
    const withArgs = single && args.length === 1 ? f : (p: unknown) => {
      const given = [...args];
      if (single) given[positions[0]] = p;
      else for (const k of positions) given[k] = (p as Record<number, unknown>)[k];
      try {
        return (f as (...a: unknown[]) => Scalar | Tensor | number)(...given);
      } catch (error) {
        throw undifferentiatedNumbers(name, error, args, positions) ?? error;
      }
    };
    // With hasAux, f's pair is taken apart here: the loss goes on to be differentiated, aux is kept.
    const split = hasAux ? auxSplit(name, withArgs, 'loss') : null;
    let rec: Recording;
    try {
      rec = record(name, scalarValued((split?.call ?? withArgs) as ScalarFunction), x as Pytree, null, transformOptions);
    } catch (error) {
      // A bad leaf is named by its argument (args[1].w), not by its place in x (x.1.w): each
      // differentiated argument walked on its own, only on this error path.
      if (error instanceof StructureError && args.length > 1) {
        for (const k of positions) naming(name, () => leavesOf(args[k] as Pytree, `args[${k}]`));
      }
      throw error;
    }
    let result: { value: unknown; grad: unknown; aux?: unknown };
    try {
      const out = scalarOutput(rec);
      const auxResult = split?.take(rec);
      if (out === null) result = { value: scalarResult(rec, rec.constantValue), grad: zerosLike(x as Pytree, rec) };
      else {
        // The tape is released right after: its tensors' memory can go as the sweep passes them.
        sweep(rec, 1, true, false, true);
        result = { value: scalarResult(rec, out), grad: collect(x as Pytree, rec, 'bar') };
      }
      if (hasAux) result.aux = auxResult;
    } finally {
      release(rec);
    }
    if (!single) result.grad = positions.map((k) => (result.grad as Record<number, unknown>)[k]);
    return result;
  }) as ValueAndGradFunction;
}

/**
 * The error to throw instead of f's TypeError when it is a node method called on an argument outside
 * argnums, which goes to f as given: plain numbers, as JAX's would be a constant array. Null when
 * the TypeError is f's own (no such argument holds numbers).
 */
function undifferentiatedNumbers(name: string, error: unknown, args: readonly unknown[], positions: readonly number[]): ArgumentError | null {
  if (nodeMethodCalled(error) === null) return null;
  const numbers = (v: unknown) => typeof v === 'number' || v instanceof Float64Array || (Array.isArray(v) && v.length > 0 && (typeof v[0] === 'number' || Array.isArray(v[0])));
  const plain = args.map((_, k) => k).filter((k) => !positions.includes(k) && numbers(args[k]));
  if (plain.length === 0) return null;
  const which = plain.length === 1 ? `argument ${plain[0]} is` : `arguments ${plain.join(', ')} are`;
  return new ArgumentError(
    `${name}: f threw "TypeError: ${(error as TypeError).message}"; ${which} not in argnums, so f gets ${plain.length === 1 ? 'it' : 'them'} as given: plain numbers, not nodes. ` +
      `Pass a constant as tensor(data) (or wrap it inside f), or add its position to argnums to differentiate it too`,
  );
}

/** f of a transform with `hasAux`, taken apart (see {@link auxSplit}). */
interface AuxSplit {
  /** Runs f and returns the first of its pair, the part to differentiate; keeps the second. */
  readonly call: (...args: never[]) => unknown;
  /**
   * The aux of the last call as the transform returns it (see {@link auxValues}), also kept as
   * `taken`. Taken right after recording, before any reverse sweep, which frees the forward arrays
   * as it passes them.
   */
  take(rec: { nested: unknown }): unknown;
  readonly taken: unknown;
}

/**
 * JAX's has_aux for any transform: f must return a pair [output, aux]; `call` hands the output on
 * to be differentiated (`what` names it in the error) and keeps aux.
 */
function auxSplit(name: string, f: (...args: never[]) => unknown, what: string): AuxSplit {
  let aux: unknown;
  const split = {
    call: (...args: never[]) => {
      const pair: unknown = f(...args);
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new OutputError(`${name}: with hasAux, f must return a pair [${what}, aux], got ${describeValue(pair)}`);
      }
      aux = pair[1];
      return pair[0];
    },
    taken: undefined as unknown,
    take: (rec: { nested: unknown }) => (split.taken = auxValues(aux, rec, name)),
  };
  return split;
}

/** The options of a transform that takes `hasAux`, checked; and f taken apart when it is set. */
function auxOptions<O extends TransformOptions>(
  name: string, f: unknown, options: O & { readonly hasAux?: boolean }, spec: OptionsSpec<O>, what: string,
): { split: AuxSplit | null; rest: O } {
  checkFunction(name, f); // before f is wrapped, so that a non-function is named as itself
  const { hasAux = false, ...rest } = checkOptions(name, options, withHasAux(spec));
  return { split: hasAux ? auxSplit(name, f as (...args: never[]) => unknown, what) : null, rest: rest as unknown as O };
}

/** Each spec with `hasAux` added, made once (auxOptions runs on every transform call). */
const specsWithHasAux = new WeakMap<object, object>();
function withHasAux<O extends TransformOptions>(spec: OptionsSpec<O>): OptionsSpec<O & { hasAux?: boolean }> {
  let extended = specsWithHasAux.get(spec);
  if (extended === undefined) {
    extended = { ...spec, hasAux: option.boolean() };
    specsWithHasAux.set(spec, extended);
  }
  return extended as OptionsSpec<O & { hasAux?: boolean }>;
}

/**
 * hasAux's aux as the transform returns it: at top level each node of the call becomes its number or
 * a copy of its array (the tape is about to be released); nested, the nodes are the enclosing
 * transform's and stay. Arrays, plain objects (null-prototype ones too), Maps and Sets are walked;
 * anything else is returned as it is — unless it holds a node, which would come back stale: that is
 * an OutputError naming where. Each container is copied once (`copies`): a part met twice is one
 * copy, and an aux that refers back to itself (a log holding itself) keeps its cycle rather than
 * recursing without end.
 */
function auxValues(aux: unknown, rec: { nested: unknown }, name: string, path = 'aux', copies = new Map<object, unknown>()): unknown {
  if (rec.nested) return aux;
  if (aux instanceof Scalar) return aux.value;
  if (aux instanceof Tensor) return aux.value.slice();
  if (aux === null || typeof aux !== 'object') return aux;
  const done = copies.get(aux);
  if (done !== undefined) return done;
  const inner = (a: unknown, at: string) => auxValues(a, rec, name, at, copies);
  if (Array.isArray(aux)) {
    const copy: unknown[] = new Array(aux.length);
    copies.set(aux, copy);
    aux.forEach((a, k) => (copy[k] = inner(a, `${path}[${k}]`))); // forEach skips holes: they stay holes
    return copy;
  }
  if (aux instanceof Map) {
    const copy = new Map<unknown, unknown>();
    copies.set(aux, copy);
    for (const [k, a] of aux) copy.set(inner(k, `${path} (a key)`), inner(a, `${path}.get(${String(k)})`));
    return copy;
  }
  if (aux instanceof Set) {
    const copy = new Set<unknown>();
    copies.set(aux, copy);
    for (const a of aux) copy.add(inner(a, `${path} (a member)`));
    return copy;
  }
  const proto: unknown = Object.getPrototypeOf(aux);
  if (proto !== Object.prototype && proto !== null) {
    const at = nodeInside(aux, path, new Set());
    if (at !== null) {
      throw new OutputError(
        `${name}: with hasAux, ${at} is a node inside ${describeValue(aux)}, which would come back stale (the call's nodes end with it); ` +
          'put nodes of aux in plain objects, arrays, Maps or Sets, or read their .value in f',
      );
    }
    return aux;
  }
  const copy: Record<string, unknown> = Object.create(proto) as Record<string, unknown>;
  copies.set(aux, copy);
  for (const [k, a] of Object.entries(aux)) {
    // defineProperty, as Object.fromEntries did: a key '__proto__' stays a key.
    Object.defineProperty(copy, k, { value: inner(a, `${path}.${k}`), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** The path of a node among the own enumerable properties of x, at any depth (typed arrays skipped), or null. */
function nodeInside(x: unknown, path: string, seen: Set<object>): string | null {
  if (x instanceof Scalar || x instanceof Tensor) return path;
  if (x === null || typeof x !== 'object' || ArrayBuffer.isView(x) || seen.has(x)) return null;
  seen.add(x);
  const entries: Array<[string, unknown]> = x instanceof Map ? [...x].map(([k, v]) => [`.get(${String(k)})`, v])
    : x instanceof Set ? [...x].map((v) => [' (a member)', v])
    : Object.entries(x).map(([k, v]) => [`.${k}`, v]);
  for (const [k, v] of entries) {
    const at = nodeInside(v, `${path}${k}`, seen);
    if (at !== null) return at;
  }
  return null;
}

/**
 * ∇f(x), shaped like x.
 *
 * @example
 * ```ts
 * grad((p: { a: Scalar; b: Scalar }) => p.a.mul(p.b))({ a: 2, b: 3 }); // { a: 3, b: 2 }
 * grad(grad((x: Scalar) => x.pow(3)))(2); // 12: the second derivative, 6x
 * ```
 */
export function grad(f: ScalarFunction, options?: TransformOptions & { readonly argnums?: 0; readonly hasAux?: false }): GradFunction;
export function grad<F extends AuxFunction>(
  f: F, options: TransformOptions & { readonly hasAux: true; readonly argnums?: 0 },
): AuxGradFunction<AuxOf<F>>;
export function grad<const K extends number | readonly number[]>(
  f: ScalarFunction, options: TransformOptions & { readonly argnums: K; readonly hasAux?: false },
): ArgnumsGradFunction<K>;
export function grad(f: ScalarFunction | AuxFunction, options: GradOptions): ArgnumsGradFunction;
export function grad(f: ScalarFunction | AuxFunction, options: GradOptions = {}): GradFunction | ArgnumsGradFunction | AuxGradFunction<unknown> {
  noExtraArguments('grad', arguments, 2, 'grad(f, options)');
  const vg = valueAndGradNamed('grad', f as ScalarFunction, options) as (...args: unknown[]) => { grad: unknown; aux?: unknown };
  // JAX's grad(f, has_aux=True) returns the pair (gradient, aux).
  if (options?.hasAux === true) return ((...args: unknown[]) => { const r = vg(...args); return [r.grad, r.aux]; }) as AuxGradFunction<unknown>;
  return ((...args: unknown[]) => vg(...args).grad) as GradFunction;
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
 * // With hasAux, f returns [loss, aux]: { value, grad, hvp, aux }
 * gradAndHvp((x: Tensor) => [rosenbrock(x), x.at(0)] as const, [1, 1], [1, 0], { hasAux: true }).aux; // 1
 * ```
 */
export function gradAndHvp<T extends Node, A>(
  f: AuxDifferentiable<T, Scalar | Tensor | number, A>, x: T, v: Pytree, options: AuxTransformOptions & { readonly hasAux: true },
): GradAndHvpResult<T, Scalar> & { aux: A };
export function gradAndHvp<T extends Pytree, A>(
  f: AuxDifferentiable<T, Scalar | Tensor | number, A>, x: T, v: Pytree, options: AuxTransformOptions & { readonly hasAux: true },
): GradAndHvpResult<T> & { aux: AuxValue<A> };
export function gradAndHvp<T extends Node>(f: Differentiable<T>, x: T, v: Pytree, options?: TransformOptions): GradAndHvpResult<T, Scalar>;
export function gradAndHvp<T extends Pytree>(f: Differentiable<T>, x: T, v: Pytree, options?: TransformOptions): GradAndHvpResult<T>;
export function gradAndHvp<T extends Pytree>(
  f: Differentiable<T> | AuxDifferentiable<T, Scalar | Tensor | number, unknown>, x: T, v: Pytree, options: AuxTransformOptions = {},
): GradAndHvpResult<T, number | Scalar> & { aux?: unknown } {
  noExtraArguments('gradAndHvp', arguments, 4, 'gradAndHvp(f, x, v, options)');
  const { split, rest } = auxOptions('gradAndHvp', f, options, TRANSFORM_OPTIONS, 'loss');
  return gradAndHvpAs('gradAndHvp', (split?.call ?? f) as Differentiable<T>, x, v, rest, split);
}

/** gradAndHvp, its errors named for `name` (ggnvp runs one on its loss); with `split`, aux too. */
function gradAndHvpAs<T extends Pytree>(
  name: string, f: Differentiable<T>, x: T, v: Pytree, options: TransformOptions, split: AuxSplit | null = null,
): GradAndHvpResult<T, number | Scalar> & { aux?: unknown } {
  const rec = record(name, scalarValued(f), x, direction(name, v), options);
  try {
    const out = scalarOutput(rec);
    const aux = split?.take(rec);
    let result: GradAndHvpResult<T, number | Scalar> & { aux?: unknown };
    if (out === null) {
      result = { value: scalarResult(rec, rec.constantValue), grad: zerosLike(x, rec), hvp: zerosLike(x, rec) };
    } else {
      sweep(rec, 1, true, true, true);
      result = { value: scalarResult(rec, out), grad: collect(x, rec, 'bar'), hvp: collect(x, rec, 'barDot') };
    }
    if (split) result.aux = aux;
    return result;
  } finally {
    release(rec);
  }
}

/**
 * H(x)·v, shaped like x (see {@link gradAndHvp}, which costs the same and returns f and ∇f too). With
 * `hasAux`, f returns [loss, aux] and hvp returns [H·v, aux], as {@link grad} and {@link hessian} do.
 *
 * @example
 * ```ts
 * hvp((x: Tensor) => x.at(0).mul(x.at(1)), [3, 4], [1, 0]); // Float64Array [0, 1]
 * const [Hv, aux] = hvp((x: Tensor) => [x.pow(3).sum(), x.sum()] as const, [1, 2], [1, 1], { hasAux: true }); // Hv = [6, 12], aux = 3
 * ```
 */
export function hvp<T extends Node, A>(
  f: AuxDifferentiable<T, Scalar | Tensor | number, A>, x: T, v: Pytree, options: AuxTransformOptions & { readonly hasAux: true },
): [ValueTree<T>, A];
export function hvp<T extends Pytree, A>(
  f: AuxDifferentiable<T, Scalar | Tensor | number, A>, x: T, v: Pytree, options: AuxTransformOptions & { readonly hasAux: true },
): [ValueTree<T>, AuxValue<A>];
export function hvp<T extends Pytree>(f: Differentiable<T>, x: T, v: Pytree, options?: TransformOptions): ValueTree<T>;
export function hvp<T extends Pytree>(
  f: Differentiable<T> | AuxDifferentiable<T, Scalar | Tensor | number, unknown>, x: T, v: Pytree, options: AuxTransformOptions = {},
): ValueTree<T> | [ValueTree<T>, unknown] {
  noExtraArguments('hvp', arguments, 4, 'hvp(f, x, v, options)');
  const { split, rest } = auxOptions('hvp', f, options, TRANSFORM_OPTIONS, 'loss');
  const rec = record('hvp', scalarValued((split?.call ?? f) as Differentiable<T>), x, direction('hvp', v), rest);
  try {
    const out = scalarOutput(rec);
    const aux = split?.take(rec);
    let Hv: ValueTree<T>;
    if (out === null) Hv = zerosLike(x, rec);
    else {
      sweep(rec, 1, true, true, true);
      Hv = collect(x, rec, 'barDot');
    }
    return split ? [Hv, aux] : Hv;
  } finally {
    release(rec);
  }
}

/**
 * A recorded point at which H·v can be applied again and again.
 *
 * @example
 * ```ts
 * const H: HvpOperator<number[]> = hvpOperator((x: Tensor) => x.pow(3).sum(), [1, 2]);
 * H.apply([1, 1]); // Float64Array [6, 12]: H = diag(6x)
 * ```
 */
export interface HvpOperator<T extends Pytree> {
  /** f(x): a number at top level, a Scalar of the enclosing transform when made inside one. */
  readonly value: number;
  /** ∇f(x), shaped like x. */
  readonly grad: ValueTree<T>;
  /** The number of parameters (length of flatten(x)). */
  readonly size: number;
  /** H(x)·v; re-runs only the tangent lanes of the recorded tape. */
  apply(v: Pytree): ValueTree<T>;
  /** H(x)·v on flat vectors (flatten order), for solvers; a Tensor of the enclosing transform when nested. */
  applyFlat(v: Float64Array): Float64Array;
}

/**
 * Records f at x once, sweeps the primal and its adjoints once, and returns an operator whose
 * `apply(v)` pays only for the tangent work: a forward tangent sweep and the R{adjoint} lane of the
 * reverse sweep. The way to do many H·v at one point (CG, Lanczos, Hutchinson). It takes no `hasAux`:
 * for f's aux beside H·v, call {@link hvp} or {@link gradAndHvp} with `{ hasAux: true }`.
 *
 * @example
 * ```ts
 * const H = hvpOperator((x: Tensor) => x.square().sum().mul(0.5).add(x.at(0).mul(x.at(1))), [1, 2]);
 * H.apply([1, 0]); // Float64Array [1, 1]
 * ```
 */
export function hvpOperator<T extends Pytree>(f: Differentiable<T>, x: T, options: TransformOptions = {}): HvpOperator<T> {
  noExtraArguments('hvpOperator', arguments, 3, 'hvpOperator(f, x, options)');
  checkFunction('hvpOperator', f);
  // No hasAux (an operator is for many products): given one, the unknown-option error says which transforms return aux.
  checkOptions('hvpOperator', options, TRANSFORM_OPTIONS, (message, problem) => new OptionError(
    /^has_?aux$/i.test(problem.option ?? '')
      ? `${message}. For f's aux beside H·v, call hvp(f, x, v, { hasAux: true }) or gradAndHvp(f, x, v, { hasAux: true })`
      : message,
    problem,
  ));
  return operatorOf('hvpOperator', f, x, options);
}

/** hvpOperator, its errors named for `name` (hessian and hvpMany build one and report as themselves). */
function operatorOf<T extends Pytree>(name: string, f: Differentiable<T>, x: T, options: TransformOptions, split: AuxSplit | null = null): HvpOperator<T> {
  const rec = record(name, scalarValued(f), x, null, options, true);
  // x's structure as recorded: the caller may reuse (and resize, or reorder) the object while the operator lives.
  x = structureCopy(x);
  const out = scalarOutput(rec);
  split?.take(rec);
  const size = sizeOfTree(rec);
  const { tape, leaves, nested } = rec;
  const value = scalarResult(rec, out ?? rec.constantValue) as number;
  // A top-level tape stays alive for apply(), but no node may be recorded on it any more.
  if (!nested) tape.finished = true;
  if (out === null) {
    const zeros = () => zerosLike(x, rec);
    return ownTape({
      value, grad: zeros(), size,
      apply(v) { noExtraArguments('hvpOperator.apply', arguments, 1, 'apply(v)'); naming(name, () => assertSameStructure(x, direction('hvpOperator.apply', v), 'v')); return zeros(); },
      applyFlat(v) { noExtraArguments('hvpOperator.applyFlat', arguments, 1, 'applyFlat(v)'); checkFlat(rec, v, size); return flatResult(rec, () => zeros()); },
    });
  }
  try {
    sweep(rec, 1, true, false);
  } catch (error) {
    // No operator is returned, so nothing will ever use the tape: hand it back as the other transforms do.
    release(rec);
    throw error;
  }
  const gradient = collect(x, rec, 'bar');
  // Later sweeps must not add into the returned gradient arrays: keep them apart from the tape.
  if (!nested) for (const leaf of leaves) if (leaf instanceof Tensor) leaf.bar = leaf.bar ? leaf.bar.slice() : null;

  // The nodes f's output depends on, for the applies' tangent sweeps at top level (side work is skipped).
  const reaching = nested ? undefined : reachingOutput(tape, out.id);

  /** Sets the inputs' tangents and runs the tangent sweep and the R{adjoint} lane of the reverse sweep. */
  function applyTangents(tangent: (k: number) => Value): void {
    if (nested) {
      if (tape.finished) throw new StaleNodeError('hvpOperator.apply: the transform this operator was made in has finished');
      tangentSweep(rec, 'hvpOperator.apply', tangent);
      nested.clearAdjoints(false, true);
      nested.sweepBar = false;
      nested.sweepBarDot = true;
      emit(rec, 'reverse sweep', () => nested.reverse());
      return;
    }
    tangentSweep(rec, 'hvpOperator.apply', tangent, reaching);
    tape.clearAdjoints(false, true);
    sweep({ ...rec, name: 'hvpOperator.apply' }, 0, false, true);
  }

  const operator: HvpOperator<T> = {
    value,
    grad: gradient,
    size,
    apply(v) {
      noExtraArguments('hvpOperator.apply', arguments, 1, 'apply(v)');
      const vs = naming(name, () => {
        assertSameStructure(x, direction('hvpOperator.apply', v), 'v');
        return leavesOf(v, 'v');
      });
      if (!nested) {
        refuseNodes('hvpOperator.apply', vs);
        if (options.checkFinite) assertFiniteTree(v, 'v', 'hvpOperator.apply');
      }
      applyTangents((k) => leafTangent(rec, k, vs[k].value));
      return collect(x, rec, 'barDot');
    },
    applyFlat(v) {
      noExtraArguments('hvpOperator.applyFlat', arguments, 1, 'applyFlat(v)');
      checkFlat(rec, v, size);
      if (!nested && options.checkFinite) assertFiniteTree(v, 'v', 'hvpOperator.applyFlat');
      applyTangents(flatParts(rec, v as Float64Array | Tensor));
      return flatResult(rec, () => collect(x, rec, 'barDot'));
    },
  };
  // At top level, several directions can share one tangent sweep and one reverse sweep (strict mode
  // keeps one sweep per direction, whose checks name the node).
  if (!nested && !options.checkFinite) {
    let lanes: DirectionLanes | null = null;
    const output = out.id;
    directionSweeps.set(operator, {
      get laneBytes() {
        return laneBytes(tape);
      },
      run(V, k, out, column) {
        if (lanes?.k !== k) {
          lanes?.release();
          lanes = new DirectionLanes(tape, k, output);
        }
        lanes.run(leaves, V, size, out, column);
      },
      release() {
        lanes?.release();
        lanes = null;
      },
    });
  }
  return ownTape(operator);

  /** A top-level operator keeps its tape for apply; a transform that made it for itself ends it (releaseOperator). */
  function ownTape(op: HvpOperator<T>): HvpOperator<T> {
    if (!nested) {
      operatorEnds.set(op, () => {
        directionSweepOf(op)?.release();
        tape.release();
      });
    }
    return op;
  }
}

/**
 * k directions at once: H·vⱼ for the k rows of V (k×n) into the k rows of `out`, by one tangent sweep
 * and one reverse sweep with k lanes (tangent-lanes.ts). Only top-level operators have one.
 */
interface DirectionSweep {
  /** With `column` ≥ 0, H·vⱼ into column `column` + j of the n×n `out` instead (DirectionLanes.run). */
  run(V: Float64Array, k: number, out: Float64Array, column?: number): void;
  /** Bytes one direction's lanes take in a sweep (tangent-lanes.ts laneBytes). */
  readonly laneBytes: number;
  /** Lets the lanes go (releaseOperator, with the operator's tape). */
  release(): void;
}
const directionSweeps = new WeakMap<object, DirectionSweep>();

/** How to end each top-level operator: strict mode and constant f have no direction sweep, but a tape all the same. */
const operatorEnds = new WeakMap<object, () => void>();

function directionSweepOf(op: object): DirectionSweep | undefined {
  return directionSweeps.get(op);
}

/**
 * H·vⱼ for the k rows of V (k×n) into the k rows of `out`: one tangent sweep and one reverse sweep
 * with k lanes where the operator has them (top level, no `checkFinite`), else one `applyFlat` per
 * row. For transforms built on an operator (sparseHessian). @internal
 */
export function applyRows(op: HvpOperator<Pytree>, V: Float64Array, k: number, out: Float64Array): void {
  const n = op.size;
  const many = directionSweepOf(op);
  if (many) many.run(V, k, out);
  else for (let j = 0; j < k; j++) out.set(op.applyFlat(V.subarray(j * n, (j + 1) * n)) as Float64Array, j * n);
}

/** Ends an operator a transform made for its own use: its tape's arrays go to the next call. @internal */
export function releaseOperator(op: HvpOperator<Pytree>): void {
  operatorEnds.get(op)?.();
}

/**
 * Options of {@link hvpMany} and {@link hessian}: those of every transform, and how many directions
 * one sweep carries.
 *
 * @example
 * ```ts
 * hessian((x: Tensor) => x.pow(3).sum(), [1, 2, 3], { lanes: 2 }); // two sweeps: directions 1–2, then 3
 * ```
 */
export interface LanesOptions extends TransformOptions {
  /**
   * The most directions one tangent sweep and one reverse sweep carry (an integer ≥ 1): `hessian`
   * takes its n unit directions in blocks of this many, `hvpMany` its k directions. Each lane costs
   * the tape's tangent memory once more. Default for `hessian`: chosen from n and the recorded tape,
   * as many as keep one sweep's lanes (a tangent and an R-adjoint of every node, once per direction)
   * within about 8 MB, where they stay in cache — all 300 at n = 300 for a dense A·x, 50–80 for a tape
   * of 100–150 kB a direction — but at least {@link DEFAULT_HESSIAN_LANES} and at most n, in blocks of
   * equal width; fewer only where 16 lanes would take more than 256 MB. All k at once for `hvpMany`.
   */
  readonly lanes?: number;
}

/**
 * The fewest unit directions {@link hessian}'s default blocks carry (wider where the tape is small,
 * see {@link LanesOptions.lanes}; narrower only where 16 lanes would take more than 256 MB), and the
 * block of `sparseHessian`'s colors: wide enough for matrix products over the lanes to run as
 * matrix-matrix products, small enough that k tangent copies of the tape stay cheap.
 *
 * @example
 * ```ts
 * DEFAULT_HESSIAN_LANES; // 16
 * hessian((x: Tensor) => x.square().sum(), [1, 2, 3], { lanes: 2 * DEFAULT_HESSIAN_LANES }); // wider blocks: fewer sweeps, more memory
 * ```
 */
export const DEFAULT_HESSIAN_LANES = 16;

/**
 * The bytes of lanes one sweep of hessian's default blocks keeps within: wider blocks mean fewer
 * sweeps (each node's rule runs once per block, a product with a shared operand reads it once per
 * block) until the lanes fall out of cache. Measured (2026-12-05, 2-core EPYC, L2 512 KB a core, L3
 * 32 MB shared, a loaded machine; widths interleaved in one process, fastest of 9 rounds) on a dense
 * A·x at n = 300 and 600, the 10-20-5 and 20-30-5 networks (N = 64), scalar Rosenbrock and an
 * elementwise f at n = 300 and 1000: 8 MB was the best width or within 5% of it on each; 4 MB up to
 * 1.5× slower on the dense ones, 16 MB 1.1–1.2× slower on the 20-30-5 network, Rosenbrock and the
 * elementwise f at n = 1000. @internal
 */
export const HESSIAN_LANE_CACHE = 8 * 2 ** 20;
/** The most bytes of lanes hessian's default blocks take, below {@link DEFAULT_HESSIAN_LANES} if need be. @internal */
export const HESSIAN_LANE_MEMORY = 256 * 2 ** 20;

/**
 * The width of hessian's blocks when `lanes` is not given, for n directions and lanes of `laneBytes`
 * each (tangent-lanes.ts laneBytes): as many as fit in {@link HESSIAN_LANE_CACHE}, at least
 * {@link DEFAULT_HESSIAN_LANES}, at most n and as many as fit in {@link HESSIAN_LANE_MEMORY} (at
 * least 1); then evened out over the blocks that takes (not below 16), so the last block is not a
 * short one: each width is one more set of lane arrays and generated sweeps. @internal
 */
export function defaultHessianLanes(n: number, laneBytes: number): number {
  if (n <= 1) return 1;
  const fit = (bytes: number) => Math.floor(bytes / Math.max(laneBytes, 1));
  const most = Math.max(1, Math.min(n, fit(HESSIAN_LANE_MEMORY), Math.max(DEFAULT_HESSIAN_LANES, fit(HESSIAN_LANE_CACHE))));
  return Math.max(Math.ceil(n / Math.ceil(n / most)), Math.min(most, DEFAULT_HESSIAN_LANES));
}

/**
 * The block width {@link hessian}(f, x, options) uses at top level ({@link defaultHessianLanes}
 * unless `lanes` is given), from a recording of f at x: for tests and the benchmark report. @internal
 */
export function hessianBlockWidth<T extends Pytree>(f: Differentiable<T>, x: T, options: LanesOptions = {}): number {
  const { lanes, ...transform } = options;
  const op = operatorOf('hessian', f, x, transform);
  try {
    const many = directionSweepOf(op);
    if (!many) return 1;
    return lanes === undefined ? defaultHessianLanes(op.size, many.laneBytes) : Math.min(lanes, op.size);
  } finally {
    releaseOperator(op);
  }
}

const LANES_OPTIONS: OptionsSpec<LanesOptions> = { ...TRANSFORM_OPTIONS, lanes: option.integer({ min: 1 }) };

/**
 * The full Hessian over the flattened parameters, n×n row-major, from the n products H·eⱼ at one
 * recorded point. At top level the unit directions go through the sweeps in blocks of `lanes` (by
 * default as many as keep a sweep's lanes within about 8 MB, at least {@link DEFAULT_HESSIAN_LANES}:
 * see {@link LanesOptions.lanes}): each block is one tangent sweep and one reverse sweep carrying that
 * many directions, where matrix products become matrix-matrix products (see {@link hvpMany}). O(n²)
 * memory: prefer {@link hvp} when only products are needed. Nested, a Tensor of n·n, one direction per
 * sweep (`lanes` is then ignored).
 *
 * @example
 * ```ts
 * hessian((x: Tensor) => x.at(0).square().mul(x.at(1)), [1, 2]); // Float64Array [4, 2, 2, 0]
 * hessian((x: Tensor) => x.pow(3).sum(), [1, 2, 3], { lanes: 2 }); // [6, 0, 0, 0, 12, 0, 0, 0, 18]: two sweeps, 2 + 1 lanes
 * const [H, aux] = hessian((x: Tensor) => [x.square().sum(), x.norm()] as const, [3, 4], { hasAux: true }); // H = [2, 0, 0, 2], aux = 5
 * ```
 */
export function hessian<T extends Node, A>(
  f: AuxDifferentiable<T, Scalar | Tensor | number, A>, x: T, options: LanesOptions & { readonly hasAux: true },
): [Tensor, A];
export function hessian<T extends Pytree, A>(
  f: AuxDifferentiable<T, Scalar | Tensor | number, A>, x: T, options: LanesOptions & { readonly hasAux: true },
): [Float64Array, AuxValue<A>];
export function hessian<T extends Node>(f: Differentiable<T>, x: T, options?: LanesOptions): Tensor;
export function hessian<T extends Pytree>(f: Differentiable<T>, x: T, options?: LanesOptions): Float64Array;
export function hessian<T extends Pytree>(
  f: Differentiable<T> | AuxDifferentiable<T, Scalar | Tensor | number, unknown>, x: T, options: LanesOptions & { readonly hasAux?: boolean } = {},
): Float64Array | Tensor | [Float64Array | Tensor, unknown] {
  noExtraArguments('hessian', arguments, 3, 'hessian(f, x, options)');
  const { split, rest } = auxOptions('hessian', f, options, LANES_OPTIONS, 'loss');
  const { lanes, ...transform } = rest; // checked by auxOptions
  const enclosing = recordingTape();
  const op = operatorOf('hessian', (split?.call ?? f) as Differentiable<T>, x, transform, split);
  // The operator is this call's own: its tape goes back on every path, strict mode and errors included.
  try {
    const H = hessianOf(op, lanes, enclosing);
    return split ? [H, split.taken] : H;
  } finally {
    releaseOperator(op);
  }
}

function hessianOf<T extends Pytree>(op: HvpOperator<T>, lanes: number | undefined, enclosing: Tape | undefined): Float64Array {
  const n = op.size;
  // Refused before n products whose result could never be returned.
  checkedSize([n, n], 'hessian', 'use hvp or hvpOperator for products with H, or sparseHessian for its nonzeros');
  const many = directionSweepOf(op);
  if (many) {
    // Block rows are H·eⱼ, the Hessian's columns: written transposed, H[i][j] = (H·eⱼ)ᵢ as one direction at a time gives.
    const H = new Float64Array(n * n);
    const width = lanes === undefined ? defaultHessianLanes(n, many.laneBytes) : Math.min(lanes, n);
    // One block of unit directions, reused: run reads E's rows only during the sweeps, and writes
    // each block's products straight into their columns of H.
    const E = new Float64Array(width * n);
    for (let j0 = 0; j0 < n; j0 += width) {
      const k = Math.min(width, n - j0);
      for (let j = 0; j < k; j++) E[j * n + j0 + j] = 1;
      many.run(E, k, H, j0);
      for (let j = 0; j < k; j++) E[j * n + j0 + j] = 0;
    }
    return H;
  }
  const e = new Float64Array(n);
  const columns: Array<Float64Array | Tensor> = [];
  for (let j = 0; j < n; j++) {
    e[j] = 1;
    columns.push(op.applyFlat(e) as Float64Array | Tensor);
    e[j] = 0;
  }
  return gatherColumns(columns, n, enclosing);
}

/** n columns of length n as one n×n row-major result (a Tensor of n·n of `enclosing` when nested). */
function gatherColumns(columns: Array<Float64Array | Tensor>, n: number, enclosing: Tape | undefined): Float64Array {
  if (enclosing) {
    if (n === 0) return emptyTensor(enclosing) as unknown as Float64Array;
    return reshape(stack(columns as Tensor[], 1), [n * n]) as unknown as Float64Array;
  }
  const H = new Float64Array(n * n);
  columns.forEach((column, j) => {
    for (let i = 0; i < n; i++) H[i * n + j] = (column as Float64Array)[i];
  });
  return H;
}

/**
 * f(x) and the directional derivative J(x)·v from one forward sweep with tangents (f may return a
 * scalar, a tensor, or a tuple or dict of them — an array or object of nodes and numbers — whose
 * value and tangent come back in that shape, a scalar as a number and a tensor as its flat values).
 *
 * @example
 * ```ts
 * jvp((x: Tensor) => x.exp(), [0, 1], [1, 1]); // { value: [1, e], tangent: [1, e] }
 * jvp((x: Tensor) => ({ s: x.sum(), e: x.exp() }), [0, 1], [1, 1]); // { value: { s: 1, e: [1, e] }, tangent: { s: 2, e: [1, e] } }
 * // With hasAux (JAX's has_aux), f returns [output, aux] and aux comes back beside them:
 * jvp((x: Tensor) => [x.exp(), x.sum()] as const, [0, 1], [1, 1], { hasAux: true }); // { value, tangent, aux: 1 }
 * ```
 */
export function jvp<T extends Node, A>(
  f: AuxDifferentiable<T, Node | number, A>, x: T, v: Pytree, options: AuxTransformOptions & { readonly hasAux: true },
): { value: Node; tangent: Node; aux: A };
export function jvp<T extends Pytree, A>(
  f: AuxDifferentiable<T, Node | number, A>, x: T, v: Pytree, options: AuxTransformOptions & { readonly hasAux: true },
): { value: number | Float64Array; tangent: number | Float64Array; aux: AuxValue<A> };
export function jvp<T extends Node>(
  f: Differentiable<T, Node | number>, x: T, v: Pytree, options?: TransformOptions,
): { value: Node; tangent: Node };
export function jvp<T extends Pytree>(
  f: Differentiable<T, Node | number>, x: T, v: Pytree, options?: TransformOptions,
): { value: number | Float64Array; tangent: number | Float64Array };
export function jvp<T extends Pytree, R extends object>(
  f: (x: NodeTree<T>) => R, x: T, v: Pytree, options?: TransformOptions,
): { value: AuxValue<R>; tangent: AuxValue<R> };
export function jvp<T extends Pytree>(
  f: Differentiable<T, Node | number> | AuxDifferentiable<T, Node | number, unknown>, x: T, v: Pytree, options: AuxTransformOptions = {},
): { value: number | Float64Array | Node; tangent: number | Float64Array | Node; aux?: unknown } {
  noExtraArguments('jvp', arguments, 4, 'jvp(f, x, v, options)');
  const { split, rest } = auxOptions('jvp', f, options, TRANSFORM_OPTIONS, 'output');
  const outputs = treeOutputs('jvp', split?.call ?? f);
  const rec = record('jvp', outputs.call as Differentiable<T, Node | number>, x, direction('jvp', v), rest);
  try {
    const out = rec.output;
    let result: { value: number | Float64Array | Node; tangent: number | Float64Array | Node; aux?: unknown };
    if (out === null) result = { value: outputValue(rec) as number, tangent: scalarResult(rec, 0) as number };
    else {
      const { nested } = rec;
      let tangent: unknown;
      if (nested) tangent = nested.asNode(out.id, nested.dot(out.id));
      else tangent = out instanceof Scalar ? out.tangent : out.dataDot ? out.dataDot.slice() : new Float64Array(out.size);
      result = { value: outputValue(rec) as number | Float64Array, tangent: tangent as number | Float64Array };
    }
    const tree = outputs.tree();
    if (tree) result = { value: intoTree(tree, result.value) as Node, tangent: intoTree(tree, result.tangent) as Node };
    if (split) result.aux = split.take(rec);
    return result;
  } finally {
    release(rec);
  }
}

/**
 * What {@link linearize} returns: f(x), and v ↦ J(x)·v as often as asked.
 *
 * @example
 * ```ts
 * const { value, jvp } = linearize((x: Tensor) => x.exp(), [0, 1]);
 * jvp([1, 0]); // [1, 0]
 * ```
 */
export interface Linearized<T> {
  /** f(x): a number or a Float64Array at top level, the output node when nested. */
  readonly value: number | Float64Array;
  /** J(x)·v, shaped like f's output, for v shaped like x: one tangent sweep over the recorded tape. */
  jvp(v: Pytree | T): number | Float64Array;
}

/**
 * f(x) and its linearization v ↦ J(x)·v (JAX's `jax.linearize`): f is recorded once here, and each
 * `jvp(v)` is one tangent sweep over that tape, with no recording — the forward-mode counterpart of
 * {@link vjp}'s pullback, for many J·v at one point (Gauss-Newton's J·v, a Jacobian's columns). With
 * `hasAux`, f returns [output, aux] and aux comes back beside `value`. Nested, `value` and each
 * `jvp(v)` are nodes of the enclosing transform, and v may hold them.
 *
 * @example
 * ```ts
 * const { value, jvp } = linearize((x: Tensor) => x.mul(x.at(0)), [2, 3]);
 * value;        // [4, 6]
 * jvp([1, 0]);  // [4, 3]: J's first column
 * jvp([0, 1]);  // [0, 2]
 * const { aux } = linearize((x: Tensor) => [x.exp(), x.sum()] as const, [0, 1], { hasAux: true }); // aux = 1
 * ```
 */
export function linearize<T extends Pytree, A>(
  f: AuxDifferentiable<T, Node | number, A>, x: T, options: AuxTransformOptions & { readonly hasAux: true },
): Linearized<T> & { readonly aux: AuxValue<A> };
export function linearize<T extends Pytree>(f: Differentiable<T, Node | number>, x: T, options?: TransformOptions): Linearized<T>;
export function linearize<T extends Pytree, R extends object>(
  f: (x: NodeTree<T>) => R, x: T, options?: TransformOptions,
): { readonly value: AuxValue<R>; jvp(v: Pytree | T): AuxValue<R> };
export function linearize<T extends Pytree>(
  f: Differentiable<T, Node | number> | AuxDifferentiable<T, Node | number, unknown>, x: T, options: AuxTransformOptions = {},
): Linearized<T> & { readonly aux?: unknown } {
  noExtraArguments('linearize', arguments, 3, 'linearize(f, x, options)');
  const { split, rest } = auxOptions('linearize', f, options, TRANSFORM_OPTIONS, 'output');
  const outputs = treeOutputs('linearize', split?.call ?? f);
  const rec = record('linearize', outputs.call as Differentiable<T, Node | number>, x, null, rest, true);
  // x's structure as recorded: the caller may reuse (and resize, or reorder) the object while jvp lives.
  x = structureCopy(x);
  const tree = outputs.tree();
  const value = (tree ? intoTree(tree, outputValue(rec)) : outputValue(rec)) as number | Float64Array;
  const aux = split?.take(rec);
  const out = rec.output;
  const { tape, nested } = rec;
  if (!nested) tape.finished = true; // kept alive for the products; no more recording
  const reaching = nested || out === null ? undefined : reachingOutput(tape, out.id);
  const jvpFlat = function jvp(v: Pytree): number | Float64Array {
    noExtraArguments('linearize jvp', arguments, 1, 'jvp(v)');
    const vs = naming('linearize jvp', () => {
      assertSameStructure(x, direction('linearize jvp', v), 'v');
      return leavesOf(v, 'v');
    });
    if (nested) {
      if (tape.finished) throw new StaleNodeError('linearize jvp: the transform this linearization was made in has finished');
    } else {
      refuseNodes('linearize jvp', vs, 'J');
      if (rest.checkFinite) assertFiniteTree(v, 'v', 'linearize jvp');
    }
    if (out === null) return scalarResult(rec, 0) as number;
    tangentSweep(rec, 'linearize jvp', (k) => leafTangent(rec, k, vs[k].value), reaching);
    if (nested) return nested.asNode(out.id, nested.dot(out.id)) as unknown as number;
    // A copy: the output's tangent may be a leaf's, which is v's.
    if (out instanceof Scalar) return tape.dots[out.id];
    return out.dataDot ? out.dataDot.slice() : new Float64Array(out.size);
  };
  // A tree of outputs: each product cut into it (arguments passed on, so extra ones are still named).
  const jvp = tree
    ? function jvp(v: Pytree): number | Float64Array {
      return intoTree(tree, jvpFlat.apply(null, arguments as unknown as [Pytree])) as number | Float64Array;
    }
    : jvpFlat;
  return split ? { value, jvp, aux } : { value, jvp };
}

/**
 * f(x) and its pullback u ↦ uᵀJ(x) (a gradient-shaped tree). Each pullback call is one reverse sweep
 * over the tape recorded once here. f may return a tuple or dict of outputs (an array or object of
 * nodes and numbers): `value` comes back in that shape, and `pullback` takes u in it.
 *
 * @example
 * ```ts
 * const { value, pullback } = vjp((x: Tensor) => x.mul(x), [1, 2]);
 * pullback([1, 1]); // Float64Array [2, 4]
 * vjp((x: Tensor) => [x.sum(), x.mul(x)], [1, 2]).pullback([1, [0, 1]]); // Float64Array [1, 5]: 1·∇Σx + (0, 1)·J(x²)
 * const { aux } = vjp((x: Tensor) => [x.mul(x), x.max()] as const, [1, 2], { hasAux: true }); // aux = 2
 * ```
 */
export function vjp<T extends Pytree, A>(
  f: AuxDifferentiable<T, Node | number, A>, x: T, options: AuxTransformOptions & { readonly hasAux: true },
): { value: number | Float64Array; pullback: (u: number | Float64Array | readonly number[]) => ValueTree<T>; aux: AuxValue<A> };
export function vjp<T extends Pytree>(
  f: Differentiable<T, Node | number>, x: T, options?: TransformOptions,
): { value: number | Float64Array; pullback: (u: number | Float64Array | readonly number[]) => ValueTree<T> };
export function vjp<T extends Pytree, R extends object>(
  f: (x: NodeTree<T>) => R, x: T, options?: TransformOptions,
): { value: AuxValue<R>; pullback: (u: Pytree) => ValueTree<T> };
export function vjp<T extends Pytree>(
  f: Differentiable<T, Node | number> | AuxDifferentiable<T, Node | number, unknown>, x: T, options: AuxTransformOptions = {},
): { value: number | Float64Array; pullback: (u: number | Float64Array | readonly number[]) => ValueTree<T>; aux?: unknown } {
  noExtraArguments('vjp', arguments, 3, 'vjp(f, x, options)');
  const { split, rest } = auxOptions('vjp', f, options, TRANSFORM_OPTIONS, 'output');
  return pullbackOf('vjp', (split?.call ?? f) as Differentiable<T, Node | number>, x, rest, split);
}

/** vjp, its errors named for `name`; with `split`, aux too. */
function pullbackOf<T extends Pytree>(
  name: string, f: Differentiable<T, Node | number>, x: T, options: TransformOptions, split: AuxSplit | null = null,
): { value: number | Float64Array; pullback: (u: number | Float64Array | readonly number[]) => ValueTree<T>; aux?: unknown } {
  const outputs = treeOutputs(name, f);
  const rec = record(name, outputs.call as Differentiable<T, Node | number>, x, null, options, true);
  const tree = outputs.tree();
  const value = (tree ? intoTree(tree, outputValue(rec)) : outputValue(rec)) as number | Float64Array;
  const aux = split?.take(rec);
  // x's structure as recorded: the caller may reuse (and resize) the object while the pullback lives.
  const flatPullback = pullbackFor(rec, name, structureCopy(x));
  const pullback = tree
    ? function pullback(u: number | Float64Array | readonly number[]): ValueTree<T> {
      noExtraArguments(`${name} pullback`, arguments, 1, 'pullback(u)');
      return flatPullback(fromTree(`${name} pullback`, tree, u) as Float64Array);
    }
    : flatPullback;
  return split ? { value, pullback, aux } : { value, pullback };
}

/** u ↦ uᵀJ over recording `rec` of f at x: one reverse sweep per call (vjp's pullback, jacobian's rows). */
function pullbackFor<T extends Pytree>(rec: Recording, name: string, x: T): (u: number | Float64Array | readonly number[]) => ValueTree<T> {
  const out = rec.output;
  const { tape, nested } = rec;
  if (!nested) tape.finished = true; // kept alive for the pullbacks; no more recording
  return function pullback(u: number | Float64Array | readonly number[]): ValueTree<T> {
    noExtraArguments(`${name} pullback`, arguments, 1, 'pullback(u)');
    // A node of another transform's recording: the tape here holds numbers (as refuseNodes says for J·v).
    if (!nested && isNode(u) && !u.tape.eager && !u.tape.finished) {
      throw new NestedTransformError(
        `${name} pullback: u is a node, but this pullback was made at top level, where J holds plain numbers; ` +
          'to differentiate through uᵀJ, call vjp inside the enclosing function',
      );
    }
    const seed = cotangent(rec, direction('vjp pullback', u, 'u'));
    if (out === null) return zerosLike(x, rec);
    if (nested) {
      if (tape.finished) throw new StaleNodeError('vjp pullback: the transform this pullback was made in has finished');
      nested.clearAdjoints(true, false);
      sweep(rec, seed, true, false);
      return collect(x, rec, 'bar');
    }
    tape.clearAdjoints(true, false);
    sweep(rec, seed, true, false);
    return collect(x, rec, 'bar');
  };
}

/**
 * The pullback's u checked against f's output: a number for a scalar or a 0-d tensor, a vector of its
 * size for a tensor.
 */
function cotangent(rec: Recording, u: unknown): Value {
  const out = rec.output;
  const describe = (w: unknown) =>
    typeof w === 'number' ? 'a number' : w instanceof Scalar ? 'a scalar node' : w instanceof Tensor ? `a tensor of ${w.size} numbers` : describeValue(w);
  if (out === null || out instanceof Scalar) {
    if (typeof u === 'number' || (u instanceof Scalar && rec.nested)) return u;
    throw new StructureError(`vjp: f returns a scalar, so u must be a number, got ${describe(u)}`);
  }
  // A 0-d output holds one number, as a scalar does: a number (or, nested, a scalar node) is its u too.
  if (out.shape.length === 0) {
    if (typeof u === 'number') return rec.nested ? rec.nested.o.constant(Float64Array.of(u), out.shape) : Float64Array.of(u);
    if (u instanceof Scalar && rec.nested) return rec.nested.o.promote(u);
  }
  if (rec.nested && u instanceof Tensor && u.size === out.size) return u.shape.length === out.shape.length ? u : reshape(u, out.shape);
  // Numbers only, as a leaf of x is read: a string or an array of strings has a length too, and
  // Float64Array.from would turn it into NaN (a nested array into NaN or, for [[1], [2]], numbers).
  if (isNumberLeaf(u) && leafSize(u) === out.size) {
    const numbers = Float64Array.from(leafNumbers(u));
    return rec.nested ? rec.nested.o.constant(numbers, out.shape) : numbers;
  }
  throw new StructureError(`vjp: u must match f's output of shape ${formatShape(out.shape)} (${out.size} numbers), got ${describe(u)}`);
}

/**
 * How {@link jacobian} builds J: `'reverse'` by reverse sweeps (its rows eᵢᵀJ, JAX's `jacrev`),
 * `'forward'` by tangent sweeps (its columns J·eⱼ, JAX's `jacfwd`), `'auto'` forward when f has more
 * outputs than parameters, else reverse. At top level the unit directions ride as lanes, a block of
 * them per sweep as {@link hessian}'s do: always for columns, and for rows where f's work is in
 * tensors (on scalar ops the tape's own reverse sweep per row is as fast). Either way f is recorded
 * once, and the two give the same matrix to rounding.
 *
 * @example
 * ```ts
 * const mode: JacobianMode = 'forward';
 * ```
 */
export type JacobianMode = 'auto' | 'forward' | 'reverse';

/**
 * Options of {@link jacobian}: those of every transform, `hasAux`, and `mode`.
 *
 * @example
 * ```ts
 * jacobian((x: Tensor) => x.sin(), [0, 1], { mode: 'forward' }); // by two tangent sweeps
 * ```
 */
export interface JacobianOptions extends AuxTransformOptions {
  /** Rows by reverse sweeps, columns by tangent sweeps, or (`'auto'`, the default) columns for a tall J and rows otherwise: see {@link JacobianMode}. */
  readonly mode?: JacobianMode;
}

const JACOBIAN_OPTIONS: OptionsSpec<TransformOptions & { readonly mode?: JacobianMode }> = {
  ...TRANSFORM_OPTIONS, mode: option.literal('auto', 'forward', 'reverse'),
};

/**
 * The Jacobian of f at x, m×n row-major (m outputs, n flattened parameters). f is recorded once;
 * then, by default, a tall J (more outputs than parameters) by columns from tangent sweeps, a wide
 * one by rows from reverse sweeps, at top level in blocks of lanes. `{ mode }` picks one (see
 * {@link JacobianMode}). Nested, a Tensor of m·n. f may return a tuple or dict of outputs (an array or
 * object of nodes and numbers): J then comes back as that tree, each leaf its own rows
 * ({@link JacobianTree}), JAX's `jacrev` of a pytree output.
 *
 * @example
 * ```ts
 * jacobian((x: Tensor) => x.mul(x.at(0)), [2, 3]); // [[4, 0], [3, 2]] as Float64Array [4, 0, 3, 2]
 * const [J, aux] = jacobian((x: Tensor) => [x.mul(2), x.sum()] as const, [2, 3], { hasAux: true }); // J = [2, 0, 0, 2], aux = 5
 * jacobian((x: Scalar) => tensor([1, 2, 3]).mul(x), 2, { mode: 'forward' }); // [1, 2, 3]: one tangent sweep, not three reverse ones
 * ```
 */
export function jacobian<T extends Node, A>(
  f: AuxDifferentiable<T, Node | number, A>, x: T, options: JacobianOptions & { readonly hasAux: true },
): [Tensor, A];
export function jacobian<T extends Pytree, A>(
  f: AuxDifferentiable<T, Node | number, A>, x: T, options: JacobianOptions & { readonly hasAux: true },
): [Float64Array, AuxValue<A>];
export function jacobian<T extends Node>(f: Differentiable<T, Node | number>, x: T, options?: JacobianOptions): Tensor;
export function jacobian<T extends Pytree>(f: Differentiable<T, Node | number>, x: T, options?: JacobianOptions): Float64Array;
export function jacobian<T extends Pytree, R extends object>(f: (x: NodeTree<T>) => R, x: T, options?: JacobianOptions): JacobianTree<R>;
export function jacobian<T extends Pytree>(
  f: Differentiable<T, Node | number> | AuxDifferentiable<T, Node | number, unknown>, x: T, options: JacobianOptions = {},
): Float64Array | Tensor | object | [Float64Array | Tensor | object, unknown] {
  noExtraArguments('jacobian', arguments, 3, 'jacobian(f, x, options)');
  const { split, rest } = auxOptions('jacobian', f, options, JACOBIAN_OPTIONS, 'output');
  const { mode = 'auto', ...transform } = rest;
  const outputs = treeOutputs('jacobian', split?.call ?? f);
  const J = jacobianOf(outputs.call as Differentiable<T, Node | number>, x, transform, mode, split);
  const tree = outputs.tree();
  // A tree of outputs: each leaf's rows, in the tree's shape.
  const matrix = (tree ? rowsIntoTree(tree, J.matrix as Float64Array | Tensor) : J.matrix) as Float64Array;
  return split ? [matrix, J.aux] : matrix;
}

/**
 * What {@link jacobian} returns for f with a tuple or dict of outputs: the same tree, each leaf its
 * rows of J (a scalar output's gradient row, a tensor output's size × n rows, row-major).
 *
 * @example
 * ```ts
 * const J: JacobianTree<{ s: Scalar; v: Tensor }> = jacobian((x: Tensor) => ({ s: x.sum(), v: x.mul(2) }), [1, 2]);
 * J.s; // [1, 1]
 * J.v; // [2, 0, 0, 2]
 * ```
 */
export type JacobianTree<R> = R extends Node | number ? Float64Array : { -readonly [K in keyof R]: JacobianTree<R[K]> };

function jacobianOf<T extends Pytree>(
  f: Differentiable<T, Node | number>, x: T, options: TransformOptions, mode: JacobianMode, split: AuxSplit | null,
): { matrix: Float64Array; aux?: unknown } {
  // Nested or not is the recording's, not the rows': with m·n = 0 there are no rows to tell.
  const enclosing = recordingTape();
  const rec = record('jacobian', f, x, null, options, true);
  const value = outputValue(rec) as number | Float64Array | Node;
  const aux = split?.take(rec);
  const n = sizeOfLeaves(x);
  const m = typeof value === 'number' || value instanceof Scalar ? 1 : value instanceof Tensor ? value.size : value.length;
  checkedSize([m, n], 'jacobian', 'use jvp or vjp for products with J');
  const byColumns = mode === 'forward' || (mode === 'auto' && n < m);
  const matrix = byColumns ? jacobianColumns(rec, m, n, enclosing) : jacobianRows(rec, x, value, m, n, enclosing);
  return split ? { matrix, aux } : { matrix };
}

/** J by rows (reverse mode): row i is eᵢᵀJ, one reverse sweep each (at top level, blocks of them as lanes). */
function jacobianRows<T extends Pytree>(
  rec: Recording, x: T, value: number | Float64Array | Node, m: number, n: number, enclosing: Tape | undefined,
): Float64Array {
  const pullback = pullbackFor(rec, 'jacobian', x);
  const out = rec.output;
  if (!enclosing && !rec.tape.checkFinite && out !== null && m > 1 && n > 0 && mostlyTensors(rec.tape)) return rowsByLanes(rec, out.id, m, n);
  const rows: Array<Float64Array | Tensor> = [];
  for (let i = 0; i < m; i++) {
    let u: number | Float64Array = 1;
    if (!(typeof value === 'number' || value instanceof Scalar)) {
      u = new Float64Array(m);
      u[i] = 1;
    }
    rows.push(flattenResult(pullback(u) as Pytree, enclosing));
  }
  if (enclosing) {
    if (m * n === 0) return emptyTensor(enclosing) as unknown as Float64Array;
    return reshape(concat(rows as Tensor[]), [m * n]) as unknown as Float64Array;
  }
  const J = new Float64Array(m * n);
  rows.forEach((row, i) => J.set(row as Float64Array, i * n));
  return J;
}

/**
 * J by rows at top level: the m unit cotangents in blocks of R-adjoint lanes (tangent-lanes.ts), one
 * reverse sweep per block, every tangent 0 (so no tangent sweep). f was recorded but never swept for
 * ȳ, so ȳ is 0 at every node and each lane's R{ȳ} is a plain adjoint (R{x̄} = R{ȳ}·f′): JAX's vmap of
 * the pullback. The zero-adjoint test (test/zero-adjoint.test.ts) checks every op's rule on that.
 */
function rowsByLanes(rec: Recording, output: number, m: number, n: number): Float64Array {
  const J = new Float64Array(m * n);
  inUnitBlocks(rec, output, m, blockWidth(rec.tape, m, m, n), (lanes, U, i0, k) => {
    lanes.run(rec.leaves, null, n, J.subarray(i0 * n, (i0 + k) * n), -1, (d) => d.seedOutput(output, U));
  });
  return J;
}

/**
 * Whether a tape's active tensor elements are at least as many as its active scalar nodes. Rows by
 * lanes pay where the work is in tensors (a block's products and loops run once over all its lanes:
 * 3.6× faster on B·tanh(A·x), 784→256→10); on a graph of scalar ops the tape's own reverse sweep per
 * row is as fast (lanes 0.86–0.97× its speed on scalar chains of 30 to 300 inputs), its rules being
 * single adjoints where the lanes' are dual.
 */
function mostlyTensors(tape: Tape): boolean {
  const { active, slot, tensors } = tape;
  let scalars = 0, elements = 0;
  for (let i = 0; i < tape.length; i++) {
    if (active[i] !== 1) continue;
    if (slot[i] < 0) scalars++;
    else elements += tensors[slot[i]].size;
  }
  return elements >= scalars;
}

/**
 * The lanes per block of jacobian's rows or columns (`directions` of them): hessian's width, but with
 * the blocks of unit directions and of results (width × n, width × m) within 2²³ numbers each, so
 * that a J over a million parameters takes 8 at a time.
 */
function blockWidth(tape: Tape, directions: number, m: number, n: number): number {
  return Math.max(1, Math.min(defaultHessianLanes(directions, laneBytes(tape)), Math.floor(2 ** 23 / Math.max(n, m))));
}

/**
 * Sets the inputs' tangents (input k's is `tangent(k)`) and runs one tangent sweep over the
 * recording. At top level the sweep visits only the nodes f's output depends on (`reaching`, from
 * reaching-output.ts; side work keeps the tangent it had), and in strict mode a 0·∞ the sweep
 * resolved or a non-finite tangent is an error named for `name`.
 */
function tangentSweep(rec: Recording, name: string, tangent: (k: number) => Value, reaching?: Uint8Array): void {
  const { tape, nested, leaves } = rec;
  if (nested) {
    leaves.forEach((leaf, k) => nested.setDot(leaf.id, tangent(k)));
    emit(rec, 'tangent sweep', () => nested.forwardTangents());
    return;
  }
  leaves.forEach((leaf, k) => tape.setDot(leaf.id, tangent(k)));
  const before = tape.o.indeterminate;
  tape.forwardTangents(reaching);
  if (tape.checkFinite) {
    if (tape.o.indeterminate !== before) throw indeterminateError(name, 'the tangent sweep');
    assertFiniteForward(name, tape, true);
  }
}

/**
 * J by columns at top level: the n unit directions in blocks of tangent lanes (tangent-lanes.ts), one
 * tangent sweep per block, block widths as {@link hessian}'s. The same numbers as one sweep per column
 * except where a matrix product of k columns sums in another order than k products of one.
 */
function columnsByLanes(rec: Recording, output: number, m: number, n: number): Float64Array {
  const width = blockWidth(rec.tape, n, m, n);
  const J = new Float64Array(m * n), block = new Float64Array(width * m);
  inUnitBlocks(rec, output, n, width, (lanes, E, j0, k) => {
    lanes.tangents(rec.leaves, E, n, output, block);
    for (let j = 0; j < k; j++) for (let i = 0; i < m; i++) J[i * n + j0 + j] = block[j * m + i];
  });
  return J;
}

/**
 * The `count` unit vectors of length `count` in blocks of at most `width`: `body` gets block-wide
 * lanes over rec's tape (made once per width, released at the end), the block's unit vectors as the
 * rows of a k×count array, the first one's index and k.
 */
function inUnitBlocks(
  rec: Recording, output: number, count: number, width: number,
  body: (lanes: DirectionLanes, units: Float64Array, start: number, k: number) => void,
): void {
  const units = new Float64Array(width * count);
  let lanes = null as DirectionLanes | null; // (a cast: the loop reassigns it, which narrowing does not see)
  try {
    for (let start = 0; start < count; start += width) {
      const k = Math.min(width, count - start);
      if (lanes?.k !== k) {
        lanes?.release();
        lanes = new DirectionLanes(rec.tape, k, output);
      }
      for (let j = 0; j < k; j++) units[j * count + start + j] = 1;
      body(lanes, units.subarray(0, k * count), start, k);
      for (let j = 0; j < k; j++) units[j * count + start + j] = 0;
    }
  } finally {
    lanes?.release();
  }
}

/**
 * J by columns (forward mode): column j is J·eⱼ, the output's tangent after one tangent sweep over
 * the recording with the inputs' tangents set to eⱼ — n sweeps where the rows take m.
 */
function jacobianColumns(rec: Recording, m: number, n: number, enclosing: Tape | undefined): Float64Array {
  const out = rec.output;
  const { tape, nested } = rec;
  if (!nested) tape.finished = true; // no more recording: the sweeps only replay
  // At top level the unit directions travel as tangent lanes, blocks of them per sweep, as hessian's
  // do (strict mode keeps one sweep per direction, whose checks name the node).
  if (!nested && !tape.checkFinite && out !== null && n > 1 && m > 0) return columnsByLanes(rec, out.id, m, n);
  const e = new Float64Array(n);
  const parts = flatParts(rec, e);
  const reaching = nested || out === null ? undefined : reachingOutput(tape, out.id);
  const columns: Array<Float64Array | Tensor> = [];
  for (let j = 0; j < n && out !== null; j++) {
    e[j] = 1;
    tangentSweep(rec, 'jacobian', parts, reaching);
    if (nested) {
      const column = nested.asNode(out.id, nested.dot(out.id));
      columns.push(column instanceof Scalar ? stack([column]) : column.shape.length === 1 ? column : reshape(column, [m]));
    } else {
      // A copy: the output's tangent may be a leaf's, a view of e.
      columns.push(out instanceof Scalar ? Float64Array.of(tape.dots[out.id]) : out.dataDot ? out.dataDot.slice() : new Float64Array(m));
    }
    e[j] = 0;
  }
  if (enclosing) {
    if (m * n === 0) return emptyTensor(enclosing) as unknown as Float64Array;
    if (out === null) return constantTensor(enclosing, new Float64Array(m * n), [m * n]) as unknown as Float64Array;
    // n columns of m stacked as rows of an n×m matrix, then transposed into J's m×n.
    return reshape(transpose(stack(columns as Tensor[])), [m * n]) as unknown as Float64Array;
  }
  const J = new Float64Array(m * n);
  columns.forEach((column, j) => {
    const c = column as Float64Array;
    for (let i = 0; i < m; i++) J[i * n + j] = c[i];
  });
  return J;
}

/**
 * H(x)·vⱼ for k directions at one point. `V` is k×n row-major over the flattened parameters; the
 * result is k×n as well (row j = H·vⱼ).
 *
 * f is recorded, and its value and gradient swept, once. Then, at top level, all k directions travel
 * together: each node's tangent R{y} and R-adjoint R{ȳ} hold k lanes, one per direction, and ONE
 * tangent sweep and ONE reverse sweep compute every H·vⱼ. A rule reads a lane stack where it would
 * read one tangent and runs on each lane with the value and adjoint shared, so every op carries lanes
 * unchanged; a matrix product with a shared operand takes the k lanes as extra columns, one
 * matrix-matrix product (A·[ẋ₁ … ẋₖ]) instead of k matrix-vector ones. `{ lanes: w }` caps the
 * directions per sweep (blocks of w; each lane costs the tape's tangent memory once more). Results
 * equal k separate {@link hvpOperator} applies (bit for bit except where a matrix product of k
 * columns sums in another order than k products of one). With `checkFinite`, and when nested inside
 * another transform, each direction has its own sweep. With `hasAux`, f returns [loss, aux] and
 * hvpMany returns [rows, aux], as {@link hessian} does.
 *
 * @example
 * ```ts
 * hvpMany((x: Tensor) => x.square().sum(), [1, 2], Float64Array.of(1, 0, 0, 1)); // [2, 0, 0, 2]
 * hvpMany((x: Tensor) => x.pow(3).sum(), [1, 2], Float64Array.of(1, 0, 0, 1, 1, 1), { lanes: 2 }); // [6, 0, 0, 12, 6, 12]: 2 + 1 lanes
 * const [HV, aux] = hvpMany((x: Tensor) => [x.pow(3).sum(), x.sum()] as const, [1, 2], Float64Array.of(1, 0, 0, 1), { hasAux: true }); // HV = [6, 0, 0, 12], aux = 3
 * ```
 */
export function hvpMany<T extends Node, A>(
  f: AuxDifferentiable<T, Scalar | Tensor | number, A>, x: T, V: Float64Array | Tensor, options: LanesOptions & { readonly hasAux: true },
): [Tensor, A];
export function hvpMany<T extends Pytree, A>(
  f: AuxDifferentiable<T, Scalar | Tensor | number, A>, x: T, V: Float64Array, options: LanesOptions & { readonly hasAux: true },
): [Float64Array, AuxValue<A>];
export function hvpMany<T extends Node>(f: Differentiable<T>, x: T, V: Float64Array | Tensor, options?: LanesOptions): Tensor;
export function hvpMany<T extends Pytree>(f: Differentiable<T>, x: T, V: Float64Array, options?: LanesOptions): Float64Array;
export function hvpMany<T extends Pytree>(
  f: Differentiable<T> | AuxDifferentiable<T, Scalar | Tensor | number, unknown>, x: T, V: Float64Array | Tensor,
  options: LanesOptions & { readonly hasAux?: boolean } = {},
): Float64Array | Tensor | [Float64Array | Tensor, unknown] {
  noExtraArguments('hvpMany', arguments, 4, 'hvpMany(f, x, V, options)');
  const { split, rest } = auxOptions('hvpMany', f, options, LANES_OPTIONS, 'loss');
  const { lanes, ...transform } = rest; // checked by auxOptions
  const enclosing = recordingTape();
  const op = operatorOf('hvpMany', (split?.call ?? f) as Differentiable<T>, x, transform, split);
  // The operator is this call's own: its tape goes back on every path, strict mode and errors included.
  try {
    const HV = hvpRows(op, V, lanes, enclosing);
    return split ? [HV, split.taken] : HV;
  } finally {
    releaseOperator(op);
  }
}

function hvpRows<T extends Pytree>(op: HvpOperator<T>, V: Float64Array | Tensor, lanes: number | undefined, enclosing: Tape | undefined): Float64Array {
  const n = op.size;
  const given = V as unknown;
  if (!(given instanceof Float64Array) && !(given instanceof Tensor)) {
    throw new StructureError(`hvpMany: V must be a Float64Array of k×n numbers (k directions over the ${n} parameters), got ${describeKind(V)}`);
  }
  if (given instanceof Tensor && !enclosing) {
    // Each row would reach the operator as a node at top level, which then names itself, not hvpMany.
    throw new StructureError(`hvpMany: V is a tensor node, which hvpMany takes inside another transform's function; at top level pass a Float64Array of k×n numbers (V.data for a constant tensor)`);
  }
  const length = given instanceof Tensor ? given.size : given.length;
  if (n === 0 ? length !== 0 : length % n !== 0) {
    throw new StructureError(`hvpMany: V has length ${length}, which is not a multiple of the ${n} parameters`);
  }
  const k = n === 0 ? 0 : length / n;
  const many = directionSweepOf(op);
  if (many && given instanceof Float64Array) {
    const out = new Float64Array(k * n);
    const width = lanes ?? k;
    for (let j0 = 0; j0 < k; j0 += width) {
      const kb = Math.min(width, k - j0);
      many.run(given.subarray(j0 * n, (j0 + kb) * n), kb, out.subarray(j0 * n, (j0 + kb) * n));
    }
    return out;
  }
  const rows: Array<Float64Array | Tensor> = [];
  for (let j = 0; j < k; j++) {
    const row = given instanceof Tensor ? slice(reshape(given, [length]), j * n, (j + 1) * n) : given.subarray(j * n, (j + 1) * n);
    rows.push(op.applyFlat(row as Float64Array) as Float64Array | Tensor);
  }
  if (enclosing) return (k * n === 0 ? emptyTensor(enclosing) : concat(rows as Tensor[])) as unknown as Float64Array;
  const out = new Float64Array(k * n);
  rows.forEach((row, j) => out.set(row as Float64Array, j * n));
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
  loss: (outputs: Tensor) => Scalar | Tensor | number,
  x: T,
  v: Pytree,
  options: TransformOptions = {},
): ValueTree<T> {
  noExtraArguments('ggnvp', arguments, 5, 'ggnvp(model, loss, x, v, options)');
  checkFunction('ggnvp', model, 'model', '(x) => tensor of outputs');
  // Checked before the model is recorded: loss is first called after the model's tangent sweep.
  checkFunction('ggnvp', loss, 'loss', '(outputs) => scalar');
  const rec = record('ggnvp', model, x, direction('ggnvp', v), options);
  try {
    const out = rec.output;
    if (!(out instanceof Tensor)) {
      throw new OutputError('ggnvp: the model must return a tensor of outputs (for one output, return stack([y]))');
    }
    const shape = out.shape;
    const lossOfOutputs = (z: Tensor) => loss(shape.length === 1 ? z : z.reshape(shape));
    const { nested } = rec;
    // Nested, the outputs and J·v are nodes, and this gradAndHvp is itself nested: still exact.
    const outputs = nested ? reshape(out, [out.size]) : out.data.slice();
    const Jv = nested
      ? reshape(nested.asNode(out.id, nested.dot(out.id)) as Tensor, [out.size])
      : out.dataDot ? out.dataDot.slice() : new Float64Array(out.size);
    // Named so that a loss returning the wrong thing is reported as ggnvp's, not as a gradAndHvp the caller never made.
    const HJv = gradAndHvpAs('ggnvp (loss)', lossOfOutputs, outputs as Float64Array, Jv as Float64Array, options).hvp as Float64Array | Tensor;
    sweep(rec, HJv instanceof Tensor ? reshape(HJv, shape) : HJv, true, false);
    return collect(x, rec, 'bar');
  } finally {
    release(rec);
  }
}

// ---- Flat vectors over the parameters ----------------------------------------------------------------

function sizeOfLeaves(x: Pytree): number {
  let n = 0;
  // leafSize counts a nested number array (a matrix leaf) by its elements, not its rows.
  for (const { value } of leavesOf(x)) n += leafSize(value);
  return n;
}

function sizeOfTree(rec: Recording): number {
  return rec.leaves.reduce((n, leaf) => n + (leaf instanceof Scalar ? 1 : leaf.size), 0);
}

function checkFlat(rec: Recording, v: unknown, size: number): void {
  const length = v instanceof Float64Array ? v.length : rec.nested && v instanceof Tensor ? v.size : -1;
  if (Array.isArray(v)) throw new StructureError(`applyFlat: v must be a Float64Array of the ${size} parameters (flatten order); convert a number[] with Float64Array.from(v)`);
  if (length < 0) {
    throw new StructureError(`applyFlat: v must be a Float64Array of the ${size} parameters (flatten order), got ${describeKind(v)}`);
  }
  if (length !== size) throw new StructureError(`applyFlat: v has length ${length} but x has ${size} parameters`);
}

/** The tangent of input k from a flat vector: numbers at top level, slices of a node when nested. */
function flatParts(rec: Recording, v: Float64Array | Tensor): (k: number) => Value {
  const offsets: number[] = [];
  let at0 = 0;
  for (const leaf of rec.leaves) {
    offsets.push(at0);
    at0 += leaf instanceof Scalar ? 1 : leaf.size;
  }
  return (k) => {
    const leaf = rec.leaves[k];
    const from = offsets[k];
    if (v instanceof Tensor) {
      const flat = v.shape.length === 1 ? v : reshape(v, [v.size]);
      if (leaf instanceof Scalar) return at(flat, from);
      const part = slice(flat, from, from + leaf.size);
      return part.shape.length === leaf.shape.length ? part : reshape(part, leaf.shape);
    }
    if (rec.nested) {
      return leaf instanceof Scalar ? v[from] : rec.nested.o.constant(v.slice(from, from + leaf.size), leaf.shape);
    }
    return leaf instanceof Scalar ? v[from] : v.subarray(from, from + leaf.size);
  };
}

/** A tree result in flatten order as one vector: a Float64Array, or one Tensor when nested. */
function flatResult(rec: Recording, tree: () => unknown): Float64Array {
  return flattenResult(tree() as Pytree, rec.nested ? rec.tape : undefined) as Float64Array;
}

/** A result tree as one vector; nested (`enclosing` given), a Tensor of that tape even when x has no leaves. */
function flattenResult(tree: Pytree, enclosing: Tape | undefined): Float64Array | Tensor {
  const leaves = leavesOf(tree);
  if (enclosing && leaves.length === 0) return emptyTensor(enclosing);
  if (leaves.length > 0 && isNode(leaves[0].value)) {
    const parts = leaves.map(({ value }) => {
      const node = value as Node;
      return node instanceof Scalar ? stack([node]) : node.shape.length === 1 ? node : reshape(node, [node.size]);
    });
    return parts.length === 1 ? parts[0] : concat(parts);
  }
  return flatten(tree);
}

/** The 0-element result of a nested jacobian, hessian or hvpMany: a constant of the enclosing tape. */
function emptyTensor(tape: Tape): Tensor {
  return constantTensor(tape, new Float64Array(0), [0]);
}

/** Nodes in a direction given to a top-level operator (hvpOperator's H, linearize's J) are refused, saying why. */
function refuseNodes(name: string, leaves: ReturnType<typeof leavesOf>, matrix: 'H' | 'J' = 'H'): void {
  for (const leaf of leaves) {
    // An eager node (tensor() or scalar() outside any transform) is a value, as hvp's v takes it.
    if (isNode(leaf.value) && leaf.value.tape.finished) {
      throw new StaleNodeError(`${name}: ${leaf.path} is a node of a finished transform call; pass its .value instead`);
    }
    if (isNode(leaf.value) && !leaf.value.tape.eager) {
      const remedy = matrix === 'H' ? 'make the operator (or call hvp)' : 'call linearize (or jvp)';
      throw new NestedTransformError(
        `${name}: ${leaf.path} is a node, but this operator was made at top level, where ${matrix} holds plain numbers; ` +
          `to differentiate through ${matrix}·v, ${remedy} inside the enclosing function`,
      );
    }
  }
}

/** Input k's tangent from a leaf of v (a number, numbers, or a node when nested). */
function leafTangent(rec: Recording, k: number, value: unknown): Value {
  const leaf = rec.leaves[k];
  // At top level an eager node is its numbers (copied: the sweep must not share the node's storage).
  if (!rec.nested && isNode(value)) value = value instanceof Scalar ? value.value : Float64Array.from(value.value);
  if (typeof value === 'number' || value instanceof Scalar) return value;
  if (value instanceof Tensor) return value.shape.length === (leaf as Tensor).shape.length ? value : reshape(value, (leaf as Tensor).shape);
  // A nested number array (a matrix leaf) is read row-major, like the leaf of x it goes with.
  const data = value instanceof Float64Array ? value : Float64Array.from(leafNumbers(value as never));
  return rec.nested ? rec.nested.o.constant(data, (leaf as Tensor).shape) : data;
}

function describeKind(v: unknown): string {
  if (Array.isArray(v)) {
    // An array of vectors (k directions given one by one) is not a number[]: say how to stack them.
    const rows = v.length > 0 && v.every((r) => ArrayBuffer.isView(r) || Array.isArray(r));
    if (rows) return `an array of ${v.length} arrays (for k directions, put them one after another in one Float64Array: V.set(vⱼ, j·n) for each j)`;
    return 'a number[] (use Float64Array.from(...))';
  }
  if (isNode(v)) return 'a node';
  return describeValue(v);
}

/** A plain object, or a pytree-looking array/typed array given by mistake in the options position. */
function isOptionsLike(options: object): boolean {
  return !Array.isArray(options) && !ArrayBuffer.isView(options) && !(options instanceof Scalar) && !(options instanceof Tensor);
}
