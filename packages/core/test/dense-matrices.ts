// Plain dense-matrix helpers for the decomposition tests (eigh, qr, svd): references computed here,
// in the simplest loops, never through the ops under test; and the central-difference checks they share.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { grad, gradAndHvp, hessian, hvp, jacobian, tensor, type Scalar, type Tensor } from '../src/index.js';

export type Matrix = number[][];

/** The rows of an m×n row-major array (n = m by default). */
export const rows = (data: ArrayLike<number>, m: number, n = m): Matrix =>
  Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => data[i * n + j]));
export const times = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
export const transposed = (a: Matrix): Matrix => a[0].map((_, j) => a.map((row) => row[j]));
export const maxAbs = (xs: ArrayLike<number>) => Array.from(xs).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
/** The largest |a − b| over the entries (the lengths must agree). */
export const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  return Array.from(a).reduce((m, v, k) => Math.max(m, Math.abs(v - b[k])), 0);
};

/** A seeded uniform generator in [0, 1) (mulberry32), so every failure can be replayed. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Central differences of a vector-valued g at x along each coordinate (columns of the Jacobian). */
export function differenced(g: (x: number[]) => ArrayLike<number>, x: number[], h: number): number[][] {
  return x.map((_, k) => {
    const up = [...x], down = [...x];
    up[k] += h; down[k] -= h;
    const gu = g(up), gd = g(down);
    return Array.from(gu, (v, i) => (v - gd[i]) / (2 * h));
  });
}
/** f's value at x, as a one-element vector for {@link differenced}. */
export const valueAt = (f: (x: Tensor) => Scalar) => (x: number[]) => [(f(tensor(x)) as Scalar).value];
/** The central difference of g at x along v. */
export const along = (g: (x: number[]) => ArrayLike<number>, x: number[], v: number[], h: number) => {
  const gu = g(x.map((e, k) => e + h * v[k])), gd = g(x.map((e, k) => e - h * v[k]));
  return Array.from(gu, (e, k) => (e - gd[k]) / (2 * h));
};
/** The largest difference relative to the larger of 1 and the reference's largest entry. */
export const relative = (got: ArrayLike<number>, want: ArrayLike<number>) => maxDiff(got, want) / Math.max(1, maxAbs(want));
/** max |got − want| / max |want| (plain difference when want is all zero): a normwise relative error. */
export const normwise = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  const scale = maxAbs(want);
  return scale === 0 ? maxDiff(got, want) : maxDiff(got, want) / scale;
};
/** A square matrix node from n² row-major numbers. */
export const squareTensor = (a: readonly number[]) => {
  const n = Math.round(Math.sqrt(a.length));
  return tensor(a, [n, n]);
};

/** One case of {@link centralDifferenceChecks}: a name, f, its point for a seed, and its size. */
export type DifferenceCase = readonly [name: string, f: (x: Tensor) => Scalar, point: (seed: number) => number[], size: number];

/**
 * The derivative checks of the decomposition tests, for each case: the gradient against central
 * differences of f, H·v against central differences of the gradient (three points and directions),
 * and third order — the gradient of u·(H·v) and the Jacobian of H·v — against central differences of
 * H·v; the worst errors printed for the record.
 */
export function centralDifferenceChecks(op: string, cases: readonly DifferenceCase[], direction: (seed: number, n: number) => number[]): void {
  const worst = { grad: 0, hvp: 0, third: 0 };
  for (const [name, f, point, size] of cases) {
    it(`${name}: the gradient`, () => {
      for (const seed of [1, 2, 3]) {
        const x = point(seed);
        const fd = differenced(valueAt(f), x, 1e-5).map((c) => c[0]);
        const err = relative(grad(f)(x) as Float64Array, fd);
        worst.grad = Math.max(worst.grad, err);
        expect(err).toBeLessThanOrEqual(1e-8);
      }
    });

    it(`${name}: H·v against differences of the gradient`, () => {
      for (const seed of [1, 2, 3]) {
        const x = point(seed), v = direction(seed + 100, size);
        const fd = along((y) => grad(f)(y) as Float64Array, x, v, 1e-5);
        const err = relative(hvp(f, x, v) as Float64Array, fd);
        worst.hvp = Math.max(worst.hvp, err);
        expect(err).toBeLessThanOrEqual(1e-7);
      }
    });

    it(`${name}: third order, the gradient of u·(H·v) and the Jacobian of H·v, against differences of H·v`, () => {
      const x = point(7), v = direction(8, size), u = direction(9, size);
      const hv = (y: number[]) => hvp(f, y, v) as Float64Array;
      const fdJacobian = differenced(hv, x, 1e-4); // fdJacobian[k][i] = ∂(Hv)_i/∂x_k
      const third = grad((y: Tensor) => (hvp(f, y, tensor(v)) as unknown as Tensor).mul(tensor(u)).sum())(x) as Float64Array;
      const want = fdJacobian.map((column) => column.reduce((s, e, i) => s + e * u[i], 0));
      const errGrad = relative(third, want);
      const J = jacobian((y: Tensor) => hvp(f, y, tensor(v)) as unknown as Tensor, x) as Float64Array; // J[i·size + k]
      const errJ = relative(J, Array.from({ length: size * size }, (_, p) => fdJacobian[p % size][Math.floor(p / size)]));
      worst.third = Math.max(worst.third, errGrad, errJ);
      expect(errGrad).toBeLessThanOrEqual(1e-6);
      expect(errJ).toBeLessThanOrEqual(1e-6);
    });
  }
  it('worst relative errors (printed for the record)', () => {
    console.log(`${op} vs central differences: gradient ${worst.grad.toExponential(1)}, H·v ${worst.hvp.toExponential(1)}, third order ${worst.third.toExponential(1)}`);
  });
}

