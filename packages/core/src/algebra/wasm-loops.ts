/**
 * Fused elementwise loops compiled to WebAssembly SIMD. A plan of fusion.ts made only of sums,
 * differences, products, quotients, negations and tiles becomes one small module whose loop computes
 * two elements a step in f64x2 lanes, each lane by the same IEEE operations in the same order as the
 * generated JavaScript loop, so the numbers are the same bit for bit. On the benchmark machine a
 * JavaScript loop over typed arrays costs 2–7 ns an element, this one under 1 ns, plus the copies
 * into and out of the kernels' memory (about 0.2 ns an element per array): an adjoint and its
 * R-adjoint of a tanh layer, 51,200 elements, took 350 µs split across two threads and now takes
 * 100 µs on one, copies included.
 *
 * The structural-zero product (0·∞ = 0, counted) is not done here. Each product is taken as it is
 * and the loop reports whether any result came out NaN: every step passes a NaN on, so a 0·∞
 * anywhere shows in a result. Then nothing is copied back and the caller runs its JavaScript loop,
 * which resolves and counts it (as it redoes any NaN element). Plans that call a function (tanh,
 * exp, a mask) stay in JavaScript: the math library is not in WebAssembly, and a tanh written in
 * f64x2 lanes measured no faster here than the JavaScript one split across the threads.
 *
 * Modules are compiled once per plan shape (its steps, results and additions) and run on the
 * single-threaded kernels' ordinary memory (kernels/wasm.ts), between products; not on the 'js'
 * backend, nor where code generation is off (fusion.ts, allowFusedCodegen).
 * @module
 */
import { wasmLoopHost } from '../kernels/backend.js';
import { wasmApi, type WasmGemm, type WasmModule } from '../kernels/wasm.js';
import { Code, I32, OP, SIMD, V128, writeModule } from '../kernels/wasm-writer.js';
import { KIND_CODE, REF_ARRAY, REF_NUMBER, REF_ZERO, type Plan } from './plan.js';

const { '+': ADD, '-': SUB, '*': MUL, '/': DIV, neg: NEG, tile: TILE } = KIND_CODE;

/**
 * Elements from which a loop runs in WebAssembly: below it the call and the copies' set-up (about a
 * microsecond) cost more than the JavaScript loop.
 */
export const WASM_LOOP_MIN = 256;

/**
 * Elements of each array a call of the loop takes: the loop runs in chunks of about this many (whole
 * periods of its tiles), so its inputs and outputs take at most some hundreds of kilobytes of the
 * kernels' memory, which never shrinks, and stay in the cache between their copies and the loop.
 */
export const WASM_LOOP_CHUNK = 1 << 14;

/** How much longer than {@link WASM_LOOP_CHUNK} a chunk may be when whole periods (or rows) ask for it. */
const MAX_CHUNK_FACTOR = 4;

type Runner = (table: number, n: number, period: number) => number;

/** Compiled modules by plan key; null where a plan cannot be compiled (then never tried again). */
const modules = new Map<string, WasmModule | null>();
/** Instances of those modules over one host's memory. */
const instances = new WeakMap<WasmGemm, Map<string, Runner>>();
const MAX_MODULES = 1000;

let loopsRun = 0;

/** Loops run in WebAssembly so far, whole or in part (for tests: that a rule takes this path). @internal */
export function wasmLoopsRun(): number {
  return loopsRun;
}

/**
 * Runs plan into `outs` (one per result; added to where `adds` says) in WebAssembly, chunk by chunk;
 * returns how many elements it wrote: all n, or 0 when it cannot run here (no kernels, a function
 * call, a loop too short), or the start of the first chunk with a NaN result, whose elements, and
 * all after, the caller's JavaScript loop must do. `key` identifies the plan's shape (fusion.ts
 * keyOf).
 */
