/** The full Hessian against W separate hvp calls, and Newton-CG on extended Rosenbrock. */
import { hessian, hvp, hvpOperator, tensor, type Tensor } from '@dualtape/core';
// The block width hessian chooses (internal: read from the same sources the bundle builds from).
import { hessianBlockWidth } from '../../../packages/core/src/transforms.js';
import { newtonCG } from '@dualtape/curvature';
import { maxRelDiff, time } from '../lib/measure.js';
import type { HessianResult, NewtonResult } from '../lib/protocol.js';
import { randomArray } from '../two-layer.js';
import { lanesRows } from './lanes.js';

/** f(x) = Σ tanh((A·x)ᵢ) + ½‖x‖² (a dense Hessian), its A and the point x (the JAX CPU suite reads the same ones). */
export function hessianProblem(quick: boolean) {
  const W = quick ? 100 : 300;
  const A = randomArray(W * W, 9, 1 / Math.sqrt(W));
  const f = (x: Tensor) => tensor(A, [W, W]).matmul(x).tanh().sum().add(x.square().sum().mul(0.5));
  return { W, A, f, x: randomArray(W, 10) };
}

export function hessianSuite(quick: boolean): HessianResult {
  const { W, f, x } = hessianProblem(quick);
  const unit = (j: number) => {
    const e = new Float64Array(W);
    e[j] = 1;
    return e;
  };
  /** The Hessian by one sweep pair per unit direction (what hessian did before lanes). */
  const oneByOne = () => {
    const op = hvpOperator(f, x);
    const columns = Array.from({ length: W }, (_, j) => op.applyFlat(unit(j)));
    return Float64Array.from({ length: W * W }, (_, e) => columns[e % W][Math.floor(e / W)]);
  };
  const H = hessian(f, x);
  let err = maxRelDiff(H, oneByOne());
  for (const j of [0, W >> 1, W - 1]) {
    const column = hvp(f, x, unit(j)) as Float64Array;
    err = Math.max(err, maxRelDiff(column, Float64Array.from({ length: W }, (_, i) => H[i * W + j])));
  }
  if (!(err <= 1e-12)) throw new Error(`hessian columns differ from hvp by ${err}`);
  return {
    suite: 'hessian', W, err, lanes: hessianBlockWidth(f, x),
    hessianMs: time(() => hessian(f, x), quick).ms,
    oneByOneMs: time(oneByOne, quick).ms,
    separateMs: time(() => { for (let j = 0; j < W; j++) hvp(f, x, unit(j)); }, quick).ms,
    lanesRows: lanesRows(quick),
  };
}

/** Extended Rosenbrock's size, start and iteration cap for Newton-CG (the JAX CPU suite reads the same ones). */
export function newtonStart(quick: boolean): { n: number; x0: Float64Array; maxIter: number } {
  const n = quick ? 1000 : 10_000;
  const x0 = new Float64Array(n);
  for (let i = 0; i < n; i += 2) { x0[i] = -1.2; x0[i + 1] = 1; }
  return { n, x0, maxIter: 200 };
}

export function newtonSuite(quick: boolean): NewtonResult {
  const { n, x0, maxIter } = newtonStart(quick);
  const f = (x: Tensor) => {
    const odd = x.reshape([n / 2, 2]).slice(0, 1, 1).reshape([n / 2]);
    const even = x.reshape([n / 2, 2]).slice(1, 2, 1).reshape([n / 2]);
    return even.sub(odd.square()).square().mul(100).add(odd.neg().add(1).square()).sum();
  };
  const start = performance.now();
  const result = newtonCG(f, x0, { maxIterations: maxIter });
  return {
    suite: 'newton', n,
    seconds: (performance.now() - start) / 1e3,
    iterations: result.iterations,
    hvpCount: result.hvpCount,
    value: result.value,
    converged: result.converged,
  };
}
