// Helpers for the engine-vs-reference tests. Expected values always come from an independent computation
// (the hand-derived R-propagation, the explicit outer-product matrix, finite differences), never from
// numbers printed by the code under test.
import { flattenParams, unflattenParams, type TwoLayerNet, type TwoLayerParams } from '../src/index.js';

/** max|a − b| / max(‖a‖∞, ‖b‖∞): relative to the largest entry (entrywise relative error is meaningless near 0). */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relDiff: lengths ${a.length} and ${b.length} differ`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Central differences of the engine's gradient along v: (∇E(w + εv) − ∇E(w − εv)) / 2ε. */
export function fdHvpEngine(
  net: TwoLayerNet, params: TwoLayerParams, X: Float64Array, T: Float64Array, v: TwoLayerParams, eps = 1e-6,
): Float64Array {
  const w = flattenParams(params);
  const d = flattenParams(v);
  const g = (s: number) => flattenParams(net.valueAndGrad(unflattenParams(net.spec, w.map((x, i) => x + s * d[i])), X, T).grad);
  const gp = g(eps);
  const gm = g(-eps);
  return gp.map((x, i) => (x - gm[i]) / (2 * eps));
}

/** Row-major W×W matrix times a vector. */
export function matVec(M: Float64Array, x: ArrayLike<number>): Float64Array {
  const W = x.length;
  const out = new Float64Array(W);
  for (let p = 0; p < W; p++) {
    let s = 0;
    for (let q = 0; q < W; q++) s += M[p * W + q] * x[q];
    out[p] = s;
  }
  return out;
}
