/**
 * The CNN of the benchmark, in dualtape: 28×28×1 images, N = 64,
 *
 *   conv 3×3, 1→8 (valid) + bias → tanh → average pool 2×2   (26×26×8 → 13×13×8)
 *   conv 3×3, 8→16 (valid) + bias → tanh → average pool 2×2  (11×11×16 → 5×5×16)
 *   dense 400→10 + bias → mean softmax cross-entropy against one-hot labels,
 *
 * W = 5,258 parameters. Every peer computes the same function (NHWC data, HWIO filters, the dense
 * layer over the NHWC flattening), so every H·v lines up entry for entry. tanh and average pooling
 * keep the loss smooth: a float32 peer cannot land on the other side of a kink from the float64
 * reference. The reference is dualtape's own H·v, cross-checked against central differences of its
 * gradient along v.
 */
import { avgPool2d, conv2d, gradAndHvp, logSoftmax, matmul, tensor, valueAndGrad, type Scalar, type Tensor } from '@dualtape/core';
import { concat, maxRelDiff, time } from '../lib/measure.js';
import { randomArray } from '../two-layer.js';

export const N = 64;
/** Parameter blocks in flatten order, with their shapes (HWIO filters, [in, out] dense weights). */
export const BLOCKS = [
  ['w1', [3, 3, 1, 8]], ['b1', [8]], ['w2', [3, 3, 8, 16]], ['b2', [16]], ['w3', [400, 10]], ['b3', [10]],
] as const;
export type Key = (typeof BLOCKS)[number][0];
export type CnnParams = Record<Key, Float64Array>;
type Nodes = Record<Key, Tensor>;

const SCALE: Record<Key, number> = { w1: 0.5, b1: 0.1, w2: 0.2, b2: 0.1, w3: 0.1, b3: 0.1 };
const sizeOf = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

export interface CnnProblem {
  /** Images [N, 28, 28, 1] (NHWC), pixels in [0, 1]. */
  readonly X: Float64Array;
  /** One-hot labels [N, 10]. */
  readonly T: Float64Array;
  readonly p: CnnParams;
  readonly v: CnnParams;
  readonly W: number;
}

export function cnnProblem(): CnnProblem {
  const tree = (seed: number, scaled: boolean) =>
    Object.fromEntries(BLOCKS.map(([k, shape], j) => [k, randomArray(sizeOf(shape), seed + j, scaled ? SCALE[k] : 1)])) as CnnParams;
  const X = randomArray(N * 28 * 28, 41).map((u) => (u + 1) / 2);
  const T = new Float64Array(N * 10);
  randomArray(N, 43).forEach((u, n) => (T[n * 10 + Math.min(9, Math.floor(((u + 1) / 2) * 10))] = 1));
  return { X, T, p: tree(51, true), v: tree(61, false), W: BLOCKS.reduce((s, [, shape]) => s + sizeOf(shape), 0) };
}

/** The loss in dualtape. */
export function dualtapeLoss(X: Float64Array, T: Float64Array): (q: Nodes) => Scalar {
  return (q) => {
    const x = tensor(X, [N, 28, 28, 1]);
    const h1 = avgPool2d(conv2d(x, q.w1.reshape([3, 3, 1, 8])).add(q.b1).tanh(), 2);
    const h2 = avgPool2d(conv2d(h1, q.w2.reshape([3, 3, 8, 16])).add(q.b2).tanh(), 2);
    const z = matmul(h2.reshape([N, 400]), q.w3.reshape([400, 10])).add(q.b3);
    return logSoftmax(z).mul(tensor(T, [N, 10])).sum().mul(-1 / N);
  };
}

/** A parameter tree's blocks concatenated in flatten order. */
export function flatOf(tree: Readonly<Record<Key, ArrayLike<number>>>): Float64Array {
  return concat(BLOCKS.map(([k]) => tree[k]));
}

export interface CnnReference {
  readonly value: number;
  readonly grad: Float64Array;
  readonly hvp: Float64Array;
  /** max |H·v − FD| / max |H·v|, FD the central difference of ∇f along v. */
  readonly fdErr: number;
}

/** dualtape's f, ∇f and H·v, with H·v checked against central differences of ∇f (step 1e-5 / max|v|). */
export function cnnReference(problem: CnnProblem): CnnReference {
  const f = dualtapeLoss(problem.X, problem.T);
  const r = gradAndHvp(f as never, problem.p as never, problem.v as never) as unknown as { value: number; grad: CnnParams; hvp: CnnParams };
  const hvp = flatOf(r.hvp);
  const vg = valueAndGrad(f as never);
  let vMax = 0;
  for (const [k] of BLOCKS) for (const e of problem.v[k]) vMax = Math.max(vMax, Math.abs(e));
  const h = 1e-5 / vMax;
  const shifted = (s: number) => Object.fromEntries(BLOCKS.map(([k]) => [k, problem.p[k].map((e, i) => e + s * h * problem.v[k][i])])) as CnnParams;
  const plus = flatOf((vg(shifted(1) as never) as unknown as { grad: CnnParams }).grad);
  const minus = flatOf((vg(shifted(-1) as never) as unknown as { grad: CnnParams }).grad);
  const fd = plus.map((g, i) => (g - minus[i]) / (2 * h));
  return { value: r.value, grad: flatOf(r.grad), hvp, fdErr: maxRelDiff(hvp, fd) };
}

/**
 * dualtape's gradAndHvp on the problem, timed in the peer's own process as the baseline every row is
 * divided by: each method is timed between two timings of it (the load of a shared machine changes
 * from one minute to the next; the baseline beside a method has seen the same load).
 */
export class DualtapeBaseline {
  readonly timings: number[] = [];
  private readonly call: () => unknown;
  constructor(problem: CnnProblem, private readonly quick: boolean) {
    const f = dualtapeLoss(problem.X, problem.T);
    this.call = () => gradAndHvp(f as never, problem.p as never, problem.v as never);
  }

  measure(): number {
    const last = this.timings[this.timings.length - 1];
    const ms = time(this.call, this.quick, last === undefined ? undefined : last / 1e3).ms;
    this.timings.push(ms);
    return ms;
  }

  /** Times `run` between two baseline timings (the one after doubles as the next one's before). */
  around(run: () => unknown, warmSeconds?: number): { ms: number; meanMs: number; samples: number; handMs: number } {
    const before = this.timings.length ? this.timings[this.timings.length - 1] : this.measure();
    const t = time(run, this.quick, warmSeconds);
    const after = this.measure();
    return { ...t, handMs: Math.sqrt(before * after) };
  }
}
