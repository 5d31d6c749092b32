// Two products that share an operand, run as one (gemmPair; NumberAlgebra.matmulPair; matmul's
// value with its tangent, and its two adjoint lanes, when the other operand is constant): the same
// numbers, bit for bit, as the two products run apart, on every backend and layout, with NaN and
// infinities, in blocks of threads, and when the pair does not fit the memory; and through
// gradAndHvp, the same f, ∇f and H·v as the unpaired path (the constant given a zero tangent).
import { afterAll, describe, expect, it } from 'vitest';
import { type ProductTerm } from '../src/algebra/algebra.js';
import { NumberAlgebra } from '../src/algebra/numbers.js';
import { ArgumentError, gradAndHvp, matmul, setKernelBackend, tensor, type Tensor } from '../src/index.js';
import { gemm, gemmPair, lastProductMayHoldNaN } from '../src/kernels/backend.js';
import { defaultThreadCount } from '../src/kernels/threads.js';
import { DEFAULT_MEMORY_LIMIT, setMemoryLimit, wasmSingle } from '../src/kernels/wasm.js';
import { checkGrads, seededUniform } from '../src/testing/index.js';

afterAll(() => {
  setMemoryLimit(DEFAULT_MEMORY_LIMIT);
  setKernelBackend('auto', { threads: defaultThreadCount() });
});

function random(n: number, next: () => number): Float64Array {
  return Float64Array.from({ length: n }, () => 2 * next() - 1);
}

/** Indices where got and want differ as bit patterns (NaN equals NaN, +0 differs from −0). */
function differences(got: Float64Array, want: Float64Array): number[] {
  const out: number[] = [];
  for (let q = 0; q < want.length; q++) if (!Object.is(got[q], want[q])) out.push(q);
  return out;
}

/** Indices where got and want differ as numbers (NaN equals NaN, +0 equals −0). */
function valueDifferences(got: Float64Array, want: Float64Array): number[] {
  const out: number[] = [];
  for (let q = 0; q < want.length; q++) if (got[q] !== want[q] && !(Number.isNaN(got[q]) && Number.isNaN(want[q]))) out.push(q);
  return out;
}

const shapes: Array<[number, number, number]> = [[1, 1, 1], [3, 5, 2], [7, 4, 9], [40, 60, 30], [130, 3, 257], [256, 200, 100], [5, 300, 260]];

/** op(A) m×k, op(B) k×n and the second operand (B₂ or A₂), stored as the flags say. */
function operands(m: number, n: number, k: number, ta: boolean, tb: boolean, next: () => number) {
  return { A: random(m * k, next), B: random(k * n, next), A2: random(m * k, next), B2: random(k * n, next), ta, tb };
}

