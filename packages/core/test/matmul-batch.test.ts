// Several products as one kernel job (gemmBatch; NumberAlgebra.matmulSums; matmul's value with its
// tangent, and its adjoint lanes): each C the same, bit for bit, as gemmSum computes it alone, on
// every backend and layout, with operands shared between products and terms, with NaN and
// infinities, split across threads, and when the batch does not fit (too many products, the memory
// limit, the batch budget); the structural-zero rule of the numbers algebra; and through gradAndHvp,
// ∇f and H·v of a layer against their closed forms and finite differences.
import { afterAll, describe, expect, it } from 'vitest';
import { type ProductTerm } from '../src/algebra/algebra.js';
import { NumberAlgebra } from '../src/algebra/numbers.js';
import { ArgumentError, gradAndHvp, matmul, setKernelBackend, tensor, type Tensor } from '../src/index.js';
import { BATCH_BYTES, gemmBatch, gemmSum, lastProductMayHoldNaN, MAX_BATCH, WASM_MIN_WORK, type GemmProduct, type GemmTerm } from '../src/kernels/backend.js';
import { defaultThreadCount } from '../src/kernels/threads.js';
import { compiledModule, DEFAULT_MEMORY_LIMIT, newMemory, setMemoryLimit, WasmGemm } from '../src/kernels/wasm.js';
import { checkGrads, seededUniform } from '../src/testing/index.js';
import { maxRelDiff } from './max-rel-diff.js';

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

/** Each product's C from gemmSum alone. */
function apart(products: readonly GemmProduct[]): Float64Array[] {
  return products.map(({ terms, m, n, k }) => {
    const C = new Float64Array(m * n);
    gemmSum(terms, C, m, n, k, false);
    return C;
  });
}

/**
 * A random batch of `count` products of one shape family: 1–3 terms each, random transposes, and
 * operands drawn from a small pool, so that products and terms share arrays (as a layer's do).
 */
function randomBatch(count: number, m: number, n: number, k: number, next: () => number): GemmProduct[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const lefts = [random(m * k, next), random(m * k, next), random(m * k, next)];
  const rights = [random(k * n, next), random(k * n, next), random(k * n, next)];
  return Array.from({ length: count }, () => {
    const terms: GemmTerm[] = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({ a: pick(lefts), transA: next() < 0.5, b: pick(rights), transB: next() < 0.5 }));
    return { terms, C: new Float64Array(m * n).fill(NaN), m, n, k };
  });
}

const shapes: Array<[number, number, number]> = [[1, 1, 1], [3, 5, 2], [7, 4, 9], [40, 60, 30], [130, 3, 257], [256, 200, 100], [5, 300, 260], [256, 10, 200]];

