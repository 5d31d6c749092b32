/** The two-layer tanh network with sum-of-squares error at one size, and its reference H·v. */
import { rPropagation, type TwoLayerSpec } from '@dualtape/nn';
import type { Net, Params } from '../hand-written.js';
import { randomArray, randomParams } from '../two-layer.js';
import { concat } from './measure.js';
import type { Size } from './protocol.js';

export interface TwoLayerProblem {
  readonly net: Net;
  readonly spec: TwoLayerSpec;
  readonly N: number;
  /** Parameters and direction, layout w1 H×D, b1 H, w2 K×H, b2 K (row-major), as @dualtape/nn. */
  readonly p: Params;
  readonly v: Params;
  readonly X: Float64Array;
  readonly T: Float64Array;
  readonly W: number;
}

export function twoLayerProblem([D, H, K, N]: Size): TwoLayerProblem {
  const net: Net = { D, H, K };
  return {
    net,
    spec: { inputs: D, hidden: H, outputs: K, activation: 'tanh', output: 'linear' },
    N,
    p: randomParams(net, 1),
    v: randomParams(net, 11),
    X: randomArray(N * D, 21),
    T: randomArray(N * K, 31),
    W: H * D + H + K * H + K,
  };
}

/** Blocks of a parameter tree in flatten order (w1, b1, w2, b2), concatenated. */
export function flat(p: { w1: ArrayLike<number>; b1: ArrayLike<number>; w2: ArrayLike<number>; b2: ArrayLike<number> }): Float64Array {
  return concat([p.w1, p.b1, p.w2, p.b2]);
}

/** ∇E and H·v of the problem by the hand-derived R-propagation of @dualtape/nn (PRML §5.4.6). */
export function reference(problem: TwoLayerProblem): { grad: Float64Array; hvp: Float64Array } {
  const r = rPropagation(problem.spec, problem.p, problem.X, problem.T, problem.v);
  return { grad: flat(r.grad), hvp: flat(r.hvp) };
}

export const sizeLabel = ([D, H, K, N]: Size) => `${D}-${H}-${K}, N=${N}`;
