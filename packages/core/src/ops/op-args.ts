// Argument checks shared by the shape, indexing and reduction ops: each bad value becomes an
// ArgumentError that names the op, the value and what is accepted.
import { ArgumentError } from '../errors.js';
import { Tensor, describeValue } from '../node.js';
import { normalizeAxes, type Shape } from '../shape.js';
import { checkLive } from '../tape.js';
import { shown } from '../shown.js';

export { shown };
export { noExtraArguments } from '../arity.js';

/** x as a tensor node of a live call, or an ArgumentError naming the op. */
export function tensorArg(x: unknown, opName: string): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${opName}: expected a tensor, got ${describeValue(x)}`);
  checkLive(x.tape, opName);
  return x;
}

/** An integer argument (a count, a shift, an offset) at least `min`, or an ArgumentError naming it. */
export function integerArg(v: unknown, what: string, opName: string, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    const bound = min === -Infinity ? '' : ` ≥ ${min}`;
    throw new ArgumentError(`${opName}: ${what} must be an integer${bound}, got ${shown(v)}`);
  }
  return v;
}

/** A number or an array of integers, as an array (each checked by {@link integerArg}). */
export function integerList(v: unknown, what: string, opName: string, min = -Infinity): number[] {
  if (typeof v === 'number') return [integerArg(v, what, opName, min)];
  if (!isArrayLike(v)) throw new ArgumentError(`${opName}: ${what} must be an integer or an array of integers, got ${shown(v)}`);
  return Array.from(v as ArrayLike<unknown>, (e, k) => integerArg(e, `${what}[${k}]`, opName, min));
}

/**
 * Indices into an axis of length n (negative ones count from the end) as an Int32Array, or an
 * ArgumentError naming the first bad one, its position and the valid range.
 */
export function indexArg(indices: ArrayLike<unknown>, n: number, where: string, opName: string): Int32Array {
  const out = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const j = indices[k];
    if (typeof j !== 'number' || !Number.isInteger(j)) {
      // NumPy takes an array of indices of any shape; here the list is flat (the result's shape is
      // the indices' count along the axis), so say so rather than call a row "not an integer".
      const nested = Array.isArray(j) || ArrayBuffer.isView(j);
      throw new ArgumentError(`${opName}: index ${shown(j)} at position ${k} is not an integer` +
        (nested ? '; indices are a flat list: take the flattened indices and reshape the result' : ''));
    }
    if (j < -n || j >= n) {
      throw new ArgumentError(
        `${opName}: index ${j} at position ${k} is out of bounds for ${where} of length ${n}; indices must lie in [${-n}, ${n})`,
      );
    }
    out[k] = j < 0 ? j + n : j;
  }
  return out;
}

/** The reduced axes of a reduction: those given (negative from the end), or every axis. */
export function reductionAxes(axis: number | readonly number[] | undefined, shape: Shape, opName: string): number[] {
  return axis === undefined ? shape.map((_, k) => k) : normalizeAxes(axis, shape, opName);
}

/** A reduction's result shape: the reduced axes kept as 1, or dropped. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): Shape {
  return keepDims ? shape.map((d, k) => (axes.includes(k) ? 1 : d)) : shape.filter((_, k) => !axes.includes(k));
}

/** How many elements each result element of a reduction over `axes` gathers. */
export function reducedCount(shape: Shape, axes: readonly number[]): number {
  return axes.reduce((p, a) => p * shape[a], 1);
}

/**
 * The axes of a reduction asked to keep its dimensions with the axis left out: every axis, listed
 * (NumPy's `axis=None, keepdims=True` gives x's rank, every dimension 1, not a scalar). Otherwise
 * `axis` as given.
 */
export function keptAxes<A>(axis: A | undefined, shape: Shape, keepDims: boolean): A | number[] | undefined {
  return axis === undefined && keepDims ? shape.map((_, k) => k) : axis;
}

/** keepDims must be a boolean (a number there is most likely a misplaced argument). */
export function keepDimsArg(keepDims: unknown, opName: string): boolean {
  if (typeof keepDims !== 'boolean') throw new ArgumentError(`${opName}: keepDims must be true or false, got ${shown(keepDims)}`);
  return keepDims;
}

export function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}
