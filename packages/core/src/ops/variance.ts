// y = Σₖ (xₖ − x̄)² / (n − ddof) over some axes (all by default), x̄ the mean: two passes (the mean
// first), which stays accurate when the mean is large against the spread. Composed of mean, sub,
// square, sum and div, whose rules give ∂y/∂xₖ = 2(xₖ − x̄)/(n − ddof) and
// ∂²y/∂xₖ∂xₗ = 2(δₖₗ − 1/n)/(n − ddof) — the mean is differentiated, not held constant.
import { ArgumentError } from '../errors.js';
import type { Scalar, Tensor } from '../node.js';
import { checkOptions, option, type OptionsSpec } from '../options.js';
import { formatShape } from '../shape.js';
import { SCALAR_SHAPE } from '../lanes.js';
import { div } from './div.js';
import { euclideanNorm } from './euclidean-norm.js';
import { mean } from './mean.js';
import { keptAxes, reducedCount, reducedShape, reductionAxes, tensorArg, noExtraArguments } from './op-args.js';
import { square } from './square.js';
import { sub } from './sub.js';
import { sum, type Axes } from './sum.js';

/**
 * Options of {@link variance} and {@link std} along axes (a plain `true`/`false` there is `keepDims`).
 *
 * @example
 * ```ts
 * const sample: VarianceOptions = { ddof: 1, keepDims: true };
 * variance(m, 1, sample); // per row, divided by n − 1, shape [rows, 1]
 * ```
 */
export interface VarianceOptions {
  /** Delta degrees of freedom: divide by n − ddof (0, the default, as NumPy; 1 for the unbiased form). */
  readonly ddof?: number;
  /** Keep each reduced axis as 1 (default false). */
  readonly keepDims?: boolean;
}

const SPEC: OptionsSpec<VarianceOptions> = { ddof: option.number({ min: 0 }), keepDims: option.boolean() };

/**
 * The variance of all elements (a scalar), or along `axis` — a number or a list of numbers, negative
 * ones counting from the end — as a tensor. The third argument is `keepDims` (each reduced axis kept
 * as 1, every axis when `axis` is left out, as NumPy) or options `{ ddof, keepDims }`: the sum of
 * squared deviations is divided by n − ddof (ddof 0 by default, as NumPy; 1 gives the unbiased
 * sample variance). n − ddof ≤ 0 is an ArgumentError.
 *
 * @example
 * ```ts
 * variance(x);                    // population variance, a scalar
 * variance(x, undefined, { ddof: 1 }); // sample variance
 * m.variance(1, true);            // per row, shape [rows, 1]
 * ```
 */
export function variance(x: Tensor, axis?: undefined, options?: false | { readonly ddof?: number; readonly keepDims?: false }): Scalar;
export function variance(x: Tensor, axis: number | readonly number[] | undefined, options: true | (VarianceOptions & { readonly keepDims: true })): Tensor;
export function variance(x: Tensor, axis: number | readonly number[], options?: boolean | VarianceOptions): Tensor;
export function variance(x: Tensor, axis?: Axes, options: boolean | VarianceOptions = false): Scalar | Tensor {
  if (arguments.length > 3) noExtraArguments('variance', arguments, 3, 'variance(x, axis, options)');
  return spreadOf(x, axis, options, 'variance');
}

/**
 * variance, checked and named as `opName`; with `root`, std: ‖x − x̄‖/√(n − ddof), the op of
 * euclidean-norm.ts, valued d·√var(x/d) with d a power of two near the largest |xₖ| of each reduction.
 * √var(x) would square deviations below 1e-154 to 0 and above 1e154 to ∞; x/d is exact, so the value
 * is √var(x) bit for bit where nothing underflows (zero spread included), and right where it did. Its
 * rules divide by std last, so H·v is finite wherever its exact value is (sqrt over the variance of
 * x/d overflowed from 1e-308 down).
 */
export function spreadOf(x: Tensor, axis: Axes, options: boolean | VarianceOptions, opName: string, root = false): Scalar | Tensor {
  const xt = tensorArg(x, opName);
  const { ddof = 0, keepDims = false } = typeof options === 'boolean' ? { keepDims: options } : checkOptions(opName, options, SPEC);
  axis = keptAxes(axis, xt.shape, keepDims);
  const axes = reductionAxes(axis, xt.shape, opName);
  const n = reducedCount(xt.shape, axes);
  if (n - ddof <= 0) {
    throw new ArgumentError(
      `${opName}: ${n} element${n === 1 ? '' : 's'} per reduction (shape ${formatShape(xt.shape)}) leave no degrees of freedom with ddof ${ddof}; n − ddof must be > 0`,
    );
  }
  if (root) {
    return euclideanNorm(xt, axes, axis === undefined ? SCALAR_SHAPE : reducedShape(xt.shape, axes, keepDims), { center: true, divisor: n - ddof });
  }
  if (axis === undefined) return div(sum(square(sub(xt, mean(xt)))), n - ddof);
  return div(sum(square(sub(xt, mean(xt, axes, true))), axes, keepDims), n - ddof);
}
