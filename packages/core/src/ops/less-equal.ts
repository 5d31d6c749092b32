// y = 1 where a ≤ b, else 0 (a NaN operand gives 0);  ∂y/∂a = ∂y/∂b = 0 everywhere.
import { defineComparison } from '../elementwise/comparison.js';

/**
 * 1 where a ≤ b and 0 elsewhere, elementwise with broadcasting (NumPy's and JAX's `less_equal`, as 0/1
 * numbers). Its derivatives are 0: use it as a mask for {@link where}, or as a factor.
 *
 * @function
 * @example
 * ```ts
 * lessEqual(tensor([1, 2, 3]), 2).value; // [1, 1, 0]
 * grad((x: Tensor) => where(lessEqual(x, 0), x, x.mul(0.1)).sum())([-1, 2]); // [1, 0.1]
 * ```
 */
export const lessEqual = defineComparison('lessEqual', (a, b) => (a <= b ? 1 : 0));
