// keepDims with the axis left out (NumPy's `axis=None, keepdims=True`): every axis is reduced and kept
// as 1, so the result is a tensor of x's rank with every dimension 1 (np.sum(x, keepdims=True) of a
// [2, 3, 2] array has shape (1, 1, 1)), not a scalar. Values against plain references written here,
// derivatives against finite differences (checkGrads, to second order).
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, Tensor, argmax, argmin, grad, logSumExp, max, mean, median, min, norm, prod, quantile, std, sum, tensor,
  variance, type Scalar,
} from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';

const data = Array.from({ length: 12 }, (_, k) => Math.sin(1.3 * k + 0.4) * 2);
const total = (v: number[]) => v.reduce((s, e) => s + e, 0);
const meanOf = (v: number[]) => total(v) / v.length;
const varOf = (v: number[], ddof = 0) => total(v.map((e) => (e - meanOf(v)) ** 2)) / (v.length - ddof);
const sorted = [...data].sort((a, b) => a - b);

type Kept = (x: Tensor) => Tensor;
// Each reduction with the axis left out and keepDims true, its method form, and the reference value.
const cases: Array<[string, Kept, Kept, number]> = [
  ['sum', (x) => sum(x, undefined, true), (x) => x.sum(undefined, true), total(data)],
  ['mean', (x) => mean(x, undefined, true), (x) => x.mean(undefined, true), meanOf(data)],
  ['max', (x) => max(x, undefined, true), (x) => x.max(undefined, true), Math.max(...data)],
  ['min', (x) => min(x, undefined, true), (x) => x.min(undefined, true), Math.min(...data)],
  ['prod', (x) => prod(x, undefined, true), (x) => x.prod(undefined, true), data.reduce((p, e) => p * e, 1)],
  ['logSumExp', (x) => logSumExp(x, undefined, true), (x) => x.logSumExp(undefined, true), Math.log(total(data.map(Math.exp)))],
  ['norm', (x) => norm(x, 2, undefined, true), (x) => x.norm(2, undefined, true), Math.sqrt(total(data.map((e) => e * e)))],
  ['norm 1', (x) => norm(x, 1, undefined, true), (x) => x.norm(1, undefined, true), total(data.map(Math.abs))],
  ['norm ∞', (x) => norm(x, Infinity, undefined, true), (x) => x.norm(Infinity, undefined, true), Math.max(...data.map(Math.abs))],
  ['norm −∞', (x) => norm(x, -Infinity, undefined, true), (x) => x.norm(-Infinity, undefined, true), Math.min(...data.map(Math.abs))],
  ['norm 3', (x) => norm(x, 3, undefined, true), (x) => x.norm(3, undefined, true), total(data.map((e) => Math.abs(e) ** 3)) ** (1 / 3)],
  ['norm 0', (x) => norm(x, 0, undefined, true), (x) => x.norm(0, undefined, true), data.filter((e) => e !== 0).length],
  ['variance', (x) => variance(x, undefined, true), (x) => x.variance(undefined, true), varOf(data)],
  ['variance ddof 1', (x) => variance(x, undefined, { ddof: 1, keepDims: true }), (x) => x.variance(undefined, { ddof: 1, keepDims: true }), varOf(data, 1)],
  ['std', (x) => std(x, undefined, true), (x) => x.std(undefined, true), Math.sqrt(varOf(data))],
  ['median', (x) => median(x, undefined, true), (x) => x.median(undefined, true), (sorted[5] + sorted[6]) / 2],
  ['quantile', (x) => quantile(x, 0.25, undefined, true), (x) => x.quantile(0.25, undefined, true), sorted[2] + 0.75 * (sorted[3] - sorted[2])],
];

describe('keepDims with the axis left out keeps every axis as 1 (NumPy)', () => {
  it.each(cases)('%s: shape [1, 1, 1] of a [2, 3, 2] x, the value of the full reduction, free function and method', (_, f, method, expected) => {
    const x = tensor(data).reshape([2, 3, 2]);
    for (const y of [f(x), method(x)]) {
      expect(y).toBeInstanceOf(Tensor);
      expect(y.shape).toEqual([1, 1, 1]);
      expect(y.value[0]).toBeCloseTo(expected, 12);
    }
  });

  it.each(cases)('%s: gradient and H·v through the kept dims match finite differences', (name, f, method) => {
    if (name === 'norm 0') return; // a constant: its derivative is 0, checked below
    for (const g of [f, method]) {
      // The kept [1, 1, 1] result broadcasts against x: a wrong shape or a lost derivative shows here.
      const loss = (t: Tensor) => g(t.reshape([2, 3, 2])).mul(t.reshape([2, 3, 2]).sin()).sum();
      const checks = checkGrads(loss, data, { order: 2 });
      expect(checks.filter((c) => !c.passed)).toEqual([]);
    }
  });

  it('norm 0 with keepDims is a constant: gradient 0', () => {
    expect(Array.from(grad((t: Tensor) => norm(t.reshape([2, 3, 2]), 0, undefined, true).sum())(data) as Float64Array)).toEqual(new Array(12).fill(0));
  });

  it('the quantiles of a list of q keep every axis after their leading axis', () => {
    expect(quantile(tensor(data).reshape([2, 3, 2]), [0.25, 0.5], undefined, true).shape).toEqual([2, 1, 1, 1]);
  });

  it("'fro' without an axis keeps both axes of its matrix", () => {
    const y = norm(tensor(data).reshape([3, 4]), 'fro', undefined, true);
    expect(y.shape).toEqual([1, 1]);
    expect(y.value[0]).toBeCloseTo(Math.sqrt(total(data.map((e) => e * e))), 12);
  });

  it('a 0-d tensor keeps its 0 axes: a 0-d tensor (NumPy: shape ())', () => {
    const x = tensor(data).reshape([2, 3, 2]).sum([0, 1, 2]);
    for (const y of [sum(x, undefined, true), mean(x, undefined, true), max(x, undefined, true), prod(x, undefined, true), logSumExp(x, undefined, true)]) {
      expect(y).toBeInstanceOf(Tensor);
      expect(y.shape).toEqual([]);
      expect(y.value[0]).toBeCloseTo(total(data), 12);
    }
  });

  it('keepDims false with the axis left out is still a scalar', () => {
    const x = tensor(data).reshape([2, 3, 2]);
    const scalars: Scalar[] = [sum(x, undefined, false), mean(x, undefined, false), max(x, undefined, false), x.logSumExp(undefined, false), norm(x, 2, undefined, false)];
    for (const y of scalars) expect(y).not.toBeInstanceOf(Tensor);
  });

  it('argmax and argmin take keepDims as NumPy: the same flat index, as an Int32Array of one', () => {
    const x = tensor(data).reshape([2, 3, 2]);
    const k = data.indexOf(Math.max(...data)), j = data.indexOf(Math.min(...data));
    expect(argmax(x)).toBe(k);
    expect(Array.from(argmax(x, undefined, true))).toEqual([k]);
    expect(Array.from(x.argmax(undefined, true))).toEqual([k]);
    expect(Array.from(argmin(x, undefined, true))).toEqual([j]);
    expect(Array.from(x.argmin(undefined, true))).toEqual([j]);
    expect(Array.from(argmax(x, 1, true))).toEqual(Array.from(argmax(x, 1)));
    expect(() => argmax(x, 1, 1 as never)).toThrow(ArgumentError);
    expect(() => argmin(x, undefined, 'yes' as never)).toThrow(/^argmin: keepDims must be true or false/);
  });
});