describe('gemmBatch', () => {
  for (const backend of ['js', 'wasm', 'wasm-threads', 'auto'] as const) {
    it(`gives each C of gemmSum alone, bit for bit, operands shared between products and terms (${backend})`, () => {
      setKernelBackend(backend, backend === 'wasm-threads' ? { threads: 2 } : {});
      const next = seededUniform(21);
      for (const [m, n, k] of shapes) {
        // Below the WebAssembly threshold 'auto' may run a batch (its work summed) on another kernel
        // than a product alone: another order of additions, so only sizes above it there.
        if (backend === 'auto' && m * n * k < WASM_MIN_WORK) continue;
        for (let count = 1; count <= MAX_BATCH; count++) {
          const batch = randomBatch(count, m, n, k, next);
          gemmBatch(batch);
          const want = apart(batch);
          batch.forEach((p, q) => expect(differences(p.C, want[q]), `${m}×${n}×${k}, product ${q} of ${count}`).toEqual([]));
        }
      }
      setKernelBackend('auto', { threads: defaultThreadCount() });
    });
  }

  it('more products than one job takes run one by one, with the same numbers', () => {
    setKernelBackend('wasm-threads', { threads: 2 });
    const next = seededUniform(22);
    const batch = randomBatch(MAX_BATCH + 3, 64, 48, 40, next);
    gemmBatch(batch);
    const want = apart(batch);
    batch.forEach((p, q) => expect(differences(p.C, want[q])).toEqual([]));
    setKernelBackend('auto', { threads: defaultThreadCount() });
  });

  it('keeps NaN and infinities where gemmSum puts them, and says C may hold a NaN', () => {
    setKernelBackend('wasm');
    const next = seededUniform(23);
    const [m, n, k] = [9, 13, 11];
    const X = random(m * k, next), W = random(k * n, next), V = random(k * n, next);
    X[5] = Infinity; // X[0][5]
    W[5 * n + 3] = 0; // meets it: C₁[0][3] = ∞·0 = NaN
    V[7] = NaN;
    const batch: GemmProduct[] = [
      { terms: [{ a: X, b: W }], C: new Float64Array(m * n), m, n, k },
      { terms: [{ a: X, b: V }, { a: X, b: W }], C: new Float64Array(m * n), m, n, k },
    ];
    gemmBatch(batch);
    expect(lastProductMayHoldNaN()).toBe(true);
    const want = apart(batch);
    batch.forEach((p, q) => expect(differences(p.C, want[q])).toEqual([]));
    expect(batch[0].C.some(Number.isNaN) && batch[1].C.some(Number.isNaN)).toBe(true);
    // Finite operands: the WebAssembly kernel knows it stored no NaN.
    gemmBatch([{ terms: [{ a: random(m * k, next), b: W }], C: new Float64Array(m * n), m, n, k }, { terms: [{ a: random(m * k, next), b: W }], C: new Float64Array(m * n), m, n, k }]);
    expect(lastProductMayHoldNaN()).toBe(false);
    setKernelBackend('auto');
  });

  it('runs the products one by one when they do not fit the memory together, with the same numbers', () => {
    setKernelBackend('wasm');
    const next = seededUniform(24);
    const [m, n, k] = [96, 80, 300];
    const batch = randomBatch(3, m, n, k, next);
    const want = apart(batch);
    // Room for one product in blocks, not for the three side by side.
    setMemoryLimit(8 * (m * k + k * n + m * n));
    try {
      const single = new WasmGemm(newMemory(false), compiledModule({ shared: false, fma: false }));
      expect(single.productBatch(batch.map((p) => ({ terms: p.terms.map((t) => ({ a: t.a, aT: t.transA === true, b: t.b, bT: t.transB !== true })), C: p.C, m, n, k })))).toBe(false);
      gemmBatch(batch);
      batch.forEach((p, q) => expect(differences(p.C, want[q])).toEqual([]));
    } finally {
      setMemoryLimit(DEFAULT_MEMORY_LIMIT);
      setKernelBackend('auto');
    }
  });

  it('grows the memory for a batch only up to BATCH_BYTES', () => {
    const next = seededUniform(25);
    const asTerms = (p: GemmProduct) => ({ terms: p.terms.map((t) => ({ a: t.a, aT: t.transA === true, b: t.b, bT: t.transB !== true })), C: p.C, m: p.m, n: p.n, k: p.k });
    // Two products of 300×300×300 with distinct operands: 3·6 arrays of 0.72 MB, 4.3 MB in all.
    const small = new WasmGemm(newMemory(false), compiledModule({ shared: false, fma: false }));
    const fits = randomBatch(2, 300, 300, 300, next);
    expect(small.productBatch(fits.map(asTerms))).toBe(true);
    const want = apart(fits);
    fits.forEach((p, q) => expect(differences(p.C, want[q])).toEqual([]));
    // Two of 600×600×600 (arrays of 2.9 MB): at least 11.5 MB, past the budget in a memory never grown that far.
    const fresh = new WasmGemm(newMemory(false), compiledModule({ shared: false, fma: false }));
    const big = randomBatch(2, 600, 600, 600, next);
    expect(fresh.productBatch(big.map(asTerms))).toBe(false);
    expect(fresh.memory.buffer.byteLength).toBeLessThan(BATCH_BYTES);
    // A single product of four terms lays out nine such arrays (26 MB): then the batch (at most eight
    // arrays) runs in the memory it grew.
    const four = [0, 1, 2, 3].map(() => ({ a: random(600 * 600, next), aT: false, b: random(600 * 600, next), bT: false }));
    expect(fresh.product(four, new Float64Array(600 * 600), 600, 600, 600, false)).toBe(true);
    expect(fresh.productBatch(big.map(asTerms))).toBe(true);
    const wantBig = apart(big);
    big.forEach((p, q) => expect(differences(p.C, wantBig[q])).toEqual([]));
  });

  it('empty products give zeros, beside others', () => {
    setKernelBackend('wasm');
    const next = seededUniform(26);
    const X = random(20 * 30, next), W = random(30 * 10, next);
    const batch: GemmProduct[] = [
      { terms: [{ a: X, b: W }], C: new Float64Array(200), m: 20, n: 10, k: 30 },
      { terms: [], C: new Float64Array(200).fill(NaN), m: 20, n: 10, k: 30 },
      { terms: [{ a: X, b: W }], C: new Float64Array(200).fill(NaN), m: 20, n: 10, k: 0 },
      { terms: [{ a: X, b: W }], C: new Float64Array(0), m: 0, n: 10, k: 30 },
    ];
    gemmBatch(batch);
    expect(differences(batch[0].C, apart([batch[0]])[0])).toEqual([]);
    expect([...batch[1].C, ...batch[2].C].every((x) => x === 0)).toBe(true);
    setKernelBackend('auto');
  });

  it('bad arguments are ArgumentErrors that name the product and the problem', () => {
    const a = new Float64Array(6), b = new Float64Array(6), c = new Float64Array(4);
    expect(() => gemmBatch('x' as unknown as GemmProduct[])).toThrow(ArgumentError);
    expect(() => gemmBatch([null as unknown as GemmProduct])).toThrow(/product 0 must be \{ terms, C, m, n, k \}/);
    expect(() => gemmBatch([{ terms: [{ a, b }], C: c, m: 2, n: 2, k: 3 }, { terms: [{ a, b: new Float64Array(2) }], C: c.slice(), m: 2, n: 2, k: 3 }]))
      .toThrow(/product 1: B has 2 entries but m=2, n=2, k=3 need 6/);
    expect(() => gemmBatch([{ terms: [{ a, b }], C: new Float64Array(3), m: 2, n: 2, k: 3 }])).toThrow(/product 0: C has 3 entries/);
    expect(() => gemmBatch([{ terms: [{ a, b }], C: c, m: 2, n: 2, k: -1 }])).toThrow(/non-negative integers/);
  });
});

