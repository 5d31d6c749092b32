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
import { checkOptions, describeValue, option, type OptionsSpec } from '../options.js';
import { shown } from '../shown.js';
import * as js from './gemm.js';
import { checkKernelOptions } from './options.js';
import { enableRelaxedSimd, relaxedSimdAvailable } from './relaxed-simd.js';
import { defaultThreadCount, disposeThreadPool, MAX_PRODUCTS, readyWorkers, threadPool, threadsSupported, workersPolling, type LoopJob, type Pool } from './threads.js';
import {
  BATCH_BYTES, compiledModule, fmaChoice, fmaInUse, memoryLimitBytes, retryWasmSingle, setCompiledModule, setFmaChoice, wasmApi, wasmBytes, wasmSingle, wasmSingleError,
  type BatchProduct, type Build, type Term, type WasmGemm,
} from './wasm.js';
import { noExtraArguments } from '../arity.js';

/**
 * Kernels for matrix products: `'js'` plain JavaScript; `'wasm'` WebAssembly SIMD (f64x2) on the
 * calling thread; `'wasm-threads'` WebAssembly SIMD split across worker threads sharing memory
 * (Node only); `'auto'` chooses per product by size (the default).
 *
 * @example
 * ```ts
 * const backend: KernelBackend = 'wasm';
 * setKernelBackend(backend);
 * ```
 */
export type KernelBackend = 'js' | 'wasm' | 'wasm-threads' | 'auto';

/**
 * Options of {@link setKernelBackend}. An option left out keeps its current setting. Checked at run
 * time: an unknown key, a wrong type or a value out of range is an `OptionError`.
 *
 * @example
 * ```ts
 * setKernelBackend('wasm-threads', { threads: 2, fma: 'auto' });
 * ```
 */
export interface KernelBackendOptions {
  /**
   * Threads for `'wasm-threads'` and for the large products of `'auto'`, counting the calling
   * thread (so 1 means no workers): an integer from 1 to twice `os.availableParallelism()`
   * ({@link KernelBackendInfo.maxThreads}). Default: `os.availableParallelism()`.
   */
  readonly threads?: number;
  /**
   * Fused multiply-add in the WebAssembly kernels (relaxed SIMD's `f64x2.relaxed_madd`), 15–20%
   * faster where the CPU has FMA, and each step rounds once instead of twice:
   *
   * - `'auto'` (default): used where the host runs relaxed SIMD — browsers, Node ≥ 22, and Node 20
   *   started with `node --experimental-wasm-relaxed-simd` — else the plain kernels.
   * - `true`: required. On Node 20 without the flag this turns V8's
   *   `--experimental-wasm-relaxed-simd` on for the whole process (`v8.setFlagsFromString`): that
   *   is the explicit opt-in, nothing else sets the flag. Throws where relaxed SIMD cannot run.
   * - `false`: never; multiply, round, add, as the JS kernels do (for k ≤ 256 the WebAssembly
   *   results are then the JS kernels' bit for bit).
   */
  readonly fma?: boolean | 'auto';
}

/**
 * What {@link getKernelBackend} reports.
 *
 * @example
 * ```ts
 * const { backend, wasm, threads }: KernelBackendInfo = getKernelBackend();
 * ```
 */
export interface KernelBackendInfo {
  /** The backend set by {@link setKernelBackend} (`'auto'` unless changed). */
  readonly backend: KernelBackend;
  /** Whether the WebAssembly SIMD kernels can run here (compiled and instantiated synchronously). */
  readonly wasm: boolean;
  /** Whether worker threads with shared memory can run here (Node ≥ 20.16). */
  readonly wasmThreads: boolean;
  /** Threads the threaded backend uses, the calling thread included. */
  readonly threads: number;
  /** The most threads {@link setKernelBackend} accepts: twice `os.availableParallelism()`. */
  readonly maxThreads: number;
  /** Whether the host runs WebAssembly relaxed SIMD (so `fma: true` needs no V8 flag). */
  readonly relaxedSimd: boolean;
  /** Whether the WebAssembly kernels fuse their multiply-adds (see {@link KernelBackendOptions.fma}). */
  readonly fma: boolean;
  /**
   * Worker threads started and ready to take products now: 0 until the first product large enough
   * for threads, or {@link initKernels} with `{ threads: true }`, starts them.
   */
  readonly workersReady: number;
  /** Bytes a kernel memory grows to at most; larger products run in blocks under it. */
  readonly memoryLimit: number;
  /** `'auto'` uses WebAssembly for products with m·n·k at least this. */
  readonly wasmMinWork: number;
  /** `'auto'` uses threads for products with m·n·k at least this (when more than one thread). */
  readonly threadsMinWork: number;
  /** `'auto'` also uses threads from this m·n·k while the workers are still polling after a job. */
  readonly threadsPollingMinWork: number;
}

