/** The Markdown report: machine, method, the tables. Written to docs/benchmarks.md and printed. */
import { logLogSlope } from '../lib/measure.js';
import { sizeLabel } from '../lib/problem.js';
import {
  TOLERANCE, type HessianResult, type MemoryResult, type MethodResult, type NewtonResult, type RosenbrockResult,
  type ScalingPoint, type ScalingResult, type Size, type Task, type TwoLayerResult,
} from '../lib/protocol.js';

export interface Outcome {
  readonly task: Task;
  readonly result?: unknown;
  readonly error?: string;
  readonly seconds: number;
}

export interface Environment {
  readonly command: string;
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGB: number;
  readonly node: string;
  readonly loadAverage: string;
  readonly commit: string;
  readonly peers: Record<string, string>;
  readonly wallSeconds: number;
  readonly quick: boolean;
}

export const SIZES_FULL: Size[] = [[10, 20, 5, 64], [100, 200, 10, 256], [784, 256, 10, 128], [784, 1024, 10, 256]];
export const SIZES_QUICK: Size[] = SIZES_FULL.slice(0, 2);

const ms = (x: number | null | undefined) => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x < 1) return x.toFixed(3);
  if (x < 100) return x.toFixed(2);
  return x.toFixed(0);
};
const ratio = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x < 10 ? `${x.toFixed(2)}×` : `${x.toFixed(1)}×`);
const sci = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x === 0 ? '0' : Number.isNaN(x) ? 'NaN' : x.toExponential(1));
const mb = (x: number) => (x < 0.05 ? '0.0' : x.toFixed(1));
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const sameSize = (a: Size, b: Size) => a.every((x, i) => x === b[i]);
const verdictText = (m: MethodResult) => (m.verdict === 'WRONG' ? '**WRONG**' : m.verdict);
const flag = (m: MethodResult) => (m.verdict === 'WRONG' ? ' **WRONG**' : m.verdict === 'WRONG (inexact)' ? ' WRONG (inexact)' : m.verdict === 'not run' ? ' not run' : '');

function failure(outcomes: readonly Outcome[], pred: (t: Task) => boolean): string[] {
  return outcomes.filter((o) => pred(o.task) && o.error !== undefined).map((o) => `> **suite failed** (${JSON.stringify(o.task)}): ${cell(o.error!.split('\n').slice(0, 3).join(' '))}`);
}

/** Rows that compute one H·v from scratch (not the baselines, not gradient-only, not the reusing operator). */
const FROM_SCRATCH = (m: MethodResult) => !['hand', 'nn.rPropagation', 'dualtape.valueAndGrad', 'dualtape.apply'].includes(m.id);

/** A sentence per size naming the fastest correct methods, computed from the rows. */
function findings(methods: readonly MethodResult[]): string[] {
  const ok = methods.filter((m) => FROM_SCRATCH(m) && m.verdict === 'ok' && m.xHand !== null);
  const by = (a: MethodResult, b: MethodResult) => a.xHand! - b.xHand!;
  const fastest = [...ok].sort(by)[0];
  const fastest64 = ok.filter((m) => m.precision === 'float64').sort(by)[0];
  const gh = methods.find((m) => m.id === 'dualtape.gradAndHvp');
  const apply = methods.find((m) => m.id === 'dualtape.apply');
  if (!fastest) return [];
  const parts = [`Fastest H·v from scratch within its tolerance: **${fastest.label}** (${ratio(fastest.xHand)}, ${fastest.precision})`];
  if (fastest64 && fastest64 !== fastest) parts.push(`fastest within the float64 tolerance: **${fastest64.label}** (${ratio(fastest64.xHand)})`);
  if (gh && gh !== fastest && gh !== fastest64 && gh.xHand !== null && fastest.xHand !== null) parts.push(`dualtape gradAndHvp ${ratio(gh.xHand)}, ${(gh.xHand / fastest.xHand).toFixed(2)}× the time of the fastest`);
  if (apply && apply.xHand !== null) parts.push(`with the point recorded once, \`hvpOperator(...).apply\` ${ratio(apply.xHand)}`);
  return [`${parts.join('; ')}.`];
}

