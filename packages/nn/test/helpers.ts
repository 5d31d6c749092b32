// Helpers for the engine-vs-reference tests. Expected values always come from an independent computation
// (the hand-derived R-propagation, the explicit outer-product matrix, finite differences), never from
// numbers printed by the code under test.
import { flattenParams, unflattenParams, type TwoLayerNet, type TwoLayerParams } from '../src/index.js';

// relDiff: max|a − b| / max(‖a‖∞, ‖b‖∞), the demo's measure; matVec: row-major W×W times a vector.
export { relDiff } from '../demo/checks.js';
export { matVec } from './reference/helpers.js';

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

