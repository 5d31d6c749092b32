// Products larger than the WebAssembly memory: the block plan, its byte offsets past 2³¹, the copies
// of blocks, blocked products against unblocked ones (exactly equal: blocking changes no addition),
// and the fall-back to JS when not even one block fits. The limit is injected small, so the suite
// allocates megabytes, not gigabytes; DUALTAPE_BIG_TESTS=1 adds the real ≥ 2 GiB products.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { seededUniform } from '../src/testing/index.js';
import { getKernelBackend, setKernelBackend, type KernelBackend } from '../src/index.js';
import { gemm, gemmAB, gemmSum } from '../src/kernels/backend.js';
import { defaultThreadCount } from '../src/kernels/threads.js';
import { alignBytes, copyRect, planBlocks, type BlockShape } from '../src/kernels/tiling.js';
import { BLOCK, blockLayout, DEFAULT_MEMORY_LIMIT, scratchBytes, setMemoryLimit, wasmSingle } from '../src/kernels/wasm.js';

const randomArray = (n: number, next: () => number) => Float64Array.from({ length: n }, () => 2 * next() - 1);

afterEach(() => {
  setMemoryLimit(DEFAULT_MEMORY_LIMIT);
  setKernelBackend('auto', { threads: defaultThreadCount() });
});

describe('byte offsets are exact beyond 2³¹ (no 32-bit arithmetic)', () => {
  it('alignBytes rounds up to 64 exactly for sizes up to 2⁵²', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 52n }), (bytes) => {
        const expected = ((bytes + 63n) / 64n) * 64n;
        expect(alignBytes(Number(bytes))).toBe(Number(expected));
      }),
    );
  });

  it('blockLayout places every piece where BigInt arithmetic says, for blocks of up to 4 GiB', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 15 }), fc.integer({ min: 1, max: 2 ** 15 }), fc.integer({ min: 1, max: 2 ** 15 }),
        fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4096 }),
        (mb, nb, kb, count, parts, base) => {
          const L = blockLayout(base, { mb, nb, kb }, count, parts);
          const align = (x: bigint) => ((x + 63n) / 64n) * 64n;
          let at = align(BigInt(base));
          expect(L.table).toBe(Number(at));
          at += align(16n * BigInt(count));
          for (let t = 0; t < count; t++) {
            expect(L.operands[t].a).toBe(Number(at));
            at += align(8n * BigInt(mb) * BigInt(kb));
            expect(L.operands[t].b).toBe(Number(at));
            at += align(8n * BigInt(kb) * BigInt(nb));
          }
          expect(L.c).toBe(Number(at));
          at += align(8n * BigInt(mb) * BigInt(nb));
          expect(L.scratch).toBe(Number(at));
          expect(L.end).toBe(L.scratch + parts * L.scratchEach);
        },
      ),
    );
  });

  it('the [1, 2²⁷]·[2²⁷, 1] product of the issue lays out its C past 2³¹ when unblocked', () => {
    const L = blockLayout(1024, { mb: 1, nb: 1, kb: 2 ** 27 }, 1, 1);
    expect(L.c).toBeGreaterThan(2 ** 31);
    expect(L.c / 8).toBe(Math.floor(L.c / 8)); // a whole element index, not a wrapped one
  });
});

