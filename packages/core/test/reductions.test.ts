// Reductions over axes (issue 15): values against a plain reference written here (groups of elements
// collected index by index, as a NumPy user would spell them out), derivatives against closed forms
// (ties, zeros in products, the mean inside the variance, norms at 0), nested third derivatives of
// prod at zeros, edge cases and error messages.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ArgumentError, OptionError, argmax, argmin, cumprod, cumsum, dot, grad, gradAndHvp, hvp, jvp, logSumExp, max, mean, min,
  norm, prod, std, sum, tensor, valueAndGrad, variance, vjp, type Scalar, type Tensor,
} from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';

// ---- A reference: arrays as shape + row-major data, reductions by explicit grouping -----------------

interface Arr { shape: number[]; data: number[] }

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);
function unravel(k: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = k % shape[a];
    k = Math.floor(k / shape[a]);
  }
  return idx;
}
const ravel = (idx: readonly number[], shape: readonly number[]) => idx.reduce((k, i, a) => k * shape[a] + i, 0);

/** For each output element (reduced axes kept as 1), the input elements (flat indices) in its group, in order. */
function groups(shape: number[], axes: number[]): { kept: number[]; members: number[][] } {
  const kept = shape.map((d, a) => (axes.includes(a) ? 1 : d));
  const members = Array.from({ length: size(kept) }, () => [] as number[]);
  for (let k = 0; k < size(shape); k++) {
    const idx = unravel(k, shape).map((i, a) => (axes.includes(a) ? 0 : i));
    members[ravel(idx, kept)].push(k);
  }
  return { kept, members };
}

function reduceRef(x: Arr, axes: number[], f: (vals: number[]) => number): number[] {
  return groups(x.shape, axes).members.map((g) => f(g.map((k) => x.data[k])));
}

const refMax = (v: number[]) => (v.some(Number.isNaN) ? NaN : v.reduce((m, e) => (e > m ? e : m), -Infinity));
const refProd = (v: number[]) => v.reduce((p, e) => p * e, 1);
const refMean = (v: number[]) => v.reduce((s, e) => s + e, 0) / v.length;
const refVariance = (ddof: number) => (v: number[]) => {
  const mu = refMean(v);
  return v.reduce((s, e) => s + (e - mu) ** 2, 0) / (v.length - ddof);
};
function refNorm(ord: number) {
  return (v: number[]) => {
    const a = v.map(Math.abs);
    if (ord === Infinity) return Math.max(...a);
    if (ord === -Infinity) return Math.min(...a);
    if (ord === 0) return a.filter((e) => e !== 0).length;
    return a.reduce((s, e) => s + e ** ord, 0) ** (1 / ord);
  };
}

/** Elementwise closeness relative to max(1, |expected|); NaN must meet NaN. */
function expectClose(actual: ArrayLike<number> | number, expected: ArrayLike<number> | number, tol = 1e-12) {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  expect(a.length).toBe(e.length);
  a.forEach((v, k) => {
    if (Number.isNaN(e[k])) expect(v).toBeNaN();
    else if (!Number.isFinite(e[k])) expect(v).toBe(e[k]);
    else expect(Math.abs(v - e[k])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e[k])));
  });
}

/** Random small tensors and a random subset of their axes (some written negative). */
const shapeArb = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 });
const caseArb = (values: fc.Arbitrary<number>) =>
  shapeArb.chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      data: fc.array(values, { minLength: size(shape), maxLength: size(shape) }),
      axes: fc.subarray(shape.map((_, a) => a), { minLength: 1 }),
      negative: fc.boolean(),
      keepDims: fc.boolean(),
    }),
  );
const written = (axes: number[], rank: number, negative: boolean) => (negative ? axes.map((a) => a - rank) : axes);
const reals = fc.double({ min: -3, max: 3, noNaN: true });
/** Small integers: ties and zeros on purpose. */
const ints = fc.integer({ min: -2, max: 2 });
const RUNS = { numRuns: 40, seed: 15 };

/** The value of a reduction inside f, as plain numbers. */
function valueOf(data: number[], shape: number[], op: (x: Tensor) => Scalar | Tensor): number | Float64Array {
  let out: number | Float64Array = 0;
  valueAndGrad((x: Tensor) => {
    const y = op(x.reshape(shape));
    out = y.kind === 'scalar' ? y.value : y.value.slice();
    return y.kind === 'scalar' ? y : y.sum();
  })(data);
  return out;
}

