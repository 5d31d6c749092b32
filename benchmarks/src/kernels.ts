/**
 * `pnpm bench:kernels`: the matrix-product backends of @dualtape/core side by side, in one process.
 *
 *   1. GFLOP/s of each kernel (A·B, A·Bᵀ, Aᵀ·B) on each backend ('js', 'wasm', 'wasm-threads',
 *      'auto') at the products of the 784-1024-10 network with N = 256, and a sweep of small and
 *      medium sizes that shows where 'auto' should switch (the crossovers behind WASM_MIN_WORK and
 *      THREADS_MIN_WORK in packages/core/src/kernels/backend.ts).
 *   2. gradAndHvp of the two-layer tanh network at every benchmark size on each backend, as × the
 *      hand-written plain-JS R-propagation (benchmarks/src/hand-written.ts) timed right before and
 *      right after it, and the largest relative H·v difference between backends (target ≤ 1e-13).
 *
 * Timings are benchmark.js means; every measurement is repeated in rounds that interleave the
 * backends, and the tables quote the median over rounds (the machine is shared: the ratios, taken
 * between neighbouring timings, are what to read).
 *
 *   pnpm bench:kernels            all sizes, 3 rounds (about 8 min); writes docs/benchmarks-kernels.md
 *   pnpm bench:kernels --quick    the two smaller network sizes and a shorter sweep, 2 rounds;
 *                                 writes benchmarks/dist/benchmarks-kernels-quick.md
 * (the raw numbers go to benchmarks/dist/kernels[-quick].json either way).
 */
import { getKernelBackend, gradAndHvp, setKernelBackend, type KernelBackend } from '@dualtape/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gemmAB, gemmABt, gemmAtB } from '../../packages/core/src/kernels/backend.js';
import { gradAndHvpByHand } from './hand-written.js';
import { maxRelDiff, time } from './lib/measure.js';
import { flat, reference, sizeLabel, twoLayerProblem } from './lib/problem.js';
import type { Size } from './lib/protocol.js';
import { SIZES_FULL, SIZES_QUICK } from './report/markdown.js';
import { randomArray, sseLoss } from './two-layer.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 3;
const BACKENDS: readonly KernelBackend[] = ['js', 'wasm', 'wasm-threads', 'auto'];
type Gemm = typeof gemmAB;
const KERNELS: ReadonlyArray<readonly [string, Gemm]> = [['A·B', gemmAB], ['A·Bᵀ', gemmABt], ['Aᵀ·B', gemmAtB]];

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const out: string[] = [];
const log = (line = '') => {
  out.push(line);
  console.log(line);
};

/** Runs `fn` under `backend`, leaving 'auto' set afterwards. */
function under<T>(backend: KernelBackend, fn: () => T): T {
  setKernelBackend(backend);
  try {
    return fn();
  } finally {
    setKernelBackend('auto');
  }
}

/** Mean ms per call by benchmark.js, with the backend set for the whole measurement. */
function timeUnder(backend: KernelBackend, fn: () => unknown, maxSeconds?: number): number {
  return under(backend, () => time(fn, quick || maxSeconds !== undefined, undefined).ms);
}

// ---------------------------------------------------------------------------------------------
// 1. Kernel GFLOP/s.

interface KernelRow {
  readonly label: string;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Median GFLOP/s per backend, per kernel. */
  readonly gflops: Record<string, Record<string, number>>;
}

function kernelRows(shapes: ReadonlyArray<readonly [string, number, number, number]>, kernels: typeof KERNELS): KernelRow[] {
  const rows: KernelRow[] = [];
  for (const [label, m, n, k] of shapes) {
    const A = randomArray(m * k, 1);
    const B = randomArray(k * n, 2);
    const C = new Float64Array(m * n);
    const samples: Record<string, Record<string, number[]>> = {};
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, fn] of kernels) {
        for (const backend of BACKENDS) {
          // Untimed call first: compiles the module, starts the workers, warms the JIT.
          under(backend, () => fn(A, B, C, m, n, k, false));
          const ms = timeUnder(backend, () => fn(A, B, C, m, n, k, false), 0.1);
          ((samples[name] ??= {})[backend] ??= []).push((2 * m * n * k) / (ms * 1e6));
        }
      }
    }
    const gflops: Record<string, Record<string, number>> = {};
    for (const [name] of kernels) for (const backend of BACKENDS) (gflops[name] ??= {})[backend] = median(samples[name][backend]);
    rows.push({ label, m, n, k, gflops });
    process.stderr.write(`kernels ${label} m=${m} n=${n} k=${k} done\n`);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// 2. gradAndHvp of the two-layer network.

