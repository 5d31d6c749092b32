// Every routine that takes options checks them at run time: unknown keys (with the valid names and the
// nearest one), non-objects and wrong values are CurvatureOptionErrors, which are CurvatureInputErrors.
import { describe, expect, it } from 'vitest';
import {
  assertSymmetric,
  cg,
  CurvatureInputError,
  CurvatureOptionError,
  denseOperator,
  hutchinsonDiagonal,
  hutchinsonTrace,
  jacobiEigen,
  lanczos,
  newtonCGFlat,
  powerIteration,
  spectralDensity,
  steihaug,
} from '../src/index.js';
import { oracleOf, rosenbrock } from './mgh.js';

const A = denseOperator([[2, 1], [1, 3]]);
const b = Float64Array.of(1, 2);

/** Each routine, called with the options under test, and the option names it must list. */
const routines: [string, (options: unknown) => unknown, string[]][] = [
  ['cg', (o) => cg(A, b, o as never), ['tolerance', 'maxIterations', 'start', 'preconditioner', 'onNegativeCurvature']],
  ['steihaug', (o) => steihaug(A, b, 1, o as never), ['tolerance', 'maxIterations']],
  [
    'newtonCG',
    (o) => newtonCGFlat(oracleOf(rosenbrock), Float64Array.from(rosenbrock.x0), o as never),
    ['gradTolerance', 'relativeGradTolerance', 'maxIterations', 'initialRadius', 'maxRadius', 'minRadius', 'eta', 'forcing', 'cgMaxIterations', 'onIteration'],
  ],
  ['hutchinsonTrace', (o) => hutchinsonTrace(A, 2, o as never), ['probes', 'seed']],
  ['hutchinsonDiagonal', (o) => hutchinsonDiagonal(A, 2, o as never), ['probes', 'seed']],
  ['lanczos', (o) => lanczos(A, 2, 1, o as never), ['seed', 'maxIterations', 'tolerance', 'which', 'start', 'checkSymmetry', 'symmetryTolerance']],
  ['powerIteration', (o) => powerIteration(A, 2, o as never), ['seed', 'maxIterations', 'tolerance', 'start', 'checkSymmetry', 'symmetryTolerance']],
  [
    'spectralDensity',
    (o) => spectralDensity(A, 2, o as never),
    ['probes', 'lanczosSteps', 'seed', 'gridSize', 'sigma', 'checkSymmetry', 'symmetryTolerance'],
  ],
  ['assertSymmetric', (o) => assertSymmetric(A, 2, o as never), ['seed', 'symmetryTolerance', 'where']],
  ['jacobiEigen', (o) => jacobiEigen([[2, 1], [1, 3]], o as never), ['maxSweeps', 'symmetryTolerance']],
];

function thrown(call: () => unknown): CurvatureOptionError {
  try {
    call();
  } catch (e) {
    expect(e).toBeInstanceOf(CurvatureOptionError);
    expect(e).toBeInstanceOf(CurvatureInputError);
    expect((e as Error).name).toBe('CurvatureOptionError');
    return e as CurvatureOptionError;
  }
  throw new Error('expected a CurvatureOptionError');
}

describe.each(routines)('%s checks its options', (name, call, names) => {
  it('runs with no options and with {}', () => {
    expect(() => call(undefined)).not.toThrow();
    expect(() => call({})).not.toThrow();
  });

  it('rejects an unknown key, listing every valid name', () => {
    const e = thrown(() => call({ notAnOption: 1 }));
    expect(e.problem).toMatchObject({ fn: name, kind: 'unknown-option', option: 'notAnOption' });
    expect(e.problem.validNames).toEqual(names);
    expect(e.message).toContain(`${name}: unknown option 'notAnOption'`);
    expect(e.message).toContain(`Valid options: ${names.join(', ')}`);
  });

  it.each([null, 5, 'fast', [1]])('rejects options = %o', (bad) => {
    expect(thrown(() => call(bad)).problem.kind).toBe('not-an-object');
  });

  it('rejects a value of the wrong type for every option', () => {
    for (const key of names) {
      // A symbol is accepted by no rule: numbers, booleans, strings, functions and arrays all refuse it.
      const e = thrown(() => call({ [key]: Symbol('wrong') }));
      expect(e.problem).toMatchObject({ kind: 'invalid-value', option: key });
      expect(e.message).toContain(`option '${key}' must be`);
    }
  });
});

describe('the names these routines used to take point to the new ones', () => {
  it.each([
    ['cg', { maxIter: 5 }, 'maxIterations'],
    ['cg', { tol: 1e-6 }, 'tolerance'],
    ['newtonCG', { gradTol: 1e-6 }, 'gradTolerance'],
    ['newtonCG', { maxIter: 5 }, 'maxIterations'],
    ['newtonCG', { cgMaxIter: 5 }, 'cgMaxIterations'],
    ['lanczos', { symmetryTol: 1e-3 }, 'symmetryTolerance'],
    ['powerIteration', { maxIter: 5 }, 'maxIterations'],
    ['jacobiEigen', { symmetryTol: 1e-3 }, 'symmetryTolerance'],
  ])('%s %o → %s', (name, options, suggestion) => {
    const call = routines.find(([n]) => n === name)?.[1];
    if (!call) throw new Error(`no routine ${name}`);
    const e = thrown(() => call(options));
    expect(e.problem.suggestion).toBe(suggestion);
    expect(e.message).toContain(`did you mean '${suggestion}'?`);
  });

  it("hutchinsonTrace with { samples: 5 } is an error listing 'probes', not 100 silent probes", () => {
    const e = thrown(() => hutchinsonTrace(A, 2, { samples: 5 } as never));
    expect(e.message).toContain("unknown option 'samples'");
    expect(e.message).toContain('Valid options: probes, seed');
  });
});
