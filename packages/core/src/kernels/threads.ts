// The WebAssembly kernels on several cores: Node worker_threads sharing one WebAssembly memory
// (a SharedArrayBuffer), with a synchronous fork-join driven from the calling thread.
//
// The caller copies the operands into the shared memory once (per block, see ./tiling.ts), posts the job through a small
// Int32Array of control words (Atomics.store + Atomics.notify), and then it and the workers claim
// chunks of C (blocks of columns, or of rows when C has more rows than columns, so that each chunk
// re-packs the smaller operand) until none are left; the caller then copies out each product of the
// job whose chunks are all finished, waiting (Atomics.wait, allowed on Node's main thread) only when
// none is ready. Each thread packs
// into its own scratch; the chunks of C are disjoint, so nothing else is shared. Claiming chunks,
// rather than handing each thread a fixed share, lets the caller take the chunk of a worker that
// has not woken yet, as happens on a machine shared with other work.
//
// Workers are created lazily, on the first product that wants them, and unref()'d: they never keep
// the process alive. Until a worker reports ready (its first start takes tens of milliseconds) the
// product runs on the calling thread alone, so no call ever waits for a worker to boot — except
// when the 'wasm-threads' backend is forced, which waits so that it really runs threaded.
import { SplitBackOff } from './back-off.js';
import { BLOCK, compiledModule, fmaInUse, newMemory, WasmGemm, type BatchProduct, type Block, type Deliver, type Term } from './wasm.js';

// Control words (Int32Array indices). One job at a time: the caller closes NEXT (0 matches no
// job), writes the arguments, resets COMPLETED, opens NEXT for the new job, bumps SEQ and notifies.
// Every thread, the caller included, then claims chunks (whole 4-wide tiles along the split
// dimension of a product's C) until none are left. A claim is a compare-exchange on NEXT, which
// carries the job's sequence number in its high bits: a worker that wakes late for a finished job
// can never claim a chunk of the next one, and it reads a chunk's arguments only once its claim has
// succeeded, when they are sure to be this job's. A product job holds one to MAX_PRODUCTS products
// (a batch: the value and tangent of a product, its adjoint lanes), their chunks numbered one after
// another.
const SEQ = 0; // job sequence number (> 0), or −1: exit
const NEXT = 1; // (SEQ & TAG_MASK) << CHUNK_BITS | next unclaimed chunk
const COMPLETED = 2; // chunks finished in this job
const ERROR = 3; // 1 if a chunk threw in a worker (the worker prints the error)
const CHUNKS = 4; // chunks in this job
const PRODUCTS = 5; // products in this job (their records start at TABLE)
const SCRATCH_EACH = 8; // bytes of scratch per thread; thread t's starts at its gemm()'s scratch + t·SCRATCH_EACH
const ARGS = 9; // a loop job's description (Pool.map)
const NAN = 24; // 1 once a chunk of this job stored a NaN into C
const JOB = 25; // what the job is: 0 products (gemm), 1 an elementwise loop (Pool.map)
const INDETERMINATE = 26; // 0·∞ products resolved by the shared parts of a loop (Pool.map)
const TABLE = 32; // product p's record at TABLE + p·RECORD: the 15 arguments of gemm() (the range
// arguments are overwritten per chunk), then FIRST, CHUNK, EXTENT, BY_COLS
const RECORD = 20;
const FIRST = 15; // the job's number for the product's first chunk
const CHUNK = 16; // width of a chunk (a multiple of 4)
const EXTENT = 17; // length of the split dimension
const BY_COLS = 18; // 1: chunks are column blocks of C; 0: row blocks
/** Most products in one job. */
export const MAX_PRODUCTS = 4;
const CHUNK_BITS = 12;
const MAX_CHUNKS = 1 << CHUNK_BITS;
// DONE + c: the job's sequence number once chunk c is finished, so that the caller can copy out a
// product whose chunks are all finished while the workers are still computing another's.
const DONE = TABLE + MAX_PRODUCTS * RECORD;
const READY = DONE + MAX_CHUNKS; // READY + s: 1 once worker s has instantiated the module, −1 if it could not
/** Most chunks of one product, so that a job's chunks stay below MAX_CHUNKS. */
const MAX_CHUNKS_EACH = Math.floor((MAX_CHUNKS - 1) / MAX_PRODUCTS);
const TAG_MASK = 0x7ffff;
/**
 * Milliseconds the caller polls for the workers' last chunks before it sleeps in Atomics.wait.
 * Waking a sleeping thread measured 20–60 µs on a quiet machine, often over 300 µs on this VM;
 * polling 2 ms here instead made no difference (2026-12-04: 0.99–1.01, mean call).
 */
