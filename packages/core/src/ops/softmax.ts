// yₖ = e^(xₖ) / Σⱼ e^(xⱼ) along an axis, computed as exp(x − logSumExp(x)): never overflows, and its
// rules (including R{yₖ} = yₖ(R{xₖ} − Σⱼ yⱼR{xⱼ}), PRML's softmax R-forward) come from the primitives.
import type { Tensor } from '../node.js';
import { exp } from './exp.js';
import { logSumExp } from './log-sum-exp.js';
import { sub } from './sub.js';

/** Softmax along `axis` (default the last). @example `softmax(logits)`, `logits.softmax(1)` */
export function softmax(x: Tensor, axis = -1): Tensor {
  return exp(sub(x, logSumExp(x, axis, true)));
}
