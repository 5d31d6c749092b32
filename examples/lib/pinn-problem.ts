/**
 * The physics-informed network of `pnpm example pinn` (issue 16): u″ = −π² sin(πx) on [0, 1],
 * u(0) = u(1) = 0, whose exact solution is sin πx. The network, its loss and the error measure are
 * those of the JAX + scipy anchor `benchmarks/jax/pinn.py` (same initial weights, same loss), so that
 * the example and `benchmarks/src/suites/pinn.ts` time exactly what that script times.
 * @module
 */
import { grad, jvp, tensor, type Scalar, type Tensor } from '@dualtape/core';
import { seededUniform } from '@dualtape/core/testing';

/** Collocation points: x_j = j / (M − 1), both ends included. */
export const COLLOCATION_POINTS = 64;
/** Points of the error measure. */
export const EVAL_POINTS = 1001;

/**
 * The parameters of an L-layer tanh network as a pytree, keys in layer order (`W1, b1, W2, b2, …`).
 * `W<l>` is stored as [fan_in, fan_out], row-major, so that a batch X [M, fan_in] maps to X·W with
 * no transpose: it is the transpose of the (fan_out × fan_in) matrix of pinn.py, holding the same
 * numbers, so flat θ here is a permutation of pinn.py's θ (and Adam, L-BFGS and Newton-CG, which
 * do not depend on the order of the coordinates, take the same steps).
 */
export type PinnParams = Record<string, Float64Array>;

/** The network sizes of the issue: 1-16-1 and 1-20-20-1. */
export const NETWORKS: readonly (readonly number[])[] = [[1, 16, 1], [1, 20, 20, 1]];

/** `n` seeded uniform numbers in [−scale, scale): `randomArray` of benchmarks/src/two-layer.ts and pinn.py. */
export function randomArray(n: number, seed: number, scale = 1): Float64Array {
  const uniform = seededUniform(seed);
  return Float64Array.from({ length: n }, () => scale * (2 * uniform() - 1));
}

/** Glorot-uniform weights from seed l for layer l (1-based), zero biases: pinn.py's `initial_theta`. */
export function initialParams(sizes: readonly number[]): PinnParams {
  const params: PinnParams = {};
  for (let l = 1; l < sizes.length; l++) {
    const fanIn = sizes[l - 1], fanOut = sizes[l];
    // pinn.py draws W_l as (fan_out × fan_in) row-major; store its transpose.
    const w = randomArray(fanOut * fanIn, l, Math.sqrt(6 / (fanIn + fanOut)));
    const wT = new Float64Array(fanOut * fanIn);
    for (let o = 0; o < fanOut; o++) for (let i = 0; i < fanIn; i++) wT[i * fanOut + o] = w[o * fanIn + i];
    params[`W${l}`] = wT;
    params[`b${l}`] = new Float64Array(fanOut);
  }
  return params;
}

/** Parameters W of a network of these sizes. */
export const parameterCount = (sizes: readonly number[]): number =>
  sizes.slice(1).reduce((n, fanOut, l) => n + (sizes[l] + 1) * fanOut, 0);

/** The parameter nodes a transform hands to f: one Tensor per key of {@link PinnParams}. */
export type PinnNodes = Readonly<Record<string, Tensor>>;

/** u(x; θ) at a batch of points x, given as a flat vector of M points: returns the M values of u. */
export function network(sizes: readonly number[]) {
  const layers = sizes.length - 1;
  return (p: PinnNodes, x: Tensor): Tensor => {
    let h = x.reshape([x.size, 1]);
    for (let l = 1; l <= layers; l++) {
      const a = h.matmul(p[`W${l}`].reshape([sizes[l - 1], sizes[l]])).add(p[`b${l}`]);
      h = l < layers ? a.tanh() : a;
    }
    return h.reshape([x.size]);
  };
}

/** Evenly spaced points on [0, 1], both ends included. */
export const linspace = (n: number): Float64Array => Float64Array.from({ length: n }, (_, j) => j / (n - 1));

/**
 * How u_xx is taken inside the loss. The points are independent (u at point j depends on x_j only),
 * so one nested transform gives u_x at all of them at once:
 * - `'grad'`: u_x = ∇ₓ Σⱼ u(xⱼ), u_xx = ∇ₓ Σⱼ u_x(xⱼ) (reverse over reverse; pinn.py's `grad(grad(u))`);
 * - `'jvp'`: u_x = J·1 by a forward sweep with all input tangents 1, u_xx the same again (forward over
 *   forward: no reverse sweep is recorded for the input derivatives).
 */
export type SecondDerivativeMode = 'grad' | 'jvp';

