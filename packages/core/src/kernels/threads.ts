// The WebAssembly kernels on several cores: Node worker_threads sharing one WebAssembly memory
// (a SharedArrayBuffer), with a synchronous fork-join driven from the calling thread.
//
// The caller copies the operands into the shared memory once (per block, see ./tiling.ts), posts the job through a small
// Int32Array of control words (Atomics.store + Atomics.notify), and then it and the workers claim
// chunks of C (blocks of columns, or of rows when C has more rows than columns, so that each chunk
// re-packs the smaller operand) until none are left; the caller waits (Atomics.wait, allowed on
// Node's main thread) for chunks still being computed elsewhere and copies C out. Each thread packs
// into its own scratch; the chunks of C are disjoint, so nothing else is shared. Claiming chunks,
// rather than handing each thread a fixed share, balances the load when the OS gives one thread
// less time, which it does on a machine shared with other work.
//
// Workers are created lazily, on the first product that wants them, and unref()'d: they never keep
// the process alive. Until a worker reports ready (its first start takes tens of milliseconds) the
// product runs on the calling thread alone, so no call ever waits for a worker to boot — except
// when the 'wasm-threads' backend is forced, which waits so that it really runs threaded.
import { BLOCK, compiledModule, fmaInUse, newMemory, WasmGemm, type Block, type Term } from './wasm.js';

// Control words (Int32Array indices). One job at a time: the caller closes NEXT (0 matches no
// job), writes the arguments, resets COMPLETED, opens NEXT for the new job, bumps SEQ and notifies.
// Every thread, the caller included, then claims chunks (whole 4-wide tiles along the split
// dimension) until none are left. A claim is a compare-exchange on NEXT, which carries the job's
// sequence number in its high bits: a worker that wakes late for a finished job, even one that
// read half-rewritten arguments, can never claim a chunk of the next one.
const SEQ = 0; // job sequence number (> 0), or −1: exit
const NEXT = 1; // (SEQ & TAG_MASK) << CHUNK_BITS | next unclaimed chunk
const COMPLETED = 2; // chunks finished in this job
const ERROR = 3; // 1 if a chunk threw in a worker (the worker prints the error)
const CHUNKS = 4; // chunks in this job
const CHUNK = 5; // width of a chunk (a multiple of 4)
const EXTENT = 6; // length of the split dimension
const BY_COLS = 7; // 1: chunks are column blocks of C; 0: row blocks
const SCRATCH_EACH = 8; // bytes of scratch per thread; thread t's starts at ARGS[11] + t·SCRATCH_EACH
const ARGS = 9; // the 15 arguments of gemm() (the range arguments are overwritten per chunk)
const NAN = 24; // 1 once a chunk of this job stored a NaN into C
const READY = 32; // READY + s: 1 once worker s has instantiated the module, −1 if it could not
const CHUNK_BITS = 12;
const MAX_CHUNKS = 1 << CHUNK_BITS;
const TAG_MASK = 0x7ffff;
/**
 * Milliseconds a thread polls before it sleeps in Atomics.wait: a worker after its job, the caller
 * for the workers' last chunks. Waking a sleeping thread measured 20–60 µs here.
 */
const SPIN_MS = 0.25;
/** Large products 'auto' keeps on one thread after splitting stopped paying (see Pool.record). */
const BACK_OFF = 64;

/** The control-word indices, handed to {@link work} as an argument (see WORKER_SOURCE). */
const K = { SEQ, NEXT, COMPLETED, ERROR, CHUNKS, CHUNK, EXTENT, BY_COLS, SCRATCH_EACH, ARGS, NAN, CHUNK_BITS, MAX_CHUNKS, TAG_MASK, SPIN_MS };

/**
 * Claims and computes chunks of job `seq` until none are left, on thread `thread` (0: the caller);
 * returns how many it computed. Run by the caller and, as source text, by the workers: so it must
 * use nothing from outside itself but its arguments and JavaScript's globals.
 */
