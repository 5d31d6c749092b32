/**
 * Pytrees: the shapes `x` and `v` may take. A leaf is a number (a scalar), a Float64Array /
 * number[] (a vector) or rectangular nested number arrays (a matrix or higher-rank tensor, read as
 * `tensor` reads them: `[[]]` is 1×0); an inner node is a plain object (keys in insertion order) or an
 * array of pytrees, ragged nested arrays included. Flattening visits leaves in that order, array
 * elements in index order.
 * @module
 */
import { FiniteError, StructureError } from './errors.js';
import { describeValue } from './options.js';
import { Scalar, Tensor, type Node } from './node.js';
import { MAX_RANK } from './shape.js';
import { noExtraArguments } from './arity.js';

/**
 * A parameter structure: numbers, vectors (Float64Array or number[]), and plain objects or arrays of
 * them, nested. Typed loosely (any object) so that users' own interfaces qualify; the structure is
 * checked when a transform is called, with a {@link StructureError} naming the offending path.
 *
 * @example
 * ```ts
 * const params: Pytree = { w1: [[0.1, 0.2], [0.3, 0.4]], b1: [0, 0], scale: 1 };
 * flatten(params).length; // 7
 * ```
 */
export type Pytree = number | Float64Array | readonly number[] | readonly unknown[] | object;

/** A leaf's place in its tree, for messages: `x.w1`, `x.layers[2].b`. */
export interface Leaf {
  readonly path: string;
  /**
   * A number, a vector (Float64Array or number[]), a matrix or higher-rank array given as nested
   * number arrays, or — inside another transform's function, where nested transforms take nodes as x
   * and v — a node.
   */
  readonly value: number | Float64Array | readonly number[] | NestedNumbers | Node;
}

/**
 * Nested number arrays of rank ≥ 2 (rectangular): a matrix `[[1, 2], [3, 4]]`, and so on.
 *
 * @example
 * ```ts
 * const m: NestedNumbers = [[1, 2], [3, 4]];
 * flatten(m); // [1, 2, 3, 4]
 * ```
 */
export type NestedNumbers = readonly (readonly number[])[] | readonly (readonly (readonly number[])[])[];

function isNodeLeaf(x: unknown): x is Node {
  return x instanceof Scalar || x instanceof Tensor;
}

export function isVectorLeaf(x: unknown): x is Float64Array | readonly number[] {
  if (x instanceof Float64Array) return true;
  if (!Array.isArray(x)) return false;
  // An index loop, not every(): every() skips holes, and [1, , 3] must not become [1, NaN, 3].
  for (let k = 0; k < x.length; k++) if (typeof x[k] !== 'number') return false;
  return true;
}

/** A leaf of numbers with elements: a vector (Float64Array, number[]) or a rectangular nested number array. */
export function isNumberLeaf(x: unknown): x is Float64Array | readonly number[] | NestedNumbers {
  return isVectorLeaf(x) || nestedShape(x) !== null;
}

/** A plain object or a dictionary made by Object.create(null): a pytree node, not a leaf or a class instance. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(x));
}

/**
 * The shape of a rectangular nested number array of rank ≥ 2 (a matrix leaf), or null. An empty
 * innermost array ends the shape with 0, as `tensor` reads it: `[[]]` is a 1×0 matrix leaf and
 * `[[], []]` a 2×0 one, not lists of empty vectors (a ragged `[[1], []]` stays a list of vectors).
 */
export function nestedShape(x: unknown): number[] | null {
  if (!Array.isArray(x) || x.length === 0 || !Array.isArray(x[0])) return null;
  const shape: number[] = [];
  for (let level: unknown = x; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    // Deeper than any tensor (or an array that contains itself): not a matrix leaf; the walk then
    // reports it as too deep or cyclic.
    if (shape.length > MAX_RANK) return null;
    // An empty array holds no element to show deeper levels: its axis is the last (NumPy's reading).
    if (level.length === 0) break;
  }
  const check = (node: unknown, depth: number): boolean => {
    if (depth === shape.length) return typeof node === 'number';
    if (!Array.isArray(node) || node.length !== shape[depth]) return false;
    for (let k = 0; k < node.length; k++) if (!check(node[k], depth + 1)) return false;
    return true;
  };
  return check(x, 0) ? shape : null;
}