describe('NumberAlgebra.matmulSums', () => {
  const o = new NumberAlgebra();
  const asArray = (v: unknown) => (typeof v === 'number' ? v : o.numbers(v as Float64Array)) as Float64Array | number;
  const term = (a: Float64Array | number, aShape: number[], ta: boolean, b: Float64Array | number, bShape: number[], tb: boolean): ProductTerm => ({ a, aShape, ta, b, bShape, tb });

  it('gives each sum of matmulSum alone, bit for bit: structural zeros (0·∞ = 0), symbolic zeros, unequal depths', () => {
    setKernelBackend('wasm');
    const next = seededUniform(27);
    const [m, n, k] = [12, 7, 10];
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const aShape = ta ? [k, m] : [m, k], bShape = tb ? [n, k] : [k, n];
        const A = random(m * k, next), B = random(k * n, next), G = random(k * n, next), H = random(m * k, next);
        // An infinity against exact zeros: 0 in a rule's product, NaN in the kernel's.
        A[0] = Infinity;
        B.fill(0, 0, 20);
        G.fill(0, 0, 20);
        const deeper = random(m * (k + 3), next), deeperB = random((k + 3) * n, next);
        const sums: ProductTerm[][] = [
          [term(A, aShape, ta, B, bShape, tb)],
          [term(A, aShape, ta, G, bShape, tb), term(H, aShape, ta, B, bShape, tb)],
          [term(H, aShape, ta, G, bShape, tb), term(0, aShape, ta, B, bShape, tb)],
          [term(A, aShape, ta, 0, bShape, tb)],
          [term(H, aShape, ta, B, bShape, tb), term(deeper, ta ? [k + 3, m] : [m, k + 3], ta, deeperB, tb ? [n, k + 3] : [k + 3, n], tb)],
        ];
        const together = o.matmulSums(sums);
        sums.forEach((terms, q) => {
          const alone = asArray(o.matmulSum(terms));
          const got = asArray(together[q]);
          if (typeof alone === 'number') expect(got).toBe(alone);
          else expect(differences(got as Float64Array, alone), `sum ${q}`).toEqual([]);
        });
        expect(asArray(together[0]) as Float64Array).not.toContain(NaN); // the structural zeros took effect
        expect(together[3]).toBe(0);
      }
    }
    setKernelBackend('auto');
  });
});

