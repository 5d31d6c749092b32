/**
 * vmap: JAX's `vmap` semantics computed by a loop. f runs once per index of the mapped axis and the
 * results are stacked; there are no batching rules, so it is no faster than the loop you would write.
 * What it gives is the loop written once, with the structure checks, and — inside a transform — out
 * of differentiable ops (`take` to slice, `stack` to join), so gradients and H·v go through it exactly.
 * @module
 */
import { ArgumentError, StructureError } from './errors.js';
import { Scalar, Tensor, isNode, scalar, tensor } from './node.js';
import { at } from './ops/at.js';
import { take } from './ops/take.js';
import { stack } from './ops/stack.js';
import { checkOptions, option, type OptionsSpec } from './options.js';
import { assertSameStructure, leafNumbers, leavesOf, mapLeaves, nestedShape, type Leaf, type Pytree } from './pytree.js';
import { checkFunction, naming, nodeMethodCalled } from './recording.js';
import { checkLive } from './tape.js';
import { noExtraArguments } from './arity.js';

/**
 * Options of {@link vmap}.
 *
 * @example
 * ```ts
 * vmap((column: number[]) => column[0], { inAxes: 1 })([[1, 2], [3, 4]]); // [1, 2]: the first row
 * ```
 */
export interface VmapOptions {
  /**
   * The axis to map over (default 0; negative counts from the end): one number for every leaf of
   * every argument, or one entry per argument of the call, where `null` passes that argument to f
   * whole, unmapped (JAX's `in_axes=(0, None)`).
   */
  inAxes?: number | readonly (number | null)[];
  /** Where the new axis goes in every result leaf (default 0; negative counts from the end). */
  outAxes?: number;
}

const VMAP_OPTIONS: OptionsSpec<VmapOptions> = {
  inAxes: option.oneOf(option.integer(), {
    expected: 'a list with an integer or null for each argument',
    accepts: (v) => Array.isArray(v) && v.every((a) => a === null || Number.isInteger(a)),
  }),
  outAxes: option.integer(),
};

/**
 * What a vmapped function returns for f's result type `R`: numbers and number arrays stack into a
 * `Float64Array` (row-major); nodes, or nodes and numbers mixed, into a {@link Tensor}; objects and
 * arrays leaf by leaf.
 *
 * @example
 * ```ts
 * const r: Batched<{ a: number; g: Float64Array }> = vmap((x: number) => ({ a: x, g: Float64Array.of(x, -x) }))([1, 2]);
 * r.a; // [1, 2]
 * r.g; // [1, -1, 2, -2]
 * ```
 */
export type Batched<R> = [R] extends [number | Float64Array | readonly number[] | readonly (readonly number[])[]]
  ? Float64Array
  : [R] extends [Scalar | Tensor | number | Float64Array | readonly number[]]
    ? Tensor
    : { -readonly [K in keyof R]: Batched<R[K]> };

