// The WebAssembly kernels report whether they stored a NaN into C (lastProductMayHoldNaN), so that
// matmul's structural-zero rule can skip its own pass over C. The report must never miss a NaN
// (that would leave a 0·∞ unresolved: a wrong number) and should not cry wolf (that would only cost
// the pass it saves). Checked on every backend, blocked and split, against a scan of C; the padding
// of edge tiles (zero rows against an infinite column make NaN there) must not count.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { setKernelBackend, type KernelBackend } from '../src/index.js';
import { NumberAlgebra } from '../src/algebra/numbers.js';
import { gemm, gemmSum, lastProductMayHoldNaN } from '../src/kernels/backend.js';
import { defaultThreadCount, threadsSupported } from '../src/kernels/threads.js';
import { DEFAULT_MEMORY_LIMIT, setMemoryLimit } from '../src/kernels/wasm.js';

const backends: Array<[KernelBackend, number]> = [['js', 1], ['wasm', 1]];
if (threadsSupported()) backends.push(['wasm-threads', 2]);

const holdsNaN = (C: Float64Array) => C.some((x) => x !== x);

afterEach(() => {
  setMemoryLimit(DEFAULT_MEMORY_LIMIT);
  setKernelBackend('auto', { threads: defaultThreadCount() });
});

describe('lastProductMayHoldNaN', () => {
  for (const [backend, threads] of backends) {
    for (const limit of [DEFAULT_MEMORY_LIMIT, 96 * 1024]) {
      const label = `${backend}${limit === DEFAULT_MEMORY_LIMIT ? '' : ', in blocks'}`;
      it(`${label}: true whenever C holds a NaN, and (WebAssembly) false whenever it holds none`, () => {
        setKernelBackend(backend, { threads });
        setMemoryLimit(limit);
        const special = [0, -0, Infinity, -Infinity, NaN, 1e308, -1e308];
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 300 }),
            fc.boolean(), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 2 ** 30 }), fc.double({ min: 0, max: 0.05, noNaN: true }),
            (m, n, k, ta, tb, accumulate, seed, rate) => {
              let s = seed;
              const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
              const value = () => (next() < rate ? special[Math.floor(next() * special.length)] : 2 * next() - 1);
              const A = Float64Array.from({ length: m * k }, value);
              const B = Float64Array.from({ length: k * n }, value);
              const C = Float64Array.from({ length: m * n }, value);
              gemm(A, ta, B, tb, C, m, n, k, accumulate);
              const flag = lastProductMayHoldNaN();
              if (holdsNaN(C)) expect(flag).toBe(true);
              else if (backend !== 'js') expect(flag).toBe(false);
            },
          ),
          { numRuns: 120 },
        );
      });
    }

    it(`${backend}: an infinite column against the zero padding of an edge tile is not a NaN`, () => {
      setKernelBackend(backend, { threads });
      // m = 5 and n = 7: the tiles over the last row and columns are padded with zeros, and a zero
      // row times the +∞ of B's column 0 is NaN in the padding only. C itself is +∞ or finite.
      const m = 5, n = 7, k = 9;
      const A = new Float64Array(m * k).fill(1);
      const B = Float64Array.from({ length: k * n }, (_, i) => (i % n === 0 ? Infinity : 0.5));
      const C = new Float64Array(m * n);
      gemm(A, false, B, false, C, m, n, k, false);
      expect(holdsNaN(C)).toBe(false);
      expect(C[0]).toBe(Infinity);
      if (backend !== 'js') expect(lastProductMayHoldNaN()).toBe(false);
    });

    it(`${backend}: a sum of terms, and an empty sum, report as one product`, () => {
      setKernelBackend(backend, { threads });
      const A = Float64Array.of(1, 2, 3, 4), inf = Float64Array.of(Infinity, 0, 0, 1), minus = Float64Array.of(-Infinity, 0, 0, 1);
      const C = new Float64Array(4);
      gemmSum([{ a: A, b: inf }, { a: A, b: minus }], C, 2, 2, 2, false); // ∞ − ∞ in column 0
      expect(holdsNaN(C)).toBe(true);
      expect(lastProductMayHoldNaN()).toBe(true);
      const kept = Float64Array.of(NaN, 1, 2, 3);
      gemmSum([], kept, 2, 2, 2, true); // C left as it was: a NaN stays
      expect(lastProductMayHoldNaN()).toBe(true);
    });
  }

  it('matmul still resolves 0·∞ to 0, and counts it, when the products run on the WebAssembly kernels', () => {
    // A's first row starts with 0 where B's first column starts with ∞: C[0][0] = 0·∞ + 15·1,
    // which the structural-zero rule makes 15 (IEEE makes it NaN); the other entries are ordinary.
    for (const [backend, threads] of backends) {
      setKernelBackend(backend, { threads });
      const n = 16;
      const A = new Float64Array(n * n).fill(1);
      const B = new Float64Array(n * n).fill(1);
      A[0] = 0;
      B[0] = Infinity;
      const algebra = new NumberAlgebra();
      const C = algebra.matmul(A, [n, n], B, [n, n], false, false) as Float64Array;
      expect(C[0], backend).toBe(15);
      expect(C[1], backend).toBe(15);
      expect(C[n], backend).toBe(Infinity);
      expect(C[n + 1], backend).toBe(16);
      expect(algebra.indeterminate, backend).toBe(1);
    }
  });
});
