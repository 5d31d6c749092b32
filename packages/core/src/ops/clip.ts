// y = min(max(x, lo), hi).  dy/dx = 1 for lo < x < hi, 0 outside, ½ at x = lo or x = hi;
// ∂y/∂lo = 1 where x < lo (½ at the tie), ∂y/∂hi = 1 where x > hi (½ at the tie); second
// derivatives 0. The tie convention is maximum's and minimum's (JAX's): composed of the two, so
// bounds that are nodes get their derivatives from those ops' rules, with nothing written here.
// Where lo > hi (only possible with node bounds) the result is hi, as NumPy's clip.
import { ArgumentError } from '../errors.js';
import { tapeOfArguments } from '../elementwise/operands.js';
import { Scalar, Tensor, describeValue, tensorData, type Node, type Operand } from '../node.js';
import { broadcastShapes, type Shape } from '../shape.js';
import { maximum } from './maximum.js';
import { minimum } from './minimum.js';
import { noExtraArguments } from './op-args.js';

const isNode = (v: unknown): v is Node => v instanceof Scalar || v instanceof Tensor;

function checkOperand(v: unknown, which: string): void {
  if (isNode(v)) return;
  // Array data (number[], nested number arrays, a Float64Array) is a constant tensor, as for the
  // other elementwise ops; maximum and minimum check its shape. A NaN bound is refused either way.
  const numbers = typeof v === 'number' ? [v] : v instanceof Float64Array ? v : Array.isArray(v) ? (v as unknown[]).flat(Infinity) : null;
  if (numbers === null) throw new ArgumentError(`clip: ${which} is ${describeValue(v)}; expected a node, a number or an array of numbers`);
  for (let k = 0; k < numbers.length; k++) {
    const entry = numbers[k];
    if (typeof entry !== 'number') throw new ArgumentError(`clip: ${which} holds ${describeValue(entry)}; expected numbers`);
    if (entry !== entry) throw new ArgumentError(`clip: ${which} ${typeof v === 'number' ? 'is' : 'holds'} NaN; use -Infinity or Infinity for no bound`);
  }
}

/**
 * x limited to [lo, hi], elementwise with broadcasting. Bounds are numbers (null, undefined or
 * ±Infinity for none on that side, as NumPy's None),
 * arrays of numbers (constants, broadcast with x) or nodes, which then get derivatives too. At x = lo
 * or x = hi the derivative is shared ½ / ½ between x and the bound, as for {@link maximum} and
 * {@link minimum}.
 *
 * @example
 * ```ts
 * grad((x: Tensor) => clip(x, -1, 1).sum())([-3, 0.5, 1, 7]); // [0, 1, 0.5, 0]
 * ```
 */
export function clip(x: Scalar, lo: Scalar | number | null | undefined, hi: Scalar | number | null | undefined): Scalar;
export function clip(x: Tensor, lo: Operand | null | undefined, hi: Operand | null | undefined): Tensor;
export function clip(x: Operand, lo: Operand | null | undefined, hi: Operand | null | undefined): Node;
export function clip(x: Operand, loIn: Operand | null | undefined, hiIn: Operand | null | undefined): Node {
  if (arguments.length > 3) noExtraArguments('clip', arguments, 3, 'clip(x, lo, hi)');
  // No bound on a side, as NumPy's None: −∞ or +∞ (one of them must be given, as NumPy asks).
  if ((loIn === null || loIn === undefined) && (hiIn === null || hiIn === undefined)) {
    throw new ArgumentError('clip: lo and hi are both missing; give at least one bound (null or undefined for none on that side)');
  }
  const lo = loIn ?? -Infinity, hi = hiIn ?? Infinity;
  checkOperand(x, 'x');
  checkOperand(lo, 'lo');
  checkOperand(hi, 'hi');
  if (typeof lo === 'number' && typeof hi === 'number' && lo > hi) {
    throw new ArgumentError(`clip: lo = ${lo} is above hi = ${hi}; give lo ≤ hi`);
  }
  if (!isNode(x) && !isNode(lo) && !isNode(hi)) {
    throw new ArgumentError('clip: x, lo and hi are all numbers; at least one must be a node');
  }
  // Checked here, not left to maximum and minimum, whose errors would name them instead of clip: a
  // node of a finished call, nested arrays that are not rectangular, shapes that do not broadcast.
  tapeOfArguments([x, lo, hi], 'clip');
  const shapeOf = (v: Operand): Shape => (isNode(v) ? (v instanceof Tensor ? v.shape : []) : typeof v === 'number' ? [] : tensorData(v, 'clip').inferred);
  broadcastShapes(broadcastShapes(shapeOf(x), shapeOf(lo), 'clip'), shapeOf(hi), 'clip');
  const lower = typeof x === 'number' && typeof lo === 'number' ? Math.max(x, lo) : maximum(x, lo);
  return minimum(lower, hi);
}
