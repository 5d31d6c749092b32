// The kernel backends ('js', 'wasm', 'wasm-threads', 'auto') against a plain triple loop and
// against each other: random products of every layout and edge shape, non-finite values, and H·v
// of a two-layer network. Backends differ only in the order of the additions, so they agree to
// round-off (≤ 1e-13 relative), never exactly.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { seededUniform } from '../src/testing/index.js';
import { ArgumentError, getKernelBackend, gradAndHvp, initKernels, OptionError, setKernelBackend, tensor, type KernelBackend, type Scalar, type Tensor } from '../src/index.js';
import { gemm, gemmAB, gemmABt, gemmAtB, gemmSum, multiplyAddsSoFar, THREADS_MIN_WORK, THREADS_POLLING_MIN_WORK, WASM_MIN_WORK } from '../src/kernels/backend.js';
import { defaultThreadCount, productsSplitSoFar, resetSplitEstimate, workersPolling, WORKER_SPIN_MS } from '../src/kernels/threads.js';
import { maxRelDiff } from './max-rel-diff.js';

type Gemm = (A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean) => void;

const LAYOUTS: ReadonlyArray<{ name: string; fn: Gemm; a: (i: number, p: number, m: number, k: number) => number; b: (p: number, j: number, n: number, k: number) => number }> = [
  { name: 'gemmAB', fn: gemmAB, a: (i, p, _m, k) => i * k + p, b: (p, j, n) => p * n + j },
  { name: 'gemmABt', fn: gemmABt, a: (i, p, _m, k) => i * k + p, b: (p, j, _n, k) => j * k + p },
  { name: 'gemmAtB', fn: gemmAtB, a: (i, p, m) => p * m + i, b: (p, j, n) => p * n + j },
];
const BACKENDS: readonly KernelBackend[] = ['js', 'wasm', 'wasm-threads', 'auto'];

// Seeded test data: mulberry32, the generator checkGrads uses.
const rng = seededUniform;
const randomArray = (n: number, next: () => number) => Float64Array.from({ length: n }, () => 2 * next() - 1);

/** C0 + op(A)·op(B) by the triple loop, and Σ|terms| per entry (the scale round-off is relative to). */
function reference(l: (typeof LAYOUTS)[number], A: Float64Array, B: Float64Array, C0: Float64Array | null, m: number, n: number, k: number) {
  const C = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = C0 ? C0[i * n + j] : 0;
      let t = Math.abs(s);
      for (let p = 0; p < k; p++) {
        const x = A[l.a(i, p, m, k)] * B[l.b(p, j, n, k)];
        s += x;
        t += Math.abs(x);
      }
      C[i * n + j] = s;
      scale[i * n + j] = t;
    }
  }
  return { C, scale };
}

const restoreDefaults = () => setKernelBackend('auto', { threads: defaultThreadCount() });
afterAll(restoreDefaults);

describe('setKernelBackend / getKernelBackend', () => {
  it('reports the backend and what the host supports', () => {
    setKernelBackend('auto');
    const info = getKernelBackend();
    expect(info.backend).toBe('auto');
    expect(info.wasm).toBe(true); // Node 20 has WebAssembly SIMD
    expect(info.wasmThreads).toBe(true);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.maxThreads).toBe(2 * os.availableParallelism());
    expect(info.memoryLimit).toBeGreaterThan(0);
    expect(info.wasmMinWork).toBe(WASM_MIN_WORK);
    expect(info.threadsMinWork).toBe(THREADS_MIN_WORK);
    expect(info.threadsPollingMinWork).toBe(THREADS_POLLING_MIN_WORK);
    for (const b of BACKENDS) {
      setKernelBackend(b);
      expect(getKernelBackend().backend).toBe(b);
    }
    setKernelBackend('auto');
  });

  it('rejects unknown backends', () => {
    expect(() => setKernelBackend('gpu' as KernelBackend)).toThrow(ArgumentError);
    expect(getKernelBackend().backend).toBe('auto');
  });

  it('checks its options at run time: keys, types and ranges, threads capped at twice the cores', () => {
    const max = getKernelBackend().maxThreads;
    setKernelBackend('wasm-threads', { threads: 2 });
    const bad: ReadonlyArray<readonly [unknown, RegExp]> = [
      [{ threads: 0 }, new RegExp(`'threads' must be an integer from 1 to ${max}\\b.*got 0`)],
      [{ threads: max + 1 }, new RegExp(`from 1 to ${max} \\(twice the .*got ${max + 1}`)],
      [{ threads: 256 }, /got 256/],
      [{ threads: 1.5 }, /got 1\.5/],
      [{ threads: '2' }, /got '2'/],
      [{ threads: Number.NaN }, /got NaN/],
      [{ thread: 2 }, /unknown option 'thread'; did you mean 'threads'\?.*threads, fma/],
      [{ fma: 'yes' }, /'fma' must be one of true, false, 'auto'/],
      [null, /options must be an object/],
      [[2], /options must be an object.*array/],
      [4, /options must be an object.*got 4/],
    ];
    for (const [options, message] of bad) {
      expect(() => setKernelBackend('auto', options as never), JSON.stringify(options)).toThrow(OptionError);
      expect(() => setKernelBackend('auto', options as never), JSON.stringify(options)).toThrow(message);
    }
    // A refused call changes nothing.
    expect(getKernelBackend()).toMatchObject({ backend: 'wasm-threads', threads: 2 });
    setKernelBackend('wasm-threads', { threads: max });
    expect(getKernelBackend().threads).toBe(max);
    setKernelBackend('auto', { threads: undefined }); // undefined keeps the setting
    expect(getKernelBackend().threads).toBe(max);
    restoreDefaults();
  });
});

