// Which kernels compute each matrix product: plain JS (./gemm.ts), WebAssembly SIMD on this thread
// (./wasm.ts), or WebAssembly SIMD on every core (./threads.ts). The matmul op imports its
// products from here; the signatures are those of ./gemm.ts.
//
// 'auto' (the default) chooses per product by its size, m·n·k multiply-adds, with thresholds
// measured on the 784-1024-10 network's products and the benchmark sizes (benchmarks/src/
// kernels.ts prints the crossovers): below WASM_MIN_WORK the copies into and out of linear memory
// and the call cost more than the JS kernel saves; below THREADS_MIN_WORK waking a worker and
// waiting for it (tens of microseconds, more on a loaded machine) costs more than half the product.
import { ArgumentError } from '../errors.js';
import * as js from './gemm.js';
import { defaultThreadCount, disposeThreadPool, threadPool, threadsSupported } from './threads.js';
import { retryWasmSingle, setCompiledModules, wasmBytes, wasmSingle, wasmSingleError } from './wasm.js';

/**
 * Kernels for matrix products: `'js'` plain JavaScript; `'wasm'` WebAssembly SIMD (f64x2) on the
 * calling thread; `'wasm-threads'` WebAssembly SIMD split across worker threads sharing memory
 * (Node only); `'auto'` chooses per product by size (the default).
 */
export type KernelBackend = 'js' | 'wasm' | 'wasm-threads' | 'auto';

/** Options of {@link setKernelBackend}. */
export interface KernelBackendOptions {
  /**
   * Threads for `'wasm-threads'` and for the large products of `'auto'`, counting the calling
   * thread (so 1 means no workers). Default: `os.availableParallelism()`.
   */
  readonly threads?: number;
}

/** What {@link getKernelBackend} reports. */
export interface KernelBackendInfo {
  /** The backend set by {@link setKernelBackend} (`'auto'` unless changed). */
  readonly backend: KernelBackend;
  /** Whether the WebAssembly SIMD kernels can run here (compiled and instantiated synchronously). */
  readonly wasm: boolean;
  /** Whether worker threads with shared memory can run here (Node ≥ 20.16). */
  readonly wasmThreads: boolean;
  /** Threads the threaded backend uses, the calling thread included. */
  readonly threads: number;
  /** `'auto'` uses WebAssembly for products with m·n·k at least this. */
  readonly wasmMinWork: number;
  /** `'auto'` uses threads for products with m·n·k at least this (when more than one thread). */
  readonly threadsMinWork: number;
}

/**
 * Products with fewer multiply-adds run in plain JS under 'auto'. The WebAssembly call, with its
 * three copies, beat the JS kernel from about 4³ = 64 upwards in measurement (2.5× at 16³, 5× at
 * 64³); below a few hundred both take well under a microsecond and JS avoids touching the module
 * at all (tiny scalar-heavy tapes never instantiate it).
 */
export const WASM_MIN_WORK = 4096;
/**
 * Products with fewer multiply-adds stay on one thread under 'auto'. A fork-join round trip
 * (notify a parked worker, wait for it) measured 20–60 µs on this 2-core machine, and splitting
 * paid from about 64·64·256 ≈ 10⁶ multiply-adds (≈ 0.2 ms of work at 10 GFLOP/s); the threshold
 * sits a little above the measured crossover so that a loaded machine never loses by it.
 */
export const THREADS_MIN_WORK = 2_000_000;

let backend: KernelBackend = 'auto';
let threads = 0; // 0: default (all cores), resolved on first use

function threadCount(): number {
  return threads || (threads = defaultThreadCount());
}

/**
 * Chooses the kernels every matrix product (matmul and its tangent and adjoint rules) runs on.
 *
 * - `'auto'` (default): plain JS for small products, WebAssembly SIMD from m·n·k ≥ 4096, and
 *   worker threads from m·n·k ≥ 2·10⁶ where the host has them and more than one core;
 *   hosts without WebAssembly SIMD or synchronous compilation fall back to JS.
 * - `'js'`: plain JavaScript everywhere (the reference; no WebAssembly is instantiated).
 * - `'wasm'`: WebAssembly SIMD on the calling thread for every product; throws if it cannot run.
 * - `'wasm-threads'`: every product split across worker threads sharing one WebAssembly memory;
 *   throws where worker threads are unavailable (browsers).
 *
 * All backends give the same results up to round-off (the order of the additions differs: relative
 * differences of order 1e-16·√k). The setting is global to the module (one per JS realm). Workers
 * are created on first use and never keep the process alive.
 *
 * @example
 * ```ts
 * import { setKernelBackend, getKernelBackend, gradAndHvp } from '@dualtape/core';
 * setKernelBackend('js');                        // reproduce results of the plain-JS kernels
 * const r = gradAndHvp(f, w, v);
 * setKernelBackend('wasm-threads', { threads: 2 });
 * console.log(getKernelBackend());               // { backend: 'wasm-threads', wasm: true, … }
 * setKernelBackend('auto');                      // back to the default
 * ```
 */