describe('values against the reference, over random shapes and axis lists', () => {
  const reductions: Array<[string, (x: Tensor, axis: number[], keep: boolean) => Tensor, (v: number[]) => number]> = [
    ['max', (x, a, k) => max(x, a, k), refMax],
    ['min', (x, a, k) => min(x, a, k), (v) => -refMax(v.map((e) => -e))],
    ['prod', (x, a, k) => prod(x, a, k), refProd],
    ['sum', (x, a, k) => sum(x, a, k), (v) => v.reduce((s, e) => s + e, 0)],
    ['mean', (x, a, k) => mean(x, a, k), refMean],
    ['logSumExp', (x, a, k) => logSumExp(x, a, k), (v) => Math.log(v.reduce((s, e) => s + Math.exp(e), 0))],
    ['variance', (x, a, k) => variance(x, a, k), refVariance(0)],
    ['std', (x, a, k) => std(x, a, k), (v) => Math.sqrt(refVariance(0)(v))],
    ['norm 2', (x, a, k) => norm(x, 2, a, k), refNorm(2)],
    ['norm 1', (x, a, k) => norm(x, 1, a, k), refNorm(1)],
    ['norm ∞', (x, a, k) => norm(x, Infinity, a, k), refNorm(Infinity)],
    ['norm −∞', (x, a, k) => norm(x, -Infinity, a, k), refNorm(-Infinity)],
    ['norm 0', (x, a, k) => norm(x, 0, a, k), refNorm(0)],
    ['norm 3', (x, a, k) => norm(x, 3, a, k), refNorm(3)],
  ];
  for (const [name, op, ref] of reductions) {
    it(name, () => {
      fc.assert(fc.property(caseArb(reals), ({ shape, data, axes, negative, keepDims }) => {
        const y = valueOf(data, shape, (x) => op(x, written(axes, shape.length, negative), keepDims)) as Float64Array;
        expectClose(y, reduceRef({ shape, data }, axes, ref), 1e-11);
      }), RUNS);
    });
  }

  it('the result shape keeps reduced axes as 1 with keepDims, drops them otherwise; no axis gives a scalar', () => {
    grad((x: Tensor) => {
      const t = x.reshape([2, 3, 4]);
      expect(max(t, [0, -1], true).shape).toEqual([1, 3, 1]);
      expect(prod(t, [2, 0]).shape).toEqual([3]);
      expect(variance(t, 1, { keepDims: true, ddof: 1 }).shape).toEqual([2, 1, 4]);
      expect(norm(t, 'fro', [-2, -1]).shape).toEqual([2]);
      expect(t.max().kind).toBe('scalar');
      expect(t.sum([0, 1]).shape).toEqual([4]);
      expect(t.mean([-1], true).shape).toEqual([2, 3, 1]);
      expect(t.logSumExp([0, 2]).shape).toEqual([3]);
      return x.sum();
    })(new Float64Array(24));
  });

  it('variance with ddof divides by n − ddof', () => {
    fc.assert(fc.property(caseArb(reals), ({ shape, data, axes }) => {
      const n = axes.reduce((p, a) => p * shape[a], 1);
      fc.pre(n > 1);
      const y = valueOf(data, shape, (x) => variance(x, axes, { ddof: 1 })) as Float64Array;
      expectClose(y, reduceRef({ shape, data }, axes, refVariance(1)), 1e-11);
    }), RUNS);
  });

  it('cumsum and cumprod along each axis, and of x flattened', () => {
    fc.assert(fc.property(caseArb(reals), fc.nat(), ({ shape, data }, pick) => {
      const axis = pick % shape.length;
      const expected = (combine: (acc: number, e: number) => number) => data.map((_, k) => {
        const idx = unravel(k, shape);
        let acc = data[k];
        for (let j = idx[axis] - 1; j >= 0; j--) acc = combine(acc, data[ravel(idx.map((i, a) => (a === axis ? j : i)), shape)]);
        return acc;
      });
      expectClose(valueOf(data, shape, (x) => cumsum(x, axis)), expected((p, e) => p + e), 1e-11);
      expectClose(valueOf(data, shape, (x) => cumprod(x, axis - shape.length)), expected((p, e) => p * e), 1e-11);
      const running = (f: (p: number, e: number) => number) => data.map((_, k) => data.slice(0, k + 1).reduce(f));
      expectClose(valueOf(data, shape, (x) => cumsum(x)), running((p, e) => p + e), 1e-11);
      expectClose(valueOf(data, shape, (x) => cumprod(x)), running((p, e) => p * e), 1e-11);
    }), RUNS);
  });

  it('cumprod is IEEE arithmetic in its value, as NumPy: [0, ∞] gives [0, NaN], [∞, 2] gives [∞, ∞]', () => {
    expectClose(valueOf([0, Infinity], [2], (x) => cumprod(x)), [0, NaN]);
    expectClose(valueOf([Infinity, 2, -1], [3], (x) => cumprod(x)), [Infinity, Infinity, -Infinity]);
  });

  it("'fro' is the root sum of squares over two axes; norm keeps huge and tiny values finite", () => {
    expectClose(valueOf([1, 2, 3, 4, 5, 6], [2, 3], (x) => norm(x, 'fro')), Math.sqrt(91));
    expectClose(valueOf([3e200, 4e200], [2], (x) => norm(x)), 5e200);
    expectClose(valueOf([3e-200, 4e-200], [2], (x) => norm(x)), 5e-200);
    expectClose(valueOf([3e200, 4e200], [2], (x) => norm(x, 3)), (27 + 64) ** (1 / 3) * 1e200);
  });
});