// 0–9, 17 and 33 hit empty, edge-only, exact and ragged 4×4 tiles; 70×66×300 spans several KC and
// thread chunks.
const SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [1, 1, 1], [0, 3, 2], [3, 0, 2], [2, 3, 0], [1, 9, 5], [9, 1, 5], [4, 4, 4], [5, 7, 3], [8, 8, 9],
  [17, 33, 6], [33, 17, 2], [3, 5, 257], [70, 66, 300], [130, 9, 41], [9, 130, 41],
];

describe.each(['wasm', 'wasm-threads', 'auto'] as const)('backend %s: random products', (backend) => {
  for (const l of LAYOUTS) {
    it(`${l.name} matches the triple loop to round-off, overwriting and accumulating`, () => {
      setKernelBackend(backend, backend === 'wasm-threads' ? { threads: 3 } : {});
      const next = rng(7);
      for (const [m, n, k] of SHAPES) {
        const A = randomArray(m * k, next);
        const B = randomArray(k * n, next);
        for (const accumulate of [false, true]) {
          const C0 = randomArray(m * n, next);
          const C = accumulate ? Float64Array.from(C0) : new Float64Array(m * n).fill(Number.NaN);
          l.fn(A, B, C, m, n, k, accumulate);
          const ref = reference(l, A, B, accumulate ? C0 : null, m, n, k);
          for (let e = 0; e < m * n; e++) {
            const tol = 4e-16 * (k + 2) * Math.max(ref.scale[e], 1e-300);
            if (!(Math.abs(C[e] - ref.C[e]) <= tol)) {
              throw new Error(`${backend} ${l.name} m=${m} n=${n} k=${k} accumulate=${accumulate}: entry ${e} is ${C[e]}, expected ${ref.C[e]}`);
            }
          }
        }
      }
      restoreDefaults();
    });
  }
});

/** C0 + Σ op(Aₜ)·op(Bₜ) by the triple loop (op(A) m×k, op(B) k×n, row-major), and Σ|terms| per entry. */
function referenceSum(terms: ReadonlyArray<{ a: Float64Array; transA: boolean; b: Float64Array; transB: boolean }>, C0: Float64Array | null, m: number, n: number, k: number) {
  const C = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = C0 ? C0[i * n + j] : 0;
      let t = Math.abs(s);
      for (const { a, transA, b, transB } of terms) {
        for (let p = 0; p < k; p++) {
          const x = a[transA ? p * m + i : i * k + p] * b[transB ? j * k + p : p * n + j];
          s += x;
          t += Math.abs(x);
        }
      }
      C[i * n + j] = s;
      scale[i * n + j] = t;
    }
  }
  return { C, scale };
}

