/**
 * `pnpm bench:kernels`: the matrix-product backends of @dualtape/core side by side, in one process.
 *
 *   1. GFLOP/s of each kernel (A·B, A·Bᵀ, Aᵀ·B) on each backend ('js', 'wasm', 'wasm-threads',
 *      'auto'), without and with fused multiply-add (relaxed SIMD), at the products of the
 *      784-1024-10 network with N = 256: one thread ('wasm') against all cores ('wasm-threads').
 *   2. One thread against all cores at the products of the mid-size networks (100-200-10, N = 256;
 *      784-256-10, N = 128), where THREADS_MIN_WORK in packages/core/src/kernels/backend.ts is set,
 *      and a sweep of small sizes for WASM_MIN_WORK (JS against WebAssembly).
 *   3. gradAndHvp of the two-layer tanh network at every benchmark size on each backend, as × the
 *      hand-written plain-JS R-propagation (benchmarks/src/hand-written.ts) timed right before and
 *      right after it, the call's effective GFLOP/s (twice its multiply-adds over its time), and the
 *      largest relative H·v difference between backends (target ≤ 1e-13).
 *
 * The FMA columns need WebAssembly relaxed SIMD; on Node 20 this script turns V8's
 * --experimental-wasm-relaxed-simd on for itself through setKernelBackend(…, { fma: true }) (the
 * explicit opt-in), and the plain columns pin fma: false.
 *
 * Timings are benchmark.js fastest samples; every measurement is repeated in rounds that interleave
 * the backends, and the tables quote the median over rounds (the machine is shared: the ratios, taken
 * between neighbouring timings, are what to read).
 *
 *   pnpm bench:kernels            all sizes, 3 rounds (about 12 min); writes docs/benchmarks-kernels.md
 *   pnpm bench:kernels --quick    the two smaller network sizes and shorter sweeps, 2 rounds;
 *                                 writes benchmarks/dist/benchmarks-kernels-quick.md
 * (the raw numbers go to benchmarks/dist/kernels[-quick].json either way).
 */
import { getKernelBackend, gradAndHvp, setKernelBackend, type KernelBackend } from '@dualtape/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gemm, gemmAB, gemmABt, gemmAtB, multiplyAddsSoFar } from '../../packages/core/src/kernels/backend.js';
import { defaultThreadCount } from '../../packages/core/src/kernels/threads.js';
import { gradAndHvpByHand } from './hand-written.js';
import { maxRelDiff, median, time } from './lib/measure.js';
import { flat, reference, sizeLabel, twoLayerProblem } from './lib/problem.js';
import type { Size } from './lib/protocol.js';
import { SIZES_FULL, SIZES_QUICK } from './report/markdown.js';
import { randomArray, sseLoss } from './two-layer.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 3;
const THREADS = defaultThreadCount();

/** One column of the tables: a backend with its options. */
interface Variant {
  readonly label: string;
  readonly backend: KernelBackend;
  readonly fma: boolean;
}
const PLAIN: readonly Variant[] = [
  { label: 'js', backend: 'js', fma: false },
  { label: 'wasm', backend: 'wasm', fma: false },
  { label: 'threads', backend: 'wasm-threads', fma: false },
  { label: 'auto', backend: 'auto', fma: false },
];
// The explicit opt-in: on Node 20 this sets V8's relaxed-SIMD flag for this process.
const fmaRuns = (() => {
  try {
    setKernelBackend('auto', { fma: true });
    return true;
  } catch {
    return false;
  } finally {
    setKernelBackend('auto', { fma: false });
  }
})();
const FUSED: readonly Variant[] = fmaRuns
  ? [
    { label: 'wasm fma', backend: 'wasm', fma: true },
    { label: 'threads fma', backend: 'wasm-threads', fma: true },
    { label: 'auto fma', backend: 'auto', fma: true },
  ]
  : [];
const VARIANTS = [...PLAIN, ...FUSED];
const byLabel = (label: string) => VARIANTS.find((v) => v.label === label);
type Gemm = typeof gemmAB;
const KERNELS: ReadonlyArray<readonly [string, Gemm]> = [['A·B', gemmAB], ['A·Bᵀ', gemmABt], ['Aᵀ·B', gemmAtB]];

const fmt = (x: number | undefined, digits = 2) => (x !== undefined && Number.isFinite(x) ? x.toFixed(digits) : '—');
const out: string[] = [];
const log = (line = '') => {
  out.push(line);
  console.log(line);
};

