// The README's "Ten lines" example is test/readme-example.ts: Newton-CG lowers the error of the
// 1-3-1 network on x², and the engine's H·v at the fit equals the hand-derived R-propagation's.
import { describe, expect, it } from 'vitest';
import { figure53Data, PARAM_KEYS, twoLayerNet, type TwoLayerParams } from '../src/index.js';
import { capturingLogs, exampleBody, readmeExample } from '../../../test-support/readme-example.js';

describe('README example', () => {
  it('is test/readme-example.ts, line for line', () => {
    expect(exampleBody(new URL('./readme-example.ts', import.meta.url))).toBe(readmeExample(new URL('../README.md', import.meta.url)));
  });

  it('fits x² and prints two H·v that agree', async () => {
    const logs = await capturingLogs(() => import('./readme-example.js'));
    expect(logs).toHaveLength(1);
    const [loss, engine, reference] = logs[0] as [number, TwoLayerParams, TwoLayerParams];

    const [{ X, T }] = figure53Data(50, 1);
    const net = twoLayerNet({ inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' });
    expect(loss).toBeLessThan(net.loss(net.init(1), X, T) / 10);
    for (const key of PARAM_KEYS) {
      expect(engine[key].length).toBe(reference[key].length);
      engine[key].forEach((e, i) => expect(Math.abs(e - reference[key][i])).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(reference[key][i]))));
    }
  });
});