function expectRoundOff(label: string, C: Float64Array, ref: { C: Float64Array; scale: Float64Array }, k: number): void {
  for (let e = 0; e < C.length; e++) {
    const tol = 4e-16 * (k + 2) * Math.max(ref.scale[e], 1e-300);
    if (!(Math.abs(C[e] - ref.C[e]) <= tol)) throw new Error(`${label}: entry ${e} is ${C[e]}, expected ${ref.C[e]}`);
  }
}

describe.each(BACKENDS)('backend %s: gemm with transpose flags and gemmSum', (backend) => {
  const FLAGS = [[false, false], [false, true], [true, false], [true, true]] as const;

  it('gemm reads each of the four layouts in place, overwriting and accumulating', () => {
    setKernelBackend(backend, backend === 'wasm-threads' ? { threads: 3 } : {});
    const next = rng(11);
    for (const [m, n, k] of SHAPES) {
      for (const [transA, transB] of FLAGS) {
        const A = randomArray(m * k, next);
        const B = randomArray(k * n, next);
        for (const accumulate of [false, true]) {
          const C0 = randomArray(m * n, next);
          const C = accumulate ? Float64Array.from(C0) : new Float64Array(m * n).fill(Number.NaN);
          gemm(A, transA, B, transB, C, m, n, k, accumulate);
          const label = `${backend} gemm(transA=${transA}, transB=${transB}) m=${m} n=${n} k=${k} accumulate=${accumulate}`;
          expectRoundOff(label, C, referenceSum([{ a: A, transA, b: B, transB }], accumulate ? C0 : null, m, n, k), k);
        }
      }
    }
    restoreDefaults();
  });

  it('gemmSum adds one to three products of mixed layouts in one call (and an empty sum is zeros)', () => {
    setKernelBackend(backend, backend === 'wasm-threads' ? { threads: 3 } : {});
    const next = rng(12);
    for (const [m, n, k] of [...SHAPES, [64, 96, 200] as const, [300, 40, 20] as const]) {
      for (let count = 0; count <= 3; count++) {
        const terms = Array.from({ length: count }, (_, t) => {
          const [transA, transB] = FLAGS[(t + m + n) % 4];
          return { a: randomArray(m * k, next), transA, b: randomArray(k * n, next), transB };
        });
        for (const accumulate of [false, true]) {
          const C0 = randomArray(m * n, next);
          const C = accumulate ? Float64Array.from(C0) : new Float64Array(m * n).fill(Number.NaN);
          gemmSum(terms, C, m, n, k, accumulate);
          expectRoundOff(`${backend} gemmSum of ${count} m=${m} n=${n} k=${k} accumulate=${accumulate}`, C, referenceSum(terms, accumulate ? C0 : null, m, n, k), count * k);
        }
      }
    }
    restoreDefaults();
  });

  it('refuses dimensions that are not counts and arrays too short for them, with a typed error', () => {
    setKernelBackend(backend);
    const A = new Float64Array(6);
    const C = new Float64Array(4);
    expect(() => gemm(A, false, A, true, C, 2, 2, 3, false)).not.toThrow();
    expect(() => gemm(A, false, A, true, C, 2, 2, 4, false)).toThrow(/gemm: A has 6 entries but m=2, n=2, k=4 need 8/);
    expect(() => gemmAB(A, A, new Float64Array(3), 2, 2, 3, false)).toThrow(/gemmAB: C has 3 entries/);
    expect(() => gemmABt(A, A, C, -1, 2, 3, false)).toThrow(ArgumentError);
    expect(() => gemmAtB(A, A, C, 2, 2, 1.5, false)).toThrow(/non-negative integers/);
    expect(() => gemmSum([{ a: A, b: A }, { a: A, b: new Float64Array(2) }], C, 2, 2, 3, false)).toThrow(/B of term 1 has 2 entries/);
    expect(() => gemmSum(null as never, C, 2, 2, 3, false)).toThrow(ArgumentError);
    expect(() => gemm([1, 2, 3, 4, 5, 6] as never, false, A, true, C, 2, 2, 3, false)).toThrow(/gemm: A must be a Float64Array, got an array of length 6/);
    expect(() => gemmSum([{ a: A, b: A }, { a: A, b: undefined as never }], C, 2, 2, 3, false)).toThrow(/B of term 1 must be a Float64Array, got undefined/);
    restoreDefaults();
  });
});

