// Hostile and edge inputs: what the engine returns at the edges docs/conventions.md describes, checked
// against closed forms (and, at kinks, against the hyper-dual oracle, which applies the same documented
// subgradient). Covered elsewhere and not repeated here: shape mismatches, v of the wrong structure,
// stale nodes, errors thrown mid-recording and TapeBudgetError (errors.test.ts); constant functions
// (transforms.test.ts). Engine defects found while writing these are in _found-bugs-7.test.ts.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, FiniteError, StructureError, concat, ggnvp, grad, gradAndHvp, hessian, hvp, hvpMany, hvpOperator, jacobian, jvp,
  maximum, minimum, scalar, stack, tensor, valueAndGrad, vjp, where,
  type Scalar, type Tensor,
} from '../src/index.js';
import { H, hconst, oracleDerivatives, type HD } from './oracle/hyper-dual.js';

const arr = (a: ArrayLike<number>) => Array.from(a);
const f64 = (a: unknown) => a as Float64Array;

/** |a − b| ≤ tol·max(1, |b|) elementwise, with equal non-finite values (±Infinity) accepted as equal. */
function expectNear(actual: ArrayLike<number> | number, expected: ArrayLike<number> | number, tol = 1e-15, what = ''): void {
  const a = typeof actual === 'number' ? [actual] : arr(actual);
  const b = typeof expected === 'number' ? [expected] : arr(expected);
  expect(a.length, what).toBe(b.length);
  a.forEach((ak, k) => {
    if (!Number.isFinite(b[k])) expect(ak, `${what}[${k}]`).toBe(b[k]);
    else expect(Math.abs(ak - b[k]), `${what}[${k}]: ${ak} vs ${b[k]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[k])));
  });
}

// ---------------------------------------------------------------------------------------------------
// Closed forms, written independently of the engine
// ---------------------------------------------------------------------------------------------------

/** σ(x), σ′(x), σ″(x) from e^(−|x|), without cancellation for any x. */
function sigmoidClosed(x: number): [number, number, number] {
  const q = Math.exp(-Math.abs(x));
  const s = x >= 0 ? 1 / (1 + q) : q / (1 + q);
  const d1 = q / ((1 + q) * (1 + q));
  return [s, d1, d1 * (1 - 2 * s)];
}
/** softplus and its derivatives: ln(1 + eˣ), σ(x), σ′(x). */
function softplusClosed(x: number): [number, number, number] {
  const [s, d1] = sigmoidClosed(x);
  return [Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), s, d1];
}
/** p = softmax(x) (shifted by the max), lse = ln Σ eˣ. */
function softmaxClosed(x: readonly number[]): { p: number[]; lse: number } {
  const m = Math.max(...x);
  const e = x.map((xi) => Math.exp(xi - m));
  const z = e.reduce((s, ei) => s + ei, 0);
  return { p: e.map((ei) => ei / z), lse: m + Math.log(z) };
}
/** ∇ and H·v of lse: p and (diag p − ppᵀ)v. */
function lseDerivatives(x: readonly number[], v: readonly number[]): { value: number; grad: number[]; hvp: number[] } {
  const { p, lse } = softmaxClosed(x);
  const pv = p.reduce((s, pk, k) => s + pk * v[k], 0);
  return { value: lse, grad: p, hvp: p.map((pi, i) => pi * (v[i] - pv)) };
}
/** f = Σ wₖ softmax(x)ₖ: ∇ᵢ = pᵢ(wᵢ − w̄), Hᵢⱼ = pᵢ(δᵢⱼ − pⱼ)(wᵢ − w̄) − pᵢpⱼ(wⱼ − w̄). */
function weightedSoftmaxDerivatives(x: readonly number[], w: readonly number[], v: readonly number[]) {
  const { p } = softmaxClosed(x);
  const wbar = p.reduce((s, pk, k) => s + pk * w[k], 0);
  const n = x.length;
  const hvpOut = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const hij = p[i] * ((i === j ? 1 : 0) - p[j]) * (w[i] - wbar) - p[i] * p[j] * (w[j] - wbar);
      hvpOut[i] += hij * v[j];
    }
  }
  return { value: wbar, grad: p.map((pi, i) => pi * (w[i] - wbar)), hvp: hvpOut };
}

// ---------------------------------------------------------------------------------------------------

describe('NaN and ±Infinity without checkFinite: IEEE propagation', () => {
  it('±Infinity through saturating ops gives the limits, with zero (finite) derivatives', () => {
    const x = [Infinity, -Infinity];
    const r = gradAndHvp((t: Tensor) => t.tanh().add(t.sigmoid()).sum(), x, [1, 1]);
    expect(r.value).toBe(1); // tanh: 1 − 1, sigmoid: 1 + 0
    expect(arr(r.grad)).toEqual([0, 0]);
    expect(arr(r.hvp)).toEqual([0, 0]);
    const sp = gradAndHvp((t: Tensor) => t.softplus().sum(), x, [1, 1]);
    expect(sp.value).toBe(Infinity);
    expect(arr(sp.grad)).toEqual([1, 0]);
    expect(arr(sp.hvp)).toEqual([0, 0]);
    const e = gradAndHvp((t: Scalar) => t.exp(), -Infinity, 1);
    expect([e.value, e.grad, e.hvp]).toEqual([0, 0, 0]);
  });

  it('a NaN in x makes the value NaN and reaches exactly the gradient entries that depend on it', () => {
    const r = gradAndHvp((t: Tensor) => t.at(0).square().add(t.at(1).mul(3)).add(t.at(2).sin()), [NaN, 1, 0], [1, 1, 1]);
    expect(r.value).toBeNaN();
    expect(r.grad[0]).toBeNaN();
    expect(r.grad[1]).toBe(3);
    expect(r.grad[2]).toBe(1);
    expect(r.hvp[1] + 0).toBe(0);
    expect(r.hvp[2] + 0).toBe(0); // −sin(0)·1
  });

  it('a NaN or Infinity in v reaches only H·v: the value and ∇f are those of valueAndGrad', () => {
    const f = (t: Tensor) => t.reshape([2, 2]).matmul(t.reshape([2, 2])).tanh().sum().add(t.at(0).mul(t.at(3)));
    const x = [0.3, 0.7, -0.2, 0.5];
    const clean = valueAndGrad(f)(x);
    for (const v of [[NaN, 0, 0, 0], [0, Infinity, 0, 0], [0, 0, 0, -Infinity]]) {
      const r = gradAndHvp(f, x, v);
      expect(r.value).toBe(clean.value);
      expect(arr(r.grad)).toEqual(arr(clean.grad));
      expect(arr(r.hvp).some((h) => !Number.isFinite(h))).toBe(true);
    }
  });

  it('non-finite constants inside f propagate like any IEEE value', () => {
    expect(valueAndGrad((t: Tensor) => t.mul(tensor([1, NaN])).sum())([1, 2]).value).toBeNaN();
    const r = valueAndGrad((t: Scalar) => t.add(Infinity).mul(t))(2);
    expect(r.value).toBe(Infinity);
    expect(r.grad).toBe(Infinity);
  });

  it('v may be the very same Float64Array as x (aliasing changes nothing)', () => {
    const f = (t: Tensor) => t.tanh().mul(t).sum();
    const x = Float64Array.of(0.3, -0.4, 1.2);
    const aliased = gradAndHvp(f, x, x);
    const copied = gradAndHvp(f, x.slice(), x.slice());
    expect(arr(aliased.grad)).toEqual(arr(copied.grad));
    expect(arr(aliased.hvp)).toEqual(arr(copied.hvp));
    expect(arr(x)).toEqual([0.3, -0.4, 1.2]);
  });
});

describe('checkFinite: FiniteError names the first non-finite node and its op', () => {
  it('exp overflow: exp(1000) is Infinity without options, a FiniteError naming exp with checkFinite', () => {
    expect(gradAndHvp((t: Scalar) => t.exp(), 1000, 1).value).toBe(Infinity);
    expect(() => gradAndHvp((t: Scalar) => t.exp(), 1000, 1, { checkFinite: true })).toThrow(FiniteError);
    expect(() => gradAndHvp((t: Scalar) => t.exp(), 1000, 1, { checkFinite: true })).toThrow(/\(exp\) is Infinity/);
    expect(() => grad((t: Tensor) => t.exp().sum(), { checkFinite: true })([1, 1000, 2000])).toThrow(/\(exp\) element 1 is Infinity/);
    // exp(709) is finite: no error, and the derivatives are exp(709) to the last bit.
    const r = gradAndHvp((t: Scalar) => t.exp(), 709, 1, { checkFinite: true });
    expect([r.value, r.grad, r.hvp]).toEqual([Math.exp(709), Math.exp(709), Math.exp(709)]);
  });

  it('the FIRST non-finite node in recording order is named, even when later nodes are non-finite too', () => {
    // log(−1) = NaN is recorded before exp(1000) = Infinity; both before the (finite) output.
    const f = (t: Tensor) => t.at(0).log().add(t.at(1).exp()).mul(0).add(t.at(2));
    expect(() => valueAndGrad(f, { checkFinite: true })([-1, 1000, 3])).toThrow(/node \d+ \(log\) is NaN/);
    // Swapped: exp comes first now.
    const g = (t: Tensor) => t.at(1).exp().add(t.at(0).log()).mul(0).add(t.at(2));
    expect(() => valueAndGrad(g, { checkFinite: true })([-1, 1000, 3])).toThrow(/node \d+ \(exp\) is Infinity/);
  });

  it('a non-finite intermediate is caught even when the output is finite (masked by where)', () => {
    const f = (t: Tensor) => where([1, 0], t, t.log()).sum();
    // Without checkFinite the NaN is masked out of the value…
    expect(valueAndGrad(f)([2, 3]).value).toBe(2 + Math.log(3));
    expect(valueAndGrad((t: Tensor) => where([1, 1], t, t.log()).sum())([2, -3]).value).toBe(-1); // log(−3) not selected
    expect(valueAndGrad(f)([2, -3]).value).toBeNaN(); // …and NaN where it is selected
    // …with checkFinite the log node is named even where the mask would hide it.
    expect(() => valueAndGrad((t: Tensor) => where([0, 1], t, t.log()).sum(), { checkFinite: true })([-2, 3])).toThrow(/\(log\) element 0 is NaN/);
  });

  it('non-finite constants and number operands are named as constants', () => {
    expect(() => valueAndGrad((t: Tensor) => t.mul(tensor([1, NaN])).sum(), { checkFinite: true })([1, 2])).toThrow(/\(constant\) element 1 is NaN/);
    expect(() => valueAndGrad((t: Scalar) => t.add(-Infinity), { checkFinite: true })(1)).toThrow(/\(constant\) is -Infinity/);
  });

  it('non-finite derivatives are caught too: gradient, H·v, jvp tangent, Hessian entries (finite value)', () => {
    const o = { checkFinite: true } as const;
    expect(() => grad((x: Scalar) => x.sqrt(), o)(0)).toThrow(FiniteError);
    expect(() => grad((x: Scalar) => x.sqrt(), o)(0)).toThrow(/adjoint of node \d+ \(leaf\)/);
    // sqrt(relu(x)) at −1: the value is 0 and finite; the gradient is ∞ · 0 through relu's kink = NaN.
    expect(() => gradAndHvp((x: Scalar) => x.relu().sqrt(), -1, 1, o)).toThrow(FiniteError);
    expect(() => jvp((x: Scalar) => x.sqrt(), 0, 1, o)).toThrow(/tangent/);
    expect(() => hessian((x: Tensor) => x.sqrt().sum(), [0, 1], o)).toThrow(FiniteError);
    // …and the same calls without checkFinite return the IEEE numbers.
    expect(grad((x: Scalar) => x.sqrt())(0)).toBe(Infinity);
  });

  it('every transform checks: grad, valueAndGrad, gradAndHvp, hvp, hvpOperator, hessian, hvpMany, jvp, vjp, jacobian, ggnvp', () => {
    const o = { checkFinite: true } as const;
    const f = (t: Tensor) => t.exp().sum();
    const x = [1, 1000];
    const calls: Array<() => unknown> = [
      () => grad(f, o)(x), () => valueAndGrad(f, o)(x), () => gradAndHvp(f, x, [1, 1], o), () => hvp(f, x, [1, 1], o),
      () => hvpOperator(f, x, o), () => hessian(f, x, o), () => hvpMany(f, x, Float64Array.of(1, 0), o),
      () => jvp((t: Tensor) => t.exp(), x, [1, 1], o), () => vjp((t: Tensor) => t.exp(), x, o), () => jacobian((t: Tensor) => t.exp(), x, o),
      () => ggnvp((t: Tensor) => t.exp(), (z) => z.sum(), x, [1, 1], o),
    ];
    for (const call of calls) expect(call).toThrow(FiniteError);
  });
});

describe('domain edges follow IEEE arithmetic, as documented', () => {
  it('log(0) = −Infinity with derivative +Infinity; log1p(−1) likewise; log(−1) = NaN', () => {
    for (const [f, x] of [[(t: Scalar) => t.log(), 0], [(t: Scalar) => t.log1p(), -1]] as const) {
      const r = gradAndHvp(f, x, 1);
      expect(r.value).toBe(-Infinity);
      expect(r.grad).toBe(Infinity);
    }
    const t = gradAndHvp((s: Tensor) => s.log().sum(), [0, 1], [1, 1]);
    expect(t.value).toBe(-Infinity);
    expect(arr(t.grad)).toEqual([Infinity, 1]);
    expect(t.hvp[1]).toBe(-1);
    expect(valueAndGrad((s: Scalar) => s.log())(-1).value).toBeNaN();
  });

  it("sqrt(0) = 0 with derivative +Infinity; 1/0 = Infinity, and d/dx (1/x) there is −Infinity", () => {
    const s = gradAndHvp((t: Scalar) => t.sqrt(), 0, 1);
    expect([s.value, s.grad]).toEqual([0, Infinity]);
    const st = gradAndHvp((t: Tensor) => t.sqrt().sum(), [0, 4], [1, 1]);
    expect(arr(st.grad)).toEqual([Infinity, 0.25]);
    const d = gradAndHvp((t: Scalar) => scalar(1).div(t), 0, 1);
    expect([d.value, d.grad]).toEqual([Infinity, -Infinity]);
    const p = gradAndHvp((t: Scalar) => t.pow(-1), 0, 1);
    expect([p.value, p.grad]).toEqual([Infinity, -Infinity]);
  });

  it('second derivatives at these edges are the infinite limit, the same in scalar and tensor form (never NaN, never finite)', () => {
    // The output's R{ȳ} is an exact 0: symbolic zeros keep it from turning f′ = ±∞ into NaN.
    const cases: Array<[string, (t: Scalar) => Scalar, number, number]> = [
      ['sqrt', (t) => t.sqrt(), 0, -Infinity], ['log', (t) => t.log(), 0, -Infinity], ['log1p', (t) => t.log1p(), -1, -Infinity],
      ['exp', (t) => t.exp(), 710, Infinity], ['1/x', (t) => t.pow(-1), 0, Infinity], ['x^½', (t) => t.pow(0.5), 0, -Infinity],
    ];
    for (const [name, f, x, expected] of cases) {
      expect(gradAndHvp(f, x, 1).hvp, `scalar ${name} at ${x}`).toBe(expected);
      expect(gradAndHvp((t: Tensor) => (f(t as never) as unknown as Tensor).sum(), [x], [1]).hvp[0], `tensor ${name} at ${x}`).toBe(expected);
    }
  });

  it('symbolic zeros: sqrt(x)·0 at 0 has gradient 0, and a branch masked out by where() cannot poison a gradient', () => {
    const s = gradAndHvp((x: Scalar) => x.sqrt().mul(0), 0, 1);
    const t = gradAndHvp((x: Tensor) => x.sqrt().mul(0).sum(), [0], [1]);
    expect([s.grad, s.hvp].map((z) => z + 0)).toEqual([0, 0]);
    expect([t.grad[0], t.hvp[0]].map((z) => z + 0)).toEqual([0, 0]);
    const w = gradAndHvp((x: Tensor) => where([0, 1], x.sqrt(), 0).sum(), [0, 4], [1, 1]);
    expect(w.value).toBe(2);
    expect(arr(w.grad).map((z) => z + 0)).toEqual([0, 0.25]);
    expect(arr(w.hvp).map((z) => z + 0)).toEqual([0, -0.03125]);
    // (A zero that is only numerical, as in (√x)² at 0, is _found-bugs-7.test.ts bug 6.)
  });

  it('pow with a number exponent is valid for negative bases; fractional powers of negatives are NaN', () => {
    // x³ at −2: −8, 3x² = 12, 6x·v = −12·0.5; x⁻¹ at −2: −½, −x⁻² = −¼, 2x⁻³ = −¼.
    const c = gradAndHvp((t: Scalar) => t.pow(3), -2, 0.5);
    expect([c.value, c.grad, c.hvp]).toEqual([-8, 12, -6]);
    const r = gradAndHvp((t: Scalar) => t.pow(-1), -2, 1);
    expect([r.value, r.grad, r.hvp]).toEqual([-0.5, -0.25, -0.25]);
    const h = gradAndHvp((t: Scalar) => t.pow(0.5), -2, 1);
    expect([h.value, h.grad]).toEqual([NaN, NaN]);
  });

  it('pow(x, 0), pow(x, 1), pow(x, 2) at x = 0 are exact (no 0·∞)', () => {
    for (const form of ['scalar', 'tensor'] as const) {
      const run = (p: number) => {
        if (form === 'scalar') { const r = gradAndHvp((t: Scalar) => t.pow(p), 0, 1); return [r.value, r.grad, r.hvp]; }
        const r = gradAndHvp((t: Tensor) => t.pow(p).sum(), [0], [1]);
        return [r.value, r.grad[0], r.hvp[0]];
      };
      expect(run(0), form).toEqual([1, 0, 0]);
      expect(run(1), form).toEqual([0, 1, 0]);
      expect(run(2), form).toEqual([0, 0, 2]);
      expect(run(3), form).toEqual([0, 0, 0]);
    }
  });

  it('pow with a node exponent: ∂/∂b = aᵇ ln a is NaN for a base < 0, 0 at a base 0 where aᵇ = 0 (documented)', () => {
    // 0ᵇ is identically 0 for b > 0: d/db is 0 (the symbolic zero aᵇ = 0 times ln 0 = −∞).
    const r = gradAndHvp((t: Tensor) => t.at(0).pow(t.at(1)), [0, 2], [0, 1]);
    expect(r.value).toBe(0);
    expect(r.grad[1]).toBe(0);
    expect(r.hvp[1]).toBe(0);
    const neg = gradAndHvp((t: Scalar) => scalar(-2).pow(t), 3, 1);
    expect(neg.value).toBe(-8);
    expect(neg.grad).toBeNaN();
    // 2ˣ at 3: 8, 8 ln 2, 8 ln² 2.
    const pos = gradAndHvp((t: Scalar) => scalar(2).pow(t), 3, 1);
    expectNear([pos.value, pos.grad, pos.hvp], [8, 8 * Math.LN2, 8 * Math.LN2 * Math.LN2], 1e-15);
  });
});

describe('stable forms at ±1000: finite and correct values, gradients and H·v', () => {
  const xs = [1000, -1000, 30, -30, 0, 1e308, -1e308];

  it('sigmoid and softplus against closed forms (no NaN anywhere)', () => {
    const v = xs.map((_, k) => (k % 2 === 0 ? 1 : -0.5));
    const s = gradAndHvp((t: Tensor) => t.sigmoid().sum(), xs, v);
    const sp = gradAndHvp((t: Tensor) => t.softplus().sum(), xs, v);
    for (const r of [s, sp]) expect([r.value, ...r.grad, ...r.hvp].every(Number.isFinite)).toBe(true);
    xs.forEach((x, k) => {
      const [sv, s1, s2] = sigmoidClosed(x);
      expectNear(s.grad[k], s1, 1e-15, `σ′(${x})`);
      expectNear(s.hvp[k], s2 * v[k], 1e-15, `σ″(${x})`);
      const [pv, p1, p2] = softplusClosed(x);
      expectNear(sp.grad[k], p1, 1e-15, `softplus′(${x})`);
      expectNear(sp.hvp[k], p2 * v[k], 1e-15, `softplus″(${x})`);
      expectNear(gradAndHvp((t: Scalar) => t.sigmoid(), x, 1).value, sv, 1e-15, `σ(${x})`);
      expectNear(gradAndHvp((t: Scalar) => t.softplus(), x, 1).value, pv, 1e-15, `softplus(${x})`);
    });
    // The documented examples, exactly.
    expect(gradAndHvp((t: Scalar) => t.softplus(), 1000, 1)).toEqual({ value: 1000, grad: 1, hvp: 0 });
    expect(gradAndHvp((t: Scalar) => t.sigmoid(), -1000, 1)).toEqual({ value: 0, grad: 0, hvp: 0 });
    expect(gradAndHvp((t: Scalar) => t.softplus(), -1000, 1)).toEqual({ value: 0, grad: 0, hvp: 0 });
  });

  it('logSumExp: [1000, 1000] = 1000 + ln 2 with ∇ = [½, ½] and H = ¼[[1, −1], [−1, 1]]; and at −1000, mixed, ±1e308', () => {
    const cases: Array<[number[], number[]]> = [
      [[1000, 1000], [1, 0]], [[-1000, -1000], [0.5, -2]], [[1000, -1000], [1, 1]], [[1e308, 1e308], [1, 0]],
      [[1000, 999, 998], [1, -1, 0.5]], [[-1000, 1000, 0], [0.3, 0.3, -1]],
    ];
    for (const [x, v] of cases) {
      const r = gradAndHvp((t: Tensor) => t.logSumExp(), x, v);
      const e = lseDerivatives(x, v);
      expectNear(r.value, e.value, 1e-15, `lse(${x})`);
      expectNear(f64(r.grad), e.grad, 1e-15, `∇lse(${x})`);
      expectNear(f64(r.hvp), e.hvp, 1e-15, `H·v lse(${x})`);
    }
    expect(gradAndHvp((t: Tensor) => t.logSumExp(), [1000, 1000], [1, 0]).value).toBe(1000 + Math.LN2);
  });

  it('logSumExp along an axis, with and without keepDims, rows at +1000 and −1000', () => {
    const x = [1000, 1000, 999, -1000, -1002, -1000];
    const v = [1, 0, -1, 0.5, 0.5, 2];
    const r = gradAndHvp((t: Tensor) => t.reshape([2, 3]).logSumExp(1).mul(tensor([1, -2])).sum(), x, v);
    const r2 = gradAndHvp((t: Tensor) => t.reshape([2, 3]).logSumExp(-1, true).mul(tensor([1, -2], [2, 1])).sum(), x, v);
    const row0 = lseDerivatives(x.slice(0, 3), v.slice(0, 3));
    const row1 = lseDerivatives(x.slice(3), v.slice(3));
    const value = row0.value - 2 * row1.value;
    const g = [...row0.grad, ...row1.grad.map((q) => -2 * q)];
    const hv = [...row0.hvp, ...row1.hvp.map((q) => -2 * q)];
    for (const res of [r, r2]) {
      expectNear(res.value, value, 1e-15);
      expectNear(f64(res.grad), g, 1e-15);
      expectNear(f64(res.hvp), hv, 1e-15);
    }
  });

  it('logSumExp and softmax with −Infinity entries (masked logits): exact zeros, no NaN', () => {
    const mask = tensorMaskFn([0, -Infinity, 0]);
    const x = [1, 2, 3];
    const v = [1, 1, 1];
    const r = gradAndHvp((t: Tensor) => mask(t).logSumExp(), x, v);
    const e = lseDerivatives([1, 3], [1, 1]);
    expectNear(r.value, e.value, 1e-15);
    expectNear(f64(r.grad), [e.grad[0], 0, e.grad[1]], 1e-15);
    expectNear(f64(r.hvp), [e.hvp[0], 0, e.hvp[1]], 1e-15);
    const w = [1, 2, 3];
    const s = gradAndHvp((t: Tensor) => mask(t).softmax().mul(tensor(w)).sum(), x, v);
    const es = weightedSoftmaxDerivatives([1, 3], [1, 3], [1, 1]);
    expectNear(s.value, es.value, 1e-15);
    expectNear(f64(s.grad), [es.grad[0], 0, es.grad[1]], 1e-15);
    expectNear(f64(s.hvp), [es.hvp[0], 0, es.hvp[1]], 1e-15);
  });

  it('softmax at ±1000 (all and along an axis) against closed forms', () => {
    const w = [1, 2, 3];
    for (const [x, v] of [[[1000, 1000, -1000], [1, 0, 0]], [[1000, 999, -1000], [1, -1, 2]], [[-1000, -999, -1001], [0.5, 0.5, 1]]] as const) {
      const r = gradAndHvp((t: Tensor) => t.softmax().mul(tensor(w)).sum(), [...x], [...v]);
      const e = weightedSoftmaxDerivatives(x, w, v);
      // exp((x − m) − log Σ e^(x−m)): x − m is exact, so no error of the size |x|·ε ≈ 1e-13 appears.
      expectNear(r.value, e.value, 1e-14, `softmax value at ${x}`);
      expectNear(f64(r.grad), e.grad, 1e-14, `softmax grad at ${x}`);
      expectNear(f64(r.hvp), e.hvp, 1e-14, `softmax H·v at ${x}`);
    }
    // Along axis 0 of a [2, 2] matrix: columns [1000, −1000] and [1000, 1000].
    const m = gradAndHvp((t: Tensor) => t.reshape([2, 2]).softmax(0).mul(tensor([1, 2, 3, 4], [2, 2])).sum(), [1000, 1000, -1000, 1000], [1, 1, 1, 0]);
    const c0 = weightedSoftmaxDerivatives([1000, -1000], [1, 3], [1, 1]);
    const c1 = weightedSoftmaxDerivatives([1000, 1000], [2, 4], [1, 0]);
    expectNear(m.value, c0.value + c1.value, 1e-12);
    expectNear(f64(m.grad), [c0.grad[0], c1.grad[0], c0.grad[1], c1.grad[1]], 1e-12);
    expectNear(f64(m.hvp), [c0.hvp[0], c1.hvp[0], c0.hvp[1], c1.hvp[1]], 1e-12);
  });

  it('σ′ and softplus″ keep their relative accuracy on both sides (σ(x)σ(−x), no cancellation in 1 − σ)', () => {
    for (const x of [-40, -30, -20, 20, 30, 40, 700, -700]) {
      const [, d1] = sigmoidClosed(x);
      const s = gradAndHvp((t: Scalar) => t.sigmoid(), x, 1).grad;
      const p = gradAndHvp((t: Scalar) => t.softplus(), x, 1).hvp;
      expect(Math.abs(s - d1) / d1, `σ′(${x}) = ${s}, exact ${d1}`).toBeLessThan(1e-12);
      expect(Math.abs(p - d1) / d1, `softplus″(${x}) = ${p}, exact ${d1}`).toBeLessThan(1e-12);
    }
  });

  it('tanh at ±1000 saturates exactly: ±1, derivative 0, H·v 0', () => {
    const r = gradAndHvp((t: Tensor) => t.tanh().mul(tensor([1, 2])).sum(), [1000, -1000], [1, 1]);
    expect([r.value, ...r.grad, ...r.hvp]).toEqual([-1, 0, 0, 0, 0]);
  });
});

/** x + mask, for masks with −Infinity entries. */
function tensorMaskFn(mask: number[]) {
  return (t: Tensor) => t.add(tensor(mask));
}

describe('kinks: the documented subgradient, the same in first and second order', () => {
  /** Engine and hyper-dual oracle at the same (tie) point: the oracle applies the conventions too. */
  function agreeWithOracle(engineF: (t: Tensor) => Scalar, oracleF: (x: HD[]) => HD, x: number[], v: number[]) {
    const r = gradAndHvp(engineF, x, v);
    const o = oracleDerivatives(oracleF, x, v, true);
    expect(r.value).toBe(o.value);
    expectNear(f64(r.grad), o.grad, 1e-15, 'grad vs oracle');
    expectNear(f64(r.hvp), o.hvp, 1e-15, 'H·v vs oracle');
    expectNear(hessian(engineF, x), o.hessian!, 1e-15, 'hessian vs oracle');
    return r;
  }

  it("relu′(0) = 0 and abs′(0) = 0, with H·v = 0, as scalars and as tensors", () => {
    for (const op of ['relu', 'abs'] as const) {
      const s = gradAndHvp((t: Scalar) => t[op](), 0, 1);
      expect([s.value, s.grad, s.hvp].map((z) => z + 0)).toEqual([0, 0, 0]);
      const t = gradAndHvp((u: Tensor) => u[op]().mul(tensor([2, 3])).sum(), [0, -0], [1, -1]);
      expect([t.value, ...t.grad, ...t.hvp].map((z) => z + 0)).toEqual([0, 0, 0, 0, 0]);
      // Squared: 2·f·f′ = 0 and 2f′² + 2f·f″ = 0 at the kink.
      const sq = gradAndHvp((u: Scalar) => u[op]().square(), 0, 1);
      expect([sq.grad, sq.hvp].map((z) => z + 0)).toEqual([0, 0]);
    }
    // x·|x| has derivative 2|x| = 0 and second derivative 2 sign(x) = 2·0 = 0 at 0 by the convention.
    const xa = gradAndHvp((u: Scalar) => u.abs().mul(u), 0, 1);
    expect([xa.grad, xa.hvp].map((z) => z + 0)).toEqual([0, 0]);
  });

  it('maximum and minimum at a tie: ½ to each operand, and (max)² has H = ½·[[1, 1], [1, 1]]', () => {
    for (const [name, op, hop] of [['maximum', maximum, H.maximum], ['minimum', minimum, H.minimum]] as const) {
      const r = agreeWithOracle(
        (t) => op(t.at(0), t.at(1)).square(),
        (x) => H.square(hop(x[0], x[1])),
        [2, 2], [1, 0],
      );
      expect([r.value, ...r.grad, ...r.hvp], name).toEqual([4, 2, 2, 0.5, 0.5]);
    }
  });

  it('maximum(x, x) has derivative 1 (½ + ½), maximum(x, 0) at 0 has ½ (while relu′(0) = 0)', () => {
    const same = gradAndHvp((t: Scalar) => maximum(t, t).mul(t), 1.5, 1);
    expect([same.value, same.grad, same.hvp]).toEqual([2.25, 3, 2]);
    const m0 = gradAndHvp((t: Scalar) => maximum(t, 0), 0, 1);
    expect([m0.value, m0.grad, m0.hvp]).toEqual([0, 0.5, 0]);
    expect(grad((t: Scalar) => t.relu())(0)).toBe(0);
    // Second order with the ½: (max(x, 0))² at 0 → 2·(½)² = ½.
    agreeWithOracle((t) => maximum(t.at(0), 0).square(), (x) => H.square(H.maximum(x[0], hconst(0))), [0], [1]);
    expect(hvp((t: Scalar) => maximum(t, 0).square(), 0, 1)).toBe(0.5);
  });

  it('ties under broadcasting: a scalar tied with two elements gets ½ from each', () => {
    const r = gradAndHvp((p: { x: Tensor; s: Scalar }) => maximum(p.x, p.s).sum(), { x: [1, 2, 1], s: 1 }, { x: [1, 1, 1], s: 1 });
    expect(arr(r.grad.x)).toEqual([0.5, 1, 0.5]);
    expect(r.grad.s).toBe(1);
    expect(arr(r.hvp.x)).toEqual([0, 0, 0]);
    expect(r.hvp.s).toBe(0);
    const q = gradAndHvp((p: { x: Tensor; s: Scalar }) => minimum(p.x, p.s).square().sum(), { x: [1, 0, 1], s: 1 }, { x: [0, 0, 0], s: 1 });
    // min = [1, 0, 1]; ∂/∂s = Σ 2·minₖ·(½ at ties) = 2·½ + 2·½ = 2; R: 2·(½·1)·½ summed over the two ties = ½ each.
    expect(q.grad.s).toBe(2);
    expect(q.hvp.s).toBe(1);
    expect(arr(q.hvp.x)).toEqual([0.5, 0, 0.5]);
  });
});

describe('empty tensors: size 0 flows through every op without a crash', () => {
  const none = new Float64Array(0);

  it('sum of an empty vector is 0, with a gradient and H·v of length 0', () => {
    const r = gradAndHvp((t: Tensor) => t.sum(), none, none);
    expect(r.value).toBe(0);
    expect(f64(r.grad).length).toBe(0);
    expect(f64(r.hvp).length).toBe(0);
    expect(arr(grad((t: Tensor) => t.square().sum())([]))).toEqual([]);
  });

  it('hessian, hvpOperator, hvpMany, jvp, vjp and jacobian of a function of zero parameters', () => {
    const f = (t: Tensor) => t.tanh().exp().mul(t).sum().add(2);
    expect(arr(hessian(f, []))).toEqual([]);
    const op = hvpOperator(f, []);
    expect(op.size).toBe(0);
    expect(op.value).toBe(2);
    expect(arr(op.applyFlat(none))).toEqual([]);
    expect(arr(hvpMany(f, [], none))).toEqual([]);
    expect(jvp(f, [], [])).toEqual({ value: 2, tangent: 0 });
    expect(arr(f64(vjp(f, []).pullback(1)))).toEqual([]);
    expect(arr(jacobian(f, []))).toEqual([]);
  });

  it('every op on empty operands: elementwise, matmul [2,0]·[0,3], dot, reshape, transpose, axis sums, where, stack, concat', () => {
    const r = gradAndHvp((t: Tensor) => {
      const m = t.reshape([2, 0]).matmul(t.reshape([0, 3])); // a [2,3] matrix of zeros
      const parts = [
        m.sum(),
        t.dot(t),
        t.reshape([0, 4]).transpose().sum(1).sum(), // [4] zeros
        t.reshape([3, 0]).sum(1).square().sum(), // [3] zeros
        where([], t, 1).sum(),
        stack([t, t]).sum(),
        concat([t, t.exp()]).sum(),
        t.softmax().sum(),
      ];
      return parts.reduce((a, b) => a.add(b)).add(m.add(1).sum()); // + 6
    }, none, none);
    expect(r.value).toBe(6);
    expect(f64(r.grad).length).toBe(0);
  });

  it('reductions with no elements: mean is NaN (0/0, as NumPy), logSumExp is −Infinity (ln 0)', () => {
    expect(valueAndGrad((t: Tensor) => t.mean())([]).value).toBeNaN();
    expect(valueAndGrad((t: Tensor) => t.logSumExp())([]).value).toBe(-Infinity);
    expect(arr(valueAndGrad((t: Tensor) => t.reshape([3, 0]).logSumExp(1).exp().sum())([]).grad)).toEqual([]);
  });

  it('empty slices inside a non-empty computation, and an empty leaf in a pytree', () => {
    const r = gradAndHvp((t: Tensor) => t.slice(1, 1).concat([t]).square().sum().add(t.slice(0, 0).sum()), [1, 2], [1, 0]);
    expect([r.value, ...r.grad, ...r.hvp]).toEqual([5, 2, 4, 2, 0]);
    const p = gradAndHvp((q: { a: Tensor; b: Scalar }) => q.a.sum().add(q.b.square()).add(q.a.add(q.b).sum()), { a: [], b: 2 }, { a: [], b: 1 });
    expect(p.value).toBe(4);
    expect(p.grad).toEqual({ a: new Float64Array(0), b: 4 });
    expect(p.hvp).toEqual({ a: new Float64Array(0), b: 2 });
  });

  it('at() on an empty tensor is an ArgumentError, not a NaN', () => {
    expect(() => grad((t: Tensor) => t.at(0))([])).toThrow(ArgumentError);
  });
});

describe('inputs that are not quite numbers', () => {
  it('holes in a number[] (x = [1, , 3], new Array(3)) are a StructureError naming the hole, not NaN', () => {
    const f = (x: Tensor) => x.square().sum();
    // eslint-disable-next-line no-sparse-arrays
    expect(() => valueAndGrad(f)([1, , 3] as number[])).toThrow(StructureError);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => valueAndGrad(f)([1, , 3] as number[])).toThrow(/x\[1\]/);
    expect(() => valueAndGrad(f)(new Array<number>(3))).toThrow(StructureError);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => gradAndHvp(f, [1, 2, 3], [1, , 3] as number[])).toThrow(StructureError);
  });
});
