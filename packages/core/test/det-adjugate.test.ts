// det's first derivatives from 4×4 on where det(A)·A⁻ᵀ cannot give them: at a singular matrix (the
// adjugate, rank one at rank n − 1 and zero below), and where det(A) over- or underflows. Checked
// against cofactors by Laplace expansion (no LU anywhere), against central differences of det, and
// against the scaling law adj(cA) = cⁿ⁻¹·adj(A).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SingularMatrixError, det, grad, gradAndHvp, hvp, jvp, tensor, type Tensor } from '../src/index.js';

/** det by Laplace expansion along the first row (exact for small integer matrices). */
function laplace(a: number[][]): number {
  const n = a.length;
  if (n === 0) return 1;
  let s = 0;
  for (let j = 0; j < n; j++) {
    if (a[0][j] === 0) continue;
    s += (j % 2 === 0 ? 1 : -1) * a[0][j] * laplace(minor(a, 0, j));
  }
  return s;
}

function minor(a: number[][], i: number, j: number): number[][] {
  return a.filter((_, r) => r !== i).map((row) => row.filter((_, c) => c !== j));
}

/** The cofactor matrix Cᵢⱼ = (−1)ⁱ⁺ʲ·det(minor ij), flattened row-major: det's gradient. */
function cofactors(a: number[][]): number[] {
  const n = a.length;
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.push(((i + j) % 2 === 0 ? 1 : -1) * laplace(minor(a, i, j)));
  return out;
}

const detOf = (n: number) => (x: Tensor) => det(x.reshape([n, n]));
const flat = (a: number[][]) => a.flat();
const plus0 = (xs: ArrayLike<number>) => Array.from(xs, (x) => x + 0);

/** A = B·Cᵀ with B, C n×r integer matrices: rank at most r, and every cofactor an integer. */
const lowRank = (n: number, r: number) =>
  fc.tuple(
    fc.array(fc.integer({ min: -4, max: 4 }), { minLength: n * r, maxLength: n * r }),
    fc.array(fc.integer({ min: -4, max: 4 }), { minLength: n * r, maxLength: n * r }),
  ).map(([b, c]) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let k = 0; k < r; k++) s += b[i * r + k] * c[j * r + k];
    return s;
  })));

function expectCofactors(got: ArrayLike<number>, a: number[][]): void {
  const want = cofactors(a);
  const scale = Math.max(1, ...want.map(Math.abs));
  Array.from(got).forEach((g, k) => expect(Math.abs(g - want[k]), `entry ${k}: ${g} against ${want[k]}`).toBeLessThanOrEqual(1e-12 * scale));
}

