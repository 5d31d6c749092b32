// Test helpers for the two-layer reference: seeded random problems, an independent forward pass written
// straight from the layout contract, central finite differences, and small linear-algebra utilities.
// Expected values never come from the code under test: finite differences only call lossValue /
// lossAndGrad at perturbed points (so they check the *relation* between value, gradient and Hv), and
// hessianByRProp is only ever compared against something computed another way.

import {
  flattenParams,
  lossAndGrad,
  lossValue,
  mulberry32,
  paramCount,
  rPropagation,
  unflattenParams,
} from '../../src/reference/index.js';
import type { Activation, OutputKind, TwoLayerParams, TwoLayerSpec } from '../../src/reference/index.js';

export const ACTIVATION_LIST: Activation[] = ['tanh', 'logistic', 'relu'];
export const OUTPUT_LIST: OutputKind[] = ['linear', 'logistic', 'softmax'];

/** D=3, H=4, K=2 (K=3 for softmax), as in the brief. */
export function smallSpec(activation: Activation, output: OutputKind): TwoLayerSpec {
  return { inputs: 3, hidden: 4, outputs: output === 'softmax' ? 3 : 2, activation, output };
}

/** Every entry uniform on (−scale, scale), biases included so that the bias paths are exercised. */
export function randomParams(spec: TwoLayerSpec, rand: () => number, scale = 1): TwoLayerParams {
  const { inputs: D, hidden: H, outputs: K } = spec;
  const u = (len: number): Float64Array => Float64Array.from({ length: len }, () => (2 * rand() - 1) * scale);
  return { w1: u(H * D), b1: u(H), w2: u(K * H), b2: u(K) };
}

/** Inputs uniform on (−2, 2); targets valid for the output kind. */
export function randomData(spec: TwoLayerSpec, N: number, rand: () => number): { X: Float64Array; T: Float64Array } {
  const { inputs: D, outputs: K } = spec;
  const X = Float64Array.from({ length: N * D }, () => 4 * rand() - 2);
  const T = new Float64Array(N * K);
  for (let n = 0; n < N; n++) {
    if (spec.output === 'linear') {
      for (let k = 0; k < K; k++) T[n * K + k] = 4 * rand() - 2; // any real target
    } else if (spec.output === 'logistic') {
      for (let k = 0; k < K; k++) T[n * K + k] = rand(); // soft targets in [0, 1]
    } else {
      T[n * K + Math.min(K - 1, Math.floor(rand() * K))] = 1; // one-hot class
    }
  }
  return { X, T };
}

/**
 * An independent forward pass written from the documented layout (w_ji at j·D+i, w_kj at k·H+j),
 * returning hidden and output pre-activations and the outputs, all N-row row-major.
 */
export function forwardByHand(
  spec: TwoLayerSpec,
  p: TwoLayerParams,
  X: ArrayLike<number>,
): { aJ: Float64Array; aK: Float64Array; y: Float64Array } {
  const { inputs: D, hidden: H, outputs: K } = spec;
  const N = X.length / D;
  const aJ = new Float64Array(N * H);
  const aK = new Float64Array(N * K);
  const y = new Float64Array(N * K);
  const h = (a: number): number =>
    spec.activation === 'tanh' ? Math.tanh(a) : spec.activation === 'logistic' ? 1 / (1 + Math.exp(-a)) : Math.max(0, a);
  for (let n = 0; n < N; n++) {
    const z: number[] = [];
    for (let j = 0; j < H; j++) {
      let a = p.b1[j];
      for (let i = 0; i < D; i++) a += p.w1[j * D + i] * X[n * D + i];
      aJ[n * H + j] = a;
      z.push(h(a));
    }
    for (let k = 0; k < K; k++) {
      let a = p.b2[k];
      for (let j = 0; j < H; j++) a += p.w2[k * H + j] * z[j];
      aK[n * K + k] = a;
    }
    if (spec.output === 'linear') {
      for (let k = 0; k < K; k++) y[n * K + k] = aK[n * K + k];
    } else if (spec.output === 'logistic') {
      for (let k = 0; k < K; k++) y[n * K + k] = 1 / (1 + Math.exp(-aK[n * K + k]));
    } else {
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp(aK[n * K + k]);
      for (let k = 0; k < K; k++) y[n * K + k] = Math.exp(aK[n * K + k]) / s;
    }
  }
  return { aJ, aK, y };
}

/** Largest |R{a_j}| a parameter perturbation `dir` can cause over the data set (first layer only moves a_j). */
export function maxHiddenShift(spec: TwoLayerSpec, dir: TwoLayerParams, X: ArrayLike<number>): number {
  const { inputs: D, hidden: H } = spec;
  const N = X.length / D;
  let m = 0;
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < H; j++) {
      let s = Math.abs(dir.b1[j]);
      for (let i = 0; i < D; i++) s += Math.abs(dir.w1[j * D + i] * X[n * D + i]);
      m = Math.max(m, s);
    }
  }
  return m;
}

