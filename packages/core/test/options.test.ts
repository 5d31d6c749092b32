// checkOptions: every options object is checked at run time, with one message format across packages.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DualtapeError,
  OptionError,
  checkOptions,
  describeValue,
  nearestName,
  option,
  type OptionProblem,
  type OptionsSpec,
} from '../src/index.js';
import { expectError } from './expect-error.js';

interface SolveOptions {
  maxIterations?: number;
  tolerance?: number;
  gradTolerance?: number;
  learningRate?: number | ((iteration: number) => number);
  method?: 'newton-cg' | 'gradient-descent';
  start?: Float64Array;
  checkFinite?: boolean;
  onIteration?: () => void;
}

const SPEC: OptionsSpec<SolveOptions> = {
  maxIterations: option.integer({ min: 0 }),
  tolerance: option.number({ min: 0 }),
  gradTolerance: option.number({ min: 0 }),
  learningRate: option.oneOf(option.number({ above: 0 }), option.function()),
  method: option.literal('newton-cg', 'gradient-descent'),
  start: option.float64Array(),
  checkFinite: option.boolean(),
  onIteration: option.function(),
};
const NAMES = Object.keys(SPEC);

/** Runs the check and returns the OptionError it throws (failing the test if it throws none). */
function problemOf(options: unknown): { error: OptionError; problem: OptionProblem } {
  try {
    checkOptions('solve', options as SolveOptions, SPEC);
  } catch (error) {
    expect(error).toBeInstanceOf(OptionError);
    expect(error).toBeInstanceOf(DualtapeError);
    const e = error as OptionError;
    expect(e.name).toBe('OptionError');
    expect(e.problem).not.toBeNull();
    return { error: e, problem: e.problem as OptionProblem };
  }
  throw new Error(`expected checkOptions to reject ${describeValue(options)}`);
}

describe('checkOptions accepts what the spec allows', () => {
  it('returns the options object itself, and {} for undefined', () => {
    const given: SolveOptions = { maxIterations: 5, method: 'gradient-descent', onIteration: () => undefined };
    expect(checkOptions('solve', given, SPEC)).toBe(given);
    expect(checkOptions('solve', undefined, SPEC)).toEqual({});
  });

  it('treats a key set to undefined as "use the default"', () => {
    expect(() => checkOptions('solve', { tolerance: undefined, start: undefined }, SPEC)).not.toThrow();
  });

  it('accepts every in-range value (property)', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            maxIterations: fc.nat(),
            tolerance: fc.double({ min: 0, max: 1e300, noNaN: true }),
            learningRate: fc.oneof(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), fc.constant((k: number) => 1 / (k + 1))),
            checkFinite: fc.boolean(),
            method: fc.constantFrom('newton-cg' as const, 'gradient-descent' as const),
          },
          { requiredKeys: [] },
        ),
        (options) => {
          expect(checkOptions('solve', options, SPEC)).toBe(options);
        },
      ),
    );
  });
});

describe('checkOptions rejects options that are not an object', () => {
  it.each([null, 3, 'fast', true, [1, 2], () => 1])('%o', (options) => {
    const { error, problem } = problemOf(options);
    expect(problem.kind).toBe('not-an-object');
    expect(problem.option).toBeNull();
    expect(error.message).toMatch(/^solve: options must be an object \(or left out\), got /);
    expect(error.message).toContain(describeValue(options));
    for (const name of NAMES) expect(error.message).toContain(name);
  });
});

describe('checkOptions rejects unknown keys, listing the valid names and suggesting the nearest', () => {
  it.each([
    ['checkfinite', 'checkFinite'], // case
    ['maxIter', 'maxIterations'], // abbreviation (the name curvature used to take)
    ['tol', 'tolerance'],
    ['gradTol', 'gradTolerance'],
    ['lr', 'learningRate'],
    ['maxItreations', 'maxIterations'], // neighbour swap
    ['tolerence', 'tolerance'], // substitution
    ['metod', 'method'], // deletion
  ])("'%s' → did you mean '%s'?", (key, nearest) => {
    const { error, problem } = problemOf({ [key]: 1 });
    expect(problem).toMatchObject({ fn: 'solve', kind: 'unknown-option', option: key, suggestion: nearest, value: 1 });
    expect(problem.validNames).toEqual(NAMES);
    expect(error.message).toBe(`solve: unknown option '${key}'; did you mean '${nearest}'? Valid options: ${NAMES.join(', ')}`);
  });

  it('makes no suggestion when nothing is close, and still lists the valid names', () => {
    const { error, problem } = problemOf({ samples: 5 });
    expect(problem.suggestion).toBeNull();
    expect(error.message).toBe(`solve: unknown option 'samples'. Valid options: ${NAMES.join(', ')}`);
  });

  it('rejects an unknown key even when its value is undefined (a typo is a typo)', () => {
    expect(problemOf({ maxIter: undefined }).problem.kind).toBe('unknown-option');
  });

  it('property: a valid name with any one letter changed in case is suggested back', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NAMES), fc.nat(), (name, at) => {
        const i = at % name.length;
        const c = name[i];
        const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
        const key = name.slice(0, i) + flipped + name.slice(i + 1);
        if (key === name) return; // a character with no case
        expect(problemOf({ [key]: 0 }).problem.suggestion).toBe(name);
      }),
    );
  });

  it('property: any key not in the spec is rejected; a suggestion, when made, is a valid name', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (key) => {
        if (NAMES.includes(key)) return;
        const { problem } = problemOf({ [key]: 0 });
        expect(problem.kind).toBe('unknown-option');
        expect(problem.option).toBe(key);
        if (problem.suggestion !== null) expect(NAMES).toContain(problem.suggestion);
      }),
    );
  });
});