/**
 * Maps f over an axis of its arguments, JAX's `vmap(f, in_axes, out_axes)`: every leaf of `xs` (and
 * of each further argument) is split along `inAxes` into B slices (all leaves must agree on B), f is
 * called once per index with the pytrees of slices, and the results — the same structure every call —
 * are stacked along a new axis `outAxes` of each result leaf. With `inAxes` a list, one entry per
 * argument, `null` passes that argument to every call whole: `vmap(f, { inAxes: [0, null] })(xs, params)`.
 *
 * **A loop, not a vectorisation**: f runs B times. Batched ops (`matmul` over leading axes, `einsum`,
 * broadcasting) are what make a batch fast; vmap makes per-example code, and per-example gradients,
 * short and checked.
 *
 * Slices: a node leaf (inside a transform) is sliced with `take(x, i, axis)`, so gradients flow through
 * it, and a vector node into scalar nodes (`at(x, i)`), as a vector of numbers into numbers, so f sees
 * a Scalar where at top level it sees a number; a number array is sliced into numbers (a Float64Array or number[] is one axis, its slices are
 * numbers; a matrix `number[][]` gives rows `number[]`, or columns with `inAxes: 1`). A number leaf
 * has no axis to map: an `ArgumentError`.
 *
 * Results, leaf by leaf: if any call returned a node there, the B results are joined with `stack`
 * into a Tensor (numbers among them become constants), so inside a transform the result stays
 * differentiable, and at top level ops on plain values give a plain-valued Tensor, as ops do. Numbers
 * and number arrays (what transforms return at top level: `grad`'s Float64Array, `hessian`'s n×n
 * row-major matrix) stack into one `Float64Array`, row-major with the new axis at `outAxes`: B numbers
 * give B, B vectors of length n give B·n (row b is call b's vector).
 *
 * B = 0 is an `ArgumentError`: f is never called, so the result's structure is unknown (JAX finds it
 * by tracing f abstractly, which a loop cannot).
 *
 * @example
 * ```ts
 * // Per-example gradients of a logistic loss: g.w holds one gradient per row (B × 2, row-major).
 * const params = { w: [0.5, -0.25], b: 0.1 };
 * const lossOf = (ex: { x: number[]; t: number }) => (p: { w: Tensor; b: Scalar }) => softplus(p.w.dot(ex.x).add(p.b).mul(-ex.t));
 * const g = vmap((ex: { x: number[]; t: number }) => grad(lossOf(ex))(params))({ x: [[1, 2], [3, 4]], t: [1, -1] });
 * g.b; // [-0.47502, 0.64566]: −t·σ(−t·z) for z = 0.1 and 0.6
 * g.w; // [-0.47502, -0.95004, 1.93697, 2.58262]
 *
 * // Inside a transform: a batched loss, differentiable in w (Σₙ 2(w·xₙ)xₙ).
 * grad((w: Tensor) => vmap((x: number[]) => w.dot(x).square())([[1, 2], [3, 4]]).sum())([1, 1]); // [48, 68]
 * ```
 */
export function vmap<R>(f: (...args: never[]) => R, options?: VmapOptions): (xs: Pytree, ...rest: readonly unknown[]) => Batched<R> {
  noExtraArguments('vmap', arguments, 2, 'vmap(f, options)');
  checkFunction('vmap', f, 'f', '(slice) => result');
  const { inAxes = 0, outAxes = 0 } = checkOptions('vmap', options, VMAP_OPTIONS);
  return ((...args: unknown[]): Batched<R> => {
    if (args.length === 0) throw new ArgumentError('vmap(f)(xs, …) needs xs, the pytree to map over');
    const axes = typeof inAxes === 'number' ? args.map(() => inAxes) : inAxes;
    if (axes.length !== args.length) {
      throw new ArgumentError(`vmap: inAxes has ${axes.length} entr${axes.length === 1 ? 'y' : 'ies'} but f was given ${args.length} argument${args.length === 1 ? '' : 's'}; give one per argument (null: not mapped)`);
    }
    const names = args.length === 1 ? ['xs'] : args.map((_, k) => `xs[${k}]`);
    // Per argument: its mapped leaves, or null for one passed whole.
    const mapped = args.map((arg, k) => {
      const axis = axes[k];
      return axis === null ? null : naming('vmap', () => leavesOf(arg as Pytree, names[k])).map((leaf) => mappedLeaf(leaf, axis));
    });
    // Said as such: 'xs has no leaves' would point at the data, not at the nulls.
    if (axes.every((a) => a === null)) {
      throw new ArgumentError('vmap: inAxes is null for every argument, so no argument is mapped and there is no batch; give an axis for at least one');
    }
    const leaves = mapped.flatMap((m) => m ?? []);
    if (leaves.length === 0) throw new ArgumentError(`vmap: ${args.length === 1 ? 'xs has' : 'the mapped arguments have'} no leaves, so there is no axis to map over`);
    const B = leaves[0].size;
    if (leaves.some((l) => l.size !== B)) {
      throw new StructureError(
        `vmap: every mapped leaf must have the same length along its axis (inAxes ${JSON.stringify(inAxes)}); got ${leaves.map((l) => `${l.path}: ${l.size}`).join(', ')}`,
      );
    }
    if (B === 0) {
      throw new ArgumentError(
        `vmap: the mapped axis has length 0, so f is never called and the result's structure is unknown; handle the empty batch before vmap`,
      );
    }
    // Each mapped argument with a placeholder for each leaf: walking it per index costs its number of
    // leaves, where walking the argument would check every nested number array again (quadratic in B
    // for a number[][] of B rows). The placeholder is an empty Float64Array, not a number: a list of
    // leaves ([matrix, vector], [Float64Array, Float64Array], [node, node]) would turn into a number
    // array, one leaf, and every leaf after the first would be silently dropped.
    const skeletons = args.map((arg, k) => (mapped[k] === null ? null : (mapLeaves(arg as Pytree, () => PLACEHOLDER, names[k]) as Pytree)));
    const results: unknown[] = [];
    for (let i = 0; i < B; i++) {
      const slices = args.map((arg, k) => {
        const own = mapped[k];
        if (own === null) return arg;
        let j = 0;
        // Leaves come back in leavesOf order, so the j-th visit is the j-th mapped leaf.
        return mapLeaves(skeletons[k]!, () => own[j++].at(i), names[k]);
      });
      const y = callOnSlices(f, slices, leaves);
      // Compared with call 0's result, so a mismatch names the path and both shapes.
      if (i > 0) assertSameStructure(results[0] as Pytree, y as Pytree, `f's result for index ${i}`, `f's result for index 0`);
      results.push(y);
    }
    const perCall = results.map((r) => leavesOf(r as Pytree, 'result'));
    const out = perCall[0].map((_, k) => perCall.map((leaves) => leaves[k].value));
    let k = 0;
    return mapLeaves(results[0] as Pytree, (_, path) => stackLeaf(out[k++], outAxes, path.slice('result'.length)), 'result') as Batched<R>;
  }) as (xs: Pytree, ...rest: readonly unknown[]) => Batched<R>;
}

