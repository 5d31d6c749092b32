// Fused loops that call the math library (tanh, exp, …) on long arrays are split across the kernel
// threads (algebra/fusion.ts `split`, kernels/threads.ts Pool.map): the calling thread runs the first
// part in place, workers run the others on copies in the shared memory. Every element goes through
// the same loop either way, so the numbers must be the same bit for bit, and so must the count of
// 0·∞ the structural-zero products resolve. Checked against the same loops run whole, for ragged
// lengths, tiled (bias) operands, accumulation, and whole transforms; and a worker that cannot run
// a part must leave the numbers right.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lazy, SPLIT_MIN, evaluate, evaluatePair, tile, type Operand } from '../src/algebra/fusion.js';
import { selfContained } from '../src/elementwise/self-contained.js';
import { tanhNumber } from '../src/ops/special/hyperbolic-tangent.js';
import { gradAndHvp, setKernelBackend, sum, tanh as tanhOp, tensor, type Tensor } from '../src/index.js';
import { gemm } from '../src/kernels/backend.js';
import { defaultThreadCount, disposeThreadPool, loopsSplitSoFar, threadsSupported } from '../src/kernels/threads.js';
import { counter } from './counting-times.js';
import { wasmLoopsRun } from '../src/algebra/wasm-loops.js';

const canSplit = threadsSupported();

/** Waits until the pool's worker has started (a forced-threads product waits for it). */
function startWorkers(): void {
  setKernelBackend('wasm-threads', { threads: 2 });
  const A = new Float64Array(64 * 64).fill(1);
  gemm(A, false, A, false, new Float64Array(64 * 64), 64, 64, 64, false);
}

/** Runs `e` whole (one thread) and split (two), returning both outputs and 0·∞ counts. */
function bothWays(e: Lazy, into: Float64Array | null) {
  const run = () => {
    const { state, times } = counter();
    const out = evaluate(e, times, into ? into.slice() : null, into !== null);
    return { out, count: state.count };
  };
  setKernelBackend('wasm');
  const whole = run();
  startWorkers();
  const before = loopsSplitSoFar();
  const split = run();
  return { whole, split, splitRan: loopsSplitSoFar() - before };
}

const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((x, k) => Object.is(x, b[k]));