describe('max and min: ties share the derivative evenly', () => {
  it('the gradient of Σ w ⊙ max(x, axes) is w/c on the c elements that tie for each max (integers: many ties)', () => {
    fc.assert(fc.property(caseArb(ints), ({ shape, data, axes, keepDims }) => {
      const { members } = groups(shape, axes);
      const w = members.map((_, g) => 1 + g / 3);
      for (const [op, sign] of [[max, 1], [min, -1]] as const) {
        const g = grad((x: Tensor) => {
          const y = op(x.reshape(shape), axes, keepDims);
          return y.mul(tensor(w, y.shape)).sum();
        })(data);
        const expected = new Array<number>(data.length).fill(0);
        members.forEach((m, j) => {
          const best = sign * refMax(m.map((k) => sign * data[k]));
          const ties = m.filter((k) => data[k] === best);
          for (const k of ties) expected[k] = w[j] / ties.length;
        });
        expectClose(g as Float64Array, expected);
      }
    }), RUNS);
  });

  it('max([a, a]) has derivative 1 along [1, 1], as maximum(a, a); its Hessian is 0', () => {
    const r = gradAndHvp((x: Tensor) => max(x), [2, 2], [1, 1]);
    expectClose(r.grad as Float64Array, [0.5, 0.5]);
    expect(jvp((x: Tensor) => max(x), [2, 2], [1, 1]).tangent).toBe(1);
    expectClose(r.hvp as Float64Array, [0, 0]);
  });

  it('NaN in a group gives NaN there (value and gradient); the other groups are untouched', () => {
    const { value, grad: g } = valueAndGrad((x: Tensor) => max(x.reshape([2, 2]), 1).mul(tensor([1, 2])).sum())([NaN, 1, 2, 3]);
    expect(value).toBeNaN();
    expect(Array.from(g as Float64Array).map(Number.isNaN)).toEqual([true, true, false, false]);
    expectClose((g as Float64Array).slice(2), [0, 2]);
  });

  it('±Infinity is a max like any other value', () => {
    expectClose(valueOf([1, Infinity, -Infinity], [3], (x) => max(x)), Infinity);
    expectClose(grad((x: Tensor) => min(x))([-Infinity, 0, -Infinity]) as Float64Array, [0.5, 0, 0.5]);
  });
});

/** Π of x over the indices not in `skip` (by multiplication only). */
const productExcept = (x: number[], skip: number[]) => x.reduce((p, e, k) => (skip.includes(k) ? p : p * e), 1);

