// yₖ = xₖ − ln Σⱼ e^(xⱼ) over one or more axes: x − logSumExp(x), which never overflows (unlike
// log(softmax(x)), which gives −∞ for very negative logits). ∂yₖ/∂xⱼ = δₖⱼ − softmax(x)ⱼ and
// ∂²yₖ/∂xᵢ∂xⱼ = −sᵢ(δᵢⱼ − sⱼ); the rules come from sub and logSumExp.
import { ArgumentError } from '../errors.js';
import { Tensor, describeValue } from '../node.js';
import { logSumExp } from './log-sum-exp.js';
import { sub } from './sub.js';

/**
 * Log-softmax over `axis` (default the last): a number or a list of numbers, negative ones counting
 * from the end. The stable form of log(softmax(x)), for cross-entropy losses.
 *
 * @example
 * ```ts
 * const logp = logSoftmax(logits);                       // [N, K]
 * const loss = logp.mul(oneHotTargets).sum().neg();      // cross-entropy
 * logits.logSoftmax(0);
 * ```
 */
export function logSoftmax(x: Tensor, axis: number | readonly number[] = -1): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`logSoftmax: expected a tensor, got ${describeValue(x)}`);
  return sub(x, logSumExp(x, axis, true)) as Tensor;
}
