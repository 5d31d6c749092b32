// Fused elementwise loops compiled to WebAssembly (src/algebra/wasm-loops.ts) must give the
// JavaScript loops' numbers bit for bit — signed zeros, NaN, ∞, subnormals, odd tile periods,
// additions into the outputs, outputs that are inputs — and leave every 0·∞ to the JavaScript
// loop, which resolves and counts it. The reference is the same expression on the 'js' backend,
// which never uses WebAssembly.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { gradAndHvp, setKernelBackend, sigmoid, softplus, tensor, type Tensor } from '../src/index.js';
import { evaluate, evaluatePair, Lazy, tile, type Operand } from '../src/algebra/fusion.js';
import { compileColumnSums, compileLoop, WASM_LOOP_CHUNK, WASM_LOOP_MIN, WASM_SUM_MIN, wasmColumnSums, wasmLoopsRun } from '../src/algebra/wasm-loops.js';
import { NumberAlgebra } from '../src/algebra/numbers.js';
import { wasmSingle } from '../src/kernels/wasm.js';
import { Code } from '../src/kernels/wasm-writer.js';

afterEach(() => setKernelBackend('auto', { fma: 'auto' }));

/** The algebra's structural-zero product, counting the indeterminate ones. */
function countingTimes() {
  const counter = { count: 0 };
  const times = (u: number, w: number) => {
    if (u === 0 || w === 0) {
      if (u - u !== 0 || w - w !== 0) counter.count++;
      return 0;
    }
    return u * w + 0;
  };
  return { counter, times };
}

const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

/** Runs `body` on the 'js' backend and on 'auto'; returns both outputs and counts, and the WebAssembly loops 'auto' ran. */
function bothWays<T>(body: (times: (u: number, w: number) => number) => T): { js: T; auto: T; jsCount: number; autoCount: number; ran: number } {
  setKernelBackend('js');
  const a = countingTimes();
  const js = body(a.times);
  // Without fused multiply-adds the WebAssembly products round as the JS kernel's (k ≤ 256), so whole
  // rules can be compared bit for bit too.
  setKernelBackend('auto', { fma: false });
  const b = countingTimes();
  const before = wasmLoopsRun();
  const auto = body(b.times);
  return { js, auto, jsCount: a.counter.count, autoCount: b.counter.count, ran: wasmLoopsRun() - before };
}

/** Doubles of every kind, ordinary ones most often (so that most loops meet no NaN and run in WebAssembly). */
const anyDouble = fc.oneof(
  { weight: 40, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, Infinity, -Infinity, NaN, 5e-324, -2.2e-308, 1e300, -1e300) },
);

/** A random expression over `arrays` (length n) and `tiles` (length period), as in the rules' plans. */
function expression(n: number, arrays: Float64Array[], tiles: Float64Array[]): fc.Arbitrary<Lazy> {
  const leaf: fc.Arbitrary<Operand> = fc.oneof(
    fc.constantFrom(...arrays),
    fc.constantFrom(...tiles).map((t) => tile(t, n)),
    fc.double({ min: -3, max: 3, noNaN: true }),
  );
  const { tree } = fc.letrec<{ tree: Lazy; operand: Operand }>((self) => ({
    operand: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, self('tree')),
    tree: fc.oneof(
      fc.tuple(fc.constantFrom('+', '-', '*', '/'), self('operand'), self('operand')).map(([k, a, b]) =>
        // At least one side an array or expression: a loop of numbers alone is not a loop.
        new Lazy(k as '+', typeof a === 'number' && typeof b === 'number' ? arrays[0] : a, b, n)),
      self('operand').map((a) => new Lazy('neg', typeof a === 'number' ? arrays[1] : a, 0, n)),
    ),
  }));
  return tree;
}

/** A problem: n, a period dividing it (odd ones too), the arrays and tiles. */
const problem = fc
  .record({ period: fc.integer({ min: 1, max: 41 }), repeats: fc.integer({ min: 1, max: 40 }), seed: fc.array(anyDouble, { minLength: 64, maxLength: 64 }) })
  .map(({ period, repeats, seed }) => {
    const n = Math.max(period * repeats, period * Math.ceil(WASM_LOOP_MIN / period));
    let s = 0;
    const fill = (length: number) => Float64Array.from({ length }, () => seed[s++ % seed.length] * (1 + (s % 7) / 10));
    return { n, period, arrays: [fill(n), fill(n), fill(n)], tiles: [fill(period), fill(period)] };
  });