/**
 * The H·v properties of the decomposition tests, at `point` with fast-check directions: symmetry
 * uᵀ(H·v) = vᵀ(H·u), linearity in v, and the Hessian as the H·v of each unit vector, stacked.
 */
export function hvpPropertyChecks(f: (x: Tensor) => Scalar, point: number[], symmetryName = 'uᵀ(H·v) = vᵀ(H·u)'): void {
  const size = point.length;
  const vec = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: size, maxLength: size });
  it(symmetryName, () => {
    fc.assert(fc.property(vec, vec, (u, v) => {
      const hv = hvp(f, point, v) as Float64Array, hu = hvp(f, point, u) as Float64Array;
      const l = hv.reduce((s, e, k) => s + e * u[k], 0), r = hu.reduce((s, e, k) => s + e * v[k], 0);
      expect(Math.abs(l - r)).toBeLessThanOrEqual(1e-11 * Math.max(1, maxAbs(hv) + maxAbs(hu)) * size);
    }), { numRuns: 15 });
  });
  it('H·(αu + βv) = α·H·u + β·H·v', () => {
    fc.assert(fc.property(vec, vec, fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), (u, v, alpha, beta) => {
      const combined = hvp(f, point, u.map((e, k) => alpha * e + beta * v[k])) as Float64Array;
      const hu = hvp(f, point, u) as Float64Array, hv = hvp(f, point, v) as Float64Array;
      expect(maxDiff(combined, hu.map((e, k) => alpha * e + beta * hv[k]))).toBeLessThanOrEqual(1e-11 * Math.max(1, maxAbs(hu) + maxAbs(hv)) * 4);
    }), { numRuns: 15 });
  });
  it('the Hessian is the H·v of each unit vector, stacked', () => {
    const H = hessian(f, point) as Float64Array;
    for (let k = 0; k < size; k++) {
      const e = Array.from({ length: size }, (_, i) => (i === k ? 1 : 0));
      expect(maxDiff(H.subarray(k * size, (k + 1) * size), hvp(f, point, e) as Float64Array)).toBeLessThanOrEqual(1e-12 * maxAbs(H));
    }
  });
}

/**
 * ∇ and H·v of Σ W⊙f(A) (f = sqrtm or logm) at the rotation by 3.1415, next to the negative real axis,
 * against central differences of f and of ∇ (step 1e-8; the differences converge as h² there).
 */
export function checkNearNegativeAxis(f: (a: Tensor) => Tensor): void {
  const c = Math.cos(3.1415), s = Math.sin(3.1415), x0 = [c, -s, s, c], v = [0.3, -0.5, 0.8, 0.1], W = [0.7, -0.3, 0.2, 0.5];
  const loss = (x: Tensor) => f(x.reshape([2, 2])).mul(tensor(W, [2, 2])).sum();
  const value = (x: number[]) => f(tensor(x, [2, 2])).value.reduce((sum, y, k) => sum + y * W[k], 0);
  const at = (x: number[]) => gradAndHvp(loss, x, v);
  const { grad: g, hvp: hv } = at(x0);
  const h = 1e-8;
  const fd = x0.map((_, k) => {
    const up = [...x0], down = [...x0];
    up[k] += h; down[k] -= h;
    return (value(up) - value(down)) / (2 * h);
  });
  const gUp = at(x0.map((x, k) => x + h * v[k])).grad as Float64Array, gDown = at(x0.map((x, k) => x - h * v[k])).grad as Float64Array;
  const hvFd = Array.from(gUp, (u, k) => (u - gDown[k]) / (2 * h));
  expect(normwise(g as Float64Array, fd)).toBeLessThan(1e-7);
  expect(normwise(hv as Float64Array, hvFd)).toBeLessThan(1e-7);
}
