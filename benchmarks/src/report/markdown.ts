/** The Markdown report: machine, method, the tables. Written to docs/benchmarks.md and printed. */
import { logLogSlope } from '../lib/measure.js';
import { sizeLabel } from '../lib/problem.js';
import { TOLERANCE, type ScalingPoint, type ScalingResult, type Size } from '../lib/protocol.js';
import { JAX_INSTALL_HINT } from '../lib/python.js';
import { mb, ms, ratio } from './format.js';
import { jaxCpuMachineRow } from './jax-cpu.js';
import { failure, type Environment, type Outcome } from './outcome.js';
import { pinnSection, type PinnResults } from './pinn.js';
import { cnnSection } from './cnn.js';
import { sparseHessianSection } from './sparse-hessian.js';
import { compileSection } from './compile.js';
import { memorySections } from './memory.js';
import { pinnDualtapeSection } from './pinn-dualtape.js';
import { hessianSection, newtonSection, scalarSection } from './small-problems.js';
import { twoLayerSection } from './two-layer.js';
import { headToHeadSection } from './head-to-head.js';

export type { Environment, Outcome } from './outcome.js';

export const SIZES_FULL: Size[] = [[10, 20, 5, 64], [100, 200, 10, 256], [784, 256, 10, 128], [784, 1024, 10, 256]];
export const SIZES_QUICK: Size[] = SIZES_FULL.slice(0, 2);

function slopes(points: readonly ScalingPoint[], key: 'ms' | 'handMs'): { all: number; top: number } {
  const xs = points.map((p) => p.W);
  const ys = points.map((p) => p[key] ?? NaN);
  const half = Math.floor(points.length / 2);
  return { all: logLogSlope(xs, ys), top: logLogSlope(xs.slice(half), ys.slice(half)) };
}

function scalingSection(outcomes: readonly Outcome[]): string[] {
  const o = outcomes.find((x) => x.task.suite === 'scaling');
  const out: string[] = ['## Scaling with the number of parameters W', ''];
  if (!o?.result) return [...out, ...failure(outcomes, (t) => t.suite === 'scaling'), ''];
  const r = o.result as ScalingResult;
  const g = slopes(r.gradAndHvp, 'ms');
  const hnd = slopes(r.gradAndHvp, 'handMs');
  const h = slopes(r.hessian, 'ms');
  out.push('![gradAndHvp and hessian time against W, log-log](benchmarks-scaling.svg)');
  out.push('');
  out.push(`Log-log slopes (least squares; "upper half" fits the larger half of the points, where fixed per-call costs no longer dominate): ` +
    `gradAndHvp ${g.all.toFixed(2)} (upper half ${g.top.toFixed(2)}; expected ≈ 1), hand-written ${hnd.all.toFixed(2)} (upper half ${hnd.top.toFixed(2)}), ` +
    `hessian ${h.all.toFixed(2)} (upper half ${h.top.toFixed(2)}; expected ≈ 2).`);
  out.push('');
  out.push('| network | W | gradAndHvp ms | hand-written ms | gradAndHvp / hand | local slope |');
  out.push('|---|---:|---:|---:|---:|---:|');
  r.gradAndHvp.forEach((p, i) => {
    const prev = r.gradAndHvp[i - 1];
    const local = prev ? Math.log(p.ms / prev.ms) / Math.log(p.W / prev.W) : NaN;
    out.push(`| ${p.label} | ${p.W.toLocaleString('en-US')} | ${ms(p.ms)} | ${ms(p.handMs)} | ${ratio(p.ms / (p.handMs ?? NaN))} | ${Number.isNaN(local) ? '—' : local.toFixed(2)} |`);
  });
  out.push('');
  out.push('| network | W | hessian ms | µs per H·v column | local slope |');
  out.push('|---|---:|---:|---:|---:|');
  r.hessian.forEach((p, i) => {
    const prev = r.hessian[i - 1];
    const local = prev ? Math.log(p.ms / prev.ms) / Math.log(p.W / prev.W) : NaN;
    out.push(`| ${p.label} | ${p.W.toLocaleString('en-US')} | ${ms(p.ms)} | ${((p.ms * 1e3) / p.W).toFixed(1)} | ${Number.isNaN(local) ? '—' : local.toFixed(2)} |`);
  });
  out.push('');
  for (const n of r.notes) out.push(`- ${n}`);
  out.push('');
  return out;
}