export function runWasmLoop(plan: Plan, key: string, adds: readonly boolean[], outs: readonly Float64Array[], n: number): number {
  const { arrays, numbers, period } = plan;
  if (n < WASM_LOOP_MIN || period <= 0 || plan.fns.length > 0) return 0;
  const host = wasmLoopHost();
  if (!host) return 0;
  const run = runnerFor(host, plan, adds, key);
  if (!run) return 0;
  // Chunks of whole periods; a plan without tiles (period n) in chunks of any length, each its own period.
  const tiled = period < n;
  // A period far longer than a chunk would grow the kernels' memory for good: such loops stay in JS.
  if (tiled && period > MAX_CHUNK_FACTOR * WASM_LOOP_CHUNK) return 0;
  const chunk = tiled ? period * Math.max(1, Math.floor(WASM_LOOP_CHUNK / period)) : Math.min(n, WASM_LOOP_CHUNK);
  // The layout, in float64s from the host's start: the table (constants, then each array's and
  // output's byte address as u32 pairs), then each array (a tile whole, the others a chunk's worth)
  // and output, each on a 16-byte boundary.
  const slots = arrays.length + outs.length;
  const tableLength = numbers.length + Math.ceil(slots / 2);
  let count = tableLength + 1 + outs.length * (chunk + 1);
  for (const a of arrays) count += (a.length === n ? chunk : a.length) + 1;
  const f64 = host.region(count);
  if (!f64) return 0;
  const u32 = new Uint32Array(f64.buffer);
  const start = host.start() + (host.start() & 1);
  for (let c = 0; c < numbers.length; c++) f64[start + c] = numbers[c];
  let at = start + tableLength;
  at += at & 1;
  const pointers = 2 * (start + numbers.length);
  const places: number[] = [];
  for (let i = 0; i < slots; i++) {
    places.push(at);
    u32[pointers + i] = 8 * at;
    const a = i < arrays.length ? arrays[i] : null;
    if (a && a.length !== n) f64.set(a, at); // a tile: copied once
    at += a && a.length !== n ? a.length : chunk;
    at += at & 1;
  }
  for (let lo = 0; lo < n; lo += chunk) {
    const m = Math.min(chunk, n - lo);
    for (let i = 0; i < arrays.length; i++) if (arrays[i].length === n) f64.set(arrays[i].subarray(lo, lo + m), places[i]);
    for (let r = 0; r < outs.length; r++) if (adds[r]) f64.set(outs[r].subarray(lo, lo + m), places[arrays.length + r]);
    if (run(8 * start, m, tiled ? period : m) !== 0) return lo;
    for (let r = 0; r < outs.length; r++) outs[r].set(f64.subarray(places[arrays.length + r], places[arrays.length + r] + m), lo);
    loopsRun += lo === 0 ? 1 : 0;
  }
  return n;
}

type ColumnSums = (src: number, out: number, rows: number, rowBytes: number) => void;

/** The column-sum module's function over each host's memory (one module for every shape). */
const columnSumRunners = new WeakMap<WasmGemm, ColumnSums | null>();
let columnSumModule: WasmModule | null | undefined;

/** Rows of p numbers from which {@link wasmColumnSums} runs: below, the JS loop is as fast. */
export const WASM_SUM_MIN = 1024;

/**
 * Adds the rows of xs (n/p rows of p numbers, row-major) into `out` (p numbers, zero on entry) in
 * WebAssembly: each column in order of rows, four rows a pass as `out[j] + r₀ + r₁ + r₂ + r₃`, then
 * the last rows one by one — the additions of the JS loop in algebra/numbers.ts (sumTo), so the same
 * bits. The adjoint of a bias added to every row. False, having done nothing, where it cannot run.
 */
export function wasmColumnSums(xs: Float64Array, p: number, out: Float64Array): boolean {
  const n = xs.length;
  if (n < WASM_SUM_MIN || p <= 0 || n % p !== 0 || 4 * p > MAX_CHUNK_FACTOR * WASM_LOOP_CHUNK) return false;
  const host = wasmLoopHost();
  if (!host) return false;
  const run = columnSumRunner(host);
  if (!run) return false;
  // Chunks of whole groups of four rows, so that only the last chunk has rows left over, as the JS loop.
  const chunkRows = 4 * Math.max(1, Math.floor(WASM_LOOP_CHUNK / (4 * p)));
  const start = host.start() + (host.start() & 1);
  const outAt = start, srcAt = start + p + (p & 1);
  const f64 = host.region(srcAt - start + chunkRows * p + 1);
  if (!f64) return false;
  f64.fill(0, outAt, outAt + p);
  const rows = n / p;
  for (let r0 = 0; r0 < rows; r0 += chunkRows) {
    const m = Math.min(chunkRows, rows - r0);
    f64.set(xs.subarray(r0 * p, (r0 + m) * p), srcAt);
    run(8 * srcAt, 8 * outAt, m, 8 * p);
  }
  out.set(f64.subarray(outAt, outAt + p));
  return true;
}

