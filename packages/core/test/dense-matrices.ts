// Plain dense-matrix helpers for the decomposition tests (eigh, qr, svd): references computed here,
// in the simplest loops, never through the ops under test.
import { expect } from 'vitest';
import { tensor, type Scalar, type Tensor } from '../src/index.js';

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