/**
 * f on one index's slices. Number leaves give number slices, and a JAX user's `x.mul(2)` (or any node
 * method) on one fails inside f as a bare TypeError: said as what it is, with the fixes.
 */
function callOnSlices(f: (...args: never[]) => unknown, slices: unknown[], leaves: readonly MappedLeaf[]): unknown {
  try {
    return (f as (...a: unknown[]) => unknown)(...slices);
  } catch (e) {
    if (nodeMethodCalled(e) === null || leaves.some((l) => l.node)) throw e;
    throw new ArgumentError(
      `vmap: f threw "TypeError: ${(e as TypeError).message}" on its slices, which are plain numbers (a number or a number[] row): ` +
        'vmap slices numbers into numbers and nodes into nodes, so node methods such as .mul are not there. ' +
        'Map over a node (tensor(xs), or a transform\'s x), wrap the slice in f (tensor(x).mul(2)), or write f on numbers',
    );
  }
}

/** A skeleton's leaf: a leaf by itself and inside any list (see the skeletons in vmap). */
const PLACEHOLDER = new Float64Array(0);

interface MappedLeaf {
  readonly path: string;
  /** The leaf's length along the mapped axis (B). */
  readonly size: number;
  /** Whether the leaf is a node (inside a transform), whose slices are nodes too. */
  readonly node: boolean;
  at(i: number): unknown;
}

