// Integer-list arguments (shapes, axes, permutations, counts, indices, windows) take a typed array
// wherever they take a plain array (docs/conventions.md, "Integer arguments"): the same result and the
// same derivatives as the plain array, and the same refusal of a non-integer element.
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index.js';
import { ArgumentError, DualtapeError, grad, tensor, type Tensor } from '../src/index.js';

const I = (...a: number[]) => Int32Array.from(a);
const F = (...a: number[]) => Float64Array.from(a);
const U = (...a: number[]) => Uint8Array.from(a);
const data = Array.from({ length: 24 }, (_, k) => Math.cos(0.7 * k) + k / 10);
const as = <T>(v: ArrayLike<number>) => v as unknown as T;
type L = readonly number[];

// Each case: an op on x ([2, 3, 4]) given one integer list `list` (made by `make` from plain numbers).
const cases: Array<[string, number[], (x: Tensor, list: (...a: number[]) => L) => Tensor | ops.Scalar]> = [
  ['reshape', [4, 6], (x, l) => ops.reshape(x, l(4, 6))],
  ['reshape with −1', [4, -1], (x, l) => x.reshape(l(4, -1))],
  ['transpose', [2, 0, 1], (x, l) => ops.transpose(x, l(2, 0, 1))],
  ['broadcastTo', [2, 2, 3, 4], (x, l) => ops.broadcastTo(x, l(2, 2, 3, 4))],
  ['sum axes', [0, 2], (x, l) => ops.sum(x, l(0, 2))],
  ['mean axes', [1], (x, l) => ops.mean(x, l(1), true)],
  ['max axes', [0, 1], (x, l) => ops.max(x, l(0, 1))],
  ['prod axes', [2], (x, l) => ops.prod(x, l(2))],
  ['logSumExp axes', [1, 2], (x, l) => ops.logSumExp(x, l(1, 2))],
  ['softmax axes', [2], (x, l) => ops.softmax(x, l(2))],
  ['norm axes', [0, 2], (x, l) => ops.norm(x, 2, l(0, 2))],
  ['variance axes', [1], (x, l) => ops.variance(x, l(1))],
  ['squeeze', [0], (x, l) => ops.squeeze(x.reshape([1, 2, 3, 4]), l(0))],
  ['flip', [0, 2], (x, l) => ops.flip(x, l(0, 2))],
  ['expandDims', [0, 2], (x, l) => ops.expandDims(x, l(0, 2))],
  ['roll', [1, 2], (x, l) => ops.roll(x, l(1, 2), l(1, 2))],
  ['moveAxis', [0, 2], (x, l) => ops.moveAxis(x, l(0), l(2))],
  ['tile', [2, 1, 1], (x, l) => ops.tile(x, l(2, 1, 1))],
  ['repeat', [1, 2, 0], (x, l) => ops.repeat(x, l(1, 2, 0), 1)],
  ['pad', [1, 2], (x, l) => ops.pad(x, l(1, 2) as never)],
  ['take', [2, 0, 1, 1], (x, l) => ops.take(x, l(2, 0, 1, 1), 2)],
  ['scatterAdd', [1, 0], (x, l) => ops.scatterAdd(x, l(1, 0), 1, 1)],
  ['scatterSet', [1, 0], (x, l) => ops.scatterSet(x, l(1, 0), 1, 1)],
  ['at', [1, 2, 3], (x, l) => ops.at(x, l(1, 2, 3))],
  ['tensordot', [1, 2], (x, l) => ops.tensordot(x, x, [l(1, 2), l(1, 2)] as unknown as [L, L])],
  ['maxPool2d window', [2, 2], (x, l) => ops.maxPool2d(x.reshape([1, 4, 6, 1]), l(2, 2))],
  ['avgPool2d window and stride', [2, 1], (x, l) => ops.avgPool2d(x.reshape([1, 4, 6, 1]), l(2, 2), { stride: l(2, 1) })],
  ['conv2d stride, padding, dilation', [1, 2], (x, l) => ops.conv2d(x.reshape([1, 4, 6, 1]), tensor(data.slice(0, 4)).reshape([2, 2, 1, 1]), { stride: l(1, 2) as never, padding: l(1, 0) as never, dilation: l(1, 1) as never })],
];

describe('integer lists: a typed array is taken as the plain array is', () => {
  it.each(cases)('%s: Int32Array, Uint8Array and an integer Float64Array give the plain array\'s value and gradient', (_, __, f) => {
    const run = (make: (...a: number[]) => L) => {
      const value = f(tensor(data).reshape([2, 3, 4]), make).value;
      const g = grad((t: Tensor) => ops.sum(ops.sin(f(t.reshape([2, 3, 4]), make) as Tensor)))(data) as Float64Array;
      return { value: Array.from(typeof value === 'number' ? [value] : value), g: Array.from(g) };
    };
    const plain = run((...a) => a);
    for (const make of [I, F, U]) {
      if (make === U && _ === 'reshape with −1') continue; // −1 does not fit a Uint8Array
      expect(run((...a) => as<L>(make(...a)))).toEqual(plain);
    }
  });

  it.each(cases)('%s: a non-integer in a Float64Array is refused, as in a plain array', (_, list, f) => {
    const bad = [...list];
    bad[bad.length - 1] += 0.5;
    const x = tensor(data).reshape([2, 3, 4]);
    let plainError: unknown, typedError: unknown;
    try { f(x, () => bad); } catch (e) { plainError = e; }
    try { f(x, () => as<L>(Float64Array.from(bad))); } catch (e) { typedError = e; }
    expect(plainError).toBeInstanceOf(DualtapeError);
    expect(typedError).toBeInstanceOf((plainError as object).constructor);
  });

  it('tensor(data, shape) and the shape of tensordot\'s pair take typed arrays', () => {
    expect(tensor(data, as<L>(I(4, 6))).shape).toEqual([4, 6]);
    const x = tensor(data).reshape([2, 3, 4]);
    expect(ops.tensordot(x, x, as<[L, L]>(I(2, 2))).shape).toEqual(ops.tensordot(x, x, [[2], [2]]).shape);
  });

  it('argsort indices go straight back into take', () => {
    const x = tensor([3, 1, 2]);
    expect(Array.from(ops.take(x, ops.argsort(x)).value)).toEqual([1, 2, 3]);
    expect(Array.from(ops.transpose(tensor([[1, 2], [3, 4]]), as<L>(ops.argsort(tensor([1, 0])))).value)).toEqual([1, 3, 2, 4]);
  });

  it('a bigint list is refused, naming the element', () => {
    const x = tensor(data).reshape([2, 3, 4]);
    expect(() => ops.sum(x, BigInt64Array.of(0n) as unknown as L)).toThrow(ArgumentError);
    expect(() => ops.reshape(x, BigInt64Array.of(4n, 6n) as unknown as L)).toThrow(DualtapeError);
  });
});