/** Nested number arrays flattened row-major. */
function flatNested(x: NestedNumbers): number[] {
  return (x as readonly unknown[]).flat(Infinity) as number[];
}

/** The number of numbers in a leaf (a node has to be read with .value first). */
export function leafSize(value: Leaf['value']): number {
  if (isNodeLeaf(value)) return value instanceof Scalar ? 1 : value.size;
  if (typeof value === 'number') return 1;
  const shape = nestedShape(value);
  return shape ? shape.reduce((p, d) => p * d, 1) : (value as ArrayLike<number>).length;
}

/** How deep a pytree may nest before it is refused (deeper is almost surely a mistake or a cycle). */
const MAX_DEPTH = 200;

/**
 * Visits the leaves of a tree in flatten order. Refuses cycles and absurd depth with a
 * {@link StructureError} naming the path, instead of a stack overflow.
 */
function walk(x: unknown, root: string, leaf: (value: Leaf['value'], path: string) => unknown): unknown {
  const open = new Set<unknown>();
  const visit = (node: unknown, path: string, depth: number): unknown => {
    if (typeof node === 'number' || isVectorLeaf(node) || isNodeLeaf(node) || nestedShape(node)) {
      return leaf(node as Leaf['value'], path);
    }
    // A dictionary made by Object.create(null) is as plain as a literal.
    if (!Array.isArray(node) && !isPlainObject(node)) {
      throw new StructureError(
        `${path} is ${describe(node)}; expected a number, a Float64Array or number[] (or nested number arrays), or a plain object or array of those`,
      );
    }
    if (open.has(node)) throw new StructureError(`${path} refers back to an enclosing part of ${root}: a pytree cannot contain a cycle`);
    if (depth >= MAX_DEPTH) throw new StructureError(`${path}: ${root} nests deeper than ${MAX_DEPTH} levels; flatten the structure`);
    open.add(node);
    let out: unknown;
    if (Array.isArray(node)) {
      // Index loops here: forEach and map skip holes, which must be reported instead.
      const list = new Array<unknown>(node.length);
      for (let k = 0; k < node.length; k++) list[k] = visit(node[k], `${path}[${k}]`, depth + 1);
      out = list;
    } else {
      const record: Record<string, unknown> = {};
      for (const key of Object.keys(node as object)) record[key] = visit((node as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
      out = record;
    }
    open.delete(node);
    return out;
  };
  return visit(x, root, 0);
}

/** The leaves of a tree in flatten order, with their paths. */
export function leavesOf(x: Pytree, root = 'x'): Leaf[] {
  const out: Leaf[] = [];
  walk(x, root, (value, path) => out.push({ path, value }));
  return out;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name} (only Float64Array is accepted: float64 throughout)`;
  if (typeof x === 'object') return `an object of class ${x.constructor?.name ?? 'unknown'}`;
  return `a ${typeof x}`;
}

/** Why a node cannot be a leaf of numbers, and what to pass instead. */
function nodeLeafError(node: Leaf['value']): StructureError {
  if ((node as Node).tape.eager) {
    return new StructureError(
      'a node cannot be flattened into numbers: this one was made outside any transform (tensor(…), zeros(…), …); pass its numbers, node.value, instead',
    );
  }
  return new StructureError('a node cannot be flattened into numbers; read its .value inside f');
}

function leafLength(value: Leaf['value']): number {
  if (isNodeLeaf(value)) throw nodeLeafError(value);
  return leafSize(value);
}

/** A leaf's numbers in row-major order (not for nodes). */
export function leafNumbers(value: Leaf['value']): ArrayLike<number> {
  if (typeof value === 'number') return [value];
  if (isNodeLeaf(value)) throw nodeLeafError(value);
  return nestedShape(value) ? flatNested(value as NestedNumbers) : (value as ArrayLike<number>);
}

/**
 * All numbers of a pytree in one vector (object keys in insertion order, arrays in index order).
 *
 * @example
 * ```ts
 * flatten({ w: [1, 2], b: 3 }); // Float64Array [1, 2, 3]
 * ```
 */
export function flatten(x: Pytree): Float64Array {
  noExtraArguments('flatten', arguments, 1, 'flatten(x)');
  const leaves = leavesOf(x);
  const flat = new Float64Array(leaves.reduce((n, l) => n + leafLength(l.value), 0));
  let at = 0;
  for (const { value } of leaves) {
    const numbers = leafNumbers(value);
    // A block copy for typed arrays: an element loop over mixed leaf kinds runs several times slower.
    if (numbers instanceof Float64Array) {
      flat.set(numbers, at);
      at += numbers.length;
    } else for (let k = 0; k < numbers.length; k++) flat[at++] = numbers[k];
  }
  return flat;
}

/**
 * The tree a pytree maps to once its leaves are numbers and Float64Arrays — or, for leaves that are
 * nodes (x given to a transform nested in another), nodes of the enclosing transform.
 *
 * @example
 * ```ts
 * const g: ValueTree<{ w: number[]; b: number }> = grad((p: { w: Tensor; b: Scalar }) => p.w.sum().mul(p.b))({ w: [1, 2], b: 3 });
 * g.w; // [3, 3]
 * ```
 */
export type ValueTree<T> = [T] extends [number]
  ? number
  : [T] extends [Float64Array | readonly number[] | NestedNumbers]
    ? Float64Array
    : [T] extends [Scalar]
      ? Scalar
      : [T] extends [Tensor]
        ? Tensor
        : { -readonly [K in keyof T]: ValueTree<T[K]> };

/**
 * The inverse of {@link flatten}: a tree shaped like `like` holding the numbers of `flat`.
 *
 * @example
 * ```ts
 * unflatten({ w: [0, 0], b: 0 }, [1, 2, 3]); // { w: Float64Array [1, 2], b: 3 }
 * ```
 */
export function unflatten<T extends Pytree>(like: T, flat: ArrayLike<number>): ValueTree<T> {
  noExtraArguments('unflatten', arguments, 2, 'unflatten(like, flat)');
  checkFlatVector(flat);
  const total = leavesOf(like).reduce((n, l) => n + leafLength(l.value), 0);
  if (flat.length !== total) {
    throw new StructureError(`unflatten: the vector has length ${flat.length} but the structure holds ${total} numbers`);
  }
  let at = 0;
  return mapLeaves(like, (value) => {
    if (isNodeLeaf(value)) throw new StructureError('unflatten: the structure holds a node; give it numbers and vectors');
    if (typeof value === 'number') return flat[at++];
    const size = leafSize(value);
    let out: Float64Array;
    if (flat instanceof Float64Array) out = flat.slice(at, at + size);
    else {
      out = new Float64Array(size);
      for (let k = 0; k < size; k++) out[k] = flat[at + k];
    }
    at += size;
    return out;
  }) as ValueTree<T>;
}

/**
 * Like {@link unflatten}, but each leaf in `like`'s own form: a matrix given as nested arrays comes
 * back as nested arrays of its shape, not flat. For calling f again at a moved point (a compiled
 * program recording afresh, checkGrads' differences), where f must see the matrix it was given.
 * @internal
 */
export function unflattenShaped<T extends Pytree>(like: T, flat: ArrayLike<number>): T {
  let at = 0;
  return mapLeaves(like, (value) => {
    if (typeof value === 'number') return flat[at++];
    const shape = nestedShape(value);
    const size = leafSize(value);
    const numbers = Float64Array.from({ length: size }, (_, k) => flat[at + k]);
    at += size;
    return shape ? nest(numbers, shape) : numbers;
  }) as T;
}

/** `numbers` (row-major) as nested arrays of `shape` (rank ≥ 2). */
function nest(numbers: Float64Array, shape: readonly number[]): unknown[] {
  const build = (depth: number, offset: number): unknown[] => {
    const stride = shape.slice(depth + 1).reduce((p, d) => p * d, 1);
    return Array.from({ length: shape[depth] }, (_, k) =>
      depth === shape.length - 2 ? Array.from(numbers.subarray(offset + k * stride, offset + (k + 1) * stride)) : build(depth + 1, offset + k * stride));
  };
  return build(0, 0);
}

/**
 * unflatten's vector: a typed array of numbers, or an array of numbers (a string or a missing entry
 * would land in a leaf as it is, or as NaN).
 */
function checkFlatVector(flat: unknown): void {
  if (Array.isArray(flat)) {
    for (let k = 0; k < flat.length; k++) {
      if (typeof flat[k] !== 'number') throw new StructureError(`unflatten: the vector's entry ${k} is ${describeValue(flat[k])}; expected a number`);
    }
    return;
  }
  const numbers = ArrayBuffer.isView(flat) && !(flat instanceof DataView) && !(flat instanceof BigInt64Array) && !(flat instanceof BigUint64Array);
  if (!numbers) throw new StructureError(`unflatten: the vector must be a Float64Array or an array of numbers, got ${describeValue(flat)}`);
}