describe('det from 4×4: first derivatives at a singular matrix', () => {
  it('are the cofactors (the adjugate transposed), wherever the zero pivot falls', () => {
    const cases: number[][][] = [
      // Row 1 = 2·row 0: the zero pivot comes last.
      [[1, 2, 3, 4], [2, 4, 6, 8], [1, 0, 1, 0], [0, 1, 0, 1]],
      // A zero first column: the zero pivot comes first, and the cofactors are zero except column 0.
      [[0, 2, 3, 4], [0, 1, 6, 8], [0, 0, 1, 5], [0, 1, 0, 1]],
      // Column 2 = column 0 + column 1: a zero pivot in the middle of a 5×5.
      [[1, 2, 3, 0, 1], [4, 1, 5, 2, 0], [2, 2, 4, 1, 3], [0, 3, 3, 1, 1], [5, 1, 6, 0, 2]],
    ];
    for (const a of cases) {
      expect(laplace(a)).toBe(0);
      const g = grad(detOf(a.length))(flat(a)) as Float64Array;
      expectCofactors(g, a);
      expect(plus0(g).some((x) => x !== 0), 'rank n − 1: the adjugate is not zero').toBe(true);
    }
  });

  it('are zero (to rounding: the pivots are rounded) at rank n − 2 and below, and of rank one at rank n − 1 (fast-check, Laplace expansion)', () => {
    for (const [n, r] of [[4, 3], [5, 4], [4, 2], [6, 5], [5, 2]] as const) {
      fc.assert(fc.property(lowRank(n, r), (a) => {
        const g = grad(detOf(n))(flat(a)) as Float64Array;
        expectCofactors(g, a);
        // Rank one: every 2×2 minor of C vanishes (to rounding of its size).
        const scale = Math.max(1, ...Array.from(g, Math.abs));
        for (let i = 1; i < n; i++) for (let j = 1; j < n; j++) {
          expect(Math.abs(g[0] * g[i * n + j] - g[j] * g[i * n])).toBeLessThanOrEqual(1e-10 * scale * scale);
        }
      }), { numRuns: 25, seed: 5 });
    }
  });

  it('agree with central differences of det (a polynomial: the difference is exact but for rounding)', () => {
    const a = [[1, 2, 3, 4], [2, 4, 6, 8], [1, 0.5, 1, 0], [0, 1, 0, 1.5]];
    const x = flat(a), h = 1e-4;
    const g = grad(detOf(4))(x) as Float64Array;
    for (let k = 0; k < 16; k++) {
      const up = x.slice(), down = x.slice();
      up[k] += h; down[k] -= h;
      // det is linear in each entry: the central difference is the partial itself.
      const fd = (laplace(chunk(up)) - laplace(chunk(down))) / (2 * h);
      expect(g[k]).toBeCloseTo(fd, 9);
    }
  });

  it('stacks mix singular and invertible matrices; jvp takes the same cofactors', () => {
    const singular = [[1, 2, 3, 4], [2, 4, 6, 8], [1, 0, 1, 0], [0, 1, 0, 1]];
    const invertible = [[4, 1, 0, 2], [1, 3, 1, 0], [0, 1, 5, 1], [2, 0, 1, 6]];
    const f = (x: Tensor) => det(x.reshape([2, 4, 4]), { batched: true }).mul(tensor([0.5, -2])).sum();
    const g = grad(f)([...flat(singular), ...flat(invertible)]) as Float64Array;
    expectCofactors(Array.from(g.subarray(0, 16), (x) => x / 0.5), singular);
    expectCofactors(Array.from(g.subarray(16), (x) => x / -2), invertible);
    const v = Array.from({ length: 16 }, (_, k) => Math.sin(k + 1));
    const { tangent } = jvp(detOf(4), flat(singular), v);
    const want = cofactors(singular).reduce((s, c, k) => s + c * v[k], 0);
    expect(tangent).toBeCloseTo(want, 10);
  });

  it('second derivatives there stay a SingularMatrixError (they go through A⁻¹), naming what is supported', () => {
    const singular = flat([[1, 2, 3, 4], [2, 4, 6, 8], [1, 0, 1, 0], [0, 1, 0, 1]]);
    const v = singular.map((_, k) => Math.cos(k));
    expect(() => hvp(detOf(4), singular, v)).toThrow(SingularMatrixError);
    expect(() => gradAndHvp(detOf(4), singular, v)).toThrow(/first derivatives there are its cofactors/);
    expect(() => grad(grad(detOf(4)) as never)(singular)).toThrow(SingularMatrixError);
  });
});

describe('det from 4×4: first derivatives where det(A) over- or underflows', () => {
  const A = [[4, 1, 0, 2], [1, 3, 1, 0], [0, 1, 5, 1], [2, 0, 1, 6]];
  const scaled = (c: number) => A.map((r) => r.map((x) => x * c));

  it('follow adj(cA) = c³·adj(A) while the cofactors are in range', () => {
    const base = grad(det)(A) as Float64Array;
    for (const c of [1e80, 1e100, 1e-80, 1e-100]) {
      expect(Math.abs(det(tensor(scaled(c))).value) === Infinity || Math.abs(det(tensor(scaled(c))).value) < 2 ** -1022).toBe(true);
      const g = grad(det)(scaled(c)) as Float64Array;
      g.forEach((x, k) => expect(Math.abs(x / (c * c * c) / base[k] - 1), `c = ${c}, entry ${k}`).toBeLessThan(1e-14));
    }
  });

  it('past the range of a double, and with an infinite entry, are still the typed errors', () => {
    expect(() => grad(det)(scaled(1e110))).toThrow(/overflows.*slogdet/);
    expect(() => grad(det)([[Infinity, 1, 0, 0], [1, 2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])).toThrow(/an infinite entry/);
    expect(() => gradAndHvp(det, scaled(1e80), scaled(1))).toThrow(/overflows/);
  });
});

function chunk(x: number[]): number[][] {
  const n = Math.round(Math.sqrt(x.length));
  return Array.from({ length: n }, (_, i) => x.slice(i * n, (i + 1) * n));
}
