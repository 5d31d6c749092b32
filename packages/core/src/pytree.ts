/**
 * Pytrees: the shapes `x` and `v` may take. A leaf is a number (a scalar) or a Float64Array /
 * number[] (a vector); an inner node is a plain object (keys in insertion order) or an array of
 * pytrees. Flattening visits leaves in that order, array elements in index order.
 * @module
 */
import { FiniteError, StructureError } from './errors.js';
import { Scalar, Tensor, type Node } from './node.js';

/**
 * A parameter structure: numbers, vectors (Float64Array or number[]), and plain objects or arrays of
 * them, nested. Typed loosely (any object) so that users' own interfaces qualify; the structure is
 * checked when a transform is called, with a {@link StructureError} naming the offending path.
 */
export type Pytree = number | Float64Array | readonly number[] | readonly unknown[] | object;

/** A leaf's place in its tree, for messages: `x.w1`, `x.layers[2].b`. */
export interface Leaf {
  readonly path: string;
  /** A node only inside another transform's function, where nested transforms take nodes as x and v. */
  readonly value: number | Float64Array | readonly number[] | Node;
}

function isNodeLeaf(x: unknown): x is Node {
  return x instanceof Scalar || x instanceof Tensor;
}

function isVectorLeaf(x: unknown): x is Float64Array | readonly number[] {
  if (x instanceof Float64Array) return true;
  if (!Array.isArray(x)) return false;
  // An index loop, not every(): every() skips holes, and [1, , 3] must not become [1, NaN, 3].
  for (let k = 0; k < x.length; k++) if (typeof x[k] !== 'number') return false;
  return true;
}

