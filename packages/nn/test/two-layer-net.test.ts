// The AD network against the hand-derived R-propagation (PRML 5.98–5.111) for all 9 activation/output
// pairs, against finite differences of gradients, and against its own full Hessian.
import { gradAndHvp as coreGradAndHvp } from '@dualtape/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  flattenParams,
  lossValue,
  paramCount,
  rPropagation,
  toParamTree,
  twoLayerNet,
  unflattenParams,
} from '../src/index.js';
import {
  ACTIVATION_LIST,
  OUTPUT_LIST,
  forwardByHand,
  hessianByRProp,
  makeCase,
  maxAbs,
  maxAbsDiff,
  smallSpec,
} from './reference/helpers.js';
import { fdHvpEngine, matVec, relDiff } from './helpers.js';

const COMBOS = ACTIVATION_LIST.flatMap((activation) => OUTPUT_LIST.map((output) => ({ activation, output })));

describe.each(COMBOS)('twoLayerNet, $activation hidden / $output output', ({ activation, output }) => {
  const spec = smallSpec(activation, output);
  const net = twoLayerNet(spec);

  it.each([1, 7, 64])('value, gradient and H·v equal rPropagation to 1e-12 relative (N = %i, biases in v)', (N) => {
    const c = makeCase(spec, N, 2000 + N);
    // The direction must move the biases too, or a bug on the bias paths would go unseen.
    expect(maxAbs(c.v.b1)).toBeGreaterThan(0.1);
    expect(maxAbs(c.v.b2)).toBeGreaterThan(0.1);
    const engine = net.gradAndHvp(c.params, c.X, c.T, c.v);
    const ref = rPropagation(spec, c.params, c.X, c.T, c.v);
    expect(Math.abs(engine.value - ref.value)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.value)));
    expect(relDiff(flattenParams(engine.grad), flattenParams(ref.grad))).toBeLessThan(1e-12);
    expect(relDiff(flattenParams(engine.hvp), flattenParams(ref.hvp))).toBeLessThan(1e-12);
    // valueAndGrad and loss take a different path through core (no tangents): same numbers.
    const vg = net.valueAndGrad(c.params, c.X, c.T);
    expect(relDiff(flattenParams(vg.grad), flattenParams(ref.grad))).toBeLessThan(1e-12);
    expect(Math.abs(net.loss(c.params, c.X, c.T) - lossValue(spec, c.params, c.X, c.T))).toBeLessThanOrEqual(
      1e-12 * Math.max(1, Math.abs(ref.value)),
    );
  });

  it('engine and reference H·v both match central differences of the gradient, and net.hessian(…)·v', () => {
    const c = makeCase(spec, 7, 3007);
    const engine = flattenParams(net.gradAndHvp(c.params, c.X, c.T, c.v).hvp);
    const ref = flattenParams(rPropagation(spec, c.params, c.X, c.T, c.v).hvp);
    const fd = fdHvpEngine(net, c.params, c.X, c.T, c.v);
    // Central differences with ε = 1e-6: truncation ~ε² and rounding ~1e-16/ε, so ~1e-8 relative.
    expect(relDiff(engine, fd)).toBeLessThan(1e-6);
    expect(relDiff(ref, fd)).toBeLessThan(1e-6);
    const H = net.hessian(c.params, c.X, c.T);
    expect(H.length).toBe(paramCount(spec) ** 2);
    expect(relDiff(matVec(H, flattenParams(c.v)), engine)).toBeLessThan(1e-12);
  });

  it('the full Hessian is symmetric and equals the one assembled from R-propagation', () => {
    const c = makeCase(spec, 7, 4007);
    const W = paramCount(spec);
    const H = net.hessian(c.params, c.X, c.T);
    const scale = maxAbs(H);
    let asym = 0;
    for (let p = 0; p < W; p++) for (let q = 0; q < p; q++) asym = Math.max(asym, Math.abs(H[p * W + q] - H[q * W + p]));
    expect(asym).toBeLessThan(1e-12 * scale);
    expect(maxAbsDiff(H, hessianByRProp(spec, c.params, c.X, c.T))).toBeLessThan(1e-12 * scale);
  });

  it('predict and hiddenOutputs match a forward pass written from the layout contract', () => {
    const c = makeCase(spec, 7, 5007);
    const byHand = forwardByHand(spec, c.params, c.X);
    expect(maxAbsDiff(net.predict(c.params, c.X), byHand.y)).toBeLessThan(1e-14);
    const h = (a: number) => (activation === 'tanh' ? Math.tanh(a) : activation === 'logistic' ? 1 / (1 + Math.exp(-a)) : Math.max(0, a));
    expect(maxAbsDiff(net.hiddenOutputs(c.params, c.X), byHand.aJ.map(h))).toBeLessThan(1e-14);
  });

  it('H·v is linear in v (property)', () => {
    const c = makeCase(spec, 3, 6003);
    const W = paramCount(spec);
    fc.assert(
      fc.property(
        fc.float64Array({ minLength: W, maxLength: W, min: -2, max: 2, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        (u, alpha) => {
          const a = flattenParams(net.gradAndHvp(c.params, c.X, c.T, unflattenParams(spec, u)).hvp);
          const combined = unflattenParams(spec, u.map((x, i) => alpha * x + flattenParams(c.v)[i]));
          const b = flattenParams(net.gradAndHvp(c.params, c.X, c.T, combined).hvp);
          const base = flattenParams(net.gradAndHvp(c.params, c.X, c.T, c.v).hvp);
          const expected = a.map((x, i) => alpha * x + base[i]);
          return maxAbsDiff(b, expected) <= 1e-11 * Math.max(1, maxAbs(expected));
        },
      ),
      { numRuns: 20, seed: 42 },
    );
  });
});

