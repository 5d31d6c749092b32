// A small writer of WebAssembly binaries: a module of one exported function, importing a memory.
// Enough for the fused elementwise loops generated at run time
// (../algebra/wasm-loops.ts); the format is the WebAssembly core specification's (§5, binary
// format) with the fixed-width SIMD proposal's opcodes (prefix 0xfd).

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Opcodes used by the generated loops (core, then SIMD after the 0xfd prefix). */
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, brIf: 0x0d, voidBlock: 0x40,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, i32Const: 0x41,
  i32GeS: 0x4e, i32LtU: 0x49, i32GtU: 0x4b,
  i32Add: 0x6a, i32Shl: 0x74,
} as const;

export const SIMD = {
  load: 0x00, load64Splat: 0x0a, store: 0x0b, const: 0x0c,
  f64x2Ne: 0x48, v128Or: 0x50, anyTrue: 0x53, store64Lane: 0x5b,
  f64x2Neg: 0xed, f64x2Add: 0xf0, f64x2Sub: 0xf1, f64x2Mul: 0xf2, f64x2Div: 0xf3,
} as const;

/** Bytes of a function body under construction, with LEB128 immediates. */
export class Code {
  readonly bytes: number[] = [];

  op(...codes: number[]): this {
    this.bytes.push(...codes);
    return this;
  }

  /** Unsigned LEB128. */
  u32(value: number): this {
    let v = value >>> 0;
    do {
      const byte = v & 0x7f;
      v >>>= 7;
      this.bytes.push(v === 0 ? byte : byte | 0x80);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 of a 32-bit integer. */
  s32(value: number): this {
    let v = value | 0;
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
      this.bytes.push(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }

  /** A SIMD instruction: the prefix and its opcode (LEB128). */
  simd(code: number): this {
    return this.op(0xfd).u32(code);
  }

  /** A memory argument: log2 of the alignment hint, and a constant offset. */
  memarg(alignLog2: number, offset: number): this {
    return this.u32(alignLog2).u32(offset);
  }

  get(local: number): this {
    return this.op(OP.localGet).u32(local);
  }

  set(local: number): this {
    return this.op(OP.localSet).u32(local);
  }

  i32(value: number): this {
    return this.op(OP.i32Const).s32(value);
  }

  /**
   * Loads at local `pointer` + local `offset` (bytes): two float64s (wide), or one into both lanes
   * (narrow, for the last element of an odd run).
   */
  lanes(pointer: number, offset: number, wide: boolean): this {
    this.get(pointer).get(offset).op(OP.i32Add);
    return wide ? this.simd(SIMD.load).memarg(3, 0) : this.simd(SIMD.load64Splat).memarg(3, 0);
  }

  /** Stores the v128 on the stack at the address below it: both lanes (wide) or lane 0. */
  storeLanes(wide: boolean): this {
    return wide ? this.simd(SIMD.store).memarg(3, 0) : this.simd(SIMD.store64Lane).memarg(3, 0).op(0);
  }

  /**
   * A loop over a run of `limit` bytes (a local) in local `j`, from 0: `body(true)` on two float64s a
   * step, then `body(false)` on the last one if the run is odd; `step(bytes)` after each.
   */
  pairsThenOne(j: number, limit: number, body: (wide: boolean) => void, step: (bytes: number) => void = () => {}): this {
    this.i32(0).set(j);
    this.op(OP.block, OP.voidBlock).op(OP.loop, OP.voidBlock);
    this.get(j).i32(16).op(OP.i32Add).get(limit).op(OP.i32GtU).op(OP.brIf).u32(1);
    body(true);
    step(16);
    this.get(j).i32(16).op(OP.i32Add).set(j);
    this.op(OP.br).u32(0).op(OP.end).op(OP.end);
    this.get(j).get(limit).op(OP.i32LtU).op(OP.if, OP.voidBlock);
    body(false);
    step(8);
    return this.op(OP.end);
  }

  /** v128.const of sixteen zero bytes (both f64 lanes +0). */
  zeros(): this {
    this.simd(SIMD.const);
    for (let i = 0; i < 16; i++) this.bytes.push(0);
    return this;
  }
}

/** A function type: parameters and results. */
export interface FuncType {
  readonly params: readonly number[];
  readonly results: readonly number[];
}

/** What a module of one exported function needs. */
export interface ModuleSpec {
  /** The function, exported as `name`; the module imports `env.memory` (an ordinary memory). */
  readonly name: string;
  readonly type: FuncType;
  /** Its locals past the parameters, by type, in order. */
  readonly locals: readonly number[];
  readonly body: Code;
}

function vec(items: readonly number[][]): number[] {
  return [...new Code().u32(items.length).bytes, ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...text].map((c) => c.charCodeAt(0));
  return [...new Code().u32(bytes.length).bytes, ...bytes];
}

function section(id: number, content: number[]): number[] {
  return [id, ...new Code().u32(content.length).bytes, ...content];
}

function funcType(t: FuncType): number[] {
  return [0x60, ...vec(t.params.map((p) => [p])), ...vec(t.results.map((r) => [r]))];
}

/** The module's bytes. */
export function writeModule(spec: ModuleSpec): Uint8Array {
  const memory = [...name('env'), ...name('memory'), 0x02, 0x00, 0x00]; // a memory; limits: at least 0 pages, no maximum
  // Locals as runs of one type.
  const runs: number[][] = [];
  for (let i = 0; i < spec.locals.length; ) {
    let j = i;
    while (j < spec.locals.length && spec.locals[j] === spec.locals[i]) j++;
    runs.push([...new Code().u32(j - i).bytes, spec.locals[i]]);
    i = j;
  }
  const body = [...vec(runs), ...spec.body.bytes, OP.end];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([funcType(spec.type)])),
    ...section(2, vec([memory])),
    ...section(3, vec([[0]])), // function 0 has type 0
    ...section(7, vec([[...name(spec.name), 0x00, 0]])), // exported: a function, index 0
    ...section(10, vec([[...new Code().u32(body.length).bytes, ...body]])),
  ]);
}