/** The leaves of a tree in flatten order, with their paths. */
export function leavesOf(x: Pytree, root = 'x'): Leaf[] {
  const out: Leaf[] = [];
  const visit = (node: unknown, path: string): void => {
    if (typeof node === 'number' || isVectorLeaf(node) || isNodeLeaf(node)) {
      out.push({ path, value: node });
    } else if (Array.isArray(node)) {
      // Index loops here and below: forEach and map skip holes, which must be reported instead.
      for (let k = 0; k < node.length; k++) visit(node[k], `${path}[${k}]`);
    } else if (node !== null && typeof node === 'object' && Object.getPrototypeOf(node) === Object.prototype) {
      for (const key of Object.keys(node)) visit((node as Record<string, unknown>)[key], `${path}.${key}`);
    } else {
      throw new StructureError(
        `${path} is ${describe(node)}; expected a number, a Float64Array or number[], or a plain object or array of those`,
      );
    }
  };
  visit(x, root);
  return out;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name} (only Float64Array is accepted: float64 throughout)`;
  if (typeof x === 'object') return `an object of class ${x.constructor?.name ?? 'unknown'}`;
  return `a ${typeof x}`;
}

function leafLength(value: Leaf['value']): number {
  if (isNodeLeaf(value)) throw new StructureError('a node cannot be flattened into numbers; read its .value inside f');
  return typeof value === 'number' ? 1 : value.length;
}

/**
 * All numbers of a pytree in one vector (object keys in insertion order, arrays in index order).
 * @example `flatten({ w: [1, 2], b: 3 })` → Float64Array [1, 2, 3]
 */
export function flatten(x: Pytree): Float64Array {
  const leaves = leavesOf(x);
  const flat = new Float64Array(leaves.reduce((n, l) => n + leafLength(l.value), 0));
  let at = 0;
  for (const { value } of leaves) {
    if (isNodeLeaf(value)) continue; // leafLength has thrown already
    if (typeof value === 'number') flat[at++] = value;
    else for (let k = 0; k < value.length; k++) flat[at++] = value[k];
  }
  return flat;
}

/**
 * The tree a pytree maps to once its leaves are numbers and Float64Arrays — or, for leaves that are
 * nodes (x given to a transform nested in another), nodes of the enclosing transform.
 */
export type ValueTree<T> = [T] extends [number]
  ? number
  : [T] extends [Float64Array | readonly number[]]
    ? Float64Array
    : [T] extends [Scalar]
      ? Scalar
      : [T] extends [Tensor]
        ? Tensor
        : { -readonly [K in keyof T]: ValueTree<T[K]> };

/**
 * The inverse of {@link flatten}: a tree shaped like `like` holding the numbers of `flat`.
 * @example `unflatten({ w: [0, 0], b: 0 }, Float64Array.of(1, 2, 3))` → `{ w: Float64Array [1, 2], b: 3 }`
 */
export function unflatten<T extends Pytree>(like: T, flat: ArrayLike<number>): ValueTree<T> {
  const total = leavesOf(like).reduce((n, l) => n + leafLength(l.value), 0);
  if (flat.length !== total) {
    throw new StructureError(`unflatten: the vector has length ${flat.length} but the structure holds ${total} numbers`);
  }
  let at = 0;
  return mapLeaves(like, (value) => {
    if (isNodeLeaf(value)) throw new StructureError('unflatten: the structure holds a node; give it numbers and vectors');
    if (typeof value === 'number') return flat[at++];
    const out = new Float64Array(value.length);
    for (let k = 0; k < out.length; k++) out[k] = flat[at++];
    return out;
  }) as ValueTree<T>;
}

/** Rebuilds a tree with each leaf replaced by `fn(leaf, path)`. */
export function mapLeaves(x: Pytree, fn: (value: Leaf['value'], path: string) => unknown, root = 'x'): unknown {
  const visit = (node: unknown, path: string): unknown => {
    if (typeof node === 'number' || isVectorLeaf(node) || isNodeLeaf(node)) return fn(node, path);
    if (Array.isArray(node)) return Array.from({ length: node.length }, (_, k) => visit(node[k], `${path}[${k}]`));
    if (node !== null && typeof node === 'object' && Object.getPrototypeOf(node) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(node)) out[key] = visit((node as Record<string, unknown>)[key], `${path}.${key}`);
      return out;
    }
    throw new StructureError(`${path} is ${describe(node)}; expected a number, a vector, or a plain object or array of those`);
  };
  return visit(x, root);
}

/** Throws {@link StructureError} unless `v` has exactly the leaves (paths and lengths) of `x`. */
export function assertSameStructure(x: Pytree, v: Pytree, what: string): void {
  const xs = leavesOf(x, '');
  const vs = leavesOf(v, '');
  const kind = (l: Leaf) => leafKind(l.value);
  for (let k = 0; k < Math.max(xs.length, vs.length); k++) {
    const a = xs[k];
    const b = vs[k];
    if (!a || !b || a.path !== b.path) {
      const list = (ls: Leaf[], root: string) => ls.map((l) => root + l.path).join(', ');
      throw new StructureError(`${what} must have the structure of x: x has leaves [${list(xs, 'x')}] but ${what} has [${list(vs, what)}]`);
    }
    if (kind(a) !== kind(b)) throw new StructureError(`${what}${b.path} is ${kind(b)} but x${a.path} is ${kind(a)}`);
  }
}

/** 'a number' or 'a vector of length n' (a scalar node counts as a number, a tensor node as its vector). */
function leafKind(value: Leaf['value']): string {
  if (value instanceof Scalar || typeof value === 'number') return 'a number';
  return `a vector of length ${value instanceof Tensor ? value.size : value.length}`;
}

/** Throws {@link FiniteError} naming the first NaN or ±Infinity in the tree. */
export function assertFiniteTree(x: Pytree, root: string): void {
  for (const { path, value: leaf } of leavesOf(x, root)) {
    const value = leaf instanceof Scalar ? leaf.value : leaf instanceof Tensor ? leaf.value : leaf;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new FiniteError(`${path} is ${value}; checkFinite forbids non-finite inputs`);
    } else {
      for (let k = 0; k < value.length; k++) {
        if (!Number.isFinite(value[k])) throw new FiniteError(`${path}[${k}] is ${value[k]}; checkFinite forbids non-finite inputs`);
      }
    }
  }
}