const QUIRKS = [
  '**tfjs needs the full `@tensorflow/tfjs` package in Node**: `@tensorflow/tfjs-core` alone registers no gradient kernels. The cpu backend prints a banner recommending `tfjs-node` (a native build, not used here); the child\'s stdout is discarded.',
  '**tfjs second derivatives through the built-in `tf.tanh` are wrong**: its gradient is written with the saved output y = tanh(x) treated as a constant, so nested `tf.grads` loses the h″(a) term of R{δ} (measured the same for `tf.exp`; reported for `tf.sigmoid` too in tensorflow/tfjs#3252). That row is kept and marked WRONG; the fair row uses a `tf.customGrad` tanh whose gradient 1 − tanh(a)² is recomputed from the saved *input*, which nested grads differentiate correctly.',
  '**tfjs is float32 only** and its H·v here is reverse-over-reverse (∇(∇f·v)); it returns H·v alone, while dualtape\'s `gradAndHvp` and jax-js\'s `jvp(grad(f))` also return ∇f.',
  '**jax-js in Node 20**: a `globalThis.Float16Array` stub class is installed before import (jax-js tests `instanceof Float16Array`, which Node 20 lacks), and the wasm backend is started with `await init(\'wasm\')`. Arrays are reference-counted and consumed by every call, so the loss uses `X.ref` and each call passes `.ref` of its arguments; `dataSync()` consumes the results.',
  '**jax-js jit + float64 gives a wrong H·v when the loss is written `sum(r²)·0.5`**; written `sum(0.5·r²)` it is right (eager float64 and all float32 variants are right either way: see the notes under the sizes with W < 10⁵). The timed jax-js rows use `sum(0.5·r²)`; the other spelling is kept as a WRONG row.',
  '**JAX CPU float64** needs `jax.config.update("jax_enable_x64", True)` before any array is made (otherwise float64 inputs are silently cast to float32); its float32 rows use float32 arrays, which stay float32 with x64 on. `jvp(value_and_grad(f))` is `jvp(grad(f))` that also returns f, as dualtape\'s `gradAndHvp` does.',
  '**jax-js float64 on wasm is not float64-accurate**: its `exp` and `tanh` kernels have up to ~1e-7 relative error (measured in the child, see the notes), so its float64 H·v lands around 1e-8 and is marked WRONG (inexact) at the 1e-10 float64 tolerance. jit rows exclude compilation (the first call is untimed); jit compilation of the H·v program takes seconds at the larger sizes.',
];

