// keepDims is true or false: anything else (a truthy string, a number, most likely a misplaced
// argument) is an ArgumentError naming the op, never read as truthy or falsy.
import { describe, expect, it } from 'vitest';
import { ArgumentError, max, mean, median, min, prod, quantile, sum, tensor, type Tensor } from '../src/index.js';

const x = tensor([[1, 2], [3, 4]]);
const reductions: Array<[string, (keepDims: unknown) => unknown]> = [
  ['sum', (k) => sum(x, 0, k as boolean)],
  ['mean', (k) => mean(x, 0, k as boolean)],
  ['max', (k) => max(x, 0, k as boolean)],
  ['min', (k) => min(x, 0, k as boolean)],
  ['prod', (k) => prod(x, 0, k as boolean)],
  ['median', (k) => median(x, 0, k as boolean)],
  ['quantile', (k) => quantile(x, 0.5, 0, k as boolean)],
];

describe('keepDims must be a boolean', () => {
  it.each(reductions)('%s refuses keepDims that is not true or false, naming itself', (name, reduce) => {
    for (const bad of ['yes', 1, 0, null, {}, [true]]) {
      expect(() => reduce(bad)).toThrow(ArgumentError);
      expect(() => reduce(bad)).toThrow(new RegExp(`^${name}: keepDims must be true or false`));
    }
    // true keeps the axis as 1, false (or left out) drops it.
    expect((reduce(true) as Tensor).shape).toEqual([1, 2]);
    expect((reduce(false) as Tensor).shape).toEqual([2]);
  });
});
