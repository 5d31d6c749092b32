// y = each element of x repeated along an axis (NumPy's repeat; without an axis, of x flattened).
// The same count for every element is a broadcast — x reshaped to [.., n, 1, ..], broadcast to
// [.., n, r, ..], reshaped to [.., n·r, ..] — so x̄ sums ȳ over each element's copies. Counts per
// element are a gather (take with each index repeated), whose adjoint sums the same way.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../node.js';
import { checkedSize, normalizeAxis } from '../shape.js';
import { broadcastTo } from './broadcast-to.js';
import { gather, oneAxisMap } from './index-map.js';
import { integerList, shown, tensorArg, noExtraArguments } from './op-args.js';
import { reshape } from './reshape.js';

/**
 * Repeats each element `repeats` times along `axis` (NumPy's `repeat`): a count for every element,
 * or one count per element along the axis (integers ≥ 0). Without `axis`, x is flattened first.
 *
 * @example
 * ```ts
 * repeat(x, 2);            // [1, 1, 2, 2] for x = [1, 2]
 * repeat(x, [1, 3]);       // [1, 2, 2, 2]
 * m.repeat(2, 0);          // every row twice
 * ```
 */
export function repeat(x: Tensor, repeats: number | readonly number[], axis?: number): Tensor {
  if (arguments.length > 3) noExtraArguments('repeat', arguments, 3, 'repeat(x, repeats, axis)');
  const xt = tensorArg(x, 'repeat');
  if (axis !== undefined && typeof axis !== 'number') {
    throw new ArgumentError(`repeat: axis must be a number or left out (to repeat x flattened), got ${shown(axis)}`);
  }
  const source = axis === undefined ? reshape(xt, [xt.size]) : xt;
  const a = axis === undefined ? 0 : normalizeAxis(axis, xt.shape, 'repeat');
  const n = source.shape[a];
  const counts = integerList(repeats, 'repeats', 'repeat', 0);
  if (typeof repeats === 'number' || counts.length === 1) {
    const r = counts[0];
    const before = source.shape.slice(0, a), after = source.shape.slice(a + 1);
    if (r === 1) return source;
    // Checked here, or broadcastTo below refuses the spread shape and names itself instead of repeat.
    if (r > 2 ** 31) throw new ArgumentError(`repeat: the count ${r} is more than a tensor dimension can hold (2³¹); check repeats`);
    checkedSize([...before, n * r, ...after], 'repeat', 'check the repeat count');
    const spread = broadcastTo(reshape(source, [...before, n, 1, ...after]), [...before, n, r, ...after]);
    return reshape(spread, [...before, n * r, ...after]);
  }
  if (counts.length !== n) {
    throw new ArgumentError(`repeat: ${counts.length} repeat counts for an axis of length ${n}; give one count, or one per element`);
  }
  // The result's size first: counts that sum past what a tensor holds are an ArgumentError, not a
  // RangeError from building the index list (or gigabytes of it).
  const total = counts.reduce((sum, c) => sum + c, 0);
  checkedSize(source.shape.map((d, k) => (k === a ? total : d)), 'repeat', 'check the repeat counts');
  const reads = new Int32Array(total);
  let at = 0;
  counts.forEach((c, j) => {
    reads.fill(j, at, at + c);
    at += c;
  });
  return gather(source, oneAxisMap(source.shape, a, reads));
}
