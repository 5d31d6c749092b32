// Arguments past a function's last parameter, which JavaScript would drop without a word:
// `cg(apply, b, options, extra)` would be the solve without the extra, `lanczos(apply, n, k, options, 5)`
// the default run. Every exported function refuses a non-undefined one with core's noExtraArguments, as
// a CurvatureInputError (the class the package promises for every bad argument) whose message starts with
// the function's name. The table is checked against Object.keys of the package index, so a new exported
// function without a case (or a listed exemption) fails the first test.
import { tensor, type Tensor } from '@dualtape/core';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { CurvatureInputError, LanczosProcess, createRng, type LinearOperator } from '../src/index.js';

type Fn = (...args: unknown[]) => unknown;
const exported = api as unknown as Record<string, unknown>;
const isClass = (v: unknown) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));
/** The exported functions a user calls: not types (not in Object.keys), constants, classes or error classes. */
const FUNCTIONS = Object.keys(api).filter((name) => typeof exported[name] === 'function' && !isClass(exported[name]));

const v2 = () => Float64Array.of(1, 2);
const identity: LinearOperator = (v) => Float64Array.from(v);
const diagonal: LinearOperator = (v) => v.map((x, i) => (i + 1) * x);
const sphere = (x: Tensor) => x.square().sum();
const sphereFlat = (x: Float64Array) => ({ value: x.reduce((s, a) => s + a * a, 0), grad: x.map((a) => 2 * a) });
const sphereNewton = (x: Float64Array) => ({ ...sphereFlat(x), apply: (v: Float64Array) => v.map((a) => 2 * a) });
const phi = (a: number) => ({ value: (a - 2) ** 2, slope: 2 * (a - 2), payload: a });

/** A valid call with every parameter in place (options as {} or small), so that an extra lands past the real end. */
const CASES: Record<string, () => unknown[]> = {
  adam: () => [sphere, [1, 2], { maxIterations: 2 }],
  adamFlat: () => [sphereFlat, v2(), { maxIterations: 2 }],
  assertSymmetric: () => [diagonal, 3, {}],
  axpy: () => [2, v2(), v2()],
  cg: () => [diagonal, v2(), {}],
  checkFinite: () => ['f', 'v', v2()],
  checkInteger: () => ['f', 'k', 2, 1, 5],
  checkLength: () => ['f', 'v', v2(), 2],
  checkNumber: () => ['f', 'x', 1, 0, 10, false],
  checkVector: () => ['f', 'v', v2()],
  checkedApply: () => ['f', 'operator output', identity, v2()],
  checkedOptions: () => ['f', {}, {}],
  createRng: () => [7],
  denseOperator: () => [[[2, 0], [0, 3]]],
  dot: () => [v2(), v2()],
  hutchinsonDiagonal: () => [diagonal, 3, { probes: 2 }],
  hutchinsonTrace: () => [diagonal, 3, { probes: 2 }],
  jacobiEigen: () => [[[2, 1], [1, 2]], {}],
  lanczos: () => [diagonal, 4, 1, {}],
  lbfgs: () => [sphere, [1, 2], { maxIterations: 2 }],
  lbfgsFlat: () => [sphereFlat, v2(), { maxIterations: 2 }],
  newtonCG: () => [sphere, [1, 2], {}],
  newtonCGFlat: () => [sphereNewton, v2(), {}],
  normalVector: () => [createRng(1), 3],
  powerIteration: () => [diagonal, 3, {}],
  rademacherVector: () => [createRng(1), 3],
  spectralDensity: () => [diagonal, 4, {}],
  squareMatrix: () => ['f', [[1, 0], [0, 1]]],
  steihaug: () => [diagonal, v2(), 1, {}],
  strongWolfeSearch: () => [phi, 4, -4, 1, { c1: 1e-4, c2: 0.9, maxEvaluations: 20, noise: 0 }],
  tridiagonalEigen: () => [[2, 2], [1]],
  tridiagonalEigenRows: () => [[2, 2], [1], [0]],
};