describe('prod is exact with zeros, at every order', () => {
  const withZeros = fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 1, maxLength: 6 });

  it('∇ Π x = (Π_{j≠k} xⱼ)ₖ and H·v = (Σ_{l≠k} Π_{j≠k,l} xⱼ vₗ)ₖ, with zero, one or several zeros', () => {
    fc.assert(fc.property(withZeros, (x) => {
      const v = x.map((_, k) => 1 - k / 2);
      const r = gradAndHvp((t: Tensor) => prod(t), x, v);
      expectClose(r.value, refProd(x));
      expectClose(r.grad as Float64Array, x.map((_, k) => productExcept(x, [k])));
      expectClose(r.hvp as Float64Array, x.map((_, k) => x.reduce((s, _e, l) => (l === k ? s : s + productExcept(x, [k, l]) * v[l]), 0)));
    }), RUNS);
  });

  it('the third derivative, by hvp nested in a jvp: Σ over distinct i, j, k of uᵢvⱼwₖ Π_{others}', () => {
    for (const x of [[0, 0, 0, 2, -1], [0, 1.5, 0, 2], [1, 2, 3, 0], [2, -1, 0.5, 3, 1]]) {
      const n = x.length;
      const u = x.map((_, k) => 1 + k), v = x.map((_, k) => 2 - k), w = x.map((_, k) => (k % 2 ? 1 : -0.5));
      let expected = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) {
        if (i !== j && j !== k && i !== k) expected += u[i] * v[j] * w[k] * productExcept(x, [i, j, k]);
      }
      const inner = (t: Tensor) => dot(hvp((s: Tensor) => prod(s), t, v) as unknown as Tensor, tensor(u));
      expectClose(jvp(inner, x, w).tangent as number, expected);
    }
  });

  it('along axes: each group its own product, the derivatives per group', () => {
    fc.assert(fc.property(caseArb(ints), ({ shape, data, axes }) => {
      const { members } = groups(shape, axes);
      const g = grad((x: Tensor) => prod(x.reshape(shape), axes).sum())(data) as Float64Array;
      const expected = new Array<number>(data.length);
      for (const m of members) for (const k of m) expected[k] = productExcept(m.map((j) => data[j]), [m.indexOf(k)]);
      expectClose(g, expected);
    }), RUNS);
  });

  it('a product over no elements is 1, with zero derivative', () => {
    const r = valueAndGrad((x: Tensor) => prod(x.reshape([2, 0]), 1).sum().add(x.sum()))(new Float64Array(0));
    expect(r.value).toBe(2);
  });

  it('cumprod: J·v and uᵀJ are the products of the others up to each k, with zeros', () => {
    fc.assert(fc.property(withZeros, (x) => {
      const n = x.length;
      const v = x.map((_, k) => 1 + k / 3), u = x.map((_, k) => 2 - k / 2);
      const J = (k: number, i: number) => (i <= k ? productExcept(x.slice(0, k + 1), [i]) : 0);
      const tangent = jvp((t: Tensor) => cumprod(t), x, v).tangent as Float64Array;
      expectClose(tangent, x.map((_, k) => v.reduce((s, vi, i) => s + J(k, i) * vi, 0)));
      const pulled = vjp((t: Tensor) => cumprod(t), x).pullback(u) as Float64Array;
      expectClose(pulled, x.map((_, i) => u.reduce((s, uk, k) => s + uk * J(k, i), 0)));
      // The Hessian of Σ uₖ yₖ: Σ_k uₖ Π_{j≤k, j∉{i,l}} xⱼ for i ≠ l, both ≤ k.
      const Hv = hvp((t: Tensor) => cumprod(t).mul(tensor(u)).sum(), x, v) as Float64Array;
      const expectedHv = x.map((_, i) => {
        let s = 0;
        for (let l = 0; l < n; l++) for (let k = Math.max(i, l); k < n; k++) if (l !== i) s += u[k] * productExcept(x.slice(0, k + 1), [i, l]) * v[l];
        return s;
      });
      expectClose(Hv, expectedHv);
    }), RUNS);
  });
});

