// std at extreme scales: it is computed as d·√var(x/d) with d a power of two per reduction, so spreads
// below 1e-154 or above 1e154 (whose squares underflow or overflow) keep full accuracy. std is
// homogeneous: std(s·x) = s·std(x), its gradient is the same at every scale and H·v scales as 1/s,
// exactly for s a power of two. Expected values come from those identities and the closed form.
import { describe, expect, it } from 'vitest';
import { compile, grad, hvp, sqrt, std, tensor, variance, type Scalar, type Tensor } from '../src/index.js';

const x = [1, 2, 4, -0.5];
// The closed form at scale 1: mean 1.625, deviations −0.625, 0.375, 2.375, −2.125.
const deviations = x.map((v) => v - 1.625);
const sigma = Math.sqrt(deviations.reduce((s, d) => s + d * d, 0) / 4);
const gradient = deviations.map((d) => d / (4 * sigma));

describe('std keeps its accuracy where squares underflow or overflow', () => {
  it.each([2 ** -530, 2 ** -1000, 2 ** 530, 2 ** 1000])('at scale %s: s·std(x), the same gradient, H·v/s', (s) => {
    const scaled = x.map((v) => v * s);
    expect((std(tensor(scaled)) as Scalar).value / s).toBeCloseTo(sigma, 14);
    const g = grad((v: Tensor) => std(v))(scaled) as Float64Array;
    g.forEach((e, k) => expect(e).toBeCloseTo(gradient[k], 14));
    const Hv = hvp((v: Tensor) => std(v), scaled, [1, 0, 0, 0]) as Float64Array;
    const Hv1 = hvp((v: Tensor) => std(v), x, [1, 0, 0, 0]) as Float64Array;
    Hv.forEach((e, k) => expect(e * s).toBeCloseTo(Hv1[k], 12));
  });

  it('is √variance bit for bit at ordinary scales, per axis and with keepDims too', () => {
    const m = tensor([[1, 3, 8], [0.5, -2, 7]]);
    expect((std(m) as Scalar).value).toBe((sqrt(variance(m)) as Scalar).value);
    expect(Array.from(std(m, 1, { ddof: 1 }).value)).toEqual(Array.from((sqrt(variance(m, 1, { ddof: 1 })) as Tensor).value));
    const kept = std(m, 0, true);
    expect(kept.shape).toEqual([1, 3]);
    expect(Array.from(kept.value)).toEqual(Array.from((sqrt(variance(m, 0, true)) as Tensor).value));
  });

  it('scales each reduction by its own size: rows of 1e-160 and of 1 in one call', () => {
    const rows = std(tensor([[1e-160, 3e-160], [5, 9]]), 1);
    expect(rows.value[0] / 1e-160).toBeCloseTo(1, 14);
    expect(rows.value[1]).toBe(2);
  });

  it('recomputes its scale in a compiled replay at another scale', () => {
    const program = compile((v: Tensor) => std(v), x);
    const r = program.valueAndGrad(x.map((v) => v * 2 ** -1000));
    expect(r.value * 2 ** 1000).toBeCloseTo(sigma, 14);
    (r.grad as Float64Array).forEach((e, k) => expect(e).toBeCloseTo(gradient[k], 14));
  });
});
