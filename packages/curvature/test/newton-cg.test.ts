import { afterAll, describe, expect, it } from 'vitest';
import { newtonCGFlat, type NewtonCGIterationInfo } from '../src/newton-cg.js';
import { CurvatureInputError, DimensionMismatchError, NonFiniteValueError } from '../src/errors.js';
import { expectIterateCopied, normT, randomVector, sub } from './helpers.js';
import {
  beale,
  extendedRosenbrock,
  freudensteinRoth,
  oracleOf,
  powellSingular,
  rosenbrock,
  wood,
  type Problem,
} from './mgh.js';

const problems = [rosenbrock, powellSingular, wood, beale, freudensteinRoth, extendedRosenbrock(8)];

describe('hand-written MGH oracles agree with finite differences', () => {
  it.each(problems.map((p) => [p.name, p] as const))('%s', (_, p) => {
    const points = [Float64Array.from(p.x0), Float64Array.from(p.x0, (x, i) => x + 0.3 * Math.sin(i + 1))];
    for (const x of points) {
      const g = p.grad(x);
      const v = randomVector(x.length, 7);
      const h = 1e-6;
      const fd = Float64Array.from(x, (_, i) => {
        const xp = Float64Array.from(x);
        const xm = Float64Array.from(x);
        xp[i] += h;
        xm[i] -= h;
        return (p.f(xp) - p.f(xm)) / (2 * h);
      });
      expect(normT(sub(g, fd)) / Math.max(1, normT(g))).toBeLessThan(1e-6);
      const xp = Float64Array.from(x, (xi, i) => xi + h * v[i]);
      const xm = Float64Array.from(x, (xi, i) => xi - h * v[i]);
      const fdHv = sub(p.grad(xp), p.grad(xm)).map((d) => d / (2 * h));
      const Hv = p.hvp(x, v);
      expect(normT(sub(Hv, fdHv)) / Math.max(1, normT(Hv))).toBeLessThan(1e-6);
    }
  });
});

describe('newtonCGFlat on Moré–Garbow–Hillstrom problems', () => {
  const report: Array<Record<string, unknown>> = [];
  const run = (p: Problem) => {
    const counter = { hvp: 0 };
    const r = newtonCGFlat(oracleOf(p, counter), Float64Array.from(p.x0));
    expect(r.hvpCount).toBe(counter.hvp);
    expect(r.hvpCount).toBe(r.history.reduce((s, h) => s + h.cgIterations, 0));
    expect(r.iterations).toBe(r.history.length);
    expect(r.converged).toBe(true);
    expect(r.reason).toBe('gradient-tolerance');
    expect(Number.isFinite(r.value)).toBe(true);
    // The accepted iterates decrease f.
    const accepted = r.history.filter((h) => h.accepted).map((h) => h.value);
    for (let i = 1; i < accepted.length; i++) expect(accepted[i]).toBeLessThanOrEqual(accepted[i - 1]);
    report.push({
      problem: p.name,
      n: p.x0.length,
      iterations: r.iterations,
      accepted: accepted.length,
      hvp: r.hvpCount,
      evaluations: r.evaluations,
      f: r.value,
      gradNorm: r.gradNorm,
    });
    return r;
  };

  afterAll(() => {
    console.log('newtonCGFlat on MGH problems (default options):');
    console.table(report);
  });

  it('Rosenbrock from (−1.2, 1) reaches (1, 1)', () => {
    const r = run(rosenbrock);
    expect(r.x[0]).toBeCloseTo(1, 8);
    expect(r.x[1]).toBeCloseTo(1, 8);
  });

  it('Powell singular from (3, −1, 0, 1) reaches f ≈ 0 (singular Hessian at the solution)', () => {
    const r = run(powellSingular);
    expect(r.value).toBeLessThan(1e-10);
    expect(normT(r.x)).toBeLessThan(1e-2);
  });

  it('Wood from (−3, −1, −3, −1) reaches (1, 1, 1, 1)', () => {
    const r = run(wood);
    for (const xi of r.x) expect(xi).toBeCloseTo(1, 7);
  });

  it('Beale from (1, 1) reaches (3, 0.5)', () => {
    const r = run(beale);
    expect(r.x[0]).toBeCloseTo(3, 7);
    expect(r.x[1]).toBeCloseTo(0.5, 7);
  });

  it('Freudenstein–Roth from (0.5, −2) reaches the local minimum f ≈ 48.9842 or the global (5, 4)', () => {
    const r = run(freudensteinRoth);
    if (r.value > 1) {
      expect(r.value).toBeCloseTo(48.98425367924, 5);
      expect(r.x[0]).toBeCloseTo(11.4128, 3);
      expect(r.x[1]).toBeCloseTo(-0.896805, 5);
    } else {
      expect(r.x[0]).toBeCloseTo(5, 7);
      expect(r.x[1]).toBeCloseTo(4, 7);
    }
  });

  it('extended Rosenbrock n = 1000 reaches all ones', () => {
    const r = run(extendedRosenbrock(1000));
    expect(Math.max(...r.x.map((xi) => Math.abs(xi - 1)))).toBeLessThan(1e-8);
  });
});

