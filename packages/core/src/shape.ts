/**
 * Shapes: sizes, NumPy broadcasting, and the index maps that let one loop serve every broadcast.
 * @module
 */
import { ArgumentError, ShapeError } from './errors.js';
import { shown } from './shown.js';

/**
 * A tensor shape: row-major dimensions; `[]` is a 0-d (single-element) tensor.
 *
 * @example
 * ```ts
 * const s: Shape = tensor(new Float64Array(6), [2, 3]).shape; // [2, 3]
 * ```
 */
export type Shape = readonly number[];

/** Number of elements of a shape. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The most elements a tensor holds: the index maps of gathers and broadcasts are Int32Arrays. */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * The size of an op's result shape, or an ArgumentError when no tensor can hold it (it would be an
 * engine RangeError from the typed-array constructor, or the process running out of memory).
 */
export function checkedSize(shape: Shape, opName: string, hint = 'check the sizes, counts or widths passed'): number {
  const n = sizeOf(shape);
  if (!(n <= MAX_ELEMENTS)) {
    throw new ArgumentError(
      `${opName}: the result would have ${n} elements (shape ${formatShape(shape)}), more than the 2³¹ − 1 a tensor can hold; ${hint}`,
    );
  }
  return n;
}

/** `[2,3]` for messages. */
/** The most axes a tensor may have (NumPy's limit): more is a ShapeError, never minutes of index work. */
export const MAX_RANK = 64;

/** `shape` if it has at most {@link MAX_RANK} axes, else a ShapeError naming `opName`. */
export function checkRank(shape: Shape, opName: string): Shape {
  if (shape.length > MAX_RANK) {
    throw new ShapeError(`${opName}: a shape of ${shape.length} axes; a tensor has at most ${MAX_RANK}`);
  }
  return shape;
}

export function formatShape(shape: Shape): string {
  // Entries are numbers, but a caller's shape may hold anything (a node, where join would convert it).
  return `[${shape.map((d) => (typeof d === 'number' ? String(d) : shown(d))).join(',')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting: align trailing dimensions; each pair must be equal or contain a 1. */
export function broadcastShapes(a: Shape, b: Shape, opName: string): Shape {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let k = 1; k <= rank; k++) {
    const da = a.length - k >= 0 ? a[a.length - k] : 1;
    const db = b.length - k >= 0 ? b[b.length - k] : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${opName}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`);
    }
    out[rank - k] = da === 1 ? db : da;
  }
  checkedSize(out, opName);
  return out;
}

/**
 * The length P of `from` when broadcasting it to `to` repeats it whole along leading axes (a bias
 * [H] or [1, H] against [N, H]: element k of the result is element k mod P), else −1. Assumes the
 * shapes broadcast.
 *
 * @example
 * ```ts
 * tilePeriod([3], [2, 3]);    // 3
 * tilePeriod([2, 1], [2, 3]); // −1: each element repeats along the last axis instead
 * ```
 */
export function tilePeriod(from: Shape, to: Shape): number {
  let lead = 0;
  while (lead < from.length && from[lead] === 1) lead++;
  const offset = to.length - from.length;
  let p = 1;
  for (let k = lead; k < from.length; k++) {
    if (from[k] !== to[k + offset]) return -1;
    p *= from[k];
  }
  return p;
}

/**
 * For every element of `outShape`, the index of the element of `inShape` that broadcasts to it.
 * Returns null when no map is needed (same shape). The backward rules reuse the same map with `+=`,
 * which is exactly the sum over broadcast dimensions that the adjoint needs.
 */
export function broadcastMap(inShape: Shape, outShape: Shape): Int32Array | null {
  if (sameShape(inShape, outShape)) return null;
  const rank = outShape.length;
  const offset = rank - inShape.length;
  // Strides of the input seen through the output's dimensions (0 where the input is broadcast).
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let k = inShape.length - 1; k >= 0; k--) {
    strides[k + offset] = inShape[k] === 1 ? 0 : stride;
    stride *= inShape[k];
  }
  const total = sizeOf(outShape);
  const map = new Int32Array(total);
  const counter = new Array<number>(rank).fill(0);
  let index = 0;
  for (let e = 0; e < total; e++) {
    map[e] = index;
    // Odometer increment over the output's dimensions, last fastest.
    for (let k = rank - 1; k >= 0; k--) {
      counter[k]++;
      index += strides[k];
      if (counter[k] < outShape[k]) break;
      index -= strides[k] * counter[k];
      counter[k] = 0;
    }
  }
  return map;
}

/**
 * An integer list a caller gave (a shape, axes, a permutation, counts, indices, a window): a plain
 * array, or any typed array (`Int32Array`, `Uint8Array`, a `Float64Array` of integers, …), as a plain
 * array whose elements the caller still checks one by one (a non-integer is refused there, whatever
 * held it); null for anything else. Every op reads its integer lists through this or
 * `ops/op-args.ts`'s `integerList`, which agree (docs/conventions.md, "Integer arguments").
 */
export function listOf(v: unknown): unknown[] | null {
  if (Array.isArray(v)) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<unknown>);
  return null;
}

/** Normalizes a possibly negative axis against a rank, or throws naming the op and the shape. */
export function normalizeAxis(axis: number, shape: Shape, opName: string): number {
  const rank = shape.length;
  // The type is checked before any comparison: `axis < 0` throws a TypeError on a Symbol.
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ArgumentError(`${opName}: axis ${shown(axis)} is out of range for shape ${formatShape(shape)}; an axis is an integer in [${-rank}, ${rank})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Normalizes an axis or a list of axes (negative ones count from the end) into sorted, distinct axes,
 * or throws naming the op and the shape.
 */
export function normalizeAxes(axis: number | readonly number[], shape: Shape, opName: string): number[] {
  const list = (typeof axis === 'number' ? [axis] : listOf(axis)) as number[] | null;
  if (list === null) throw new ArgumentError(`${opName}: axis must be a number or an array of numbers, got ${shown(axis)}`);
  const axes = list.map((a) => normalizeAxis(a, shape, opName));
  if (new Set(axes).size !== axes.length) {
    throw new ArgumentError(`${opName}: axis ${shown(axis)} names an axis twice`);
  }
  return axes.sort((a, b) => a - b);
}
