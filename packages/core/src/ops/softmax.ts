// yₖ = e^(xₖ) / Σⱼ e^(xⱼ) over one or more axes, computed as exp((x − m) − ℓ), the exp of
// logSoftmax's form (m = max x a constant, ℓ = ln Σ e^(x − m)): never overflows, keeps its accuracy
// however large the logits (x − m, not x − logSumExp(x), which rounds at the precision of m), and its
// rules (including R{yₖ} = yₖ(R{xₖ} − Σⱼ yⱼR{xⱼ}), PRML's softmax R-forward) come from exp, sub and
// logSoftmax's op (log-sum-exp-lines.ts). ∂yₖ/∂xⱼ = yₖ(δₖⱼ − yⱼ).
import type { Tensor } from '../node.js';
import { exp } from './exp.js';
import { logSoftmaxAs } from './log-softmax.js';
import { noExtraArguments } from './op-args.js';

/**
 * Softmax over `axis` (default the last): a number or a list of numbers, negative ones counting from
 * the end; the entries along those axes sum to 1. At ±∞ the limits where they exist (one +∞: 1 there
 * and 0 elsewhere, derivatives 0), NaN where they do not (two +∞, all −∞).
 *
 * @example
 * ```ts
 * softmax(logits);          // over the last axis
 * logits.softmax(1);
 * softmax(scores, [1, 2]);  // over two axes at once
 * ```
 */
export function softmax(x: Tensor, axis: number | readonly number[] = -1): Tensor {
  if (arguments.length > 2) noExtraArguments('softmax', arguments, 2, 'softmax(x, axis)');
  return exp(logSoftmaxAs('softmax', x, axis));
}
