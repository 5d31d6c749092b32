// Findings of an adversarial pass: arguments of the wrong kind where an operator, a vector or a
// count belongs were internal TypeErrors ("op is not a function", "Cannot read properties of null",
// "Cannot convert a Symbol value to a string"); each is now a CurvatureInputError naming it.
import { describe, expect, it } from 'vitest';
import {
  CurvatureInputError, cg, hutchinsonTrace, lanczos, powerIteration, steihaug, tridiagonalEigen,
} from '../src/index.js';

const identity = (v: Float64Array) => Float64Array.from(v);

function expectInputError(fn: () => unknown, ...fragments: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CurvatureInputError);
  for (const fragment of fragments) expect((caught as Error).message).toContain(fragment);
}

describe('curvature routines refuse arguments of the wrong kind with a CurvatureInputError', () => {
  it('an operator that is not a function', () => {
    expectInputError(() => cg(1n as never, Float64Array.of(1, 2)), 'cg', 'operator', 'function', 'bigint');
    expectInputError(() => lanczos({} as never, 2, 1), 'lanczos', 'function', 'an object');
    expectInputError(() => hutchinsonTrace(Float32Array.of(1, 2) as never, 2), 'hutchinsonTrace', 'function');
    expectInputError(() => steihaug('a' as never, Float64Array.of(1, 2), 1), 'steihaug', 'function');
  });

  it('a vector that is null, undefined or a number', () => {
    expectInputError(() => cg(identity, null as never), 'cg', 'b', 'null');
    expectInputError(() => cg(identity, undefined as never), 'cg', 'b', 'undefined');
    expectInputError(() => steihaug(identity, 3 as never, 1), 'steihaug', 'g', '3');
    expectInputError(() => tridiagonalEigen(1.5 as never, null as never), 'tridiagonalEigen', 'diag');
    expectInputError(() => tridiagonalEigen(Float64Array.of(1, 2), null as never), 'tridiagonalEigen', 'offDiag', 'null');
  });

  it('a count that is a Symbol', () => {
    expectInputError(() => lanczos(identity, Symbol('n') as never, 1), 'lanczos', 'a symbol');
    expectInputError(() => powerIteration(identity, Symbol('n') as never), 'powerIteration', 'a symbol');
  });

  it('good arguments still work', () => {
    expect(Array.from(cg((v) => Float64Array.of(2 * v[0], 4 * v[1]), Float64Array.of(2, 4)).x)).toEqual([1, 1]);
    expect(Array.from(tridiagonalEigen([2, 2], [0]).values)).toEqual([2, 2]);
  });
});
