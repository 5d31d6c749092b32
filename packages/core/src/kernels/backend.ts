// Which kernels compute each matrix product: plain JS (./gemm.ts), WebAssembly SIMD on this thread
// (./wasm.ts), or WebAssembly SIMD on every core (./threads.ts). The matmul op imports its
// products from here; the signatures are those of ./gemm.ts.
//
// 'auto' (the default) chooses per product by its size, m·n·k multiply-adds, with thresholds
// measured on this repository's benchmark machine (benchmarks/src/kernels.ts prints the
// crossovers): below WASM_MIN_WORK the copies into and out of linear memory and the call cost more
// than the JS kernel saves; below THREADS_MIN_WORK waking a worker and waiting for it (tens of
// microseconds, more on a loaded machine) costs more than splitting saves.
import { ArgumentError } from '../errors.js';
import * as js from './gemm.js';
import { defaultThreadCount, disposeThreadPool, threadPool, threadsSupported } from './threads.js';
import { retryWasmSingle, setCompiledModules, wasmApi, wasmBytes, wasmSingle, wasmSingleError, type WasmModule } from './wasm.js';

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
 * Products with fewer multiply-adds run in plain JS under 'auto'. Measured (benchmarks/src/
 * kernels.ts, and every layout at shapes from 2³ to skinny 1×1024×256): the WebAssembly call with
 * its copies in and out ties the JS kernel near 6³ = 216 multiply-adds and is 1.7× faster at
 * 8³ = 512, 2–4× at matrix–vector shapes of 10⁴–10⁵, 4–6× from 32³ on.
 */
export const WASM_MIN_WORK = 512;
/**
 * Products with fewer multiply-adds stay on one thread under 'auto'. On the 2-core machine this was
 * measured on (2 threads against 1, medians of interleaved runs): 0.35–0.6× at 32³, 0.5–0.9× at
 * 64³ (the fork-join costs tens of microseconds), 0.9–1.4× at 128³ ≈ 2.1·10⁶, 1.25–1.5× at
 * 160³ ≈ 4.1·10⁶, 1.45–1.65× from 256³ on and 1.5–1.9× at the 784-1024 network's 2·10⁸. The
 * threshold, 2²² ≈ 4.2·10⁶, is the smallest size that gained in every run. Above it 'auto' also
 * backs off to one thread while splitting stops paying (other processes holding the other cores),
 * see Pool in ./threads.ts.
 */
export const THREADS_MIN_WORK = 1 << 22;

let backend: KernelBackend = 'auto';
let threads = 0; // 0: default (all cores), resolved on first use

function threadCount(): number {
  return threads || (threads = defaultThreadCount());
}

/**
 * Chooses the kernels every matrix product (matmul and its tangent and adjoint rules) runs on.
 *
 * - `'auto'` (default): plain JS for tiny products, WebAssembly SIMD from m·n·k ≥ 512, and
 *   worker threads from m·n·k ≥ 2²² where the host has them and more than one core (backing off
 *   to one thread while splitting does not pay); hosts without WebAssembly SIMD or synchronous
 *   compilation fall back to JS.
 * - `'js'`: plain JavaScript everywhere (the reference; no WebAssembly is instantiated).
 * - `'wasm'`: WebAssembly SIMD on the calling thread for every product; throws if it cannot run.
 * - `'wasm-threads'`: every product split across worker threads sharing one WebAssembly memory;
 *   throws where worker threads are unavailable (browsers).
 *
 * All backends give the same results up to round-off. Each sums an entry's products in order of
 * k from zero, with no fused multiply-add; the WebAssembly kernels store the running sum into C
 * after every 256 steps of k and add the next block's sum to it, so for k > 256 the association
 * differs (by about 1e-16·k relative to the sum of the terms' magnitudes; for smaller k the results
 * are typically identical). The setting is global to the module (one per JS realm). Workers are
 * created on first use and never keep the process alive.
 *
 * @example
 * ```ts
 * import { getKernelBackend, gradAndHvp, setKernelBackend, tensor, type Tensor } from '@dualtape/core';
 * const X = Float64Array.from({ length: 64 * 32 }, (_, i) => Math.sin(i));
 * const f = (w: Tensor) => tensor(X, [64, 32]).matmul(w.reshape([32, 16])).tanh().square().sum();
 * const w = Float64Array.from({ length: 32 * 16 }, (_, i) => Math.cos(i) / 8);
 * const v = w.map(() => 1);
 *
 * setKernelBackend('js');                           // plain JavaScript: the reference
 * const reference = gradAndHvp(f, w, v).hvp;
 * setKernelBackend('wasm-threads', { threads: 2 }); // every product split across 2 threads
 * const threaded = gradAndHvp(f, w, v).hvp;         // equal to `reference` up to round-off
 * console.log(getKernelBackend());                  // { backend: 'wasm-threads', wasm: true, … }
 * setKernelBackend('auto');                         // back to the default
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
  let plain: WasmModule | undefined;
  let shared: WasmModule | undefined;
  try {
    plain = await wasmApi().compile(wasmBytes(false));
  } catch {
    // no WebAssembly or no SIMD here: JS it is
  }
  try {
    shared = await wasmApi().compile(wasmBytes(true));
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
  if (backend === 'wasm-threads') {
    const pool = threadPool(threadCount());
    if (pool?.gemm(A, aT, B, bT, C, m, n, k, accumulate, true)) return;
  } else if (backend === 'auto' && work >= THREADS_MIN_WORK && threadCount() > 1) {
    const pool = threadPool(threadCount());
    if (pool?.worthSplitting() && pool.gemm(A, aT, B, bT, C, m, n, k, accumulate, false)) return;
  }
  // Forced 'wasm' and 'wasm-threads' land here too if their memory cannot hold the product
  // (over 4 GiB): JS then, rather than failing.
  if (wasmSingle()?.gemm(A, aT, B, bT, C, m, n, k, accumulate)) return;
  jsKernel(A, B, C, m, n, k, accumulate);
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
