// Arguments where a number or a boolean belongs. keepDims is true or false: anything else (a truthy string, a number, most likely a misplaced
// argument) is an ArgumentError naming the op, never read as truthy or falsy.
import { describe, expect, it } from 'vitest';
import { ArgumentError, grad, max, mean, median, min, prod, quantile, sum, tensor, type Tensor } from '../src/index.js';

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

describe('a node where a number belongs', () => {
  // Typed errors that say a node was given (not a NodeConversionError about template strings, which
  // message formatting would otherwise raise by converting the node to a string).
  it.each([
    ['at', (x: Tensor) => x.at(x.at(0) as never), /^at: index a scalar node is not an integer/],
    ['slice', (x: Tensor) => x.slice(x.at(0) as never, 2), /^slice: range \[a scalar node/],
    ['reshape', (x: Tensor) => x.reshape([x.at(0) as never]), /^reshape: cannot reshape \[2\] \(2 elements\) to \[a scalar node/],
  ])('%s names the node', (_name, f, message) => {
    expect(() => grad((x: Tensor) => (f(x) as Tensor).sum())([0, 2])).toThrow(message);
  });
});