describe('variance, std, cumsum, norm: closed-form derivatives', () => {
  it('variance: ∇ = 2(x − x̄)/(n − ddof), H·v = 2(v − v̄)/(n − ddof) (the mean is differentiated)', () => {
    fc.assert(fc.property(fc.array(reals, { minLength: 2, maxLength: 6 }), fc.constantFrom(0, 1), (x, ddof) => {
      const n = x.length;
      const v = x.map((_, k) => Math.cos(k));
      const r = gradAndHvp((t: Tensor) => variance(t, undefined, { ddof }), x, v);
      const xm = refMean(x), vm = refMean(v);
      expectClose(r.grad as Float64Array, x.map((e) => (2 * (e - xm)) / (n - ddof)), 1e-10);
      expectClose(r.hvp as Float64Array, v.map((e) => (2 * (e - vm)) / (n - ddof)), 1e-10);
    }), RUNS);
  });

  it('std: ∇ = (x − x̄)/((n − ddof)·std); at zero variance the gradient is 0 and H·v is NaN unless v is constant', () => {
    const x = [1, 4, 2, 7];
    const s = Math.sqrt(refVariance(1)(x));
    expectClose(grad((t: Tensor) => std(t, undefined, { ddof: 1 }))(x) as Float64Array, x.map((e) => (e - refMean(x)) / (3 * s)));
    const flat = gradAndHvp((t: Tensor) => std(t), [2, 2, 2], [1, 0, 0]);
    expect(flat.value).toBe(0);
    expectClose(flat.grad as Float64Array, [0, 0, 0]);
    expect(Array.from(flat.hvp as Float64Array).every(Number.isNaN)).toBe(true);
    expectClose(hvp((t: Tensor) => std(t), [2, 2, 2], [1, 1, 1]) as Float64Array, [0, 0, 0]);
  });

  it('cumsum: J·v is the running sum of v and uᵀJ the running sum of u from the end', () => {
    fc.assert(fc.property(fc.array(reals, { minLength: 1, maxLength: 6 }), (x) => {
      const v = x.map((_, k) => k - 1), u = x.map((_, k) => 1 / (k + 1));
      expectClose(jvp((t: Tensor) => cumsum(t), x, v).tangent as Float64Array, v.map((_, k) => v.slice(0, k + 1).reduce((a, b) => a + b)));
      expectClose(vjp((t: Tensor) => cumsum(t), x).pullback(u) as Float64Array, u.map((_, k) => u.slice(k).reduce((a, b) => a + b)));
    }), RUNS);
  });

  it('norm: ∇‖x‖₂ = x/‖x‖₂, ∇‖x‖₁ = sign x, ∇‖x‖ₚ = sign(x)|x|^(p−1)‖x‖ₚ^(1−p), ∇‖x‖∞ on the largest |xₖ| (ties shared)', () => {
    const x = [3, -4, 1, -2];
    const l2 = Math.sqrt(30);
    expectClose(grad((t: Tensor) => norm(t))(x) as Float64Array, x.map((e) => e / l2));
    expectClose(grad((t: Tensor) => norm(t, 1))(x) as Float64Array, x.map(Math.sign));
    const p = 3, lp = refNorm(p)(x);
    expectClose(grad((t: Tensor) => norm(t, p))(x) as Float64Array, x.map((e) => Math.sign(e) * Math.abs(e) ** (p - 1) * lp ** (1 - p)), 1e-11);
    expectClose(grad((t: Tensor) => norm(t, Infinity))([1, -3, 3, 2]) as Float64Array, [0, -0.5, 0.5, 0]);
    expectClose(grad((t: Tensor) => norm(t, -Infinity))([1, -3, -1, 2]) as Float64Array, [0.5, 0, -0.5, 0]);
    // H·v of ‖x‖₂: (v − x̂ x̂ᵀv)/‖x‖₂.
    const v = [1, 0, -1, 2];
    const xv = x.reduce((s, e, k) => s + e * v[k], 0);
    expectClose(hvp((t: Tensor) => norm(t), x, v) as Float64Array, v.map((e, k) => (e - (x[k] * xv) / 30) / l2));
  });

  it('norm at x = 0: the gradient is 0 for every ord; H·v is ±∞ along v for ord 2, 0 for the others', () => {
    for (const ord of [2, 1, Infinity, -Infinity, 3, 0.5, -1.5, 0] as const) {
      const r = gradAndHvp((t: Tensor) => norm(t, ord), [0, 0, 0], [1, 0, -1]);
      expect(r.value).toBe(0);
      expectClose(r.grad as Float64Array, [0, 0, 0]);
      expectClose(r.hvp as Float64Array, ord === 2 ? [Infinity, 0, -Infinity] : [0, 0, 0]);
    }
    // A zero element where |x|ᵖ has infinite slope (p < 1): 0 there, the usual value elsewhere.
    const g = grad((t: Tensor) => norm(t, 0.5))([0, 1, 4]) as Float64Array;
    expectClose(g, [0, 3, 1.5]);
  });

  it('norm at ±∞ (p > 0): the limits, ∇ = sign(xᵢ) at a lone ±∞, NaN at several, 0 or ±∞ at the finite elements', () => {
    // ‖x‖ₚ = |xᵢ| + (Σₖ≠ᵢ|xₖ|ᵖ)·|xᵢ|^(1−p)/p + … as xᵢ → ±∞: ∂/∂xᵢ → sign(xᵢ), ∂/∂xₖ = sign(xₖ)(|xₖ|/y)^(p−1)
    // → 0 for p > 1 and ±∞ for p < 1, second derivatives in xᵢ → 0, in the finite xₖ → 0 (p > 1) or −∞ (p < 1).
    // With two ±∞ the gradient at them depends on the path (x/‖x‖₂ at [t, t] and [t, 2t]): NaN; the second
    // derivatives tend to 0 on every path (a norm's Hessian is homogeneous of degree −1). (The gradient was 0
    // at the ±∞: √′(∞) = 0 times 2xᵢ = ∞ is a structural zero; JAX gives NaN.)
    for (const ord of [2, 3, 2.5, 0.5] as const) {
      const far = ord > 1 ? 0 : Infinity;
      const one = gradAndHvp((t: Tensor) => norm(t, ord), [1, -Infinity, -2], [0, 1, 0]);
      expect(one.value).toBe(Infinity);
      expectClose(one.grad as Float64Array, [far, -1, -far]);
      expectClose(one.hvp as Float64Array, [0, 0, 0]);
      const along = hvp((t: Tensor) => norm(t, ord), [1, -Infinity, -2], [1, 0, 1]) as Float64Array;
      expectClose(along, ord > 1 ? [0, 0, 0] : [-Infinity, 0, -Infinity]);
      const two = gradAndHvp((t: Tensor) => norm(t, ord), [Infinity, 1, -Infinity], [1, 0, 0]);
      expect(two.value).toBe(Infinity);
      expectClose(two.grad as Float64Array, [NaN, far, NaN]);
      expectClose(two.hvp as Float64Array, [0, 0, 0]);
      expectClose(hvp((t: Tensor) => norm(t, ord), [Infinity, 1, -Infinity], [0, 1, 0]) as Float64Array, [0, ord > 1 ? 0 : -Infinity, 0]);
    }
    // Nearby finite points approach the limit (ord 2: x/‖x‖₂ = [1, 1e-300, −2e-300]).
    expectClose(grad((t: Tensor) => norm(t))([1e300, 1, -2]) as Float64Array, [1, 0, 0]);
    // Along an axis each line on its own, 'fro' as ord 2; a NaN line stays NaN; p < 0 is untouched (the ±∞ term is 0).
    const rows = grad((t: Tensor) => norm(t.reshape([3, 2]), 2, 1).sum())([3, 4, Infinity, 5, NaN, Infinity]) as Float64Array;
    expectClose(rows, [0.6, 0.8, 1, 0, NaN, NaN]);
    expectClose(grad((t: Tensor) => norm(t.reshape([2, 2]), 'fro'))([-Infinity, 1, 2, 3]) as Float64Array, [-1, 0, 0, 0]);
    expectClose(grad((t: Tensor) => norm(t, -1))([Infinity, 1, -2]) as Float64Array, [0, 4 / 9, -1 / 9]);
    // Third order through nested transforms: the limits of D³ are 0 at a lone ±∞ for p > 1.
    const d3 = jvp((t: Tensor) => hvp((s: Tensor) => norm(s, 3), t, [1, 1, 1]) as Tensor, [Infinity, 1, 2], [1, 1, 1]).tangent as Float64Array;
    expectClose(d3, [0, 0, 0]);
  });

  it('sum, mean and logSumExp over axis lists match checkGrads at order 2 (and order 3 for a sample)', () => {
    const x = Array.from({ length: 12 }, (_, k) => Math.sin(k + 1));
    for (const f of [
      (t: Tensor) => sum(t.reshape([2, 3, 2]), [0, -1]).square().sum(),
      (t: Tensor) => mean(t.reshape([2, 3, 2]), [2, 0], true).sin().sum(),
      (t: Tensor) => logSumExp(t.reshape([2, 3, 2]), [-2, -1]).square().sum(),
      (t: Tensor) => t.reshape([3, 4]).sum([0, 1]).mul(t.at(0)).sum(), // all axes listed: a 0-d tensor
    ]) expect(checkGrads(f, x, { order: 2 }).every((c) => c.passed)).toBe(true);
    const nested = checkGrads((t: Tensor) => variance(t.reshape([3, 4]), [1]).mul(prod(t.reshape([3, 4]), -1)).sum(), x, { order: 3, directions: 1 });
    expect(nested.every((c) => c.passed)).toBe(true);
  });
});

