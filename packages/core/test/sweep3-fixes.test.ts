// Fixes from the third adversarial sweep of the public API: each case failed (an uncatchable crash, an
// inconsistent reading, a silent wrong number) before its fix.
import { describe, expect, it } from 'vitest';
import { ArgumentError, flatten, grad, hvp, randomKey, splitKey, tensor, type Tensor } from '../src/index.js';
import { expectError } from './expect-error.js';

describe('splitKey: a count limit instead of an out-of-memory crash', () => {
  it('refuses more than 2²² keys with an ArgumentError that says how to get more', () => {
    expectError(() => splitKey(randomKey(0), 2 ** 22 + 1), ArgumentError, 'splitKey', '4194305');
    expectError(() => splitKey(randomKey(0), 2 ** 31), ArgumentError, 'splitKey', 'at most 2²²', 'two levels');
  });
  it('still makes the keys up to the limit, the first ones unchanged by n', () => {
    const few = splitKey(randomKey(3), 3);
    const many = splitKey(randomKey(3), 1000);
    expect(many.slice(0, 3).map(String)).toEqual(few.map(String));
  });
});

describe('nested arrays with an empty innermost axis are matrix leaves, as tensor() reads them', () => {
  const seen = (x: unknown): unknown => {
    let shape: unknown = null;
    grad((t: Tensor) => {
      shape = t.shape;
      return t.sum();
    })(x as never);
    return shape;
  };
  it('[[]] is a 1×0 tensor in f, [[], []] a 2×0 one, [[[]]] 1×1×0', () => {
    expect(tensor([[]] as never).shape).toEqual([1, 0]);
    expect(seen([[]])).toEqual([1, 0]);
    expect(seen([[], []])).toEqual([2, 0]);
    expect(seen([[[]]])).toEqual([1, 1, 0]);
  });
  it('the gradient is the empty vector of such a leaf, as for any matrix leaf', () => {
    const g = grad((t: Tensor) => t.sum())([[]] as never) as unknown as Float64Array;
    expect(g).toBeInstanceOf(Float64Array);
    expect(g.length).toBe(0);
    expect(flatten({ a: [[]], b: [1, 2] } as never)).toEqual(Float64Array.of(1, 2));
    expect(hvp((t: Tensor) => t.sum(), [[], []] as never, [[], []] as never)).toHaveLength(0);
  });
  it('ragged nested arrays stay lists of vectors', () => {
    let kinds: unknown = null;
    grad((xs: Tensor[]) => {
      kinds = xs.map((x) => x.shape);
      return xs[1].sum();
    })([[1], []] as never);
    expect(kinds).toEqual([[1], [0]]);
  });
});
