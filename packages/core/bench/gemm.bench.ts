// GFLOP/s of the gemm kernels on the products an HVP of a 784→1024 layer with N = 256 performs:
// the plain-JS kernels of every layout next to a naive i-k-j loop, and the WebAssembly kernel on one
// thread and on every core, without and with fused multiply-add (relaxed SIMD), so a regression in
// the kernels shows up as a number, not a hunch.
// Run: npx tsx packages/core/bench/gemm.bench.ts            (add --quick for short samples)
// On Node 20 the FMA rows turn V8's --experimental-wasm-relaxed-simd on for this process through
// setKernelBackend(…, { fma: true }), the explicit opt-in; they are skipped where that cannot work.
import Benchmark from 'benchmark';
import { gemm as backendGemm, setKernelBackend } from '../src/kernels/backend.js';
import { gemmAB, gemmABt, gemmAtB, gemmAtBt, transposeInto } from '../src/kernels/gemm.js';
import { defaultThreadCount } from '../src/kernels/threads.js';

type Gemm = (A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean) => void;

const quick = process.argv.includes('--quick');

/** C = A·B with A m×k and B k×n: the textbook loop order, contiguous in the innermost loop. */
function naiveIkj(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number): void {
  C.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) C[ci + j] += a * B[bp + j];
    }
  }
}

function randomArray(len: number): Float64Array {
  const a = new Float64Array(len);
  for (let i = 0; i < len; i++) a[i] = Math.random() - 0.5;
  return a;
}

const SHAPES = [
  { label: 'm=256 n=1024 k=784 (X·Wᵀ-sized)', m: 256, n: 1024, k: 784 },
  { label: 'm=1024 n=784 k=256 (Aᵀ·B weight-gradient-sized)', m: 1024, n: 784, k: 256 },
  { label: 'm=64 n=10 k=20 (small)', m: 64, n: 10, k: 20 },
];

const JS_KERNELS: ReadonlyArray<readonly [string, Gemm]> = [
  ['gemmABt', gemmABt],
  ['gemmAB', gemmAB],
  ['gemmAtB', gemmAtB],
  ['gemmAtBt', gemmAtBt],
];

const fmaRuns = (() => {
  try {
    setKernelBackend('auto', { fma: true });
    return true;
  } catch {
    return false;
  }
})();
const threads = defaultThreadCount();
/** The WebAssembly runs: [label, backend, fma]; 'wasm' is one thread, 'wasm-threads' every core. */
const WASM_RUNS: ReadonlyArray<readonly [string, 'wasm' | 'wasm-threads', boolean]> = [
  ['wasm 1 thread', 'wasm', false],
  [`wasm ${threads} threads`, 'wasm-threads', false],
  ...(fmaRuns ? ([['wasm fma 1 thread', 'wasm', true], [`wasm fma ${threads} threads`, 'wasm-threads', true]] as const) : []),
];

const suite = new Benchmark.Suite('gemm');
const flopsOf = new Map<string, number>();
const pad = 20;

for (const { label, m, n, k } of SHAPES) {
  // Every layout has m·k entries in A and k·n in B, so one pair of buffers serves all kernels.
  const A = randomArray(m * k);
  const B = randomArray(k * n);
  const C = new Float64Array(m * n);
  const flops = 2 * m * n * k;
  const maxTime = quick ? 0.3 : flops > 1e7 ? 3 : 1;
  for (const [name, fn] of JS_KERNELS) {
    const id = `${`js ${name}`.padEnd(pad)} ${label}`;
    flopsOf.set(id, flops);
    suite.add(id, () => fn(A, B, C, m, n, k, false), { maxTime });
  }
  const id = `${'js naive ikj'.padEnd(pad)} ${label}`;
  flopsOf.set(id, flops);
  suite.add(id, () => naiveIkj(A, B, C, m, n, k), { maxTime });
  for (const [name, backend, fma] of WASM_RUNS) {
    const wid = `${name.padEnd(pad)} ${label}`;
    flopsOf.set(wid, flops);
    // The backend is set in onStart, so the interleaved suite measures each run under its own.
    suite.add(wid, () => backendGemm(A, false, B, false, C, m, n, k, false), {
      maxTime,
      onStart: () => setKernelBackend(backend, { fma }),
    });
  }
}

{
  const rows = 784;
  const cols = 1024;
  const a = randomArray(rows * cols);
  const out = new Float64Array(rows * cols);
  suite.add(`transposeInto ${rows}×${cols}`, () => transposeInto(a, rows, cols, out), { maxTime: 1 });
}

suite
  .on('cycle', (event: Benchmark.Event) => {
    const { name = '', hz = 0, stats } = event.target;
    const flops = flopsOf.get(name);
    const rme = `±${(stats?.rme ?? 0).toFixed(1)}%`;
    const ms = (1000 / hz).toFixed(3);
    if (flops === undefined) {
      console.log(`${name}: ${ms} ms  ${rme}`);
    } else {
      console.log(`${name}: ${((flops * hz) / 1e9).toFixed(2)} GFLOP/s  (${ms} ms ${rme})`);
    }
  })
  .run();
