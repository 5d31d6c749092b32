/**
 * A physics-informed network as a test problem for the optimizers: a 1-H-1 tanh network u(x) fitted to
 * u″ = −π² sin(πx) on [0, 1] with u(0) = u(1) = 0 (exact solution sin πx), at M evenly spaced points:
 *
 *   L(w) = (1/M) Σᵢ (u″(xᵢ) + π² sin πxᵢ)² + u(0)² + u(1)².
 *
 * u″ is written out, u″(x) = Σⱼ w2ⱼ w1ⱼ² tanh″(w1ⱼx + b1ⱼ), so the loss and its hand-derived gradient
 * are plain loops (fast enough for thousands of L-BFGS iterations in a test) and the test checks them
 * against @dualtape/core. Its Hessian at a fit is as badly conditioned as the issue describes: almost all
 * eigenvalues lie below 1e-8 of the largest.
 * Parameters, flat: [w1 (H), b1 (H), w2 (H), b2].
 */
import { tensor, type Scalar, type Tensor } from '@dualtape/core';

export interface Pinn {
  H: number;
  M: number;
  /** L and ∇L (hand-derived). */
  oracle(w: Float64Array): { value: number; grad: Float64Array };
  /** The same L written with core ops, for checking the hand derivation. */
  lossFn(p: { w1: Tensor; b1: Tensor; w2: Tensor; b2: Scalar }): Scalar;
  /** ‖u − sin πx‖₂ / ‖sin πx‖₂ on 1001 points. */
  relativeError(w: Float64Array): number;
  /** A seeded start: w1, b1 uniform on (−1, 1), w2 uniform on (−1/√H, 1/√H), b2 = 0. */
  start(seed: number): Float64Array;
}

export function pinn(H: number, M = 64): Pinn {
  const xs = Float64Array.from({ length: M }, (_, i) => i / (M - 1));
  const source = xs.map((x) => Math.PI ** 2 * Math.sin(Math.PI * x));
  const u = (w: Float64Array, x: number): number => {
    let v = w[3 * H];
    for (let j = 0; j < H; j++) v += w[2 * H + j] * Math.tanh(w[j] * x + w[H + j]);
    return v;
  };

  const oracle = (w: Float64Array) => {
    const grad = new Float64Array(3 * H + 1);
    let value = 0;
    for (let i = 0; i < M; i++) {
      // r = u″ + π² sin πx, with tanh″ = −2ts and tanh‴ = −2s(1 − 3t²), s = 1 − t².
      let r = source[i];
      const phi = new Float64Array(H);
      const dphi = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        const t = Math.tanh(w[j] * xs[i] + w[H + j]);
        const s = 1 - t * t;
        phi[j] = -2 * t * s;
        dphi[j] = -2 * s * (1 - 3 * t * t);
        r += w[2 * H + j] * w[j] * w[j] * phi[j];
      }
      value += (r * r) / M;
      const c = (2 * r) / M;
      for (let j = 0; j < H; j++) {
        const w1 = w[j];
        const w2 = w[2 * H + j];
        grad[j] += c * w2 * (2 * w1 * phi[j] + w1 * w1 * dphi[j] * xs[i]);
        grad[H + j] += c * w2 * w1 * w1 * dphi[j];
        grad[2 * H + j] += c * w1 * w1 * phi[j];
      }
    }
    for (const z of [0, 1]) {
      const uz = u(w, z);
      value += uz * uz;
      for (let j = 0; j < H; j++) {
        const t = Math.tanh(w[j] * z + w[H + j]);
        const s = 1 - t * t;
        grad[j] += 2 * uz * w[2 * H + j] * s * z;
        grad[H + j] += 2 * uz * w[2 * H + j] * s;
        grad[2 * H + j] += 2 * uz * t;
      }
      grad[3 * H] += 2 * uz;
    }
    return { value, grad };
  };

  const lossFn = (p: { w1: Tensor; b1: Tensor; w2: Tensor; b2: Scalar }): Scalar => {
    const X = tensor(xs, [M, 1]);
    const t = X.matmul(p.w1.reshape([1, H])).add(p.b1).tanh();
    const upp = t.mul(t.square().neg().add(1)).mul(-2).matmul(p.w2.mul(p.w1.square()).reshape([H, 1])).reshape([M]);
    const residual = upp.add(tensor(source, [M]));
    const ends = tensor([0, 1], [2, 1]).matmul(p.w1.reshape([1, H])).add(p.b1).tanh().matmul(p.w2.reshape([H, 1])).reshape([2]).add(p.b2);
    return residual.square().mean().add(ends.square().sum());
  };

  const grid = Float64Array.from({ length: 1001 }, (_, i) => i / 1000);
  const relativeError = (w: Float64Array): number => {
    let num = 0;
    let den = 0;
    for (const x of grid) {
      const e = Math.sin(Math.PI * x);
      num += (u(w, x) - e) ** 2;
      den += e * e;
    }
    return Math.sqrt(num / den);
  };

  const start = (seed: number): Float64Array => {
    let state = seed >>> 0;
    const uniform = (): number => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
    };
    return Float64Array.from({ length: 3 * H + 1 }, (_, k) => (k < 2 * H ? uniform() : k < 3 * H ? uniform() / Math.sqrt(H) : 0));
  };

  return { H, M, oracle, lossFn, relativeError, start };
}