describe('planBlocks', () => {
  const bytesOf = (count: number, parts: number) => (s: BlockShape) => blockLayout(0, s, count, parts).end;

  it('returns the whole product when it fits, else the largest halving that does', () => {
    expect(planBlocks(100, 200, 300, 256, 2 ** 30, bytesOf(1, 1))).toEqual({ mb: 100, nb: 200, kb: 300 });
    expect(planBlocks(1, 1, 2 ** 27, 256, DEFAULT_MEMORY_LIMIT, bytesOf(1, 1))).toEqual({ mb: 1, nb: 1, kb: 2 ** 27 / 16 });
  });

  it('fits the limit, never exceeds the product, and cuts the depth only in multiples of KC (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 20 }), fc.integer({ min: 0, max: 2 ** 20 }), fc.integer({ min: 0, max: 2 ** 22 }),
        fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2 ** 21, max: 2 ** 32 }),
        (m, n, k, count, parts, limit) => {
          const plan = planBlocks(m, n, k, BLOCK.KC, limit, bytesOf(count, parts));
          expect(plan).not.toBeNull();
          const { mb, nb, kb } = plan as BlockShape;
          expect(bytesOf(count, parts)({ mb, nb, kb })).toBeLessThanOrEqual(limit);
          expect(mb).toBeLessThanOrEqual(Math.max(m, 1));
          expect(nb).toBeLessThanOrEqual(Math.max(n, 1));
          expect(kb).toBeLessThanOrEqual(Math.max(k, 1));
          if (kb < k && (mb > 1 || nb > 1)) expect(kb % BLOCK.KC).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns null when not even one row, column and step fit', () => {
    const oneByOne = blockLayout(0, { mb: 1, nb: 1, kb: 1 }, 1, 1).end;
    expect(planBlocks(5, 5, 5, 256, oneByOne - 1, bytesOf(1, 1))).toBeNull();
    const tight = planBlocks(5, 5, 5, 256, oneByOne, bytesOf(1, 1));
    expect(tight).not.toBeNull();
    expect(bytesOf(1, 1)(tight as BlockShape)).toBeLessThanOrEqual(oneByOne);
  });
});

describe('copyRect', () => {
  it('copies any rectangle between any strides exactly, touching nothing else', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }),
        (rows, cols, srcExtra, dstExtra, srcAt, dstAt) => {
          const srcLd = cols + srcExtra;
          const dstLd = cols + dstExtra;
          const src = Float64Array.from({ length: srcAt + rows * srcLd + 3 }, (_, i) => i + 0.5);
          const dst = new Float64Array(dstAt + rows * dstLd + 3).fill(-1);
          copyRect(src, srcAt, srcLd, dst, dstAt, dstLd, rows, cols);
          const expected = new Float64Array(dst.length).fill(-1);
          for (let r = 0; r < rows; r++) for (let s = 0; s < cols; s++) expected[dstAt + r * dstLd + s] = src[srcAt + r * srcLd + s];
          expect(Array.from(dst)).toEqual(Array.from(expected));
        },
      ),
    );
  });
});

