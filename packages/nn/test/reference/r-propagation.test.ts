// Tests for the hand-derived R-propagation (PRML §5.4.6): value/gradient/Hv against finite differences for
// all 9 activation×output pairs, the full Hessian by finite differences, a closed-form 1-1-1 network worked
// out by hand, stability at huge pre-activations, and algebraic properties (symmetry, linearity in v,
// additivity over patterns).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  flattenParams,
  lossAndGrad,
  lossValue,
  paramCount,
  predict,
  rPropagation,
  unflattenParams,
} from '../../src/reference/index.js';
import type { TwoLayerParams, TwoLayerSpec } from '../../src/reference/index.js';
import {
  ACTIVATION_LIST,
  OUTPUT_LIST,
  RELU_MARGIN,
  dot,
  fdGradient,
  fdHessian,
  fdHvp,
  forwardByHand,
  hessianByRProp,
  makeCase,
  matVec,
  maxAbs,
  maxAbsDiff,
  maxHiddenShift,
  minAbsHidden,
  smallSpec,
} from './helpers.js';

const COMBOS = ACTIVATION_LIST.flatMap((activation) => OUTPUT_LIST.map((output) => ({ activation, output })));

/** Scale a flat direction into params layout (for maxHiddenShift). */
function scaled(spec: TwoLayerSpec, flat: Float64Array, s: number): TwoLayerParams {
  return unflattenParams(spec, flat.map((x) => x * s));
}

describe.each(COMBOS)('R-propagation, $activation hidden / $output output', ({ activation, output }) => {
  const spec = smallSpec(activation, output);

  it.each([1, 7, 64])('gradient and Hv match central finite differences (N = %i)', (N) => {
    const c = makeCase(spec, N, 1000 + N);
    const r = rPropagation(spec, c.params, c.X, c.T, c.v);
    const vFlat = flattenParams(c.v);

    if (activation === 'relu') {
      // The finite differences below move each a_j by at most this much; it must stay well inside the
      // distance to the kink, or FD would be differentiating across it.
      expect(minAbsHidden(spec, c.params, c.X)).toBeGreaterThan(RELU_MARGIN);
      expect(maxHiddenShift(spec, scaled(spec, vFlat, 1e-6), c.X)).toBeLessThan(RELU_MARGIN / 10);
      const maxW = maxAbs(flattenParams(c.params));
      expect(1e-6 * Math.max(1, maxW) * Math.max(1, maxAbs(c.X))).toBeLessThan(RELU_MARGIN / 10);
    }

    // value: the three entry points agree (they share one code path, but must not drift apart)
    expect(lossValue(spec, c.params, c.X, c.T)).toBe(r.value);
    expect(Number.isFinite(r.value)).toBe(true);

    // gradient vs central differences of lossValue
    const g = flattenParams(r.grad);
    const gFd = fdGradient(spec, c.params, c.X, c.T, 1e-6);
    for (let p = 0; p < g.length; p++) {
      expect(Math.abs(g[p] - gFd[p])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(gFd[p])));
    }
    expect(maxAbsDiff(flattenParams(lossAndGrad(spec, c.params, c.X, c.T).grad), g)).toBe(0);

    // Hv vs (g(w + εv) − g(w − εv)) / (2ε)
    const hv = flattenParams(r.hvp);
    const hvFd = fdHvp(spec, c.params, c.X, c.T, vFlat, 1e-6);
    for (let p = 0; p < hv.length; p++) {
      expect(Math.abs(hv[p] - hvFd[p])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(hvFd[p])));
    }
    // guard against a vacuous pass (e.g. everything zero)
    expect(maxAbs(hv)).toBeGreaterThan(1e-3);
  });

  it('full finite-difference Hessian is symmetric, and H·v and every R-prop column agree with it', () => {
    const c = makeCase(spec, 7, 77);
    const W = paramCount(spec);
    if (activation === 'relu') {
      expect(minAbsHidden(spec, c.params, c.X)).toBeGreaterThan(RELU_MARGIN);
    }
    const Hfd = fdHessian(spec, c.params, c.X, c.T, 1e-6);
    const scale = Math.max(1, maxAbs(Hfd));

    // symmetry of the FD Hessian (to FD accuracy): a sanity check on the gradient itself
    let asym = 0;
    for (let p = 0; p < W; p++) for (let q = 0; q < p; q++) asym = Math.max(asym, Math.abs(Hfd[p * W + q] - Hfd[q * W + p]));
    expect(asym).toBeLessThan(1e-6 * scale);

    // H·v from the FD matrix vs R-propagation
    const vFlat = flattenParams(c.v);
    const hv = flattenParams(rPropagation(spec, c.params, c.X, c.T, c.v).hvp);
    expect(maxAbsDiff(matVec(Hfd, vFlat), hv)).toBeLessThan(1e-6 * Math.max(scale, maxAbs(hv)));

    // every column H e_p from R-propagation vs FD, and the R-prop Hessian is symmetric to round-off:
    // 5.110 (second layer) and 5.111 (first layer) compute the two halves of each mixed block by
    // different formulas, so this symmetry is a genuine cross-check between them.
    const Hr = hessianByRProp(spec, c.params, c.X, c.T);
    expect(maxAbsDiff(Hr, Hfd)).toBeLessThan(1e-6 * scale);
    let asymR = 0;
    for (let p = 0; p < W; p++) for (let q = 0; q < p; q++) asymR = Math.max(asymR, Math.abs(Hr[p * W + q] - Hr[q * W + p]));
    expect(asymR).toBeLessThan(1e-12 * scale);
  });
});