describe('multiplyAddsSoFar', () => {
  it('counts m·n·k per product and per term of a sum, on every backend', () => {
    const next = rng(13);
    for (const backend of BACKENDS) {
      setKernelBackend(backend);
      const [m, n, k] = [7, 5, 3];
      const A = randomArray(m * k, next);
      const B = randomArray(k * n, next);
      const C = new Float64Array(m * n);
      const before = multiplyAddsSoFar();
      gemm(A, false, B, false, C, m, n, k, false);
      gemmAB(A, B, C, m, n, k, true);
      gemmSum([{ a: A, b: B }, { a: A, b: B }, { a: A, b: B }], C, m, n, k, false);
      expect(multiplyAddsSoFar() - before, backend).toBe(5 * m * n * k);
    }
    restoreDefaults();
  });
});

describe('backends against each other', () => {
  it('random products agree to 1e-13 (max relative difference) on every layout', () => {
    const next = rng(99);
    for (const [m, n, k] of [[64, 96, 200], [256, 40, 130], [31, 257, 77], [128, 128, 128]] as const) {
      for (const l of LAYOUTS) {
        const A = randomArray(m * k, next);
        const B = randomArray(k * n, next);
        const C0 = randomArray(m * n, next);
        const results = BACKENDS.map((b) => {
          setKernelBackend(b);
          const C = Float64Array.from(C0);
          l.fn(A, B, C, m, n, k, true);
          return C;
        });
        for (const r of results.slice(1)) expect(maxRelDiff(r, results[0])).toBeLessThanOrEqual(1e-13);
      }
    }
    setKernelBackend('auto');
  });

  it('NaN and ±Infinity land in the same entries as with the JS kernels', () => {
    const [m, n, k] = [13, 11, 9];
    const next = rng(5);
    for (const l of LAYOUTS) {
      const A = randomArray(m * k, next);
      const B = randomArray(k * n, next);
      A[3] = Number.POSITIVE_INFINITY;
      A[m * k - 1] = Number.NaN;
      B[k * n - 2] = Number.NEGATIVE_INFINITY;
      const results = (['js', 'wasm', 'wasm-threads'] as const).map((b) => {
        setKernelBackend(b);
        const C = new Float64Array(m * n);
        l.fn(A, B, C, m, n, k, false);
        return C;
      });
      const kind = (x: number) => (Number.isNaN(x) ? 'NaN' : x === Infinity ? '+Inf' : x === -Infinity ? '-Inf' : 'finite');
      for (const r of results.slice(1)) expect(Array.from(r, kind)).toEqual(Array.from(results[0], kind));
    }
    setKernelBackend('auto');
  });
});

/** E(w) = ½ Σ (tanh(X·W1ᵀ + b1)·W2ᵀ + b2 − T)², the network of the benchmarks. */
function twoLayer(D: number, H: number, K: number, N: number) {
  const next = rng(2024);
  const X = randomArray(N * D, next);
  const T = randomArray(N * K, next);
  const w = { w1: randomArray(H * D, next).map((x) => x / Math.sqrt(D)), b1: randomArray(H, next), w2: randomArray(K * H, next).map((x) => x / Math.sqrt(H)), b2: randomArray(K, next) };
  const v = { w1: randomArray(H * D, next), b1: randomArray(H, next), w2: randomArray(K * H, next), b2: randomArray(K, next) };
  const f = (p: { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor }): Scalar => {
    const a1 = tensor(X, [N, D]).matmul(p.w1.reshape([H, D]).transpose()).add(p.b1);
    const y = a1.tanh().matmul(p.w2.reshape([K, H]).transpose()).add(p.b2);
    return y.sub(tensor(T, [N, K])).square().sum().mul(0.5);
  };
  return { f, w, v };
}

const flat = (t: { w1: ArrayLike<number>; b1: ArrayLike<number>; w2: ArrayLike<number>; b2: ArrayLike<number> }) => [...Array.from(t.w1), ...Array.from(t.b1), ...Array.from(t.w2), ...Array.from(t.b2)];

