/** The two-layer tanh network with sum-of-squares error, written with @dualtape/core ops. */
import { tensor, type Scalar, type Tensor } from '@dualtape/core';
import type { Net, Params } from './hand-written.js';

export interface ParamNodes {
  readonly w1: Tensor;
  readonly b1: Tensor;
  readonly w2: Tensor;
  readonly b2: Tensor;
}

/** E(w) = ½ Σₙₖ (yₙₖ − tₙₖ)², y = tanh(X·W1ᵀ + b1)·W2ᵀ + b2. */
export function sseLoss(net: Net, X: Float64Array, T: Float64Array, N: number) {
  const { D, H, K } = net;
  return (p: ParamNodes): Scalar => {
    const a1 = tensor(X, [N, D]).matmul(p.w1.reshape([H, D]).transpose()).add(p.b1);
    const y = a1.tanh().matmul(p.w2.reshape([K, H]).transpose()).add(p.b2);
    return y.sub(tensor(T, [N, K])).square().sum().mul(0.5);
  };
}

/** Seeded uniform numbers in [−scale, scale). */
export function randomArray(n: number, seed: number, scale = 1): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    out[k] = scale * (2 * (((z ^ (z >>> 14)) >>> 0) / 4294967296) - 1);
  }
  return out;
}

export function randomParams(net: Net, seed: number): Params {
  const { D, H, K } = net;
  return {
    w1: randomArray(H * D, seed, 1 / Math.sqrt(D)),
    b1: randomArray(H, seed + 1, 0.1),
    w2: randomArray(K * H, seed + 2, 1 / Math.sqrt(H)),
    b2: randomArray(K, seed + 3, 0.1),
  };
}