describe('argmax and argmin', () => {
  it('flat indices without an axis; Int32Array along an axis; ties give the first (reference over random integers)', () => {
    fc.assert(fc.property(caseArb(ints), fc.nat(), ({ shape, data }, pick) => {
      const axis = pick % shape.length;
      grad((t: Tensor) => {
        const x = t.reshape(shape);
        const firstBest = (vals: number[], better: (a: number, b: number) => boolean) =>
          vals.reduce((best, v, k) => (better(v, vals[best]) ? k : best), 0);
        expect(argmax(x)).toBe(firstBest(data, (a, b) => a > b));
        expect(argmin(x)).toBe(firstBest(data, (a, b) => a < b));
        const lines = groups(shape, [axis]).members.map((m) => m.map((k) => data[k]));
        expect(Array.from(argmax(x, axis))).toEqual(lines.map((l) => firstBest(l, (a, b) => a > b)));
        expect(Array.from(x.argmin(axis - shape.length))).toEqual(lines.map((l) => firstBest(l, (a, b) => a < b)));
        expect(argmax(x, axis)).toBeInstanceOf(Int32Array);
        return t.sum();
      })(data);
    }), RUNS);
  });

  it('a NaN wins, the first one (as NumPy)', () => {
    grad((t: Tensor) => {
      expect(argmax(t)).toBe(1);
      expect(argmin(t)).toBe(1);
      return t.sum();
    })([3, NaN, -1, NaN]);
  });
});