describe('R-propagation, closed form for a 1-1-1 tanh / linear network worked out by hand', () => {
  // One input x, one hidden tanh unit, one linear output, sum-of-squares error, one pattern:
  //   a = α x + β,   z = tanh a,   y = γ z + η,   E = ½ (y − t)²,   r := y − t.
  // Parameters in the flat order w1, b1, w2, b2 are (α, β, γ, η).
  // With z' = 1 − z² and z'' = −2 z z', the chain rule gives
  //   ∂E/∂α = r γ z' x,   ∂E/∂β = r γ z',   ∂E/∂γ = r z,   ∂E/∂η = r,
  // and differentiating once more (∂r/∂α = γ z' x, ∂r/∂β = γ z', ∂r/∂γ = z, ∂r/∂η = 1, ∂z/∂α = z' x, ...)
  //   H_αα = x² (γ² z'² + r γ z''),  H_αβ = x (γ² z'² + r γ z''),  H_ββ = γ² z'² + r γ z''
  //   H_αγ = x z' (γ z + r),         H_βγ = z' (γ z + r)
  //   H_αη = x γ z',                 H_βη = γ z'
  //   H_γγ = z²,  H_γη = z,  H_ηη = 1.
  // Choose x = 2, α = ¼ ln 3, β = 0 so that a = ½ ln 3 and z = tanh(½ ln 3) = (3 − 1)/(3 + 1) = ½ exactly;
  // then z' = ¾, z'' = −¾. With γ = 2, η = 0, t = ½: y = 1, r = ½, E = ⅛, and
  //   ∇E = (½·2·¾·2, ½·2·¾, ½·½, ½) = (1.5, 0.75, 0.25, 0.5)
  //   γ² z'² + r γ z'' = 4·9/16 − ½·2·¾ = 2.25 − 0.75 = 1.5, so
  //   H = [[6,    3,     2.25,  3  ],
  //        [3,    1.5,   1.125, 1.5],
  //        [2.25, 1.125, 0.25,  0.5],
  //        [3,    1.5,   0.5,   1  ]]
  // and for v = (1, −1, 2, ½):  H v = (6 − 3 + 4.5 + 1.5, 3 − 1.5 + 2.25 + 0.75, 2.25 − 1.125 + 0.5 + 0.25, 3 − 1.5 + 1 + 0.5)
  //                                 = (9, 4.5, 1.875, 3).
  const spec: TwoLayerSpec = { inputs: 1, hidden: 1, outputs: 1, activation: 'tanh', output: 'linear' };
  const params: TwoLayerParams = {
    w1: Float64Array.of(Math.log(3) / 4),
    b1: Float64Array.of(0),
    w2: Float64Array.of(2),
    b2: Float64Array.of(0),
  };
  const X = [2];
  const T = [0.5];
  const v: TwoLayerParams = {
    w1: Float64Array.of(1),
    b1: Float64Array.of(-1),
    w2: Float64Array.of(2),
    b2: Float64Array.of(0.5),
  };

  it('value, gradient and H·v equal the hand-computed numbers', () => {
    const r = rPropagation(spec, params, X, T, v);
    expect(r.value).toBeCloseTo(0.125, 14);
    const g = flattenParams(r.grad);
    [1.5, 0.75, 0.25, 0.5].forEach((e, p) => expect(g[p]).toBeCloseTo(e, 12));
    const hv = flattenParams(r.hvp);
    [9, 4.5, 1.875, 3].forEach((e, p) => expect(hv[p]).toBeCloseTo(e, 12));
  });

  it('every Hessian entry equals the symbolic formula at a generic point', () => {
    // Same formulas as above, evaluated at a point where nothing is a round number.
    const x = -0.7, al = 0.9, be = 0.3, ga = -1.3, et = 0.2, t = 0.4;
    const p: TwoLayerParams = { w1: Float64Array.of(al), b1: Float64Array.of(be), w2: Float64Array.of(ga), b2: Float64Array.of(et) };
    const z = Math.tanh(al * x + be);
    const z1 = 1 - z * z;
    const z2 = -2 * z * z1;
    const r = ga * z + et - t;
    const c = ga * ga * z1 * z1 + r * ga * z2;
    const Hhand = [
      [x * x * c, x * c, x * z1 * (ga * z + r), x * ga * z1],
      [x * c, c, z1 * (ga * z + r), ga * z1],
      [x * z1 * (ga * z + r), z1 * (ga * z + r), z * z, z],
      [x * ga * z1, ga * z1, z, 1],
    ];
    for (let q = 0; q < 4; q++) {
      const e = new Float64Array(4);
      e[q] = 1;
      const col = flattenParams(rPropagation(spec, p, [x], [t], unflattenParams(spec, e)).hvp);
      for (let row = 0; row < 4; row++) expect(col[row]).toBeCloseTo(Hhand[row][q], 13);
    }
    expect(lossValue(spec, p, [x], [t])).toBeCloseTo(0.5 * r * r, 15);
  });

  it('E, ∇E and Hv are sums over patterns: two copies of the pattern double everything', () => {
    const r = rPropagation(spec, params, [2, 2], [0.5, 0.5], v);
    expect(r.value).toBeCloseTo(0.25, 14);
    const hv = flattenParams(r.hvp);
    [18, 9, 3.75, 6].forEach((e, p) => expect(hv[p]).toBeCloseTo(e, 12));
  });
});

