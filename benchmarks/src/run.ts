/**
 * `pnpm bench`: speed, as ratios measured side by side in one process (these machines are shared and
 * noisy, so absolute times move; ratios much less). Every method's H·v is checked before it is timed.
 *
 *   pnpm bench            all suites
 *   pnpm bench --quick    reduced sizes, under a minute
 */
import Benchmark from 'benchmark';
import {
  flatten, gradAndHvp, hessian, hvp, hvpOperator, tensor, valueAndGrad, type Scalar, type Tensor,
} from '@dualtape/core';
import { newtonCG } from '@dualtape/curvature';
import { gradAndHvpByHand, type Net } from './hand-written.js';
import { randomArray, randomParams, sseLoss } from './two-layer.js';

const quick = process.argv.includes('--quick');
const lines: string[] = [];
const say = (s = '') => {
  console.log(s);
  lines.push(s);
};

/** Mean seconds per call of each function, measured by benchmark.js in one suite. */
function measure(fns: Record<string, () => unknown>, maxTime = quick ? 0.5 : 2): Record<string, number> {
  const out: Record<string, number> = {};
  const suite = new Benchmark.Suite();
  for (const [name, fn] of Object.entries(fns)) suite.add(name, fn, { maxTime, minSamples: 5 });
  suite.on('cycle', (e: Benchmark.Event) => {
    const b = e.target as unknown as Benchmark;
    out[b.name as string] = b.stats.mean;
  });
  suite.run({ async: false });
  return out;
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < a.length; k++) {
    diff = Math.max(diff, Math.abs(a[k] - b[k]));
    scale = Math.max(scale, Math.abs(a[k]), Math.abs(b[k]));
  }
  return diff / Math.max(scale, 1e-300);
}

const ms = (s: number) => (s * 1e3).toFixed(s < 0.01 ? 3 : 1);

function twoLayerSuite(): void {
  say('## Two-layer tanh network, sum-of-squares error (core ops vs hand-written Float64Array R-propagation)');
  say('');
  say('| D-H-K, N | W | valueAndGrad ms | gradAndHvp ms | hvpOperator.apply ms | hand-written g+Hv ms | gradAndHvp / valueAndGrad | gradAndHvp / hand-written | apply / gradAndHvp | max rel. diff H·v |');
  say('|---|---|---|---|---|---|---|---|---|---|');
  const sizes: Array<[number, number, number, number]> = quick
    ? [[100, 200, 10, 64], [784, 256, 10, 128]]
    : [[784, 256, 10, 128], [784, 1024, 10, 256]];
  for (const [D, H, K, N] of sizes) {
    const net: Net = { D, H, K };
    const p = randomParams(net, 1);
    const v = randomParams(net, 11);
    const X = randomArray(N * D, 21);
    const T = randomArray(N * K, 31);
    const f = sseLoss(net, X, T, N);
    const engine = gradAndHvp(f, p, v);
    const byHand = gradAndHvpByHand(net, p, v, X, T, N);
    const err = maxRelDiff(flatten(engine.hvp), flatten(byHand.hvp));
    const gErr = maxRelDiff(flatten(engine.grad), flatten(byHand.grad));
    if (err > 1e-10 || gErr > 1e-10) throw new Error(`two-layer ${D}-${H}-${K}: engine and hand-written disagree (H·v ${err}, grad ${gErr})`);
    const op = hvpOperator(f, p);
    const t = measure({
      valueAndGrad: () => valueAndGrad(f)(p),
      gradAndHvp: () => gradAndHvp(f, p, v),
      apply: () => op.apply(v),
      hand: () => gradAndHvpByHand(net, p, v, X, T, N),
    });
    say(`| ${D}-${H}-${K}, ${N} | ${flatten(p).length} | ${ms(t.valueAndGrad)} | ${ms(t.gradAndHvp)} | ${ms(t.apply)} | ${ms(t.hand)} | ${(t.gradAndHvp / t.valueAndGrad).toFixed(2)} | ${(t.gradAndHvp / t.hand).toFixed(2)} | ${(t.apply / t.gradAndHvp).toFixed(2)} | ${err.toExponential(1)} |`);
  }
  say('');
}

/** Extended Rosenbrock with scalar ops only: Σᵢ 100(x₂ᵢ − x₂ᵢ₋₁²)² + (1 − x₂ᵢ₋₁)². */
function rosenbrock(x: Tensor): Scalar {
  let f: Scalar | undefined;
  for (let i = 0; i + 1 < x.size; i += 2) {
    const a = x.at(i);
    const b = x.at(i + 1);
    const term = b.sub(a.square()).square().mul(100).add(a.neg().add(1).square());
    f = f ? f.add(term) : term;
  }
  return f!;
}

