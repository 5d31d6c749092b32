// y = x with axes moved to new positions, the others keeping their order: a transpose, so R{y} moves
// R{x} the same way and x̄ += ȳ moved back (the inverse permutation), and likewise R{x̄}.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../node.js';
import { normalizeAxes, normalizeAxis } from '../shape.js';
import { integerList, tensorArg, noExtraArguments } from './op-args.js';
import { transpose } from './transpose.js';

/**
 * Moves axis `source` to position `destination` (NumPy's `moveaxis`); the other axes keep their
 * order. Both may be lists of the same length, each source going to its destination. Negative axes
 * count from the end.
 *
 * @example
 * ```ts
 * moveAxis(images, -1, 1); // NHWC → NCHW
 * x.moveAxis([0, 1], [-1, -2]);
 * ```
 */
export function moveAxis(x: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  if (arguments.length > 3) noExtraArguments('moveAxis', arguments, 3, 'moveAxis(x, source, destination)');
  const xt = tensorArg(x, 'moveAxis');
  const from = integerList(source, 'source', 'moveAxis');
  const to = integerList(destination, 'destination', 'moveAxis');
  if (from.length !== to.length) {
    throw new ArgumentError(`moveAxis: ${from.length} source axes but ${to.length} destinations; give one destination per source`);
  }
  normalizeAxes(from, xt.shape, 'moveAxis'); // checks range and repeats
  normalizeAxes(to, xt.shape, 'moveAxis');
  const src = from.map((a) => normalizeAxis(a, xt.shape, 'moveAxis'));
  const dst = to.map((a) => normalizeAxis(a, xt.shape, 'moveAxis'));
  // NumPy's construction: the axes not moved, in order, then each moved axis inserted at its place.
  const order = xt.shape.map((_, k) => k).filter((k) => !src.includes(k));
  dst.map((d, k) => [d, src[k]]).sort((p, q) => p[0] - q[0]).forEach(([d, s]) => order.splice(d, 0, s));
  return transpose(xt, order);
}
