// Arguments where a number or a boolean belongs. keepDims is true or false: anything else (a truthy string, a number, most likely a misplaced
// argument) is an ArgumentError naming the op, never read as truthy or falsy.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, ShapeError, broadcastTo, cumprod, grad, logSumExp, matmul, norm, max, mean, median, min, prod, quantile, repeat, reshape, solve, stack, sum, tensor,
  triangularSolve, type Tensor,
} from '../src/index.js';

const x = tensor([[1, 2], [3, 4]]);
const reductions: Array<[string, (keepDims: unknown) => unknown]> = [
  ['sum', (k) => sum(x, 0, k as boolean)],
  ['mean', (k) => mean(x, 0, k as boolean)],
  ['max', (k) => max(x, 0, k as boolean)],
  ['min', (k) => min(x, 0, k as boolean)],
  ['prod', (k) => prod(x, 0, k as boolean)],
  ['median', (k) => median(x, 0, k as boolean)],
  ['quantile', (k) => quantile(x, 0.5, 0, k as boolean)],
  ['logSumExp', (k) => logSumExp(x, 0, k as boolean)],
  ['norm', (k) => norm(x, 2, 0, k as boolean)],
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

describe('keepDims through the methods', () => {
  it.each(['sum', 'mean', 'max', 'min', 'prod'] as const)('x.%s(undefined, keepDims) checks keepDims as the free function does', (name) => {
    const m = x[name] as (axis?: number, keepDims?: unknown) => unknown;
    expect(() => m.call(x, undefined, 'x')).toThrow(new RegExp(`^${name}: keepDims must be true or false`));
    expect((m.call(x, undefined, false) as { value: number }).value).toBe((m.call(x) as { value: number }).value);
  });
});

describe('sizes and axes that no tensor can hold', () => {
  it('a broadcast batch too large to hold is an ArgumentError saying so, in matmul and the solvers', () => {
    const A = tensor(new Float64Array(1e5).fill(2), [1e5, 1, 1, 1]);
    const B = tensor(new Float64Array(1e5).fill(1), [1, 1e5, 1, 1]);
    for (const product of [() => matmul(A, B), () => solve(A, B), () => triangularSolve(A, B)]) {
      expect(product).toThrow(ArgumentError);
      expect(product).toThrow(/10000000000 elements/);
    }
    // Batches that do not broadcast are still a ShapeError.
    expect(() => matmul(tensor(new Float64Array(2), [2, 1, 1]), tensor(new Float64Array(3), [3, 1, 1]))).toThrow(/batch dimensions \[2\] and \[3\] cannot be broadcast/);
  });

  it('repeat with per-element counts checks the result size before building it', () => {
    const v = tensor([1, 2, 3, 4]);
    for (const counts of [[2 ** 32, 1, 1, 1], [1e300, 1, 1, 1], [2 ** 30, 2 ** 30, 2 ** 30, 1]]) {
      expect(() => repeat(v, counts)).toThrow(ArgumentError);
    }
    expect(Array.from(repeat(v, [0, 2, 1, 3]).value)).toEqual([2, 2, 3, 4, 4, 4]);
  });

  it('stack refuses an axis that is not a number with an ArgumentError', () => {
    for (const axis of [Symbol('a'), '1', null, 1n]) expect(() => stack([x, x], axis as never)).toThrow(ArgumentError);
  });

  it('reshape and broadcastTo refuse a dimension above 2³¹, as tensor() does, even when the tensor is empty', () => {
    const empty = tensor(new Float64Array(0), [0, 3]);
    expect(() => tensor(new Float64Array(0), [1e12, 0])).toThrow(ShapeError);
    expect(() => reshape(empty, [1e12, 0])).toThrow(ShapeError);
    expect(() => broadcastTo(tensor(new Float64Array(0), [1, 0]), [1e12, 0])).toThrow(ArgumentError);
    expect(reshape(empty, [3, 0, 7]).shape).toEqual([3, 0, 7]);
  });
});

describe('cumprod keeps the sign of zero (IEEE, as NumPy)', () => {
  it.each([
    [[-1, 0], [-1, -0]],
    [[2, -0], [2, -0]],
    [[-0, 2], [-0, -0]],
    [[-0, -2, 3], [-0, 0, 0]],
    [[3, -2, 0, 5], [3, -6, -0, -0]],
  ])('cumprod(%j) = %j', (input, expected) => {
    const y = Array.from(cumprod(tensor(input)).value);
    y.forEach((v, k) => expect(Object.is(v, expected[k])).toBe(true));
  });
});
