// Entrywise closeness for the transform tests: max|a − b| ≤ tol · max(1, max|b|), both printed on failure.
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
