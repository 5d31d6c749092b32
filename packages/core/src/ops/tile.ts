// y = x repeated `reps[k]` times along each axis k, whole blocks side by side (NumPy's tile).
// Written as a broadcast: x reshaped to [1, d₀, 1, d₁, …], broadcast to [r₀, d₀, r₁, d₁, …] and
// reshaped to [r₀d₀, r₁d₁, …]; so R{y} tiles R{x}, and x̄ sums ȳ over the copies (the broadcast's
// adjoint), and likewise R{x̄}.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../node.js';
import { checkedSize } from '../shape.js';
import { broadcastTo } from './broadcast-to.js';
import { integerList, shown, tensorArg, noExtraArguments } from './op-args.js';
import { reshape } from './reshape.js';

/**
 * x repeated as whole blocks: `reps[k]` copies along axis k (a number repeats the last axis). As
 * NumPy's `tile`, when `reps` is shorter than x's rank it is padded with leading 1s, and when longer,
 * x gets leading axes of length 1. Repeat counts are integers ≥ 0.
 *
 * @example
 * ```ts
 * tile(x, 2);        // [1, 2, 1, 2] for x = [1, 2]
 * x.tile([2, 1]);    // shape [2, 2]: x as two rows
 * ```
 */
export function tile(x: Tensor, reps: number | readonly number[]): Tensor {
  if (arguments.length > 2) noExtraArguments('tile', arguments, 2, 'tile(x, reps)', 'the repetitions of several axes are one array: tile(x, [2, 1])');
  const xt = tensorArg(x, 'tile');
  const r = integerList(reps, 'reps', 'tile', 0);
  const rank = Math.max(r.length, xt.shape.length);
  const dims = [...new Array<number>(rank - xt.shape.length).fill(1), ...xt.shape];
  const counts = [...new Array<number>(rank - r.length).fill(1), ...r];
  if (counts.every((c) => c === 1) && rank === xt.shape.length) return xt;
  // Checked here, or broadcastTo below refuses the spread shape and names itself instead of tile.
  const big = counts.findIndex((c) => c > 2 ** 31);
  if (big >= 0) throw new ArgumentError(`tile: reps ${shown(reps)} holds ${counts[big]}, more than a tensor dimension can hold (2³¹); check the counts`);
  checkedSize(dims.map((d, k) => d * counts[k]), 'tile', 'check the counts in reps');
  const split = dims.flatMap((d) => [1, d]);
  const spread = dims.flatMap((d, k) => [counts[k], d]);
  return reshape(broadcastTo(reshape(xt, split), spread), dims.map((d, k) => d * counts[k]));
}