/**
 * A tree with x's structure that later changes to x cannot alter: its objects, lists and number
 * arrays (number[], nested) are copied; Float64Arrays, whose length cannot change, and nodes are
 * shared. What keeps a point's structure past the call that gave it (compile's x0, an operator's x),
 * so that a caller who grows, shrinks or reshapes that object gets a StructureError, not the old shape.
 */
export function structureCopy<T extends Pytree>(x: T, root = 'x'): T {
  const copy = (v: unknown): unknown => (Array.isArray(v) ? v.map(copy) : v);
  return walk(x, root, (value) => copy(value)) as T;
}

/**
 * Whether v is plainly x again — the same objects' keys in the same order, lists of the same lengths,
 * numbers where x has numbers, Float64Arrays of the same lengths — found without building paths, for
 * a call that takes a point per call (compile's). False sends the caller to
 * {@link assertSameStructure}, which accepts what this does not (a leaf flat, a node) or says what
 * differs.
 */
export function plainlySameStructure(x: unknown, v: unknown, depth = 0): boolean {
  if (typeof x === 'number') return typeof v === 'number';
  if (x instanceof Float64Array) return v instanceof Float64Array && v.length === x.length;
  if (depth > MAX_DEPTH || x === null || typeof x !== 'object' || v === null || typeof v !== 'object') return false;
  if (Array.isArray(x)) {
    if (!Array.isArray(v) || v.length !== x.length) return false;
    for (let k = 0; k < x.length; k++) if (!plainlySameStructure(x[k], v[k], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(v) || ArrayBuffer.isView(v) || isNodeLeaf(x) || isNodeLeaf(v)) return false;
  const keys = Object.keys(x), others = Object.keys(v);
  if (keys.length !== others.length) return false;
  for (let k = 0; k < keys.length; k++) {
    if (keys[k] !== others[k] || !plainlySameStructure((x as Record<string, unknown>)[keys[k]], (v as Record<string, unknown>)[keys[k]], depth + 1)) return false;
  }
  return true;
}

/** Rebuilds a tree with each leaf replaced by `fn(leaf, path)`. */
export function mapLeaves(x: Pytree, fn: (value: Leaf['value'], path: string) => unknown, root = 'x'): unknown {
  return walk(x, root, fn);
}

/**
 * Throws {@link StructureError} unless `v` has the leaves of `x`: the same paths, each a number where
 * x's is one, else as many numbers as x's, either in x's shape or flat (a Float64Array, number[] or
 * 1-D node: results come back flat, so a gradient must serve as a direction). A leaf of rank 2 or
 * more in another shape is refused: it would be read in x's shape, silently transposed or reshaped.
 * `like` names x in messages (it is the root of x's paths, so keep it short) and `note`, if given,
 * ends each message, to say what `like` is.
 */
export function assertSameStructure(x: Pytree, v: Pytree, what: string, like = 'x', note = ''): void {
  const end = note === '' ? '' : `; ${note}`;
  const strip = (root: string) => (l: Leaf): Leaf => ({ path: l.path.slice(root.length), value: l.value });
  const xs = leavesOf(x, like).map(strip(like));
  const vs = leavesOf(v, what).map(strip(what));
  const kind = (l: Leaf) => leafKind(l.value);
  for (let k = 0; k < Math.max(xs.length, vs.length); k++) {
    const a = xs[k];
    const b = vs[k];
    if (!a || !b || a.path !== b.path) {
      const list = (ls: Leaf[], root: string) => ls.map((l) => root + l.path).join(', ');
      throw new StructureError(`${what} must have the structure of ${like}: ${like} has leaves [${list(xs, like)}] but ${what} has [${list(vs, what)}]${end}`);
    }
    // A 0-d tensor leaf takes a number (or a scalar node) as its direction, as JAX takes a scalar
    // tangent for a 0-d array.
    const zeroD = a.value instanceof Tensor && a.value.shape.length === 0 && (kind(b) === 'a number' || leafSize(b.value) === 1);
    if (kind(a) !== kind(b) && !zeroD) throw new StructureError(`${what}${b.path} is ${kind(b)} but ${like}${a.path} is ${kind(a)}${end}`);
    const shapeA = leafShape(a.value), shapeB = leafShape(b.value);
    if (shapeB.length > 1 && !sameDims(shapeA, shapeB)) {
      throw new StructureError(
        `${what}${b.path} has shape [${shapeB.join(',')}] but ${like}${a.path} has shape [${shapeA.join(',')}]; ` +
          `give it that shape, or flat (its ${leafSize(b.value)} numbers in row-major order)${end}`,
      );
    }
  }
}

/** 'a number' or 'a vector of length n' (a scalar node counts as a number, a tensor node as its vector). */
function leafKind(value: Leaf['value']): string {
  if (value instanceof Scalar || typeof value === 'number') return 'a number';
  if (value instanceof Tensor && value.shape.length === 0) return 'a 0-d tensor';
  return `a vector of length ${leafSize(value)}`;
}

/** A leaf's shape: [] for a number, [n] for a vector, a matrix's or a tensor node's own shape. */
function leafShape(value: Leaf['value']): readonly number[] {
  if (value instanceof Scalar || typeof value === 'number') return [];
  if (value instanceof Tensor) return value.shape;
  return nestedShape(value) ?? [(value as ArrayLike<number>).length];
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, k) => d === b[k]);
}

/** Throws {@link FiniteError} naming the transform `name` and the first NaN or ±Infinity in the tree. */
export function assertFiniteTree(x: Pytree, root: string, name: string): void {
  for (const { path, value: leaf } of leavesOf(x, root)) {
    const value = leaf instanceof Scalar ? leaf.value : leaf instanceof Tensor ? leaf.value : typeof leaf === 'number' ? leaf : leafNumbers(leaf);
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new FiniteError(`${name}: ${path} is ${value}; checkFinite forbids non-finite inputs`);
    } else {
      for (let k = 0; k < value.length; k++) {
        if (!Number.isFinite(value[k])) throw new FiniteError(`${name}: ${path}[${k}] is ${value[k]}; checkFinite forbids non-finite inputs`);
      }
    }
  }
}