describe('H·v of a two-layer network on every backend', () => {
  it.each([[10, 20, 5, 64], [100, 96, 10, 64], [196, 256, 10, 128]] as const)('%i-%i-%i, N=%i: H·v and ∇f agree to 1e-13', (D, H, K, N) => {
    const { f, w, v } = twoLayer(D, H, K, N);
    const results = BACKENDS.map((b) => {
      setKernelBackend(b);
      const r = gradAndHvp(f, w, v);
      return { value: r.value, grad: flat(r.grad), hvp: flat(r.hvp) };
    });
    setKernelBackend('auto');
    for (const r of results.slice(1)) {
      expect(maxRelDiff(r.hvp, results[0].hvp)).toBeLessThanOrEqual(1e-13);
      expect(maxRelDiff(r.grad, results[0].grad)).toBeLessThanOrEqual(1e-13);
      expect(Math.abs(r.value - results[0].value)).toBeLessThanOrEqual(1e-13 * Math.abs(results[0].value));
    }
  });
});

describe('worker threads', () => {
  it('hand jobs over back to back without mixing them up (4 threads, 200 products of changing shapes)', () => {
    setKernelBackend('wasm-threads', { threads: 4 });
    const next = rng(31);
    for (let q = 0; q < 200; q++) {
      const m = 1 + Math.floor(next() * 90);
      const n = 1 + Math.floor(next() * 90);
      const k = 1 + Math.floor(next() * 40);
      const l = LAYOUTS[q % 3];
      const A = randomArray(m * k, next);
      const B = randomArray(k * n, next);
      const C = new Float64Array(m * n);
      l.fn(A, B, C, m, n, k, false);
      const ref = reference(l, A, B, null, m, n, k);
      expect(maxRelDiff(C, ref.C)).toBeLessThanOrEqual(1e-14);
    }
    restoreDefaults();
  });

  it("'auto' splits a mid-size product only while the workers still poll after a job, and never a small one", () => {
    setKernelBackend('auto', { threads: 2 });
    const next = rng(41);
    const operands = (m: number, n: number, k: number) => ({ A: randomArray(m * k, next), B: randomArray(k * n, next), C: new Float64Array(m * n), m, n, k });
    const sizes = { big: [128, 128, 128], mid: [64, 64, 96], small: [32, 32, 32] } as const;
    const data = { big: operands(...sizes.big), mid: operands(...sizes.mid), small: operands(...sizes.small) };
    // Whether the product was split (the check against the reference comes after: it takes
    // milliseconds, longer than the workers poll).
    const run = (which: keyof typeof data) => {
      const { A, B, C, m, n, k } = data[which];
      C.fill(Number.NaN);
      const before = productsSplitSoFar();
      gemmAB(A, B, C, m, n, k, false);
      return productsSplitSoFar() > before;
    };
    const check = (which: keyof typeof data) => {
      const { A, B, C, m, n, k } = data[which];
      expect(maxRelDiff(C, reference(LAYOUTS[0], A, B, null, m, n, k).C)).toBeLessThanOrEqual(1e-14);
    };
    const work = (s: readonly number[]) => s[0] * s[1] * s[2];
    expect(work(sizes.big)).toBeGreaterThanOrEqual(THREADS_MIN_WORK); // split whenever the workers are ready
    expect(work(sizes.mid)).toBeGreaterThanOrEqual(THREADS_POLLING_MIN_WORK);
    expect(work(sizes.mid)).toBeLessThan(THREADS_MIN_WORK);
    expect(work(sizes.small)).toBeLessThan(THREADS_POLLING_MIN_WORK);
    // 'wasm-threads' waits for the workers and always splits: a split product that leaves them polling.
    // Back-off (splitting stopped paying on a loaded machine) is reset before each 'auto' product, so
    // only the thresholds and the polling decide.
    const splitBig = () => {
      setKernelBackend('wasm-threads', { threads: 2 });
      const split = run('big');
      setKernelBackend('auto', { threads: 2 });
      resetSplitEstimate();
      return split;
    };
    expect(splitBig()).toBe(true);
    check('big');
    const idle = () => {
      const until = performance.now() + 2 * WORKER_SPIN_MS; // well past the workers' polling
      while (performance.now() < until);
    };
    // Idle workers: the mid-size product stays on this thread, every time.
    for (let t = 0; t < 5; t++) {
      idle();
      resetSplitEstimate();
      expect(workersPolling()).toBe(false);
      expect(run('mid')).toBe(false);
      check('mid');
    }
    // Right after a split product: the small one never splits, the mid-size one does (retried: a
    // descheduled test process can miss the polling window; more tries than the back-off is long).
    let midSplit = false;
    for (let t = 0; t < 100 && !midSplit; t++) {
      splitBig();
      expect(run('small')).toBe(false);
      splitBig();
      midSplit = workersPolling() && run('mid');
    }
    expect(midSplit).toBe(true);
    check('mid');
    check('small');
    restoreDefaults();
  });

  it('initKernels() resolves true in Node (synchronous compilation works here anyway)', async () => {
    await expect(initKernels()).resolves.toBe(true);
  });

  it('initKernels({ threads: true }) starts the workers and resolves once they are ready; not where one thread runs', () => {
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');
    const script = `
      import { initKernels, getKernelBackend, setKernelBackend } from ${JSON.stringify(path.join(dir, 'index.ts'))};
      import { activeWorkers, disposeThreadPool, productsSplitSoFar } from ${JSON.stringify(path.join(dir, 'kernels/threads.ts'))};
      import { gemmAB } from ${JSON.stringify(path.join(dir, 'kernels/backend.ts'))};
      const seen = {};
      setKernelBackend('js', { threads: 3 });
      await initKernels({ threads: true });      // 'js' runs on one thread: nothing to start
      seen.js = activeWorkers();
      setKernelBackend('auto', { threads: 1 });
      await initKernels({ threads: true });
      seen.oneThread = activeWorkers();
      setKernelBackend('auto', { threads: 3 });
      seen.before = getKernelBackend().workersReady;
      await initKernels();                       // without the option: still nothing started
      seen.withoutOption = activeWorkers();
      seen.ok = await initKernels({ threads: true });
      seen.started = activeWorkers();
      seen.ready = getKernelBackend().workersReady;
      const n = 256, A = new Float64Array(n * n).fill(1), C = new Float64Array(n * n);
      const split = productsSplitSoFar();
      gemmAB(A, A, C, n, n, n, false);           // the first large product is split at once
      seen.firstSplit = productsSplitSoFar() - split;
      seen.c = C[0];
      disposeThreadPool();
      seen.afterDispose = getKernelBackend().workersReady;
      console.log(JSON.stringify(seen));
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000, cwd: dir });
    expect(child.error).toBeUndefined();
    expect(child.status, child.stderr).toBe(0);
    const out = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number | boolean>;
    expect(out).toEqual({ js: 0, oneThread: 0, before: 0, withoutOption: 0, ok: true, started: 2, ready: 2, firstSplit: 1, c: 256, afterDispose: 0 });
  });

  it('initKernels rejects misspelled, mistyped and extra options with typed errors', async () => {
    await expect(initKernels({ thread: true } as never)).rejects.toThrow(OptionError);
    await expect(initKernels({ thread: true } as never)).rejects.toThrow(/unknown option 'thread'; did you mean 'threads'\?/);
    await expect(initKernels({ threads: 'yes' } as never)).rejects.toThrow(OptionError);
    await expect(initKernels({ threads: 'yes' } as never)).rejects.toThrow(/threads.*true or false/);
    await expect(initKernels(true as never)).rejects.toThrow(/options must be an object/);
    await expect((initKernels as (...a: unknown[]) => Promise<boolean>)({}, {})).rejects.toThrow(ArgumentError);
    await expect(initKernels({ threads: false })).resolves.toBe(true);
  });

  it('do not keep the process alive, and are created only when used', () => {
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/kernels');
    const script = `
      import { gemmAB, setKernelBackend } from ${JSON.stringify(path.join(dir, 'backend.ts'))};
      import { activeWorkers } from ${JSON.stringify(path.join(dir, 'threads.ts'))};
      const n = 64, A = new Float64Array(n * n).fill(1), C = new Float64Array(n * n);
      gemmAB(A, A, C, n, n, n, false);           // auto, below the thread threshold: no workers
      const afterSmall = activeWorkers();
      setKernelBackend('wasm-threads', { threads: 3 });
      gemmAB(A, A, C, n, n, n, false);           // forced: starts the workers, waits for them
      console.log(JSON.stringify({ c: C[0], afterSmall, afterForced: activeWorkers() }));
    `;
    const started = Date.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000, cwd: dir });
    expect(child.error).toBeUndefined();
    expect(child.status, child.stderr).toBe(0);
    const out = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { c: number; afterSmall: number; afterForced: number };
    expect(out).toEqual({ c: 64, afterSmall: 0, afterForced: 2 });
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
