// The README's "Ten lines" example is test/readme-example.ts, and it prints the logistic loss, its
// gradient and a Hessian column that agree with the closed forms: with zₙ = xₙ·w + b and σ the
// logistic sigmoid, E = Σ softplus(−tₙ zₙ), ∇E = Σ −tₙ σ(−tₙ zₙ) [xₙ; 1] and
// H = Σ σ(zₙ) σ(−zₙ) [xₙ; 1][xₙ; 1]ᵀ.
import { describe, expect, it } from 'vitest';
import { capturingLogs, exampleBody, readmeExample } from '../../../test-support/readme-example.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('README example', () => {
  it('is test/readme-example.ts, line for line', () => {
    expect(exampleBody(new URL('./readme-example.ts', import.meta.url))).toBe(readmeExample(new URL('../README.md', import.meta.url)));
  });

  it('prints E, ∇E and the Hessian column of the logistic loss', async () => {
    const logs = await capturingLogs(() => import('./readme-example.js'));
    expect(logs).toHaveLength(1);
    const [value, grad, hvp] = logs[0] as [number, { w: Float64Array; b: number }, { w: Float64Array; b: number }];

    const xs = [[0.5, 1.5], [-1, 0.2], [2, -0.7]], labels = [1, -1, 1];
    const w = [0.5, -0.3], b = 0.1, v = [1, 0, 0];
    let E = 0;
    const g = [0, 0, 0], Hv = [0, 0, 0];
    xs.forEach((x, n) => {
      const t = labels[n], z = x[0] * w[0] + x[1] * w[1] + b, u = [x[0], x[1], 1];
      E += Math.log1p(Math.exp(-t * z));
      const curvature = sigmoid(z) * sigmoid(-z), uv = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
      for (let i = 0; i < 3; i++) {
        g[i] += -t * sigmoid(-t * z) * u[i];
        Hv[i] += curvature * u[i] * uv;
      }
    });
    expect(value).toBeCloseTo(E, 14);
    [...grad.w, grad.b].forEach((gi, i) => expect(gi).toBeCloseTo(g[i], 14));
    [...hvp.w, hvp.b].forEach((hi, i) => expect(hi).toBeCloseTo(Hv[i], 14));
  });
});
