// L-BFGS: Moré–Garbow–Hillstrom problems, quadratics with known minimizers (well and badly
// conditioned), a physics-informed network to a relative error of 1e-8, every stop reason, bad input.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hessian, tensor, type Scalar, type Tensor } from '@dualtape/core';
import {
  adamFlat,
  CurvatureInputError,
  DimensionMismatchError,
  jacobiEigen,
  lbfgs,
  lbfgsFlat,
  NonFiniteValueError,
  type LbfgsResult,
} from '../src/index.js';
import { expectIterateCopied, matvec, normT, randomSPD, solve, sub, withSpectrum, type Matrix } from './helpers.js';
import { beale, extendedRosenbrock, freudensteinRoth, powellSingular, rosenbrock, wood, type Problem } from './mgh.js';
import { pinn } from './pinn.js';

const oracleOf = (p: Problem) => (x: Float64Array) => ({ value: p.f(x), grad: p.grad(x) });

/** f(x) = ½xᵀAx − bᵀx, minimized at A⁻¹b. */
function quadratic(A: Matrix, b: Float64Array) {
  return (x: Float64Array) => {
    const Ax = matvec(A, x);
    let value = 0;
    for (let i = 0; i < x.length; i++) value += 0.5 * x[i] * Ax[i] - b[i] * x[i];
    return { value, grad: Ax.map((v, i) => v - b[i]) };
  };
}

/** History and result agree with each other: counts add up, the reported point is the last one. */
function expectConsistent(r: LbfgsResult): void {
  expect(r.history).toHaveLength(r.iterations);
  const counted = 1 + r.history.reduce((s, h) => s + h.evaluations, 0);
  // A final failed line search spends evaluations without adding an iteration.
  if (r.reason === 'line-search-failed') expect(r.evaluations).toBeGreaterThan(counted);
  else expect(r.evaluations).toBe(counted);
  if (r.iterations > 0) {
    expect(r.history.at(-1)!.value).toBe(r.value);
    expect(r.history.at(-1)!.gradNorm).toBe(r.gradNorm);
  }
  expect(r.x.every(Number.isFinite)).toBe(true);
  // Accepted steps lower f, except approximate-Wolfe steps, which may rise within the noise band.
  for (let k = 1; k < r.history.length; k++) {
    if (r.history[k].lineSearch !== 'approximate-wolfe') expect(r.history[k].value).toBeLessThanOrEqual(r.history[k - 1].value);
  }
}

describe('lbfgsFlat on Moré–Garbow–Hillstrom problems', () => {
  const report: Record<string, unknown>[] = [];
  afterAll(() => {
    console.log('lbfgsFlat on MGH problems (gradTolerance 1e-10):');
    console.table(report);
  });

  const minimizers: [Problem, number[] | null][] = [
    [rosenbrock, [1, 1]],
    [powellSingular, [0, 0, 0, 0]],
    [wood, [1, 1, 1, 1]],
    [beale, [3, 0.5]],
    [freudensteinRoth, null], // from (0.5, −2) the standard start reaches the local minimum f ≈ 48.98
    [extendedRosenbrock(100), Array(100).fill(1)],
  ];
  it.each(minimizers.map(([p, xStar]) => [p.name, p, xStar] as const))('%s reaches ‖∇f‖ ≤ 1e-10', (_, p, xStar) => {
    const r = lbfgsFlat(oracleOf(p), Float64Array.from(p.x0), { gradTolerance: 1e-10, relativeGradTolerance: 0 });
    expectConsistent(r);
    expect(r.reason).toBe('gradient-tolerance');
    expect(r.converged).toBe(true);
    expect(r.gradNorm).toBeLessThanOrEqual(1e-10);
    expect(normT(p.grad(r.x))).toBe(r.gradNorm);
    // Powell's Hessian is singular at x* = 0, so ‖x − x*‖ ~ ‖∇f‖^(1/3) there; elsewhere ~ ‖∇f‖/λ_min.
    if (xStar) expect(normT(sub(r.x, xStar))).toBeLessThan(p === powellSingular ? 1e-3 : 1e-9);
    report.push({ problem: p.name, n: p.x0.length, iterations: r.iterations, evaluations: r.evaluations, f: r.value, gradNorm: r.gradNorm });
  });

  it('Rosenbrock to 1e-10: ‖x − (1, 1)‖ ≤ 1e-10, and f(x) ≤ 1e-20', () => {
    const r = lbfgsFlat(oracleOf(rosenbrock), Float64Array.of(-1.2, 1), { gradTolerance: 1e-12, relativeGradTolerance: 0 });
    expect(r.reason).toBe('gradient-tolerance');
    expect(Math.hypot(r.x[0] - 1, r.x[1] - 1)).toBeLessThanOrEqual(1e-10);
    expect(r.value).toBeLessThanOrEqual(1e-20);
  });

  it('with every tolerance at 0 it runs to the rounding floor and says so, instead of looping', () => {
    const r = lbfgsFlat(oracleOf(powellSingular), Float64Array.from(powellSingular.x0), {
      gradTolerance: 0,
      relativeGradTolerance: 0,
      maxIterations: 100_000,
    });
    expectConsistent(r);
    // Either ∇f reached exactly 0 or not even steepest descent could lower f any more.
    expect(['gradient-tolerance', 'line-search-failed']).toContain(r.reason);
    expect(r.iterations).toBeLessThan(1000);
    expect(r.value).toBeLessThan(1e-40);
  });
});