/** Runs `fn` under `variant`, leaving plain 'auto' set afterwards. */
function under<T>(variant: Variant, fn: () => T): T {
  setKernelBackend(variant.backend, { fma: variant.fma });
  try {
    return fn();
  } finally {
    setKernelBackend('auto', { fma: false });
  }
}

/** Fastest-sample ms per call by benchmark.js, with the variant set for the whole measurement. */
function timeUnder(variant: Variant, fn: () => unknown, short = false): number {
  return under(variant, () => time(fn, quick || short, undefined).ms);
}

// ---------------------------------------------------------------------------------------------
// 1. Kernel GFLOP/s.

interface KernelRow {
  readonly label: string;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Median GFLOP/s per variant label, per kernel. */
  readonly gflops: Record<string, Record<string, number>>;
}

function kernelRows(shapes: ReadonlyArray<readonly [string, number, number, number]>, kernels: typeof KERNELS, variants: readonly Variant[]): KernelRow[] {
  const rows: KernelRow[] = [];
  for (const [label, m, n, k] of shapes) {
    const A = randomArray(m * k, 1);
    const B = randomArray(k * n, 2);
    const C = new Float64Array(m * n);
    const samples: Record<string, Record<string, number[]>> = {};
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, fn] of kernels) {
        for (const variant of variants) {
          // Untimed call first: compiles the module, starts the workers, warms the JIT.
          under(variant, () => fn(A, B, C, m, n, k, false));
          const ms = timeUnder(variant, () => fn(A, B, C, m, n, k, false), true);
          ((samples[name] ??= {})[variant.label] ??= []).push((2 * m * n * k) / (ms * 1e6));
        }
      }
    }
    const gflops: Record<string, Record<string, number>> = {};
    for (const [name] of kernels) for (const v of variants) (gflops[name] ??= {})[v.label] = median(samples[name][v.label]);
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
  /** Median over rounds of ms / (adjacent hand-written ms), per variant. */
  readonly xHand: Record<string, number>;
  /** Median over rounds of ms, per variant, and of the hand-written baseline. */
  readonly ms: Record<string, number>;
  readonly handMs: number;
  /** Multiply-adds of the matrix products in one gradAndHvp call. */
  readonly multiplyAdds: number;
  /** Largest relative H·v difference between any variant and 'js'. */
  readonly maxDiff: number;
  /** Relative error of 'auto' against the @dualtape/nn reference R-propagation. */
  readonly refErr: number;
}

const NETWORK_VARIANTS = VARIANTS.filter((v) => v.label !== 'wasm fma');

function networkRow(size: Size): NetworkRow {
  const problem = twoLayerProblem(size);
  const { net, p, v, X, T, N, W } = problem;
  const f = sseLoss(net, X, T, N);
  const before = multiplyAddsSoFar();
  const hvps = Object.fromEntries(NETWORK_VARIANTS.map((b) => [b.label, under(b, () => flat(gradAndHvp(f, p, v).hvp))]));
  const multiplyAdds = (multiplyAddsSoFar() - before) / NETWORK_VARIANTS.length;
  let maxDiff = 0;
  for (const b of NETWORK_VARIANTS) maxDiff = Math.max(maxDiff, maxRelDiff(hvps[b.label], hvps.js));
  const refErr = maxRelDiff(hvps.auto, reference(problem).hvp);
  const hand = () => time(() => gradAndHvpByHand(net, p, v, X, T, N), quick).ms;
  const ratios: Record<string, number[]> = {};
  const times: Record<string, number[]> = {};
  const handTimes: number[] = [];
  let last = hand();
  handTimes.push(last);
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order so that no backend always follows the same one.
    const order = r % 2 ? [...NETWORK_VARIANTS].reverse() : NETWORK_VARIANTS;
    for (const b of order) {
      const ms = timeUnder(b, () => gradAndHvp(f, p, v));
      const after = hand();
      handTimes.push(after);
      (ratios[b.label] ??= []).push(ms / Math.sqrt(last * after));
      (times[b.label] ??= []).push(ms);
      last = after;
    }
  }
  const xHand = Object.fromEntries(NETWORK_VARIANTS.map((b) => [b.label, median(ratios[b.label])]));
  const ms = Object.fromEntries(NETWORK_VARIANTS.map((b) => [b.label, median(times[b.label])]));
  process.stderr.write(`gradAndHvp ${sizeLabel(size)} done\n`);
  return { size, W, xHand, ms, handMs: median(handTimes), multiplyAdds, maxDiff, refErr };
}