describe('fused loops in WebAssembly equal the JavaScript loops bit for bit', () => {
  it('one result, written or added to', () => {
    let ran = 0;
    fc.assert(
      fc.property(problem.chain((p) => fc.tuple(fc.constant(p), expression(p.n, p.arrays, p.tiles), fc.boolean())), ([p, e, accumulate]) => {
        const start = Float64Array.from({ length: p.n }, (_, i) => Math.sin(i));
        const r = bothWays((times) => evaluate(e, times, accumulate ? start.slice() : null, accumulate));
        expect(sameBits(r.auto, r.js)).toBe(true);
        expect(r.autoCount).toBe(r.jsCount);
        ran += r.ran;
      }),
      { numRuns: 300 },
    );
    // Most cases ran in WebAssembly (the rest met a NaN, and were redone in JavaScript).
    expect(ran).toBeGreaterThan(150);
  });

  it('two results in one loop (a pair), each written or added to', () => {
    let ran = 0;
    fc.assert(
      fc.property(
        problem.chain((p) => fc.tuple(fc.constant(p), expression(p.n, p.arrays, p.tiles), expression(p.n, p.arrays, p.tiles), fc.boolean(), fc.boolean())),
        ([p, e0, e1, acc0, acc1]) => {
          fc.pre(e0 !== e1);
          const s0 = Float64Array.from({ length: p.n }, (_, i) => Math.cos(i));
          const s1 = Float64Array.from({ length: p.n }, (_, i) => 1 / (i + 1));
          const r = bothWays((times) => evaluatePair(e0, acc0 ? s0.slice() : null, acc0, e1, acc1 ? s1.slice() : null, acc1, times));
          expect(sameBits(r.auto[0], r.js[0])).toBe(true);
          expect(sameBits(r.auto[1], r.js[1])).toBe(true);
          expect(r.autoCount).toBe(r.jsCount);
          ran += r.ran;
        },
      ),
      { numRuns: 200 },
    );
    expect(ran).toBeGreaterThan(100);
  });

  it('runs in WebAssembly where it can, and leaves each 0·∞ to the JavaScript loop', () => {
    const n = 1000;
    const a = Float64Array.from({ length: n }, (_, i) => i - 500); // one zero, at 500
    const b = Float64Array.from({ length: n }, (_, i) => 1 / (i + 1));
    const plain = bothWays((times) => evaluate(new Lazy('*', a, new Lazy('+', b, 1, n), n), times, null, false));
    expect(plain.ran).toBe(1);
    expect(sameBits(plain.auto, plain.js)).toBe(true);
    // 0·∞ at element 500: the structural zero, counted once, on both backends.
    const c = b.slice();
    c[500] = Infinity;
    const zero = bothWays((times) => evaluate(new Lazy('*', a, c, n), times, null, false));
    expect(zero.ran).toBe(0);
    expect(zero.auto[500]).toBe(0);
    expect(zero.jsCount).toBe(1);
    expect(zero.autoCount).toBe(1);
    expect(sameBits(zero.auto, zero.js)).toBe(true);
  });

  it('long loops run chunk by chunk (whole periods of an odd tile); a NaN in a later chunk hands the rest to JavaScript', () => {
    for (const period of [0, 7, 200, WASM_LOOP_CHUNK + 3]) {
      const n = period === 0 ? 3 * WASM_LOOP_CHUNK + 5 : period * Math.ceil((2.5 * WASM_LOOP_CHUNK) / period);
      const a = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 2);
      const b = Float64Array.from({ length: n }, (_, i) => 1 / (i + 1));
      const bias = Float64Array.from({ length: Math.max(period, 1) }, (_, j) => j / 3 - 1);
      const shifted = period === 0 ? a : new Lazy('+', a, tile(bias, n), n);
      const e0 = new Lazy('*', shifted, new Lazy('-', b, shifted, n), n);
      const e1 = new Lazy('neg', new Lazy('/', shifted, new Lazy('+', b, 2, n), n), 0, n);
      const start0 = Float64Array.from({ length: n }, (_, i) => i % 5);
      const whole = bothWays((times) => evaluatePair(e0, start0.slice(), true, e1, null, false, times));
      expect(whole.ran, `period ${period}`).toBe(1);
      expect(sameBits(whole.auto[0], whole.js[0]) && sameBits(whole.auto[1], whole.js[1]), `period ${period}`).toBe(true);
      // A 0·∞ late in the loop: the chunks before it ran in WebAssembly, the rest in JavaScript, which counts it.
      const late = n - 3;
      const aInf = a.slice();
      aInf[late] = Infinity;
      const bZero = b.slice();
      bZero[late] = 0;
      const shiftedInf = period === 0 ? aInf : new Lazy('+', aInf, tile(bias, n), n);
      const f0 = new Lazy('*', shiftedInf, bZero, n);
      const part = bothWays((times) => evaluatePair(f0, start0.slice(), true, e1, null, false, times));
      expect(part.ran, `period ${period}`).toBe(1);
      expect(part.jsCount).toBe(1);
      expect(part.autoCount).toBe(1);
      expect(sameBits(part.auto[0], part.js[0]) && sameBits(part.auto[1], part.js[1]), `period ${period}`).toBe(true);
      expect(part.auto[0][late]).toBe(late % 5); // 0·∞ = 0 added to start0
    }
  });

  it('an output may be one of the inputs (a spent lane): each element is read before it is written', () => {
    const n = 777; // odd: the one-lane tail runs too
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
    const y = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    for (const accumulate of [false, true]) {
      const r = bothWays(() => {
        const xs = x.slice(), ys = y.slice();
        const e0 = new Lazy('*', xs, new Lazy('-', ys, xs, n), n);
        const e1 = new Lazy('+', ys, new Lazy('neg', xs, 0, n), n);
        return evaluatePair(e0, ys, accumulate, e1, xs, accumulate, (u, w) => u * w);
      });
      expect(r.ran).toBe(1);
      expect(sameBits(r.auto[0], r.js[0])).toBe(true);
      expect(sameBits(r.auto[1], r.js[1])).toBe(true);
    }
  });

  it('plans calling a function, short loops and the js backend stay in JavaScript', () => {
    const n = 4096;
    const a = Float64Array.from({ length: n }, (_, i) => i / n);
    const before = wasmLoopsRun();
    evaluate(new Lazy('f1', a, 0, n, Math.exp), (u, w) => u * w, null, false);
    evaluate(new Lazy('+', a.subarray(0, WASM_LOOP_MIN - 1), 1, WASM_LOOP_MIN - 1), (u, w) => u * w, null, false);
    // A tile period far past a chunk: the kernels' memory would have to hold it whole, for good.
    const period = 4 * WASM_LOOP_CHUNK + 1;
    const memory = wasmSingle()!.memory;
    const bytes = memory.buffer.byteLength;
    const long = evaluate(new Lazy('+', tile(new Float64Array(period).fill(1), 2 * period), 1, 2 * period), (u, w) => u * w, null, false);
    expect(long[2 * period - 1]).toBe(2);
    expect(memory.buffer.byteLength).toBe(bytes);
    setKernelBackend('js');
    evaluate(new Lazy('+', a, 1, n), (u, w) => u * w, null, false);
    expect(wasmLoopsRun()).toBe(before);
  });

  it('whole rules: gradAndHvp of a layer of each elementwise op on js and auto, the same bits', () => {
    const X = tensor(Float64Array.from({ length: 64 * 12 }, (_, i) => Math.sin(i)), [64, 12]);
    const w = Float64Array.from({ length: 96 }, (_, i) => Math.cos(i) / 4);
    const v = Float64Array.from({ length: 96 }, (_, i) => Math.sin(3 * i));
    const layers: Record<string, (z: Tensor) => Tensor> = {
      tanh: (z) => z.tanh(),
      sigmoid: (z) => sigmoid(z),
      softplus: (z) => softplus(z),
      'z²/(1 + z²)': (z) => z.square().div(z.square().add(1)),
      'z·z − 1/(2 + z²)': (z) => z.mul(z).sub(z.square().add(2).reciprocal()),
      'exp(−z²)': (z) => z.square().neg().exp(),
      'sqrt(1 + z²)': (z) => z.square().add(1).sqrt(),
    };
    for (const [name, act] of Object.entries(layers)) {
      const f = (x: Tensor) => act(X.matmul(x.reshape([12, 8]))).square().sum();
      const r = bothWays(() => gradAndHvp(f, w, v));
      expect(r.ran, name).toBeGreaterThan(0);
      expect(Object.is(r.auto.value, r.js.value), name).toBe(true);
      expect(sameBits(r.auto.grad, r.js.grad), name).toBe(true);
      expect(sameBits(r.auto.hvp, r.js.hvp), name).toBe(true);
    }
  });
});