/** Closed-form H·v of the extended Rosenbrock function, per independent pair. */
function rosenbrockHvp(x: Float64Array, v: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i + 1 < x.length; i += 2) {
    const a = x[i], b = x[i + 1];
    const haa = 1200 * a * a - 400 * b + 2, hab = -400 * a, hbb = 200;
    out[i] = haa * v[i] + hab * v[i + 1];
    out[i + 1] = hab * v[i] + hbb * v[i + 1];
  }
  return out;
}

function scalarSuite(): void {
  const n = quick ? 100_000 : 1_000_000 / 5; // each pair of variables records 10 scalar nodes (+2 reads)
  const x = randomArray(n, 5, 1.5);
  const v = randomArray(n, 6);
  const { hvp: Hv } = gradAndHvp(rosenbrock, x, v);
  const err = maxRelDiff(Hv as Float64Array, rosenbrockHvp(x, v));
  if (err > 1e-12) throw new Error(`Rosenbrock: H·v differs from the closed form by ${err}`);
  const nodes = (n / 2) * 12 - 1;
  const t = measure({ gradAndHvp: () => gradAndHvp(rosenbrock, x, v), valueAndGrad: () => valueAndGrad(rosenbrock)(x) });
  say('## Scalar graph: extended Rosenbrock written with scalar ops');
  say('');
  say('| tape nodes | gradAndHvp ms | ns / node | valueAndGrad ms | ns / node | max rel. diff H·v vs closed form |');
  say('|---|---|---|---|---|---|');
  say(`| ${nodes} | ${ms(t.gradAndHvp)} | ${((t.gradAndHvp * 1e9) / nodes).toFixed(1)} | ${ms(t.valueAndGrad)} | ${((t.valueAndGrad * 1e9) / nodes).toFixed(1)} | ${err.toExponential(1)} |`);
  say('');
}

function hessianSuite(): void {
  const W = quick ? 100 : 300;
  const A = randomArray(W * W, 9, 1 / Math.sqrt(W));
  // f(x) = Σ tanh((A·x)ᵢ) + ½‖x‖²: a dense Hessian.
  const f = (x: Tensor) => tensor(A, [W, W]).matmul(x).tanh().sum().add(x.square().sum().mul(0.5));
  const x = randomArray(W, 10);
  const unit = (j: number) => {
    const e = new Float64Array(W);
    e[j] = 1;
    return e;
  };
  const H = hessian(f, x);
  for (const j of [0, W >> 1, W - 1]) {
    const column = hvp(f, x, unit(j)) as Float64Array;
    const err = maxRelDiff(column, Float64Array.from({ length: W }, (_, i) => H[i * W + j]));
    if (err > 1e-12) throw new Error(`hessian column ${j} differs from hvp by ${err}`);
  }
  const t = measure({
    hessian: () => hessian(f, x),
    separate: () => {
      for (let j = 0; j < W; j++) hvp(f, x, unit(j));
    },
  });
  say('## Full Hessian: hessian (one recording, W tangent sweeps) vs W separate hvp calls');
  say('');
  say('| W | hessian ms | W × hvp ms | speed-up |');
  say('|---|---|---|---|');
  say(`| ${W} | ${ms(t.hessian)} | ${ms(t.separate)} | ${(t.separate / t.hessian).toFixed(2)}× |`);
  say('');
}

async function newtonSuite(): Promise<void> {
  const n = quick ? 1000 : 10_000;
  const x0 = new Float64Array(n);
  for (let i = 0; i < n; i += 2) { x0[i] = -1.2; x0[i + 1] = 1; }
  const f = (x: Tensor) => {
    const odd = x.reshape([n / 2, 2]).slice(0, 1, 1).reshape([n / 2]);
    const even = x.reshape([n / 2, 2]).slice(1, 2, 1).reshape([n / 2]);
    return even.sub(odd.square()).square().mul(100).add(odd.neg().add(1).square()).sum();
  };
  const start = performance.now();
  const result = newtonCG(f, x0, { maxIterations: 200 } as never) as { value: number; iterations: number; hvpCount: number; converged: boolean };
  const seconds = (performance.now() - start) / 1e3;
  say('## Newton-CG (trust region, Steihaug CG) on extended Rosenbrock, tensor ops');
  say('');
  say('| n | wall time s | iterations | H·v products | final f | converged |');
  say('|---|---|---|---|---|---|');
  say(`| ${n} | ${seconds.toFixed(2)} | ${result.iterations} | ${result.hvpCount} | ${result.value.toExponential(2)} | ${result.converged} |`);
  say('');
}

say(`# dualtape benchmarks${quick ? ' (--quick)' : ''}`);
say('');
say(`Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. Ratios are measured side by side in one process.`);
say('');
twoLayerSuite();
scalarSuite();
hessianSuite();
await newtonSuite();
