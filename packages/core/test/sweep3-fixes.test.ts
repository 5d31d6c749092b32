// Fixes from the third adversarial sweep of the public API: each case failed (an uncatchable crash, an
// inconsistent reading, a silent wrong number) before its fix.
import { describe, expect, it } from 'vitest';
import { ArgumentError, OptionError, StructureError, compile, flatten, grad, hvp, randomKey, splitKey, tensor, valueAndGrad, type Tensor } from '../src/index.js';
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
    expect(hvp(((t: Tensor) => t.sum()) as never, [[], []] as never, [[], []] as never)).toHaveLength(0);
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

describe('argnums with a hole is an OptionError', () => {
  it('[0, , 1] is refused as a list of positions, not read as argument "undefined"', () => {
    const f = (a: Tensor, b: Tensor) => a.mul(b).sum();
    // eslint-disable-next-line no-sparse-arrays
    const argnums = [0, , 1] as never;
    const calls = [
      () => grad(f as never, { argnums })([1, 2] as never, [3, 4] as never),
      () => valueAndGrad(f as never, { argnums })([1, 2] as never, [3, 4] as never),
    ];
    for (const call of calls) {
      const error = expectError(call, OptionError, 'argnums', 'distinct positions');
      expect(error.message).not.toContain('undefined');
    }
  });
});

describe("compile: a point of another structure is named x0 once, not in every path", () => {
  it('lists x0.w, x0.b and says what x0 is at the end', () => {
    const program = compile(((p: { w: Tensor; b: Tensor }) => p.w.square().sum().add(p.b.square().sum())) as never, { w: [1, 2], b: [3] } as never);
    const error = expectError(() => program.valueAndGrad({ b: [3], w: [1, 2] } as never), StructureError, 'x0 has leaves [x0.w, x0.b] but x has [x.b, x.w]; x0 is the point compile recorded f at');
    expect(error.message.match(/recorded f at/g)).toHaveLength(1);
    expectError(() => program.valueAndGrad({ w: [1, 2], b: 3 } as never), StructureError, 'x.b is a number but x0.b is a vector of length 1; x0 is the point compile recorded f at');
  });
});
