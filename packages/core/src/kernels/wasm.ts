// The WebAssembly SIMD kernels (assembly/gemm.ts, built into ./generated/gemm-wasm.ts by
// `pnpm run build:wasm`), instantiated synchronously, with the copies in and out of linear memory.
//
// A kernel call copies A and B (and C when accumulating) into the module's memory with
// TypedArray.set (a memcpy), runs, and copies C back: O(mk + kn + mn) against O(mnk) arithmetic,
// a few per cent at the sizes where this backend is chosen (see ./backend.ts for the thresholds).
import { GEMM_WASM_PLAIN, GEMM_WASM_SHARED, GEMM_WASM_SHARED_MAX_PAGES } from './generated/gemm-wasm.js';

/** The module's exports (see assembly/gemm.ts). */
export interface GemmExports {
  heapBase(): number;
  scratchBytes(mc: number, nc: number, kc: number): number;
  gemm(
    a: number, aT: number, b: number, bT: number, c: number,
    m: number, n: number, k: number, acc: number,
    i0: number, i1: number, j0: number, j1: number,
    scratch: number, MC: number, NC: number, KC: number,
  ): void;
}

/**
 * Block sizes of the packed product: rows of X, columns of C and depth per block. Measured on the
 * 784-1024-10 network's products (m, n, k among 256, 784, 1024): KC = 256 keeps a 4×KC panel of
 * each operand (8 KiB) in L1 and an MC×KC block of X (128 KiB) in L2; NC = 512 columns of Y
 * (1 MiB) stay in the shared L3. Halving or doubling any of them moved GFLOP/s by less than the
 * run-to-run noise (±10% on the shared machine this was tuned on).
 */
export const BLOCK = { MC: 64, NC: 512, KC: 256 };

const PAGE = 65536;
/** The most a wasm32 memory can address, less a page for the module's own data. */
const MAX_BYTES = 2 ** 32 - PAGE;

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

/** The compiled modules, kept so a worker can be handed the shared one without compiling again. */
let plainModule: WasmModule | undefined;
let sharedModule: WasmModule | undefined;

/** Bytes of the plain or shared build. */
export function wasmBytes(shared: boolean): Uint8Array {
  return decodeBase64(shared ? GEMM_WASM_SHARED : GEMM_WASM_PLAIN);
}

/** Compiles a build synchronously (throws where the host forbids it or lacks SIMD or threads). */
export function compiledModule(shared: boolean): WasmModule {
  if (shared) return (sharedModule ??= new (wasmApi().Module)(wasmBytes(true)));
  return (plainModule ??= new (wasmApi().Module)(wasmBytes(false)));
}

/** Installs modules compiled asynchronously (see initKernels in ./backend.ts). */
export function setCompiledModules(plain: WasmModule | undefined, shared: WasmModule | undefined): void {
  plainModule ??= plain;
  sharedModule ??= shared;
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

const align = (bytes: number) => (bytes + 63) & ~63;

/** Where one call's operands and scratch sit in linear memory (byte offsets). */
export interface Layout {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** Scratch of part p starts at scratch + p·scratchEach. */
  readonly scratch: number;
  readonly scratchEach: number;
  readonly end: number;
}

/**
 * One instance over one memory, with the copies in and out. Not re-entrant (one call at a time,
 * which JavaScript's single thread guarantees).
 */
export class WasmGemm {
  readonly exports: GemmExports;
  private view: Float64Array;
  private readonly base: number;

  constructor(readonly memory: WasmMemory, module: WasmModule) {
    this.exports = instantiate(module, memory);
    this.base = align(this.exports.heapBase());
    this.view = new Float64Array(memory.buffer);
  }

  /**
   * Lays out a call split into `parts` blocks of at most partRows × partCols, growing memory as
   * needed; null when the memory cannot hold it (over 4 GiB, or the host refuses to grow it), and
   * the caller falls back to the JS kernels.
   */
  layout(m: number, n: number, k: number, parts: number, partRows: number, partCols: number): Layout | null {
    const a = this.base;
    const b = a + align(8 * m * k);
    const c = b + align(8 * k * n);
    const scratch = c + align(8 * m * n);
    const scratchEach = align(this.exports.scratchBytes(Math.min(BLOCK.MC, partRows), Math.min(BLOCK.NC, partCols), Math.min(BLOCK.KC, k)));
    const end = scratch + parts * scratchEach;
    if (end > MAX_BYTES) return null;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        return null;
      }
    }
    if (this.view.buffer !== this.memory.buffer || this.view.length * 8 !== this.memory.buffer.byteLength) {
      this.view = new Float64Array(this.memory.buffer);
    }
    return { a, b, c, scratch, scratchEach, end };
  }

  /** Copies the operands in (C only when accumulating). */
  copyIn(L: Layout, A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): void {
    const v = this.view;
    v.set(A.length === m * k ? A : A.subarray(0, m * k), L.a >> 3);
    v.set(B.length === k * n ? B : B.subarray(0, k * n), L.b >> 3);
    if (accumulate) v.set(C.length === m * n ? C : C.subarray(0, m * n), L.c >> 3);
  }

  copyOut(L: Layout, C: Float64Array, m: number, n: number): void {
    C.set(this.view.subarray(L.c >> 3, (L.c >> 3) + m * n));
  }

  /** Runs block [i0, i1) × [j0, j1) of the laid-out product with scratch `part`. */
  run(L: Layout, aT: boolean, bT: boolean, m: number, n: number, k: number, accumulate: boolean, i0: number, i1: number, j0: number, j1: number, part: number): void {
    this.exports.gemm(L.a, aT ? 1 : 0, L.b, bT ? 1 : 0, L.c, m, n, k, accumulate ? 1 : 0, i0, i1, j0, j1, L.scratch + part * L.scratchEach, BLOCK.MC, BLOCK.NC, BLOCK.KC);
  }

  /**
   * The whole product on this thread: C (m×n) = X·Yᵀ (or +=), X = op(A), Y = op(B)ᵀ as in gemm.ts.
   * Returns false, having done nothing, when the product does not fit in memory.
   */
  gemm(A: Float64Array, aT: boolean, B: Float64Array, bT: boolean, C: Float64Array, m: number, n: number, k: number, accumulate: boolean): boolean {
    if (m === 0 || n === 0) return true;
    const L = this.layout(m, n, k, 1, m, n);
    if (!L) return false;
    this.copyIn(L, A, B, C, m, n, k, accumulate);
    this.run(L, aT, bT, m, n, k, accumulate, 0, m, 0, n, 0);
    this.copyOut(L, C, m, n);
    return true;
  }
}

let single: WasmGemm | null | undefined;
let singleError: unknown;

/**
 * The single-threaded kernels over an ordinary memory, created on first use; null where this host
 * cannot compile or instantiate them synchronously (no SIMD, or a browser main thread that refuses
 * synchronous compilation of modules this size: call initKernels() first there).
 */
export function wasmSingle(): WasmGemm | null {
  if (single === undefined) {
    try {
      single = new WasmGemm(newMemory(false), compiledModule(false));
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