/**
 * Products with fewer multiply-adds run in plain JS under 'auto'. Measured (benchmarks/src/
 * kernels.ts, and every layout at shapes from 2³ to skinny 1×1024×256): the WebAssembly call with
 * its copies in and out (about half a microsecond of JS) ties the JS kernel near 6³ = 216
 * multiply-adds and is 1.1–1.7× faster at 8³ = 512, 1.3–1.6× at 10³, 3× at 12³, 2–4× at
 * matrix–vector shapes of 10⁴–10⁵, 4–6× from 32³ on (re-measured 2026-12-02 with the blocked,
 * term-table kernel: the same crossover).
 */
export const WASM_MIN_WORK = 512;
/**
 * Products with fewer multiply-adds stay on one thread under 'auto'. On the 2-core machine this was
 * measured on, one product alone (2 threads against 1, medians of interleaved runs, quiet machine):
 * 0.35–0.6× at 32³, 0.5–0.9× at 64³ (the fork-join costs tens of microseconds), 0.9–1.4× at
 * 128³ ≈ 2.1·10⁶, 1.25–1.5× at 160³ ≈ 4.1·10⁶, 1.45–1.65× from 256³ on. Inside a sweep the
 * workers are often still polling from the product before, and the second-layer products of the
 * 784-1024-10 network (2.6·10⁶ each, nine per gradAndHvp) split pay: the whole call 3–5% faster
 * with 2²¹ than with 2²² (2026-12-03, the two thresholds alternated in one process, 10 rounds).
 * Above it 'auto' also backs off to one thread while splitting stops paying (other processes
 * holding the other cores), see Pool in ./threads.ts.
 */
export const THREADS_MIN_WORK = 1 << 21;
/**
 * Products with fewer multiply-adds stay on one thread under 'auto' even while the workers are still
 * polling after a job that has just ended (see Pool.workersPolling in ./threads.ts), when a split
 * costs no wake-up. The 100-200-10 network's second-layer products (5.1·10⁵) split then: its
 * gradAndHvp 3–5% faster; the other sizes unchanged (same measurement as above). `pnpm
 * bench:kernels`, timing one product back to back, has two threads slower at 2.6–3.3·10⁵ (0.52×)
 * and faster from 5.1·10⁵ (1.17–1.28×); but 4·10⁵ here, which keeps the 784-256-10 network's
 * 3.3·10⁵ products on one thread, made its gradAndHvp 1–5% slower (three A/B runs), so 2¹⁸ stays.
 */
export const THREADS_POLLING_MIN_WORK = 1 << 18;

let backend: KernelBackend = 'auto';
let threads = 0; // 0: default (all cores), resolved on first use

function threadCount(): number {
  return threads || (threads = defaultThreadCount());
}

/** The most threads setKernelBackend accepts. */
function maxThreads(): number {
  return 2 * defaultThreadCount();
}

