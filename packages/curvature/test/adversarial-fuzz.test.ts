// Findings of an adversarial fuzz that called every export with junk (undefined, null, NaN, strings,
// symbols, bigints, objects, other typed arrays, functions) and of callbacks that return junk. Each
// was an internal TypeError/RangeError ("Cannot read properties of undefined (reading 'length')",
// "Invalid typed array length: 1e+308", "Cannot convert a Symbol value to a string", …) or a silently
// wrong result; each is now a typed error that names the argument or callback.
import { describe, expect, it } from 'vitest';
import { hvpOperator, type Tensor } from '@dualtape/core';
import {
  CurvatureConvergenceError, CurvatureInputError, CurvatureOptionError, DimensionMismatchError, LanczosProcess,
  NonFiniteValueError, adam, adamFlat, allFinite, assertSymmetric, axpy, cg, checkedApply, checkFinite, checkInteger,
  checkLength, checkNumber, checkVector, createRng, dot, hutchinsonDiagonal, hutchinsonTrace, lanczos, lbfgs, lbfgsFlat,
  newtonCG, newtonCGFlat, norm, normalVector, powerIteration, rademacherVector, spectralDensity, squareMatrix, steihaug,
  strongWolfeSearch, tridiagonalEigenRows, type NewtonCGOracleResult, type StrongWolfeParameters,
} from '../src/index.js';

const identity = (v: Float64Array) => Float64Array.from(v);
const sym = Symbol('junk');
const bare = Object.create(null) as object;

