// y = (1/n) Σₖ xₖ: a sum scaled by a constant, so its rules are those of sum and mul.
import { Scalar, Tensor } from '../node.js';
import { normalizeAxes } from '../shape.js';
import { mul } from './mul.js';
import { sum, type Axes } from './sum.js';
import { tensorArg, keepDimsArg, keptAxes, noExtraArguments } from './op-args.js';

/**
 * Mean of all elements (a scalar node), or over `axis` — a number or a list of numbers, negative ones
 * counting from the end — as a tensor (`keepDims` keeps each averaged axis as 1; with the axis left
 * out, every axis: a tensor of x's rank with every dimension 1, as NumPy).
 *
 * @example
 * ```ts
 * mean(x);              // a scalar
 * m.mean(0);            // column means of a matrix
 * mean(t, [-2, -1], true);
 * ```
 */
export function mean(x: Tensor | Scalar, axis?: undefined, keepDims?: false): Scalar;
export function mean(x: Tensor, axis: number | readonly number[] | undefined, keepDims: true): Tensor;
export function mean(x: Tensor, axis: number | readonly number[], keepDims?: boolean): Tensor;
export function mean(x: Tensor | Scalar, axis?: Axes, keepDims = false): Scalar | Tensor {
  if (arguments.length > 3) noExtraArguments('mean', arguments, 3, 'mean(x, axis, keepDims)');
  keepDimsArg(keepDims, 'mean');
  if (x instanceof Scalar) return mul(sum(x), 1);
  tensorArg(x, 'mean');
  axis = keptAxes(axis, x.shape, keepDims);
  if (axis === undefined) return mul(sum(x), 1 / x.size);
  const n = normalizeAxes(axis, x.shape, 'mean').reduce((p, a) => p * x.shape[a], 1);
  return mul(sum(x, axis, keepDims), 1 / n);
}
