// The WebAssembly kernels on several cores: Node worker_threads sharing one WebAssembly memory
// (a SharedArrayBuffer), with a synchronous fork-join driven from the calling thread.
//
// A product is split into column blocks (or row blocks, whichever dimension of C is larger, so
// that each part re-packs the smaller operand), one per thread. The caller copies the operands in
// once, posts each worker its block through a small Int32Array of control words (Atomics.store +
// Atomics.notify), computes its own block, then waits (Atomics.wait, allowed on Node's main thread)
// until every worker has marked its block done, and copies C out. Each part has its own packing
// scratch; the blocks of C are disjoint, so nothing else is shared.
//
// Workers are created lazily, on the first product that wants them, and unref()'d: they never keep
// the process alive. Until a worker reports ready (its first start takes tens of milliseconds) the
// product runs on the calling thread alone, so no call ever waits for a worker to boot — except
// when the 'wasm-threads' backend is forced, which waits so that it really runs threaded.
import { BLOCK, compiledModule, newMemory, WasmGemm } from './wasm.js';

// Control words of one worker (Int32Array indices, relative to the worker's slot).
const SEQ = 0; // bumped by the caller to post a job; −1 asks the worker to exit
const DONE = 1; // set by the worker to the SEQ it finished
const READY = 2; // 1 once the worker has instantiated the module, −1 if it could not
const ERROR = 3; // 1 if the job threw (the message goes to stderr from the worker)
const ARGS = 4; // the 17 arguments of gemm()
const SLOT = 32;