export function setKernelBackend(choice: KernelBackend, options: KernelBackendOptions = {}): void {
  if (choice !== 'js' && choice !== 'wasm' && choice !== 'wasm-threads' && choice !== 'auto') {
    throw new ArgumentError(`setKernelBackend: unknown backend ${JSON.stringify(choice)}; use 'js', 'wasm', 'wasm-threads' or 'auto'`);
  }
  const t = options.threads;
  if (t !== undefined && !(Number.isInteger(t) && t >= 1 && t <= 256)) {
    throw new ArgumentError(`setKernelBackend: threads must be an integer from 1 to 256, got ${String(t)}`);
  }
  if (choice === 'wasm' || choice === 'wasm-threads') {
    retryWasmSingle();
    if (!wasmSingle()) {
      throw new ArgumentError(`setKernelBackend('${choice}'): the WebAssembly kernels cannot run here (${String(wasmSingleError())}); in a browser, await initKernels() first`);
    }
  }
  if (choice === 'wasm-threads' && !threadsSupported()) {
    throw new ArgumentError("setKernelBackend('wasm-threads'): worker threads with shared WebAssembly memory are not available here (Node ≥ 20.16 is needed)");
  }
  backend = choice;
  if (t !== undefined && t !== threads) {
    threads = t;
    disposeThreadPool();
  }
}

/** The current kernel backend and what this host supports. */
export function getKernelBackend(): KernelBackendInfo {
  return {
    backend,
    wasm: wasmSingle() !== null,
    wasmThreads: threadsSupported(),
    threads: threadCount(),
    wasmMinWork: WASM_MIN_WORK,
    threadsMinWork: THREADS_MIN_WORK,
  };
}

/**
 * Compiles the WebAssembly kernels asynchronously. Never needed in Node, where they compile
 * synchronously on first use; in a browser, whose main thread may refuse to compile a module
 * synchronously, call it once at start-up so that `'auto'` can use them (without it, it quietly
 * uses the JS kernels). Resolves to whether the kernels can now run.
 *
 * @example
 * ```ts
 * import { initKernels } from '@dualtape/core';
 * await initKernels(); // then everything stays synchronous
 * ```
 */
export async function initKernels(): Promise<boolean> {
  let plain: WebAssembly.Module | undefined;
  let shared: WebAssembly.Module | undefined;
  try {
    plain = await WebAssembly.compile(wasmBytes(false) as BufferSource);
  } catch {
    // no SIMD here: JS it is
  }
  try {
    shared = await WebAssembly.compile(wasmBytes(true) as BufferSource);
  } catch {
    // no threads feature (or no SharedArrayBuffer): fine
  }
  setCompiledModules(plain, shared);
  retryWasmSingle();
  return wasmSingle() !== null;
}

type Layout = readonly [aT: boolean, bT: boolean];
const AB: Layout = [false, true];
const ABT: Layout = [false, false];
const ATB: Layout = [true, true];

function run(
  layout: Layout, jsKernel: typeof js.gemmAB,
  A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean,
): void {
  if (backend === 'js') return jsKernel(A, B, C, m, n, k, accumulate);
  const work = m * n * k;
  if (backend === 'auto' && work < WASM_MIN_WORK) return jsKernel(A, B, C, m, n, k, accumulate);
  const [aT, bT] = layout;
  if (backend === 'wasm-threads' || (backend === 'auto' && work >= THREADS_MIN_WORK && threadCount() > 1)) {
    const pool = threadPool(threadCount());
    if (pool) return pool.gemm(A, aT, B, bT, C, m, n, k, accumulate, backend === 'wasm-threads');
  }
  const single = wasmSingle();
  if (single) return single.gemm(A, aT, B, bT, C, m, n, k, accumulate);
  return jsKernel(A, B, C, m, n, k, accumulate);
}

/** C (m×n) = A·B (A m×k, B k×n, row-major), or += with `accumulate`, on the selected backend. */
export function gemmAB(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  run(AB, js.gemmAB, A, B, C, m, n, k, accumulate);
}

/** C (m×n) = A·Bᵀ (A m×k, B n×k, row-major), or += with `accumulate`, on the selected backend. */
export function gemmABt(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  run(ABT, js.gemmABt, A, B, C, m, n, k, accumulate);
}

/** C (m×n) = Aᵀ·B (A k×m, B k×n, row-major), or += with `accumulate`, on the selected backend. */
export function gemmAtB(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  run(ATB, js.gemmAtB, A, B, C, m, n, k, accumulate);
}
