// y = (1/n) Σₖ xₖ: a sum scaled by a constant, so its rules are those of sum and mul.
import { Scalar, Tensor } from '../node.js';
import { mul } from './mul.js';
import { sum } from './sum.js';
import { normalizeAxis } from '../shape.js';

/**
 * Mean of all elements (a scalar node), or along `axis`.
 * @example `mean(x)`, `x.mean()`, `mean(m, 0)` (column means)
 */
export function mean(x: Tensor | Scalar): Scalar;
export function mean(x: Tensor, axis: number, keepDims?: boolean): Tensor;
export function mean(x: Tensor | Scalar, axis?: number, keepDims = false): Scalar | Tensor {
  if (x instanceof Scalar || axis === undefined) return mul(sum(x), 1 / (x instanceof Scalar ? 1 : x.size));
  const n = x.shape[normalizeAxis(axis, x.shape, 'mean')];
  return mul(sum(x, axis, keepDims), 1 / n);
}
