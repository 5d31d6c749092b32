// zeros, ones, full, eye, arange, linspace: values bit for bit as NumPy 2's (the literals are NumPy's
// output), constants inside f, usable as x outside, and typed errors for bad arguments.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, OptionError, ShapeError, arange, eye, full, grad, linspace, oneHot, ones, tensor, zeros, type Tensor,
} from '../src/index.js';
import { expectError } from './expect-error.js';

const values = (t: Tensor) => Array.from(t.value);

describe('constructors', () => {
  it('zeros, ones and full fill a shape', () => {
    expect(zeros([2, 3]).shape).toEqual([2, 3]);
    expect(values(zeros([2, 3]))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(values(ones([3]))).toEqual([1, 1, 1]);
    expect(values(full([2, 1], -2.5))).toEqual([-2.5, -2.5]);
    expect(zeros([]).shape).toEqual([]);
    expect(values(zeros([])).length).toBe(1);
    expect(values(zeros([0, 4]))).toEqual([]);
  });

  it('eye puts ones on diagonal k of an n×m matrix (numpy.eye)', () => {
    expect(values(eye(2))).toEqual([1, 0, 0, 1]);
    expect(values(eye(3, 4, -1))).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0]);
    expect(values(eye(2, 3, 5))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(values(eye(2, 3, 1))).toEqual([0, 1, 0, 0, 0, 1]);
  });

  it('arange and linspace give NumPy\'s numbers bit for bit', () => {
    expect(values(arange(4))).toEqual([0, 1, 2, 3]);
    expect(values(arange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    expect(values(arange(0, 1, 0.1))).toEqual([0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9]);
    expect(values(arange(5, 1, -1.5))).toEqual([5, 3.5, 2]);
    expect(values(arange(3, 1))).toEqual([]);
    expect(values(linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(values(linspace(0.1, 0.7, 7))).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(values(linspace(-1, 2, 7, { endpoint: false }))).toEqual(
      [-1, -0.5714285714285714, -0.1428571428571429, 0.2857142857142856, 0.7142857142857142, 1.1428571428571428, 1.5714285714285712]);
    expect(values(linspace(0, 1, 1))).toEqual([0]);
    expect(values(linspace(0, 1, 0))).toEqual([]);
    expect(linspace(0, 1).shape).toEqual([50]);
  });

  it('are constants inside f and values outside, whose numbers (or the node itself) a transform takes as x', () => {
    // f(x) = Σ (x − I)², gradient 2(x − I).
    // At top level a constant node given as x comes back as numbers (the types say Tensor, which is
    // what a nested call gives for a node of its enclosing tape).
    const g = grad((x: Tensor) => x.sub(eye(2)).square().sum())(ones([2, 2])) as unknown as Float64Array;
    expect(Array.from(g)).toEqual([0, 2, 2, 0]);
    expect(Array.from(grad((x: Tensor) => x.mul(linspace(1, 3, 3)).sum())(zeros([3])) as unknown as Float64Array)).toEqual([1, 2, 3]);
    expect(Array.from(grad((x: Tensor) => x.mul(linspace(1, 3, 3)).sum())(zeros([3]).value))).toEqual([1, 2, 3]);
    expect(values(tensor([1, 2]).add(full([2], 1)))).toEqual([2, 3]);
  });

  it('name bad arguments', () => {
    expectError(() => zeros([2, -1]), ShapeError, 'zeros');
    // A hole in the shape is named (some() skipped it, and the size came out NaN).
    // eslint-disable-next-line no-sparse-arrays
    expectError(() => zeros([2, , 3] as never), ShapeError, 'zeros', 'entry 1 is a hole');
    expectError(() => ones(3 as never), ShapeError, 'ones');
    expectError(() => full([2], 'x' as never), ArgumentError, 'full', 'value');
    expectError(() => eye(2.5), ArgumentError, 'eye', 'n');
    expectError(() => eye(2, 2, 0.5), ArgumentError, 'eye', 'k');
    expectError(() => arange(0, 1, 0), ArgumentError, 'arange', 'step');
    expectError(() => arange(0, Infinity), ArgumentError, 'arange', 'finite');
    expectError(() => arange(0, 1e12, 1e-3), ArgumentError, 'arange', 'larger step');
    expectError(() => linspace(0, 1, -2), ArgumentError, 'linspace', 'num');
    expectError(() => linspace(0, 1, 5, { endPoint: false } as never), OptionError, 'linspace', 'endpoint');
  });
});

describe('oneHot', () => {
  it('gives JAX\'s one-hot rows, of the indices\' shape plus n', () => {
    const y = oneHot([2, 0], 3);
    expect(y.shape).toEqual([2, 3]);
    expect(values(y)).toEqual([0, 0, 1, 1, 0, 0]);
    expect(oneHot([[1], [0]], 2).shape).toEqual([2, 1, 2]);
    expect(values(oneHot(Int32Array.of(1, 1), 2))).toEqual([0, 1, 0, 1]);
    // One index, a number (argmax of a vector), is one row of shape [n], as JAX's one_hot of a 0-d index.
    expect(oneHot(2, 3).shape).toEqual([3]);
    expect(values(oneHot(2, 3))).toEqual([0, 0, 1]);
    expectError(() => oneHot(3, 3), ArgumentError, 'oneHot', 'index 3');
    // Cross-entropy picks the log-probability of the label: its gradient is softmax − onehot.
    const logits = [0.5, -1, 2];
    const g = grad((z: Tensor) => z.logSoftmax().mul(oneHot([2], 3).reshape([3])).sum().neg())(logits) as unknown as Float64Array;
    const e = logits.map(Math.exp), total = e.reduce((a, b) => a + b, 0);
    e.forEach((v, k) => expect(g[k]).toBeCloseTo(v / total - (k === 2 ? 1 : 0), 15));
  });

  it('refuses indices outside [0, n) and non-integers, where JAX gives zero rows', () => {
    expectError(() => oneHot([3], 3), ArgumentError, 'oneHot', 'index 3', 'mask');
    expectError(() => oneHot([-1], 3), ArgumentError, 'oneHot', 'index -1');
    expectError(() => oneHot([0.5], 3), ArgumentError, 'oneHot');
    expectError(() => oneHot([0], -1), ArgumentError, 'oneHot', 'n');
  });
});
