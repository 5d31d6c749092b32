/**
 * Unchecked numeric kernels for the solvers' inner loops (internal: not exported from the package
 * index). The exported `dot`, `norm`, `axpy`, `allFinite`, `normalVector` and `rademacherVector`
 * check their arguments once and then call these; the solvers call these directly on vectors they
 * have already validated, so no check runs per iteration.
 */
import type { Rng } from './random.js';

/** Inner product `aᵀb` over `a.length` entries. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Euclidean norm with rescaling for huge or tiny entries (see the exported `norm`). */
export function norm(a: Float64Array): number {
  let big = 0;
  for (let i = 0; i < a.length; i++) big = Math.max(big, Math.abs(a[i]));
  if (big === 0 || !Number.isFinite(big)) return big;
  if (big > 1e-150 && big < 1e150) return Math.sqrt(dot(a, a));
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const t = a[i] / big;
    s += t * t;
  }
  return big * Math.sqrt(s);
}

/** In-place `y ← y + α·x` over `y.length` entries; returns `y`. */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): Float64Array {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
  return y;
}

/** True when every entry is finite. */
export function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

/** `n` standard normals from `rng`. */
export function normalVector(rng: Rng, n: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return v;
}

/** `n` Rademacher (±1) entries from `rng`. */
export function rademacherVector(rng: Rng, n: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.rademacher();
  return v;
}