function twoLayerSection(outcomes: readonly Outcome[], sizes: readonly Size[]): string[] {
  const results = outcomes.filter((o) => o.result && (o.result as TwoLayerResult).suite === 'two-layer').map((o) => o.result as TwoLayerResult);
  const out: string[] = [];
  out.push('## Two-layer tanh network, sum-of-squares error: H·v');
  out.push('');
  out.push('E(w) = ½ Σₙₖ (yₙₖ − tₙₖ)², y = tanh(X·W1ᵀ + b1)·W2ᵀ + b2, sizes D-H-K with N patterns, W parameters. ' +
    'Every method computes H·v for the same w, v, X, T (seeded), and is checked against `rPropagation` of `@dualtape/nn` ' +
    '(the hand-derived PRML §5.4.6 R-propagation, float64) before it is timed.');
  out.push('');
  // Method order: as the groups report them.
  const order: { id: string; label: string; precision: string }[] = [];
  for (const r of results) for (const m of r.methods) if (!order.some((o) => o.id === m.id)) order.push({ id: m.id, label: m.label, precision: m.precision });
  const bySize = sizes.map((s) => results.filter((r) => sameSize(r.size, s)));
  const W = (i: number) => bySize[i][0]?.W;
  out.push('### Summary: time per call as × the hand-written R-propagation (lower is faster)');
  out.push('');
  out.push('Each ratio divides the method\'s time by the geometric mean of two timings of the hand-written plain-JS R-propagation ' +
    'taken in the same child process just before and just after the method. The hand-written row is that baseline timed as a method, so its distance from 1.00× shows the timing noise.');
  out.push('');
  out.push(`| method | precision | ${sizes.map((s, i) => `${sizeLabel(s)}${W(i) ? ` (W=${W(i)!.toLocaleString('en-US')})` : ''}`).join(' | ')} |`);
  out.push(`|---|---|${sizes.map(() => '---:').join('|')}|`);
  for (const o of order) {
    const cells = bySize.map((rs) => {
      const m = rs.flatMap((r) => r.methods).find((x) => x.id === o.id);
      if (!m) return '—';
      return `${ratio(m.xHand)}${flag(m)}`;
    });
    out.push(`| ${cell(o.label)} | ${o.precision} | ${cells.join(' | ')} |`);
  }
  out.push('');
  sizes.forEach((s, i) => {
    const rs = bySize[i];
    out.push(`### ${sizeLabel(s)}${W(i) ? `, W = ${W(i)!.toLocaleString('en-US')}` : ''}`);
    out.push('');
    out.push('| method | precision | ms / call (fastest sample) | hand-written ms, adjacent | × hand-written | rel. error of H·v | verdict | samples | note |');
    out.push('|---|---|---:|---:|---:|---:|---|---:|---|');
    for (const r of rs) {
      for (const m of r.methods) {
        out.push(`| ${cell(m.label)} | ${m.precision} | ${ms(m.ms)} | ${ms(m.handMs)} | ${ratio(m.xHand)} | ${sci(m.err)} | ${verdictText(m)} | ${m.samples ?? '—'} | ${cell(m.note ?? '')} |`);
      }
    }
    out.push('');
    const own = rs.find((r) => r.group === 'dualtape');
    const peers = rs.filter((r) => r.group !== 'dualtape' && r.handTimings.length);
    const all = peers.flatMap((r) => r.handTimings);
    out.push(`Hand-written baseline timings: ${own ? `dualtape process median ${ms(own.handMs)} ms (${ms(Math.min(...own.handTimings))}–${ms(Math.max(...own.handTimings))} over ${own.handTimings.length} timings)` : 'dualtape process failed'}` +
      `${all.length ? `; the ${peers.length} peer processes ${ms(Math.min(...all))}–${ms(Math.max(...all))} ms (medians ${ms(Math.min(...peers.map((r) => r.handMs)))}–${ms(Math.max(...peers.map((r) => r.handMs)))})` : ''}.`);
    out.push('');
    out.push(...findings(rs.flatMap((r) => r.methods)));
    out.push('');
    const notes = [...new Set(rs.flatMap((r) => r.notes))];
    for (const n of notes) out.push(`- ${n}`);
    if (notes.length) out.push('');
    out.push(...failure(outcomes, (t) => t.suite === 'two-layer' && sameSize(t.size, s)));
  });
  return out;
}

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