function columnSumRunner(host: WasmGemm): ColumnSums | null {
  let run = columnSumRunners.get(host);
  if (run !== undefined) return run;
  if (columnSumModule === undefined) columnSumModule = compiled(compileColumnSums);
  run = columnSumModule && runOf<ColumnSums>(columnSumModule, host);
  columnSumRunners.set(host, run);
  return run;
}

/** A generated module compiled, or null where the host refuses (no SIMD; a browser's main thread, a CSP). */
function compiled(bytes: () => Uint8Array): WasmModule | null {
  try {
    return new (wasmApi().Module)(bytes());
  } catch {
    return null;
  }
}

/** A generated module's `run`, instantiated over the host's memory; null if that fails. */
function runOf<F>(module: WasmModule, host: WasmGemm): F | null {
  try {
    return (new (wasmApi().Instance)(module, { env: { memory: host.memory } }).exports as { run: F }).run;
  } catch {
    return null;
  }
}

/** The column-sum module: `run(src, out, rows, rowBytes)`, see {@link wasmColumnSums}. */
export function compileColumnSums(): Uint8Array {
  const SRC = 0, OUT = 1, ROWS = 2, PB = 3;
  const G = 4, ROW = 5, J = 6, R1 = 7, R2 = 8, R3 = 9;
  const c = new Code();
  // out[j] (+ each row at j, in order) over the columns, a pair at a time.
  const columns = (rowPointers: number[]) =>
    c.pairsThenOne(J, PB, (wide) => {
      c.get(OUT).get(J).op(OP.i32Add).lanes(OUT, J, wide);
      for (const r of rowPointers) c.lanes(r, J, wide).simd(SIMD.f64x2Add);
      c.storeLanes(wide);
    });
  c.i32(0).set(G).get(SRC).set(ROW);
  // Groups of four rows.
  c.op(OP.block, OP.voidBlock).op(OP.loop, OP.voidBlock);
  c.get(G).i32(4).op(OP.i32Add).get(ROWS).op(OP.i32GtU).op(OP.brIf).u32(1);
  c.get(ROW).get(PB).op(OP.i32Add).set(R1);
  c.get(R1).get(PB).op(OP.i32Add).set(R2);
  c.get(R2).get(PB).op(OP.i32Add).set(R3);
  columns([ROW, R1, R2, R3]);
  c.get(R3).get(PB).op(OP.i32Add).set(ROW);
  c.get(G).i32(4).op(OP.i32Add).set(G);
  c.op(OP.br).u32(0).op(OP.end).op(OP.end);
  // The rows left over, one at a time.
  c.op(OP.block, OP.voidBlock).op(OP.loop, OP.voidBlock);
  c.get(G).get(ROWS).op(OP.i32GeS).op(OP.brIf).u32(1);
  columns([ROW]);
  c.get(ROW).get(PB).op(OP.i32Add).set(ROW);
  c.get(G).i32(1).op(OP.i32Add).set(G);
  c.op(OP.br).u32(0).op(OP.end).op(OP.end);
  return writeModule({ name: 'run', type: { params: [I32, I32, I32, I32], results: [] }, locals: [I32, I32, I32, I32, I32, I32], body: c });
}

function runnerFor(host: WasmGemm, plan: Plan, adds: readonly boolean[], key: string): Runner | null {
  let byKey = instances.get(host);
  if (!byKey) instances.set(host, (byKey = new Map()));
  const known = byKey.get(key);
  if (known) return known;
  let module = modules.get(key);
  if (module === undefined) {
    module = compiled(() => compileLoop(plan, adds));
    if (modules.size >= MAX_MODULES) modules.clear();
    modules.set(key, module);
  }
  const run = module && runOf<Runner>(module, host);
  if (run) {
    if (byKey.size >= MAX_MODULES) byKey.clear();
    byKey.set(key, run);
  }
  return run;
}

