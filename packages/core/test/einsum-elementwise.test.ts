// einsum with no label summed ('i,i->i', 'ij,ij->ji', 'i,j->ij', …) is an elementwise product with
// broadcasting: its value, gradient and H·v must be those of mul (with the transposes and new axes
// the subscripts imply), and its derivatives must match finite differences.
import { describe, expect, it } from 'vitest';
import { einsum, expandDims, gradAndHvp, mul, trace, transpose, type Tensor } from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';

const filled = (n: number, seed: number) => Float64Array.from({ length: n }, (_, k) => Math.sin(seed + 1.7 * k) * 1.5);
const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

// [subscripts, shapes, the same product written with mul]
const cases: Array<[string, number[][], (a: Tensor, b: Tensor) => Tensor]> = [
  ['i,i->i', [[5], [5]], (a, b) => mul(a, b)],
  ['ij,ij->ij', [[3, 4], [3, 4]], (a, b) => mul(a, b)],
  ['ij,ij->ji', [[3, 4], [3, 4]], (a, b) => transpose(mul(a, b))],
  ['i,j->ij', [[3], [4]], (a, b) => mul(expandDims(a, 1), b)],
  ['i,j->ji', [[3], [4]], (a, b) => mul(a, expandDims(b, 1))],
  ['ij,j->ij', [[3, 4], [4]], (a, b) => mul(a, b)],
  ['bi,bj->bij', [[2, 3], [2, 4]], (a, b) => mul(expandDims(a, 2), expandDims(b, 1))],
  ['bi,bj->jbi', [[2, 3], [2, 4]], (a, b) => transpose(mul(expandDims(a, 2), expandDims(b, 1)), [2, 0, 1])],
  ['...i,...i->...i', [[2, 3], [3]], (a, b) => mul(a, b)],
  ['i,i', [[4], [4]], (a, b) => mul(a, b).sum([0])], // no output: 'i' is summed, the matrix product path
];

describe('einsum without a summed label: broadcasting mul', () => {
  it.each(cases)('%s: value, gradient and H·v equal mul\'s, and match finite differences', (subscripts, [as, bs], viaMul) => {
    const split = (t: Tensor): [Tensor, Tensor] => [t.slice(0, size(as)).reshape(as), t.slice(size(as), null).reshape(bs)];
    const n = size(as) + size(bs);
    const x = filled(n, 1), v = filled(n, 2);
    const loss = (product: (a: Tensor, b: Tensor) => Tensor) => (t: Tensor) => {
      const [a, b] = split(t);
      return product(a.sin(), b.exp()).square().sum();
    };
    const viaEinsum = (a: Tensor, b: Tensor) => einsum(subscripts, a, b);
    const got = gradAndHvp(loss(viaEinsum), x, v), want = gradAndHvp(loss(viaMul), x, v);
    expect(got.value).toBeCloseTo(want.value, 13);
    for (let k = 0; k < n; k++) {
      expect(Math.abs(got.grad[k] - want.grad[k])).toBeLessThan(1e-13 * Math.max(1, Math.abs(want.grad[k])));
      expect(Math.abs(got.hvp[k] - want.hvp[k])).toBeLessThan(1e-13 * Math.max(1, Math.abs(want.hvp[k])));
    }
    expect(checkGrads(loss(viaEinsum), x, { order: 2 }).filter((c) => !c.passed)).toEqual([]);
  });

  it.each(cases)('%s: the value is mul\'s exactly, in shape and bits, inside a transform too', (subscripts, [as, bs], viaMul) => {
    const point = { a: filled(size(as), 4), b: filled(size(bs), 5) };
    const r = gradAndHvp((p: { a: Tensor; b: Tensor }) => {
      const a = p.a.reshape(as), b = p.b.reshape(bs).cos();
      const e = einsum(subscripts, a, b), m = viaMul(a, b);
      expect(e.shape).toEqual(m.shape);
      expect(Array.from(e.value)).toEqual(Array.from(m.value));
      return e.sum();
    }, point, { a: filled(size(as), 6), b: filled(size(bs), 7) });
    expect(Number.isFinite(r.value)).toBe(true);
  });

  it.each(cases.filter(([s]) => s !== 'i,i'))('%s is recorded as one mul, not a matrix product (the 1e5-element case took 1.2 s)', (subscripts, [as, bs]) => {
    const n = size(as) + size(bs);
    const t = trace((x: Tensor) => einsum(subscripts, x.slice(0, size(as)).reshape(as), x.slice(size(as), null).reshape(bs)).sum(), filled(n, 1), filled(n, 2));
    const ops = t.rows.filter((r) => r.role === 'op').map((r) => r.op);
    expect(ops.filter((o) => o === 'mul')).toHaveLength(1);
    expect(ops.filter((o) => o.startsWith('matmul'))).toEqual([]);
  });
});