describe('R-propagation, algebraic properties', () => {
  it('uᵀ(H v) = vᵀ(H u) and H(αu + βv) = αHu + βHv for random networks and directions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: COMBOS.length - 1 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.integer({ min: 1, max: 9 }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        (ci, seed, N, alpha, beta) => {
          const spec = smallSpec(COMBOS[ci].activation, COMBOS[ci].output);
          const c = makeCase(spec, N, seed);
          const u = makeCase(spec, 1, seed + 7919).v;
          const Hv = flattenParams(rPropagation(spec, c.params, c.X, c.T, c.v).hvp);
          const Hu = flattenParams(rPropagation(spec, c.params, c.X, c.T, u).hvp);
          const uf = flattenParams(u);
          const vf = flattenParams(c.v);
          const scale = Math.max(1, maxAbs(Hv), maxAbs(Hu)) * Math.max(1, maxAbs(uf), maxAbs(vf)) * uf.length;
          expect(Math.abs(dot(uf, Hv) - dot(vf, Hu))).toBeLessThan(1e-12 * scale);

          const comb = unflattenParams(spec, uf.map((x, p) => alpha * x + beta * vf[p]));
          const Hcomb = flattenParams(rPropagation(spec, c.params, c.X, c.T, comb).hvp);
          const expected = Hu.map((x, p) => alpha * x + beta * Hv[p]);
          expect(maxAbsDiff(Hcomb, expected)).toBeLessThan(1e-12 * Math.max(1, maxAbs(Hu), maxAbs(Hv)) * 10);
        },
      ),
      { numRuns: 60, seed: 20240611 },
    );
  });

  it('value, gradient and Hv of a data set are the sums over any split of it', () => {
    for (const { activation, output } of COMBOS) {
      const spec = smallSpec(activation, output);
      const c = makeCase(spec, 10, 4242);
      const { inputs: D, outputs: K } = spec;
      const whole = rPropagation(spec, c.params, c.X, c.T, c.v);
      const a = rPropagation(spec, c.params, c.X.subarray(0, 3 * D), c.T.subarray(0, 3 * K), c.v);
      const b = rPropagation(spec, c.params, c.X.subarray(3 * D), c.T.subarray(3 * K), c.v);
      expect(whole.value).toBeCloseTo(a.value + b.value, 12);
      const sumG = flattenParams(a.grad).map((x, p) => x + flattenParams(b.grad)[p]);
      const sumH = flattenParams(a.hvp).map((x, p) => x + flattenParams(b.hvp)[p]);
      expect(maxAbsDiff(flattenParams(whole.grad), sumG)).toBeLessThan(1e-12);
      expect(maxAbsDiff(flattenParams(whole.hvp), sumH)).toBeLessThan(1e-12);
    }
  });

  it('predict matches an independent forward pass written from the layout contract', () => {
    for (const { activation, output } of COMBOS) {
      const spec = smallSpec(activation, output);
      const c = makeCase(spec, 5, 99);
      expect(maxAbsDiff(predict(spec, c.params, c.X), forwardByHand(spec, c.params, c.X).y)).toBeLessThan(1e-14);
    }
  });

  it('the layout is w_ji at j·D + i and w_kj at k·H + j', () => {
    // D=2, H=2, K=2, relu hidden (identity for positive a), linear output: y is a hand-computable
    // product of the weight matrices, and any transposition of the layout changes it.
    const spec: TwoLayerSpec = { inputs: 2, hidden: 2, outputs: 2, activation: 'relu', output: 'linear' };
    const params: TwoLayerParams = {
      w1: Float64Array.of(1, 2, 3, 4), // w_00 = 1, w_01 = 2, w_10 = 3, w_11 = 4
      b1: Float64Array.of(0.5, -0.5),
      w2: Float64Array.of(10, 20, 30, 40), // w_00 = 10, w_01 = 20, w_10 = 30, w_11 = 40
      b2: Float64Array.of(1, 2),
    };
    // x = (1, 1): a_0 = 1 + 2 + 0.5 = 3.5, a_1 = 3 + 4 − 0.5 = 6.5 (both > 0, so z = a)
    // y_0 = 10·3.5 + 20·6.5 + 1 = 166, y_1 = 30·3.5 + 40·6.5 + 2 = 367
    expect(Array.from(predict(spec, params, [1, 1]))).toEqual([166, 367]);
    // x = (1, 0): a_0 = 1.5, a_1 = 2.5; y_0 = 15 + 50 + 1 = 66, y_1 = 45 + 100 + 2 = 147
    expect(Array.from(predict(spec, params, [1, 0]))).toEqual([66, 147]);
  });
});

