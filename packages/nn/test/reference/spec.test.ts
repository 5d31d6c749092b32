// Tests for the network spec module: validation errors (class and message contents), the parameter
// layout and flattening, the seeded PRNG/initialisation, and the activation functions h, h', h''.

import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  NetworkDataError,
  NetworkShapeError,
  NetworkSpecError,
  activationFunctions,
  flattenParams,
  initParams,
  logisticSigmoid,
  lossValue,
  mulberry32,
  outerProductHessian,
  paramCount,
  paramOffsets,
  rPropagation,
  softplus,
  unflattenParams,
  validateData,
  validateParams,
  validateSpec,
  zeroParams,
} from '../../src/reference/index.js';
import type { Activation, TwoLayerParams, TwoLayerSpec } from '../../src/reference/index.js';

const spec: TwoLayerSpec = { inputs: 3, hidden: 4, outputs: 2, activation: 'tanh', output: 'linear' };

/** Runs fn, asserts it throws an instance of `cls`, and returns the message. */
function thrown(fn: () => unknown, cls: new (...args: never[]) => Error): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).name).toBe(cls.name);
    return (e as Error).message;
  }
  throw new Error(`expected ${cls.name} to be thrown`);
}

describe('validateSpec', () => {
  it('accepts every activation × output pair', () => {
    for (const activation of ['tanh', 'logistic', 'relu'] as const) {
      for (const output of ['linear', 'logistic', 'softmax'] as const) {
        expect(() => validateSpec({ ...spec, activation, output })).not.toThrow();
      }
    }
  });

  it('rejects an unknown activation, naming it and listing the allowed ones', () => {
    const msg = thrown(() => validateSpec({ ...spec, activation: 'sigmoid' }), NetworkSpecError);
    expect(msg).toContain('sigmoid');
    for (const name of ['tanh', 'logistic', 'relu']) expect(msg).toContain(name);
    // and through the public computations too
    const bad = { ...spec, activation: 'gelu' as Activation };
    const p = initParams(spec, 1);
    expect(() => lossValue(bad, p, [0, 0, 0], [0, 0])).toThrow(NetworkSpecError);
  });

  it('rejects an unknown output kind', () => {
    const msg = thrown(() => validateSpec({ ...spec, output: 'identity' }), NetworkSpecError);
    expect(msg).toContain('identity');
    for (const name of ['linear', 'logistic', 'softmax']) expect(msg).toContain(name);
  });

  it.each([
    ['inputs', 0],
    ['hidden', -1],
    ['outputs', 2.5],
    ['inputs', Number.NaN],
    ['hidden', '4'],
  ])('rejects %s = %s as a non-positive-integer size', (key, value) => {
    const msg = thrown(() => validateSpec({ ...spec, [key]: value }), NetworkSpecError);
    expect(msg).toContain(`spec.${key}`);
    expect(msg).toContain('positive integer');
    expect(msg).toContain(String(value));
  });

  it('rejects a non-object', () => {
    thrown(() => validateSpec(null), NetworkSpecError);
  });

  it("rejects output 'softmax' with one output (the constant 1: loss and gradient always 0) and points to 'logistic'", () => {
    const msg = thrown(() => validateSpec({ ...spec, outputs: 1, output: 'softmax' }), NetworkSpecError);
    expect(msg).toContain("'softmax' needs spec.outputs (K) ≥ 2, got 1");
    expect(msg).toContain("for one output use 'logistic'");
    expect(() => validateSpec({ ...spec, outputs: 2, output: 'softmax' })).not.toThrow();
    for (const output of ['linear', 'logistic'] as const) expect(() => validateSpec({ ...spec, outputs: 1, output })).not.toThrow();
  });
});

describe('validateParams', () => {
  it('accepts correctly sized params', () => {
    expect(() => validateParams(spec, zeroParams(spec))).not.toThrow();
  });

  it('names the key, expected and actual length on a wrong length', () => {
    const p = { ...zeroParams(spec), w1: new Float64Array(11) };
    const msg = thrown(() => validateParams(spec, p), NetworkShapeError);
    expect(msg).toContain('params.w1');
    expect(msg).toContain('11');
    expect(msg).toContain('12'); // H×D = 4×3
    const msg2 = thrown(() => validateParams(spec, { ...zeroParams(spec), w2: new Float64Array(9) }), NetworkShapeError);
    expect(msg2).toMatch(/w2.*9.*K×H = 2×4 = 8/);
  });

  it('names a missing key and the expected length', () => {
    const { b2: _omit, ...rest } = zeroParams(spec);
    const msg = thrown(() => validateParams(spec, rest), NetworkShapeError);
    expect(msg).toContain('b2');
    expect(msg).toContain('missing');
    expect(msg).toContain('2');
  });

  it('rejects a plain array in place of a Float64Array', () => {
    const msg = thrown(() => validateParams(spec, { ...zeroParams(spec), b1: [0, 0, 0, 0] }), NetworkShapeError);
    expect(msg).toContain('b1');
    expect(msg).toContain('Float64Array');
  });

  it('reports a bad direction v under the name v', () => {
    const p = initParams(spec, 1);
    const v = { ...zeroParams(spec), b1: new Float64Array(3) };
    const msg = thrown(() => rPropagation(spec, p, [0, 0, 0], [0, 0], v), NetworkShapeError);
    expect(msg).toContain('v.b1');
    expect(msg).toContain('3');
    expect(msg).toContain('4');
  });

  it('is enforced by every computation', () => {
    const p = { ...initParams(spec, 1), b2: new Float64Array(5) };
    expect(() => lossValue(spec, p, [0, 0, 0], [0, 0])).toThrow(/b2 has length 5 but K = 2/);
    expect(() => outerProductHessian(spec, p, [0, 0, 0], [0, 0])).toThrow(NetworkShapeError);
  });
});

