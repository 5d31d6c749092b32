// y = min of x over some axes = −max(−x): the same tie rule (the derivative shared evenly among the
// elements that tie for the min) and zero second derivatives, with the rules of neg and max.
import type { Scalar, Tensor } from '../node.js';
import { extremum } from './max.js';
import { neg } from './neg.js';
import { tensorArg, noExtraArguments } from './op-args.js';
import type { Axes } from './sum.js';

/**
 * The smallest element (a scalar), or the smallest along `axis` — a number or a list of numbers,
 * negative ones counting from the end — as a tensor (`keepDims` keeps each reduced axis as 1, every axis when `axis` is left out, as NumPy).
 * Where several elements tie for the min, the derivative is shared evenly among them (as `minimum`); NaN
 * anywhere in a reduction gives NaN. A min over no elements is an ArgumentError.
 *
 * @example
 * ```ts
 * min(x);           // a scalar
 * m.min(0);         // the smallest of each column
 * ```
 */
export function min(x: Tensor, axis?: undefined, keepDims?: false): Scalar;
export function min(x: Tensor, axis: number | readonly number[] | undefined, keepDims: true): Tensor;
export function min(x: Tensor, axis: number | readonly number[], keepDims?: boolean): Tensor;
export function min(x: Tensor, axis?: Axes, keepDims = false): Scalar | Tensor {
  if (arguments.length > 3) noExtraArguments('min', arguments, 3, 'min(x, axis, keepDims)');
  return neg(extremum(neg(tensorArg(x, 'min')), axis, keepDims, 'min'));
}
