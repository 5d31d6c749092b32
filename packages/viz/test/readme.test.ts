// The README's "Ten lines" example is test/readme-example.ts: for f(x, y) = x·y + sin x it prints
// f, ∇f = (y + cos x, x) and H·v = [[−sin x, 1], [1, 0]]·v at (2, 3) with v = (1, 0), and the
// opening tag of the SVG it rendered.
import { describe, expect, it } from 'vitest';
import { capturingLogs, exampleBody, readmeExample } from '../../../test-support/readme-example.js';

describe('README example', () => {
  it('is test/readme-example.ts, line for line', () => {
    expect(exampleBody(new URL('./readme-example.ts', import.meta.url))).toBe(readmeExample(new URL('../README.md', import.meta.url)));
  });

  it('prints the derivatives and renders an SVG document', async () => {
    const logs = await capturingLogs(() => import('./readme-example.js'));
    expect(logs).toHaveLength(2);
    const [value, grad, hvp] = logs[0] as [number, { x: number; y: number }, { x: number; y: number }];
    const x = 2, y = 3;
    expect(value).toBeCloseTo(x * y + Math.sin(x), 14);
    expect(grad.x).toBeCloseTo(y + Math.cos(x), 14);
    expect(grad.y).toBeCloseTo(x, 14);
    expect(hvp.x).toBeCloseTo(-Math.sin(x), 14);
    expect(hvp.y).toBeCloseTo(1, 14);
    expect(logs[1][0]).toMatch(/^<svg width="\d+pt" height="\d+pt"[^>]*>$/);
  });
});