describe('validateData', () => {
  const s3 = { ...spec, outputs: 3 };

  it('returns N for well-shaped data (Float64Array or number[])', () => {
    expect(validateData(s3, new Float64Array(15), new Float64Array(15))).toBe(5);
    expect(validateData(spec, [1, 2, 3, 4, 5, 6], [0, 0, 1, 1])).toBe(2);
  });

  it('X length not a multiple of D', () => {
    const msg = thrown(() => validateData(s3, new Float64Array(7), new Float64Array(6)), NetworkShapeError);
    expect(msg).toBe('X has length 7, which is not a multiple of D = 3');
  });

  it('T length not N×K', () => {
    const msg = thrown(() => validateData(s3, new Float64Array(15), new Float64Array(10)), NetworkShapeError);
    expect(msg).toBe('T has length 10 but N×K = 5×3 = 15');
  });

  it('empty X', () => {
    const msg = thrown(() => validateData(s3, [], []), NetworkShapeError);
    expect(msg).toContain('X has length 0');
  });

  it('is enforced by every computation', () => {
    const p = initParams(spec, 1);
    expect(() => lossValue(spec, p, [1, 2, 3, 4], [0, 0])).toThrow(/X has length 4, which is not a multiple of D = 3/);
    expect(() => rPropagation(spec, p, [1, 2, 3], [0, 0, 0], p)).toThrow(/T has length 3 but N×K = 1×2 = 2/);
    expect(() => outerProductHessian(spec, p, [1, 2], [0, 0])).toThrow(NetworkShapeError);
  });

  it('non-finite entries and targets invalid for the output kind', () => {
    expect(() => validateData(spec, [1, Number.NaN, 3], [0, 0])).toThrow(NetworkDataError);
    expect(() => validateData(spec, [1, 2, 3], [0, Infinity])).toThrow(NetworkDataError);
    const logistic = { ...spec, output: 'logistic' as const };
    expect(() => validateData(logistic, [1, 2, 3], [0.2, 1])).not.toThrow();
    expect(thrown(() => validateData(logistic, [1, 2, 3], [0.2, 1.5]), NetworkDataError)).toContain('1.5');
    const softmax = { ...spec, outputs: 3, output: 'softmax' as const };
    expect(() => validateData(softmax, [1, 2, 3], [0.2, 0.3, 0.5])).not.toThrow();
    // a row that does not sum to 1 would make δ_k = y_k − t_k the wrong gradient
    expect(thrown(() => validateData(softmax, [1, 2, 3], [0.2, 0.3, 0.4]), NetworkDataError)).toContain('sum');
    expect(() => validateData(softmax, [1, 2, 3], [1.5, -0.5, 0])).toThrow(NetworkDataError);
    // linear targets may be anything finite
    expect(() => validateData(spec, [1, 2, 3], [-1e6, 42])).not.toThrow();
  });
});

describe('parameter vector', () => {
  it('paramCount = H·D + H + K·H + K', () => {
    expect(paramCount(spec)).toBe(12 + 4 + 8 + 2);
    expect(paramCount({ ...spec, inputs: 1, hidden: 1, outputs: 1 })).toBe(4);
    expect(paramCount({ ...spec, inputs: 784, hidden: 100, outputs: 10 })).toBe(78400 + 100 + 1000 + 10);
  });

  it('flattens in the order w1, b1, w2, b2 and unflattens back into fresh storage', () => {
    const p: TwoLayerParams = zeroParams(spec);
    p.w1.forEach((_, m) => (p.w1[m] = 100 + m));
    p.b1.forEach((_, m) => (p.b1[m] = 200 + m));
    p.w2.forEach((_, m) => (p.w2[m] = 300 + m));
    p.b2.forEach((_, m) => (p.b2[m] = 400 + m));
    const flat = flattenParams(p);
    expect(flat.length).toBe(26);
    expect(flat[0]).toBe(100);
    expect(flat[11]).toBe(111);
    expect(flat[12]).toBe(200);
    expect(flat[16]).toBe(300);
    expect(flat[24]).toBe(400);
    expect(flat[25]).toBe(401);
    expect(paramOffsets(spec)).toEqual({ w1: 0, b1: 12, w2: 16, b2: 24 });
    const back = unflattenParams(spec, flat);
    expect(back).toEqual(p);
    back.w1[0] = -1;
    expect(flat[0]).toBe(100); // not a view
    expect(unflattenParams(spec, Array.from(flat))).toEqual(p);
  });

  it('unflattenParams rejects a wrong length, naming expected and actual', () => {
    const msg = thrown(() => unflattenParams(spec, new Float64Array(25)), NetworkShapeError);
    expect(msg).toContain('25');
    expect(msg).toContain('26');
  });
});

