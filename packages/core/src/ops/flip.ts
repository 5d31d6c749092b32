// y = x reversed along some axes (all by default): yⱼ = x_{n−1−j} along each. A permutation of the
// elements, so linear: R{y} = flip(R{x}); x̄ += flip(ȳ) and R{x̄} += flip(R{ȳ}) (its own adjoint).
import type { Tensor } from '../node.js';
import { normalizeAxes } from '../shape.js';
import { axisMap, gather, indexArray } from './index-map.js';
import { noExtraArguments, tensorArg } from './op-args.js';

/**
 * Reverses the order of elements along `axis` — a number or a list (negative ones count from the
 * end); without it, along every axis (NumPy's `flip`).
 *
 * @example
 * ```ts
 * flip(x);             // [3, 2, 1] for x = [1, 2, 3]
 * m.flip(1);           // each row of a matrix reversed
 * ```
 */
export function flip(x: Tensor, axis?: number | readonly number[]): Tensor {
  noExtraArguments('flip', arguments, 2, 'flip(x, axis)', 'for several axes give them as one array: flip(x, [0, 1])');
  const xt = tensorArg(x, 'flip');
  const axes = axis === undefined ? xt.shape.map((_, k) => k) : normalizeAxes(axis, xt.shape, 'flip');
  const reads = xt.shape.map((n, a) => (axes.includes(a) ? indexArray(n, (j) => n - 1 - j) : null));
  // A permutation: each element read once, so its adjoint adds straight into x̄ (index-map.ts).
  return gather(xt, { ...axisMap(xt.shape, reads), distinct: true });
}