describe('gemmPair', () => {
  for (const backend of ['js', 'wasm', 'wasm-threads', 'auto'] as const) {
    it(`equals two gemm calls bit for bit, sharing either operand, in every layout (${backend})`, () => {
      setKernelBackend(backend, backend === 'wasm-threads' ? { threads: 2 } : {});
      const next = seededUniform(11);
      for (const [m, n, k] of shapes) {
        // Below the WebAssembly threshold 'auto' may run the pair (twice the work) on another kernel
        // than each product alone: a different order of additions, so only sizes above it here.
        if (backend === 'auto' && m * n * k < 512) continue;
        for (const flags of [0, 1, 2, 3]) {
          const { A, B, A2, B2, ta, tb } = operands(m, n, k, (flags & 1) !== 0, (flags & 2) !== 0, next);
          for (const shared of ['a', 'b'] as const) {
            const C1 = new Float64Array(m * n).fill(NaN), C2 = new Float64Array(m * n).fill(NaN);
            gemmPair(A, ta, B, tb, shared === 'a' ? B2 : A2, shared, C1, C2, m, n, k);
            const want1 = new Float64Array(m * n), want2 = new Float64Array(m * n);
            gemm(A, ta, B, tb, want1, m, n, k, false);
            if (shared === 'a') gemm(A, ta, B2, tb, want2, m, n, k, false);
            else gemm(A2, ta, B, tb, want2, m, n, k, false);
            expect(differences(C1, want1), `${m}×${n}×${k} ta=${ta} tb=${tb} shared ${shared}: C₁`).toEqual([]);
            expect(differences(C2, want2), `${m}×${n}×${k} ta=${ta} tb=${tb} shared ${shared}: C₂`).toEqual([]);
          }
        }
      }
      setKernelBackend('auto', { threads: defaultThreadCount() });
    });
  }

  it('keeps NaN and infinities where two gemm calls put them, and says C may hold a NaN', () => {
    setKernelBackend('wasm');
    const next = seededUniform(12);
    const [m, n, k] = [9, 13, 11];
    const { A, B, B2 } = operands(m, n, k, false, false, next);
    A[5] = Infinity;
    B2[7] = NaN;
    B[5 * n + 3] = 0; // meets A[0][5] = ∞: C₁[0][3] = NaN
    const C1 = new Float64Array(m * n), C2 = new Float64Array(m * n);
    gemmPair(A, false, B, false, B2, 'a', C1, C2, m, n, k);
    expect(lastProductMayHoldNaN()).toBe(true);
    const want1 = new Float64Array(m * n), want2 = new Float64Array(m * n);
    gemm(A, false, B, false, want1, m, n, k, false);
    gemm(A, false, B2, false, want2, m, n, k, false);
    expect(differences(C1, want1)).toEqual([]);
    expect(differences(C2, want2)).toEqual([]);
    expect(C1.some(Number.isNaN) && C2.some(Number.isNaN)).toBe(true);
    // Finite operands: the WebAssembly kernel knows it stored no NaN.
    gemmPair(random(m * k, next), false, B, false, random(k * n, next), 'a', C1, C2, m, n, k);
    expect(lastProductMayHoldNaN()).toBe(false);
    setKernelBackend('auto');
  });

  it('runs the two products apart when the pair does not fit the memory, with the same numbers', () => {
    setKernelBackend('wasm');
    const next = seededUniform(13);
    const [m, n, k] = [96, 80, 300];
    const { A, B, A2 } = operands(m, n, k, true, false, next);
    const want1 = new Float64Array(m * n), want2 = new Float64Array(m * n);
    gemm(A, true, B, false, want1, m, n, k, false);
    gemm(A2, true, B, false, want2, m, n, k, false);
    // Room for the products in blocks, not for the stacked pair in one block.
    setMemoryLimit(8 * (m * k + k * n + m * n));
    try {
      const C1 = new Float64Array(m * n), C2 = new Float64Array(m * n);
      expect(wasmSingle()!.productPair({ a: A, aT: true, b: B, bT: true, second: A2, shared: 'b' }, C1, C2, m, n, k)).toBe(false);
      gemmPair(A, true, B, false, A2, 'b', C1, C2, m, n, k);
      expect(differences(C1, want1)).toEqual([]);
      expect(differences(C2, want2)).toEqual([]);
    } finally {
      setMemoryLimit(DEFAULT_MEMORY_LIMIT);
      setKernelBackend('auto');
    }
  });

  it('empty products give zeros', () => {
    for (const [m, n, k] of [[0, 3, 2], [3, 0, 2], [3, 2, 0]] as const) {
      const C1 = new Float64Array(m * n).fill(NaN), C2 = new Float64Array(m * n).fill(NaN);
      gemmPair(new Float64Array(m * k), false, new Float64Array(k * n), false, new Float64Array(k * n), 'a', C1, C2, m, n, k);
      expect([...C1, ...C2].every((x) => x === 0)).toBe(true);
    }
  });

  it('bad arguments are ArgumentErrors that name them', () => {
    const a = new Float64Array(6), b = new Float64Array(6), c = new Float64Array(4);
    expect(() => gemmPair(a, false, b, false, b, 'c' as 'a', c, c.slice(), 2, 2, 3)).toThrow(ArgumentError);
    expect(() => gemmPair(a, false, b, false, b, 'c' as 'a', c, c.slice(), 2, 2, 3)).toThrow(/shared must be 'a' or 'b'/);
    expect(() => gemmPair(a, false, b, false, new Float64Array(2), 'a', c, c.slice(), 2, 2, 3)).toThrow(/B has 2 entries but m=2, n=2, k=3 need 6/);
    expect(() => gemmPair(a, false, b, false, b, 'b', c, new Float64Array(3), 2, 2, 3)).toThrow(/C has 3 entries/);
    expect(() => gemmPair(a, false, b, false, b, 'a', c, c.slice(), 2, 2, -1)).toThrow(/non-negative integers/);
  });
});