// ---------------------------------------------------------------------------------------------
// The products of gradAndHvp at the mid sizes, with their layouts: where threads start to pay.

const MID_PRODUCTS: ReadonlyArray<readonly [string, number, number, number, boolean, boolean]> = [
  ['100-200-10: X·W1ᵀ (forward, tangent)', 256, 200, 100, false, true],
  ['100-200-10: δ1ᵀ·X (W1 adjoint)', 200, 100, 256, true, false],
  ['100-200-10: Z·W2ᵀ', 256, 10, 200, false, true],
  ['100-200-10: δ2·W2', 256, 200, 10, false, false],
  ['784-256-10: X·W1ᵀ', 128, 256, 784, false, true],
  ['784-256-10: δ1ᵀ·X', 256, 784, 128, true, false],
  ['784-256-10: δ2·W2', 128, 256, 10, false, false],
  ['64³', 64, 64, 64, false, false],
  ['96³', 96, 96, 96, false, false],
  ['128³', 128, 128, 128, false, false],
];

/** Median ms per product of one thread ('wasm') and all cores ('wasm-threads'), plain and fused. */
function threadRows() {
  const variants = VARIANTS.filter((v) => v.backend === 'wasm' || v.backend === 'wasm-threads');
  return MID_PRODUCTS.map(([label, m, n, k, transA, transB]) => {
    const A = randomArray(m * k, 3);
    const B = randomArray(k * n, 4);
    const C = new Float64Array(m * n);
    const call = () => gemm(A, transA, B, transB, C, m, n, k, false);
    const samples: Record<string, number[]> = {};
    for (let r = 0; r < ROUNDS + 2; r++) {
      for (const v of variants) {
        under(v, call);
        (samples[v.label] ??= []).push(timeUnder(v, call, true));
      }
    }
    process.stderr.write(`threads ${label} done\n`);
    return { label, m, n, k, ms: Object.fromEntries(variants.map((v) => [v.label, median(samples[v.label])])) };
  });
}

// ---------------------------------------------------------------------------------------------

const started = performance.now();
const info = getKernelBackend();
const cpu = os.cpus()[0]?.model ?? 'unknown';
log(`# dualtape kernel backends${quick ? ' (--quick)' : ''}`);
log();
log(`${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpu}, ${os.availableParallelism?.() ?? os.cpus().length} cores, Node ${process.version}, load average at start ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}.`);
log(`Backends available: wasm ${info.wasm}, wasm-threads ${info.wasmThreads} (${THREADS} threads), fused multiply-add ${fmaRuns ? 'yes (relaxed SIMD; on Node 20 turned on by this script with fma: true)' : 'no'}. 'auto' thresholds: WebAssembly from m·n·k ≥ ${info.wasmMinWork}, threads from m·n·k ≥ ${info.threadsMinWork.toLocaleString('en-US')} (≥ ${info.threadsPollingMinWork.toLocaleString('en-US')} while the workers still poll after a job).`);
log(`Medians over ${ROUNDS} interleaved rounds of benchmark.js fastest samples; the machine may be shared, so read the ratios (a load average above 1 at the start means other work shared the cores, and the thread columns then understate what splitting gains). Columns: "wasm" is one thread, "threads" all ${THREADS} cores; "fma" the relaxed-SIMD build.`);
log(`Command: \`pnpm bench:kernels\` (this file; \`--quick\` for a shorter run into benchmarks/dist/). JS kernels alone, and one thread against all cores with and without FMA: \`npx tsx packages/core/bench/gemm.bench.ts\`.`);
log();

const bigShapes = [
  ['X·W1ᵀ forward and tangent', 256, 1024, 784],
  ['W1 adjoint, Xᵀ·δ', 784, 1024, 256],
  ['second layer, Z·W2ᵀ', 256, 10, 1024],
  ['δ·W2 back to the hidden layer', 256, 1024, 10],
] as const;
const big = kernelRows(bigShapes, KERNELS, VARIANTS);
log('## Kernel GFLOP/s at the 784-1024-10, N = 256 products');
log();
log(`| product | m×n×k | kernel | ${VARIANTS.map((v) => v.label).join(' | ')} | threads ÷ wasm |${fmaRuns ? ' fma ÷ plain (1 thread) |' : ''}`);
log(`|---|---|---|${VARIANTS.map(() => '---:').join('|')}|---:|${fmaRuns ? '---:|' : ''}`);
for (const row of big) {
  for (const [name] of KERNELS) {
    const g = row.gflops[name];
    const fused = fmaRuns ? ` ${fmt(g['wasm fma'] / g.wasm)}× |` : '';
    log(`| ${row.label} | ${row.m}×${row.n}×${row.k} | ${name} | ${VARIANTS.map((v) => fmt(g[v.label])).join(' | ')} | ${fmt(g.threads / g.wasm)}× |${fused}`);
  }
}
log();