describe('blocked products', () => {
  const WASM_BACKENDS: readonly KernelBackend[] = ['wasm', 'wasm-threads', 'auto'];
  /** A limit that holds the module's data, a few small blocks and their scratch, but not these products. */
  const SMALL_LIMIT = 2 * 2 ** 20;
  // Each is too big for SMALL_LIMIT along a different dimension (and together).
  const SHAPES: ReadonlyArray<readonly [number, number, number]> = [[900, 40, 300], [40, 900, 300], [30, 20, 5000], [400, 400, 600]];
  const FLAGS = [[false, false], [false, true], [true, false], [true, true]] as const;

  it.each(WASM_BACKENDS)('%s: the same numbers, bit for bit, as one unblocked call, for every layout and a sum of terms', (backend) => {
    const next = seededUniform(21);
    for (const [m, n, k] of SHAPES) {
      expect(blockLayout(1024, { mb: m, nb: n, kb: k }, 1, 1).end).toBeGreaterThan(SMALL_LIMIT);
      for (const [transA, transB] of FLAGS) {
        const A = randomArray(m * k, next);
        const B = randomArray(k * n, next);
        const B2 = randomArray(k * n, next);
        const C0 = randomArray(m * n, next);
        const run = (limit: number) => {
          setMemoryLimit(limit);
          setKernelBackend(backend, backend === 'wasm-threads' ? { threads: 2 } : {});
          const single = Float64Array.from(C0);
          gemm(A, transA, B, transB, single, m, n, k, true);
          const sum = new Float64Array(m * n).fill(Number.NaN);
          gemmSum([{ a: A, transA, b: B, transB }, { a: A, transA, b: B2, transB }], sum, m, n, k, false);
          return { single, sum };
        };
        const whole = run(DEFAULT_MEMORY_LIMIT);
        const blocked = run(SMALL_LIMIT);
        const label = `${backend} m=${m} n=${n} k=${k} transA=${transA} transB=${transB}`;
        expect(blocked.single.every((x, e) => Object.is(x, whole.single[e])), label).toBe(true);
        expect(blocked.sum.every((x, e) => Object.is(x, whole.sum[e])), `${label} (sum)`).toBe(true);
      }
    }
  });

  it('blocked results agree with the JS kernel to round-off', () => {
    const next = seededUniform(22);
    const [m, n, k] = [400, 400, 600];
    const A = randomArray(m * k, next);
    const B = randomArray(k * n, next);
    setKernelBackend('js');
    const js = new Float64Array(m * n);
    gemmAB(A, B, js, m, n, k, false);
    setMemoryLimit(SMALL_LIMIT);
    setKernelBackend('wasm');
    const blocked = new Float64Array(m * n);
    gemmAB(A, B, blocked, m, n, k, false);
    let worst = 0;
    for (let e = 0; e < m * n; e++) worst = Math.max(worst, Math.abs(blocked[e] - js[e]));
    expect(worst).toBeLessThan(1e-12 * k);
  });

  it('falls back to the JS kernel, with its exact numbers, when not even one block fits', () => {
    const next = seededUniform(23);
    const [m, n, k] = [37, 29, 300];
    const A = randomArray(m * k, next);
    const B = randomArray(k * n, next);
    setKernelBackend('js');
    const js = new Float64Array(m * n);
    gemmAB(A, B, js, m, n, k, false);
    // Smaller than one block's scratch: the WebAssembly kernels must decline, not fail or give garbage.
    const tooSmall = 1024 + scratchBytes(1, 1, 1);
    setMemoryLimit(tooSmall);
    expect(wasmSingle()?.product([{ a: A, aT: false, b: B, bT: true }], new Float64Array(m * n), m, n, k, false)).toBe(false);
    for (const backend of ['wasm', 'wasm-threads', 'auto'] as const) {
      setKernelBackend(backend);
      const C = new Float64Array(m * n).fill(Number.NaN);
      gemmAB(A, B, C, m, n, k, false);
      expect(C.every((x, e) => Object.is(x, js[e])), backend).toBe(true);
    }
  });
});

// Real sizes: about 30 s and 5 GiB of memory, so only on request.
describe.runIf(process.env.DUALTAPE_BIG_TESTS === '1')('products of ≥ 2 GiB operands (DUALTAPE_BIG_TESTS=1)', () => {
  /** [1, len]·[len, 1] with ones at both ends: 1·1 + 2·(−2) = −3, whatever the length. */
  function endsProduct(len: number): Float64Array {
    const A = new Float64Array(len);
    const B = new Float64Array(len);
    A[0] = 1;
    B[0] = 1;
    A[len - 1] = 2;
    B[len - 1] = -2;
    const C = new Float64Array(1);
    gemmAB(A, B, C, 1, 1, len, false);
    return C;
  }

  it.each(['js', 'wasm', 'wasm-threads', 'auto'] as const)('%s: [1, 2²⁷]·[2²⁷, 1] is −3, in blocks and in one 2 GiB memory', (backend) => {
    setKernelBackend(backend);
    expect(endsProduct(2 ** 27)[0]).toBe(-3);
    if (backend !== 'js') {
      setMemoryLimit(2 ** 32); // one block: byte offsets past 2³¹
      expect(endsProduct(2 ** 27)[0]).toBe(-3);
    }
    expect(getKernelBackend().backend).toBe(backend);
  }, 120_000);

  it('a 2 GiB operand, [1, 2²⁸]·[2²⁸, 1], is −3 on auto (no RangeError)', () => {
    setKernelBackend('auto');
    expect(endsProduct(2 ** 28)[0]).toBe(-3);
  }, 120_000);
});
