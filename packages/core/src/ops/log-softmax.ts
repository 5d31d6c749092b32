// yₖ = xₖ − ln Σⱼ e^(xⱼ) over one or more axes, computed as (xₖ − m) − ℓ with m = max x held
// constant and ℓ = ln Σⱼ e^(xⱼ − m): never overflows (unlike log(softmax(x)), which gives −∞ for very
// negative logits), and rounds at the precision of x − m, not of m as x − logSumExp(x) = x − (m + ℓ)
// would (at logits of 1e17 that loses ℓ entirely). m cancels exactly in every derivative:
// ∂yₖ/∂xⱼ = δₖⱼ − softmax(x)ⱼ and ∂²yₖ/∂xᵢ∂xⱼ = −sᵢ(δᵢⱼ − sⱼ); (x − m) − ℓ is one op
// (logSoftmaxLines, log-sum-exp-lines.ts), whose rules form 1 − s and ẋ − ⟨s, ẋ⟩ from the small parts,
// so they keep their relative accuracy where one element dominates a line.
// At lines holding +∞ or all −∞, the limits (log-sum-exp.ts): yₖ = xₖ − ∞ = −∞ with derivative
// eₖ − eᵢ beside one +∞ at xᵢ, yᵢ = 0 with derivatives 0, NaN where the limit depends on the path.
import { ArgumentError } from '../errors.js';
import { Tensor, describeValue } from '../node.js';
import { shiftedLogSumExp } from './log-sum-exp.js';
import { logSoftmaxLines } from './log-sum-exp-lines.js';
import { sub } from './sub.js';
import { where } from './where.js';
import { noExtraArguments } from './op-args.js';

/**
 * Log-softmax over `axis` (default the last): a number or a list of numbers, negative ones counting
 * from the end. The stable form of log(softmax(x)), for cross-entropy losses. At ±∞ the limits where
 * they exist (one +∞: 0 there, −∞ elsewhere), NaN where they do not (two +∞, all −∞).
 *
 * @example
 * ```ts
 * const logp = logSoftmax(logits);                       // [N, K]
 * const loss = logp.mul(oneHotTargets).sum().neg();      // cross-entropy
 * logits.logSoftmax(0);
 * ```
 */
export function logSoftmax(x: Tensor, axis: number | readonly number[] = -1): Tensor {
  noExtraArguments('logSoftmax', arguments, 2, 'logSoftmax(x, axis)', 'for several axes give them as one array: logSoftmax(x, [0, 1])');
  return logSoftmaxAs('logSoftmax', x, axis);
}

/** logSoftmax, its argument errors named for `opName` (softmax is exp of it). */
export function logSoftmaxAs(opName: string, x: Tensor, axis: number | readonly number[]): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${opName}: expected a tensor, got ${describeValue(x)}`);
  const { axes, shifted, limit } = shiftedLogSumExp(x, axis, opName);
  const y = logSoftmaxLines(shifted, axes);
  if (limit === null) return y;
  // Lines holding +∞ or all −∞: xₖ − y∞ (y∞ their logSumExp, ±∞), and 0 at a line's one +∞.
  return where(limit.element, where(limit.single, 0, sub(x, limit.lse)), y);
}
