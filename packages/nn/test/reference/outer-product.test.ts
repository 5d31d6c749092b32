// Tests for the outer-product / Gauss–Newton Hessian approximation (PRML §5.4.2): symmetry, positive
// semi-definiteness, equality with the exact Hessian when every residual vanishes, and agreement with an
// independent construction Σ_n J_nᵀ H_L J_n from a finite-difference Jacobian.

import { describe, expect, it } from 'vitest';
import { flattenParams, mulberry32, outerProductHessian, paramCount, unflattenParams } from '../../src/reference/index.js';
import type { TwoLayerSpec } from '../../src/reference/index.js';
import {
  ACTIVATION_LIST,
  OUTPUT_LIST,
  dot,
  forwardByHand,
  hessianByRProp,
  makeCase,
  matVec,
  maxAbs,
  maxAbsDiff,
  smallSpec,
} from './helpers.js';

const COMBOS = ACTIVATION_LIST.flatMap((activation) => OUTPUT_LIST.map((output) => ({ activation, output })));

describe.each(COMBOS)('outerProductHessian, $activation hidden / $output output', ({ activation, output }) => {
  const spec = smallSpec(activation, output);
  const W = paramCount(spec);

  it('is W×W, exactly symmetric and positive semi-definite', () => {
    const c = makeCase(spec, 20, 5150);
    const G = outerProductHessian(spec, c.params, c.X, c.T);
    expect(G.length).toBe(W * W);
    for (let p = 0; p < W; p++) for (let q = 0; q < p; q++) expect(G[p * W + q]).toBe(G[q * W + p]);
    const scale = maxAbs(G);
    expect(scale).toBeGreaterThan(0);
    const rand = mulberry32(31337);
    for (let trial = 0; trial < 50; trial++) {
      const v = Float64Array.from({ length: W }, () => 2 * rand() - 1);
      expect(dot(v, matVec(G, v))).toBeGreaterThanOrEqual(-1e-12 * scale * dot(v, v));
    }
    // diagonal of a PSD matrix is non-negative
    for (let p = 0; p < W; p++) expect(G[p * W + p]).toBeGreaterThanOrEqual(0);
  });

  it('equals the exact Hessian when the targets are the network outputs (all residuals zero)', () => {
    const c = makeCase(spec, 9, 2718);
    // Targets := outputs, from an independent forward pass. For logistic these are soft targets in (0, 1),
    // for softmax rows summing to 1 — valid targets, so the residual term Σ δ_k ∇∇a_k vanishes for all
    // three canonical pairs, not only for linear + sum of squares.
    const T = forwardByHand(spec, c.params, c.X).y;
    const G = outerProductHessian(spec, c.params, c.X, T);
    const H = hessianByRProp(spec, c.params, c.X, T);
    expect(maxAbsDiff(G, H)).toBeLessThan(1e-10 * Math.max(1, maxAbs(H)));
  });

  it('with nonzero residuals differs from the exact Hessian (the dropped term is real)', () => {
    const c = makeCase(spec, 9, 2718);
    const G = outerProductHessian(spec, c.params, c.X, c.T);
    const H = hessianByRProp(spec, c.params, c.X, c.T);
    expect(maxAbsDiff(G, H)).toBeGreaterThan(1e-3);
  });

  it('matches Σ_n J_nᵀ H_L J_n built from a finite-difference Jacobian of the output pre-activations', () => {
    const c = makeCase(spec, 6, 1618);
    const { outputs: K } = spec;
    const N = c.X.length / spec.inputs;
    const w = flattenParams(c.params);
    // J[n][k][p] = ∂a_nk/∂w_p by central differences of the independent forward pass
    const eps = 1e-6;
    const J: number[][][] = Array.from({ length: N }, () => Array.from({ length: K }, () => new Array<number>(W).fill(0)));
    for (let p = 0; p < W; p++) {
      const wp = w.slice();
      wp[p] += eps;
      const ap = forwardByHand(spec, unflattenParams(spec, wp), c.X).aK;
      wp[p] -= 2 * eps;
      const am = forwardByHand(spec, unflattenParams(spec, wp), c.X).aK;
      for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) J[n][k][p] = (ap[n * K + k] - am[n * K + k]) / (2 * eps);
    }
    const y = forwardByHand(spec, c.params, c.X).y;
    const Gref = new Float64Array(W * W);
    for (let n = 0; n < N; n++) {
      // H_L = ∂²E_n/∂a∂aᵀ for the canonical pair
      const HL = (k: number, l: number): number => {
        const yk = y[n * K + k];
        if (output === 'linear') return k === l ? 1 : 0;
        if (output === 'logistic') return k === l ? yk * (1 - yk) : 0;
        return (k === l ? yk : 0) - yk * y[n * K + l];
      };
      for (let k = 0; k < K; k++) {
        for (let l = 0; l < K; l++) {
          const hkl = HL(k, l);
          if (hkl === 0) continue;
          for (let p = 0; p < W; p++) for (let q = 0; q < W; q++) Gref[p * W + q] += J[n][k][p] * hkl * J[n][l][q];
        }
      }
    }
    const G = outerProductHessian(spec, c.params, c.X, c.T);
    expect(maxAbsDiff(G, Gref)).toBeLessThan(1e-7 * Math.max(1, maxAbs(Gref)));
  });
});

describe('outerProductHessian, linear output: Σ_n b_n b_nᵀ of PRML 5.84 by hand', () => {
  it('1-1-1 tanh network: G = b bᵀ with b = ∇y = (γ z\' x, γ z\', z, 1)', () => {
    const spec: TwoLayerSpec = { inputs: 1, hidden: 1, outputs: 1, activation: 'tanh', output: 'linear' };
    const x = 0.8, al = -0.6, be = 0.25, ga = 1.7, et = -0.1;
    const params = { w1: Float64Array.of(al), b1: Float64Array.of(be), w2: Float64Array.of(ga), b2: Float64Array.of(et) };
    const z = Math.tanh(al * x + be);
    const z1 = 1 - z * z;
    const b = [ga * z1 * x, ga * z1, z, 1];
    // the target does not enter G at all
    for (const t of [-5, 0, 3]) {
      const G = outerProductHessian(spec, params, [x], [t]);
      for (let p = 0; p < 4; p++) for (let q = 0; q < 4; q++) expect(G[p * 4 + q]).toBeCloseTo(b[p] * b[q], 14);
    }
  });
});
