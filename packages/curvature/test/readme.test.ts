// The README's "Ten lines" example is test/readme-example.ts: Newton-CG finds Rosenbrock's minimum
// (1, 1), and Lanczos on H·v finds the largest eigenvalue of the closed-form Hessian there,
// [[2 − 400(b − a²) + 800a², −400a], [−400a, 200]].
import { describe, expect, it } from 'vitest';
import { capturingLogs, exampleBody, readmeExample } from '../../../test-support/readme-example.js';

describe('README example', () => {
  it('is test/readme-example.ts, line for line', () => {
    expect(exampleBody(new URL('./readme-example.ts', import.meta.url))).toBe(readmeExample(new URL('../README.md', import.meta.url)));
  });

  it('finds the minimum and the largest Hessian eigenvalue there', async () => {
    const logs = await capturingLogs(() => import('./readme-example.js'));
    expect(logs).toHaveLength(1);
    const [x, iterations, hvpCount, lambdaMax] = logs[0] as [{ a: number; b: number }, number, number, number];
    expect(x.a).toBeCloseTo(1, 6);
    expect(x.b).toBeCloseTo(1, 6);
    expect(iterations).toBeGreaterThan(0);
    expect(hvpCount).toBeGreaterThanOrEqual(iterations);

    const { a, b } = x;
    const h11 = 2 - 400 * (b - a * a) + 800 * a * a, h12 = -400 * a, h22 = 200;
    const mid = (h11 + h22) / 2;
    const expected = mid + Math.sqrt(mid * mid - (h11 * h22 - h12 * h12));
    expect(Math.abs(lambdaMax - expected) / expected).toBeLessThan(1e-10);
  });
});
