import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cg } from '../src/cg.js';
import { CurvatureInputError, DimensionMismatchError, NonFiniteValueError } from '../src/errors.js';
import {
  dotT,
  matvec,
  normT,
  operatorOf,
  randomSPD,
  randomSymmetric,
  randomVector,
  solve,
  sub,
  withSpectrum,
  type Matrix,
} from './helpers.js';

const relErr = (x: ArrayLike<number>, y: ArrayLike<number>) => normT(sub(x, y)) / normT(y);

describe('cg on SPD systems', () => {
  it.each([
    [5, 1],
    [20, 2],
    [60, 3],
  ])('n = %i (seed %i) matches a direct solve', (n, seed) => {
    const A = randomSPD(n, 0.5, seed);
    const b = randomVector(n, seed + 100);
    const op = operatorOf(A);
    const r = cg(op, b);
    expect(r.reason).toBe('converged');
    expect(relErr(r.x, solve(A, b))).toBeLessThan(1e-7);
    // The reported residual is the recurrence; the true one must agree with it.
    const trueResidual = normT(sub(b, matvec(A, r.x)));
    expect(trueResidual).toBeLessThan(1e-9 * normT(b));
    expect(r.residualNorm).toBeLessThanOrEqual(1e-10 * normT(b));
    expect(r.applies).toBe(op.count);
    expect(r.applies).toBe(r.iterations);
  });

  it('property: random SPD systems are solved to the requested relative residual', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const A = randomSPD(n, 0.1, seed);
        const b = randomVector(n, seed + 1);
        const r = cg(operatorOf(A), b, { tolerance: 1e-8, maxIterations: 10 * n });
        expect(r.reason).toBe('converged');
        expect(normT(sub(b, matvec(A, r.x)))).toBeLessThan(1e-7 * normT(b));
      }),
      { numRuns: 60 },
    );
  });

  it('terminates in at most (#distinct eigenvalues) steps, up to rounding', () => {
    const eig = Array.from({ length: 40 }, (_, i) => [1, 3, 10][i % 3]);
    const A = withSpectrum(eig, 4);
    const r = cg(operatorOf(A), randomVector(40, 5));
    expect(r.reason).toBe('converged');
    expect(r.iterations).toBeLessThanOrEqual(4);
  });

  it('uses start (one extra product) and returns at once when start solves the system', () => {
    const A = randomSPD(15, 1, 8);
    const b = randomVector(15, 9);
    const exact = solve(A, b);
    const warm = cg(operatorOf(A), b, { start: exact });
    expect(warm.iterations).toBe(0);
    expect(warm.applies).toBe(1);
    expect(warm.reason).toBe('converged');
    const fromGuess = cg(operatorOf(A), b, { start: randomVector(15, 10) });
    expect(fromGuess.applies).toBe(fromGuess.iterations + 1);
    expect(relErr(fromGuess.x, exact)).toBeLessThan(1e-7);
  });

  it('b = 0 gives x = 0 without products', () => {
    const r = cg(operatorOf(randomSPD(4, 1, 1)), new Float64Array(4), { start: Float64Array.of(1, 2, 3, 4) });
    expect([...r.x]).toEqual([0, 0, 0, 0]);
    expect(r.applies).toBe(0);
  });

  it('stops at maxIterations with reason max-iterations', () => {
    const A = randomSPD(30, 0.01, 11);
    const r = cg(operatorOf(A), randomVector(30, 12), { maxIterations: 3 });
    expect(r.reason).toBe('max-iterations');
    expect(r.iterations).toBe(3);
    expect(r.applies).toBe(3);
  });
});

describe('cg with a preconditioner', () => {
  it('a Jacobi (diagonal) preconditioner cuts iterations on a badly scaled matrix', () => {
    const n = 50;
    const S = randomSPD(n, 5, 21); // well conditioned core
    const d = Array.from({ length: n }, (_, i) => 10 ** ((6 * i) / (n - 1)));
    const A: Matrix = S.map((row, i) => row.map((s, j) => Math.sqrt(d[i]) * s * Math.sqrt(d[j])));
    const b = randomVector(n, 22);
    const plain = cg(operatorOf(A), b, { tolerance: 1e-8, maxIterations: 1000 });
    const jacobi = (r: Float64Array) => r.map((ri, i) => ri / A[i][i]);
    const pre = cg(operatorOf(A), b, { tolerance: 1e-8, maxIterations: 1000, preconditioner: jacobi });
    expect(pre.reason).toBe('converged');
    expect(pre.iterations).toBeLessThan(0.5 * plain.iterations);
    expect(normT(sub(b, matvec(A, pre.x)))).toBeLessThan(1e-6 * normT(b));
  });

  it('rejects a preconditioner that is not positive definite', () => {
    const A = randomSPD(5, 1, 3);
    expect(() => cg(operatorOf(A), randomVector(5, 4), { preconditioner: (r) => r.map((x) => -x) })).toThrow(
      /preconditioner must be positive definite/,
    );
  });
});