/**
 * Left out on purpose: one-parameter functions of a vector that are natural callbacks of map, filter
 * and every, which pass the index and the array after the element (refusing those would break
 * `vectors.map(norm)`; the extra cannot change their result).
 */
const EXEMPT: Record<string, string> = {
  norm: '`vectors.map(norm)`: the lengths of a list of vectors',
  allFinite: '`vectors.every(allFinite)` / `vectors.filter(allFinite)`: a predicate',
};

/** Every position from the first past the end (earlier ones undefined), for a node and for a number there. */
function expectRefusedPastTheEnd(name: string, call: (args: unknown[]) => unknown, args: unknown[]): void {
  for (let p = args.length; p < args.length + 3; p++) {
    for (const [label, extra] of [['a node', tensor([1, 2, 3])], ['a number', 3]] as const) {
      const padded = [...args, ...Array<undefined>(p - args.length).fill(undefined), extra];
      let thrown: unknown;
      try {
        call(padded);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `${name}: ${label} as argument ${p + 1} was dropped`).toBeInstanceOf(CurvatureInputError);
      const message = (thrown as Error).message;
      expect(message, `${name}: ${label} as argument ${p + 1}`).toMatch(new RegExp(`^${name.replace('.', '\\.')}: takes `));
      expect(message).toContain(`at position ${p + 1}`);
    }
  }
}

describe('an argument past the last parameter is a CurvatureInputError naming the function', () => {
  it('every exported function has a case or a listed exemption, and nothing else does', () => {
    expect([...Object.keys(CASES), ...Object.keys(EXEMPT)].sort()).toEqual([...FUNCTIONS].sort());
  });

  it.each(Object.keys(CASES))('%s', (name) => {
    const call = (args: unknown[]) => (exported[name] as Fn)(...args);
    expect(() => call(CASES[name]()), `${name}: the valid call`).not.toThrow();
    // undefined past the end is an optional parameter left out, not an extra.
    expect(() => call([...CASES[name](), undefined, undefined]), `${name}: undefined past the end`).not.toThrow();
    expectRefusedPastTheEnd(name, call, CASES[name]());
  });

  it('new LanczosProcess(op, start, where), proc.step() and proc.restart(v)', () => {
    const start = () => Float64Array.of(1, 1, 1);
    expect(() => new LanczosProcess(diagonal, start(), 'lanczos')).not.toThrow();
    expectRefusedPastTheEnd('LanczosProcess', (a) => new (LanczosProcess as unknown as new (...args: unknown[]) => unknown)(...a), [diagonal, start(), 'lanczos']);
    const proc = new LanczosProcess(diagonal, start());
    expectRefusedPastTheEnd('LanczosProcess.step', (a) => (proc.step as Fn).apply(proc, a), []);
    expect(proc.size, 'a refused step took no step').toBe(0);
    expect(proc.step()).toBe(true);
    expectRefusedPastTheEnd('LanczosProcess.restart', (a) => (proc.restart as Fn).apply(proc, a), [Float64Array.of(1, 0, 0)]);
    expect(proc.restart(Float64Array.of(1, 0, 0))).toBe(true);
  });

  it('the error is the package class, so one instanceof catches every bad argument', () => {
    expect(() => (api.cg as Fn)(diagonal, v2(), {}, { maxIterations: 5 })).toThrow(
      /^cg: takes 3 arguments, cg\(apply, b, options\); got a further argument an object at position 4/,
    );
  });

  it('a function of two parameters stays usable as the callback of reduce', () => {
    // reduce calls dot(a, b, 1, [a, b]): the index and the array after the two are reduce's, not extras.
    expect([Float64Array.of(1, 2), Float64Array.of(3, 4)].reduce(api.dot as never)).toBe(11);
  });
});

describe('the exempt functions work as map / every / filter callbacks', () => {
  it('norm and allFinite', () => {
    const vectors = [Float64Array.of(3, 4), Float64Array.of(NaN, 1), Float64Array.of(0, 0)];
    expect(vectors.map(api.norm)).toEqual([5, NaN, 0]);
    expect(vectors.every(api.allFinite)).toBe(false);
    expect(vectors.filter(api.allFinite)).toHaveLength(2);
  });
});
