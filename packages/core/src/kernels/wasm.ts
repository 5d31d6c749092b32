// The WebAssembly SIMD kernels (assembly/gemm.ts, built into ./generated/gemm-wasm.ts by
// `pnpm run build:wasm`), instantiated synchronously, with the copies in and out of linear memory.
//
// A kernel call copies the operands (and C when accumulating) into the module's memory with
// TypedArray.set (a memcpy), runs, and copies C back: O(mk + kn + mn) against O(mnk) arithmetic,
// a few per cent at the sizes where this backend is chosen (see ./backend.ts for the thresholds).
// A product too large for the memory limit runs block by block (./tiling.ts), never in part.
import { GEMM_WASM_PLAIN, GEMM_WASM_PLAIN_FMA, GEMM_WASM_SHARED, GEMM_WASM_SHARED_FMA, GEMM_WASM_SHARED_MAX_PAGES } from './generated/gemm-wasm.js';
import { relaxedSimdAvailable } from './relaxed-simd.js';
import { alignBytes, copyRect, planBlocks, type BlockShape } from './tiling.js';

/** The module's exports (see assembly/gemm.ts). */
export interface GemmExports {
  heapBase(): number;
  fused(): number;
  gemm(
    terms: number, count: number, c: number,
    m: number, n: number, k: number, acc: number,
    i0: number, i1: number, j0: number, j1: number,
    scratch: number, MC: number, NC: number, KC: number,
  ): number;
}

/**
 * Block sizes of the packed product: rows of X, columns of C and depth per block. Measured on the
 * 784-1024-10 network's products (m, n, k among 256, 784, 1024): KC = 256 keeps a 4×KC panel of
 * each operand (8 KiB) in L1 and an MC×KC block of X (128 KiB) in L2; NC = 512 columns of Y
 * (1 MiB) stay in the shared L3. Halving or doubling any of them moved GFLOP/s by less than the
 * run-to-run noise (±10% on the shared machine this was tuned on).
 */
export const BLOCK = { MC: 64, NC: 512, KC: 256 };

/** Bytes of scratch the kernel needs for blocks of at most mc × kc (X) and kc × nc (Y), 4×4 tiles. */
export function scratchBytes(mc: number, nc: number, kc: number): number {
  return 8 * (Math.ceil(mc / 4) * 4 * kc + Math.ceil(nc / 4) * 4 * kc + 16);
}

const PAGE = 65536;
/** The most a wasm32 memory can address. */
export const MAX_BYTES = 2 ** 32;
/**
 * The size a kernel memory may grow to. A memory never shrinks, so one huge product would otherwise
 * pin gigabytes for the life of the process; larger products run in blocks under it (./tiling.ts),
 * whose extra copies cost little next to their arithmetic. 256 MiB holds every product of a
 * 784-1024-10 network up to N ≈ 9,000 in one block.
 */
export const DEFAULT_MEMORY_LIMIT = 256 * 2 ** 20;
/** Bytes of one term record in the kernel's table (a, aT, b, bT as u32). */
const TERM_BYTES = 16;

let memoryLimit = DEFAULT_MEMORY_LIMIT;

/** The most bytes a kernel memory may grow to now. */
export function memoryLimitBytes(): number {
  return memoryLimit;
}

/**
 * Sets the most bytes a kernel memory may grow to (for tests, which check blocking and the JS
 * fall-back with small products); returns the previous limit. Capped at 4 GiB.
 */
export function setMemoryLimit(bytes: number): number {
  const previous = memoryLimit;
  memoryLimit = Math.min(bytes, MAX_BYTES);
  return previous;
}

// The few WebAssembly JS API types used here, declared locally: the package builds against ES2022
// without the DOM library (whose WebAssembly namespace is where TypeScript declares them).
/** A compiled module (opaque). */
export interface WasmModule {
  readonly __wasmModule?: never;
}
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  compile(bytes: Uint8Array): Promise<WasmModule>;
}

/** The host's WebAssembly API; throws where there is none. */
export function wasmApi(): WasmApi {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) throw new Error('no WebAssembly in this JavaScript host');
  return api;
}