function work(ctl: Int32Array, seq: number, thread: number, gemm: (...args: number[]) => number, k: typeof K): number {
  const tag = (seq & k.TAG_MASK) << k.CHUNK_BITS;
  const low = k.MAX_CHUNKS - 1;
  const chunks = ctl[k.CHUNKS];
  const chunk = ctl[k.CHUNK];
  const extent = ctl[k.EXTENT];
  const byCols = ctl[k.BY_COLS] === 1;
  // Addresses past 2³¹ come back from the Int32Array negative: >>> 0 restores them before adding.
  const a = Array.from(ctl.subarray(k.ARGS, k.ARGS + 15));
  a[11] = (a[11] >>> 0) + thread * (ctl[k.SCRATCH_EACH] >>> 0);
  let done = 0;
  for (;;) {
    const v = Atomics.load(ctl, k.NEXT);
    if ((v & ~low) !== tag || (v & low) >= chunks) return done;
    if (Atomics.compareExchange(ctl, k.NEXT, v, v + 1) !== v) continue;
    const lo = (v & low) * chunk;
    const hi = Math.min(extent, lo + chunk);
    if (byCols) {
      a[9] = lo;
      a[10] = hi;
    } else {
      a[7] = lo;
      a[8] = hi;
    }
    try {
      if (gemm(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14]) !== 0) Atomics.store(ctl, k.NAN, 1);
    } catch (e) {
      Atomics.store(ctl, k.ERROR, 1);
      if (thread === 0) throw e;
      console.error('dualtape kernel worker:', e);
    } finally {
      Atomics.add(ctl, k.COMPLETED, 1);
      Atomics.notify(ctl, k.COMPLETED);
      done++;
    }
  }
}

// The worker: plain JavaScript run with { eval: true }, so it needs no file next to the bundle.
// work() is spliced in from its own source text.
const WORKER_SOURCE = `
'use strict';
const K = ${JSON.stringify(K)};
const READY = ${READY};
const work = (${work.toString()});
let ctl, gemm, index;
try {
  const { workerData } = require('node:worker_threads');
  index = workerData.index;
  ctl = new Int32Array(workerData.control);
  gemm = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports.gemm;
  Atomics.store(ctl, READY + index, 1);
} catch (e) {
  if (ctl) Atomics.store(ctl, READY + index, -1);
  gemm = undefined;
}
if (ctl) Atomics.notify(ctl, READY + index);
let seen = 0;
while (gemm) {
  // Products come in bursts (a sweep runs several back to back): poll for the next job for a
  // moment before sleeping, since waking a sleeping thread costs tens of microseconds.
  const until = performance.now() + K.SPIN_MS;
  while (Atomics.load(ctl, K.SEQ) === seen && performance.now() < until);
  Atomics.wait(ctl, K.SEQ, seen);
  const seq = Atomics.load(ctl, K.SEQ);
  if (seq < 0) break;
  if (seq === seen) continue;
  seen = seq;
  work(ctl, seq, index + 1, gemm, K);
}
`;

interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error', listener: (e: unknown) => void): unknown;
}
interface WorkerThreadsModule {
  Worker: new (source: string, options: { eval: true; workerData: unknown; name?: string; execArgv?: string[] }) => WorkerLike;
}

/** node:worker_threads when this is Node ≥ 20.16 (process.getBuiltinModule), else null (browsers). */
function workerThreads(): WorkerThreadsModule | null {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return (p?.getBuiltinModule?.('node:worker_threads') as WorkerThreadsModule | undefined) ?? null;
  } catch {
    return null;
  }
}

/** Cores to use by default: all of them (the caller is one). */
export function defaultThreadCount(): number {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const os = p?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
    if (!os) return 1;
    return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  } catch {
    return 1;
  }
}

let supported: boolean | undefined;