describe('matmul: value and tangent, and the adjoint lanes, as kernel jobs', () => {
  /** f(W[, X]) = Σ c ⊙ tanh(op(X)·op(W)), or with W on the left. */
  function loss(X: Tensor, W: Tensor, left: boolean, tx: boolean, tw: boolean, c: Tensor): Tensor {
    const x = tx ? X.transpose() : X, w = tw ? W.transpose() : W;
    return (left ? matmul(w, x) : matmul(x, w)).tanh().mul(c).sum() as unknown as Tensor;
  }

  /** Row-major P (r×s) = op(A)·op(B) by plain loops, op(A) r×q. */
  function product(A: Float64Array, ta: boolean, B: Float64Array, tb: boolean, r: number, s: number, q: number): Float64Array {
    const P = new Float64Array(r * s);
    for (let i = 0; i < r; i++) for (let j = 0; j < s; j++) {
      let sum = 0;
      for (let l = 0; l < q; l++) sum += (ta ? A[l * r + i] : A[i * q + l]) * (tb ? B[j * q + l] : B[l * s + j]);
      P[i * s + j] = sum;
    }
    return P;
  }

  it('∇f and H·v of a tanh layer match the closed forms, X constant or with a tangent of its own, in every layout', () => {
    const next = seededUniform(28);
    for (const backend of ['js', 'wasm', 'auto'] as const) {
      setKernelBackend(backend);
      for (const [m, k, n] of [[6, 5, 4], [40, 30, 20], [256, 100, 50]] as const) {
        for (const flags of [0, 1, 2, 3]) {
          const tx = (flags & 1) !== 0, tw = (flags & 2) !== 0;
          // Z = op(X)·op(W), op(X) m×k, op(W) k×n; f = Σ c ⊙ tanh(Z).
          const xShape = tx ? [k, m] : [m, k], wShape = tw ? [n, k] : [k, n];
          const x = random(m * k, next), w = random(k * n, next).map((e) => 0.3 * e), c = random(m * n, next);
          const u = random(m * k, next), v = random(k * n, next);
          const Z = product(x, tx, w, tw, m, n, k), Zdot = product(x, tx, v, tw, m, n, k), Zdot2 = product(u, tx, w, tw, m, n, k);
          // ∂f/∂Z = c(1 − t²); its derivative along Ż is −2c·t(1 − t²)·Ż.
          const g = new Float64Array(m * n), h = new Float64Array(m * n), h2 = new Float64Array(m * n);
          for (let e = 0; e < m * n; e++) {
            const t = Math.tanh(Z[e]);
            g[e] = c[e] * (1 - t * t);
            h[e] = -2 * c[e] * t * (1 - t * t) * Zdot[e];
            h2[e] = -2 * c[e] * t * (1 - t * t) * (Zdot[e] + Zdot2[e]);
          }
          // W̄ = op(X)ᵀ·G (read back into W's layout).
          const wBar = (G: Float64Array) => (tw ? product(G, true, x, tx, n, k, m) : product(x, !tx, G, false, k, n, m));
          const cT = tensor(c, [m, n]);
          const X = tensor(x, xShape);
          const label = `${backend} ${m}×${k}×${n} tx=${tx} tw=${tw}`;
          const constantX = gradAndHvp((p: { W: Tensor }) => loss(X, p.W.reshape(wShape), false, tx, tw, cT), { W: w }, { W: v });
          expect(maxRelDiff(constantX.grad.W as Float64Array, wBar(g)), label).toBeLessThan(1e-13);
          // H·v = op(X)ᵀ·(∂²f/∂Z² Ż) (Z is linear in W).
          expect(maxRelDiff(constantX.hvp.W as Float64Array, wBar(h)), label).toBeLessThan(1e-12);
          // X an input too, with direction u: R{W̄} gains op(U)ᵀ·G, and Ż gains op(U)·op(W).
          const both = gradAndHvp((p: { W: Tensor; X: Tensor }) => loss(p.X.reshape(xShape), p.W.reshape(wShape), false, tx, tw, cT), { W: w, X: x }, { W: v, X: u });
          const uBarG = tw ? product(g, true, u, tx, n, k, m) : product(u, !tx, g, false, k, n, m);
          const want = wBar(h2).map((e, q) => e + uBarG[q]);
          expect(maxRelDiff(both.hvp.W as Float64Array, want), label).toBeLessThan(1e-12);
        }
      }
    }
    setKernelBackend('auto');
  });

  it('∇f and H·v agree with finite differences, W on either side, on the threads', () => {
    const next = seededUniform(29);
    for (const left of [false, true]) {
      const [m, k, n] = [300, 80, 60];
      const X = left ? tensor(random(k * n, next), [k, n]) : tensor(random(m * k, next), [m, k]);
      const c = tensor(random(m * n, next), [m, n]);
      const f = (W: Tensor) => loss(X, W.reshape(left ? [m, k] : [k, n]), left, false, false, c);
      const checks = checkGrads(f, random(left ? m * k : k * n, next).map((x) => 0.3 * x), { order: 2 });
      expect(checks.length).toBeGreaterThan(0);
      for (const check of checks) expect(check.passed, JSON.stringify(check)).toBe(true);
    }
  });
});