describe('checkOptions rejects values of the wrong type or range', () => {
  it.each([
    [{ maxIterations: -1 }, 'maxIterations', 'an integer ≥ 0', '-1'],
    [{ maxIterations: 2.5 }, 'maxIterations', 'an integer ≥ 0', '2.5'],
    [{ maxIterations: '10' }, 'maxIterations', 'an integer ≥ 0', "'10'"],
    [{ tolerance: Number.NaN }, 'tolerance', 'a finite number ≥ 0', 'NaN'],
    [{ tolerance: Infinity }, 'tolerance', 'a finite number ≥ 0', 'Infinity'],
    [{ tolerance: null }, 'tolerance', 'a finite number ≥ 0', 'null'],
    [{ learningRate: 0 }, 'learningRate', 'a finite number > 0 or a function', '0'],
    [{ method: 'adam' }, 'method', "one of 'newton-cg', 'gradient-descent'", "'adam'"],
    [{ start: [1, 2] }, 'start', 'a Float64Array', 'an array of length 2'],
    [{ start: new Float32Array(2) }, 'start', 'a Float64Array', 'a Float32Array of length 2'],
    [{ checkFinite: 1 }, 'checkFinite', 'true or false', '1'],
    [{ onIteration: 'log' }, 'onIteration', 'a function', "'log'"],
  ])('%o', (options, key, expected, shown) => {
    const { error, problem } = problemOf(options);
    expect(problem).toMatchObject({ kind: 'invalid-value', option: key, expected });
    expect(error.message).toBe(`solve: option '${key}' must be ${expected}, got ${shown}`);
  });

  it('number bounds: min/max inclusive, above/below exclusive', () => {
    const rule = option.number({ above: 0, max: 1 });
    expect(rule.expected).toBe('a finite number > 0 and ≤ 1');
    expect([rule.accepts(0), rule.accepts(1e-300), rule.accepts(1), rule.accepts(1 + 1e-15)]).toEqual([false, true, true, false]);
    const open = option.integer({ min: 1, below: 4 });
    expect([0, 1, 3, 4].map((v) => open.accepts(v))).toEqual([false, true, true, false]);
  });
});

describe('packages throw their own error class through the factory', () => {
  class PackageError extends Error {}
  class PackageOptionError extends PackageError {
    constructor(message: string, readonly problem: OptionProblem) {
      super(message);
    }
  }

  it('uses the factory for every kind of problem, with the shared message', () => {
    for (const bad of [null, { maxIter: 1 }, { tolerance: -1 }]) {
      let caught: unknown;
      try {
        checkOptions('solve', bad as SolveOptions, SPEC, (message, problem) => new PackageOptionError(message, problem));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(PackageOptionError);
      expect((caught as PackageOptionError).message).toBe(problemOf(bad).error.message);
    }
  });
});

describe('nearestName and describeValue', () => {
  it('nearestName ignores far-off names and prefers the shortest abbreviated name', () => {
    expect(nearestName('seed', ['tolerance', 'maxIterations'])).toBeNull();
    expect(nearestName('tol', ['symmetryTolerance', 'tolerance', 'toleranceScale'])).toBe('tolerance');
    expect(nearestName('x', ['y'])).toBe('y'); // one edit away is always close enough
    expect(nearestName('anything', [])).toBeNull();
    // Singular for plural and back (maxEntry is 3 edits from maxEntries, more than a third of its length).
    expect(nearestName('maxEntry', ['digits', 'maxEntries'])).toBe('maxEntries');
    expect(nearestName('direction', ['directions', 'lanes'])).toBe('directions');
    expect(nearestName('lane', ['directions', 'lanes'])).toBe('lanes');
    expect(nearestName('class', ['glass', 'clas'])).toBe('glass'); // 'ss' is not a plural: the edit-distance rule decides
  });

  it('describeValue names the kind of non-primitive values', () => {
    expect(describeValue([[1, 2]])).toBe('an array of length 1');
    expect(describeValue(new Map())).toBe('an object of class Map');
    expect(describeValue({})).toBe('an object');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(3n)).toBe('3n (a bigint)');
  });
});

describe('regression: the option helpers refuse arguments of the wrong kind (adversarial pass)', () => {
  it('checkOptions names its own misuse: fn not a string, spec not an object, a rule that is not one', () => {
    expectError(() => checkOptions(undefined as never, {}, {}), ArgumentError, 'checkOptions', 'fn: string');
    expectError(() => checkOptions('f', {}, null as never), ArgumentError, 'checkOptions', 'null');
    expectError(() => checkOptions('f', { a: 1 }, { a: 3 } as never), ArgumentError, "rule for 'a'", 'option.number()');
    // A rule is only consulted for an option that is given: a bad rule for an absent option is not reached.
    expect(checkOptions('f', {}, { a: 3 } as never)).toEqual({});
  });
  it('a data object in the options slot is not an object of options (its settings were silently the defaults)', () => {
    const spec: OptionsSpec<{ tolerance?: number }> = { tolerance: option.number() };
    for (const junk of [new Float64Array(2), new Map([['tolerance', 1]]), new Set(), new Date(0), /x/, Promise.resolve()]) {
      expectError(() => checkOptions('solve', junk as never, spec), OptionError, 'solve: options must be an object');
    }
    expect(checkOptions('solve', Object.assign(Object.create(null), { tolerance: 1 }), spec)).toEqual({ tolerance: 1 });
  });
  it('nearestName takes a string and an array of strings', () => {
    expectError(() => nearestName(undefined as never, ['a']), ArgumentError, 'nearestName');
    expectError(() => nearestName('a', null as never), ArgumentError, 'nearestName', 'null');
    expectError(() => nearestName('a', [[]] as never), ArgumentError, 'nearestName');
  });
});
