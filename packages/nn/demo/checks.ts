/**
 * Shared by the demo: the agreement measures (engine vs hand-derived R-propagation vs central finite
 * differences of gradients) and a median-of-runs timer.
 *
 * @module
 */
import {
  flattenParams,
  mulberry32,
  rPropagation,
  unflattenParams,
  type DataMatrix,
  type TwoLayerNet,
  type TwoLayerParams,
} from '../src/index.js';

/**
 * max_i |a_i − b_i| / max(‖a‖∞, ‖b‖∞): relative to the largest entry, because an entrywise relative
 * error is meaningless for the entries of H·v that are (nearly) zero.
 *
 * @example
 * ```ts
 * relDiff([1, 2], [1, 2.000001]); // 5e-7
 * ```
 */
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

/**
 * A direction with every entry (biases included) uniform on (−1, 1), seeded.
 *
 * @example
 * ```ts
 * const v = randomDirection(net.spec, 99);
 * ```
 */
export function randomDirection(spec: TwoLayerNet['spec'], seed: number): TwoLayerParams {
  const rand = mulberry32(seed);
  const u = (n: number) => Float64Array.from({ length: n }, () => 2 * rand() - 1);
  const { inputs: D, hidden: H, outputs: K } = spec;
  return { w1: u(H * D), b1: u(H), w2: u(K * H), b2: u(K) };
}

/**
 * H·v by central differences of the engine's gradient along v, with one Richardson step:
 * D(ε) = (∇E(w + εv) − ∇E(w − εv)) / 2ε has error c₂ε² + c₄ε⁴ + …, so (4D(ε/2) − D(ε))/3 cancels the ε²
 * term. That keeps the check at ~1e-9 even where tanh units saturate and third derivatives are large.
 * ε is scaled by ‖w‖∞/‖v‖∞ so that the perturbation is relative to the weights.
 *
 * @example
 * ```ts
 * const Hv = fdHvp(net, params, X, T, v); // ≈ net.gradAndHvp(params, X, T, v).hvp, flattened
 * ```
 */
export function fdHvp(net: TwoLayerNet, params: TwoLayerParams, X: DataMatrix, T: DataMatrix, v: TwoLayerParams, eps = 1e-4): Float64Array {
  const w = flattenParams(params);
  const d = flattenParams(v);
  const norm = (x: Float64Array) => x.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
  const h = (eps * Math.max(1, norm(w))) / Math.max(norm(d), 1e-300);
  const gradAt = (s: number) =>
    flattenParams(net.valueAndGrad(unflattenParams(net.spec, w.map((x, i) => x + s * d[i])), X, T).grad);
  const central = (s: number) => {
    const gp = gradAt(s);
    const gm = gradAt(-s);
    return gp.map((x, i) => (x - gm[i]) / (2 * s));
  };
  const coarse = central(h);
  const fine = central(h / 2);
  return fine.map((x, i) => (4 * x - coarse[i]) / 3);
}

/**
 * The median over `runs` batches of the mean wall time per call, in milliseconds. A batch repeats `fn`
 * until it lasts ≥ 5 ms, so sub-millisecond calls are timed above the timer's resolution. Before that, `fn`
 * is warmed up for 3000 calls or 300 ms, whichever comes first: V8 reaches its optimizing tier only after
 * some thousand calls of a small function, and timing before then made a 0.04 ms call look like 0.4 ms.
 *
 * @example
 * ```ts
 * const ms = medianMs(7, () => net.gradAndHvp(params, X, T, v));
 * ```
 */
export function medianMs(runs: number, fn: () => unknown): number {
  const warmUntil = performance.now() + 300;
  for (let calls = 0; calls < 3000 && (calls === 0 || performance.now() < warmUntil); calls++) fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    if (performance.now() - t0 >= 5 || reps >= 1 << 16) break;
    reps *= 2;
  }
  const times: number[] = [];
  for (let b = 0; b < runs; b++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    times.push((performance.now() - t0) / reps);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Everything the demo reports about one (network, weights, data, v): relative differences (see
 * {@link relDiff}) and median times in milliseconds.
 *
 * @example
 * ```ts
 * const c: PointComparison = compareAtPoint(net, params, X, T, v, 7);
 * c.engineVsRef; // ≈ 1e-16
 * ```
 */
export interface PointComparison {
  engineVsRef: number;
  gradVsRef: number;
  valueVsRef: number;
  engineVsFd: number;
  refVsFd: number;
  msGradAndHvp: number;
  msRProp: number;
  msValueAndGrad: number;
}

/**
 * Engine H·v, gradient and value against `rPropagation` and against finite differences, plus the median
 * times of `gradAndHvp`, `rPropagation` and `valueAndGrad` over `runs` calls.
 *
 * @example
 * ```ts
 * const { engineVsRef, engineVsFd, msGradAndHvp, msRProp } = compareAtPoint(net, params, X, T, v, 7);
 * ```
 */
export function compareAtPoint(
  net: TwoLayerNet, params: TwoLayerParams, X: DataMatrix, T: DataMatrix, v: TwoLayerParams, runs: number,
): PointComparison {
  const engine = net.gradAndHvp(params, X, T, v);
  const ref = rPropagation(net.spec, params, X, T, v);
  const fd = fdHvp(net, params, X, T, v);
  const eHv = flattenParams(engine.hvp);
  const rHv = flattenParams(ref.hvp);
  return {
    engineVsRef: relDiff(eHv, rHv),
    gradVsRef: relDiff(flattenParams(engine.grad), flattenParams(ref.grad)),
    valueVsRef: relDiff([engine.value], [ref.value]),
    engineVsFd: relDiff(eHv, fd),
    refVsFd: relDiff(rHv, fd),
    msGradAndHvp: medianMs(runs, () => net.gradAndHvp(params, X, T, v)),
    msRProp: medianMs(runs, () => rPropagation(net.spec, params, X, T, v)),
    msValueAndGrad: medianMs(runs, () => net.valueAndGrad(params, X, T)),
  };
}