// The worker: plain JavaScript run with { eval: true }, so it needs no file next to the bundle.
const WORKER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot } = workerData;
const ctl = new Int32Array(control, slot * 4, ${SLOT});
let gemm;
try {
  gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
  Atomics.store(ctl, ${READY}, 1);
} catch (e) {
  Atomics.store(ctl, ${READY}, -1);
}
Atomics.notify(ctl, ${READY});
let seen = 0;
while (gemm) {
  Atomics.wait(ctl, ${SEQ}, seen);
  const seq = Atomics.load(ctl, ${SEQ});
  if (seq < 0) break;
  if (seq === seen) continue;
  seen = seq;
  const a = ctl.subarray(${ARGS}, ${ARGS} + 17);
  try {
    gemm(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16]);
    Atomics.store(ctl, ${ERROR}, 0);
  } catch (e) {
    Atomics.store(ctl, ${ERROR}, 1);
    console.error('dualtape kernel worker:', e);
  }
  Atomics.store(ctl, ${DONE}, seq);
  Atomics.notify(ctl, ${DONE});
}
`;

interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error', listener: (e: unknown) => void): unknown;
}
interface WorkerThreadsModule {
  Worker: new (source: string, options: { eval: true; workerData: unknown; name?: string }) => WorkerLike;
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

/** Whether this host can run the threaded backend at all (Node with worker_threads, shared memory). */
export function threadsSupported(): boolean {
  if (!workerThreads() || typeof SharedArrayBuffer === 'undefined') return false;
  try {
    compiledModule(true);
    newMemory(true);
    return true;
  } catch {
    return false;
  }
}

class Pool {
  readonly kernel: WasmGemm;
  private readonly control: Int32Array;
  private readonly workers: WorkerLike[] = [];
  private seq = 0;

  constructor(readonly threads: number) {
    const memory = newMemory(true);
    const module = compiledModule(true);
    this.kernel = new WasmGemm(memory, module);
    const helpers = threads - 1;
    this.control = new Int32Array(new SharedArrayBuffer(4 * SLOT * Math.max(1, helpers)));
    const wt = workerThreads();
    if (!wt) return;
    for (let s = 0; s < helpers; s++) {
      try {
        const w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control: this.control.buffer, slot: s * SLOT }, name: `dualtape-kernels-${s}` });
        w.on('error', () => Atomics.store(this.control, s * SLOT + READY, -1));
        w.unref();
        this.workers.push(w);
      } catch {
        break;
      }
    }
  }

  /** Workers ready to take a block now. With `wait`, first waits (up to 10 s) for those still starting. */
  ready(wait: boolean): number {
    let n = 0;
    for (let s = 0; s < this.workers.length; s++) {
      const at = s * SLOT + READY;
      if (wait) {
        const deadline = Date.now() + 10_000;
        while (Atomics.load(this.control, at) === 0 && Date.now() < deadline) Atomics.wait(this.control, at, 0, 100);
      }
      if (Atomics.load(this.control, at) !== 1) break;
      n++;
    }
    return n;
  }

  gemm(A: Float64Array, aT: boolean, B: Float64Array, bT: boolean, C: Float64Array, m: number, n: number, k: number, accumulate: boolean, wait: boolean): void {
    if (m === 0 || n === 0) return;
    // Split the larger dimension of C into blocks of whole 4-wide tiles, one per thread.
    const byCols = n >= m;
    const extent = byCols ? n : m;
    const tiles = Math.ceil(extent / 4);
    const parts = Math.max(1, Math.min(1 + this.ready(wait), tiles));
    const per = Math.ceil(tiles / parts) * 4;
    const kernel = this.kernel;
    const L = kernel.layout(m, n, k, parts, byCols ? m : per, byCols ? per : n);
    kernel.copyIn(L, A, B, C, m, n, k, accumulate);
    const ctl = this.control;
    const seq = ++this.seq;
    const range = (p: number) => [p * per, Math.min(extent, (p + 1) * per)] as const;
    for (let p = 1; p < parts; p++) {
      const [lo, hi] = range(p);
      const base = (p - 1) * SLOT;
      const args = [L.a, aT ? 1 : 0, L.b, bT ? 1 : 0, L.c, m, n, k, accumulate ? 1 : 0,
        byCols ? 0 : lo, byCols ? m : hi, byCols ? lo : 0, byCols ? hi : n,
        L.scratch + p * L.scratchEach, BLOCK.MC, BLOCK.NC, BLOCK.KC];
      for (let q = 0; q < args.length; q++) ctl[base + ARGS + q] = args[q];
      Atomics.store(ctl, base + SEQ, seq);
      Atomics.notify(ctl, base + SEQ);
    }
    const [lo, hi] = range(0);
    let error: unknown;
    try {
      kernel.run(L, aT, bT, m, n, k, accumulate, byCols ? 0 : lo, byCols ? m : hi, byCols ? lo : 0, byCols ? hi : n, 0);
    } catch (e) {
      error = e;
    }
    let failed = false;
    for (let p = 1; p < parts; p++) {
      const base = (p - 1) * SLOT;
      for (;;) {
        const done = Atomics.load(ctl, base + DONE);
        if (done === seq) break;
        Atomics.wait(ctl, base + DONE, done, 1000);
      }
      if (Atomics.load(ctl, base + ERROR) !== 0) failed = true;
    }
    if (error) throw error;
    if (failed) throw new Error('dualtape: a kernel worker failed (see stderr)');
    kernel.copyOut(L, C, m, n);
  }

  dispose(): void {
    for (let s = 0; s < this.workers.length; s++) {
      Atomics.store(this.control, s * SLOT + SEQ, -1);
      Atomics.notify(this.control, s * SLOT + SEQ);
      void this.workers[s].terminate();
    }
    this.workers.length = 0;
  }
}

let pool: Pool | null | undefined;

/**
 * The pool of `threads` threads (the caller plus threads − 1 workers), created on first use and
 * re-created when the count changes; null where threads are unsupported.
 */
export function threadPool(threads: number): Pool | null {
  if (pool && pool.threads !== threads) {
    pool.dispose();
    pool = undefined;
  }
  if (pool === undefined) {
    try {
      pool = threadsSupported() ? new Pool(threads) : null;
    } catch {
      pool = null;
    }
  }
  return pool;
}

/** Stops the workers (they are unref()'d, so this is needed only to free them early). */
export function disposeThreadPool(): void {
  pool?.dispose();
  pool = undefined;
}

export type { Pool };