describe('column sums (a bias\'s adjoint) in WebAssembly equal the JavaScript loop bit for bit', () => {
  it('random rows × columns, odd and long rows, every kind of double', () => {
    const o = new NumberAlgebra();
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(199, 200, 4097, WASM_LOOP_CHUNK + 1))
          .chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: 1, max: p > 1000 ? 9 : 300 }))),
        fc.array(anyDouble, { minLength: 61, maxLength: 61 }),
        ([p, rows], seed) => {
          const n = p * rows;
          const xs = Float64Array.from({ length: n }, (_, i) => seed[i % 61] * (1 + (i % 13) / 8));
          setKernelBackend('js');
          const js = o.sumTo(xs, [rows, p], [p]) as Float64Array;
          setKernelBackend('auto');
          const auto = o.sumTo(xs, [rows, p], [p]) as Float64Array;
          expect(sameBits(auto, js)).toBe(true);
          // The same additions from the module directly, where it runs.
          const out = new Float64Array(p);
          // Rows longer than a chunk stay in JavaScript (their four rows would grow the kernels' memory for good).
          const runs = n >= WASM_SUM_MIN && p <= WASM_LOOP_CHUNK;
          expect(wasmColumnSums(xs, p, out)).toBe(runs);
          if (runs) expect(sameBits(out, js)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('its module validates', () => {
    expect(WebAssembly.validate(compileColumnSums() as Uint8Array<ArrayBuffer>)).toBe(true);
  });
});

