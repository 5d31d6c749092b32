// Adam: convergence on quadratics, the properties that define it (first step of size α per
// coordinate, invariance to scaling f), schedules, stop reasons, bad input, pytrees.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, type Scalar, type Tensor } from '@dualtape/core';
import { adam, adamFlat, CurvatureInputError, CurvatureOptionError, DimensionMismatchError, NonFiniteValueError } from '../src/index.js';
import { expectIterateCopied, normT, randomSPD, solve, sub, matvec } from './helpers.js';

/** f(x) = ½xᵀAx − bᵀx scaled by c. */
function quadratic(A: number[][], b: Float64Array, c = 1) {
  return (x: Float64Array) => {
    const Ax = matvec(A, x);
    let value = 0;
    for (let i = 0; i < x.length; i++) value += 0.5 * x[i] * Ax[i] - b[i] * x[i];
    return { value: c * value, grad: Ax.map((v, i) => c * (v - b[i])) };
  };
}

describe('adamFlat', () => {
  it('reaches the minimizer of an SPD quadratic with a decaying learning rate, and hovers near it with a constant one', () => {
    const A = randomSPD(8, 1, 3);
    const b = Float64Array.from({ length: 8 }, (_, i) => i - 3);
    const xStar = solve(A, b);
    const decaying = adamFlat(quadratic(A, b), new Float64Array(8), { learningRate: (k) => 0.05 * 0.999 ** k, maxIterations: 5000 });
    expect(decaying.reason).toBe('max-iterations');
    expect(decaying.iterations).toBe(5000);
    expect(normT(sub(decaying.x, xStar))).toBeLessThan(1e-10 * normT(xStar));
    // A constant α keeps steps of order α near the minimum (m̂/√v̂ does not vanish): close, not exact.
    const constant = adamFlat(quadratic(A, b), new Float64Array(8), { learningRate: 0.05, maxIterations: 5000 });
    expect(normT(sub(constant.x, xStar))).toBeLessThan(0.05 * normT(xStar));
  });

  it('property: the first step moves every coordinate by α against the sign of its gradient', () => {
    // With m₁ = (1 − β₁)g and v₁ = (1 − β₂)g², the bias-corrected step is α·g/(|g| + ε).
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }).filter((g) => Math.abs(g) > 1e-3), { minLength: 1, maxLength: 10 }),
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        (gradient, rate) => {
          const g = Float64Array.from(gradient);
          const linear = (x: Float64Array) => ({ value: x.reduce((s, xi, i) => s + g[i] * xi, 0), grad: Float64Array.from(g) });
          const r = adamFlat(linear, new Float64Array(g.length), { learningRate: rate, maxIterations: 1, epsilon: 1e-300 });
          r.x.forEach((xi, i) => expect(xi).toBeCloseTo(-rate * Math.sign(g[i]), 12));
        },
      ),
    );
  });

  it('property: scaling f by c > 0 leaves the iterates unchanged (ε aside)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (seed, c) => {
        const A = randomSPD(4, 0.5, seed);
        const b = Float64Array.of(1, -1, 2, 0.5);
        const opts = { learningRate: 0.01, maxIterations: 50, epsilon: 1e-300 };
        const plain = adamFlat(quadratic(A, b), new Float64Array(4), opts);
        const scaled = adamFlat(quadratic(A, b, c), new Float64Array(4), opts);
        expect(normT(sub(plain.x, scaled.x))).toBeLessThan(1e-9 * Math.max(1, normT(plain.x)));
      }),
      { numRuns: 50 },
    );
  });

  it('calls a learning-rate schedule with 1, 2, … and uses what it returns', () => {
    const seen: number[] = [];
    const g = Float64Array.of(2);
    const linear = () => ({ value: 0, grad: Float64Array.from(g) });
    const r = adamFlat(linear, Float64Array.of(0), {
      maxIterations: 3,
      epsilon: 1e-300,
      learningRate: (k) => {
        seen.push(k);
        return 0.1 / k;
      },
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(r.history.map((h) => h.learningRate)).toEqual([0.1, 0.05, 0.1 / 3]);
    // A constant gradient keeps m̂ = g and v̂ = g², so each step is exactly its learning rate.
    expect(r.x[0]).toBeCloseTo(-(0.1 + 0.05 + 0.1 / 3), 12);
  });

  it('reports f and ∇f of the returned point, one evaluation per step plus the start', () => {
    const A = randomSPD(3, 1, 1);
    const b = Float64Array.of(1, 2, 3);
    const f = quadratic(A, b);
    const r = adamFlat(f, new Float64Array(3), { maxIterations: 17 });
    expect(r.evaluations).toBe(18);
    expect(r.value).toBe(f(r.x).value);
    expect(r.gradNorm).toBe(normT(f(r.x).grad));
    expect(r.history).toHaveLength(17);
  });

  it('stops on gradTolerance, on a callback returning false, and on a step into NaN (keeping the last finite x)', () => {
    const A = randomSPD(3, 1, 2);
    const b = Float64Array.of(1, 0, -1);
    const tol = adamFlat(quadratic(A, b), new Float64Array(3), { learningRate: 0.05, maxIterations: 100_000, gradTolerance: 1e-6 });
    expect(tol.reason).toBe('gradient-tolerance');
    expect(tol.gradNorm).toBeLessThanOrEqual(1e-6);

    const stopped = adamFlat(quadratic(A, b), new Float64Array(3), { onIteration: (info) => info.iteration < 3 });
    expect([stopped.reason, stopped.iterations]).toEqual(['stopped-by-callback', 3]);

    // f is defined on x < 0.5 only; a learning rate of 1 jumps out of it at the first step.
    const cliff = (x: Float64Array) => ({ value: x[0] < 0.5 ? -x[0] : NaN, grad: Float64Array.of(x[0] < 0.5 ? -1 : NaN) });
    const r = adamFlat(cliff, Float64Array.of(0), { learningRate: 1 });
    expect(r.reason).toBe('diverged');
    expect([...r.x]).toEqual([0]);
    expect(r.value).toBe(-0);
  });

  it('onIteration gets a copy of x: writing to it changes neither the run nor the result', () => {
    const A = randomSPD(3, 10, 7);
    const b = Float64Array.of(1, -1, 2);
    expectIterateCopied((onIteration) => adamFlat(quadratic(A, b), new Float64Array(3), { learningRate: 0.05, maxIterations: 50, onIteration }));
  });

  it('rejects bad input with typed errors', () => {
    const f = quadratic(randomSPD(2, 1, 1), Float64Array.of(1, 1));
    expect(() => adamFlat(f, Float64Array.of(NaN, 0))).toThrow(NonFiniteValueError);
    expect(() => adamFlat(() => ({ value: Infinity, grad: new Float64Array(2) }), new Float64Array(2))).toThrow(/adam: f\(x0\) is Infinity/);
    expect(() => adamFlat(() => ({ value: 0, grad: new Float64Array(1) }), new Float64Array(2))).toThrow(DimensionMismatchError);
    expect(() => adamFlat(f, new Float64Array(2), { beta1: 1 })).toThrow(CurvatureOptionError);
    expect(() => adamFlat(f, new Float64Array(2), { lr: 0.1 } as never)).toThrow(/unknown option 'lr'; did you mean 'learningRate'\?/);
    expect(() => adamFlat(f, new Float64Array(2), { learningRate: () => -1 })).toThrow(CurvatureInputError);
    expect(() => adamFlat(f, new Float64Array(2), { learningRate: () => -1 })).toThrow(/learningRate\(1\) must be a finite number > 0, got -1/);
  });
});

describe('adam on pytrees', () => {
  it('fits { w, b } and returns it in the same structure', () => {
    // f = ‖w − (1, −2)‖² + (b − 0.5)²
    const f = (p: { w: Tensor; b: Scalar }) => p.w.sub(tensor([1, -2])).square().sum().add(p.b.sub(0.5).square());
    const r = adam(f, { w: [0, 0], b: 0 }, { learningRate: 0.05, maxIterations: 3000 });
    expect(r.x.w).toBeInstanceOf(Float64Array);
    expect(r.x.w[0]).toBeCloseTo(1, 6);
    expect(r.x.w[1]).toBeCloseTo(-2, 6);
    expect(r.x.b).toBeCloseTo(0.5, 6);
  });
});
