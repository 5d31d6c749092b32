// y = √variance(x) = ‖x − x̄‖/√(n − ddof): the op of euclidean-norm.ts, centered (its rules, which
// divide by y last, are written there). ∂y/∂xₖ = (xₖ − x̄)/((n − ddof)·y);
// ∂²y/∂x² = (I − 11ᵀ/n − uuᵀ)/((n − ddof)·y), u = (x − x̄)/‖x − x̄‖.
// Where the variance is 0 (all reduced elements equal) the gradient is 0 — the subgradient of least
// norm, as abs at 0 — while second derivatives there are not finite: NaN, 0 along a shift
// (docs/conventions.md).
import type { Scalar, Tensor } from '../node.js';
import type { Axes } from './sum.js';
import { spreadOf, type VarianceOptions } from './variance.js';
import { noExtraArguments } from './op-args.js';

/**
 * The standard deviation (the square root of {@link variance}) of all elements, or along `axis`,
 * with the same `keepDims` / `{ ddof, keepDims }` third argument (ddof 0 by default, as NumPy).
 * Where all reduced elements are equal its gradient is 0 (see docs/conventions.md).
 *
 * @example
 * ```ts
 * std(x);                         // a scalar
 * m.std(0, { ddof: 1 });          // sample standard deviation of each column
 * ```
 */
export function std(x: Tensor, axis?: undefined, options?: false | { readonly ddof?: number; readonly keepDims?: false }): Scalar;
export function std(x: Tensor, axis: number | readonly number[] | undefined, options: true | (VarianceOptions & { readonly keepDims: true })): Tensor;
export function std(x: Tensor, axis: number | readonly number[], options?: boolean | VarianceOptions): Tensor;
export function std(x: Tensor, axis?: Axes, options: boolean | VarianceOptions = false): Scalar | Tensor {
  if (arguments.length > 3) noExtraArguments('std', arguments, 3, 'std(x, axis, options)');
  return spreadOf(x, axis, options, 'std', true);
}
