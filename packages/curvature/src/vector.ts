/**
 * The handful of BLAS-1 helpers the solvers need. Deliberately minimal.
 */

/**
 * Inner product `aᵀb` (lengths are assumed equal; callers validate).
 *
 * @example
 * ```ts
 * dot(Float64Array.of(1, 2), Float64Array.of(3, 4)); // 11
 * ```
 */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Euclidean norm `‖a‖₂`. Rescales when entries are huge or tiny so that squaring cannot
 * overflow to Infinity or underflow to 0 (a trial point far out should not look "non-finite").
 *
 * @example
 * ```ts
 * norm(Float64Array.of(3, 4)); // 5
 * norm(Float64Array.of(1e200, 1e200)); // 1.414e200, not Infinity
 * ```
 */
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

/**
 * In-place `y ← y + α·x`; returns `y` for chaining.
 *
 * @example
 * ```ts
 * const y = Float64Array.of(1, 1);
 * axpy(2, Float64Array.of(1, 2), y); // y = [3, 5]
 * ```
 */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): Float64Array {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
  return y;
}
/**
 * True when every entry is finite (a loop: typed-array `every` with a callback is several times slower).
 *
 * @example
 * ```ts
 * allFinite(Float64Array.of(1, NaN)); // false
 * ```
 */
export function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}
