/** What the hessian A/B timing (./hessian-ab.ts) needs from one build of dualtape: hessian and four problems. */
import { hessian, hvpOperator, tensor, type Pytree, type Scalar, type Tensor } from '@dualtape/core';
import { randomArray, sseLoss } from '../two-layer.js';
import { twoLayerProblem } from '../lib/problem.js';
import { rosenbrock } from '../suites/rosenbrock.js';

export { hessian, hvpMany, hvpOperator, setKernelBackend } from '@dualtape/core';

export interface HessianCase {
  readonly name: string;
  readonly f: (x: never) => Scalar;
  readonly x: Pytree;
  readonly n: number;
}

/** The benchmark's dense problem, two small networks, scalar-op Rosenbrock, and an elementwise-only f. */
export function hessianCases(): HessianCase[] {
  const cases: HessianCase[] = [];
  for (const W of [100, 300, 600]) {
    const A = randomArray(W * W, 9, 1 / Math.sqrt(W));
    const f = (x: Tensor) => tensor(A, [W, W]).matmul(x).tanh().sum().add(x.square().sum().mul(0.5));
    cases.push({ name: `dense tanh W=${W}`, f: f as never, x: randomArray(W, 10), n: W });
  }
  for (const size of [[10, 20, 5, 64], [20, 30, 5, 64]] as [number, number, number, number][]) {
    const pr = twoLayerProblem(size);
    cases.push({ name: `network ${size.join('-')}`, f: sseLoss(pr.net, pr.X, pr.T, pr.N) as never, x: pr.p as unknown as Pytree, n: pr.W });
  }
  for (const n of [300, 1000]) cases.push({ name: `rosenbrock scalar n=${n}`, f: rosenbrock as never, x: randomArray(n, 5, 1.5), n });
  for (const n of [300, 1000]) {
    const f = (x: Tensor) => x.sin().mul(x.exp()).add(x.square().tanh()).sum();
    cases.push({ name: `elementwise n=${n}`, f: f as never, x: randomArray(n, 12), n });
  }
  return cases;
}

/** The Hessian by one direction per sweep (the reference hessian is checked against). */
export function oneByOne(c: HessianCase): Float64Array {
  const op = hvpOperator(c.f as never, c.x as never);
  const n = c.n, e = new Float64Array(n), H = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    e[j] = 1;
    const col = op.applyFlat(e) as Float64Array;
    e[j] = 0;
    for (let i = 0; i < n; i++) H[i * n + j] = col[i];
  }
  return H;
}

/** hvpMany's problems of the benchmark's k-lanes rows (suites/lanes.ts): scalar Rosenbrock and the 100-200-10 network. */
export function manyCases(): Array<HessianCase & { readonly k: number; readonly V: Float64Array }> {
  const out: Array<HessianCase & { readonly k: number; readonly V: Float64Array }> = [];
  const pr = twoLayerProblem([100, 200, 10, 256]);
  const n = 100_000;
  const x = randomArray(n, 5, 1.5);
  for (const k of [4, 8]) {
    out.push({ name: `hvpMany rosenbrock n=1e5 k=${k}`, f: rosenbrock as never, x, n, k, V: randomArray(k * n, 11 + k) });
    out.push({ name: `hvpMany network 100-200-10-256 k=${k}`, f: sseLoss(pr.net, pr.X, pr.T, pr.N) as never, x: pr.p as unknown as Pytree, n: pr.W, k, V: randomArray(k * pr.W, 11 + k) });
  }
  return out;
}