/** How to take slice i of one leaf of xs along `axis`. */
function mappedLeaf({ path, value }: Leaf, axis: number): MappedLeaf {
  // A node of a finished call is named here, not by take (the op that slices it) inside the loop.
  if (isNode(value)) checkLive(value.tape, 'vmap');
  if (typeof value === 'number' || value instanceof Scalar) {
    const what = value instanceof Scalar ? 'a scalar node' : 'a number';
    throw new ArgumentError(`vmap: ${path} is ${what}, which has no axis ${axis} to map over; close over it, or give null for its argument in inAxes`);
  }
  const shape = value instanceof Tensor ? value.shape : (nestedShape(value) ?? [(value as ArrayLike<number>).length]);
  const a = axis < 0 ? axis + shape.length : axis;
  if (a < 0 || a >= shape.length) {
    throw new ArgumentError(`vmap: inAxes ${axis} is out of range for ${path}, of shape [${shape.join(',')}]`);
  }
  // A vector node's slices are scalar nodes, as a number array's are numbers (and a number leaf of x
  // is a Scalar): f written for scalars then runs alike at top level and inside a transform, where a
  // 0-d tensor from take would be refused as grad's output and as a point for a number direction.
  if (value instanceof Tensor) return { path, size: shape[a], node: true, at: (i) => (shape.length === 1 ? at(value, i) : take(value, i, a)) };
  const numbers = leafNumbers(value);
  return { path, size: shape[a], node: false, at: (i) => sliceNumbers(numbers, shape, a, i) };
}

/** Slice i along axis a of row-major numbers of the given shape: a number, or nested number arrays. */
function sliceNumbers(numbers: ArrayLike<number>, shape: readonly number[], a: number, i: number): unknown {
  const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const outer = shape.slice(0, a).reduce((p, d) => p * d, 1);
  const flat: number[] = [];
  for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) flat.push(numbers[(o * shape[a] + i) * inner + j]);
  const rest = [...shape.slice(0, a), ...shape.slice(a + 1)];
  if (rest.length === 0) return flat[0];
  const nest = (at: number, depth: number): unknown =>
    depth === rest.length - 1
      ? flat.slice(at, at + rest[depth])
      : Array.from({ length: rest[depth] }, (_, r) => nest(at + r * rest.slice(depth + 1).reduce((p, d) => p * d, 1), depth + 1));
  return nest(0, 0);
}

/** The B results at one leaf position (`path` in f's result), joined along `axis`: a Tensor if any is a node, else numbers. */
function stackLeaf(values: readonly Leaf['value'][], axis: number, path: string): Tensor | Float64Array {
  const node = values.find(isNode);
  if (node !== undefined) {
    const shape = node instanceof Tensor ? node.shape : [];
    // assertSameStructure lets a node of rank ≤ 1 match any shape of as many numbers (a flat
    // direction); stacked, nodes must agree exactly, and the error names f's results, not stack's.
    const first = values.indexOf(node);
    const other = values.findIndex((v) => isNode(v) && v instanceof Tensor && (v.shape.length !== shape.length || v.shape.some((d, i) => d !== shape[i])));
    if (other >= 0) {
      throw new StructureError(
        `f's result${path} for index ${other} has shape [${(values[other] as Tensor).shape.join(',')}] but for index ${first} has shape [${shape.join(',')}]`,
      );
    }
    if (axis < -shape.length - 1 || axis > shape.length) {
      throw new ArgumentError(`vmap: outAxes ${axis} is out of range for a result of shape [${shape.join(',')}]`);
    }
    // A number among nodes is a constant (f returned one for some index): made on the current tape,
    // the one the nodes are on inside a transform.
    const nodes = values.map((v) => (isNode(v) ? v : typeof v === 'number' ? scalar(v) : tensor(leafNumbers(v), shape)));
    return stack(nodes, axis);
  }
  const shape = typeof values[0] === 'number' ? [] : (nestedShape(values[0]) ?? [(values[0] as ArrayLike<number>).length]);
  const a = axis < 0 ? axis + shape.length + 1 : axis;
  if (a < 0 || a > shape.length) {
    throw new ArgumentError(`vmap: outAxes ${axis} is out of range for a result of shape [${shape.join(',')}]`);
  }
  const B = values.length;
  const inner = shape.slice(a).reduce((p, d) => p * d, 1);
  const outer = shape.slice(0, a).reduce((p, d) => p * d, 1);
  const out = new Float64Array(B * inner * outer);
  values.forEach((v, b) => {
    const numbers = leafNumbers(v);
    for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) out[(o * B + b) * inner + j] = numbers[o * inner + j];
  });
  return out;
}