describe('lbfgsFlat on quadratics with known minimizers', () => {
  it('property: random SPD quadratics (n ≤ 30) are solved to ‖x − A⁻¹b‖ ≤ 1e-8·‖A⁻¹b‖', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 20 }), (n, seed, memory) => {
        const A = randomSPD(n, 0.5, seed);
        const b = Float64Array.from({ length: n }, (_, i) => Math.cos(seed + i));
        const xStar = solve(A, b);
        const r = lbfgsFlat(quadratic(A, b), new Float64Array(n), { memory, gradTolerance: 1e-12, relativeGradTolerance: 0 });
        expectConsistent(r);
        expect(r.reason).toBe('gradient-tolerance');
        expect(normT(sub(r.x, xStar))).toBeLessThanOrEqual(1e-8 * Math.max(1, normT(xStar)));
      }),
      { numRuns: 60 },
    );
  });

  it('badly conditioned: 40 of 50 eigenvalues below 1e-8 of the largest; it keeps improving instead of stopping early', () => {
    // The spectrum of a PINN's Hessian in miniature: a few stiff directions, most nearly flat.
    const eigenvalues = Array.from({ length: 50 }, (_, i) => (i < 10 ? 10 ** (-i / 3) : 10 ** (-9 - (i - 10) / 8)));
    const A = withSpectrum(eigenvalues, 11);
    const xStar = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i));
    const b = matvec(A, xStar);
    const fStar = -0.5 * b.reduce((s, bi, i) => s + bi * xStar[i], 0);
    // f − f* = ½(x − x*)ᵀA(x − x*): the error that matters where A is nearly singular.
    const excess = (x: Float64Array) => {
      const e = sub(x, xStar);
      return (0.5 * matvec(A, e).reduce((s, v, i) => s + v * e[i], 0)) / Math.abs(fStar);
    };
    const trail: number[] = [];
    const r = lbfgsFlat(quadratic(A, b), new Float64Array(50), {
      memory: 50,
      gradTolerance: 0,
      relativeGradTolerance: 0,
      maxIterations: 2000,
      onIteration: (info) => {
        if (info.iteration % 500 === 0) trail.push(excess(info.x));
      },
    });
    expectConsistent(r);
    expect(r.reason).toBe('max-iterations'); // no line-search failure, no false convergence
    expect(Math.min(...r.history.map((h) => h.gradNorm))).toBeLessThan(1e-10 * normT(b));
    expect(excess(r.x)).toBeLessThan(1e-12);
    for (let k = 1; k < trail.length; k++) expect(trail[k]).toBeLessThan(trail[k - 1]);
  });
});

