/**
 * The job of the browser example: a least-squares fit of a 4-16-1 tanh network to 64 points of
 * y = sin(x₁) + x₂x₃ − x₄², written with @dualtape/core ops only. Shared by the page (./main.ts), its
 * worker (./worker.ts) and the test that checks the page's numbers against Node.
 *
 * The products are big enough for the WebAssembly kernels (the first layer is 64×4 · 4×16, 4096
 * multiply-adds; `auto` uses WebAssembly from 512), so the page shows whether they ran.
 * @module
 */
import { flatten, gradAndHvp, tensor, unflatten, valueAndGrad, type Scalar, type Tensor } from '@dualtape/core';

/** The network's weights, as the pytree every transform takes. */
export interface Params<T> {
  readonly w1: T; // 4×16, row-major
  readonly b1: T; // 16
  readonly w2: T; // 16
  readonly b2: T; // 1
}

const N = 64, D = 4, H = 16;

/** A small deterministic generator (mulberry32), so the page, the worker and Node see the same data. */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

const random = uniform(7);
const symmetric = () => 2 * random() - 1;
const X = Array.from({ length: N * D }, symmetric);
const Y = Array.from({ length: N }, (_, n) => Math.sin(X[n * D]) + X[n * D + 1] * X[n * D + 2] - X[n * D + 3] ** 2);

/** E(w) = ½ mean over the points of (network(x) − y)². */
export function loss(p: Params<Tensor>): Scalar {
  const hidden = tensor(X, [N, D]).matmul(p.w1.reshape([D, H])).add(p.b1).tanh(); // N×H
  const out = hidden.matmul(p.w2).add(p.b2); // N
  return out.sub(tensor(Y, [N])).square().sum().mul(0.5 / N);
}

/** Starting weights, small and random. */
export const START: Params<Float64Array> = {
  w1: Float64Array.from({ length: D * H }, () => symmetric() / 2),
  b1: Float64Array.from({ length: H }, () => symmetric() / 10),
  w2: Float64Array.from({ length: H }, () => symmetric() / 2),
  b2: Float64Array.of(0),
};

/** The direction v of the Hessian-vector product: every weight 1. */
export const DIRECTION: Params<Float64Array> = {
  w1: new Float64Array(D * H).fill(1), b1: new Float64Array(H).fill(1), w2: new Float64Array(H).fill(1), b2: Float64Array.of(1),
};

/** What the page shows of f, ∇f and H·v at the start: small and structured-clonable. */
export interface Summary {
  readonly value: number;
  readonly gradNorm: number;
  readonly hvpHead: number[];
}

/** f, |∇f| and the first entries of H·v at the starting weights. */
export function summary(): Summary {
  const { value, grad, hvp } = gradAndHvp(loss, START, DIRECTION);
  const g = flatten(grad);
  return { value, gradNorm: Math.hypot(...g), hvpHead: Array.from(flatten(hvp).subarray(0, 4)) };
}

/**
 * `steps` of gradient descent from the start, calling `progress(step, E)` every `every` steps:
 * the long job the page hands to a worker. Returns the loss at each reported step.
 */
export function train(steps: number, rate: number, every: number, progress: (step: number, value: number) => void = () => {}): number[] {
  const step = valueAndGrad(loss);
  let w = flatten(START);
  const losses: number[] = [];
  for (let k = 0; k <= steps; k++) {
    const { value, grad } = step(unflatten(START, w));
    if (k % every === 0 || k === steps) {
      losses.push(value);
      progress(k, value);
    }
    const g = flatten(grad);
    w = w.map((wi, i) => wi - rate * g[i]);
  }
  return losses;
}