describe('cg at any scale of b', () => {
  it('solves the same SPD system at ‖b‖ from 1e-300 to 1e300, with and without a preconditioner (its squares once under- and overflowed)', () => {
    // At 1e-170 rᵀr underflowed to a false 'negative-curvature' and x = 0; at 1e160 it overflowed to NaN.
    const A: Matrix = [[2, 1, 0], [1, 3, 1], [0, 1, 4]];
    const b0 = Float64Array.of(1, 2, 3);
    const x0 = solve(A, b0);
    const jacobi = (r: Float64Array) => r.map((v, i) => v / A[i][i]);
    for (const s of [1e-300, 1e-170, 1e-160, 1, 1e150, 1e160, 1e300]) {
      for (const preconditioner of [undefined, jacobi]) {
        const r = cg(operatorOf(A), b0.map((v) => v * s), { preconditioner });
        expect(r.reason, `scale ${s}`).toBe('converged');
        expect(relErr(r.x.map((v) => v / s), x0), `scale ${s}`).toBeLessThan(1e-12);
        expect(r.residualNorm / (s * normT(b0))).toBeLessThan(1e-10);
      }
    }
  });

  it('reports a negative-curvature direction and its curvature in the units of b', () => {
    const A = withSpectrum([5, 4, 3, 2, 1, -1, -2, -3], 31);
    for (const s of [1e-200, 1, 1e100]) {
      const r = cg(operatorOf(A), randomVector(8, 32).map((v) => v * s));
      expect(r.reason).toBe('negative-curvature');
      const d = r.direction as Float64Array;
      expect(Math.abs((r.curvature as number) - dotT(d, matvec(A, d)))).toBeLessThanOrEqual(1e-12 * Math.abs(r.curvature as number));
    }
  });
});

describe('cg on indefinite systems', () => {
  it("reports negative curvature with a direction d such that dᵀAd ≤ 0 ('stop')", () => {
    const A = withSpectrum([5, 4, 3, 2, 1, -1, -2, -3], 31);
    const b = randomVector(8, 32);
    const r = cg(operatorOf(A), b);
    expect(r.reason).toBe('negative-curvature');
    expect(r.direction).toBeDefined();
    const d = r.direction as Float64Array;
    expect(dotT(d, matvec(A, d))).toBeLessThanOrEqual(0);
    expect(r.curvature).toBeCloseTo(dotT(d, matvec(A, d)), 10);
    expect(r.x.every(Number.isFinite)).toBe(true);
  });

  it('detects it on the first step when bᵀAb < 0', () => {
    const A: Matrix = [
      [1, 0],
      [0, -1],
    ];
    const r = cg(operatorOf(A), Float64Array.of(0, 1));
    expect(r.reason).toBe('negative-curvature');
    expect(r.iterations).toBe(0);
    expect([...r.x]).toEqual([0, 0]);
  });

  it("'continue' still solves a nonsingular indefinite system and reports the direction", () => {
    const A = withSpectrum([4, 3, 2, 1.5, -1, -2.5], 41);
    const b = randomVector(6, 42);
    const r = cg(operatorOf(A), b, { onNegativeCurvature: 'continue', maxIterations: 60 });
    expect(r.reason).toBe('converged');
    expect(relErr(r.x, solve(A, b))).toBeLessThan(1e-6);
    expect(r.direction).toBeDefined();
  });

  it('rejects a random symmetric (indefinite) matrix at some point', () => {
    const A = randomSymmetric(20, 5);
    expect(cg(operatorOf(A), randomVector(20, 6)).reason).toBe('negative-curvature');
  });
});

describe('cg input errors', () => {
  const A = randomSPD(3, 1, 1);
  it('dimension mismatch names both sizes', () => {
    expect(() => cg(operatorOf(A), Float64Array.of(1, 2, 3), { start: new Float64Array(4) })).toThrow(
      new DimensionMismatchError('cg', 'start', 3, 4),
    );
    const bad = () => new Float64Array(2);
    expect(() => cg(bad, Float64Array.of(1, 2, 3))).toThrow(/operator output has length 2, expected 3/);
  });

  it('non-finite inputs and outputs', () => {
    expect(() => cg(operatorOf(A), Float64Array.of(1, NaN, 3))).toThrow(NonFiniteValueError);
    expect(() => cg(operatorOf(A), Float64Array.of(1, NaN, 3))).toThrow(/b\[1\] is NaN, expected a finite number/);
    expect(() => cg((v) => v.map(() => Infinity), Float64Array.of(1, 2, 3))).toThrow(/operator output\[0\] is Infinity/);
  });

  it('invalid options', () => {
    expect(() => cg(operatorOf(A), Float64Array.of(1, 2, 3), { tolerance: -1 })).toThrow(CurvatureInputError);
    expect(() => cg(operatorOf(A), Float64Array.of(1, 2, 3), { maxIterations: 1.5 })).toThrow(/option 'maxIterations' must be an integer ≥ 0, got 1.5/);
  });

  it('copes with an operator that returns its input', () => {
    const r = cg((v) => v, Float64Array.of(1, 2, 3));
    expect([...r.x]).toEqual([1, 2, 3]);
    expect(r.iterations).toBe(1);
  });
});