describe('NumberAlgebra.matmulPair', () => {
  const o = new NumberAlgebra();
  const asArray = (v: unknown) => o.numbers(v as Float64Array) as Float64Array;
  const term = (a: Float64Array, aShape: number[], ta: boolean, b: Float64Array, bShape: number[], tb: boolean): ProductTerm => ({ a, aShape, ta, b, bShape, tb });
  const matmulOf = (t: ProductTerm) => asArray(o.matmul(t.a, t.aShape, t.b, t.bShape, t.ta, t.tb));

  it('equals two matmuls bit for bit, structural zeros (0·∞ = 0) included, shared or not', () => {
    setKernelBackend('wasm');
    const next = seededUniform(14);
    const [m, n, k] = [12, 7, 10];
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const aShape = ta ? [k, m] : [m, k], bShape = tb ? [n, k] : [k, n];
        const A = random(m * k, next), B = random(k * n, next), G = random(k * n, next), H = random(m * k, next);
        // An infinity in the shared operand against an exact zero in the other: 0 in a rule's product.
        A[0] = Infinity;
        B.fill(0, 0, n * k > 20 ? 20 : 1);
        G.fill(0, 0, n * k > 20 ? 20 : 1);
        const pairs: Array<[ProductTerm, ProductTerm]> = [
          [term(A, aShape, ta, B, bShape, tb), term(A, aShape, ta, G, bShape, tb)], // shares A
          [term(A, aShape, ta, B, bShape, tb), term(H, aShape, ta, B, bShape, tb)], // shares B
          [term(A, aShape, ta, B, bShape, tb), term(H, aShape, ta, G, bShape, tb)], // shares nothing
        ];
        for (const [p, q] of pairs) {
          const [c1, c2] = o.matmulPair(p, q);
          expect(differences(asArray(c1), matmulOf(p))).toEqual([]);
          expect(differences(asArray(c2), matmulOf(q))).toEqual([]);
        }
        const zeroPlus = o.matmul(A, aShape, B, bShape, ta, tb) as Float64Array;
        expect(zeroPlus.some(Number.isNaN)).toBe(false); // the structural zeros did take effect
      }
    }
    setKernelBackend('auto');
  });

  it('a symbolic zero operand gives the symbolic zero for that product', () => {
    const A = Float64Array.of(1, 2, 3, 4), B = Float64Array.of(5, 6, 7, 8);
    const [c1, c2] = o.matmulPair(term(A, [2, 2], false, B, [2, 2], false), { a: A, aShape: [2, 2], ta: false, b: 0, bShape: [2, 2], tb: false });
    expect([...(c1 as Float64Array)]).toEqual([19, 22, 43, 50]);
    expect(c2).toBe(0);
  });
});

describe('matmul with a constant operand: value, tangent and adjoint lanes paired', () => {
  /** f(W) = Σ c ⊙ tanh(op(X)·op(W)) (or with W on the left), X constant or an input with zero tangent. */
  function loss(X: Tensor, W: Tensor, left: boolean, tx: boolean, tw: boolean, c: Tensor): Tensor {
    const x = tx ? X.transpose() : X, w = tw ? W.transpose() : W;
    return (left ? matmul(w, x) : matmul(x, w)).tanh().mul(c).sum() as unknown as Tensor;
  }

  it('gradAndHvp gives the numbers of the unpaired path (the constant an input with zero tangent), in every layout', () => {
    const next = seededUniform(15);
    for (const backend of ['js', 'wasm', 'auto'] as const) {
      setKernelBackend(backend);
      for (const [m, k, n] of [[6, 5, 4], [40, 30, 20], [64, 100, 50]] as const) {
        for (const left of [false, true]) {
          for (const flags of [0, 1, 2, 3]) {
            const tx = (flags & 1) !== 0, tw = (flags & 2) !== 0;
            // right: op(X) m×k · op(W) k×n; left: op(W) m×k · op(X) k×n.
            const xShape = left ? (tx ? [n, k] : [k, n]) : (tx ? [k, m] : [m, k]);
            const wShape = left ? (tw ? [k, m] : [m, k]) : (tw ? [n, k] : [k, n]);
            const xData = random(xShape[0] * xShape[1], next), w = random(wShape[0] * wShape[1], next), v = random(w.length, next);
            const c = tensor(random(m * n, next), [m, n]);
            const X = tensor(xData, xShape);
            const paired = gradAndHvp((p: { W: Tensor }) => loss(X, p.W.reshape(wShape), left, tx, tw, c), { W: w }, { W: v });
            const apart = gradAndHvp(
              (p: { W: Tensor; X: Tensor }) => loss(p.X.reshape(xShape), p.W.reshape(wShape), left, tx, tw, c),
              { W: w, X: xData }, { W: v, X: new Float64Array(xData.length) },
            );
            const label = `${backend} ${m}×${k}×${n} left=${left} tx=${tx} tw=${tw}`;
            expect(paired.value, label).toBe(apart.value);
            // The unpaired path adds the zero tangent's products: equal values, a −0 may become +0.
            expect(valueDifferences(paired.grad.W as Float64Array, apart.grad.W as Float64Array), label).toEqual([]);
            expect(valueDifferences(paired.hvp.W as Float64Array, apart.hvp.W as Float64Array), label).toEqual([]);
          }
        }
      }
    }
    setKernelBackend('auto');
  });

  it('∇f and H·v agree with finite differences (a tall layer, paired products on the threads)', () => {
    const next = seededUniform(16);
    const [m, k, n] = [300, 80, 60];
    const X = tensor(random(m * k, next), [m, k]), c = tensor(random(m * n, next), [m, n]);
    const f = (W: Tensor) => loss(X, W.reshape([k, n]), false, false, false, c);
    const checks = checkGrads(f, random(k * n, next).map((x) => 0.3 * x), { order: 2 });
    expect(checks.length).toBeGreaterThan(0);
    for (const check of checks) expect(check.passed, JSON.stringify(check)).toBe(true);
  });
});