/** Runs fn and returns what it threw (fails the test if it returned normally). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw, but the call returned');
}

function expectError(cls: abstract new (...args: never[]) => Error, fn: () => unknown, ...fragments: string[]): void {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(cls);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
}

// Quadratic f(x) = ½‖x‖² for the optimizers.
const sphere = (x: Float64Array) => ({ value: 0.5 * x.reduce((s, v) => s + v * v, 0), grad: Float64Array.from(x) });
const sphereNewton = (x: Float64Array): NewtonCGOracleResult => ({ ...sphere(x), apply: identity });

describe('validators build their messages safely from any name or value', () => {
  it('checkVector / checkFinite / checkLength with a Symbol or an object as the name', () => {
    expectError(CurvatureInputError, () => checkVector(sym as never, bare as never, 1), 'a symbol: an object must be a Float64Array', 'got 1');
    expectError(CurvatureInputError, () => checkFinite(sym as never, 'v', {} as never), 'a symbol: v must be a Float64Array', 'an object');
    expectError(CurvatureInputError, () => checkLength(bare as never, 'v', sym as never, 2), 'an object: v must be', 'a symbol');
    expectError(DimensionMismatchError, () => checkLength(sym as never, 'v', [1], 2), 'a symbol: v has length 1, expected 2');
  });

  it('checkFinite describes entries that are not numbers instead of stringifying them', () => {
    expectError(NonFiniteValueError, () => checkFinite('f', 'v', [1, sym] as never), "f: v[1] is a symbol, expected a finite number");
    expectError(NonFiniteValueError, () => checkFinite('f', 'v', [1, 'x'] as never), "f: v[1] is 'x'");
    expectError(NonFiniteValueError, () => checkFinite('f', 'v', [bare] as never), 'f: v[0] is an object');
    expect(thrown(() => checkFinite('f', 'v', [1, NaN])).message).toBe('f: v[1] is NaN, expected a finite number');
  });

  it('checkVector refuses BigInt typed arrays (bigints cannot mix with numbers)', () => {
    expectError(CurvatureInputError, () => checkVector('f', 'v', BigInt64Array.of(1n)), 'f: v must be a Float64Array', 'a BigInt64Array');
    expectError(CurvatureInputError, () => cg(identity, BigUint64Array.of(1n) as never), 'cg: b must be', 'a BigUint64Array');
  });

  it('checkLength refuses an expected length that is not an integer ≥ 0', () => {
    expectError(CurvatureInputError, () => checkLength('f', 'v', [1], sym as never), 'f: the expected length of v must be an integer ≥ 0', 'a symbol');
    expectError(CurvatureInputError, () => checkLength('f', 'v', [1], -1), 'got -1');
  });

  it('checkInteger / checkNumber with a Symbol or object as name, value or bound', () => {
    expectError(CurvatureInputError, () => checkInteger(sym as never, bare as never, sym as never, 0), 'a symbol: an object must be an integer ≥ 0, got a symbol');
    expectError(CurvatureInputError, () => checkNumber({} as never, 'tol', 'x' as never, 0), "an object: tol must be a finite number ≥ 0, got 'x'");
    expectError(CurvatureInputError, () => checkInteger('f', 'k', 1, sym as never), 'f: the bounds for k must be numbers', 'min a symbol');
    expectError(CurvatureInputError, () => checkNumber('f', 'x', 1, 0, 10n as never), 'max 10n (a bigint)');
    expect(checkInteger('f', 'k', 3, 1, 5)).toBe(3);
    expect(checkNumber('f', 'x', 0.5, 0, 1, true)).toBe(0.5);
  });

  it('checkedApply: a bad name, a bad input vector and every kind of junk output', () => {
    const v = Float64Array.of(1, 2);
    expectError(CurvatureInputError, () => checkedApply(undefined as never, null as never, 1 as never, v), 'undefined: the null must be a function v => A·v, got 1');
    expectError(CurvatureInputError, () => checkedApply('f', sym as never, () => null as never, v), 'f: a symbol must be a Float64Array of length 2, got null');
    expectError(CurvatureInputError, () => checkedApply('f', 'operator output', identity, [1, 2] as never), 'f: the vector to apply the operator to must be a Float64Array, got an array of length 2');
    expectError(CurvatureInputError, () => checkedApply('f', 'operator output', () => undefined as never, v), 'f: operator output must be a Float64Array of length 2, got undefined');
    expectError(CurvatureInputError, () => checkedApply('f', 'operator output', () => 'x' as never, v), "got 'x'");
    expectError(CurvatureInputError, () => checkedApply('f', 'operator output', () => [1, 2] as never, v), 'got an array of length 2');
    expectError(DimensionMismatchError, () => checkedApply('f', 'operator output', () => new Float64Array(3), v), 'f: operator output has length 3, expected 2');
    expectError(NonFiniteValueError, () => checkedApply('f', 'operator output', () => Float64Array.of(NaN, NaN), v), 'f: operator output[0] is NaN');
  });

  it('squareMatrix with a Symbol as the name or an object as the matrix', () => {
    expectError(CurvatureInputError, () => squareMatrix(sym as never, {} as never), 'a symbol: matrix must be rows', 'got an object');
    expectError(CurvatureInputError, () => squareMatrix('f', bare as never), 'f: matrix must be rows', 'got an object');
    expect(squareMatrix(sym as never, [[1]]).n).toBe(1);
  });

  it('squareMatrix refuses a sparse array of rows (forEach skipped the holes, leaving zero rows)', () => {
    expectError(CurvatureInputError, () => squareMatrix('jacobiEigen', new Array(3) as never), 'jacobiEigen: row 0 is undefined');
    expectError(CurvatureInputError, () => squareMatrix('f', [[1, 0, 0], , [0, 0, 1]] as never), 'f: row 1 is undefined');
    // A long array that is not a matrix is reported, not a failed n² allocation (RangeError).
    expectError(CurvatureInputError, () => squareMatrix('f', new Array(100_000) as never), 'f: row 0 is undefined');
  });

  it('the error classes themselves accept any message or name', () => {
    expect(new CurvatureInputError(sym as never).message).toBe('a symbol');
    expect(new CurvatureConvergenceError(bare as never).message).toBe('an object');
    expect(new CurvatureInputError().message).toBe('');
    expect(new DimensionMismatchError(sym as never, bare as never, 2, 3).message).toBe('a symbol: an object has length 3, expected 2');
    expect(new NonFiniteValueError('f', 'v[0]', 0, 10n as never).message).toBe('f: v[0] is 10n (a bigint), expected a finite number');
  });
});

describe('random: createRng, normalVector, rademacherVector', () => {
  it('createRng refuses a Symbol or an object seed with a message (not a TypeError)', () => {
    expectError(CurvatureInputError, () => createRng(sym as never), 'createRng: seed must be a safe integer, got a symbol');
    expectError(CurvatureInputError, () => createRng(bare as never), 'got an object');
  });

  it('refuses an rng without the method', () => {
    for (const rng of [undefined, null, 1, {}, () => 1]) {
      expectError(CurvatureInputError, () => normalVector(rng as never, 2), 'normalVector: rng must be a generator with a normal() method', 'createRng(seed)');
      expectError(CurvatureInputError, () => rademacherVector(rng as never, 2), 'rademacherVector: rng must be a generator with a rademacher() method');
    }
  });

  it('refuses a length that is not an integer in [0, 2²⁸]', () => {
    const cases: [unknown, string][] = [[-1, 'got -1'], [1e308, 'got 1e+308'], [Infinity, 'got Infinity'], [null, 'got null'], [2.5, 'got 2.5'], [sym, 'got a symbol'], [10n, 'got 10n (a bigint)'], [{}, 'got an object']];
    for (const [n, got] of cases) {
      expectError(CurvatureInputError, () => normalVector(createRng(1), n as never), 'normalVector: n must be an integer in [0, 268435456]', got);
      expectError(CurvatureInputError, () => rademacherVector(createRng(1), n as never), 'rademacherVector: n must be an integer in [0, 268435456]', got);
    }
    expect(normalVector(createRng(1), 0)).toEqual(new Float64Array(0));
  });

  it('refuses what a hand-made rng returns when it is not a draw', () => {
    expectError(CurvatureInputError, () => normalVector({ normal: () => undefined } as never, 3), 'normalVector: rng.normal() must return a finite number, got undefined');
    expectError(CurvatureInputError, () => normalVector({ normal: () => NaN } as never, 3), 'got NaN');
    expectError(CurvatureInputError, () => rademacherVector({ rademacher: () => 0.5 } as never, 3), 'rademacherVector: rng.rademacher() must return 1 or -1, got 0.5');
  });

  it('draws the same numbers as before from a real generator', () => {
    const a = createRng(5);
    const expected = Float64Array.from({ length: 4 }, () => a.normal());
    expect(normalVector(createRng(5), 4)).toEqual(expected);
    const b = createRng(5);
    expect(rademacherVector(createRng(5), 6)).toEqual(Float64Array.from({ length: 6 }, () => b.rademacher()));
  });
});

describe('dot, norm, axpy, allFinite', () => {
  it('refuse a missing or wrong-kind vector', () => {
    expectError(CurvatureInputError, () => dot(undefined as never, Float64Array.of(1)), 'dot: a must be a Float64Array (or an array of numbers), got undefined');
    expectError(CurvatureInputError, () => dot(Float64Array.of(1), null as never), 'dot: b must be', 'got null');
    expectError(CurvatureInputError, () => dot('x' as never, 'x' as never), "dot: a must be", "got 'x'");
    expectError(CurvatureInputError, () => norm(undefined as never), 'norm: a must be', 'got undefined');
    expectError(CurvatureInputError, () => norm(null as never), 'got null');
    expectError(CurvatureInputError, () => allFinite(undefined as never), 'allFinite: v must be', 'got undefined');
    expectError(CurvatureInputError, () => axpy(1, undefined as never, new Float64Array(1)), 'axpy: x must be', 'got undefined');
  });

  it('refuse plain arrays holding something other than numbers (no silent coercion)', () => {
    expectError(CurvatureInputError, () => dot(['2'] as never, [3] as never), "dot: a[0] is '2', expected a number");
    expectError(CurvatureInputError, () => norm([3, null] as never), 'norm: a[1] is null, expected a number');
  });

  it('refuse vectors of different lengths (dot read past the end, giving NaN)', () => {
    expectError(DimensionMismatchError, () => dot(Float64Array.of(1, 2), Float64Array.of(1)), 'dot: b has length 1, expected 2');
    expectError(DimensionMismatchError, () => axpy(1, Float64Array.of(1), new Float64Array(2)), 'axpy: x has length 1, expected 2');
  });

  it('axpy refuses a non-finite or non-number alpha and a y it cannot update', () => {
    expectError(CurvatureInputError, () => axpy(sym as never, Float64Array.of(1), new Float64Array(1)), 'axpy: alpha must be a finite number, got a symbol');
    expectError(CurvatureInputError, () => axpy('2' as never, Float64Array.of(1), new Float64Array(1)), "got '2'");
    expectError(CurvatureInputError, () => axpy(NaN, Float64Array.of(1), new Float64Array(1)), 'got NaN');
    expectError(CurvatureInputError, () => axpy(1, Float64Array.of(1), 'x' as never), "axpy: y must be a Float64Array (it is updated in place), got 'x'");
    expectError(CurvatureInputError, () => axpy(1, Float64Array.of(1), Int32Array.of(0) as never), 'got a Int32Array');
    expectError(CurvatureInputError, () => axpy(1, Float64Array.of(1), null as never), 'got null');
  });

  it('give the same numbers as before for good input, plain arrays and other typed arrays included', () => {
    expect(dot([1, 2] as never, Float32Array.of(3, 4) as never)).toBe(11);
    expect(norm([3, 4] as never)).toBe(5);
    expect(norm(Float64Array.of(3e200, 4e200))).toBeCloseTo(5e200, -190);
    const y = Float64Array.of(1, 1);
    expect(axpy(2, Int32Array.of(1, 2) as never, y)).toBe(y);
    expect(Array.from(y)).toEqual([3, 5]);
    expect(allFinite([1, 'x'] as never)).toBe(false);
    expect(allFinite(Float64Array.of(1, 2))).toBe(true);
  });
});

describe('routines taking a size n refuse sizes no vector can have', () => {
  it('n = 1e308, 2³², 2³¹ or 2²⁸ + 1 is a CurvatureInputError, not "Invalid typed array length" or an out-of-memory crash', () => {
    const routines: [string, (n: number) => unknown][] = [
      ['assertSymmetric', (n) => assertSymmetric(identity, n)],
      ['lanczos', (n) => lanczos(identity, n, 1)],
      ['powerIteration', (n) => powerIteration(identity, n)],
      ['hutchinsonTrace', (n) => hutchinsonTrace(identity, n)],
      ['hutchinsonDiagonal', (n) => hutchinsonDiagonal(identity, n)],
      ['spectralDensity', (n) => spectralDensity(identity, n)],
    ];
    for (const [name, run] of routines) {
      for (const n of [1e308, 2 ** 32, 2 ** 31, 2 ** 28 + 1]) {
        expectError(CurvatureInputError, () => run(n), `${name}: n must be an integer in [1, 268435456]`);
      }
    }
  });
});

describe('operators that return the wrong kind of thing', () => {
  const returning = (out: unknown) => () => out as Float64Array;
  const b = Float64Array.of(1, 2);

  it('each routine names the operator output (or preconditioner output)', () => {
    expectError(CurvatureInputError, () => cg(returning(undefined), b), 'cg: operator output must be a Float64Array of length 2, got undefined');
    expectError(CurvatureInputError, () => cg(identity, b, { preconditioner: returning('x') }), "cg: preconditioner output must be a Float64Array of length 2, got 'x'");
    expectError(CurvatureInputError, () => steihaug(returning([1, 2]), b, 1), 'steihaug: operator output must be a Float64Array', 'got an array of length 2');
    expectError(CurvatureInputError, () => lanczos(returning(null), 2, 1), 'lanczos: operator output must be a Float64Array', 'got null');
    expectError(CurvatureInputError, () => lanczos(returning(1), 2, 1, { checkSymmetry: false }), 'lanczos: operator output', 'got 1');
    expectError(CurvatureInputError, () => powerIteration(returning({}), 2), 'powerIteration: operator output', 'got an object');
    expectError(CurvatureInputError, () => hutchinsonTrace(returning(undefined), 2), 'hutchinsonTrace: operator output', 'got undefined');
    expectError(CurvatureInputError, () => hutchinsonDiagonal(returning(sym), 2), 'hutchinsonDiagonal: operator output', 'got a symbol');
    expectError(CurvatureInputError, () => spectralDensity(returning(Float32Array.of(1, 2)), 2), 'spectralDensity: operator output', 'got a Float32Array of length 2');
    expectError(CurvatureInputError, () => assertSymmetric(returning('v'), 2), 'assertSymmetric: operator output', "got 'v'");
  });

  it('an async operator is named: its output is a Promise, and the operator must be synchronous', () => {
    const later = async (v: Float64Array) => Float64Array.from(v);
    expectError(CurvatureInputError, () => cg(later as never, b), 'cg: operator output must be a Float64Array of length 2, got a Promise; the operator must be synchronous (not an async function)');
    expectError(CurvatureInputError, () => cg(identity, b, { preconditioner: later as never }), 'cg: preconditioner output', 'got a Promise; the preconditioner must be synchronous');
  });

  it("core's hvpOperator passed whole (an object) gets a pointer to H.applyFlat", () => {
    const H = hvpOperator((x: Tensor) => x.square().sum(), [1, 2]);
    const pointer = 'got an object with an applyFlat method (an hvpOperator?); pass H.applyFlat';
    expectError(CurvatureInputError, () => cg(H as never, b), 'cg: the operator must be a function v => A·v', pointer);
    expectError(CurvatureInputError, () => steihaug(H as never, b, 1), 'steihaug: the operator must be a function v => A·v', pointer);
    expectError(CurvatureInputError, () => lanczos(H as never, 2, 1), 'lanczos: the operator must be a function v => A·v', pointer);
    expectError(CurvatureInputError, () => newtonCGFlat((x) => ({ ...sphere(x), apply: H as never }), b), "newtonCG: the oracle's apply must be a function v => ∇²f(x)·v", pointer);
    // Other objects are described as before.
    expectError(CurvatureInputError, () => cg({} as never, b), 'cg: the operator must be a function v => A·v, got an object');
    // And the pointer works.
    expect([...cg(H.applyFlat, Float64Array.of(2, 4)).x]).toEqual([1, 2]);
  });

  it('wrong length and NaN-filled outputs are DimensionMismatchError and NonFiniteValueError', () => {
    expectError(DimensionMismatchError, () => hutchinsonTrace(returning(new Float64Array(3)), 2), 'hutchinsonTrace: operator output has length 3, expected 2');
    expectError(NonFiniteValueError, () => hutchinsonDiagonal(() => Float64Array.of(NaN, NaN), 2), 'hutchinsonDiagonal: operator output[0] is NaN');
    expectError(NonFiniteValueError, () => powerIteration(() => Float64Array.of(1, NaN), 2, { checkSymmetry: false }), 'powerIteration: operator output[1] is NaN');
  });
});

describe('the flat optimizers: bad oracle, bad x0, and oracles that return junk', () => {
  const x0 = Float64Array.of(1, -2);
  const optimizers: [string, (oracle: unknown, x: unknown) => unknown, string][] = [
    ['newtonCG', (o, x) => newtonCGFlat(o as never, x as never), '{ value, grad, apply }'],
    ['lbfgs', (o, x) => lbfgsFlat(o as never, x as never), '{ value, grad }'],
    ['adam', (o, x) => adamFlat(o as never, x as never, { maxIterations: 3 }), '{ value, grad }'],
  ];

  it('refuse an oracle that is not a function and an x0 that is not a vector', () => {
    for (const [name, run, shape] of optimizers) {
      const good = name === 'newtonCG' ? sphereNewton : sphere;
      expectError(CurvatureInputError, () => run(undefined, x0), `${name}: the oracle must be a function x => (${shape}), got undefined`);
      expectError(CurvatureInputError, () => run(good, undefined), `${name}: x0 must be a Float64Array (or an array of numbers), got undefined`);
      expectError(CurvatureInputError, () => run(good, null), `${name}: x0 must be`, 'got null');
    }
  });

  it('refuse an oracle result that is not an object, or lacks a numeric value', () => {
    for (const [name, run, shape] of optimizers) {
      expectError(CurvatureInputError, () => run(() => undefined, x0), `${name}: the oracle must return ${shape}, got undefined`);
      expectError(CurvatureInputError, () => run(() => 3, x0), `${name}: the oracle must return ${shape}, got 3`);
      expectError(CurvatureInputError, () => run(() => ({ value: '1', grad: new Float64Array(2), apply: identity }), x0), `${name}: the oracle's value must be a number f(x), got '1'`);
      expectError(CurvatureInputError, () => run(() => ({ grad: new Float64Array(2), apply: identity }), x0), `${name}: the oracle's value must be a number`, 'got undefined');
    }
  });

  it('refuse a gradient that is missing, of the wrong kind, or of the wrong length', () => {
    for (const [name, run] of optimizers) {
      expectError(CurvatureInputError, () => run(() => ({ value: 1, apply: identity }), x0), `${name}: oracle gradient must be a Float64Array`, 'got undefined');
      expectError(CurvatureInputError, () => run(() => ({ value: 1, grad: 'ab', apply: identity }), x0), `${name}: oracle gradient must be`, "got 'ab'");
      expectError(DimensionMismatchError, () => run(() => ({ value: 1, grad: [1, 2, 3], apply: identity }), x0), `${name}: oracle gradient has length 3, expected 2`);
    }
  });

  it('refuse NaN-filled f and gradient at x0', () => {
    for (const [name, run] of optimizers) {
      expectError(NonFiniteValueError, () => run(() => ({ value: NaN, grad: new Float64Array(2), apply: identity }), x0), `${name}: f(x0) is NaN`);
      expectError(NonFiniteValueError, () => run(() => ({ value: 1, grad: Float64Array.of(NaN, NaN), apply: identity }), x0), `${name}: grad f(x0)[0] is NaN`);
    }
  });

  it('refuse junk returned at a later trial point instead of treating it as a rejected step', () => {
    for (const [name, run, shape] of optimizers) {
      const good = name === 'newtonCG' ? sphereNewton : sphere;
      let calls = 0;
      const laterUndefined = (x: Float64Array) => (++calls === 1 ? good(x) : undefined);
      expectError(CurvatureInputError, () => run(laterUndefined, x0), `${name}: the oracle must return ${shape}, got undefined`);
      calls = 0;
      const laterStringValue = (x: Float64Array) => (++calls === 1 ? good(x) : { ...good(x), value: 'NaN' });
      expectError(CurvatureInputError, () => run(laterStringValue, x0), `${name}: the oracle's value must be a number f(x), got 'NaN'`);
    }
  });

  it('newtonCG refuses an oracle whose apply is not a function, and names the Hessian output', () => {
    expectError(CurvatureInputError, () => newtonCGFlat(() => ({ value: 1, grad: Float64Array.of(1, 1), apply: 3 as never }), x0), "newtonCG: the oracle's apply must be a function v => ∇²f(x)·v, got 3");
    expectError(CurvatureInputError, () => newtonCGFlat((x) => ({ ...sphere(x), apply: () => undefined as never }), x0), "newtonCG: the oracle's apply output must be a Float64Array", 'got undefined');
  });

  it('say that an async oracle returned a Promise and must be synchronous (not that its value is undefined)', () => {
    for (const [name, run, shape] of optimizers) {
      const good = name === 'newtonCG' ? sphereNewton : sphere;
      const later = async (x: Float64Array) => good(x);
      expectError(CurvatureInputError, () => run(later, x0), `${name}: the oracle returned a Promise; it must be synchronous (not an async function) and return ${shape}`);
    }
  });

  it('newtonCG names a forcing sequence that returns junk', () => {
    expectError(CurvatureInputError, () => newtonCGFlat(sphereNewton, x0, { forcing: () => sym as never }), 'newtonCG: forcing(‖g‖) must be a finite number ≥ 0 and ≤ 1, got a symbol');
    expectError(CurvatureInputError, () => newtonCGFlat(sphereNewton, x0, { forcing: () => undefined as never }), 'got undefined');
  });

  it('adam names a learning-rate schedule that returns an object without a string form', () => {
    expectError(CurvatureInputError, () => adamFlat(sphere, x0, { learningRate: () => bare as never }), 'adam: learningRate(1) must be a finite number > 0, got an object');
    expectError(CurvatureInputError, () => adamFlat(sphere, x0, { learningRate: () => sym as never }), 'got a symbol');
  });

  it('the pytree forms name a loss f that is not a function (not core\'s valueAndGrad/hvpOperator)', () => {
    expectError(CurvatureInputError, () => newtonCG(undefined as never, { a: 1 }), 'newtonCG: f must be a function (x) => Scalar of the parameter tree x, got undefined');
    expectError(CurvatureInputError, () => lbfgs({} as never, { a: 1 }), 'lbfgs: f must be a function', 'got an object');
    expectError(CurvatureInputError, () => adam(sym as never, { a: 1 }), 'adam: f must be a function', 'got a symbol');
  });

  it('good oracles still converge', () => {
    expect(newtonCGFlat(sphereNewton, x0).converged).toBe(true);
    expect(lbfgsFlat(sphere, x0).converged).toBe(true);
    expect(adamFlat(sphere, x0, { learningRate: 0.1, maxIterations: 2000 }).value).toBeLessThan(1e-6);
  });
});

describe('strongWolfeSearch', () => {
  const params: StrongWolfeParameters = { c1: 1e-4, c2: 0.9, maxEvaluations: 20, noise: 0 };
  const phi = (a: number) => ({ value: (a - 2) ** 2, slope: 2 * (a - 2), payload: a });

  it('refuses a missing phi and non-number values', () => {
    expectError(CurvatureInputError, () => strongWolfeSearch(undefined as never, 4, -4, 1, params), 'strongWolfeSearch: phi must be a function α => ({ value, slope, payload }), got undefined');
    expectError(CurvatureInputError, () => strongWolfeSearch(phi, NaN, -4, 1, params), 'strongWolfeSearch: value0 = φ(0) must be a finite number, got NaN');
    expectError(CurvatureInputError, () => strongWolfeSearch(phi, sym as never, -4, 1, params), 'value0', 'got a symbol');
    expectError(CurvatureInputError, () => strongWolfeSearch(phi, 4, '-4' as never, 1, params), "strongWolfeSearch: slope0 = φ′(0) must be a number, got '-4'");
    expectError(CurvatureInputError, () => strongWolfeSearch(phi, 4, -4, null as never, params), 'strongWolfeSearch: alpha1 (the first trial step) must be a number, got null');
  });

  it('refuses missing, unknown, out-of-range and inconsistent parameters', () => {
    expectError(CurvatureInputError, () => strongWolfeSearch(phi, 4, -4, 1, undefined as never), 'strongWolfeSearch: params.c1 is required');
    expectError(CurvatureInputError, () => strongWolfeSearch(phi, 4, -4, 1, { c1: 1e-4, c2: 0.9, noise: 0 } as never), 'params.maxEvaluations is required');
    expectError(CurvatureOptionError, () => strongWolfeSearch(phi, 4, -4, 1, 5 as never), 'strongWolfeSearch');
    expectError(CurvatureOptionError, () => strongWolfeSearch(phi, 4, -4, 1, { ...params, maxEvals: 3 } as never), "unknown option 'maxEvals'", "'maxEvaluations'");
    expectError(CurvatureOptionError, () => strongWolfeSearch(phi, 4, -4, 1, { ...params, c2: 1.5 }), "'c2'");
    expectError(CurvatureOptionError, () => strongWolfeSearch(phi, 4, -4, 1, { ...params, noise: sym as never }), "'noise'");
    expectError(CurvatureInputError, () => strongWolfeSearch(phi, 4, -4, 1, { ...params, c1: 0.5, c2: 0.1 }), 'strongWolfeSearch: params.c1 must be below params.c2, got c1 = 0.5, c2 = 0.1');
  });

  it('refuses what phi returns when it is not { value, slope }', () => {
    expectError(CurvatureInputError, () => strongWolfeSearch(() => undefined as never, 4, -4, 1, params), 'strongWolfeSearch: phi(1) must return { value, slope, payload }, got undefined');
    expectError(CurvatureInputError, () => strongWolfeSearch(() => ({ value: '1', slope: 0, payload: 0 }) as never, 4, -4, 1, params), "strongWolfeSearch: phi(1) must return numbers value and slope, got value '1' and slope 0");
  });

  it('still searches with good arguments (a NaN slope0 is refused: see line-search.test.ts)', () => {
    expect(strongWolfeSearch(phi, 4, -4, 1, params).outcome).toBe('strong-wolfe');
    expectError(CurvatureInputError, () => strongWolfeSearch(phi, 4, NaN, 1, params), 'strongWolfeSearch: slope0 = φ′(0) must be a finite number < 0, got NaN');
  });
});

describe('tridiagonalEigenRows and LanczosProcess', () => {
  it('tridiagonalEigenRows refuses a missing or out-of-range row list', () => {
    expectError(CurvatureInputError, () => tridiagonalEigenRows([], [], undefined as never), 'tridiagonalEigen: which must be an empty array (the matrix has no rows), got undefined');
    expectError(CurvatureInputError, () => tridiagonalEigenRows([1, 2], [0], 'a' as never), "which must be an array of row indices, integers in [0, 1], got 'a'");
    expectError(CurvatureInputError, () => tridiagonalEigenRows([1, 2], [0], [2]), 'tridiagonalEigen: which[0] is 2; which must be an array of row indices, integers in [0, 1]');
    expectError(CurvatureInputError, () => tridiagonalEigenRows([1, 2], [0], [0, 0.5]), 'which[1] is 0.5');
    expect(tridiagonalEigenRows([1, 2], [0], [1]).rows[0]).toEqual(Float64Array.of(0, 1));
  });

  it('LanczosProcess refuses a bad operator, start or restart vector', () => {
    expectError(CurvatureInputError, () => new LanczosProcess(undefined as never, Float64Array.of(1, 0)), 'lanczos: the operator must be a function v => A·v, got undefined');
    expectError(CurvatureInputError, () => new LanczosProcess(identity, undefined as never), 'lanczos: start must be a Float64Array', 'got undefined');
    expectError(NonFiniteValueError, () => new LanczosProcess(identity, Float64Array.of(1, NaN), 'mine'), 'mine: start[1] is NaN');
    expectError(CurvatureInputError, () => new LanczosProcess(identity, undefined as never, sym as never), 'a symbol: start must be');
    const proc = new LanczosProcess(identity, Float64Array.of(1, 0));
    proc.step();
    expectError(DimensionMismatchError, () => proc.restart(Float64Array.of(1)), 'lanczos: restart vector has length 1, expected 2');
    expectError(CurvatureInputError, () => proc.restart(null as never), 'lanczos: restart vector must be', 'got null');
  });
});

describe('tridiagonalEigen checks offDiag against an empty diag too (misuse sweep)', () => {
  it('diag = [] with offDiag = [0.5, 0.5] returned an empty result, where diag = [1] with it is a DimensionMismatchError', () => {
    expectError(DimensionMismatchError, () => tridiagonalEigenRows([], [0.5, 0.5], []), 'tridiagonalEigen: offDiag has length 2, expected 0');
    expectError(DimensionMismatchError, () => tridiagonalEigenRows([1], [0.5, 0.5], [0]), 'tridiagonalEigen: offDiag has length 2, expected 0');
    const empty = tridiagonalEigenRows([], [], []);
    expect(empty.values.length).toBe(0);
    expect(Array.from(tridiagonalEigenRows([2, 2], [1], [0]).values)).toEqual([1, 3]);
  });
});