describe.runIf(canSplit)('loops split across threads', () => {
  beforeAll(() => startWorkers());
  afterAll(() => {
    disposeThreadPool();
    setKernelBackend('auto', { threads: defaultThreadCount() });
  });

  const tanh = selfContained((x: number) => Math.tanh(x));
  const exp = selfContained((x: number) => Math.exp(x));

  it('give the numbers of the loop run whole, bit for bit, at ragged lengths', () => {
    for (const n of [SPLIT_MIN, SPLIT_MIN + 1, SPLIT_MIN + 37, 3 * SPLIT_MIN + 5]) {
      const a = Float64Array.from({ length: n }, (_, k) => 6 * Math.sin(k * 0.37));
      const b = Float64Array.from({ length: n }, (_, k) => Math.cos(k));
      const e = new Lazy('+', new Lazy('f1', new Lazy('+', a, b, n), 0, n, tanh), b, n);
      const { whole, split, splitRan } = bothWays(e, null);
      expect(splitRan, `n = ${n}`).toBe(1);
      expect(same(split.out, whole.out), `n = ${n}`).toBe(true);
    }
  });

  it('split a pair of results (a value and its tangent: evaluatePair) to the bits of one loop each run whole', () => {
    for (const n of [SPLIT_MIN + 3, 2 * SPLIT_MIN + 400]) {
      const period = 100 + (n % 100);
      const x = Float64Array.from({ length: n }, (_, k) => 4 * Math.sin(k * 0.31));
      const xDot = Float64Array.from({ length: n }, (_, k) => Math.cos(k * 0.7));
      const bias = Float64Array.from({ length: period }, (_, j) => j / period - 0.5);
      for (const [acc0, acc1] of [[false, false], [true, false], [false, true]]) {
        // y = tanh(x + bias), ẏ = ẋ·(1 − y²): the shape a unary op's forward pair has.
        const make = (xs: Float64Array, dots: Float64Array) => {
          const y = new Lazy('f1', new Lazy('+', xs, tile(bias, n), n), 0, n, tanh);
          return [y, new Lazy('*', dots, new Lazy('-', 1, new Lazy('*', y, y, n), n), n)] as const;
        };
        const start0 = Float64Array.from({ length: n }, (_, k) => k % 5);
        const start1 = Float64Array.from({ length: n }, (_, k) => k % 3);
        setKernelBackend('wasm');
        const c1 = counter();
        const [e0, e1] = make(x, xDot);
        const whole0 = evaluate(e0, c1.times, acc0 ? start0.slice() : null, acc0);
        const whole1 = evaluate(e1, c1.times, acc1 ? start1.slice() : null, acc1);
        startWorkers();
        // out1 is xDot itself (an array the loop reads) when not adding: read before written, element by element.
        const dots = xDot.slice();
        const [p0, p1] = make(x, dots);
        const before = loopsSplitSoFar();
        const c2 = counter();
        const [out0, out1] = evaluatePair(p0, acc0 ? start0.slice() : null, acc0, p1, acc1 ? start1.slice() : dots, acc1, c2.times);
        expect(loopsSplitSoFar() - before, `n = ${n}`).toBe(1);
        expect(same(out0, whole0), `n = ${n}, value`).toBe(true);
        expect(same(out1, whole1), `n = ${n}, tangent`).toBe(true);
        if (!acc1) expect(out1).toBe(dots);
      }
    }
  });

  it('a pair of plain arithmetic (an adjoint and its R-adjoint) runs in WebAssembly, never split', () => {
    const n = 4 * SPLIT_MIN + 11;
    const y = Float64Array.from({ length: n }, (_, k) => Math.sin(k * 0.13));
    const g = Float64Array.from({ length: n }, (_, k) => Math.cos(k * 0.29));
    const gDot = Float64Array.from({ length: n }, (_, k) => (k % 9) - 4);
    const yDot = Float64Array.from({ length: n }, (_, k) => Math.sin(k * 0.05 + 1));
    // tanh's backward: x̄ = ȳ(1 − y²), R{x̄} = R{ȳ}(1 − y²) − 2ȳ·y·ẏ(1 − y²)
    const d = new Lazy('-', 1, new Lazy('*', y, y, n), n);
    const bar = new Lazy('*', g, d, n);
    const barDot = new Lazy('+', new Lazy('*', gDot, d, n), new Lazy('*', g, new Lazy('*', -2, new Lazy('*', y, new Lazy('*', yDot, d, n), n), n), n), n);
    setKernelBackend('js');
    const c1 = counter();
    const whole = [evaluate(barDot, c1.times, null, false), evaluate(bar, c1.times, null, false)];
    setKernelBackend('wasm');
    startWorkers();
    const before = loopsSplitSoFar();
    const wasmBefore = wasmLoopsRun();
    const [p0, p1] = evaluatePair(barDot, null, false, bar, null, false, counter().times);
    expect(same(evaluate(barDot, counter().times, null, false), whole[0])).toBe(true);
    expect(loopsSplitSoFar() - before).toBe(0);
    expect(wasmLoopsRun() - wasmBefore).toBe(2);
    expect(same(p0, whole[0]) && same(p1, whole[1])).toBe(true);
  });

  it('cut a loop over a tiled operand (a bias) at whole periods, and add into out with accumulate', () => {
    const period = 1000, n = 40 * period;
    const a = Float64Array.from({ length: n }, (_, k) => Math.sin(k));
    const bias = Float64Array.from({ length: period }, (_, j) => j / period - 0.5);
    const e = new Lazy('f1', new Lazy('+', a, tile(bias, n), n), 0, n, tanh);
    for (const into of [null, Float64Array.from({ length: n }, (_, k) => k % 7)]) {
      const { whole, split, splitRan } = bothWays(e, into);
      expect(splitRan).toBe(1);
      expect(same(split.out, whole.out)).toBe(true);
    }
    // The reference by hand: tanh(a + bias) for some elements.
    const { split } = bothWays(e, null);
    for (const k of [0, 999, 1000, 20_001, n - 1]) expect(split.out[k]).toBe(Math.tanh(a[k] + bias[k % period]));
  });

  it('see the shared memory after it grew between loops (a worker refreshes its view)', () => {
    // Each longer loop needs more of the memory than the last: the worker's view of it from the
    // previous loop is too short and must be made again.
    for (const n of [SPLIT_MIN, 4 * SPLIT_MIN, 16 * SPLIT_MIN]) {
      const a = Float64Array.from({ length: n }, (_, k) => Math.sin(k * 0.01) * 4);
      const { whole, split, splitRan } = bothWays(new Lazy('f1', a, 0, n, tanh), null);
      expect(splitRan, `n = ${n}`).toBe(1);
      expect(same(split.out, whole.out), `n = ${n}`).toBe(true);
    }
  });

  it("rebuild the ops' own math (tanh's, in special/hyperbolic-tangent.ts) in a worker to the same bits", () => {
    const n = 2 * SPLIT_MIN + 3;
    // Both branches of tanhNumber, its seam, the ±1 tail, signed zeros and NaN, in every part.
    const specials = [0, -0, NaN, Infinity, -Infinity, 0.65, -0.65, 19.1, 1e-12];
    const a = Float64Array.from({ length: n }, (_, k) => (k % 4096 < specials.length ? specials[k % 4096] : 8 * Math.sin(k * 0.013) ** 3));
    const { whole, split, splitRan } = bothWays(new Lazy('f1', a, 0, n, tanhOp.math.f), null);
    expect(splitRan).toBe(1);
    expect(same(split.out, whole.out)).toBe(true);
    expect(split.out.every((y, k) => Object.is(y, tanhNumber(a[k])))).toBe(true);
  });

  it('count the 0·∞ their products resolve as the loop run whole does', () => {
    const n = 2 * SPLIT_MIN + 11;
    // exp(x)·y with x = +∞ where y = 0 (0·∞ → 0, counted), NaN here and there, zeros of both signs.
    const x = Float64Array.from({ length: n }, (_, k) => (k % 97 === 0 ? Infinity : k % 101 === 0 ? NaN : Math.sin(k)));
    const y = Float64Array.from({ length: n }, (_, k) => (k % 97 === 0 || k % 5 === 0 ? 0 : k % 3 === 0 ? -0 : Math.cos(k)));
    const e: Operand = new Lazy('*', new Lazy('f1', x, 0, n, exp), y, n);
    const { whole, split, splitRan } = bothWays(e as Lazy, null);
    expect(splitRan).toBe(1);
    expect(whole.count).toBeGreaterThan(100);
    expect(split.count).toBe(whole.count);
    expect(same(split.out, whole.out)).toBe(true);
  });

  it('leave short loops, loops of functions not marked self-contained, and one-thread backends whole', () => {
    const n = SPLIT_MIN;
    const a = Float64Array.from({ length: n }, (_, k) => k / n);
    const { times } = counter();
    startWorkers();
    let before = loopsSplitSoFar();
    evaluate(new Lazy('f1', a.subarray(0, n - 1), 0, n - 1, tanh), times, null, false);
    evaluate(new Lazy('f1', a, 0, n, (u: number) => Math.tanh(u)), times, null, false);
    expect(loopsSplitSoFar() - before).toBe(0);
    setKernelBackend('wasm');
    before = loopsSplitSoFar();
    evaluate(new Lazy('f1', a, 0, n, tanh), times, null, false);
    expect(loopsSplitSoFar() - before).toBe(0);
  });

  it('give a two-layer network the same value, gradient and H·v as one thread, bit for bit', () => {
    // N×H = 256×160 hidden units: the tanh loops are long enough to split.
    const N = 256, D = 12, H = 160;
    const X = Float64Array.from({ length: N * D }, (_, k) => Math.sin(0.3 * k));
    const f = (w: Tensor) => {
      const W1 = w.slice(0, D * H).reshape([D, H]);
      const b1 = w.slice(D * H, D * H + H);
      const W2 = w.slice(D * H + H, D * H + 2 * H).reshape([H, 1]);
      const z = tensor(X, [N, D]).matmul(W1).add(b1).tanh();
      return sum(z.matmul(W2).square());
    };
    const W = D * H + 2 * H;
    const w = Float64Array.from({ length: W }, (_, k) => 0.4 * Math.cos(k));
    const v = Float64Array.from({ length: W }, (_, k) => Math.sin(k * 1.7));
    setKernelBackend('wasm');
    const one = gradAndHvp(f, w, v);
    startWorkers();
    const before = loopsSplitSoFar();
    const two = gradAndHvp(f, w, v);
    expect(loopsSplitSoFar() - before).toBeGreaterThan(0);
    expect(Object.is(two.value, one.value)).toBe(true);
    expect(same(two.grad, one.grad)).toBe(true);
    expect(same(two.hvp, one.hvp)).toBe(true);
  });

  it('wait for the workers before passing on an error of the calling thread\'s part', () => {
    const n = 2 * SPLIT_MIN;
    // Throws on the first element only, which is in the calling thread's part; slow elsewhere, so
    // the workers are still busy when it throws (were they not waited for, their late writes into
    // the shared memory would spoil the next loop, which uses the same place).
    const picky = selfContained((x: number) => {
      if (x === -1) throw new RangeError('picky');
      let sum = 0;
      for (let k = 0; k < 64; k++) sum += Math.tanh(x + k * 1e-3);
      return sum;
    });
    const a = Float64Array.from({ length: n }, (_, k) => (k === 0 ? -1 : Math.sin(k)));
    startWorkers();
    const { times } = counter();
    expect(() => evaluate(new Lazy('f1', a, 0, n, picky), times, null, false)).toThrow(RangeError);
    // The shared memory is free again: the next loop splits and is right.
    const b = Float64Array.from({ length: n }, (_, k) => Math.cos(k));
    const { whole, split, splitRan } = bothWays(new Lazy('f1', b, 0, n, tanh), null);
    expect(splitRan).toBe(1);
    expect(same(split.out, whole.out)).toBe(true);
  });

  it('still give the right numbers when a worker cannot run its part (and stop splitting)', () => {
    const n = 2 * SPLIT_MIN;
    const scale = 3;
    // Wrongly marked: it reads `scale`, which a worker rebuilding it from its text does not have.
    const closure = selfContained((x: number) => Math.tanh(scale * x));
    const a = Float64Array.from({ length: n }, (_, k) => Math.sin(k));
    startWorkers();
    const { times } = counter();
    const error = console.error;
    console.error = () => {}; // (a worker reports its ReferenceError on its own stderr)
    try {
      // Until a worker has claimed a part and failed it (the calling thread may take every part
      // while the worker sleeps): each time the numbers must be right.
      let refused = false;
      for (let attempt = 0; attempt < 200 && !refused; attempt++) {
        const before = loopsSplitSoFar();
        const out = evaluate(new Lazy('f1', a, 0, n, closure), times, null, false);
        for (let k = 0; k < n; k += 997) expect(out[k]).toBe(Math.tanh(3 * a[k]));
        expect(out[n - 1]).toBe(Math.tanh(3 * a[n - 1]));
        refused = loopsSplitSoFar() === before;
      }
      expect(refused).toBe(true);
    } finally {
      console.error = error;
    }
    // After a failure the pool keeps loops on the calling thread.
    const before = loopsSplitSoFar();
    evaluate(new Lazy('f1', a, 0, n, tanh), times, null, false);
    expect(loopsSplitSoFar() - before).toBe(0);
  });

  // tsx, and any esbuild build with keepNames, wraps named functions in calls to a helper __name,
  // so the text the worker is made of, and the text of a loop's functions, refer to a helper the
  // worker does not have unless it defines one.
  it('split when the code was built with esbuild keepNames (as tsx runs it)', async () => {
    const program = `
import { setKernelBackend, tensor, gradAndHvp } from './src/index.js';
import { loopsSplitSoFar } from './src/kernels/threads.js';
import { selfContained } from './src/elementwise/self-contained.js';
setKernelBackend('wasm-threads', { threads: 2 });
// A self-contained function with a named inner function: keepNames wraps it in __name.
const bumpy = selfContained(function bumpy(x) { function inner(u) { return Math.tanh(u); } return inner(x); });
const n = ${2 * SPLIT_MIN};
const a = Float64Array.from({ length: n }, (_, k) => Math.sin(k));
const x = tensor(Float64Array.from({ length: 64 * 64 }, (_, k) => Math.cos(k)), [64, 64]);
const loss = (w) => w.matmul(w).tanh().sum();
gradAndHvp(loss, x, x); // starts the worker
const before = loopsSplitSoFar();
const { Lazy, evaluate } = await import('./src/algebra/fusion.js');
const times = (u, w) => (u === 0 || w === 0 ? 0 : u * w);
const out = evaluate(new Lazy('f1', a, 0, n, bumpy), times, null, false);
const right = out.every((y, k) => Object.is(y, Math.tanh(a[k])));
console.log(JSON.stringify({ splits: loopsSplitSoFar() - before, right }));
setTimeout(() => process.exit(0), 200); // lets a worker's error reach stderr
`;
    const dir = mkdtempSync(join(tmpdir(), 'dualtape-keepnames-'));
    try {
      const outfile = join(dir, 'program.mjs');
      const packageDir = fileURLToPath(new URL('..', import.meta.url));
      await build({
        stdin: { contents: program, resolveDir: packageDir, loader: 'ts' },
        bundle: true, format: 'esm', platform: 'node', target: 'es2022', keepNames: true, outfile, logLevel: 'silent',
      });
      const run = spawnSync(process.execPath, [outfile], { encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ splits: 1, right: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