// One thread's rate by CPU time rather than wall time: a process that other work keeps off the CPU
// is not charged for the wait, so these stay close to the uncontended rate on a shared machine.
const perThread = bigShapes.slice(0, 2).map(([label, m, n, k]) => {
  const A = randomArray(m * k, 5);
  const B = randomArray(k * n, 6);
  const C = new Float64Array(m * n);
  const best: Record<string, number> = {};
  const variants = VARIANTS.filter((v) => v.backend === 'wasm');
  for (let r = 0; r < 4 * ROUNDS; r++) {
    for (const v of variants) {
      under(v, () => {
        gemm(A, false, B, true, C, m, n, k, false);
        const start = process.cpuUsage();
        const wall = performance.now();
        let calls = 0;
        do {
          gemm(A, false, B, true, C, m, n, k, false);
          calls++;
        } while (performance.now() - wall < 150);
        const used = process.cpuUsage(start);
        best[v.label] = Math.max(best[v.label] ?? 0, (2 * m * n * k * calls) / ((used.user + used.system) * 1e3));
      });
    }
  }
  return { label, m, n, k, best };
});
log('## One thread by CPU time (best of rounds; robust to sharing the machine)');
log();
log(`| product | m×n×k | ${VARIANTS.filter((v) => v.backend === 'wasm').map((v) => `${v.label} GFLOP/s`).join(' | ')} |`);
log(`|---|---|${VARIANTS.filter((v) => v.backend === 'wasm').map(() => '---:').join('|')}|`);
for (const r of perThread) log(`| ${r.label} | ${r.m}×${r.n}×${r.k} | ${Object.values(r.best).map((g) => fmt(g, 1)).join(' | ')} |`);
log();

const mid = threadRows();
log(`## One thread against ${THREADS} at the mid-size networks' products (where 'auto' starts splitting)`);
log();
log(`ms per product (median); "×" is one thread's time over ${THREADS} threads' (above 1: splitting pays).`);
log();
log(`| product | m×n×k | m·n·k | wasm ms | threads ms | × |${fmaRuns ? ' wasm fma ms | threads fma ms | × |' : ''}`);
log(`|---|---|---:|---:|---:|---:|${fmaRuns ? '---:|---:|---:|' : ''}`);
for (const r of mid) {
  const fused = fmaRuns ? ` ${fmt(r.ms['wasm fma'], 3)} | ${fmt(r.ms['threads fma'], 3)} | ${fmt(r.ms['wasm fma'] / r.ms['threads fma'])} |` : '';
  log(`| ${r.label} | ${r.m}×${r.n}×${r.k} | ${(r.m * r.n * r.k).toLocaleString('en-US')} | ${fmt(r.ms.wasm, 3)} | ${fmt(r.ms.threads, 3)} | ${fmt(r.ms.wasm / r.ms.threads)} |${fused}`);
}
log();

// The sweep for WASM_MIN_WORK: one kernel (A·B; the layouts share all code but packing).
const sweepSizes: Array<[number, number, number]> = quick
  ? [[4, 4, 4], [6, 6, 6], [8, 8, 8], [12, 12, 12], [16, 16, 16], [1, 64, 64], [64, 64, 64]]
  : [
    [2, 2, 2], [4, 4, 4], [6, 6, 6], [8, 8, 8], [10, 10, 10], [12, 12, 12], [16, 16, 16], [32, 32, 32],
    [1, 64, 64], [100, 100, 1], [1024, 1, 256], [256, 2, 512], [64, 5, 20], [64, 20, 10], [64, 64, 64],
  ];
const sweepVariants = [byLabel('js'), byLabel('wasm'), byLabel('auto')].filter((v): v is Variant => v !== undefined);
const sweep = kernelRows(sweepSizes.map(([m, n, k]) => [`${m}×${n}×${k}`, m, n, k] as const), [KERNELS[0]], sweepVariants);
log('## Where auto switches to WebAssembly: A·B, GFLOP/s by size');
log();
log('| m×n×k | m·n·k | js | wasm | auto | wasm ÷ js | auto ÷ js (≥ 1 is no slower) |');
log('|---|---:|---:|---:|---:|---:|---:|');
for (const row of sweep) {
  const g = row.gflops[KERNELS[0][0]];
  log(`| ${row.label} | ${row.m * row.n * row.k} | ${fmt(g.js)} | ${fmt(g.wasm)} | ${fmt(g.auto)} | ${fmt(g.wasm / g.js)} | ${fmt(g.auto / g.js)} |`);
}
log();
log(`Below m·n·k = ${info.wasmMinWork} 'auto' runs the JS kernel itself, so there its column differs from js by timing noise only.`);
log();