/** u_xx at the points x (a vector), by two nested transforms inside whatever transform is recording. */
export function secondDerivative(u: (p: PinnNodes, x: Tensor) => Tensor, p: PinnNodes, x: Float64Array, mode: SecondDerivativeMode): Tensor {
  if (mode === 'grad') {
    const uSum = (xs: Tensor): Scalar => u(p, xs).sum();
    const uxSum = (xs: Tensor): Scalar => (grad(uSum)(xs) as unknown as Tensor).sum();
    return grad(uxSum)(x) as unknown as Tensor;
  }
  const ones = new Float64Array(x.length).fill(1);
  const ux = (xs: Tensor): Tensor => jvp((z: Tensor) => u(p, z), xs, ones).tangent as unknown as Tensor;
  return jvp(ux, x, ones).tangent as unknown as Tensor;
}

/**
 * The PINN loss of pinn.py:
 *
 *     L(θ) = (1/M) Σⱼ (u_xx(xⱼ; θ) + π² sin(π xⱼ))²  +  ½ (u(0; θ)² + u(1; θ)²)
 *
 * with u_xx by nested transforms with respect to the input, vectorised over the M points.
 */
export function pinnLoss(sizes: readonly number[], mode: SecondDerivativeMode = 'grad', points = COLLOCATION_POINTS) {
  const u = network(sizes);
  const x = linspace(points);
  const forcing = x.map((xj) => Math.PI ** 2 * Math.sin(Math.PI * xj));
  const ends = Float64Array.of(0, 1);
  return (p: PinnNodes): Scalar => {
    const residual = secondDerivative(u, p, x, mode).add(tensor(forcing));
    const boundary = u(p, tensor(ends)).square().sum().mul(0.5);
    return residual.square().mean().add(boundary);
  };
}

/** The data-fit loss of the same network at the same points: (1/M) Σⱼ (u(xⱼ) − sin πxⱼ)², no derivatives inside. */
export function dataFitLoss(sizes: readonly number[], points = COLLOCATION_POINTS) {
  const u = network(sizes);
  const x = linspace(points);
  const target = x.map((xj) => Math.sin(Math.PI * xj));
  return (p: PinnNodes): Scalar => u(p, tensor(x)).sub(tensor(target)).square().mean();
}

/** Plain u(x; θ) at top level, for the error measure and the plot. */
export function evaluate(sizes: readonly number[], params: PinnParams, x: Float64Array): Float64Array {
  const layers = sizes.length - 1;
  let h = Float64Array.from(x);
  let width = 1;
  for (let l = 1; l <= layers; l++) {
    const W = params[`W${l}`], b = params[`b${l}`], out = sizes[l];
    const next = new Float64Array(x.length * out);
    for (let m = 0; m < x.length; m++) {
      for (let o = 0; o < out; o++) {
        let a = b[o];
        for (let i = 0; i < width; i++) a += h[m * width + i] * W[i * out + o];
        next[m * out + o] = l < layers ? Math.tanh(a) : a;
      }
    }
    h = next;
    width = out;
  }
  return h;
}

/**
 * u_xx at the points x by hand, for checking the nested transforms: second-order forward propagation
 * through the layers (a′ = h′·W, a″ = h″·W; through tanh, h′ = (1 − h²)a′ and
 * h″ = (1 − h²)a″ − 2h(1 − h²)a′², starting from x′ = 1, x″ = 0).
 */
export function secondDerivativeByHand(sizes: readonly number[], params: PinnParams, x: Float64Array): Float64Array {
  const layers = sizes.length - 1;
  const out = new Float64Array(x.length);
  for (let m = 0; m < x.length; m++) {
    let h = [x[m]], d1 = [1], d2 = [0];
    for (let l = 1; l <= layers; l++) {
      const W = params[`W${l}`], b = params[`b${l}`], width = sizes[l];
      const next: number[] = [], n1: number[] = [], n2: number[] = [];
      for (let o = 0; o < width; o++) {
        let a = b[o], a1 = 0, a2 = 0;
        for (let i = 0; i < h.length; i++) {
          a += h[i] * W[i * width + o];
          a1 += d1[i] * W[i * width + o];
          a2 += d2[i] * W[i * width + o];
        }
        if (l < layers) {
          const t = Math.tanh(a), s = 1 - t * t;
          next.push(t); n1.push(s * a1); n2.push(s * a2 - 2 * t * s * a1 * a1);
        } else {
          next.push(a); n1.push(a1); n2.push(a2);
        }
      }
      h = next; d1 = n1; d2 = n2;
    }
    out[m] = d2[0];
  }
  return out;
}

/** ‖u − sin πx‖₂ / ‖sin πx‖₂ on {@link EVAL_POINTS} evenly spaced points. */
export function relativeError(sizes: readonly number[], params: PinnParams): number {
  const x = linspace(EVAL_POINTS);
  const u = evaluate(sizes, params, x);
  let diff = 0, norm = 0;
  for (let j = 0; j < x.length; j++) {
    const exact = Math.sin(Math.PI * x[j]);
    diff += (u[j] - exact) ** 2;
    norm += exact ** 2;
  }
  return Math.sqrt(diff / norm);
}
