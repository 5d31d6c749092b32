// matmulSum on numbers: Σ op(Aᵢ)·op(Bᵢ) as one kernel call (the tangent and R-adjoints of matmul),
// against the products added up one by one (addedProducts, what every other algebra does): equal to
// round-off on every backend and layout, and exactly the added products where a 0·∞ needs the
// structural-zero rule, where a term is the symbolic zero, or where the inner dimensions differ.
import { afterAll, describe, expect, it } from 'vitest';
import { addedProducts, type ProductTerm } from '../src/algebra/algebra.js';
import { NumberAlgebra } from '../src/algebra/numbers.js';
import { setKernelBackend } from '../src/index.js';
import { defaultThreadCount } from '../src/kernels/threads.js';
import { seededUniform } from '../src/testing/index.js';
import { maxRelDiff } from './max-rel-diff.js';

afterAll(() => setKernelBackend('auto', { threads: defaultThreadCount() }));

const o = new NumberAlgebra();

function random(n: number, next: () => number): Float64Array {
  return Float64Array.from({ length: n }, () => 2 * next() - 1);
}

/** A term op(A)·op(B) with op(A) m×k and op(B) k×n, random entries, stored as the flags say. */
function term(m: number, n: number, k: number, ta: boolean, tb: boolean, next: () => number): ProductTerm {
  return { a: random(m * k, next), aShape: ta ? [k, m] : [m, k], ta, b: random(k * n, next), bShape: tb ? [n, k] : [k, n], tb };
}

const asArray = (v: unknown) => o.numbers(v as Float64Array) as Float64Array;

describe('NumberAlgebra.matmulSum', () => {
  const shapes: Array<[number, number, number]> = [[1, 1, 1], [3, 5, 2], [7, 4, 9], [40, 60, 30], [160, 140, 130], [256, 10, 200], [10, 300, 256]];
  for (const backend of ['js', 'wasm', 'auto'] as const) {
    it(`equals the products added up, to round-off, in every layout (${backend})`, () => {
      setKernelBackend(backend);
      const next = seededUniform(5);
      for (const [m, n, k] of shapes) {
        for (const flags of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) {
          const terms = [
            term(m, n, k, (flags & 1) !== 0, (flags & 2) !== 0, next),
            term(m, n, k, (flags & 4) !== 0, (flags & 8) !== 0, next),
          ];
          const sum = asArray(o.matmulSum(terms));
          const added = asArray(addedProducts(o, terms));
          expect(sum.length).toBe(m * n);
          expect(maxRelDiff(sum, added)).toBeLessThanOrEqual(1e-14);
        }
      }
      setKernelBackend('auto');
    });
  }

  it('three terms', () => {
    const next = seededUniform(6);
    const terms = [term(30, 20, 10, false, false, next), term(30, 20, 10, true, false, next), term(30, 20, 10, false, true, next)];
    expect(maxRelDiff(asArray(o.matmulSum(terms)), asArray(addedProducts(o, terms)))).toBeLessThanOrEqual(1e-14);
  });

  it('keeps structural zeros: a 0·∞ in one term is 0, the same numbers as the products added up', () => {
    const next = seededUniform(7);
    for (const backend of ['js', 'wasm'] as const) {
      setKernelBackend(backend);
      const t1 = term(12, 9, 8, false, false, next), t2 = term(12, 9, 8, false, true, next);
      const a = t1.a as Float64Array, b = t1.b as Float64Array;
      a[3] = Number.POSITIVE_INFINITY; // A[0][3]: multiplies row 3 of B
      b.fill(0, 3 * 9, 4 * 9); // … which is all zeros: the whole product's row 0 is finite
      const sum = asArray(o.matmulSum([t1, t2]));
      const added = asArray(addedProducts(o, [t1, t2]));
      expect(Array.from(sum)).toEqual(Array.from(added));
      expect(sum.every(Number.isFinite)).toBe(true);
    }
    setKernelBackend('auto');
  });

  it('drops zero terms (the single product, bit for bit) and is 0 when every term is', () => {
    const next = seededUniform(8);
    const t = term(20, 30, 25, true, false, next);
    const single = asArray(o.matmul(t.a, t.aShape, t.b, t.bShape, t.ta, t.tb));
    expect(Array.from(asArray(o.matmulSum([{ ...t, a: 0 }, t])))).toEqual(Array.from(single));
    expect(Array.from(asArray(o.matmulSum([t, { ...t, b: 0 }])))).toEqual(Array.from(single));
    expect(o.matmulSum([{ ...t, a: 0 }, { ...t, b: 0 }])).toBe(0);
    expect(o.matmulSum([])).toBe(0);
  });

  it('terms of different inner dimensions: the products added up, bit for bit', () => {
    const next = seededUniform(9);
    const terms = [term(15, 12, 7, false, false, next), term(15, 12, 11, false, true, next)];
    expect(Array.from(asArray(o.matmulSum(terms)))).toEqual(Array.from(asArray(addedProducts(o, terms))));
  });
});