const sizes = quick ? SIZES_QUICK : SIZES_FULL;
const nets = sizes.map(networkRow);
log('## gradAndHvp (f, ∇f, H·v; float64) as × the hand-written plain-JS R-propagation');
log();
log('Each ratio divides the backend\'s time by the geometric mean of the hand-written R-propagation (`gradAndHvpByHand`, benchmarks/src/hand-written.ts) timed just before and just after it. "GFLOP/s" is the whole call\'s effective rate: twice the multiply-adds of its matrix products over its time on that backend. "max H·v diff" is the largest relative difference (max |Δ| / max |H·v|) between any backend\'s H·v and the js backend\'s; "error" is auto\'s against the @dualtape/nn reference R-propagation.');
log();
log(`| size | W | hand-written ms | ${NETWORK_VARIANTS.map((v) => v.label).join(' | ')} | auto ms | auto GFLOP/s |${fmaRuns ? ' auto fma GFLOP/s |' : ''} max H·v diff | error |`);
log(`|---|---:|---:|${NETWORK_VARIANTS.map(() => '---:').join('|')}|---:|---:|${fmaRuns ? '---:|' : ''}---:|---:|`);
const gflopsOf = (r: NetworkRow, label: string) => (2 * r.multiplyAdds) / (r.ms[label] * 1e6);
for (const r of nets) {
  const fused = fmaRuns ? ` ${fmt(gflopsOf(r, 'auto fma'), 1)} |` : '';
  log(`| ${sizeLabel(r.size)} | ${r.W.toLocaleString('en-US')} | ${fmt(r.handMs, r.handMs < 1 ? 3 : 1)} | ${NETWORK_VARIANTS.map((v) => `${fmt(r.xHand[v.label])}×`).join(' | ')} | ${fmt(r.ms.auto, r.ms.auto < 1 ? 3 : 1)} | ${fmt(gflopsOf(r, 'auto'), 1)} |${fused} ${r.maxDiff.toExponential(1)} | ${r.refErr.toExponential(1)} |`);
}
log();
const target = nets.find((r) => r.size.join() === '784,1024,10,256');
if (target) {
  const best = fmaRuns ? 'auto fma' : 'auto';
  log(`Target (784-1024-10, N = 256): auto gradAndHvp at ${fmt(target.xHand.auto)}× the hand-written R-propagation (goal ≤ 0.5×): ${target.xHand.auto <= 0.5 ? 'met' : 'NOT met'}; effective ${fmt(gflopsOf(target, best), 1)} GFLOP/s for the whole call on ${THREADS} threads with ${best} (issue 13's goal ≥ 25): ${gflopsOf(target, best) >= 25 ? 'met' : 'NOT met'}; H·v agreement between backends ${target.maxDiff.toExponential(1)} (goal ≤ 1e-13): ${target.maxDiff <= 1e-13 ? 'met' : 'NOT met'}.`);
}
const worst = Math.max(...nets.map((r) => r.maxDiff));
log(`Largest H·v difference between backends over all sizes: ${worst.toExponential(1)} (goal ≤ 1e-13: ${worst <= 1e-13 ? 'met' : 'NOT met'}).`);
log(`Wall time ${((performance.now() - started) / 1e3).toFixed(0)} s; load average at the end ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}.`);

// Like `pnpm bench`: a full run writes its report to docs/, a quick one only to benchmarks/dist/.
const distDir = path.dirname(fileURLToPath(import.meta.url));
const docsDir = path.resolve(distDir, '../../docs');
mkdirSync(distDir, { recursive: true });
writeFileSync(path.join(quick ? distDir : docsDir, quick ? 'benchmarks-kernels-quick.md' : 'benchmarks-kernels.md'), `${out.join('\n')}\n`);
writeFileSync(path.join(distDir, quick ? 'kernels-quick.json' : 'kernels.json'), JSON.stringify({ info, fmaRuns, big, perThread, mid, sweep, nets }, null, 1));
process.exit(0);