describe('R-propagation, numerical stability', () => {
  it('logistic outputs with |a_k| ≈ 1000 give a finite value, gradient and Hv', () => {
    const spec: TwoLayerSpec = { inputs: 1, hidden: 1, outputs: 2, activation: 'tanh', output: 'logistic' };
    const params: TwoLayerParams = {
      w1: Float64Array.of(1),
      b1: Float64Array.of(0),
      w2: Float64Array.of(0, 0),
      b2: Float64Array.of(1000, -1000),
    };
    const v: TwoLayerParams = { w1: Float64Array.of(1), b1: Float64Array.of(1), w2: Float64Array.of(1, 1), b2: Float64Array.of(1, 1) };
    // Both outputs confidently wrong: a = 1000 with t = 0 and a = −1000 with t = 1. Each costs
    // −ln(1 − σ(1000)) = −ln σ(−1000) = softplus(1000) = 1000 (naively: −ln 0 = ∞).
    const r = rPropagation(spec, params, [0.3], [0, 1], v);
    expect(r.value).toBe(2000);
    // δ_k = y_k − t_k = (1 − 0, 0 − 1); ∂E/∂b_k = δ_k, ∂E/∂w_kj = δ_k z_j with z = tanh 0.3.
    expect(Array.from(r.grad.b2)).toEqual([1, -1]);
    expect(r.grad.w2[0]).toBeCloseTo(Math.tanh(0.3), 15);
    expect(r.grad.w2[1]).toBeCloseTo(-Math.tanh(0.3), 15);
    for (const block of [r.grad, r.hvp]) for (const arr of Object.values(block)) for (const x of arr) expect(Number.isFinite(x)).toBe(true);

    // Both outputs confidently right: the error is e^(−1000)-small but computed without NaN.
    const ok = rPropagation(spec, params, [0.3], [1, 0], v);
    expect(ok.value).toBeGreaterThanOrEqual(0);
    expect(ok.value).toBeLessThan(1e-300);
    expect(Array.from(ok.grad.b2)).toEqual([0, 0]);
  });

  it('softmax with logits ±1000 and saturated hidden units stays finite', () => {
    for (const activation of ACTIVATION_LIST) {
      const spec: TwoLayerSpec = { inputs: 1, hidden: 1, outputs: 3, activation, output: 'softmax' };
      const params: TwoLayerParams = {
        w1: Float64Array.of(1),
        b1: Float64Array.of(0),
        w2: Float64Array.of(0, 0, 0),
        b2: Float64Array.of(1000, -1000, 0),
      };
      const v: TwoLayerParams = { w1: Float64Array.of(1), b1: Float64Array.of(1), w2: Float64Array.of(1, -1, 1), b2: Float64Array.of(1, 1, 1) };
      // hidden a = ±1000 saturates tanh/logistic (h' = 0); target is the class with logit −1000:
      // E = lse(a) − a_1 = 1000 − (−1000) = 2000.
      const r = rPropagation(spec, params, [1000, -1000], [0, 1, 0, 0, 1, 0], v);
      expect(r.value).toBe(4000);
      for (const block of [r.grad, r.hvp]) for (const arr of Object.values(block)) for (const x of arr) expect(Number.isFinite(x)).toBe(true);
    }
  });
});
