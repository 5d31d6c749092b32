/**
 * Outputs that are pytrees (JAX's tuple and dict outputs) for jvp, vjp and linearize: f's tree of
 * nodes is recorded as one flat vector node (its leaves' elements in flatten order, joined with
 * `concat`), the transform works on that vector, and its results are cut back into the tree.
 * @module
 */
import { OutputError, StructureError } from './errors.js';
import { Scalar, Tensor, isNode, tensor, type Node } from './node.js';
import { concat } from './ops/concat.js';
import { stack } from './ops/stack.js';
import { isNumberLeaf, isPlainObject, isVectorLeaf, leafNumbers, leafSize, leavesOf, mapLeaves, nestedShape, type Leaf, type Pytree } from './pytree.js';
import { describeValue } from './options.js';
import { checkLive } from './tape.js';

/** A leaf of the output tree: where its elements sit in the flat vector, and its shape (null: a scalar). */
interface Piece {
  readonly path: string;
  readonly offset: number;
  readonly size: number;
  readonly shape: readonly number[] | null;
}

/** The output tree's structure, with a placeholder at each leaf, and its leaves' pieces. */
export interface OutputTree {
  readonly skeleton: Pytree;
  readonly pieces: readonly Piece[];
  readonly size: number;
}

/** Stands for a leaf in the skeleton: a vector leaf, so a list of them is never read as one vector. */
const PLACEHOLDER = new Float64Array(0);

/** Whether f's result is a tree to flatten (a list or a plain object), not a node, a number or a mistake. */
function isTree(out: unknown): boolean {
  return Array.isArray(out) || isPlainObject(out);
}

/**
 * f with a tree output recorded as one vector node; `tree()` is the last call's tree (null when f
 * returned a node or a number, which go on unchanged).
 */
export function treeOutputs<X>(name: string, f: (x: X) => unknown): { call: (x: X) => unknown; tree: () => OutputTree | null } {
  let last: OutputTree | null = null;
  const call = (x: X): unknown => {
    const out = f(x);
    last = null;
    if (!isTree(out)) return out;
    let leaves: Leaf[];
    try {
      leaves = leavesOf(out as Pytree, 'output');
    } catch (error) {
      if (error instanceof StructureError) throw new OutputError(`${name}: f returned a tree of outputs, but ${error.message}`);
      throw error;
    }
    if (leaves.length === 0) throw new OutputError(`${name}: f returned ${describeValue(out)}, a tree with no nodes or numbers in it`);
    const pieces: Piece[] = [];
    const parts: Tensor[] = [];
    let offset = 0;
    for (const { path, value } of leaves) {
      if (isNode(value)) checkLive(value.tape, `${name}: f's ${path}`);
      const part = flatPart(value);
      const shape = value instanceof Tensor ? value.shape : value instanceof Scalar || typeof value === 'number' ? null : nestedShape(value) ?? [part.size];
      pieces.push({ path, offset, size: part.size, shape });
      parts.push(part);
      offset += part.size;
    }
    last = { skeleton: mapLeaves(out as Pytree, () => PLACEHOLDER, 'output') as Pytree, pieces, size: offset };
    return concat(parts);
  };
  return { call, tree: () => last };
}

/** A leaf as a piece of the flat vector: a 1-D node of its elements (numbers become a constant). */
function flatPart(value: Leaf['value']): Tensor {
  if (value instanceof Scalar) return stack([value]);
  if (value instanceof Tensor) return value.reshape([value.size]);
  return tensor(typeof value === 'number' ? Float64Array.of(value) : Float64Array.from(leafNumbers(value)));
}

/** A flat result (the vector's numbers, or its node when nested) cut into the output tree's leaves. */
export function intoTree(tree: OutputTree, flat: number | Float64Array | Node): unknown {
  let k = 0;
  return mapLeaves(tree.skeleton, () => {
    const { offset, size, shape } = tree.pieces[k++];
    if (flat instanceof Tensor) return shape === null ? flat.at(offset) : flat.slice(offset, offset + size).reshape(shape);
    const numbers = flat as Float64Array;
    return shape === null ? numbers[offset] : numbers.slice(offset, offset + size);
  }, 'output');
}

