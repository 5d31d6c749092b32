// y = x for x > 0, α(e^(x/α) − 1) for x ≤ 0 (expm1: exact near 0);
// dy/dx = 1 for x > 0, e^(x/α) for x ≤ 0;  d²y/dx² = 0 for x > 0, e^(x/α)/α for x ≤ 0.
// celu is once differentiable at 0 (both sides give 1); its second derivative jumps from 1/α to 0,
// and there it is the left one, 1/α, as elu's. (JAX writes celu with maximum and minimum, whose ½-ties
// give 1/(4α) at 0.) The branch is a constant mask `left`; e^(x/α) is taken of x·left, so the unused
// branch never overflows.
import { defineParametricUnary } from '../elementwise/unary.js';
import { ArgumentError } from '../errors.js';
import { describeValue, type Node, type Scalar, type Tensor } from '../node.js';
import { exp } from './exp.js';
import { noExtraArguments } from './op-args.js';

/** 1 where the exponential branch applies (x ≤ 0), 0 on the linear one, NaN for NaN. */
function leftBranch(v: number): number {
  return v > 0 ? 0 : v === v ? 1 : NaN;
}

const celuOp = defineParametricUnary({
  name: 'celu',
  parameter: 'alpha',
  f: (x, alpha) => (x > 0 ? x : alpha * Math.expm1(x / alpha)),
  df: (o, x, _y, alpha) => {
    const left = o.step(x, leftBranch);
    return o.add(o.sub(1, left), o.mul(left, o.map(exp, o.mul(1 / alpha, o.mul(x, left)))));
  },
  // On the left dy/dx is e^(x/α), so f″ = dy/dx·left/α; on the right left = 0.
  d2f: (o, x, _y, dy, alpha) => o.mul(o.mul(1 / alpha, o.step(x, leftBranch)), dy),
  branch: (x) => (x > 0 ? 1 : x !== x ? NaN : 0),
});

/**
 * Continuously differentiable exponential linear unit, elementwise: x for x > 0, α(e^(x/α) − 1)
 * otherwise (JAX's `jax.nn.celu`). `alpha` is a finite nonzero number (default 1); the second
 * derivative at 0 is 1/α (the left one).
 *
 * @example
 * ```ts
 * celu(tensor([-1, 2]), 2).value;            // [-0.7869, 2]
 * grad((x: Scalar) => celu(x, 2))(-2);       // 0.3679 = e⁻¹
 * ```
 */
export function celu(x: Scalar, alpha?: number): Scalar;
export function celu(x: Tensor, alpha?: number): Tensor;
export function celu(x: Node, alpha?: number): Node;
export function celu(x: Node, alpha = 1): Node {
  if (arguments.length > 2) noExtraArguments('celu', arguments, 2, 'celu(x, alpha)');
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha === 0) {
    const shown = typeof alpha === 'number' ? alpha : describeValue(alpha);
    throw new ArgumentError(`celu: alpha must be a finite nonzero number, got ${shown}`);
  }
  return celuOp(x, alpha);
}