function memorySection(outcomes: readonly Outcome[]): string[] {
  const rs = outcomes.filter((o) => o.result && (o.result as MemoryResult).suite === 'memory').map((o) => o.result as MemoryResult);
  const out: string[] = ['## Memory of one gradAndHvp call against the hand-written R-propagation', ''];
  out.push('Each (size, method) runs in a fresh process (`--expose-gc`), after a warm-up on a tiny network. ' +
    '**Peak RSS Δ**: the highest resident set size sampled by a worker thread every ~0.5 ms during the call, minus RSS just before it. ' +
    '**Heap Δ at end**: V8 heap + ArrayBuffer bytes right after the call minus before it (gc() before; uncollected garbage included). ' +
    '**Retained**: the same after dropping the result and gc(): what stays allocated (dualtape keeps its tape storage for reuse). ' +
    'One result set (f, ∇f, H·v) is 16·W bytes.');
  out.push('');
  out.push('| network | W | method | ms (this call) | peak RSS Δ MB | heap Δ at end MB | retained MB | bytes per parameter (peak RSS Δ / W) | process peak RSS MB |');
  out.push('|---|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rs) {
    out.push(`| ${sizeLabel(r.size)} | ${r.W.toLocaleString('en-US')} | ${r.method} | ${ms(r.ms)} | ${mb(r.peakRssMB)} | ${mb(r.heapEndMB)} | ${mb(r.retainedMB)} | ${r.peakRssMB >= 1 ? ((r.peakRssMB * 1024 * 1024) / r.W).toFixed(0) : '—'} | ${r.processPeakRssMB.toFixed(0)} |`);
  }
  out.push('');
  out.push(...failure(outcomes, (t) => t.suite === 'memory'));
  return out;
}

function scalarSection(outcomes: readonly Outcome[]): string[] {
  const out: string[] = ['## Scalar graph: extended Rosenbrock written with scalar ops', ''];
  const o = outcomes.find((x) => x.task.suite === 'rosenbrock');
  if (!o?.result) return [...out, ...failure(outcomes, (t) => t.suite === 'rosenbrock'), ''];
  const r = o.result as RosenbrockResult;
  out.push('f(x) = Σᵢ 100(x₂ᵢ − x₂ᵢ₋₁²)² + (1 − x₂ᵢ₋₁)², every operation a scalar node on the tape. H·v checked against the closed form (2×2 blocks), which is also timed as the floor: a plain loop with no AD.');
  out.push('');
  out.push('| n | tape nodes | gradAndHvp ms | ns / node | valueAndGrad ms | ns / node | closed-form H·v ms | gradAndHvp / closed form | rel. error vs closed form |');
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  out.push(`| ${r.n.toLocaleString('en-US')} | ${r.nodes.toLocaleString('en-US')} | ${ms(r.gradAndHvpMs)} | ${((r.gradAndHvpMs * 1e6) / r.nodes).toFixed(1)} | ${ms(r.valueAndGradMs)} | ${((r.valueAndGradMs * 1e6) / r.nodes).toFixed(1)} | ${ms(r.closedFormMs)} | ${ratio(r.gradAndHvpMs / r.closedFormMs)} | ${sci(r.err)} |`);
  out.push('');
  return out;
}

function hessianNewtonSection(outcomes: readonly Outcome[]): string[] {
  const out: string[] = ['## Full Hessian: `hessian` (one recording, W tangent sweeps) against W separate `hvp` calls', ''];
  const h = outcomes.find((x) => x.task.suite === 'hessian')?.result as HessianResult | undefined;
  if (h) {
    out.push('f(x) = Σ tanh((A·x)ᵢ) + ½‖x‖² with a dense W×W matrix A; columns checked against hvp with unit vectors.');
    out.push('');
    out.push('| W | hessian ms | W × hvp ms | speed-up | rel. error of checked columns |');
    out.push('|---:|---:|---:|---:|---:|');
    out.push(`| ${h.W} | ${ms(h.hessianMs)} | ${ms(h.separateMs)} | ${ratio(h.separateMs / h.hessianMs)} | ${sci(h.err)} |`);
  } else out.push(...failure(outcomes, (t) => t.suite === 'hessian'));
  out.push('');
  out.push('## Newton-CG (trust region, Steihaug CG) on extended Rosenbrock, tensor ops');
  out.push('');
  const n = outcomes.find((x) => x.task.suite === 'newton')?.result as NewtonResult | undefined;
  if (n) {
    out.push('| n | wall time s | iterations | H·v products | final f | converged |');
    out.push('|---:|---:|---:|---:|---:|---|');
    out.push(`| ${n.n.toLocaleString('en-US')} | ${n.seconds.toFixed(2)} | ${n.iterations} | ${n.hvpCount} | ${n.value.toExponential(2)} | ${n.converged} |`);
  } else out.push(...failure(outcomes, (t) => t.suite === 'newton'));
  out.push('');
  return out;
}

