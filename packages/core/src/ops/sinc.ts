// y = sinc x = sin(πx)/(πx), 1 at x = 0 (NumPy's and JAX's normalized sinc). With t = πx and
// g(t) = sin t / t, the n-th derivative is πⁿ·g⁽ⁿ⁾(t):
//   dy/dx = (cos(πx) − sinc x)/x;   d²y/dx² = −π²·sinc x − 2·(dy/dx)/x;
// at 0 they are the Maclaurin coefficients: 0, −π²/3, 0, π⁴/5, … (as jnp.sinc's custom rule at 0).
// Each derivative is this op one order up (the order n is the op's constant parameter, as for
// polygamma), so sinc nests to any depth and every order is computed where it is accurate:
// - |t| small: the Maclaurin series of g⁽ⁿ⁾ (all orders; the closed forms cancel there: x·cos − sin
//   loses all digits as x → 0), and for n = 0 sin(t)/t with t = fl(πx), a smooth function of t;
// - elsewhere: Leibniz's rule on sin t · t⁻¹, with sin(πx) and cos(πx) from sinPi/cosPi, whose
//   argument reduction is exact, so the zeros at the integers keep their relative accuracy.
import { defineParametricUnary } from '../elementwise/unary.js';
import type { Node, Scalar, Tensor } from '../node.js';
import { noExtraArguments } from './op-args.js';
import { cosPi, sinPi } from './special/trig-pi.js';

/** g⁽ⁿ⁾(t) for g(t) = sin t / t by its Maclaurin series Σₖ (−1)ᵏ t^(2k−n) / ((2k + 1)·(2k − n)!). */
function series(n: number, t: number): number {
  let k = Math.ceil(n / 2);
  let m = 2 * k - n; // the power of t, 0 or 1 to start
  let power = m === 0 ? 1 : t; // t^m / m!
  let sum = 0;
  for (let steps = 0; steps < 200; steps++, k++) {
    const term = power / (2 * k + 1);
    sum += k % 2 === 0 ? term : -term;
    if (Math.abs(term) <= 1e-18 * Math.abs(sum) || term === 0) break;
    power *= (t * t) / ((m + 1) * (m + 2));
    m += 2;
  }
  return sum;
}

/** g⁽ⁿ⁾(t) = Σⱼ C(n, j)·sin⁽ⁿ⁻ʲ⁾(t)·(−1)ʲ j! t^(−j−1), with s = sin t and c = cos t given exactly. */
function leibniz(n: number, t: number, s: number, c: number): number {
  const trig = [s, c, -s, -c];
  let sum = 0;
  let coefficient = 1; // n!/(n − j)!
  let inversePower = 1 / t; // t^(−j−1)
  for (let j = 0; j <= n; j++) {
    const term = coefficient * trig[(n - j) % 4] * inversePower;
    sum += j % 2 === 0 ? term : -term;
    coefficient *= n - j;
    inversePower /= t;
  }
  return sum;
}

/** The n-th derivative of sinc at x. */
export function sincDerivativeNumber(n: number, x: number): number {
  if (x !== x) return x;
  if (!Number.isFinite(x)) return 0; // every derivative decays like 1/|x|
  const t = Math.PI * x;
  const a = Math.abs(t);
  if (n === 0) {
    if (a < 0.75) return t === 0 ? 1 : Math.sin(t) / t;
    return sinPi(x) / t;
  }
  const g = a < Math.max(2, n) ? series(n, t) : leibniz(n, t, sinPi(x), cosPi(x));
  return Math.PI ** n * g;
}

/** The n-th derivative of sinc, the order as the parameter. Rules map it with n + 1 and n + 2. */
export const sincOp = defineParametricUnary({
  name: 'sinc',
  parameter: 'n',
  f: (x, n) => sincDerivativeNumber(n, x),
  df: (o, x, _y, n) => o.map(sincOp, x, n + 1),
  d2f: (o, x, _y, _dy, n) => o.map(sincOp, x, n + 2),
});

/**
 * The normalized sinc function sin(πx)/(πx), elementwise, 1 at 0 (NumPy's and JAX's `sinc`), with
 * its derivatives at and near 0 from the Maclaurin series.
 *
 * @example
 * ```ts
 * sinc(tensor([0, 0.5, 1])).value;          // [1, 0.6366, 0]: 2/π at ½, 0 at the integers
 * grad(grad((x: Scalar) => sinc(x)))(0);    // -3.2899 = −π²/3
 * ```
 */
export function sinc(x: Scalar): Scalar;
export function sinc(x: Tensor): Tensor;
export function sinc(x: Node): Node;
export function sinc(x: Node): Node {
  // sinc is built on the parametric sincOp (its parameter is the derivative order), so the unary
  // ops' check of a second argument does not reach it: sinc(x, 2) would silently be sinc(x).
  if (arguments.length > 1) noExtraArguments('sinc', arguments, 1, 'sinc(x)', 'pass only the operand (sinc is the normalized sin(πx)/(πx))');
  return sincOp(x, 0);
}
