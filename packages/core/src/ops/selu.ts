// y = λx for x > 0, λα(eˣ − 1) for x ≤ 0 (expm1: exact near 0), with Klambauer et al.'s constants
// α = 1.6732632423543772…, λ = 1.0507009873554804… (JAX's and PyTorch's);
// dy/dx = λ for x > 0, λα·eˣ for x ≤ 0;  d²y/dx² = 0 for x > 0, λα·eˣ for x ≤ 0.
// At the kink x = 0 the derivatives are the left ones (λα and λα), as elu's and JAX's. eˣ is taken of
// x·left, a constant 0/1 mask, so the branch not taken never overflows.
import { defineUnary } from '../elementwise/unary.js';
import { exp } from './exp.js';

const ALPHA = 1.6732632423543772;
const SCALE = 1.0507009873554805;

/** 1 where the exponential branch applies (x ≤ 0), 0 on the linear one, NaN for NaN. */
function leftBranch(v: number): number {
  return v > 0 ? 0 : v === v ? 1 : NaN;
}

/**
 * Scaled exponential linear unit λ·elu(x, α), elementwise, with the self-normalizing constants
 * α ≈ 1.6733 and λ ≈ 1.0507 (JAX's `jax.nn.selu`); the derivative at 0 is λα (the left one).
 *
 * @function
 * @example
 * ```ts
 * selu(tensor([-1, 1])).value;        // [-1.1113, 1.0507]
 * grad((x: Scalar) => selu(x))(0);    // 1.7581 = λα
 * ```
 */
export const selu = defineUnary({
  name: 'selu',
  f: (x) => (x > 0 ? SCALE * x : SCALE * (ALPHA * Math.expm1(x))),
  df: (o, x) => {
    const left = o.step(x, leftBranch);
    return o.add(o.mul(SCALE, o.sub(1, left)), o.mul(SCALE * ALPHA, o.mul(left, o.map(exp, o.mul(x, left)))));
  },
  d2f: (o, x) => {
    const left = o.step(x, leftBranch);
    return o.mul(SCALE * ALPHA, o.mul(left, o.map(exp, o.mul(x, left))));
  },
  branch: (x) => (x > 0 ? 1 : x !== x ? NaN : 0),
});