const SPIN_MS = 0.25;
/**
 * Milliseconds a worker polls for the next job after its last one before it sleeps. A sweep's
 * products are up to a few milliseconds apart (elementwise work between them), and a worker woken
 * from Atomics.wait on this 2-vCPU VM often claimed nothing within 300 µs (a fifth of the 100-200-10
 * network's split products found it asleep at 0.25 ms). Polling 2 ms made gradAndHvp's mean call
 * 3–4% faster at 100-200-10 and 784-256-10, its fastest no slower (2026-12-04, alternated in one
 * process, 60 s). The cost is an idle core kept busy for 2 ms after a burst; OpenMP runtimes poll
 * for far longer (200 ms by default).
 */
export const WORKER_SPIN_MS = 2;
/**
 * Multiply-adds from which a split product's speed-up counts toward backing off. Smaller products
 * are split only while the workers still poll (THREADS_POLLING_MIN_WORK in ./backend.ts); their
 * speed-up measures the fork-join more than the machine's load.
 */
const ESTIMATE_MIN_WORK = 1 << 21;

/** Loop texts remembered (by the caller, and compiled by each worker) before starting afresh. */
const MAX_LOOP_TEXTS = 256;

/** The control-word indices, handed to {@link work} as an argument (see WORKER_SOURCE). */
const K = { SEQ, NEXT, COMPLETED, ERROR, CHUNKS, PRODUCTS, SCRATCH_EACH, ARGS, NAN, JOB, INDETERMINATE, TABLE, RECORD, FIRST, CHUNK, EXTENT, BY_COLS, DONE, CHUNK_BITS, MAX_CHUNKS, TAG_MASK, WORKER_SPIN_MS, MAX_LOOP_TEXTS };

/**
 * Claims and computes chunks of job `seq` until none are left, on thread `thread` (0: the caller);
 * returns how many it computed. Run by the caller and, as source text, by the workers: so it must
 * use nothing from outside itself but its arguments and JavaScript's globals.
 */
function work(ctl: Int32Array, seq: number, thread: number, gemm: (...args: number[]) => number, k: typeof K): number {
  const tag = (seq & k.TAG_MASK) << k.CHUNK_BITS;
  const low = k.MAX_CHUNKS - 1;
  const chunks = ctl[k.CHUNKS];
  const last = k.TABLE + (ctl[k.PRODUCTS] - 1) * k.RECORD;
  const a = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  let done = 0;
  for (;;) {
    const v = Atomics.load(ctl, k.NEXT);
    if ((v & ~low) !== tag || (v & low) >= chunks) return done;
    if (Atomics.compareExchange(ctl, k.NEXT, v, v + 1) !== v) continue;
    // The chunk's product: the last whose first chunk is at or before it.
    const c = v & low;
    let r = k.TABLE;
    while (r < last && ctl[r + k.RECORD + k.FIRST] <= c) r += k.RECORD;
    for (let q = 0; q < 15; q++) a[q] = ctl[r + q];
    // Addresses past 2³¹ come back from the Int32Array negative: >>> 0 restores them before adding.
    a[11] = (a[11] >>> 0) + thread * (ctl[k.SCRATCH_EACH] >>> 0);
    const chunk = ctl[r + k.CHUNK];
    const lo = (c - ctl[r + k.FIRST]) * chunk;
    const hi = Math.min(ctl[r + k.EXTENT], lo + chunk);
    if (ctl[r + k.BY_COLS] === 1) {
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
      // DONE before COMPLETED: a caller that sees the count move finds the chunk's flag set.
      Atomics.store(ctl, k.DONE + c, seq);
      Atomics.add(ctl, k.COMPLETED, 1);
      Atomics.notify(ctl, k.COMPLETED);
      done++;
    }
  }
}