/**
 * Chooses the kernels every matrix product (matmul and its tangent and adjoint rules) runs on.
 *
 * - `'auto'` (default): plain JS for tiny products, WebAssembly SIMD from m·n·k ≥ 512, and
 *   worker threads from m·n·k ≥ 2²¹ (≥ 2¹⁸ while the workers are still polling after a job)
 *   where the host has them and more than one core (backing off to one thread while splitting does
 *   not pay); hosts without WebAssembly SIMD or synchronous compilation fall back to JS. The same
 *   workers take parts of elementwise loops of 2¹⁵ elements or more that call the math library
 *   (tanh, exp, log, …), with the same numbers bit for bit.
 * - Every backend but `'js'` runs fused elementwise loops of plain arithmetic (no math-library call)
 *   of 256 elements or more in WebAssembly SIMD on the calling thread, in chunks, again with the
 *   same numbers bit for bit.
 * - `'js'`: plain JavaScript everywhere (the reference; no WebAssembly is instantiated).
 * - `'wasm'`: WebAssembly SIMD on the calling thread for every product; throws if it cannot run.
 * - `'wasm-threads'`: every product split across worker threads sharing one WebAssembly memory
 *   (and long math-library loops, as for `'auto'`); throws where worker threads are unavailable
 *   (browsers). `'js'` and `'wasm'` keep all work on the calling thread.
 *
 * All backends give the same results up to round-off, at every size: a product too large for the
 * WebAssembly memory (4 GiB, or the kernels' limit of 256 MiB per memory) runs in blocks that fit,
 * and where the memory cannot grow at all, on the JS kernel. Without FMA each sums an entry's
 * products in order of k from zero; the WebAssembly kernels store the running sum into C after every
 * 256 steps of k and add the next block's sum to it, so for k > 256 the association differs (by about
 * 1e-16·k relative to the sum of the terms' magnitudes; for smaller k the results are typically
 * identical); with FMA (`options.fma`) each step rounds once, which differs by round-off again.
 * The setting is global to the module (one per JS realm). Workers are created on first use and never
 * keep the process alive; after a job a worker polls for the next one for 2 ms before it sleeps, so
 * a core stays busy that long after the last product (`'wasm'` and `'js'` use no workers). Options
 * are checked at run time (unknown keys, types, ranges): see {@link KernelBackendOptions}.
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
export function setKernelBackend(choice: KernelBackend, options?: KernelBackendOptions): void {
  noExtraArguments('setKernelBackend', arguments, 2, 'setKernelBackend(choice, options)');
  if (choice !== 'js' && choice !== 'wasm' && choice !== 'wasm-threads' && choice !== 'auto') {
    throw new ArgumentError(`setKernelBackend: unknown backend ${shown(choice)}; use 'js', 'wasm', 'wasm-threads' or 'auto'`);
  }
  const checked = checkKernelOptions(options, maxThreads(), defaultThreadCount());
  if (checked.fma === true) requireFma();
  if (choice === 'wasm-threads' && !threadsSupported()) {
    throw new ArgumentError("setKernelBackend('wasm-threads'): worker threads with shared WebAssembly memory are not available here (Node ≥ 20.16 is needed)");
  }
  // The kernels must instantiate with the new FMA choice; if they cannot, the old choice stays.
  const previousFma = fmaChoice();
  if (checked.fma !== undefined) setFmaChoice(checked.fma === 'auto' ? undefined : checked.fma);
  if (choice === 'wasm' || choice === 'wasm-threads') {
    retryWasmSingle();
    if (!wasmSingle()) {
      const why = String(wasmSingleError());
      setFmaChoice(previousFma);
      retryWasmSingle();
      throw new ArgumentError(`setKernelBackend('${choice}'): the WebAssembly kernels cannot run here (${why}); in a browser, await initKernels() first`);
    }
  }
  backend = choice;
  const t = checked.threads;
  if (t !== undefined && t !== threads) {
    threads = t;
    disposeThreadPool();
  }
}

/** Makes relaxed SIMD available (turning Node 20's flag on: the caller asked for fma: true), or throws. */
function requireFma(): void {
  if (!enableRelaxedSimd()) {
    throw new ArgumentError(
      "setKernelBackend: fma: true needs WebAssembly relaxed SIMD, which this host does not run (browsers and Node ≥ 22 have it; Node 20 with --experimental-wasm-relaxed-simd); use fma: 'auto' to take it only where it runs",
    );
  }
  try {
    compiledModule({ shared: false, fma: true });
  } catch (e) {
    throw new ArgumentError(`setKernelBackend: fma: true, but the fused kernels do not compile here (${String(e)}); use fma: 'auto'`);
  }
}

/**
 * The current kernel backend and what this host supports.
 *
 * @example
 * ```ts
 * getKernelBackend().backend; // 'auto', unless setKernelBackend chose another
 * ```
 */
