// The one helper the error tests share: which class was thrown, and what its message names.
import { expect } from 'vitest';
import { DualtapeError } from '../src/index.js';

type ErrorClass = new (...args: never[]) => Error;

/** Runs fn, expecting an instance of `cls` (and of DualtapeError) whose message contains every fragment. */
export function expectError(fn: () => unknown, cls: ErrorClass, ...fragments: string[]): Error {
  let caught: unknown = undefined;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${cls.name} to be thrown`).toBeInstanceOf(cls);
  expect(caught).toBeInstanceOf(DualtapeError);
  const error = caught as Error;
  // The exact class, unless any DualtapeError is asked for.
  if (cls !== (DualtapeError as ErrorClass)) expect(error.name).toBe(cls.name);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
}
