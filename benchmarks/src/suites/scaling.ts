/**
 * How cost grows with the number of parameters W. gradAndHvp on the two-layer network from W ≈ 10³
 * to 10⁶ (N fixed: expected slope 1 on log-log axes, like the hand-written R-propagation), and the
 * full Hessian (W tangent sweeps of an O(W) tape: expected slope 2) up to a few thousand.
 */
import { gradAndHvp, hessian, hvp } from '@dualtape/core';
import { gradAndHvpByHand } from '../hand-written.js';
import { maxRelDiff, time } from '../lib/measure.js';
import { flat, twoLayerProblem } from '../lib/problem.js';
import type { ScalingPoint, ScalingResult, Size } from '../lib/protocol.js';
import { sseLoss } from '../two-layer.js';

/** (D, K, N) of the gradAndHvp series; H varies so that W = 111·H + 10 spans 10³…10⁶. */
const HVP_SERIES = { D: 100, K: 10, N: 32, H: [9, 28, 90, 285, 900, 2850, 9000], quickH: [9, 28, 90, 285] };
/** (D, K, N) of the hessian series; W = 13·H + 2 spans ~50…3300. */
const HESSIAN_SERIES = { D: 10, K: 2, N: 32, H: [4, 8, 16, 32, 64, 128, 256], quickH: [4, 8, 16, 32] };

export function scaling(quick: boolean): ScalingResult {
  const gradAndHvpPoints: ScalingPoint[] = [];
  for (const H of quick ? HVP_SERIES.quickH : HVP_SERIES.H) {
    const size: Size = [HVP_SERIES.D, H, HVP_SERIES.K, HVP_SERIES.N];
    const { net, p, v, X, T, N, W } = twoLayerProblem(size);
    const f = sseLoss(net, X, T, N);
    const err = maxRelDiff(flat(gradAndHvp(f, p, v).hvp), flat(gradAndHvpByHand(net, p, v, X, T, N).hvp));
    if (!(err <= 1e-10)) throw new Error(`scaling: gradAndHvp and the hand-written H·v differ by ${err} at W = ${W}`);
    const ms = time(() => gradAndHvp(f, p, v), quick).ms;
    const handMs = time(() => gradAndHvpByHand(net, p, v, X, T, N), quick).ms;
    gradAndHvpPoints.push({ W, label: `${size[0]}-${H}-${size[2]}, N=${N}`, ms, handMs });
  }
  const hessianPoints: ScalingPoint[] = [];
  for (const H of quick ? HESSIAN_SERIES.quickH : HESSIAN_SERIES.H) {
    const size: Size = [HESSIAN_SERIES.D, H, HESSIAN_SERIES.K, HESSIAN_SERIES.N];
    const { net, p, X, T, N, W } = twoLayerProblem(size);
    const f = sseLoss(net, X, T, N);
    const Hm = hessian(f, p);
    // Spot-check: two columns against hvp with unit vectors, and symmetry of one row/column pair.
    for (const j of [0, W - 1]) {
      const e = new Float64Array(W);
      e[j] = 1;
      const unit = { w1: e.subarray(0, net.H * net.D), b1: e.subarray(net.H * net.D, net.H * net.D + net.H), w2: e.subarray(net.H * net.D + net.H, W - net.K), b2: e.subarray(W - net.K) };
      const column = flat(hvp(f, p, unit));
      const err = maxRelDiff(column, Float64Array.from({ length: W }, (_, i) => Hm[i * W + j]));
      const sym = maxRelDiff(Float64Array.from({ length: W }, (_, i) => Hm[j * W + i]), column);
      if (!(err <= 1e-12 && sym <= 1e-10)) throw new Error(`scaling: hessian column ${j} at W = ${W} differs from hvp (${err}) or is not symmetric (${sym})`);
    }
    const ms = time(() => hessian(f, p), quick).ms;
    hessianPoints.push({ W, label: `${size[0]}-${H}-${size[2]}, N=${N}`, ms });
  }
  return {
    suite: 'scaling',
    gradAndHvp: gradAndHvpPoints,
    hessian: hessianPoints,
    notes: [
      `gradAndHvp series: two-layer tanh network, D=${HVP_SERIES.D}, K=${HVP_SERIES.K}, N=${HVP_SERIES.N}, H varied; each point checked against the hand-written R-propagation (≤ 1e-10).`,
      `hessian series: D=${HESSIAN_SERIES.D}, K=${HESSIAN_SERIES.K}, N=${HESSIAN_SERIES.N}, H varied; columns 0 and W−1 checked against hvp with unit vectors, and symmetry.`,
    ],
  };
}
