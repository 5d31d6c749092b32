// NumPy calls that used to be refused and now mean what NumPy means (found by the autograd peer suite):
// a nested or a single boolean mask in where, a missing clip bound, shape ops of a scalar node.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, ShapeError, broadcastTo, clip, dot, expandDims, grad, hvp, reshape, tensor, where, type Scalar, type Tensor,
} from '../src/index.js';
import { expectError } from './expect-error.js';

describe('where', () => {
  it('takes a nested array mask as NumPy reads a nested list, broadcast like a tensor mask', () => {
    const y = where([[true, false], [0, 1]], tensor([[1, 2], [5, 6]]), tensor([[3, 4]]));
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(y.value)).toEqual([1, 4, 3, 6]);
    // A [2, 1] nested mask against [2, 3] operands.
    const g = grad((x: Tensor) => where([[1], [0]], x.square(), x.mul(3)).sum())([[1, 2, 3], [4, 5, 6]]) as Float64Array;
    expect(Array.from(g)).toEqual([2, 4, 6, 3, 3, 3]);
  });

  it('takes one boolean or number for every element', () => {
    expect(Array.from(where(true, tensor([1, 2]), tensor([3, 4])).value)).toEqual([1, 2]);
    expect(Array.from(where(0, tensor([1, 2]), tensor([3, 4])).value)).toEqual([3, 4]);
    expect(Array.from(grad((x: Tensor) => where(false, x, x.square()).sum())([1, 2]) as Float64Array)).toEqual([2, 4]);
  });

  it('names a ragged or ill-typed nested mask', () => {
    expectError(() => where([[true, false], [0]] as never, tensor([1, 2]), 0), ArgumentError, 'where', 'mask[1]', 'rectangular');
    expectError(() => where([[true, 'yes']] as never, tensor([1, 2]), 0), ArgumentError, 'where', 'mask[0][1]');
    expectError(() => where([[true, false, true]], tensor([1, 2]), 0), ShapeError, 'where');
    // A hole is named, not skipped (which shifted the entries after it: [[1, , 0]] read as [1, 0, true]).
    // eslint-disable-next-line no-sparse-arrays
    expectError(() => where([[1, , 0]] as never, tensor([[1, 2, 3]]), 0), ArgumentError, 'where', 'mask[0][1] is undefined');
  });
});

describe('clip', () => {
  it('takes null or undefined for no bound on that side, as NumPy\'s None', () => {
    expect(Array.from(clip(tensor([-3, 1, 5]), null, 3).value)).toEqual([-3, 1, 3]);
    expect(Array.from(clip(tensor([-3, 1, 5]), 0, undefined).value)).toEqual([0, 1, 5]);
    expect(Array.from(grad((x: Tensor) => clip(x, null, 3).sum())([-3, 1, 5]) as Float64Array)).toEqual([1, 1, 0]);
    expectError(() => clip(tensor([1]), null, undefined), ArgumentError, 'clip', 'both missing');
  });
});

describe('shape ops of a scalar node', () => {
  it('reshape, broadcastTo and expandDims read it as a 0-d tensor, with its derivatives', () => {
    const f = (s: Scalar) => reshape(s.square(), [1, 1]).sum().add(broadcastTo(s, [3]).sum()).add(expandDims(s, 0).mul(tensor([2])).sum());
    // s² + 3s + 2s: derivative 2s + 5, second derivative 2.
    expect(grad(f)(1.5)).toBe(8);
    expect(hvp(f, 1.5, 1)).toBe(2);
    expect(reshape(tensor([7]).at(0), [1, 1, 1]).shape).toEqual([1, 1, 1]);
    expectError(() => reshape(tensor([7]).at(0), [2]), ShapeError, 'reshape');
  });
});

describe('dot', () => {
  it('of matrices names what NumPy\'s dot means there', () => {
    expectError(() => dot(tensor([[1, 2], [3, 4]]), tensor([[1, 0], [0, 1]])), ShapeError, 'dot', 'matmul', 'tensordot');
  });
});