describe('twoLayerNet plumbing', () => {
  const spec = smallSpec('tanh', 'linear');
  const net = twoLayerNet(spec);

  it('flattens in the order w1, b1, w2, b2 whatever the key order of the caller’s object', () => {
    const c = makeCase(spec, 5, 7005);
    const shuffled = { b2: c.params.b2, w2: c.params.w2, b1: c.params.b1, w1: c.params.w1 };
    expect(net.hessian(shuffled, c.X, c.T)).toEqual(net.hessian(c.params, c.X, c.T));
    const vShuffled = { b1: c.v.b1, w1: c.v.w1, b2: c.v.b2, w2: c.v.w2 };
    const hvp = net.gradAndHvp(shuffled, c.X, c.T, vShuffled).hvp;
    expect(Object.keys(hvp)).toEqual(['w1', 'b1', 'w2', 'b2']);
    expect(relDiff(flattenParams(hvp), flattenParams(rPropagation(spec, c.params, c.X, c.T, c.v).hvp))).toBeLessThan(1e-12);
  });

  it('lossFn is a plain core function: core.gradAndHvp on it gives the reference H·v', () => {
    const c = makeCase(spec, 4, 8004);
    const r = coreGradAndHvp(net.lossFn(c.X, c.T), toParamTree(spec, c.params), toParamTree(spec, c.v));
    expect(relDiff(flattenParams(r.hvp), flattenParams(rPropagation(spec, c.params, c.X, c.T, c.v).hvp))).toBeLessThan(1e-12);
  });

  it('spec and paramCount describe the network; init is the reference initParams', () => {
    expect(net.spec).toEqual(spec);
    expect(Object.isFrozen(net.spec)).toBe(true);
    expect(net.paramCount).toBe(3 * 4 + 4 + 2 * 4 + 2);
    expect(net.init(3)).toEqual(net.init(3));
    expect(net.init(3)).not.toEqual(net.init(4));
  });

  it('stays finite and matches the reference at huge pre-activations (stable softplus / log-sum-exp)', () => {
    for (const output of ['logistic', 'softmax'] as const) {
      const s = smallSpec('relu', output);
      const n = twoLayerNet(s);
      const c = makeCase(s, 5, 9005);
      const big = { ...c.params, w2: c.params.w2.map((x) => x * 1e3), b2: c.params.b2.map((x) => x * 1e3) };
      const engine = n.gradAndHvp(big, c.X, c.T, c.v);
      const ref = rPropagation(s, big, c.X, c.T, c.v);
      expect(Number.isFinite(engine.value)).toBe(true);
      expect(Math.abs(engine.value - ref.value)).toBeLessThan(1e-12 * Math.abs(ref.value));
      expect(relDiff(flattenParams(engine.hvp), flattenParams(ref.hvp))).toBeLessThan(1e-12);
    }
  });
});