interface NetworkRow {
  readonly size: Size;
  readonly W: number;
  /** Median over rounds of ms / (adjacent hand-written ms), per backend. */
  readonly xHand: Record<string, number>;
  /** Median over rounds of ms, per backend, and of the hand-written baseline. */
  readonly ms: Record<string, number>;
  readonly handMs: number;
  /** Largest relative H·v difference between any backend and 'js'. */
  readonly maxDiff: number;
  /** Relative error of 'auto' against the @dualtape/nn reference R-propagation. */
  readonly refErr: number;
}

function networkRow(size: Size): NetworkRow {
  const problem = twoLayerProblem(size);
  const { net, p, v, X, T, N, W } = problem;
  const f = sseLoss(net, X, T, N);
  const hvps = Object.fromEntries(BACKENDS.map((b) => [b, under(b, () => flat(gradAndHvp(f, p, v).hvp))]));
  let maxDiff = 0;
  for (const b of BACKENDS) maxDiff = Math.max(maxDiff, maxRelDiff(hvps[b], hvps.js));
  const refErr = maxRelDiff(hvps.auto, reference(problem).hvp);
  const hand = () => time(() => gradAndHvpByHand(net, p, v, X, T, N), quick).ms;
  const ratios: Record<string, number[]> = {};
  const times: Record<string, number[]> = {};
  const handTimes: number[] = [];
  let before = hand();
  handTimes.push(before);
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order so that no backend always follows the same one.
    const order = r % 2 ? [...BACKENDS].reverse() : BACKENDS;
    for (const b of order) {
      const ms = timeUnder(b, () => gradAndHvp(f, p, v));
      const after = hand();
      handTimes.push(after);
      (ratios[b] ??= []).push(ms / Math.sqrt(before * after));
      (times[b] ??= []).push(ms);
      before = after;
    }
  }
  const xHand = Object.fromEntries(BACKENDS.map((b) => [b, median(ratios[b])]));
  const ms = Object.fromEntries(BACKENDS.map((b) => [b, median(times[b])]));
  process.stderr.write(`gradAndHvp ${sizeLabel(size)} done\n`);
  return { size, W, xHand, ms, handMs: median(handTimes), maxDiff, refErr };
}

// ---------------------------------------------------------------------------------------------

const started = performance.now();
const info = getKernelBackend();
const cpu = os.cpus()[0]?.model ?? 'unknown';
log(`# dualtape kernel backends${quick ? ' (--quick)' : ''}`);
log();
log(`${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpu}, ${os.availableParallelism?.() ?? os.cpus().length} cores, Node ${process.version}, load average at start ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}.`);
log(`Backends available: wasm ${info.wasm}, wasm-threads ${info.wasmThreads} (${info.threads} threads). 'auto' thresholds: WebAssembly from m·n·k ≥ ${info.wasmMinWork}, threads from m·n·k ≥ ${info.threadsMinWork.toExponential(1)}.`);
log(`Medians over ${ROUNDS} interleaved rounds of benchmark.js means; the machine may be shared, so read the ratios.`);
log();

const bigShapes = [
  ['X·W1ᵀ forward and tangent', 256, 1024, 784],
  ['W1 adjoint, Xᵀ·δ', 784, 1024, 256],
  ['second layer, Z·W2ᵀ', 256, 10, 1024],
  ['δ·W2 back to the hidden layer', 256, 1024, 10],
] as const;
const big = kernelRows(bigShapes, KERNELS);
log('## Kernel GFLOP/s at the 784-1024-10, N = 256 products');
log();
log('| product | m×n×k | kernel | js | wasm | wasm-threads | auto | wasm ÷ js | threads ÷ js |');
log('|---|---|---|---:|---:|---:|---:|---:|---:|');
for (const row of big) {
  for (const [name] of KERNELS) {
    const g = row.gflops[name];
    log(`| ${row.label} | ${row.m}×${row.n}×${row.k} | ${name} | ${fmt(g.js)} | ${fmt(g.wasm)} | ${fmt(g['wasm-threads'])} | ${fmt(g.auto)} | ${fmt(g.wasm / g.js, 1)}× | ${fmt(g['wasm-threads'] / g.js, 1)}× |`);
  }
}
log();