describe('newtonCGFlat behaviour', () => {
  it('a strictly convex quadratic is solved by the first full Newton step', () => {
    const d = [1, 10, 100];
    const oracle = (x: Float64Array) => ({
      value: 0.5 * x.reduce((s, xi, i) => s + d[i] * xi * xi, 0),
      grad: x.map((xi, i) => d[i] * xi),
      apply: (v: Float64Array) => v.map((vi, i) => d[i] * vi),
    });
    const r = newtonCGFlat(oracle, Float64Array.of(1, 1, 1), { initialRadius: 10, forcing: () => 1e-12 });
    expect(r.history[0].accepted).toBe(true);
    expect(r.history[0].cgReason).toBe('converged');
    expect(r.iterations).toBe(1);
    expect(normT(r.x)).toBeLessThan(1e-12);
  });

  it('escapes along negative curvature near a saddle', () => {
    // f = x²/2 + (y² − 1)²/4: saddle at (0, 0), minima at (0, ±1).
    const oracle = (p: Float64Array) => {
      const [x, y] = p;
      return {
        value: 0.5 * x * x + 0.25 * (y * y - 1) ** 2,
        grad: Float64Array.of(x, y * (y * y - 1)),
        apply: (v: Float64Array) => Float64Array.of(v[0], (3 * y * y - 1) * v[1]),
      };
    };
    const r = newtonCGFlat(oracle, Float64Array.of(1, 1e-3));
    expect(r.converged).toBe(true);
    expect(r.history.some((h) => h.cgReason === 'negative-curvature')).toBe(true);
    expect(Math.abs(r.x[1])).toBeCloseTo(1, 8);
    expect(r.value).toBeLessThan(1e-14);
  });

  it('NaN outside the domain: rejects the step, shrinks the radius, flags it, and converges', () => {
    // f = Σ xᵢ − log xᵢ (NaN for xᵢ < 0), minimum at all ones. From x = 3 the Newton step
    // (x ← 2x − x²) lands at −3, where log is NaN.
    const oracle = (x: Float64Array) => ({
      value: x.reduce((s, xi) => s + xi - Math.log(xi), 0),
      grad: x.map((xi) => 1 - 1 / xi),
      apply: (v: Float64Array) => v.map((vi, i) => vi / (x[i] * x[i])),
    });
    const r = newtonCGFlat(oracle, Float64Array.of(3, 3), { initialRadius: 100 });
    const first = r.history[0];
    expect(first).toMatchObject({ nonFinite: true, accepted: false, ratio: null });
    expect(r.history[1].radius).toBeLessThan(first.radius);
    expect(r.history[1].radius).toBeLessThanOrEqual(0.25 * first.stepNorm);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 8);
    expect(r.x[1]).toBeCloseTo(1, 8);
    expect(Number.isFinite(r.value)).toBe(true);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
  ])('a minimum inside the %s region: stays finite and says why it stopped', (_, bad) => {
    // f = (x − 3)² but undefined for x ≥ 2: the infimum is approached, never reached.
    const oracle = (p: Float64Array) => {
      const x = p[0];
      const ok = x < 2;
      return {
        value: ok ? (x - 3) ** 2 : bad,
        grad: Float64Array.of(ok ? 2 * (x - 3) : bad),
        apply: (v: Float64Array) => Float64Array.of(2 * v[0]),
      };
    };
    const r = newtonCGFlat(oracle, Float64Array.of(0), { maxIterations: 200 });
    expect(r.converged).toBe(false);
    expect(['radius-too-small', 'max-iterations']).toContain(r.reason);
    expect(r.x[0]).toBeLessThan(2);
    expect(r.x[0]).toBeGreaterThan(1.99);
    expect(Number.isFinite(r.value)).toBe(true);
    expect(r.history.some((h) => h.nonFinite)).toBe(true);
    expect(r.history.filter((h) => h.nonFinite).every((h) => !h.accepted)).toBe(true);
  });

  it('throws when f(x0) is not finite (no finite point to fall back to)', () => {
    const oracle = () => ({ value: NaN, grad: Float64Array.of(0), apply: (v: Float64Array) => v });
    expect(() => newtonCGFlat(oracle, Float64Array.of(1))).toThrow(NonFiniteValueError);
    expect(() => newtonCGFlat(oracle, Float64Array.of(1))).toThrow(/f\(x0\) is NaN/);
  });

  it('onIteration sees every iteration and can stop the run', () => {
    const seen: NewtonCGIterationInfo[] = [];
    const r = newtonCGFlat(oracleOf(rosenbrock), Float64Array.from(rosenbrock.x0), {
      onIteration: (info) => {
        seen.push({ ...info, x: Float64Array.from(info.x) });
        return info.iteration < 3;
      },
    });
    expect(seen.map((s) => s.iteration)).toEqual([1, 2, 3]);
    expect(r.reason).toBe('stopped-by-callback');
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
    expect(seen[2].value).toBe(r.value);
    expect([...seen[2].x]).toEqual([...r.x]);
  });

  it('the relative gradient rule makes the result independent of the scale of f', () => {
    const scaled = (c: number): Problem => ({
      ...rosenbrock,
      f: (x) => c * rosenbrock.f(x),
      grad: (x) => rosenbrock.grad(x).map((g) => c * g),
      hvp: (x, v) => rosenbrock.hvp(x, v).map((h) => c * h),
    });
    const big = newtonCGFlat(oracleOf(scaled(1e8)), Float64Array.from(rosenbrock.x0));
    expect(big.converged).toBe(true);
    expect(big.x[0]).toBeCloseTo(1, 6);
    expect(big.x[1]).toBeCloseTo(1, 6);
  });

  it('stops at maxIterations with the best finite point', () => {
    const r = newtonCGFlat(oracleOf(rosenbrock), Float64Array.from(rosenbrock.x0), { maxIterations: 2 });
    expect(r).toMatchObject({ reason: 'max-iterations', converged: false, iterations: 2 });
    expect(r.value).toBeLessThan(rosenbrock.f(Float64Array.from(rosenbrock.x0)));
  });

  it('validates options and oracle output', () => {
    const o = oracleOf(rosenbrock);
    const x0 = Float64Array.from(rosenbrock.x0);
    expect(() => newtonCGFlat(o, x0, { eta: 0.3 })).toThrow(/option 'eta' must be a finite number ≥ 0 and < 0.25, got 0.3/);
    expect(() => newtonCGFlat(o, x0, { initialRadius: 0 })).toThrow(CurvatureInputError);
    expect(() => newtonCGFlat(o, x0, { initialRadius: 10, maxRadius: 1 })).toThrow(/maxRadius/);
    expect(() => newtonCGFlat(o, Float64Array.of(1, NaN))).toThrow(/x0\[1\] is NaN/);
    const short = (x: Float64Array) => ({ ...o(x), grad: new Float64Array(1) });
    expect(() => newtonCGFlat(short, x0)).toThrow(DimensionMismatchError);
    expect(() => newtonCGFlat(short, x0)).toThrow(/oracle gradient has length 1, expected 2/);
    expect(() => newtonCGFlat(o, x0, { forcing: () => 1 })).toThrow(/forcing/);
  });

  it('refuses minRadius ≥ initialRadius, which stopped the run at once with radius-too-small', () => {
    const o = oracleOf(rosenbrock);
    const x0 = Float64Array.from(rosenbrock.x0);
    expect(() => newtonCGFlat(o, x0, { minRadius: 2 })).toThrow(CurvatureInputError);
    expect(() => newtonCGFlat(o, x0, { minRadius: 2 })).toThrow('newtonCG: minRadius must be below initialRadius = 1, got 2');
    expect(() => newtonCGFlat(o, x0, { initialRadius: 0.5, minRadius: 0.5 })).toThrow('minRadius must be below initialRadius = 0.5, got 0.5');
    const r = newtonCGFlat(o, x0, { initialRadius: 2, minRadius: 1e-12 });
    expect(r.converged).toBe(true);
  });

  it("names newtonCG's oracle apply when its product is wrong, not steihaug (which the caller never called)", () => {
    const o = oracleOf(rosenbrock);
    const x0 = Float64Array.from(rosenbrock.x0);
    const long = (x: Float64Array) => ({ ...o(x), apply: () => new Float64Array(5) });
    expect(() => newtonCGFlat(long, x0)).toThrow(new DimensionMismatchError('newtonCG', "the oracle's apply output", 2, 5));
    expect(() => newtonCGFlat(long, x0)).toThrow("newtonCG: the oracle's apply output has length 5, expected 2");
    const nan = (x: Float64Array) => ({ ...o(x), apply: () => Float64Array.of(NaN, 0) });
    expect(() => newtonCGFlat(nan, x0)).toThrow(NonFiniteValueError);
    expect(() => newtonCGFlat(nan, x0)).toThrow("newtonCG: the oracle's apply output[0] is NaN");
  });

  it('onIteration gets a copy of x: writing to it changes neither the run nor the result', () => {
    const scribbled = expectIterateCopied((onIteration) => newtonCGFlat(oracleOf(rosenbrock), Float64Array.from(rosenbrock.x0), { onIteration }));
    expect(scribbled.converged).toBe(true);
  });
});
