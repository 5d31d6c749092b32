// y = x for x > 0, α(eˣ − 1) for x ≤ 0 (expm1: exact near 0);
// dy/dx = 1 for x > 0, α·eˣ for x ≤ 0;  d²y/dx² = 0 for x > 0, α·eˣ for x ≤ 0.
// At the kink x = 0 the derivatives are the left ones (α and α), as in JAX and PyTorch. The branch is
// a constant mask `left`; eˣ is taken of x·left, so the unused branch never overflows.
import { defineParametricUnary } from '../elementwise/unary.js';
import { ArgumentError } from '../errors.js';
import { describeValue, type Node, type Scalar, type Tensor } from '../node.js';
import { exp } from './exp.js';
import { selfContained } from '../elementwise/self-contained.js';
import { noExtraArguments } from './op-args.js';

const eluOp = defineParametricUnary({
  name: 'elu',
  parameter: 'alpha',
  f: selfContained((x, alpha) => (x > 0 ? x : alpha * Math.expm1(x))),
  df: (o, x, _y, alpha) => {
    const left = o.step(x, leftBranch);
    return o.add(o.sub(1, left), o.mul(alpha, o.mul(left, o.map(exp, o.mul(x, left)))));
  },
  d2f: (o, x, _y, dy) => o.mul(dy, o.step(x, leftBranch)),
  branch: (x) => (x > 0 ? 1 : x !== x ? NaN : 0),
});

/** 1 where the exponential branch applies (x ≤ 0), 0 on the linear one, NaN for NaN. */
function leftBranch(v: number): number {
  return v > 0 ? 0 : v === v ? 1 : NaN;
}

/**
 * Exponential linear unit, elementwise: x for x > 0, α(eˣ − 1) otherwise. `alpha` is a finite
 * number (default 1); the derivative at 0 is α (the left one).
 *
 * @example
 * ```ts
 * grad((x: Scalar) => elu(x, 2))(-1); // 0.7357… = 2e⁻¹
 * ```
 */
export function elu(x: Scalar, alpha?: number): Scalar;
export function elu(x: Tensor, alpha?: number): Tensor;
export function elu(x: Node, alpha?: number): Node;
export function elu(x: Node, alpha = 1): Node {
  if (arguments.length > 2) noExtraArguments('elu', arguments, 2, 'elu(x, alpha)');
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
    const shown = typeof alpha === 'number' ? alpha : describeValue(alpha);
    throw new ArgumentError(`elu: alpha must be a finite number, got ${shown}`);
  }
  return eluOp(x, alpha);
}