export interface Case {
  spec: TwoLayerSpec;
  params: TwoLayerParams;
  v: TwoLayerParams;
  X: Float64Array;
  T: Float64Array;
  seed: number;
}

/** Distance of the nearest hidden pre-activation to the ReLU kink at 0. */
export function minAbsHidden(spec: TwoLayerSpec, params: TwoLayerParams, X: ArrayLike<number>): number {
  const { aJ } = forwardByHand(spec, params, X);
  let m = Infinity;
  for (const a of aJ) m = Math.min(m, Math.abs(a));
  return m;
}

/** ReLU cases must keep every a_j this far from 0 so that steps of ≤ 1e-4 in a_j never cross the kink. */
export const RELU_MARGIN = 1e-3;

/**
 * A seeded random problem. For ReLU the seed is advanced deterministically until every hidden
 * pre-activation is at least RELU_MARGIN away from the kink, so that finite differences (which move
 * a_j by far less than that, see the tests) never straddle it.
 */
export function makeCase(spec: TwoLayerSpec, N: number, seed: number): Case {
  for (let s = seed; s < seed + 1000; s++) {
    const rand = mulberry32(s);
    const params = randomParams(spec, rand);
    const v = randomParams(spec, rand);
    const { X, T } = randomData(spec, N, rand);
    if (spec.activation !== 'relu' || minAbsHidden(spec, params, X) > RELU_MARGIN) {
      return { spec, params, v, X, T, seed: s };
    }
  }
  throw new Error('no ReLU-safe seed found');
}

export function gradFlat(spec: TwoLayerSpec, flat: Float64Array, X: ArrayLike<number>, T: ArrayLike<number>): Float64Array {
  return flattenParams(lossAndGrad(spec, unflattenParams(spec, flat), X as Float64Array, T as Float64Array).grad);
}

/** Central differences of lossValue, coordinate by coordinate, step h·max(1, |w_p|). */
export function fdGradient(spec: TwoLayerSpec, params: TwoLayerParams, X: Float64Array, T: Float64Array, h = 1e-6): Float64Array {
  const w = flattenParams(params);
  const g = new Float64Array(w.length);
  for (let p = 0; p < w.length; p++) {
    const step = h * Math.max(1, Math.abs(w[p]));
    const wp = w.slice();
    wp[p] = w[p] + step;
    const ep = lossValue(spec, unflattenParams(spec, wp), X, T);
    wp[p] = w[p] - step;
    const em = lossValue(spec, unflattenParams(spec, wp), X, T);
    g[p] = (ep - em) / (2 * step);
  }
  return g;
}

/** (g(w + εv) − g(w − εv)) / (2ε): the directional derivative of the gradient along v, i.e. H·v. */
export function fdHvp(spec: TwoLayerSpec, params: TwoLayerParams, X: Float64Array, T: Float64Array, v: Float64Array, eps = 1e-6): Float64Array {
  const w = flattenParams(params);
  const wp = w.map((x, p) => x + eps * v[p]);
  const wm = w.map((x, p) => x - eps * v[p]);
  const gp = gradFlat(spec, wp, X, T);
  const gm = gradFlat(spec, wm, X, T);
  return gp.map((x, p) => (x - gm[p]) / (2 * eps));
}

/** Full Hessian, W finite-difference columns of the gradient (row-major W×W; column p in H[··W + p]). */
export function fdHessian(spec: TwoLayerSpec, params: TwoLayerParams, X: Float64Array, T: Float64Array, eps = 1e-6): Float64Array {
  const W = paramCount(spec);
  const Hm = new Float64Array(W * W);
  for (let p = 0; p < W; p++) {
    const e = new Float64Array(W);
    e[p] = 1;
    const col = fdHvp(spec, params, X, T, e, eps);
    for (let q = 0; q < W; q++) Hm[q * W + p] = col[q];
  }
  return Hm;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

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

/** The exact Hessian assembled column by column from R-propagation with unit directions e_p. */
export function hessianByRProp(spec: TwoLayerSpec, params: TwoLayerParams, X: Float64Array, T: Float64Array): Float64Array {
  const W = paramCount(spec);
  const Hm = new Float64Array(W * W);
  for (let p = 0; p < W; p++) {
    const e = new Float64Array(W);
    e[p] = 1;
    const col = flattenParams(rPropagation(spec, params, X, T, unflattenParams(spec, e)).hvp);
    for (let q = 0; q < W; q++) Hm[q * W + p] = col[q];
  }
  return Hm;
}
