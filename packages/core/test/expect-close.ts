// Entrywise closeness for the transform tests: max|a − b| ≤ tol · max(1, max|b|), both printed on failure; for arrays, and for whole results (trees).
import { expect } from 'vitest';

export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  expect(a.length, `${what}: lengths`).toBe(b.length);
  let diff = 0, scale = 1;
  for (let k = 0; k < a.length; k++) {
    diff = Math.max(diff, Math.abs(a[k] - b[k]));
    scale = Math.max(scale, Math.abs(b[k]));
  }
  if (!(diff <= tol * scale)) {
    throw new Error(`${what}: max difference ${diff} > ${tol} × ${scale}\n  got      [${Array.from(a).join(', ')}]\n  expected [${Array.from(b).join(', ')}]`);
  }
}

/** Every number of a result: a number, a Float64Array, or arrays and objects of those, in order. */
export function numbersOf(x: unknown): number[] {
  if (typeof x === 'number') return [x];
  if (x instanceof Float64Array) return Array.from(x);
  if (Array.isArray(x)) return x.flatMap(numbersOf);
  if (x !== null && typeof x === 'object') return Object.values(x).flatMap(numbersOf);
  throw new Error(`not a result: ${String(x)}`);
}

/**
 * Every number of two results (numbers, arrays, trees) within tol of the larger of 1 and the
 * expected result's largest magnitude; a non-finite expected number only against itself (NaN against NaN).
 */
export function expectTreeClose(got: unknown, want: unknown, what: string, tol = 1e-13): void {
  const a = numbersOf(got), b = numbersOf(want);
  expect(a.length, `${what}: length`).toBe(b.length);
  const scale = Math.max(1, ...b.filter(Number.isFinite).map(Math.abs));
  b.forEach((w, k) => {
    if (!Number.isFinite(w)) expect(Object.is(a[k], w) || (Number.isNaN(a[k]) && Number.isNaN(w)), `${what}[${k}]: ${a[k]} vs ${w}`).toBe(true);
    else expect(Math.abs(a[k] - w), `${what}[${k}]: ${a[k]} vs ${w}`).toBeLessThanOrEqual(tol * scale);
  });
}