/** A fused elementwise loop (algebra/fusion.ts): runs over n elements of `arrays` into `out`. */
export type LoopKernel = (
  arrays: Float64Array[], numbers: number[], fns: Array<(u: number, v: number) => number>,
  times: (u: number, w: number) => number, out: Float64Array, n: number, period: number,
) => void;

/** A loop's kernel and functions, compiled where it runs. */
interface Loop {
  kernel: LoopKernel;
  fns: Array<(u: number, v: number) => number>;
}

/**
 * The structural-zero product of the numbers algebra (NumberAlgebra.times), counting the 0·∞ it
 * resolves into the control word INDETERMINATE, for the parts of a loop run on shared copies.
 * Self-contained, like {@link work}: the workers build it from its source text.
 */
function countingTimes(ctl: Int32Array, k: typeof K): (u: number, w: number) => number {
  return (u, w) => {
    if (u === 0 || w === 0) {
      if (u - u !== 0 || w - w !== 0) Atomics.add(ctl, k.INDETERMINATE, 1);
      return 0;
    }
    return u * w + 0;
  };
}

/**
 * Claims and runs parts (≥ 1) of loop job `seq` until none are left; returns how many it ran. The
 * job is described at float64 index ARGS of `f64` (see Pool.map): inputs and outputs are copies in
 * the shared memory. `loop` is asked for the compiled loop only after a claim succeeds, when the
 * description is sure to be this job's. Self-contained, like {@link work}.
 */
function mapWork(ctl: Int32Array, seq: number, f64: Float64Array, loop: () => Loop, times: (u: number, w: number) => number, k: typeof K): number {
  const tag = (seq & k.TAG_MASK) << k.CHUNK_BITS;
  const low = k.MAX_CHUNKS - 1;
  const parts = ctl[k.CHUNKS];
  const d = ctl[k.ARGS];
  let done = 0;
  for (;;) {
    const v = Atomics.load(ctl, k.NEXT);
    if ((v & ~low) !== tag || (v & low) >= parts) return done;
    if (Atomics.compareExchange(ctl, k.NEXT, v, v + 1) !== v) continue;
    const part = v & low;
    try {
      const { kernel, fns } = loop();
      const period = f64[d + 1], arrayCount = f64[d + 3], numberCount = f64[d + 4];
      const numbers = Array.from(f64.subarray(d + 6, d + 6 + numberCount));
      const at = d + 6 + numberCount + (part - 1) * (2 + 2 * arrayCount);
      const out = f64[at], length = f64[at + 1];
      // A view shorter than the memory would clip a part silently: refuse it (the caller redoes it).
      const within = (from: number, count: number) => {
        if (from + count > f64.length) throw new Error('the shared memory view is shorter than the loop part');
        return f64.subarray(from, from + count);
      };
      const arrays: Float64Array[] = [];
      for (let i = 0; i < arrayCount; i++) arrays.push(within(f64[at + 2 + 2 * i], f64[at + 3 + 2 * i]));
      kernel(arrays, numbers, fns, times, within(out, length), length, period);
    } catch (e) {
      Atomics.store(ctl, k.ERROR, 1);
      console.error('dualtape elementwise worker:', e);
    } finally {
      Atomics.add(ctl, k.COMPLETED, 1);
      Atomics.notify(ctl, k.COMPLETED);
      done++;
    }
  }
}

/** The loop of job text `text` (JSON: [source, [function sources]]), compiled (in a worker). */
function compileLoop(text: string): Loop {
  const [source, fnSources] = JSON.parse(text) as [string, string[]];
  const kernel = new Function('arrays', 'numbers', 'fns', 'times', 'out', 'n', 'period', source) as LoopKernel;
  // Indirect eval: the global scope, where a self-contained function finds all it uses (Math).
  const fns = fnSources.map((f) => (0, eval)(`(${f})`) as (u: number, v: number) => number);
  return { kernel, fns };
}

