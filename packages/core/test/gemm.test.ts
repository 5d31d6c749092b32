// The tuned kernels against a plain triple loop, over shapes chosen to hit every combination of
// full micro-tiles and edge tiles (the kernel's tiles are 2×4, so 0..9, 17 and 33 cover empty,
// tail-only, exact and ragged cases on both sides), plus products whose packed copies are too large
// to keep between calls.
import { describe, it, expect } from 'vitest';
import { seededUniform } from '../src/testing/index.js';
import fc from 'fast-check';
import { gemm, gemmAB, gemmABt, gemmAtB, gemmAtBt, transposeInto } from '../src/kernels/gemm.js';

type Gemm = (A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, accumulate: boolean) => void;

interface Variant {
  readonly name: string;
  readonly fn: Gemm;
  /** A's index of op(A)[i][p]. */
  readonly a: (i: number, p: number, m: number, k: number) => number;
  /** B's index of op(B)[p][j]. */
  readonly b: (p: number, j: number, n: number, k: number) => number;
}

const VARIANTS: readonly Variant[] = [
  { name: 'gemmABt', fn: gemmABt, a: (i, p, _m, k) => i * k + p, b: (p, j, _n, k) => j * k + p },
  { name: 'gemmAB', fn: gemmAB, a: (i, p, _m, k) => i * k + p, b: (p, j, n) => p * n + j },
  { name: 'gemmAtB', fn: gemmAtB, a: (i, p, m) => p * m + i, b: (p, j, n) => p * n + j },
  { name: 'gemmAtBt', fn: gemmAtBt, a: (i, p, m) => p * m + i, b: (p, j, _n, k) => j * k + p },
  // gemm takes the layout as flags: transA says A is stored k×m, transB that B is stored n×k.
  ...([[false, false], [false, true], [true, false], [true, true]] as const).map(([transA, transB]): Variant => ({
    name: `gemm(transA=${transA}, transB=${transB})`,
    fn: (A, B, C, m, n, k, accumulate) => gemm(A, transA, B, transB, C, m, n, k, accumulate),
    a: transA ? (i, p, m) => p * m + i : (i, p, _m, k) => i * k + p,
    b: transB ? (p, j, _n, k) => j * k + p : (p, j, n) => p * n + j,
  })),
];

// Seeded test data: mulberry32, the generator checkGrads uses.
const rng = seededUniform;

function randomArray(len: number, next: () => number): Float64Array {
  const a = new Float64Array(len);
  for (let i = 0; i < len; i++) a[i] = 2 * next() - 1;
  return a;
}

function reference(v: Variant, A: Float64Array, B: Float64Array, C0: Float64Array | null, m: number, n: number, k: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = C0 ? C0[i * n + j] : 0;
      for (let p = 0; p < k; p++) s += A[v.a(i, p, m, k)] * B[v.b(p, j, n, k)];
      C[i * n + j] = s;
    }
  }
  return C;
}

/**
 * Relative 1e-12 against the scale of the terms summed, not of the result: a sum that cancels to
 * near zero legitimately keeps only absolute accuracy, whatever the order of addition.
 */
function expectClose(actual: Float64Array, expected: Float64Array, scale: number, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= 1e-12 * Math.max(scale, Math.abs(expected[i])))) {
      expect.fail(`${label}: entry ${i} is ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

/** Runs one variant on one shape in both modes and checks C against the reference. */
function check(v: Variant, m: number, n: number, k: number, seed: number): void {
  const next = rng(seed);
  const A = randomArray(m * k, next);
  const B = randomArray(k * n, next);
  const label = `${v.name} m=${m} n=${n} k=${k}`;
  // Entries are in [-1, 1], so each C entry is a sum of k terms of size at most 1 (+1 for C0).
  const scale = k + 1;

  const C = new Float64Array(m * n).fill(Number.NaN);
  v.fn(A, B, C, m, n, k, false);
  expectClose(C, reference(v, A, B, null, m, n, k), scale, `${label} overwrite`);

  const C0 = randomArray(m * n, next);
  const Cacc = C0.slice();
  v.fn(A, B, Cacc, m, n, k, true);
  expectClose(Cacc, reference(v, A, B, C0, m, n, k), scale, `${label} accumulate`);
}

const SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 17, 33];

describe('gemm kernels against a triple loop', () => {
  for (const v of VARIANTS) {
    it(`${v.name} on every m, n, k in {${SIZES.join(',')}}`, () => {
      let seed = 1;
      for (const m of SIZES) for (const n of SIZES) for (const k of SIZES) check(v, m, n, k, seed++);
    });
  }

  it('leaves C untouched beyond m·n and writes zeros when k = 0', () => {
    for (const v of VARIANTS) {
      const C = new Float64Array(3 * 5 + 4).fill(Number.NaN);
      v.fn(new Float64Array(0), new Float64Array(0), C, 3, 5, 0, false);
      expect(Array.from(C.subarray(0, 15)), v.name).toEqual(new Array(15).fill(0));
      expect(C.subarray(15).every(Number.isNaN), v.name).toBe(true);
    }
  });

  it('gives the same answer when a large call is followed by a small one (scratch reuse)', () => {
    const v = VARIANTS[3];
    check(v, 33, 33, 33, 7);
    check(v, 3, 5, 2, 8);
    check(v, 64, 9, 40, 9);
  });

  it('handles operands whose packed copies pass the scratch it keeps between calls (2²¹ entries)', () => {
    // A skinny product (n < 4) whose transposed B is packed, and a packed one (n ≥ 4), each with
    // (rows, padded) × k past 2²¹; the two layouts that pack B, one with A transposed.
    for (const v of [VARIANTS[1], VARIANTS[2]]) {
      check(v, 2, 3, 2 ** 20 + 3, 41);
      check(v, 9, 4, 240_007, 42);
    }
  });

  it('agrees with a triple loop on random shapes up to 20 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: VARIANTS.length - 1 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer(),
        (variant, m, n, k, seed) => {
          check(VARIANTS[variant], m, n, k, seed);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('transposeInto', () => {
  it('transposes every shape exactly, including ones larger than its tile', () => {
    let seed = 100;
    for (const rows of [...SIZES, 40, 65]) {
      for (const cols of [...SIZES, 40, 65]) {
        const a = randomArray(rows * cols, rng(seed++));
        const out = new Float64Array(rows * cols).fill(Number.NaN);
        transposeInto(a, rows, cols, out);
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) {
            if (out[j * rows + i] !== a[i * cols + j]) expect.fail(`${rows}×${cols}: out[${j}][${i}] is ${out[j * rows + i]}`);
          }
        }
      }
    }
  });
});
