// Fixes from the third adversarial sweep: absurd sizes are refused up front instead of crashing the
// process (2³¹ hidden units) or running for minutes.
import { describe, expect, it } from 'vitest';
import { NetworkSpecError, initParams, paramCount, twoLayerNet, validateSpec } from '../src/index.js';

const spec = (inputs: number, hidden: number, outputs: number) => ({ inputs, hidden, outputs, activation: 'tanh', output: 'linear' }) as const;

describe('a spec of more than 2²⁷ parameters is a NetworkSpecError', () => {
  it('names W, the sizes and the limit, in twoLayerNet, validateSpec, paramCount and initParams', () => {
    for (const call of [
      () => twoLayerNet(spec(1, 2 ** 31, 1)),
      () => validateSpec(spec(2 ** 30, 2 ** 30, 2 ** 30)),
      () => paramCount(spec(1, 2 ** 26, 1)),
      () => initParams(spec(100_000, 10_000, 10), 1),
    ]) {
      expect(call).toThrow(NetworkSpecError);
      expect(call).toThrow(/at most 2²⁷ = 134217728/);
    }
    expect(() => twoLayerNet(spec(1, 2 ** 31, 1))).toThrow(/W = H·D \+ H \+ K·H \+ K = 6442450945 parameters \(D = 1, H = 2147483648, K = 1\)/);
  });
  it('accepts a spec of exactly 2²⁷ parameters (without allocating it)', () => {
    // W = H·(D + 1 + K) + K; with D = 5 and K = 1 that is 7H + 1, and 2²⁷ − 1 = 7 · 19173961.
    const H = 19173961;
    expect(paramCount(spec(5, H, 1))).toBe(2 ** 27);
    expect(() => validateSpec(spec(5, H + 1, 1))).toThrow(NetworkSpecError);
  });
});