export function getKernelBackend(): KernelBackendInfo {
  return {
    backend,
    wasm: wasmSingle() !== null,
    wasmThreads: threadsSupported(),
    threads: threadCount(),
    maxThreads: maxThreads(),
    relaxedSimd: relaxedSimdAvailable(),
    fma: fmaInUse(),
    workersReady: readyWorkers(),
    memoryLimit: memoryLimitBytes(),
    wasmMinWork: WASM_MIN_WORK,
    threadsMinWork: THREADS_MIN_WORK,
    threadsPollingMinWork: THREADS_POLLING_MIN_WORK,
  };
}

/**
 * Options of {@link initKernels}.
 *
 * @example
 * ```ts
 * const options: InitKernelsOptions = { threads: true };
 * await initKernels(options);
 * ```
 */
export interface InitKernelsOptions {
  /**
   * Also start the kernels' worker threads now and resolve once they are ready, instead of on the
   * first large product (default `false`). A worker is a Node isolate: it takes tens of
   * milliseconds and about 7 MB to start, which a long job may rather pay at start-up than inside
   * its first call (which, until the workers are ready, runs its products on the calling thread
   * alone). Nothing is started where the backend runs on one thread (`'js'`, `'wasm'`, `threads:
   * 1`) or worker threads are not available (browsers); {@link KernelBackendInfo.workersReady}
   * says how many are ready.
   */
  readonly threads?: boolean;
}

const INIT_KERNELS_OPTIONS: OptionsSpec<InitKernelsOptions> = { threads: option.boolean() };

/** Milliseconds initKernels({ threads: true }) waits at most for the workers to report ready. */
const WORKERS_READY_TIMEOUT_MS = 10_000;

/**
 * Compiles the WebAssembly kernels asynchronously. Never needed in Node, where they compile
 * synchronously on first use; in a browser, whose main thread may refuse to compile a module
 * synchronously, call it once at start-up so that `'auto'` can use them (without it, it quietly
 * uses the JS kernels). Resolves to whether the kernels can now run. With `{ threads: true }` it
 * also starts the worker threads (Node) and waits until they are ready, see
 * {@link InitKernelsOptions.threads}.
 *
 * @example
 * ```ts
 * import { initKernels } from '@dualtape/core';
 * await initKernels(); // then everything stays synchronous
 * await initKernels({ threads: true }); // Node: the workers start now, not in the first large product
 * ```
 */
export async function initKernels(options?: InitKernelsOptions): Promise<boolean> {
  noExtraArguments('initKernels', arguments, 1, 'initKernels(options)');
  const { threads: startThreads = false } = checkOptions('initKernels', options, INIT_KERNELS_OPTIONS);
  const builds: Build[] = [{ shared: false, fma: false }, { shared: true, fma: false }];
  if (relaxedSimdAvailable()) builds.push({ shared: false, fma: true }, { shared: true, fma: true });
  for (const build of builds) {
    try {
      setCompiledModule(build, await wasmApi().compile(wasmBytes(build)));
    } catch {
      // no WebAssembly, SIMD or threads here: the backends that need them fall back
    }
  }
  retryWasmSingle();
  if (startThreads && (backend === 'auto' || backend === 'wasm-threads') && threadCount() > 1) {
    await threadPool(threadCount())?.whenReady(WORKERS_READY_TIMEOUT_MS);
  }
  return wasmSingle() !== null;
}

let multiplyAdds = 0;

/**
 * Multiply-adds of every product run since the process started, on any backend (for benchmarks:
 * twice the difference over a call, divided by its time, is the call's effective FLOP rate).
 *
 * @example
 * ```ts
 * import { multiplyAddsSoFar } from './backend.js';
 * const before = multiplyAddsSoFar();
 * // … run f …
 * const flops = 2 * (multiplyAddsSoFar() - before);
 * ```
 */
export function multiplyAddsSoFar(): number {
  return multiplyAdds;
}

/**
 * One term of {@link gemmSum}: op(a)·op(b), where op(a) is a, or its transpose when `transA`, and
 * likewise for b.
 */