const QUIRKS = [
  '**tfjs needs the full `@tensorflow/tfjs` package in Node**: `@tensorflow/tfjs-core` alone registers no gradient kernels. The cpu backend prints a banner recommending `tfjs-node` (a native build, not used here); the child\'s stdout is discarded.',
  '**tfjs second derivatives through the built-in `tf.tanh` are wrong**: its gradient is written with the saved output y = tanh(x) treated as a constant, so nested `tf.grads` loses the h″(a) term of R{δ} (measured the same for `tf.exp`; reported for `tf.sigmoid` too in tensorflow/tfjs#3252). That row is kept and marked WRONG; the fair row uses a `tf.customGrad` tanh whose gradient 1 − tanh(a)² is recomputed from the saved *input*, which nested grads differentiate correctly.',
  '**tfjs is float32 only** and its H·v here is reverse-over-reverse (∇(∇f·v)); it returns H·v alone, while dualtape\'s `gradAndHvp` and jax-js\'s `jvp(grad(f))` also return ∇f.',
  '**jax-js in Node 20**: a `globalThis.Float16Array` stub class is installed before import (jax-js tests `instanceof Float16Array`, which Node 20 lacks), and the wasm backend is started with `await init(\'wasm\')`. Arrays are reference-counted and consumed by every call, so the loss uses `X.ref` and each call passes `.ref` of its arguments; `dataSync()` consumes the results.',
  '**jax-js jit + float64 gives a wrong H·v when the loss is written `sum(r²)·0.5`**; written `sum(0.5·r²)` it is right (eager float64 and all float32 variants are right either way: see the notes under the sizes with W < 10⁵). The timed jax-js rows use `sum(0.5·r²)`; the other spelling is kept as a WRONG row.',
  '**jax-js float64 on wasm is not float64-accurate**: its `exp` and `tanh` kernels have up to ~1e-7 relative error (measured in the child, see the notes), so its float64 H·v lands around 1e-8 and is marked WRONG (inexact) at the 1e-10 float64 tolerance. jit rows exclude compilation (the first call is untimed); jit compilation of the H·v program takes seconds at the larger sizes.',
];

export function markdownReport(env: Environment, outcomes: readonly Outcome[]): string {
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
  out.push('');
  out.push('**How to read this.** Each suite, and each peer variant (tfjs backend × tanh, jax-js mode × precision), runs in its own child Node process (`--expose-gc`), one after another, ' +
    `so no peer\'s JIT state, heap, wasm memory or worker threads disturb another\'s timings${env.quick ? ' (`--quick` runs each peer\'s variants in one process)' : ''}; the parent collects JSON results and writes this file. ` +
    'Times are benchmark.js measurements after one untimed warm-up call (the accuracy check), reported as the fastest sample (each sample is the mean of one cycle of calls): ' +
    'other processes on a shared machine only ever add time, so the fastest sample is the least disturbed; slow methods get 2 samples, fast ones 5 or more. ' +
    'This machine is shared and noisy: absolute milliseconds move between runs, the ratios much less, and **the ratios are what we quote**: each row is also given as × the hand-written ' +
    'plain-JS Float64Array R-propagation (register-blocked kernels) timed in the same process right before and right after the method (the first baseline timing of each process is taken before any peer library is loaded), ' +
    'so that the ratio\'s numerator and denominator have seen the same machine load.');
  out.push('');
  out.push(`**Accuracy.** Every H·v is compared with \`rPropagation\` before it is timed: rel. error = max |H·v − ref| / max |ref|. Tolerances: ${TOLERANCE.float64.toExponential(0)} for float64 methods, ` +
    `${TOLERANCE.float32.toExponential(0)} for float32 ones (float32 inputs alone round at ~6e-8). Verdicts: **ok** within tolerance; **WRONG (inexact)** over the float64 tolerance but under 1e-3 — ` +
    'the right derivative computed without float64 accuracy (finite differences by design; jax-js float64, whose exp/tanh are float32-accurate); **WRONG** over 1e-3 — a wrong derivative. ' +
    'Rows are never dropped: a wrong or failing method keeps its row, with its time where it could be measured, and a peer that fails to load gets a row saying why.');
  out.push('');
  out.push(...twoLayerSection(outcomes, sizes));
  out.push('### Peer quirks handled by the suite');
  out.push('');
  for (const q of QUIRKS) out.push(`- ${q}`);
  out.push('');
  out.push(...scalingSection(outcomes));
  out.push(...memorySection(outcomes));
  out.push(...scalarSection(outcomes));
  out.push(...hessianNewtonSection(outcomes));
  out.push('## Reproduce');
  out.push('');
  out.push('```sh');
  out.push('pnpm install');
  out.push('pnpm bench            # everything, writes docs/benchmarks.md and docs/benchmarks-scaling.svg');
  out.push('pnpm bench --quick    # the two smaller sizes, no scaling tails, peers\' variants grouped: about a minute; writes benchmarks/dist/ only');
  out.push('pnpm bench --only=two-layer,memory   # a subset of suites (two-layer, scaling, memory, rosenbrock, hessian, newton)');
  out.push('pnpm bench --report-from=$PWD/benchmarks/dist/results.json   # re-render this file from the saved raw results');
  out.push('```');
  out.push('');
  return out.join('\n');
}
