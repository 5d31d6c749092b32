// net.gaussNewton (core's ggnvp on the network's output pre-activations) against the explicit
// outer-product matrix of PRML §5.4.2, positive semi-definiteness, and G = H where residuals vanish.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenParams, outerProductHessian, paramCount, predict, twoLayerNet, unflattenParams } from '../src/index.js';
import { ACTIVATION_LIST, OUTPUT_LIST, makeCase, smallSpec } from './reference/helpers.js';
import { matVec, relDiff } from './helpers.js';

const COMBOS = ACTIVATION_LIST.flatMap((activation) => OUTPUT_LIST.map((output) => ({ activation, output })));

describe.each(COMBOS)('gaussNewton, $activation hidden / $output output', ({ activation, output }) => {
  const spec = smallSpec(activation, output);
  const net = twoLayerNet(spec);
  const W = paramCount(spec);

  it.each([1, 7, 64])('G·v equals outerProductHessian(…)·v to 1e-10 (N = %i)', (N) => {
    const c = makeCase(spec, N, 11_000 + N);
    const G = outerProductHessian(spec, c.params, c.X, c.T);
    const Gv = flattenParams(net.gaussNewton(c.params, c.X, c.T, c.v));
    expect(relDiff(Gv, matVec(G, flattenParams(c.v)))).toBeLessThan(1e-10);
  });

  it('vᵀGv ≥ 0 for any direction (PSD, property)', () => {
    const c = makeCase(spec, 7, 12_007);
    fc.assert(
      fc.property(fc.float64Array({ minLength: W, maxLength: W, min: -10, max: 10, noNaN: true }), (u) => {
        const Gu = flattenParams(net.gaussNewton(c.params, c.X, c.T, unflattenParams(spec, u)));
        let quad = 0;
        let scale = 0;
        for (let i = 0; i < W; i++) {
          quad += u[i] * Gu[i];
          scale += Math.abs(u[i] * Gu[i]);
        }
        return quad >= -1e-12 * scale;
      }),
      { numRuns: 50, seed: 7 },
    );
  });
});

describe('gaussNewton vs the exact Hessian', () => {
  it('equals H·v when every residual y − t is zero (linear outputs, T = predict)', () => {
    // With δ = 0 the term Σ δ ∇∇a of PRML 5.83 vanishes, so G = H exactly: a check that does not use
    // the outer-product code at all.
    const spec = smallSpec('tanh', 'linear');
    const net = twoLayerNet(spec);
    const c = makeCase(spec, 9, 13_009);
    const T = predict(spec, c.params, c.X);
    const Gv = flattenParams(net.gaussNewton(c.params, c.X, T, c.v));
    const Hv = flattenParams(net.gradAndHvp(c.params, c.X, T, c.v).hvp);
    expect(relDiff(Gv, Hv)).toBeLessThan(1e-12);
  });

  it('differs from H·v when residuals are not zero (the test above can fail)', () => {
    const spec = smallSpec('tanh', 'linear');
    const net = twoLayerNet(spec);
    const c = makeCase(spec, 9, 13_009);
    const Gv = flattenParams(net.gaussNewton(c.params, c.X, c.T, c.v));
    const Hv = flattenParams(net.gradAndHvp(c.params, c.X, c.T, c.v).hvp);
    expect(relDiff(Gv, Hv)).toBeGreaterThan(1e-3);
  });
});