describe('the module writer', () => {
  it('LEB128 immediates as the specification encodes them', () => {
    const u = (x: number) => new Code().u32(x).bytes;
    const s = (x: number) => new Code().s32(x).bytes;
    expect(u(0)).toEqual([0]);
    expect(u(127)).toEqual([0x7f]);
    expect(u(128)).toEqual([0x80, 0x01]);
    expect(u(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(u(2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(s(0)).toEqual([0]);
    expect(s(63)).toEqual([0x3f]);
    expect(s(64)).toEqual([0xc0, 0x00]);
    expect(s(-1)).toEqual([0x7f]);
    expect(s(-64)).toEqual([0x40]);
    expect(s(-65)).toEqual([0xbf, 0x7f]);
    expect(s(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(s(2 ** 31 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x07]);
    expect(s(-(2 ** 31))).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
  });

  it('every step kind compiles to a module WebAssembly validates', () => {
    // steps: kind, a, b, fn (operands: 3·index + 0 array, 1 number, 2 temp; −1 zero)
    const plan = {
      steps: [7, 3, -1, -1, 0, 0, 2, -1, 1, 2, 1, -1, 2, 5, 0, -1, 3, 8, 1, -1, 4, 11, -1, -1],
      arrays: [new Float64Array(4), new Float64Array(2)],
      numbers: [2],
      fns: [],
      results: [14, 11],
      period: 2,
    };
    for (const adds of [[false, false], [true, false], [true, true]]) {
      expect(WebAssembly.validate(compileLoop(plan, adds) as Uint8Array<ArrayBuffer>)).toBe(true);
    }
  });
});