/** The whole report; `pinn` is the saved PINN anchor run (benchmarks/jax/pinn.py), quoted when present. */
export function markdownReport(env: Environment, outcomes: readonly Outcome[], pinn?: PinnResults): string {
  const sizes = env.quick ? SIZES_QUICK : SIZES_FULL;
  const out: string[] = [];
  out.push(`# dualtape benchmarks${env.quick ? ' (--quick)' : ''}`);
  out.push('');
  out.push(`Produced by \`${env.command}\` on ${env.date} (${(env.wallSeconds / 60).toFixed(1)} min), commit ${env.commit}.`);
  out.push('');
  out.push('| machine | |');
  out.push('|---|---|');
  out.push(`| CPU | ${env.cpu} |`);
  out.push(`| cores | ${env.cores} |`);
  out.push(`| memory | ${env.memoryGB.toFixed(0)} GB |`);
  out.push(`| Node | ${env.node} |`);
  out.push(`| load average at start (1, 5, 15 min) | ${env.loadAverage} |`);
  out.push(`| peers | ${Object.entries(env.peers).map(([k, v]) => `${k} ${v}`).join(', ')} |`);
  out.push(jaxCpuMachineRow(env));
  out.push('');
  out.push('**How to read this.** Each suite, and each peer variant (tfjs backend × tanh, jax-js mode × precision), runs in its own child Node process (`--expose-gc`), one after another, ' +
    `so no peer\'s JIT state, heap, wasm memory or worker threads disturb another\'s timings${env.quick ? ' (`--quick` runs each peer\'s variants in one process)' : ''}; the parent collects JSON results and writes this file. ` +
    'Times are benchmark.js measurements after one untimed warm-up call (the accuracy check), reported as the fastest sample (each sample is the mean of one cycle of calls): ' +
    'other processes on a shared machine only ever add time, so the fastest sample is the least disturbed; slow methods get 2 samples, fast ones 5 or more. ' +
    'This machine is shared and noisy: absolute milliseconds move between runs, the ratios much less, and **the ratios are what we quote**: each row is also given as × the hand-written ' +
    'plain-JS Float64Array R-propagation (register-blocked kernels) timed in the same process right before and right after the method (the first baseline timing of each process is taken before any peer library is loaded), ' +
    'so that the ratio\'s numerator and denominator have seen the same machine load. The hand-written code calls `Math.tanh`; dualtape\'s own tanh (docs/conventions.md) takes a third to a half of its time, which is part of dualtape\'s ratio at the small and mid sizes. ' +
    '**JAX CPU** (jax with XLA, in Python: `benchmarks/jax/bench.py`) runs right after the dualtape process of each problem, on the same inputs written to files by the Node side, and is timed the same way ' +
    '(one warm-up call that is also the accuracy check, then samples of ≥ 50 ms, fastest sample, every call waited for with `block_until_ready`); the **× JAX CPU** columns divide a method\'s ms by the ms of JAX CPU doing the same job at the same precision.');
  out.push('');
  out.push(`**Accuracy.** Every H·v is compared with \`rPropagation\` before it is timed: rel. error = max |H·v − ref| / max |ref|. Tolerances: ${TOLERANCE.float64.toExponential(0)} for float64 methods, ` +
    `${TOLERANCE.float32.toExponential(0)} for float32 ones (float32 inputs alone round at ~6e-8). Verdicts: **ok** within tolerance; **WRONG (inexact)** over the float64 tolerance but under 1e-3 — ` +
    'the right derivative computed without float64 accuracy (finite differences by design; jax-js float64, whose exp/tanh are float32-accurate); **WRONG** over 1e-3 — a wrong derivative. ' +
    'Rows are never dropped: a wrong or failing method keeps its row, with its time where it could be measured, and a peer that fails to load gets a row saying why.');
  out.push('');
  out.push(...twoLayerSection(env, outcomes, sizes));
  out.push('### Peer quirks handled by the suite');
  out.push('');
  for (const q of QUIRKS) out.push(`- ${q}`);
  out.push('');
  out.push(...headToHeadSection(env, outcomes));
  out.push(...scalingSection(outcomes));
  out.push(...memorySections(env, outcomes, false));
  out.push(...scalarSection(env, outcomes));
  out.push(...hessianSection(env, outcomes));
  out.push(...newtonSection(env, outcomes));
  out.push(...pinnSection(pinn));
  out.push(...pinnDualtapeSection(env, outcomes, pinn));
  out.push(...cnnSection(env, outcomes));
  out.push(...sparseHessianSection(env, outcomes));
  out.push(...compileSection(env, outcomes));
  out.push('## Reproduce');
  out.push('');
  out.push('```sh');
  out.push('pnpm install');
  out.push(`${JAX_INSTALL_HINT}   # optional: the JAX CPU rows (jax 0.10, CPU); pnpm bench uses .venv/bin/python, else python3`);
  out.push('pnpm bench            # everything, writes docs/benchmarks.md and docs/benchmarks-scaling.svg');
  out.push('pnpm bench --quick    # the two smaller sizes, no scaling tails, peers\' variants grouped: about a minute; writes benchmarks/dist/ only');
  out.push('pnpm bench --only=two-layer,memory   # a subset of suites (two-layer, scaling, memory, rosenbrock, hessian, newton, pinn; JAX CPU goes with its problem): writes benchmarks/dist/benchmarks-subset.md, this file is left as it is');
  out.push('pnpm bench --only=pinn   # the PINN suite alone (a few minutes): replaces only the PINN sections of this file');
  out.push('pnpm bench --only=cnn    # the CNN suite alone (a few minutes): replaces only the CNN section of this file');
  out.push('pnpm bench --only=sparse-hessian   # the sparse Hessian suite alone: replaces only its section of this file');
  out.push('pnpm bench --only=compile   # compiled against re-recorded (issue 12, part 1) alone: replaces only its section of this file');
  out.push('pnpm bench --only=head-to-head   # gradAndHvp and JAX CPU in alternating windows (about three minutes): replaces only that section of this file');
  out.push('pnpm bench --only=memory    # the memory suite alone (two-layer, and the deep network with checkpoints): replaces only its sections of this file');
  out.push('pnpm bench --report-from=$PWD/benchmarks/dist/results.json   # re-render this file from the saved raw results');
  out.push('```');
  out.push('');
  return out.join('\n');
}