describe('errors name the problem', () => {
  const run = (f: (t: Tensor) => unknown, x: number[] = [1, 2, 3, 4, 5, 6]) => () => grad((t: Tensor) => (f(t), t.sum()))(x);
  it('empty reductions, degrees of freedom, ords, axes', () => {
    expect(run((t) => max(t.reshape([0, 3]), 0), [])).toThrow(/max: axes \[0\] of shape \[0,3\] hold no elements/);
    expect(run((t) => t.reshape([2, 0]).min(1), [])).toThrow(ArgumentError);
    expect(run((t) => argmax(t.reshape([2, 0]), 1), [])).toThrow(/argmax: axis 1 of x \(shape \[2,0\]\) is empty/);
    expect(run((t) => variance(t, 0, { ddof: 6 }))).toThrow(/variance: 6 elements .* ddof 6; n − ddof must be > 0/);
    expect(run((t) => std(t, undefined, { ddof: -1 }))).toThrow(OptionError);
    expect(run((t) => variance(t, 0, { dof: 1 } as never))).toThrow(/did you mean 'ddof'/);
    expect(run((t) => norm(t, 'nuc' as never))).toThrow(/norm: ord must be a number .* or 'fro', got 'nuc'/);
    expect(run((t) => norm(t.reshape([1, 2, 3]), 'fro'))).toThrow(/'fro' is a matrix norm; x has shape \[1,2,3\]/);
    expect(run((t) => norm(t.reshape([2, 3]), 'fro', [0]))).toThrow(/'fro' needs two axes/);
    expect(run((t) => prod(t, [0, 0]))).toThrow(/names an axis twice/);
    expect(run((t) => max(t, 1))).toThrow(/axis 1 is out of range for shape \[6\]/);
    expect(run((t) => cumsum(t, [0] as never))).toThrow(/cumsum: axis must be one axis/);
    expect(run((t) => argmin(t, 2))).toThrow(ArgumentError);
    expect(run((t) => max([1, 2] as never))).toThrow(/max: expected a tensor, got an array/);
  });
});