// The worker: plain JavaScript run with { eval: true }, so it needs no file next to the bundle.
// work() is spliced in from its own source text. A transpiler that keeps function names (esbuild's
// keepNames, which tsx turns on) puts calls to its helper __name into that text, and into the
// text of functions a loop calls: the worker defines a stand-in in its global scope.
const WORKER_SOURCE = `
'use strict';
if (typeof globalThis.__name !== 'function') globalThis.__name = (target) => target;
const K = ${JSON.stringify(K)};
const READY = ${READY};
const work = (${work.toString()});
const mapWork = (${mapWork.toString()});
const countingTimes = (${countingTimes.toString()});
const compileLoop = (${compileLoop.toString()});
let ctl, gemm, index, memory, texts, times;
const loops = new Map();
let f64 = new Float64Array(0);
// The loop of the current job: compiled once per text id, from the text buffer (length, then UTF-16).
function currentLoop() {
  const id = f64[ctl[K.ARGS]];
  let loop = loops.get(id);
  if (!loop) {
    if (loops.size >= K.MAX_LOOP_TEXTS) loops.clear();
    const length = texts[0] | (texts[1] << 16);
    loop = compileLoop(new TextDecoder('utf-16le').decode(texts.slice(2, 2 + length)));
    loops.set(id, loop);
  }
  return loop;
}
try {
  const { workerData } = require('node:worker_threads');
  index = workerData.index;
  memory = workerData.memory;
  texts = new Uint16Array(workerData.texts);
  ctl = new Int32Array(workerData.control);
  times = countingTimes(ctl, K);
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
  // while before sleeping, since waking a sleeping thread costs tens to hundreds of microseconds.
  // The clock is read every 1024 polls: read every time, the boxed numbers it returned made this
  // worker collect garbage every ~45 ms.
  const until = performance.now() + K.WORKER_SPIN_MS;
  for (let i = 1; Atomics.load(ctl, K.SEQ) === seen; i++) if ((i & 1023) === 0 && performance.now() >= until) break;
  Atomics.wait(ctl, K.SEQ, seen);
  const seq = Atomics.load(ctl, K.SEQ);
  if (seq < 0) break;
  if (seq === seen) continue;
  seen = seq;
  if (Atomics.load(ctl, K.JOB) === 1) {
    // The memory may have grown since the last view of it.
    if (f64.buffer !== memory.buffer || f64.byteLength !== memory.buffer.byteLength) f64 = new Float64Array(memory.buffer);
    mapWork(ctl, seq, f64, currentLoop, times, K);
  } else {
    work(ctl, seq, index + 1, gemm, K);
  }
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

/** UTF-16 code units of the text buffer through which a loop's source reaches the workers. */
const TEXT_UNITS = 1 << 16;

/** A fused elementwise loop to split across the threads (see Pool.map). */
export interface LoopJob {
  /** The compiled loop, and its source (the body fusion.ts generated). */
  readonly kernel: LoopKernel;
  readonly source: string;
  /** Its functions: each self-contained (elementwise/self-contained.ts), so rebuilt from its text. */
  readonly fns: ReadonlyArray<(u: number, v: number) => number>;
  readonly arrays: readonly Float64Array[];
  readonly numbers: readonly number[];
  readonly out: Float64Array;
  readonly n: number;
  readonly period: number;
  /** The parts are cut at multiples of this: the period for a loop over tiled arrays, else 1. */
  readonly unit: number;
  /** The algebra's structural-zero product (its 0·∞ count is the one that matters). */
  readonly times: (u: number, w: number) => number;
  /**
   * How many of the last `arrays` the loop also writes, element by element as it writes `out` (a
   * loop of two results: fusion.ts, evaluatePair): each part of them is copied back as out's is.
   */
  readonly writes?: number;
  /** Whether the loop adds into out (and the arrays it writes) rather than only writing them. */
  readonly addsToOutputs: boolean;
}

class Pool {
  readonly kernel: WasmGemm;
  private readonly control: Int32Array;
  private readonly texts: Uint16Array;
  /** Ids of loop texts sent so far (a worker compiles each once); ids are never reused. */
  private readonly textIds = new Map<string, number>();
  private lastTextId = 0;
  /** Set when a worker failed a loop part: loops then stay on the calling thread. */
  private loopsFailed = false;
  /** Loops split so far (for tests). */
  loopsSplit = 0;
  /** Products split across the workers (for tests). */
  productsSplit = 0;
  private readonly workers: WorkerLike[] = [];
  private seq = 0;

  constructor(readonly threads: number, readonly fma: boolean) {
    const memory = newMemory(true);
    const module = compiledModule({ shared: true, fma });
    this.kernel = new WasmGemm(memory, module);
    this.control = new Int32Array(new SharedArrayBuffer(4 * (READY + threads)));
    this.texts = new Uint16Array(new SharedArrayBuffer(2 * (TEXT_UNITS + 2)));
    const wt = workerThreads();
    if (!wt) return;
    for (let s = 0; s < threads - 1; s++) {
      try {
        const w = new wt.Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { module, memory, control: this.control.buffer, texts: this.texts.buffer, index: s },
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
   * Resolves once every worker has reported ready or failed to start, or after `timeoutMs`,
   * without blocking the event loop (for initKernels({ threads: true })).
   */
  async whenReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const starting = () => this.workers.some((_, s) => Atomics.load(this.control, READY + s) === 0);
    while (starting() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
  }

  /**
   * C (m×n) = Σ X_t·Yᵀ_t (or +=) as WasmGemm.product, each block split across the ready workers
   * (with `wait`, after waiting for those still starting). Returns false, having done nothing, when
   * it does not fit.
   */
  product(terms: readonly Term[], C: Float64Array, m: number, n: number, k: number, accumulate: boolean, wait: boolean): boolean {
    if (m === 0 || n === 0) return true;
    const helpers = this.ready(wait);
    // Wake sleeping workers now: they poll (WORKER_SPIN_MS) while the operands are copied in, so the
    // job finds them awake instead of paying for a wake-up after it is posted.
    if (helpers > 0) Atomics.notify(this.control, SEQ);
    return this.kernel.product(terms, C, m, n, k, accumulate, 1 + helpers, (block, deliver) => this.split([block], helpers, deliver));
  }

  /**
   * Several products as one job (WasmGemm.productBatch): their chunks split across the ready
   * workers as {@link product} splits one product's. False, having done nothing, when they do not
   * fit together, or there are more than MAX_PRODUCTS.
   */
  productBatch(products: readonly BatchProduct[], wait: boolean): boolean {
    if (products.length > MAX_PRODUCTS) return false;
    const helpers = this.ready(wait);
    if (helpers > 0) Atomics.notify(this.control, SEQ);
    return this.kernel.productBatch(products, 1 + helpers, (blocks, deliver) => this.split(blocks, helpers, deliver));
  }

  /**
   * Computes laid-out blocks (at most MAX_PRODUCTS, sharing one scratch area per thread) with the
   * caller and `helpers` workers claiming chunks of them, delivering each block as soon as all its
   * chunks are finished; true if a chunk stored a NaN.
   */
  private split(blocks: readonly Block[], helpers: number, deliver: Deliver): boolean {
    const parts = 1 + helpers;
    const ctl = this.control;
    const seq = (this.seq = (this.seq % TAG_MASK) + 1);
    Atomics.store(ctl, NEXT, 0);
    let chunks = 0, multiplyAdds = 0;
    for (let p = 0; p < blocks.length; p++) {
      const block = blocks[p];
      const { m, n } = block;
      // Split the larger dimension of C into one chunk per thread, each a whole number of 4-wide tiles.
      // Every chunk re-packs the smaller operand, so chunks cost: against four per thread, one made
      // gradAndHvp 7% faster at 100-200-10, 3% at 784-256-10 and 784-1024-10 (two per thread: 5%, 3%,
      // 1%), and no slower with a busy process on the other core (2026-12-04, the two alternated in one
      // process); a thread the OS slows is covered by the back-off to one thread (./back-off.ts).
      const byCols = n >= m;
      const extent = byCols ? n : m;
      const tiles = Math.ceil(extent / 4);
      const chunk = Math.ceil(tiles / Math.min(tiles, parts, MAX_CHUNKS_EACH)) * 4;
      const args = [block.table, block.count, block.c, m, n, block.k, block.accumulate ? 1 : 0, 0, m, 0, n, block.scratch, BLOCK.MC, BLOCK.NC, BLOCK.KC];
      const r = TABLE + p * RECORD;
      for (let q = 0; q < args.length; q++) ctl[r + q] = args[q];
      ctl[r + FIRST] = chunks;
      ctl[r + CHUNK] = chunk;
      ctl[r + EXTENT] = extent;
      ctl[r + BY_COLS] = byCols ? 1 : 0;
      chunks += Math.ceil(extent / chunk);
      multiplyAdds += m * n * block.k * block.count;
    }
    ctl[CHUNKS] = chunks;
    ctl[PRODUCTS] = blocks.length;
    for (let c = 0; c < chunks; c++) ctl[DONE + c] = 0;
    ctl[SCRATCH_EACH] = blocks[0].scratchEach;
    ctl[JOB] = 0;
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
    if (error) {
      this.finish(chunks);
      throw error;
    }
    // Copy out each block whose chunks are all finished while the workers finish the others, instead
    // of idling until the last chunk: the copies, page faults on fresh result arrays included, then
    // overlap the workers' arithmetic. Wait (poll for a moment, then sleep) only when no block is
    // ready — and never for a worker that claimed no chunk.
    const until = t1 + SPIN_MS;
    let next = 0, allDone = -1;
    while (next < blocks.length) {
      const completed = Atomics.load(ctl, COMPLETED);
      if (completed >= chunks && allDone < 0) allDone = performance.now();
      let copied = false;
      for (let p = next; p < blocks.length && this.blockDone(p, blocks.length, chunks, seq); p++) {
        deliver(p);
        next = p + 1;
        copied = true;
      }
      if (copied || next === blocks.length) continue;
      if (performance.now() >= until) Atomics.wait(ctl, COMPLETED, completed, 1000);
    }
    if (allDone < 0) allDone = performance.now();
    this.lastJobEnd = performance.now();
    if (helpers > 0) this.productsSplit++;
    if (helpers > 0 && multiplyAdds >= ESTIMATE_MIN_WORK) this.backOff.record(mine, chunks, t1 - t0, allDone - t0);
    if (Atomics.load(ctl, ERROR) !== 0) throw new Error('dualtape: a kernel worker failed (see stderr)');
    return Atomics.load(ctl, NAN) !== 0;
  }

  /** Waits until all `chunks` of the current job are finished, wherever they were claimed. */
  private finish(chunks: number): void {
    const ctl = this.control;
    for (;;) {
      const done = Atomics.load(ctl, COMPLETED);
      if (done >= chunks) return;
      Atomics.wait(ctl, COMPLETED, done, 1000);
    }
  }

  /** Whether every chunk of block p (of `count`, the job's `chunks` numbered in order) is finished. */
  private blockDone(p: number, count: number, chunks: number, seq: number): boolean {
    const ctl = this.control;
    const end = p + 1 < count ? ctl[TABLE + (p + 1) * RECORD + FIRST] : chunks;
    for (let c = ctl[TABLE + p * RECORD + FIRST]; c < end; c++) if (Atomics.load(ctl, DONE + c) !== seq) return false;
    return true;
  }

  /**
   * Runs an elementwise loop with the ready workers taking parts of it; false, having done nothing,
   * when none is ready or the parts would not fit (the caller then runs it whole). The calling
   * thread runs the first part on the arrays themselves; each other part's inputs are copied into
   * the shared memory (a tiled array once), run there by whichever thread claims it, and its output
   * copied back. Every element is computed by the same loop as it would be whole, so the numbers
   * are the same; the 0·∞ the shared parts resolve are counted into the algebra's own count.
   */
  map(job: LoopJob): boolean {
    if (this.loopsFailed) return false;
    const helpers = this.ready(false);
    if (helpers === 0) return false;
    const { n, unit, period, arrays, numbers, out, kernel, fns, times } = job;
    const written = arrays.length - (job.writes ?? 0);
    const parts = Math.min(1 + helpers, MAX_CHUNKS - 1);
    const bound = (p: number) => Math.min(n, Math.round((p * n) / parts / unit) * unit);
    if (bound(1) <= 0 || bound(1) >= n) return false;
    const text = JSON.stringify([job.source, fns.map((f) => f.toString())]);
    if (text.length > TEXT_UNITS) return false;
    // The layout: the description, the tiled arrays (once), then per part its output and inputs.
    const full = arrays.map((a) => a.length === n);
    const headLength = 6 + numbers.length + (parts - 1) * (2 + 2 * arrays.length);
    let count = headLength;
    for (let i = 0; i < arrays.length; i++) if (!full[i]) count += arrays[i].length;
    count += (n - bound(1)) * (1 + full.filter(Boolean).length);
    const f64 = this.kernel.region(count);
    if (!f64) return false;
    const d = this.kernel.start();
    let id = this.textIds.get(text);
    if (id === undefined) {
      if (this.textIds.size >= MAX_LOOP_TEXTS) this.textIds.clear();
      this.textIds.set(text, (id = ++this.lastTextId));
    }
    this.texts[0] = text.length & 0xffff;
    this.texts[1] = text.length >>> 16;
    for (let c = 0; c < text.length; c++) this.texts[2 + c] = text.charCodeAt(c);
    f64[d] = id;
    f64[d + 1] = period;
    f64[d + 2] = parts;
    f64[d + 3] = arrays.length;
    f64[d + 4] = numbers.length;
    for (let c = 0; c < numbers.length; c++) f64[d + 6 + c] = numbers[c];
    let at = d + headLength;
    const tiled: number[] = [];
    for (let i = 0; i < arrays.length; i++) {
      if (full[i]) continue;
      tiled[i] = at;
      f64.set(arrays[i], at);
      at += arrays[i].length;
    }
    const outputs: number[] = [];
    for (let p = 1; p < parts; p++) {
      const lo = bound(p), hi = bound(p + 1), length = hi - lo;
      const entry = d + 6 + numbers.length + (p - 1) * (2 + 2 * arrays.length);
      outputs[p] = at;
      f64[entry] = at;
      f64[entry + 1] = length;
      // A loop that adds into its outputs reads them: their parts go in first (else they are only written).
      if (job.addsToOutputs) f64.set(out.subarray(lo, hi), at);
      at += length;
      for (let i = 0; i < arrays.length; i++) {
        if (full[i]) {
          if (i < written || job.addsToOutputs) f64.set(arrays[i].subarray(lo, hi), at);
          f64[entry + 2 + 2 * i] = at;
          f64[entry + 3 + 2 * i] = length;
          at += length;
        } else {
          f64[entry + 2 + 2 * i] = tiled[i];
          f64[entry + 3 + 2 * i] = arrays[i].length;
        }
      }
    }
    const ctl = this.control;
    const seq = (this.seq = (this.seq % TAG_MASK) + 1);
    Atomics.store(ctl, NEXT, 0);
    ctl[JOB] = 1;
    ctl[ARGS] = d;
    ctl[CHUNKS] = parts;
    Atomics.store(ctl, ERROR, 0);
    Atomics.store(ctl, INDETERMINATE, 0);
    Atomics.store(ctl, COMPLETED, 0);
    Atomics.store(ctl, NEXT, (seq << CHUNK_BITS) | 1);
    Atomics.store(ctl, SEQ, seq);
    Atomics.notify(ctl, SEQ);
    // The first part, in place; then parts no worker has claimed yet, here, on their copies. Even if
    // that throws, the workers' parts are waited for: they write into the shared memory.
    const first = bound(1);
    const own: Loop = { kernel, fns: fns as Array<(u: number, v: number) => number> };
    let failed = false, failure: unknown;
    try {
      kernel(arrays.map((a, i) => (full[i] ? a.subarray(0, first) : a)), numbers as number[], own.fns, times, out.subarray(0, first), first, period);
      mapWork(ctl, seq, f64, () => own, countingTimes(ctl, K), K);
    } catch (e) {
      [failed, failure] = [true, e];
    }
    const until = performance.now() + SPIN_MS;
    while (Atomics.load(ctl, COMPLETED) < parts - 1 && performance.now() < until);
    for (;;) {
      const done = Atomics.load(ctl, COMPLETED);
      if (done >= parts - 1) break;
      Atomics.wait(ctl, COMPLETED, done, 1000);
    }
    this.lastJobEnd = performance.now();
    if (failed) throw failure;
    if (Atomics.load(ctl, ERROR) !== 0) {
      // A part failed (its output was never copied back): all of them again, here, in place.
      this.loopsFailed = true;
      for (let p = 1; p < parts; p++) {
        const lo = bound(p), hi = bound(p + 1);
        kernel(arrays.map((a, i) => (full[i] ? a.subarray(lo, hi) : a)), numbers as number[], fns as Array<(u: number, v: number) => number>, times, out.subarray(lo, hi), hi - lo, period);
      }
      return true;
    }
    for (let p = 1; p < parts; p++) {
      const lo = bound(p), hi = bound(p + 1);
      out.set(f64.subarray(outputs[p], outputs[p] + hi - lo), lo);
      // The other arrays the loop wrote: their parts' copies sit among its inputs.
      const entry = d + 6 + numbers.length + (p - 1) * (2 + 2 * arrays.length);
      for (let i = written; i < arrays.length; i++) {
        const from = f64[entry + 2 + 2 * i];
        arrays[i].set(f64.subarray(from, from + hi - lo), lo);
      }
    }
    // The shared parts' 0·∞, into the algebra's count: each 0·NaN through `times` counts one.
    for (let c = Atomics.load(ctl, INDETERMINATE); c > 0; c--) times(0, NaN);
    this.loopsSplit++;
    return true;
  }

  /** Whether splitting pays on this machine now (./back-off.ts). */
  private readonly backOff = new SplitBackOff();

  /** When the last split product or loop finished (performance.now()); the workers poll from then on. */
  private lastJobEnd = -Infinity;

  /**
   * Whether the workers are most likely still polling for a job (the last one ended within 80% of
   * WORKER_SPIN_MS): a split then costs a store and a load, not a wake-up from Atomics.wait.
   */
  workersPolling(): boolean {
    return performance.now() - this.lastJobEnd < 0.8 * WORKER_SPIN_MS;
  }

  /** Forgets the speed-up estimate and any back-off (for tests, whose outcome must not hang on the load). */
  resetEstimate(): void {
    this.backOff.reset();
  }

  /** Whether 'auto' should split its next large product (false while backing off). */
  worthSplitting(): boolean {
    return this.backOff.worthSplitting();
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

/** Whether a pool exists and its workers are still polling after their last job (see Pool.workersPolling). */
export function workersPolling(): boolean {
  return pool ? pool.workersPolling() : false;
}

/** Workers of the pool (if one was started) ready to take work now. */
export function readyWorkers(): number {
  return pool ? pool.ready(false) : 0;
}

/** Forgets the pool's speed-up estimate and back-off (for tests). */
export function resetSplitEstimate(): void {
  pool?.resetEstimate();
}

/** Products split across threads since the pool started (for tests). */
export function productsSplitSoFar(): number {
  return pool?.productsSplit ?? 0;
}

/** Elementwise loops split across threads since the pool started (for tests). */
export function loopsSplitSoFar(): number {
  return pool?.loopsSplit ?? 0;
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