/**
 * The module of a plan: `run(table, n, period)` loops over n elements, tiles repeating every
 * `period`, two lanes a step (and one lane for an odd period's last element), and returns 1 if a
 * result was NaN (having written its outputs anyway: the caller drops them), else 0.
 */
export function compileLoop(plan: Plan, adds: readonly boolean[]): Uint8Array {
  const { steps, arrays, numbers, results } = plan;
  const stepCount = steps.length / 4;
  // Locals: parameters 0–2, then i32s, then v128s.
  const TABLE = 0, N = 1, PERIOD = 2;
  let next = 3;
  const pointer = Array.from({ length: arrays.length + results.length }, () => next++);
  const K = next++, J = next++, REPEAT = next++, PERIOD_BYTES = next++;
  const i32Count = next - 3;
  const constant = numbers.map(() => next++);
  const temp = Array.from({ length: stepCount }, () => next++);
  const BAD = next++;
  const locals = [...Array<number>(i32Count).fill(I32), ...Array<number>(next - 3 - i32Count).fill(V128)];

  const c = new Code();
  for (let i = 0; i < numbers.length; i++) c.get(TABLE).simd(SIMD.load64Splat).memarg(3, 8 * i).set(constant[i]);
  const pointerBytes = 8 * numbers.length;
  for (let i = 0; i < pointer.length; i++) c.get(TABLE).op(OP.i32Load).memarg(2, pointerBytes + 4 * i).set(pointer[i]);
  c.get(PERIOD).i32(3).op(OP.i32Shl).set(PERIOD_BYTES);

  // Operands: arrays of length n at byte offset K, tiles at J (c.lanes), numbers and temps from locals.
  const push = (ref: number, wide: boolean) => {
    if (ref === REF_ZERO) return void c.zeros();
    const i = Math.floor(ref / 3);
    if (ref % 3 === REF_ARRAY) c.lanes(pointer[i], K, wide);
    else if (ref % 3 === REF_NUMBER) c.get(constant[i]);
    else c.get(temp[i]);
  };
  const body = (wide: boolean) => {
    for (let s = 0; s < stepCount; s++) {
      const kind = steps[4 * s], a = steps[4 * s + 1], b = steps[4 * s + 2];
      if (kind === TILE) c.lanes(pointer[Math.floor(a / 3)], J, wide);
      else if (kind === NEG) push(a, wide), c.simd(SIMD.f64x2Neg);
      else {
        push(a, wide);
        push(b, wide);
        if (kind === ADD) c.simd(SIMD.f64x2Add);
        else if (kind === SUB) c.simd(SIMD.f64x2Sub);
        else if (kind === DIV) c.simd(SIMD.f64x2Div);
        else if (kind === MUL) c.simd(SIMD.f64x2Mul).zeros().simd(SIMD.f64x2Add); // + 0 makes a zero +0, as the JS loop
        else throw new Error(`dualtape internal error: step kind ${kind} has no WebAssembly form`);
      }
      c.set(temp[s]);
    }
    for (let r = 0; r < results.length; r++) {
      const out = pointer[arrays.length + r];
      // NaN check on the result itself (before any addition), as the JS loop's.
      push(results[r], wide);
      push(results[r], wide);
      c.simd(SIMD.f64x2Ne).get(BAD).simd(SIMD.v128Or).set(BAD);
      c.get(out).get(K).op(OP.i32Add);
      if (adds[r]) c.lanes(out, K, wide);
      push(results[r], wide);
      if (adds[r]) c.simd(SIMD.f64x2Add);
      c.storeLanes(wide);
    }
  };

  c.i32(0).set(K).i32(0).set(REPEAT);
  c.op(OP.block, OP.voidBlock).op(OP.loop, OP.voidBlock); // over the repeats of the period
  c.get(REPEAT).get(N).op(OP.i32GeS).op(OP.brIf).u32(1);
  c.pairsThenOne(J, PERIOD_BYTES, body, (bytes) => c.get(K).i32(bytes).op(OP.i32Add).set(K));
  c.get(REPEAT).get(PERIOD).op(OP.i32Add).set(REPEAT);
  c.op(OP.br).u32(0).op(OP.end).op(OP.end);
  c.get(BAD).simd(SIMD.anyTrue);

  return writeModule({
    name: 'run',
    type: { params: [I32, I32, I32], results: [I32] },
    locals,
    body: c,
  });
}
