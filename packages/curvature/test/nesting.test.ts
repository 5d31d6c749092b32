// The pytree optimizers step on numbers, so they run at top level. Called inside the function of
// another transform (grad, compile), their f and ∇f come back as nodes of that transform; this used to
// surface as core's StructureError "a node cannot be flattened into numbers; read its .value inside f",
// advice that does not help. Now it is core's NestedTransformError naming the optimizer.
import { describe, expect, it } from 'vitest';
import { NestedTransformError, compile, grad, type Tensor } from '@dualtape/core';
import { adam, lbfgs, newtonCG } from '../src/index.js';

const q = (x: Tensor) => x.square().sum();
const optimizers = [
  ['lbfgs', () => lbfgs(q, [1, 2])],
  ['newtonCG', () => newtonCG(q, [1, 2])],
  ['adam', () => adam(q, [1, 2], { maxIterations: 3 })],
] as const;

/** The error `run` throws inside `transform`'s f (which still returns a value, so the error is the optimizer's). */
function thrownInside(transform: (f: (y: Tensor) => unknown) => unknown, run: () => unknown): Error {
  try {
    transform((y) => {
      run();
      return y.sum();
    });
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw, but the call returned');
}

describe('lbfgs, newtonCG and adam inside another transform', () => {
  const inGrad = (f: (y: Tensor) => unknown) => grad(f as (y: Tensor) => never)([1, 1]);
  const inCompile = (f: (y: Tensor) => unknown) => compile(f as (y: Tensor) => never, [1, 1]);

  it.each(optimizers)('%s inside grad or compile is a NestedTransformError saying to call it at top level', (name, run) => {
    for (const transform of [inGrad, inCompile]) {
      const error = thrownInside(transform, run);
      expect(error).toBeInstanceOf(NestedTransformError);
      expect(error.message).toContain(`${name}: called inside the function of another transform`);
      expect(error.message).toContain(`Call ${name} at top level, outside the function of another transform`);
    }
  });

  it.each(optimizers)('%s still runs at top level', (_name, run) => {
    expect(() => run()).not.toThrow();
  });
});