/** Whether this host can run the threaded backend at all (Node with worker_threads, shared memory). */
export function threadsSupported(): boolean {
  if (supported === undefined) {
    supported = false;
    if (workerThreads() && typeof SharedArrayBuffer !== 'undefined') {
      try {
        compiledModule({ shared: true, fma: false });
        newMemory(true);
        supported = true;
      } catch {
        // no threads feature in this engine
      }
    }
  }
  return supported;
}

class Pool {
  readonly kernel: WasmGemm;
  private readonly control: Int32Array;
  private readonly workers: WorkerLike[] = [];
  private seq = 0;

  constructor(readonly threads: number, readonly fma: boolean) {
    const memory = newMemory(true);
    const module = compiledModule({ shared: true, fma });
    this.kernel = new WasmGemm(memory, module);
    this.control = new Int32Array(new SharedArrayBuffer(4 * (READY + threads)));
    const wt = workerThreads();
    if (!wt) return;
    for (let s = 0; s < threads - 1; s++) {
      try {
        const w = new wt.Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { module, memory, control: this.control.buffer, index: s },
          name: `dualtape-kernels-${s}`,
          // Not the parent's flags: a loader (--import tsx) would slow the start, and
          // --input-type=module would break this CommonJS source.
          execArgv: [],
        });
        w.on('error', () => Atomics.store(this.control, READY + s, -1));
        w.unref();
        this.workers.push(w);
      } catch {
        break;
      }
    }
  }

  /** Workers ready to take chunks now. With `wait`, first waits (up to 10 s) for those still starting. */
  ready(wait: boolean): number {
    let n = 0;
    for (let s = 0; s < this.workers.length; s++) {
      const at = READY + s;
      if (wait) {
        const deadline = Date.now() + 10_000;
        while (Atomics.load(this.control, at) === 0 && Date.now() < deadline) Atomics.wait(this.control, at, 0, 50);
      }
      if (Atomics.load(this.control, at) === 1) n++;
    }
    return n;
  }

  /**
   * C (m×n) = Σ X_t·Yᵀ_t (or +=) as WasmGemm.product, each block split across the ready workers
   * (with `wait`, after waiting for those still starting). Returns false, having done nothing, when
   * it does not fit.
   */
  product(terms: readonly Term[], C: Float64Array, m: number, n: number, k: number, accumulate: boolean, wait: boolean): boolean {
    if (m === 0 || n === 0) return true;
    const helpers = this.ready(wait);
    // Wake sleeping workers now: they spin (SPIN_MS) while the operands are copied in, so the job
    // finds them awake instead of paying the tens of microseconds of a wake-up after it is posted.
    if (helpers > 0) Atomics.notify(this.control, SEQ);
    return this.kernel.product(terms, C, m, n, k, accumulate, 1 + helpers, (block) => this.split(block, helpers));
  }

  /** Computes a laid-out block with the caller and `helpers` workers claiming chunks of it; true if a chunk stored a NaN. */
  private split(block: Block, helpers: number): boolean {
    const { m, n } = block;
    const parts = 1 + helpers;
    // Split the larger dimension of C (so each chunk re-packs the smaller operand) into about four
    // chunks per thread, each a whole number of 4-wide tiles.
    const byCols = n >= m;
    const extent = byCols ? n : m;
    const tiles = Math.ceil(extent / 4);
    const chunks0 = Math.min(tiles, parts === 1 ? 1 : 4 * parts, MAX_CHUNKS - 1);
    const chunk = Math.ceil(tiles / chunks0) * 4;
    const chunks = Math.ceil(extent / chunk);
    const ctl = this.control;
    const seq = (this.seq = (this.seq % TAG_MASK) + 1);
    Atomics.store(ctl, NEXT, 0);
    const args = [block.table, block.count, block.c, m, n, block.k, block.accumulate ? 1 : 0, 0, m, 0, n, block.scratch, BLOCK.MC, BLOCK.NC, BLOCK.KC];
    for (let q = 0; q < args.length; q++) ctl[ARGS + q] = args[q];
    ctl[CHUNKS] = chunks;
    ctl[CHUNK] = chunk;
    ctl[EXTENT] = extent;
    ctl[BY_COLS] = byCols ? 1 : 0;
    ctl[SCRATCH_EACH] = block.scratchEach;
    Atomics.store(ctl, ERROR, 0);
    Atomics.store(ctl, NAN, 0);
    Atomics.store(ctl, COMPLETED, 0);
    Atomics.store(ctl, NEXT, seq << CHUNK_BITS);
    if (helpers > 0) {
      Atomics.store(ctl, SEQ, seq);
      Atomics.notify(ctl, SEQ);
    }
    let error: unknown;
    let mine = 0;
    const t0 = performance.now();
    try {
      mine = work(ctl, seq, 0, this.kernel.exports.gemm as (...args: number[]) => number, K);
    } catch (e) {
      error = e;
    }
    const t1 = performance.now();
    // Wait for chunks other threads claimed (never for a worker that claimed none): poll for a
    // moment, then sleep.
    const until = t1 + SPIN_MS;
    while (Atomics.load(ctl, COMPLETED) < chunks && performance.now() < until);
    for (;;) {
      const done = Atomics.load(ctl, COMPLETED);
      if (done >= chunks) break;
      Atomics.wait(ctl, COMPLETED, done, 1000);
    }
    if (helpers > 0 && mine > 0) this.record((((t1 - t0) / mine) * chunks) / (performance.now() - t0));
    if (error) throw error;
    if (Atomics.load(ctl, ERROR) !== 0) throw new Error('dualtape: a kernel worker failed (see stderr)');
    return Atomics.load(ctl, NAN) !== 0;
  }

  // Whether splitting pays here and now. On a machine shared with other work the workers may get
  // little CPU time, and then a split product is no faster than one thread, only later by the
  // fork-join. Each split product estimates its speed-up (the caller's time per chunk, times the
  // chunks, over the wall time); when the running average falls under 1.1, 'auto' runs the next
  // BACK_OFF large products on one thread, then tries splitting again.
  private speedup = 2;
  private skip = 0;
  /** The last estimated speed-up of a split product (1: the workers did nothing useful). */
  lastSpeedup = NaN;

  private record(estimate: number): void {
    this.lastSpeedup = estimate;
    this.speedup = 0.75 * this.speedup + 0.25 * estimate;
    if (this.speedup < 1.1) {
      this.skip = BACK_OFF;
      this.speedup = 1.3;
    }
  }

  /** Whether 'auto' should split its next large product (false while backing off). */
  worthSplitting(): boolean {
    if (this.skip > 0) {
      this.skip--;
      return false;
    }
    return true;
  }

  get workerCount(): number {
    return this.workers.length;
  }

  dispose(): void {
    Atomics.store(this.control, SEQ, -1);
    Atomics.notify(this.control, SEQ);
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}

let pool: Pool | null | undefined;

/**
 * The pool of `threads` threads (the caller plus threads − 1 workers) running the build that
 * fmaInUse() picks, created on first use and re-created when either changes; null where threads
 * are unsupported.
 */
export function threadPool(threads: number): Pool | null {
  const fma = fmaInUse();
  if (pool && (pool.threads !== threads || pool.fma !== fma)) {
    pool.dispose();
    pool = undefined;
  }
  if (pool === undefined) {
    try {
      pool = threadsSupported() ? new Pool(threads, fma) : null;
    } catch {
      pool = null;
    }
  }
  return pool;
}

/** Workers started and not disposed (for tests: they are created lazily). */
export function activeWorkers(): number {
  return pool?.workerCount ?? 0;
}

/** Stops the workers (they are unref()'d, so this is needed only to free them early). */
export function disposeThreadPool(): void {
  pool?.dispose();
  pool = undefined;
}

export type { Pool };
