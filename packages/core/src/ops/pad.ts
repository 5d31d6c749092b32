// y = x with `before` and `after` elements added at the ends of each axis (NumPy's pad): a gather in
// which each added element reads nothing ('constant'), the nearest end ('edge') or its mirror image
// across the end, the end itself not repeated ('reflect'). Linear in x: R{y} is R{x} padded the same
// way with zeros; x̄ is ȳ's middle block plus, for 'edge' and 'reflect', the adjoints of the added
// elements folded back onto the elements they copied (the gather's scatter), and likewise R{x̄}.
// A constant value c ≠ 0 adds a constant: the derivatives are those of c = 0.
import { ArgumentError } from '../errors.js';
import { constantTensor, type Tensor } from '../node.js';
import { checkedSize, formatShape, sizeOf } from '../shape.js';
import { add } from './add.js';
import { axisMap, gather, indexArray, NOWHERE } from './index-map.js';
import { integerArg, isArrayLike, noExtraArguments, shown, tensorArg } from './op-args.js';

const MODES: readonly string[] = ['constant', 'reflect', 'edge'];

/**
 * x padded at both ends of every axis. `widths` is as NumPy's `pad_width`: a number (that many
 * elements before and after every axis), a pair `[before, after]` (the same for every axis), or one
 * pair per axis. `mode` fills the added elements: `'constant'` with `value` (default 0), `'edge'`
 * with the nearest end element, `'reflect'` with the mirror image across the end element (not
 * repeating it: [1, 2, 3] padded by 2 is [3, 2, 1, 2, 3, 2, 1]), reflecting again where the width is
 * longer than the axis.
 *
 * @example
 * ```ts
 * pad(x, 1);                           // [0, 1, 2, 3, 0] for x = [1, 2, 3]
 * pad(x, [2, 0], 'edge');              // [1, 1, 1, 2, 3]
 * image.pad([[1, 1], [1, 1]], 'reflect'); // a matrix mirrored by one element on every side
 * ```
 */
export function pad(
  x: Tensor,
  widths: number | readonly [number, number] | ReadonlyArray<readonly [number, number]>,
  mode: 'constant' | 'reflect' | 'edge' = 'constant',
  value = 0,
): Tensor {
  if (arguments.length > 4) noExtraArguments('pad', arguments, 4, 'pad(x, widths, mode, value)');
  const xt = tensorArg(x, 'pad');
  if (typeof mode !== 'string' || !MODES.includes(mode)) {
    throw new ArgumentError(`pad: mode must be one of 'constant', 'reflect', 'edge', got ${shown(mode)}`);
  }
  if (typeof value !== 'number') throw new ArgumentError(`pad: value must be a number, got ${shown(value)}`);
  if (value !== 0 && mode !== 'constant') throw new ArgumentError(`pad: value is for mode 'constant'; mode '${mode}' copies elements of x`);
  const pairs = widthPairs(widths, xt.shape.length);
  checkedSize(xt.shape.map((n, a) => pairs[a][0] + n + pairs[a][1]), 'pad');
  const reads = xt.shape.map((n, a) => {
    const [before, after] = pairs[a];
    if (before === 0 && after === 0) return null;
    if (n === 0 && mode !== 'constant') {
      throw new ArgumentError(`pad: axis ${a} of shape ${formatShape(xt.shape)} is empty; mode '${mode}' has no element to copy (use 'constant')`);
    }
    return indexArray(before + n + after, (j) => source(j - before, n, mode));
  });
  const m = axisMap(xt.shape, reads);
  const y = gather(xt, m);
  if (value === 0) return y;
  const fill = new Float64Array(sizeOf(m.target));
  for (let j = 0; j < fill.length; j++) if (m.map[j] === NOWHERE) fill[j] = value;
  return add(y, constantTensor(xt.tape, fill, m.target));
}

/** The element of an axis of length n that position p (p < 0 or p ≥ n: an added one) reads. */
function source(p: number, n: number, mode: string): number {
  if (p >= 0 && p < n) return p;
  if (mode === 'constant') return NOWHERE;
  if (mode === 'edge' || n === 1) return p < 0 ? 0 : n - 1;
  const period = 2 * (n - 1);
  const q = ((p % period) + period) % period;
  return q < n ? q : period - q;
}

/** NumPy's pad_width forms, as one [before, after] pair per axis. */
function widthPairs(widths: unknown, rank: number): Array<[number, number]> {
  const width = (v: unknown) => integerArg(v, 'each pad width', 'pad', 0);
  if (typeof widths === 'number') return new Array(rank).fill(0).map(() => [width(widths), width(widths)]);
  if (isArrayLike(widths) && widths.length === 2 && typeof widths[0] === 'number') {
    const pair: [number, number] = [width(widths[0]), width(widths[1])];
    return new Array(rank).fill(0).map(() => [...pair] as [number, number]);
  }
  // Array.from: every and map skip the holes of new Array(rank), which would leave an axis without widths.
  const list: unknown[] | null = Array.isArray(widths) ? Array.from(widths) : null;
  if (list !== null && list.length === rank && list.every((p) => isArrayLike(p) && p.length === 2)) {
    return list.map((p) => [width((p as ArrayLike<unknown>)[0]), width((p as ArrayLike<unknown>)[1])]);
  }
  throw new ArgumentError(
    `pad: widths must be a number, a pair [before, after], or ${rank} pairs (one per axis), got ${shown(widths)}`,
  );
}