export interface GemmTerm {
  readonly a: Float64Array;
  readonly transA?: boolean;
  readonly b: Float64Array;
  readonly transB?: boolean;
}

const isCount = (x: number) => Number.isInteger(x) && x >= 0;

/** Typed errors for dimensions that are not counts or arrays too short for them. */
function checkArgs(where: string, terms: readonly Term[], C: Float64Array, m: number, n: number, k: number): void {
  if (!isCount(m) || !isCount(n) || !isCount(k)) {
    throw new ArgumentError(`${where}: m, n and k must be non-negative integers, got m=${m}, n=${n}, k=${k}`);
  }
  const short = (name: string, array: Float64Array, need: number) =>
    new ArgumentError(`${where}: ${name} has ${array.length} entries but m=${m}, n=${n}, k=${k} need ${need}`);
  const notArray = (name: string, value: unknown) => new ArgumentError(`${where}: ${name} must be a Float64Array, got ${describeValue(value)}`);
  if (!(C instanceof Float64Array)) throw notArray('C', C);
  if (C.length < m * n) throw short('C', C, m * n);
  for (let t = 0; t < terms.length; t++) {
    const label = terms.length === 1 ? '' : ` of term ${t}`;
    if (!(terms[t].a instanceof Float64Array)) throw notArray(`A${label}`, terms[t].a);
    if (!(terms[t].b instanceof Float64Array)) throw notArray(`B${label}`, terms[t].b);
    if (terms[t].a.length < m * k) throw short(`A${label}`, terms[t].a, m * k);
    if (terms[t].b.length < k * n) throw short(`B${label}`, terms[t].b, k * n);
  }
}

let lastMayHoldNaN = true;

/**
 * Whether the C of the last product (of any entry point here) may hold a NaN: false when the
 * WebAssembly kernel computed it and stored none, so that a caller looking for NaN in C (the
 * structural-zero rule of matmul) can skip its pass over C; true after the JS kernel, which does
 * not look.
 */
export function lastProductMayHoldNaN(): boolean {
  return lastMayHoldNaN;
}

/**
 * C (m×n) = Σ X_t·Y_tᵀ (or +=) in the kernels' convention (./wasm.ts Term), on the selected
 * backend; every public entry point lands here.
 */
function run(where: string, terms: readonly Term[], C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  lastMayHoldNaN = true;
  checkArgs(where, terms, C, m, n, k);
  const work = m * n * k * terms.length;
  multiplyAdds += work;
  if (backend !== 'js' && !(backend === 'auto' && work < WASM_MIN_WORK) && runWasm(terms, C, m, n, k, accumulate, work)) return;
  if (terms.length === 0 && !accumulate) C.fill(0, 0, m * n);
  for (let t = 0; t < terms.length; t++) {
    const { a, aT, b, bT } = terms[t];
    js.gemm(a, aT, b, !bT, C, m, n, k, accumulate || t > 0);
  }
}

/**
 * Whether a product of `work` multiply-adds runs on the WebAssembly kernels now (unless its memory
 * cannot grow), whose numbers for an entry of C do not depend on the product's shape nor on its
 * other terms: a sum of products added term by term into C (accumulate) is then the one-call sum
 * bit for bit. The JS kernel adds some skinny products straight into C, so there it is not.
 * @internal
 */
export function productOnWasm(work: number): boolean {
  return backend !== 'js' && !(backend === 'auto' && work < WASM_MIN_WORK) && wasmSingle() !== null;
}

/** The WebAssembly backends; false when they cannot take the product (the JS kernel then does). */
function runWasm(terms: readonly Term[], C: Float64Array, m: number, n: number, k: number, accumulate: boolean, work: number): boolean {
  return onWasm(work, (pool, wait) => pool.product(terms, C, m, n, k, accumulate, wait), (single) => single.product(terms, C, m, n, k, accumulate));
}

/**
 * A product of `work` multiply-adds on the threads where the backend and its size say so, else on
 * this thread's WebAssembly kernel; false when neither can take it.
 */