describe('mulberry32 and initParams', () => {
  it('mulberry32 is deterministic, in [0, 1), and roughly uniform', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const c = mulberry32(124);
    const xs = Array.from({ length: 2000 }, () => a());
    const ys = Array.from({ length: 2000 }, () => b());
    const zs = Array.from({ length: 2000 }, () => c());
    expect(xs).toEqual(ys);
    expect(xs).not.toEqual(zs);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.03); // σ of the mean ≈ 0.29/√2000 ≈ 0.0065
  });

  it('initParams is reproducible and scaled by 1/√fan-in', () => {
    const big = { ...spec, inputs: 16, hidden: 25 };
    const p = initParams(big, 7);
    expect(initParams(big, 7)).toEqual(p);
    expect(flattenParams(initParams(big, 8))).not.toEqual(flattenParams(p));
    expect(() => validateParams(big, p)).not.toThrow();
    for (const w of p.w1) expect(Math.abs(w)).toBeLessThanOrEqual(1 / 4);
    for (const w of p.w2) expect(Math.abs(w)).toBeLessThanOrEqual(1 / 5);
    for (const b of [...p.b1, ...p.b2]) expect(Math.abs(b)).toBeLessThanOrEqual(0.1);
    expect(Math.max(...p.w1.map(Math.abs))).toBeGreaterThan(0.2); // not degenerate
  });
});

describe('activation functions', () => {
  const points = [-3.1, -1.2, -0.4, 0.3, 0.9, 2.7];

  it.each(ACTIVATIONS.map((a) => [a]))('%s: h matches its definition, h\' and h\'\' match central differences', (name) => {
    const { h, dh, d2h } = activationFunctions(name);
    const def = (a: number): number =>
      name === 'tanh' ? (Math.exp(a) - Math.exp(-a)) / (Math.exp(a) + Math.exp(-a)) : name === 'logistic' ? 1 / (1 + Math.exp(-a)) : a > 0 ? a : 0;
    const e = 1e-5;
    for (const a of points) {
      expect(h(a)).toBeCloseTo(def(a), 14);
      expect(dh(a)).toBeCloseTo((h(a + e) - h(a - e)) / (2 * e), 8);
      expect(d2h(a)).toBeCloseTo((dh(a + e) - dh(a - e)) / (2 * e), 8);
    }
  });

  it('tanh and logistic derivatives in closed form at a = 0', () => {
    const t = activationFunctions('tanh');
    expect([t.h(0), t.dh(0), t.d2h(0)]).toEqual([0, 1, -0]);
    const s = activationFunctions('logistic');
    expect([s.h(0), s.dh(0), s.d2h(0)]).toEqual([0.5, 0.25, 0]);
  });

  it('relu: h\'(0) = 0 by convention, h\'\' = 0', () => {
    const r = activationFunctions('relu');
    expect(r.dh(0)).toBe(0);
    expect(r.dh(1e-300)).toBe(1);
    expect(r.dh(-2)).toBe(0);
    expect(r.d2h(0.5)).toBe(0);
    expect(r.d2h(-0.5)).toBe(0);
  });

  it('logistic sigmoid, softplus and the derivatives stay finite and accurate at |a| = 1000', () => {
    expect(logisticSigmoid(1000)).toBe(1);
    expect(logisticSigmoid(-1000)).toBe(0);
    expect(logisticSigmoid(-30)).toBeCloseTo(Math.exp(-30) / (1 + Math.exp(-30)), 25);
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(softplus(0)).toBeCloseTo(Math.LN2, 15);
    // σ'(40) = σ(40)σ(−40) ≈ e^(−40): the naive σ(1 − σ) would round to exactly 0
    expect(activationFunctions('logistic').dh(40) / Math.exp(-40)).toBeCloseTo(1, 10);
    expect(activationFunctions('tanh').dh(30) / (4 * Math.exp(-60))).toBeCloseTo(1, 10);
    for (const name of ACTIVATIONS) {
      const f = activationFunctions(name);
      for (const a of [-1000, 1000, -800, 800]) {
        expect(Number.isFinite(f.h(a))).toBe(true);
        expect(Number.isFinite(f.dh(a))).toBe(true);
        expect(Number.isFinite(f.d2h(a))).toBe(true);
      }
    }
  });

  it('rejects an unknown name', () => {
    thrown(() => activationFunctions('swish' as Activation), NetworkSpecError);
  });
});
