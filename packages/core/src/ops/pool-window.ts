// Pooling windows as constant sparse maps (linear-map.ts): output (n, oy, ox, c) is a weighted sum
// of the input elements its window covers. Max pooling weights the window's maxima (1/ties each),
// average pooling every element it covers (1/count, padding left out, as TensorFlow does; or
// 1/(fh·fw), padding counted, with avgPool2d's countPadding).
// Internal to maxPool2d and avgPool2d.
import { ArgumentError, ShapeError } from '../errors.js';
import { Tensor, describeValue } from '../node.js';
import { formatShape } from '../shape.js';
import { checkLive } from '../tape.js';
import { poolGeometry, type ConvGeometry, type PoolOptions } from './conv-geometry.js';
import { applyLinearMap, type SparseMap } from './linear-map.js';
import { reshape } from './reshape.js';

/**
 * Chooses and weights a window's entries: `at[0 … count−1]` are the input elements it covers (of the
 * `windowSize` = fh·fw positions, the rest padding); it writes their weights from `weight[from]`, may
 * keep only some (moved to the front of `at`), and returns how many it kept.
 */
type Weigh = (data: Float64Array, at: Int32Array, count: number, weight: Float64Array, from: number, windowSize: number) => number;

/** Maps that depend on the geometry only (average pooling), by geometry: training repeats shapes. */
const known = new Map<string, SparseMap>();
const KNOWN_MAX = 16;

/**
 * Pools x ([N, H, W, C] or [H, W, C]) with `weigh` choosing each window's entries and weights.
 * `keepAs` names the weighting when it does not depend on x's values (average pooling, one name per
 * divisor rule): the map is then kept under that name and the geometry. `false` when it does (max
 * pooling).
 */
export function pool(opName: string, x: Tensor, size: number | readonly number[], options: PoolOptions | undefined, weigh: Weigh, keepAs: string | false): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${opName}: the input is ${describeValue(x)}; expected a tensor of shape [N, H, W, C]`);
  checkLive(x.tape, opName);
  const single = x.shape.length === 3;
  if (x.shape.length !== 4 && !single) throw new ShapeError(`${opName}: input ${formatShape(x.shape)}: expected [N, H, W, C] (or [H, W, C])`);
  const x4 = single ? reshape(x, [1, ...x.shape]) : x;
  const g = poolGeometry(opName, x4.shape, size, options);
  const dataFree = keepAs !== false;
  const key = dataFree ? `${keepAs} ${JSON.stringify(g)}` : '';
  let map = known.get(key);
  if (map === undefined) {
    map = windows(x4.data, g, weigh);
    // A map chosen from the values (max pooling): a compiled replay rebuilds it to see whether the
    // winners changed.
    if (!dataFree) map = { ...map, rebuild: (data: Float64Array) => windows(data, g, weigh) };
    if (dataFree) {
      if (known.size === KNOWN_MAX) known.delete(known.keys().next().value!);
      known.set(key, map);
    }
  }
  const y = applyLinearMap(x4, map);
  return single ? reshape(y, map.outShape.slice(1)) : y;
}

/** The sparse map of every window of geometry g, weighted by `weigh`. */
function windows(data: Float64Array, g: ConvGeometry, weigh: Weigh): SparseMap {
  const outputs = g.n * g.oh * g.ow * g.c;
  const window = new Int32Array(g.fh * g.fw);
  const offsets = new Int32Array(outputs + 1);
  let index = new Int32Array(outputs * Math.min(g.fh * g.fw, 4));
  let weight = new Float64Array(index.length);
  let used = 0;
  let r = 0;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        for (let ch = 0; ch < g.c; ch++, r++) {
          let count = 0;
          for (let i = 0; i < g.fh; i++) {
            const y = oy * g.sh - g.top + i;
            if (y < 0 || y >= g.h) continue;
            for (let j = 0; j < g.fw; j++) {
              const xx = ox * g.sw - g.left + j;
              if (xx >= 0 && xx < g.w) window[count++] = ((b * g.h + y) * g.w + xx) * g.c + ch;
            }
          }
          if (used + count > index.length) {
            const grown = Math.max(2 * index.length, used + count);
            index = copyInto(new Int32Array(grown), index);
            weight = copyInto(new Float64Array(grown), weight);
          }
          const kept = weigh(data, window, count, weight, used, g.fh * g.fw);
          for (let e = 0; e < kept; e++) index[used + e] = window[e];
          used += kept;
          offsets[r + 1] = used;
        }
      }
    }
  }
  return { inShape: [g.n, g.h, g.w, g.c], outShape: [g.n, g.oh, g.ow, g.c], offsets, index: index.subarray(0, used), weight: weight.subarray(0, used) };
}

function copyInto<T extends Int32Array | Float64Array>(to: T, from: T): T {
  to.set(from);
  return to;
}