function onWasm(work: number, threaded: (pool: Pool, wait: boolean) => boolean, alone: (kernel: WasmGemm) => boolean): boolean {
  if (backend === 'wasm-threads') {
    const pool = threadPool(threadCount());
    if (pool && threaded(pool, true)) return ran(pool.kernel);
  } else if (backend === 'auto' && threadCount() > 1 && (work >= THREADS_MIN_WORK || (work >= THREADS_POLLING_MIN_WORK && workersPolling()))) {
    const pool = threadPool(threadCount());
    if (pool?.worthSplitting() && threaded(pool, false)) return ran(pool.kernel);
  }
  // Forced 'wasm' and 'wasm-threads' land here too if their memory cannot grow even for one
  // block: JS then, rather than failing.
  const single = wasmSingle();
  return single !== null && alone(single) ? ran(single) : false;
}

/**
 * Runs a fused elementwise loop split across the kernel threads, where the backend uses threads
 * ('auto' and 'wasm-threads') and a worker is ready; false, having done nothing, otherwise.
 */
export function splitLoop(job: LoopJob): boolean {
  if (backend === 'js' || backend === 'wasm' || threadCount() < 2) return false;
  return threadPool(threadCount())?.map(job) ?? false;
}

/**
 * The single-threaded kernels, whose memory the fused elementwise loops compiled to WebAssembly run
 * on (algebra/wasm-loops.ts); null on the 'js' backend, which instantiates no WebAssembly, and where
 * the kernels cannot run.
 */
export function wasmLoopHost(): WasmGemm | null {
  return backend === 'js' ? null : wasmSingle();
}

/** Notes what the kernel that just ran knows about NaN in C; true. */
function ran(kernel: WasmGemm): true {
  lastMayHoldNaN = kernel.mayHoldNaN;
  return true;
}

/** C (m×n) = A·B (A m×k, B k×n, row-major), or += with `accumulate`, on the selected backend. */
export function gemmAB(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  run('gemmAB', [{ a: A, aT: false, b: B, bT: true }], C, m, n, k, accumulate);
}

/** C (m×n) = A·Bᵀ (A m×k, B n×k, row-major), or += with `accumulate`, on the selected backend. */
export function gemmABt(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  run('gemmABt', [{ a: A, aT: false, b: B, bT: false }], C, m, n, k, accumulate);
}

/** C (m×n) = Aᵀ·B (A k×m, B k×n, row-major), or += with `accumulate`, on the selected backend. */
export function gemmAtB(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  run('gemmAtB', [{ a: A, aT: true, b: B, bT: true }], C, m, n, k, accumulate);
}

/**
 * C (m×n) = op(A)·op(B), or += with `accumulate`, on the selected backend, all row-major: op(A) is
 * m×k, stored as A (m×k), or transposed (A is k×m) when `transA`; op(B) is k×n, stored as B (k×n),
 * or transposed (B is n×k) when `transB`. A transpose is read in place, never materialised. With
 * `accumulate` false C's old contents are never read (NaN there is harmless). C must not overlap A
 * or B.
 *
 * @example
 * ```ts
 * import { gemm } from './backend.js';
 * const A = Float64Array.of(1, 2, 3, 4, 5, 6);      // 2×3
 * const C = new Float64Array(4);
 * gemm(A, false, A, true, C, 2, 2, 3, false);      // C = A·Aᵀ = [14, 32, 32, 77]
 * ```
 */
export function gemm(A: Float64Array, transA: boolean, B: Float64Array, transB: boolean, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  run('gemm', [{ a: A, aT: transA, b: B, bT: !transB }], C, m, n, k, accumulate);
}

/** Most products {@link gemmBatch} runs as one job (more run one by one): a matmul's adjoint lanes are four. */
export const MAX_BATCH = MAX_PRODUCTS;
export { BATCH_BYTES };