function decodeBase64(text: string): Uint8Array {
  const g = globalThis as { Buffer?: { from(s: string, e: string): Uint8Array } };
  if (g.Buffer) return new Uint8Array(g.Buffer.from(text, 'base64'));
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** One of the four builds: shared memory or not, fused multiply-add or not. */
export interface Build {
  readonly shared: boolean;
  readonly fma: boolean;
}

const BUILDS = { PLAIN: GEMM_WASM_PLAIN, SHARED: GEMM_WASM_SHARED, PLAIN_FMA: GEMM_WASM_PLAIN_FMA, SHARED_FMA: GEMM_WASM_SHARED_FMA };
const buildName = ({ shared, fma }: Build) => `${shared ? 'SHARED' : 'PLAIN'}${fma ? '_FMA' : ''}` as keyof typeof BUILDS;

/** The compiled modules, kept so a worker can be handed the shared one without compiling again. */
const modules = new Map<string, WasmModule>();

/** Bytes of a build. */
export function wasmBytes(build: Build): Uint8Array {
  return decodeBase64(BUILDS[buildName(build)]);
}

/** Compiles a build synchronously (throws where the host forbids it or lacks SIMD, threads or relaxed SIMD). */
export function compiledModule(build: Build): WasmModule {
  const name = buildName(build);
  let module = modules.get(name);
  if (!module) {
    module = new (wasmApi().Module)(wasmBytes(build));
    modules.set(name, module);
  }
  return module;
}

/** Installs a module compiled asynchronously (see initKernels in ./backend.ts). */
export function setCompiledModule(build: Build, module: WasmModule): void {
  if (!modules.has(buildName(build))) modules.set(buildName(build), module);
}

// 'auto' (undefined): fused where the host has relaxed SIMD.
let fmaChoiceSetting: boolean | undefined;

/** Whether the WebAssembly kernels fuse their multiply-adds: the choice, or where the host can. */
export function fmaInUse(): boolean {
  return fmaChoiceSetting ?? relaxedSimdAvailable();
}

/** The FMA choice as set: true, false, or undefined for 'auto'. */
export function fmaChoice(): boolean | undefined {
  return fmaChoiceSetting;
}

/** Sets the FMA choice (undefined: where the host can); the caller drops instances of the other build. */
export function setFmaChoice(choice: boolean | undefined): void {
  fmaChoiceSetting = choice;
}

/** A new memory for a build: ordinary, or shared with the build's declared maximum. */
export function newMemory(shared: boolean, pages = 1): WasmMemory {
  return shared
    ? new (wasmApi().Memory)({ initial: pages, maximum: GEMM_WASM_SHARED_MAX_PAGES, shared: true })
    : new (wasmApi().Memory)({ initial: pages });
}

export function instantiate(module: WasmModule, memory: WasmMemory): GemmExports {
  return new (wasmApi().Instance)(module, { env: { memory } }).exports as unknown as GemmExports;
}

/**
 * One term of a sum of products in the kernel's convention: X = op(A) (m×k), stored as Xᵀ (k×m)
 * when `aT`; Y = op(B)ᵀ (n×k), stored as Yᵀ (k×n) when `bT`; the term is X·Yᵀ.
 */
export interface Term {
  readonly a: Float64Array;
  readonly aT: boolean;
  readonly b: Float64Array;
  readonly bT: boolean;
}

/**
 * Bytes up to which a batch (WasmGemm.productBatch) may grow the kernels' memory; a larger batch
 * runs only in memory already grown that far by single products, else product by product. So a
 * batch never makes the memory larger than the largest single product has (at 784-1024-10 it would
 * add 6.7 MB to the first call's peak, issue 13's memory row), while the mid-size networks, whose
 * batches are a few MB, get them from the first call on.
 */
export const BATCH_BYTES = 8 * 2 ** 20;

/** One product of a batch (WasmGemm.productBatch): C (m×n) = Σ X_t·Y_tᵀ over its terms, C overwritten. */
export interface BatchProduct {
  readonly terms: readonly Term[];
  readonly C: Float64Array;
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

/** One block of a product laid out in the memory: what a runner hands the kernel (byte offsets). */
export interface Block {
  readonly table: number;
  readonly count: number;
  readonly c: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly accumulate: boolean;
  /** Scratch of part p starts at scratch + p·scratchEach. */
  readonly scratch: number;
  readonly scratchEach: number;
}

/**
 * Told by a runner that block q's C is final: the caller copies it out then, while other threads may
 * still be computing later blocks of the batch (a runner calls it once for every block, before it
 * returns). Whole blocks, not chunks of them: a chunk of columns would be copied row by row, and
 * those many short copies measured slower than what they overlap.
 */
export type Deliver = (q: number) => void;

/** Computes a laid-out block, on this thread or split across several; true if it stored a NaN into C. */
export type BlockRunner = (block: Block, deliver: Deliver) => boolean;

/** Computes laid-out blocks (a batch sharing one scratch area per thread); true if any stored a NaN. */
export type BatchRunner = (blocks: readonly Block[], deliver: Deliver) => boolean;

/** A Deliver for runs whose C is not final yet (all but the last slice of depth). */
const notYet: Deliver = () => {};

/** Bytes of one thread's scratch area (cache-line aligned) for a block of mb×nb×kb, packed as the kernel's blocks. */
function scratchFor(mb: number, nb: number, kb: number): number {
  return alignBytes(scratchBytes(Math.min(BLOCK.MC, mb), Math.min(BLOCK.NC, nb), Math.min(BLOCK.KC, kb)));
}

/**
 * Byte offsets of one block's pieces after `base`: the term table, each term's X and Y slices, the
 * block of C, and `parts` scratch areas. Plain arithmetic, exact up to 2⁵³ (offsets past 2³¹ are
 * where 32-bit bitwise arithmetic broke).
 */
export function blockLayout(base: number, shape: BlockShape, count: number, parts: number) {
  const { mb, nb, kb } = shape;
  const table = alignBytes(base);
  const operands: Array<{ a: number; b: number }> = [];
  let at = table + alignBytes(TERM_BYTES * count);
  for (let t = 0; t < count; t++) {
    const a = at;
    const b = a + alignBytes(8 * mb * kb);
    at = b + alignBytes(8 * kb * nb);
    operands.push({ a, b });
  }
  const c = at;
  const scratch = c + alignBytes(8 * mb * nb);
  const scratchEach = scratchFor(mb, nb, kb);
  return { table, operands, c, scratch, scratchEach, end: scratch + parts * scratchEach };
}

/**
 * One instance over one memory, with the copies in and out. Not re-entrant (one call at a time,
 * which JavaScript's single thread guarantees).
 */
export class WasmGemm {
  readonly exports: GemmExports;
  /**
   * After product(): false if the kernel stored no NaN into C (so C holds none), true if it may
   * hold one. Lets the caller skip its own pass over C looking for NaN.
   */
  mayHoldNaN = true;
  private f64: Float64Array;
  private u32: Uint32Array;
  private readonly base: number;

  constructor(readonly memory: WasmMemory, module: WasmModule) {
    this.exports = instantiate(module, memory);
    this.base = alignBytes(this.exports.heapBase());
    this.f64 = new Float64Array(memory.buffer);
    this.u32 = new Uint32Array(memory.buffer);
  }

  /** Whether this instance's build fuses multiply-adds. */
  get fused(): boolean {
    return this.exports.fused() === 1;
  }

  /** Bytes of memory a block of `shape` needs. */
  bytesFor(shape: BlockShape, count: number, parts: number): number {
    return blockLayout(this.base, shape, count, parts).end;
  }

  /**
   * C (m×n) = Σ X_t·Yᵀ_t (or +=) over `terms`, in as few blocks as the memory limit allows, each run
   * by `run` (by default on this thread) with `parts` scratch areas. Returns false, having done
   * nothing, when not even one row and column fit or the host refuses to grow the memory: the
   * caller then uses the JS kernels.
   */
  product(terms: readonly Term[], C: Float64Array, m: number, n: number, k: number, accumulate: boolean, parts = 1, run: BlockRunner = (b, deliver) => this.runWhole(b, deliver)): boolean {
    this.mayHoldNaN = true;
    if (m === 0 || n === 0) return true;
    if (k === 0 || terms.length === 0) {
      if (!accumulate) C.fill(0, 0, m * n);
      this.mayHoldNaN = accumulate;
      return true;
    }
    const count = terms.length;
    // One layout serves every block: a smaller block at the edge fills the front of each region.
    let shape: BlockShape | null = { mb: m, nb: n, kb: k };
    let L = blockLayout(this.base, shape, count, parts);
    if (L.end > memoryLimit) {
      shape = planBlocks(m, n, k, BLOCK.KC, memoryLimit, (s) => this.bytesFor(s, count, parts));
      if (!shape) return false;
      L = blockLayout(this.base, shape, count, parts);
    }
    if (!this.reserve(L.end)) return false;
    const { mb, nb, kb } = shape;
    let nan = false;
    let i0 = 0, j0 = 0, mi = 0, nj = 0;
    // The block of C into its place in C.
    const deliver: Deliver = () => copyRect(this.f64, L.c / 8, nj, C, i0 * n + j0, n, mi, nj);
    for (j0 = 0; j0 < n; j0 += nb) {
      nj = Math.min(nb, n - j0);
      for (i0 = 0; i0 < m; i0 += mb) {
        mi = Math.min(mb, m - i0);
        if (accumulate) copyRect(C, i0 * n + j0, n, this.f64, L.c / 8, nj, mi, nj);
        // (Block literals spelled out: an object spread here cost microseconds per call in V8.)
        if (kb >= k) {
          this.copyTerms(terms, L.table, L.operands, m, n, k, i0, mi, j0, nj, 0, k);
          nan = run({ table: L.table, count, c: L.c, m: mi, n: nj, k, accumulate, scratch: L.scratch, scratchEach: L.scratchEach }, deliver) || nan;
        } else {
          // Term by term, slice by slice: the additions into C come in the order of one uncut call
          // (term-major, then KC blocks of depth). A last, shorter slice fills the front of the regions.
          for (let t = 0; t < count; t++) {
            for (let p0 = 0; p0 < k; p0 += kb) {
              const kp = Math.min(kb, k - p0);
              const last = t === count - 1 && p0 + kb >= k;
              this.copyTerms([terms[t]], L.table, L.operands, m, n, k, i0, mi, j0, nj, p0, kp);
              nan = run({ table: L.table, count: 1, c: L.c, m: mi, n: nj, k: kp, accumulate: accumulate || t > 0 || p0 > 0, scratch: L.scratch, scratchEach: L.scratchEach }, last ? deliver : notYet) || nan;
            }
          }
        }
      }
    }
    this.mayHoldNaN = nan;
    return true;
  }

  /**
   * Several products at once (the value and tangent of a product, its adjoint lanes): laid out side
   * by side in the memory, an operand that several terms read (the same array) copied in once, and
   * all of them handed to `run` together — on the threads, one job whose chunks cover every product.
   * Each product is computed as {@link product} computes it alone, so the numbers are the same bit
   * for bit. Returns false, having done nothing, when they do not fit the memory together: the
   * caller then runs them one by one. Products with nothing to multiply are left to the caller too.
   */
  productBatch(products: readonly BatchProduct[], parts = 1, run: BatchRunner = (blocks, deliver) => this.runEach(blocks, deliver)): boolean {
    this.mayHoldNaN = true;
    if (products.some((p) => p.m === 0 || p.n === 0 || p.k === 0 || p.terms.length === 0)) return false;
    // The layout: each product's term table and C, then the distinct operands, then the scratch
    // areas, one per thread, each as large as the largest product's.
    let at = alignBytes(this.base);
    const tables: number[] = [], cs: number[] = [];
    let scratchEach = 0;
    for (const p of products) {
      tables.push(at);
      at += alignBytes(TERM_BYTES * p.terms.length);
      cs.push(at);
      at += alignBytes(8 * p.m * p.n);
      scratchEach = Math.max(scratchEach, scratchFor(p.m, p.n, p.k));
    }
    const offsets = new Map<Float64Array, number>();
    const lengths = new Map<Float64Array, number>();
    for (const p of products) {
      for (const t of p.terms) {
        lengths.set(t.a, Math.max(p.m * p.k, lengths.get(t.a) ?? 0));
        lengths.set(t.b, Math.max(p.n * p.k, lengths.get(t.b) ?? 0));
      }
    }
    for (const [x, length] of lengths) {
      offsets.set(x, at);
      at += alignBytes(8 * length);
    }
    const scratch = at;
    const end = scratch + parts * scratchEach;
    if (end > memoryLimit || (end > BATCH_BYTES && end > this.memory.buffer.byteLength) || !this.reserve(end)) return false;
    const f64 = this.f64;
    for (const [x, length] of lengths) f64.set(x.subarray(0, length), offsets.get(x)! / 8);
    const blocks: Block[] = [];
    for (let q = 0; q < products.length; q++) {
      const { terms, m, n, k } = products[q];
      for (let t = 0; t < terms.length; t++) this.writeTerm(tables[q], t, offsets.get(terms[t].a)!, terms[t].aT, offsets.get(terms[t].b)!, terms[t].bT);
      blocks.push({ table: tables[q], count: terms.length, c: cs[q], m, n, k, accumulate: false, scratch, scratchEach });
    }
    const nan = run(blocks, (q) => {
      const { C, m, n } = products[q];
      C.set(f64.subarray(cs[q] / 8, cs[q] / 8 + m * n));
    });
    this.mayHoldNaN = nan;
    return true;
  }

  /** Runs laid-out blocks one after the other on this thread, delivering each; true if any stored a NaN. */
  runEach(blocks: readonly Block[], deliver: Deliver): boolean {
    let nan = false;
    for (let q = 0; q < blocks.length; q++) nan = this.runWhole(blocks[q], deliver, q) || nan;
    return nan;
  }

  /** Runs a laid-out block whole on this thread (scratch area 0) and delivers it as block q; true if it stored a NaN. */
  runWhole(b: Block, deliver: Deliver, q = 0): boolean {
    const nan = 0 !== this.exports.gemm(b.table, b.count, b.c, b.m, b.n, b.k, b.accumulate ? 1 : 0, 0, b.m, 0, b.n, b.scratch, BLOCK.MC, BLOCK.NC, BLOCK.KC);
    deliver(q);
    return nan;
  }

  /** Copies each term's slices of X (rows i0…, depth p0…) and Y (rows j0…) in, and writes the table. */
  private copyTerms(
    terms: readonly Term[], table: number, at: ReadonlyArray<{ a: number; b: number }>,
    m: number, n: number, k: number, i0: number, mi: number, j0: number, nj: number, p0: number, kp: number,
  ): void {
    const f64 = this.f64;
    for (let t = 0; t < terms.length; t++) {
      const { a, aT, b, bT } = terms[t];
      const { a: aAt, b: bAt } = at[t];
      if (aT) copyRect(a, p0 * m + i0, m, f64, aAt / 8, mi, kp, mi);
      else copyRect(a, i0 * k + p0, k, f64, aAt / 8, kp, mi, kp);
      if (bT) copyRect(b, p0 * n + j0, n, f64, bAt / 8, nj, kp, nj);
      else copyRect(b, j0 * k + p0, k, f64, bAt / 8, kp, nj, kp);
      this.writeTerm(table, t, aAt, aT, bAt, bT);
    }
  }

  /** Term t's record in the table at byte `table`: where X and Y are, and whether each is stored transposed. */
  private writeTerm(table: number, t: number, aAt: number, aT: boolean, bAt: number, bT: boolean): void {
    const record = table / 4 + 4 * t;
    this.u32[record] = aAt;
    this.u32[record + 1] = aT ? 1 : 0;
    this.u32[record + 2] = bAt;
    this.u32[record + 3] = bT ? 1 : 0;
  }

  /**
   * The memory as float64s, grown so that `count` of them fit from `start()` on; null if it cannot
   * grow that far. For work other than products that the threads share (./threads.ts, Pool.map).
   */
  region(count: number): Float64Array | null {
    return this.reserve(this.base + 8 * count) ? this.f64 : null;
  }

  /** The float64 index where a region() starts (past the module's static data). */
  start(): number {
    return this.base / 8;
  }

  /** Grows the memory to `bytes` (false if that passes the limit or the host refuses). */
  private reserve(bytes: number): boolean {
    if (bytes > memoryLimit) return false;
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      try {
        this.memory.grow(Math.ceil((bytes - have) / PAGE));
      } catch {
        return false;
      }
    }
    if (this.f64.buffer !== this.memory.buffer || this.f64.byteLength !== this.memory.buffer.byteLength) {
      this.f64 = new Float64Array(this.memory.buffer);
      this.u32 = new Uint32Array(this.memory.buffer);
    }
    return true;
  }
}

let single: WasmGemm | null | undefined;
let singleError: unknown;

/**
 * The single-threaded kernels over an ordinary memory, created on first use with the build
 * {@link fmaInUse} picks; null where this host cannot compile or instantiate them synchronously (no
 * SIMD, or a browser main thread that refuses synchronous compilation: call initKernels() first).
 */
export function wasmSingle(): WasmGemm | null {
  const fma = fmaInUse();
  if (single && single.fused !== fma) single = undefined;
  if (single === undefined) {
    try {
      single = new WasmGemm(newMemory(false), compiledModule({ shared: false, fma }));
    } catch (e) {
      single = null;
      singleError = e;
    }
  }
  return single;
}

/** Why {@link wasmSingle} returned null, for error messages. */
export function wasmSingleError(): unknown {
  return singleError;
}

/** Forgets a failed attempt so that the next call tries again (after initKernels). */
export function retryWasmSingle(): void {
  if (single === null) single = undefined;
}
