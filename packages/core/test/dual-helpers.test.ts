// D.log1p, D.sigmoid and D.softplus: the dual arithmetic that custom ops' backward rules are written
// with. Each value is checked against its closed form, each tangent against the closed-form
// derivative and a central difference of the closed form, the tails against their asymptotics, and
// each helper inside a custom op's backward rule against the built-in ops (gradient and H·v, where
// the tangents of the helpers become the second-order term).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { D, defineOp, dual, gradAndHvp, type Scalar, type Tensor } from '../src/index.js';

const closeTo = (actual: number, expected: number, relative: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));

/** (f(x + h) − f(x − h)) / 2h with h scaled to x: error ~1e-10 relative for smooth f. */
const centralDifference = (f: (x: number) => number, x: number) => {
  const h = 1e-5 * Math.max(1, Math.abs(x));
  return (f(x + h) - f(x - h)) / (2 * h);
};

const helpers = [
  {
    name: 'log1p', helper: D.log1p, domain: fc.double({ min: -0.9, max: 50, noNaN: true }).filter((x) => Math.abs(x) > 1e-3),
    value: (x: number) => Math.log(1 + x), derivative: (x: number) => 1 / (1 + x),
  },
  {
    name: 'sigmoid', helper: D.sigmoid, domain: fc.double({ min: -30, max: 30, noNaN: true }),
    value: (x: number) => 1 / (1 + Math.exp(-x)), derivative: (x: number) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2,
  },
  {
    name: 'softplus', helper: D.softplus, domain: fc.double({ min: -30, max: 30, noNaN: true }),
    value: (x: number) => Math.log(1 + Math.exp(x)), derivative: (x: number) => 1 / (1 + Math.exp(-x)),
  },
];

describe('D.log1p, D.sigmoid, D.softplus', () => {
  for (const { name, helper, domain, value, derivative } of helpers) {
    it(`${name}: value and tangent are the closed forms and agree with a central difference`, () => {
      fc.assert(fc.property(domain, fc.double({ min: -3, max: 3, noNaN: true }), (x, xDot) => {
        const y = helper(dual(x, xDot));
        closeTo(y.value, value(x), 1e-13);
        closeTo(y.tangent, derivative(x) * xDot, 1e-13);
        closeTo(y.tangent, centralDifference(value, x) * xDot, 1e-7);
      }));
    });

    it(`${name}: a constant has a zero tangent`, () => {
      expect(helper(D.constant(0.5)).tangent).toBe(0);
    });
  }

  it('log1p keeps full accuracy for tiny x, where 1 + x rounds to 1', () => {
    const y = D.log1p(dual(1e-20, 1));
    expect(y.value).toBe(1e-20);
    expect(y.tangent).toBe(1);
    expect(D.log1p(dual(-1, 1)).value).toBe(-Infinity);
  });

  it('sigmoid: tails without overflow, and a derivative e^(−|x|) that keeps its relative accuracy', () => {
    for (const x of [-800, 800, -1e308, 1e308]) {
      const y = D.sigmoid(dual(x, 1));
      expect(y.value).toBe(x > 0 ? 1 : 0);
      expect(y.tangent).toBe(0);
    }
    for (const x of [40, -40, 300, -300]) {
      // σ′(x) = e^(−|x|)/(1 + e^(−|x|))², which is e^(−|x|) to within e^(−|x|) relative.
      closeTo(D.sigmoid(dual(x, 1)).tangent / Math.exp(-Math.abs(x)), 1, 1e-14);
    }
    closeTo(D.sigmoid(dual(-40, 1)).value / Math.exp(-40), 1, 1e-14);
  });

  it('softplus: x for large x, eˣ for very negative x, never Infinity or NaN', () => {
    expect(D.softplus(dual(800, 1))).toEqual({ value: 800, tangent: 1 });
    expect(D.softplus(dual(1e308, 1)).value).toBe(1e308);
    for (const x of [-40, -300]) {
      closeTo(D.softplus(dual(x, 1)).value / Math.exp(x), 1, 1e-14);
      closeTo(D.softplus(dual(x, 1)).tangent / Math.exp(x), 1, 1e-14);
    }
    expect(D.softplus(dual(-800, 1))).toEqual({ value: 0, tangent: 0 });
  });

  it('sigmoid and softplus are odd and even around their centre: σ(x) + σ(−x) = 1, softplus(x) − softplus(−x) = x', () => {
    fc.assert(fc.property(fc.double({ min: -700, max: 700, noNaN: true }), (x) => {
      closeTo(D.sigmoid(dual(x)).value + D.sigmoid(dual(-x)).value, 1, 1e-15);
      closeTo(D.softplus(dual(x)).value - D.softplus(dual(-x)).value, x, 1e-15);
    }));
  });
});

describe('the helpers in custom ops: gradient and H·v equal those of the built-in ops', () => {
  const x0 = [-2.5, -0.3, 0.4, 1.7, 6];
  const v = [1, -0.5, 2, 0.25, -1];

  const agree = (custom: (x: Tensor) => Scalar, builtIn: (x: Tensor) => Scalar, at: number[] = x0) => {
    const a = gradAndHvp(custom, at, v), b = gradAndHvp(builtIn, at, v);
    closeTo(a.value, b.value, 1e-13);
    at.forEach((_, i) => {
      closeTo(a.grad[i], b.grad[i], 1e-13);
      closeTo(a.hvp[i], b.hvp[i], 1e-12);
    });
  };

  it('softplus with backward ȳ·σ(x): the R{x̄} term uses D.sigmoid\'s tangent', () => {
    const softplusOp = defineOp({
      name: 'softplusOp',
      primal: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
      tangent: ([x], [xDot]) => D.sigmoid(dual(x)).value * xDot,
      backward: ([x], _y, yBar) => [D.mul(yBar, D.sigmoid(x))],
    });
    agree((x) => softplusOp(x).sum(), (x) => x.softplus().sum());
  });

  it('softplus(x)² with backward ȳ·2·softplus(x)·σ(x): D.softplus and D.sigmoid together', () => {
    const op = defineOp({
      name: 'softplusSquared',
      primal: (x) => D.softplus(dual(x)).value ** 2,
      tangent: ([x], [xDot]) => 2 * D.softplus(dual(x)).value * D.sigmoid(dual(x)).value * xDot,
      backward: ([x], _y, yBar) => [D.mul(yBar, D.scale(D.mul(D.softplus(x), D.sigmoid(x)), 2))],
    });
    agree((x) => op(x).sum(), (x) => x.softplus().square().sum());
  });

  it('x·log1p(x) − x with backward ȳ·(log1p(x) + x/(1 + x) − 1): D.log1p', () => {
    const op = defineOp({
      name: 'xLog1pX',
      primal: (x) => x * Math.log1p(x) - x,
      tangent: ([x], [xDot]) => (Math.log1p(x) + x / (1 + x) - 1) * xDot,
      backward: ([x], _y, yBar) => [D.mul(yBar, D.sub(D.add(D.log1p(x), D.div(x, D.add(D.constant(1), x))), D.constant(1)))],
    });
    const positive = x0.map((x) => Math.abs(x) + 0.1);
    agree((x) => op(x).sum(), (x) => x.mul(x.log1p()).sub(x).sum(), positive);
  });
});
