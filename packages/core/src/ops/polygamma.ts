// y = ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function;  dy/dx = ψ⁽ⁿ⁺¹⁾(x);  d²y/dx² = ψ⁽ⁿ⁺²⁾(x).
// For x > 0, ψ⁽ⁿ⁾(x) = (−1)ⁿ⁺¹ n! ζ(n+1, x) (Hurwitz zeta), a few ulps from the true value for any n;
// for x < 0 the series itself at odd n ≤ 15 (≤ 3 ulps), else by reflection, with an error that grows
// like n ulps; at the poles x = 0, −1, −2, … +∞ for
// odd n (both sides agree) and NaN for even n; ψ⁽ⁿ⁾(∞) = 0 for n ≥ 1 (special/psi.ts).
// The order n is the op's constant parameter, so each derivative is the same op one order up:
// lgamma → digamma → polygamma(1) → polygamma(2) → … to any depth of nesting.
import { defineParametricUnary } from '../elementwise/unary.js';
import { ArgumentError } from '../errors.js';
import { describeValue, type Node, type Scalar, type Tensor } from '../node.js';
import { psiNumber } from './special/psi.js';
import { noExtraArguments } from './op-args.js';

/** ψ⁽ⁿ⁾ with the order as the parameter: `polygammaOp(x, n)`. Rules map it with n + 1 and n + 2. */
export const polygammaOp = defineParametricUnary({
  name: 'polygamma',
  parameter: 'n',
  f: (x, n) => psiNumber(n, x),
  df: (o, x, _y, n) => o.map(polygammaOp, x, n + 1),
  d2f: (o, x, _y, _dy, n) => o.map(polygammaOp, x, n + 2),
});

/**
 * The highest order accepted. The cost and the cached tables (n!, the cot⁽ⁿ⁾ polynomials) grow as n²:
 * n = 10⁴ took 1.7 s and 400 MB, and n = 1e308 (an integer to JS) never returned.
 */
const MAX_ORDER = 1000;

/**
 * The polygamma function ψ⁽ⁿ⁾(x), the n-th derivative of {@link digamma}, elementwise: n = 0 is
 * digamma, n = 1 trigamma. `n` is an integer from 0 to 1000.
 *
 * @example
 * ```ts
 * valueAndGrad((x: Scalar) => polygamma(1, x))(1);
 * // value = 1.6449340668482264 = ψ′(1) = π²/6, grad = −2.4041138063191885 = ψ″(1) = −2ζ(3)
 * ```
 */
export function polygamma(n: number, x: Scalar): Scalar;
export function polygamma(n: number, x: Tensor): Tensor;
export function polygamma(n: number, x: Node): Node;
export function polygamma(n: number, x: Node): Node {
  if (arguments.length > 2) noExtraArguments('polygamma', arguments, 2, 'polygamma(n, x)');
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_ORDER) {
    const shown = typeof n === 'number' ? n : describeValue(n);
    throw new ArgumentError(`polygamma: the order n must be an integer in [0, ${MAX_ORDER}], got ${shown}`);
  }
  return polygammaOp(x, n);
}