describe('lbfgs trains a physics-informed network (u″ = −π² sin πx) to a relative L2 error below 1e-8', () => {
  const H = 16;
  const net = pinn(H);

  it('the hand-derived gradient of the test problem agrees with @dualtape/core', async () => {
    const { valueAndGrad } = await import('@dualtape/core');
    const vg = valueAndGrad(net.lossFn as (p: never) => Scalar);
    for (const seed of [1, 2]) {
      const w = net.start(seed);
      const ours = net.oracle(w);
      const { value, grad } = vg({ w1: w.slice(0, H), b1: w.slice(H, 2 * H), w2: w.slice(2 * H, 3 * H), b2: w[3 * H] });
      expect(Math.abs(ours.value - value)).toBeLessThan(1e-12 * Math.abs(value));
      const flatGrad = Float64Array.of(...grad.w1, ...grad.b1, ...grad.w2, grad.b2);
      expect(normT(sub(ours.grad, flatGrad))).toBeLessThan(1e-12 * normT(flatGrad));
    }
  });

  it('Adam, then L-BFGS with tolerances at 0: no early stop, relative error ≤ 1e-8 (Hessian: cond ≫ 1e8)', () => {
    const warm = adamFlat(net.oracle, net.start(1), { learningRate: 1e-2, maxIterations: 2000 });
    expect(warm.reason).toBe('max-iterations');
    expect(net.relativeError(warm.x)).toBeLessThan(1e-2);
    let reachedAt = 0;
    const r = lbfgsFlat(net.oracle, warm.x, {
      memory: 50,
      gradTolerance: 0,
      relativeGradTolerance: 0,
      maxIterations: 6000,
      onIteration: (info) => {
        if (reachedAt === 0 && info.iteration % 100 === 0 && net.relativeError(info.x) <= 1e-8) reachedAt = info.iteration;
      },
    });
    expectConsistent(r);
    // The loss is still falling at the cap: nothing made the optimizer give up.
    expect(r.reason).toBe('max-iterations');
    expect(reachedAt).toBeGreaterThan(0);
    expect(net.relativeError(r.x)).toBeLessThan(1e-8);
    console.log(`PINN 1-${H}-1: relative L2 error ≤ 1e-8 after ${reachedAt} L-BFGS iterations; at ${r.iterations}: ${net.relativeError(r.x).toExponential(2)}, loss ${r.value.toExponential(2)}`);

    // How badly conditioned the problem is where it ended, measured: the exact Hessian from core,
    // flat as hessian() returns it, straight into jacobiEigen.
    const p = { w1: r.x.slice(0, H), b1: r.x.slice(H, 2 * H), w2: r.x.slice(2 * H, 3 * H), b2: r.x[3 * H] };
    const { values } = jacobiEigen(hessian(net.lossFn as (q: { w1: Tensor; b1: Tensor; w2: Tensor; b2: Scalar }) => Scalar, p));
    const top = values[values.length - 1];
    const tiny = values.filter((v) => Math.abs(v) < 1e-8 * top).length;
    expect(tiny).toBeGreaterThan(values.length / 2);
    console.log(`  Hessian at the fit: ${tiny} of ${values.length} eigenvalues below 1e-8 of the largest (${top.toExponential(2)})`);
  });
});

describe('lbfgsFlat stop reasons', () => {
  const q = quadratic(randomSPD(5, 1, 4), Float64Array.of(1, 2, 3, 4, 5));

  it('maxIterations: 0 evaluates only the start; k stops after k steps', () => {
    const r0 = lbfgsFlat(q, new Float64Array(5), { maxIterations: 0 });
    expect([r0.reason, r0.iterations, r0.evaluations]).toEqual(['max-iterations', 0, 1]);
    const r2 = lbfgsFlat(q, new Float64Array(5), { maxIterations: 2, gradTolerance: 0, relativeGradTolerance: 0 });
    expect([r2.reason, r2.iterations, r2.converged]).toEqual(['max-iterations', 2, false]);
  });

  it('a start that already meets the gradient tolerance returns at once', () => {
    const xStar = solve(randomSPD(5, 1, 4), Float64Array.of(1, 2, 3, 4, 5));
    const r = lbfgsFlat(q, xStar, { gradTolerance: 1e-6 });
    expect([r.reason, r.iterations, r.evaluations]).toEqual(['gradient-tolerance', 0, 1]);
  });

  it('relativeValueTolerance stops when a step lowers f by less than that fraction', () => {
    const r = lbfgsFlat(oracleOf(wood), Float64Array.from(wood.x0), { relativeValueTolerance: 1e-3, gradTolerance: 0 });
    expect(r.reason).toBe('value-tolerance');
    expect(r.converged).toBe(true);
    const [before, last] = [r.history.at(-2)!.value, r.history.at(-1)!.value];
    expect(before - last).toBeLessThanOrEqual(1e-3 * Math.max(Math.abs(before), Math.abs(last)));
  });

  it('onIteration sees every iteration and stops the run by returning false', () => {
    const seen: number[] = [];
    const r = lbfgsFlat(oracleOf(rosenbrock), Float64Array.of(-1.2, 1), {
      onIteration: (info) => {
        seen.push(info.iteration);
        expect(info.x).toHaveLength(2);
        return info.iteration < 4;
      },
    });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect([r.reason, r.iterations]).toEqual(['stopped-by-callback', 4]);
  });

  it('onIteration gets a copy of x: writing to it changes neither the run nor the result', () => {
    expectIterateCopied((onIteration) => lbfgsFlat(oracleOf(rosenbrock), Float64Array.of(-1.2, 1), { onIteration }));
    // The pytree form hands on the same copy.
    const q = (x: Tensor) => x.square().sum();
    const r = lbfgs(q, [1, 2], { onIteration: (info) => void (info.x[0] = 100) });
    expect(r.reason).toBe('gradient-tolerance');
    expect(Math.abs(r.x[0])).toBeLessThan(1e-8);
  });

  it('a gradient that does not match f ends with line-search-failed, not a wrong "converged"', () => {
    // f = ‖x‖² but the "gradient" points uphill.
    const wrong = (x: Float64Array) => ({ value: x.reduce((s, v) => s + v * v, 0), grad: x.map((v) => -2 * v) });
    const r = lbfgsFlat(wrong, Float64Array.of(1, 2));
    expect(r.reason).toBe('line-search-failed');
    expect(r.converged).toBe(false);
    expect([...r.x]).toEqual([1, 2]);
  });

  it('steps into a region where f is NaN or Infinity are shortened, and the result stays finite', () => {
    // f = Σ(x − 2)² defined only inside ‖x‖ < 3 (NaN outside): the minimizer (2, 2)/… lies inside.
    const guarded = (x: Float64Array) => {
      const inside = Math.hypot(...x) < 3;
      const value = inside ? x.reduce((s, v) => s + (v - 1.5) ** 2, 0) : Number.NaN;
      return { value, grad: x.map((v) => (inside ? 2 * (v - 1.5) : Number.NaN)) };
    };
    const r = lbfgsFlat(guarded, Float64Array.of(-2, 0.5), { gradTolerance: 1e-10 });
    expectConsistent(r);
    expect(r.reason).toBe('gradient-tolerance');
    expect(r.x[0]).toBeCloseTo(1.5, 9);
    expect(r.x[1]).toBeCloseTo(1.5, 9);
  });
});