/** J's rows (m × n row-major numbers, or a Tensor of m·n when nested) cut into the output tree: each leaf its rows. */
export function rowsIntoTree(tree: OutputTree, J: Float64Array | Tensor): unknown {
  const n = tree.size === 0 ? 0 : (J instanceof Tensor ? J.size : J.length) / tree.size;
  let k = 0;
  return mapLeaves(tree.skeleton, () => {
    const { offset, size } = tree.pieces[k++];
    return (J as { slice(start: number, end: number): Float64Array | Tensor }).slice(offset * n, (offset + size) * n);
  }, 'output');
}

/**
 * A cotangent u shaped like the output tree, as the flat vector's: numbers into one Float64Array, or
 * nodes (inside a transform) joined with `concat`. u is walked along the output's structure: object
 * keys matched by name, a leaf given as numbers in its shape or flat, and a list of scalar outputs
 * given as a list of numbers.
 */
export function fromTree(name: string, tree: OutputTree, u: unknown): Float64Array | Tensor {
  const expected = tree.pieces.map((p) => `${p.path.replace(/^output/, 'u')}: ${p.shape === null ? 'a number' : `${p.size} numbers`}`).join(', ');
  const fail = (path: string, why: string): never => {
    throw new StructureError(`${name}: u must have the structure of f's output (${expected}); ${path} ${why}`);
  };
  const given: unknown[] = [];
  let k = 0;
  const visit = (skeleton: unknown, v: unknown, path: string): void => {
    if (skeleton === PLACEHOLDER) {
      const piece = tree.pieces[k++];
      const size = isNode(v) || typeof v === 'number' || isNumberLeaf(v) ? leafSize(v) : -1;
      if (size < 0) fail(path, `is ${describeValue(v)}, not numbers`);
      if (size !== piece.size) fail(path, `has ${size} number${size === 1 ? '' : 's'}, where the output has ${piece.size}`);
      given.push(v);
      return;
    }
    if (Array.isArray(skeleton)) {
      const scalars = skeleton.every((c, i) => c === PLACEHOLDER && tree.pieces[k + i].shape === null);
      if (scalars && isVectorLeaf(v) && v.length === skeleton.length) {
        for (let i = 0; i < v.length; i++) given.push(v[i]);
        k += v.length;
        return;
      }
      if (!Array.isArray(v) || v.length !== skeleton.length) fail(path, `is ${describeValue(v)}, where the output has a list of ${skeleton.length}`);
      skeleton.forEach((c, i) => visit(c, (v as unknown[])[i], `${path}[${i}]`));
      return;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v) || isNode(v) || ArrayBuffer.isView(v)) fail(path, `is ${describeValue(v)}, where the output has an object`);
    const record = v as Record<string, unknown>;
    // Own keys only: an inherited name (toString, __proto__) is neither in the output nor missing from u.
    const extra = Object.keys(record).find((key) => !Object.hasOwn(skeleton as object, key));
    if (extra !== undefined) fail(`${path}.${extra}`, 'is not in the output');
    for (const key of Object.keys(skeleton as object)) {
      if (!Object.hasOwn(record, key)) fail(`${path}.${key}`, 'is missing');
      visit((skeleton as Record<string, unknown>)[key], record[key], `${path}.${key}`);
    }
  };
  visit(tree.skeleton, u, 'u');
  // A node made outside any transform (tensor([1, 1])) is its numbers, as a direction's is.
  given.forEach((v, j) => {
    if (isNode(v) && v.tape.eager) given[j] = v.value;
  });
  if (given.some((v) => isNode(v))) {
    return concat(given.map((v) => flatPart(v as Leaf['value'])));
  }
  const flat = new Float64Array(tree.size);
  given.forEach((v, j) => {
    if (typeof v === 'number') flat[tree.pieces[j].offset] = v;
    else flat.set(leafNumbers(v as never), tree.pieces[j].offset);
  });
  return flat;
}