/** One product of {@link gemmBatch}: C (m×n) = Σ op(aᵢ)·op(bᵢ) over `terms`, as {@link gemmSum} takes them. */
export interface GemmProduct {
  readonly terms: readonly GemmTerm[];
  readonly C: Float64Array;
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

/**
 * Several products at once, each C = Σ op(aᵢ)·op(bᵢ) over its terms exactly as {@link gemmSum}
 * computes it alone (C overwritten): the same numbers bit for bit. On the WebAssembly backends they
 * are one job: an operand that several terms read (the same array) is copied into the kernels'
 * memory once, and on the threads all their chunks are shared out together, one fork and join
 * instead of one per product. A product's value and tangent (A·B and Ȧ·B + A·Ḃ) are a batch, and so
 * are its adjoint lanes. At most {@link MAX_BATCH} products run together, and a batch that would
 * grow the kernels' memory past {@link BATCH_BYTES} runs product by product. No C may overlap an
 * operand.
 *
 * @example
 * ```ts
 * import { gemmBatch } from './backend.js';
 * const X = Float64Array.of(1, 2, 3, 4), W = Float64Array.of(1, 0, 0, 1), V = Float64Array.of(0, 1, 1, 0);
 * const XW = new Float64Array(4), XV = new Float64Array(4);
 * gemmBatch([{ terms: [{ a: X, b: W }], C: XW, m: 2, n: 2, k: 2 }, { terms: [{ a: X, b: V }], C: XV, m: 2, n: 2, k: 2 }]);
 * // XW = X·W = [1, 2, 3, 4], XV = X·V = [2, 1, 4, 3]; X was copied into the kernels' memory once
 * ```
 */
export function gemmBatch(products: readonly GemmProduct[]): void {
  if (!Array.isArray(products)) throw new ArgumentError(`gemmBatch: products must be an array of { terms, C, m, n, k }, got ${describeValue(products)}`);
  const batch: BatchProduct[] = [];
  let work = 0;
  for (let p = 0; p < products.length; p++) {
    const q = products[p] as GemmProduct | undefined;
    if (q === null || typeof q !== 'object' || !Array.isArray(q.terms)) {
      throw new ArgumentError(`gemmBatch: product ${p} must be { terms, C, m, n, k } with terms an array of { a, b, transA?, transB? }, got ${describeValue(q)}`);
    }
    const terms = q.terms.map((t) => ({ a: t.a, aT: t.transA === true, b: t.b, bT: t.transB !== true }));
    checkArgs(`gemmBatch: product ${p}`, terms, q.C, q.m, q.n, q.k);
    work += q.m * q.n * q.k * terms.length;
    batch.push({ terms, C: q.C, m: q.m, n: q.n, k: q.k });
  }
  lastMayHoldNaN = true;
  if (batch.length > 1 && batch.length <= MAX_BATCH && backend !== 'js' && !(backend === 'auto' && work < WASM_MIN_WORK) &&
    onWasm(work, (pool, wait) => pool.productBatch(batch, wait), (single) => single.productBatch(batch))) {
    multiplyAdds += work;
    return;
  }
  let mayHoldNaN = false;
  for (const q of batch) {
    run('gemmBatch', q.terms, q.C, q.m, q.n, q.k, false);
    mayHoldNaN ||= lastMayHoldNaN;
  }
  lastMayHoldNaN = mayHoldNaN;
}

/**
 * C (m×n) = Σ op(aᵢ)·op(bᵢ) over `terms` (each op(aᵢ) m×k, op(bᵢ) k×n, transposes read in place as
 * in {@link gemm}), or += with `accumulate`, in one pass: C is written once and, on the threaded
 * backend, split once — cheaper than one {@link gemm} per term. The tangent of a product,
 * Ċ = Ȧ·B + A·Ḃ, is one call. No term may overlap C. An empty list gives zeros (or leaves C).
 *
 * @example
 * ```ts
 * import { gemmSum } from './backend.js';
 * const A = Float64Array.of(1, 2, 3, 4), B = Float64Array.of(0, 1, 1, 0); // 2×2 each
 * const C = new Float64Array(4);
 * gemmSum([{ a: A, b: B }, { a: B, b: A, transB: true }], C, 2, 2, 2, false); // C = A·B + B·Aᵀ
 * ```
 */
export function gemmSum(terms: readonly GemmTerm[], C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
  if (!Array.isArray(terms)) throw new ArgumentError(`gemmSum: terms must be an array of { a, b, transA?, transB? }, got ${String(terms)}`);
  run('gemmSum', terms.map((t) => ({ a: t.a, aT: t.transA === true, b: t.b, bT: t.transB !== true })), C, m, n, k, accumulate);
}