// The sweep for the thresholds: one kernel (A·B; the three share all code but packing).
const sweepSizes: Array<[number, number, number]> = quick
  ? [[4, 4, 4], [8, 8, 8], [16, 16, 16], [1, 64, 64], [64, 64, 64], [128, 128, 128], [256, 256, 256]]
  : [
    [2, 2, 2], [4, 4, 4], [6, 6, 6], [8, 8, 8], [12, 12, 12], [16, 16, 16], [32, 32, 32],
    [1, 64, 64], [100, 100, 1], [1024, 1, 256], [256, 2, 512], [64, 5, 20], [64, 20, 10],
    [48, 48, 48], [64, 64, 64], [96, 96, 96], [128, 128, 128], [160, 160, 160], [203, 203, 203], [256, 256, 256], [384, 384, 384],
  ];
const sweep = kernelRows(sweepSizes.map(([m, n, k]) => [`${m}×${n}×${k}`, m, n, k] as const), [KERNELS[0]]);
log('## Where auto switches: A·B, GFLOP/s by size');
log();
log('| m×n×k | m·n·k | js | wasm | wasm-threads | auto | auto ÷ js (≥ 1 is no slower) | threads ÷ wasm |');
log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const row of sweep) {
  const g = row.gflops[KERNELS[0][0]];
  log(`| ${row.label} | ${row.m * row.n * row.k} | ${fmt(g.js)} | ${fmt(g.wasm)} | ${fmt(g['wasm-threads'])} | ${fmt(g.auto)} | ${fmt(g.auto / g.js)} | ${fmt(g['wasm-threads'] / g.wasm)} |`);
}
log();
log(`Below m·n·k = ${info.wasmMinWork} 'auto' runs the JS kernel itself, so there its column differs from js by timing noise only. "threads ÷ wasm" is what splitting across ${info.threads} threads gained at that size in this run (it depends on what else the machine is running); 'auto' splits from m·n·k = ${info.threadsMinWork.toLocaleString('en-US')} and backs off to one thread while its splits stop paying.`);
log();

const sizes = quick ? SIZES_QUICK : SIZES_FULL;
const nets = sizes.map(networkRow);
log('## gradAndHvp (f, ∇f, H·v; float64) as × the hand-written plain-JS R-propagation');
log();
log('Each ratio divides the backend\'s time by the geometric mean of the hand-written R-propagation (`gradAndHvpByHand`, benchmarks/src/hand-written.ts) timed just before and just after it. "max H·v diff" is the largest relative difference (max |Δ| / max |H·v|) between any backend\'s H·v and the js backend\'s; "error" is auto\'s against the @dualtape/nn reference R-propagation.');
log();
log('| size | W | hand-written ms | js | wasm | wasm-threads | auto | auto ÷ js | max H·v diff | error |');
log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of nets) {
  log(`| ${sizeLabel(r.size)} | ${r.W.toLocaleString('en-US')} | ${fmt(r.handMs, r.handMs < 1 ? 3 : 1)} | ${fmt(r.xHand.js)}× | ${fmt(r.xHand.wasm)}× | ${fmt(r.xHand['wasm-threads'])}× | ${fmt(r.xHand.auto)}× | ${fmt(r.xHand.auto / r.xHand.js)} | ${r.maxDiff.toExponential(1)} | ${r.refErr.toExponential(1)} |`);
}
log();
const target = nets.find((r) => r.size.join() === '784,1024,10,256');
if (target) {
  log(`Target (784-1024-10, N = 256): auto gradAndHvp at ${fmt(target.xHand.auto)}× the hand-written R-propagation (goal ≤ 0.5×): ${target.xHand.auto <= 0.5 ? 'met' : 'NOT met'}; H·v agreement between backends ${target.maxDiff.toExponential(1)} (goal ≤ 1e-13): ${target.maxDiff <= 1e-13 ? 'met' : 'NOT met'}.`);
}
const worst = Math.max(...nets.map((r) => r.maxDiff));
log(`Largest H·v difference between backends over all sizes: ${worst.toExponential(1)} (goal ≤ 1e-13: ${worst <= 1e-13 ? 'met' : 'NOT met'}).`);
log(`Wall time ${((performance.now() - started) / 1e3).toFixed(0)} s.`);

// Like `pnpm bench`: a full run writes its report to docs/, a quick one only to benchmarks/dist/.
const distDir = path.dirname(fileURLToPath(import.meta.url));
const docsDir = path.resolve(distDir, '../../docs');
mkdirSync(distDir, { recursive: true });
writeFileSync(path.join(quick ? distDir : docsDir, quick ? 'benchmarks-kernels-quick.md' : 'benchmarks-kernels.md'), `${out.join('\n')}\n`);
writeFileSync(path.join(distDir, quick ? 'kernels-quick.json' : 'kernels.json'), JSON.stringify({ info, big, sweep, nets }, null, 1));
process.exit(0);