describe('lbfgsFlat bad input', () => {
  const good = oracleOf(rosenbrock);
  it('non-finite start, f(x0) or ∇f(x0); gradient of the wrong length; c1 ≥ c2', () => {
    expect(() => lbfgsFlat(good, Float64Array.of(1, NaN))).toThrow(/lbfgs: x0\[1\] is NaN/);
    expect(() => lbfgsFlat(() => ({ value: NaN, grad: new Float64Array(2) }), new Float64Array(2))).toThrow(NonFiniteValueError);
    expect(() => lbfgsFlat(() => ({ value: 0, grad: Float64Array.of(0, Infinity) }), new Float64Array(2))).toThrow(/grad f\(x0\)\[1\] is Infinity/);
    expect(() => lbfgsFlat(() => ({ value: 0, grad: new Float64Array(3) }), new Float64Array(2))).toThrow(DimensionMismatchError);
    expect(() => lbfgsFlat(good, new Float64Array(2), { wolfeC1: 0.5, wolfeC2: 0.4 })).toThrow(CurvatureInputError);
    expect(() => lbfgsFlat(good, new Float64Array(2), { wolfeC1: 0.5, wolfeC2: 0.4 })).toThrow(/wolfeC1 must be below wolfeC2/);
  });

  it('does not modify x0', () => {
    const x0 = Float64Array.of(-1.2, 1);
    lbfgsFlat(good, x0);
    expect([...x0]).toEqual([-1.2, 1]);
  });
});

describe('lbfgs on pytrees', () => {
  const rosen = (p: { a: Scalar; b: Scalar }) => p.b.sub(p.a.square()).square().mul(100).add(p.a.neg().add(1).square());

  it('follows the same path as the hand-written oracle on { a, b } and reaches (1, 1)', () => {
    const r = lbfgs(rosen, { a: -1.2, b: 1 }, { gradTolerance: 1e-10 });
    const flat = lbfgsFlat(oracleOf(rosenbrock), Float64Array.of(-1.2, 1), { gradTolerance: 1e-10 });
    expect(r.reason).toBe('gradient-tolerance');
    expect(r.x.a).toBeCloseTo(1, 9);
    expect(r.x.b).toBeCloseTo(1, 9);
    for (let k = 0; k < 10; k++) expect(r.history[k].value).toBeCloseTo(flat.history[k].value, 8);
  });

  it('keeps the structure of x0: nested objects, number[] leaves come back as Float64Array', () => {
    // f = ‖w − (1, 2, 3)‖² + (b + 1)² + (s.t − 4)²
    const f = (p: { w: Tensor; b: Scalar; s: { t: Scalar } }) =>
      p.w.sub(tensor([1, 2, 3])).square().sum().add(p.b.add(1).square()).add(p.s.t.sub(4).square());
    const r = lbfgs(f, { w: [0, 0, 0], b: 0, s: { t: 0 } }, { gradTolerance: 1e-12 });
    expect(r.reason).toBe('gradient-tolerance');
    expect(r.x.w).toBeInstanceOf(Float64Array);
    [1, 2, 3].forEach((v, i) => expect(r.x.w[i]).toBeCloseTo(v, 11));
    expect(r.x.b).toBeCloseTo(-1, 11);
    expect(r.x.s.t).toBeCloseTo(4, 11);
  });
});
