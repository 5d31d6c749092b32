// Each transform's documented behaviour on small functions whose derivatives are worked out by hand
// here: pytrees in and out, flatten order, constants, tensor-valued jvp, repeated pullbacks, user ops
// (defineOp) under checkGrads, and very deep graphs (no recursion, closed forms at the end).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  D, defineOp, flatten, ggnvp, grad, gradAndHvp, hessian, hvp, hvpMany, hvpOperator, jacobian, jvp, scalar, stack,
  tensor, unflatten, valueAndGrad, vjp, type Pytree, type Scalar, type Tensor,
} from '../src/index.js';
import { checkGrads, GradientCheckError } from '../src/testing/index.js';

const arr = (a: ArrayLike<number>) => Array.from(a);

function expectArrayClose(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 13): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) expect(actual[k]).toBeCloseTo(expected[k], digits);
}

// ---------------------------------------------------------------------------------------------------
// A nested pytree: { w: Float64Array, b: number, layers: [{ a, v }, { a, v }] }
//   f = b·Σwᵢ² + sin b + Σ_l a_l·v_l0·v_l1
// ---------------------------------------------------------------------------------------------------

interface Params { w: Float64Array; b: number; layers: { a: number; v: number[] }[] }
interface ParamNodes { w: Tensor; b: Scalar; layers: readonly { a: Scalar; v: Tensor }[] }

const params = (): Params => ({
  w: Float64Array.of(0.5, -1, 2),
  b: 0.3,
  layers: [{ a: 1.5, v: [2, -0.5] }, { a: -2, v: [0.25, 3] }],
});

const model = (p: ParamNodes): Scalar => {
  let f = p.w.square().sum().mul(p.b).add(p.b.sin());
  for (const l of p.layers) f = f.add(l.a.mul(l.v.at(0)).mul(l.v.at(1)));
  return f;
};

function modelByHand(p: Params, d: Params) {
  const sw2 = arr(p.w).reduce((s, w) => s + w * w, 0);
  const value = p.b * sw2 + Math.sin(p.b) + p.layers.reduce((s, l) => s + l.a * l.v[0] * l.v[1], 0);
  const grad = {
    w: arr(p.w).map((w) => 2 * w * p.b),
    b: sw2 + Math.cos(p.b),
    layers: p.layers.map((l) => ({ a: l.v[0] * l.v[1], v: [l.a * l.v[1], l.a * l.v[0]] })),
  };
  // Second partials: ∂²/∂wᵢ² = 2b, ∂²/∂wᵢ∂b = 2wᵢ, ∂²/∂b² = −sin b, ∂²/∂a∂v₀ = v₁, ∂²/∂a∂v₁ = v₀, ∂²/∂v₀∂v₁ = a.
  const hvp = {
    w: arr(p.w).map((w, i) => 2 * p.b * d.w[i] + 2 * w * d.b),
    b: arr(p.w).reduce((s, w, i) => s + 2 * w * d.w[i], 0) - Math.sin(p.b) * d.b,
    layers: p.layers.map((l, k) => {
      const dl = d.layers[k];
      return { a: l.v[1] * dl.v[0] + l.v[0] * dl.v[1], v: [l.v[1] * dl.a + l.a * dl.v[1], l.v[0] * dl.a + l.a * dl.v[0]] };
    }),
  };
  return { value, grad, hvp };
}

describe('pytrees in, pytrees out', () => {
  const d: Params = { w: Float64Array.of(1, 0, -1), b: 2, layers: [{ a: 0.5, v: [1, 1] }, { a: 1, v: [-1, 0.5] }] };

  it('valueAndGrad and grad on a nested pytree match the hand-derived gradient, with the same structure', () => {
    const p = params();
    const e = modelByHand(p, d);
    const { value, grad: g } = valueAndGrad(model)(p);
    expect(value).toBeCloseTo(e.value, 13);
    expect(Object.keys(g)).toEqual(['w', 'b', 'layers']);
    expect(g.w).toBeInstanceOf(Float64Array);
    expect(typeof g.b).toBe('number');
    expect(Array.isArray(g.layers)).toBe(true);
    expect(g.layers.length).toBe(2);
    // number[] leaves come back as Float64Array, numbers as numbers.
    expect(g.layers[0].v).toBeInstanceOf(Float64Array);
    expect(typeof g.layers[1].a).toBe('number');
    expectArrayClose(g.w, e.grad.w);
    expect(g.b).toBeCloseTo(e.grad.b, 13);
    g.layers.forEach((l, k) => {
      expect(Object.keys(l)).toEqual(['a', 'v']);
      expect(l.a).toBeCloseTo(e.grad.layers[k].a, 13);
      expectArrayClose(l.v, e.grad.layers[k].v);
    });
    expect(flatten(grad(model)(p) as unknown as Pytree)).toEqual(flatten(g as unknown as Pytree));
  });

  it('gradAndHvp on the pytree with a pytree direction matches the hand-derived H·v', () => {
    const p = params();
    const e = modelByHand(p, d);
    const r = gradAndHvp(model, p, d);
    expect(r.value).toBeCloseTo(e.value, 13);
    expect(Object.keys(r.hvp)).toEqual(['w', 'b', 'layers']);
    expectArrayClose(r.hvp.w, e.hvp.w);
    expect(r.hvp.b).toBeCloseTo(e.hvp.b, 13);
    r.hvp.layers.forEach((l, k) => {
      expect(l.a).toBeCloseTo(e.hvp.layers[k].a, 13);
      expectArrayClose(l.v, e.hvp.layers[k].v);
    });
  });

  it('hessian and hvpOperator.applyFlat use flatten order (w, b, layers[0].a, layers[0].v, …)', () => {
    const p = params();
    const H = hessian(model, p);
    const n = flatten(p).length;
    expect(n).toBe(3 + 1 + 3 + 3);
    expect(H.length).toBe(n * n);
    for (let j = 0; j < n; j++) {
      const ej = new Float64Array(n);
      ej[j] = 1;
      const byHand = modelByHand(p, unflatten(p, ej) as unknown as Params).hvp;
      const column = flatten(byHand as unknown as Pytree);
      expectArrayClose(Array.from({ length: n }, (_, i) => H[i * n + j]), column);
      expectArrayClose(hvpOperator(model, p).applyFlat(ej), column);
    }
    // Row-major n×n, b is parameter 3: H[0][3] = ∂²f/∂w₀∂b = 2w₀ = 1.
    expect(H[0 * n + 3]).toBeCloseTo(1, 14);
  });

  it('a scalar x, and an array mixing numbers and objects', () => {
    expect(grad((x: Scalar) => x.square().mul(x))(2)).toBe(12);
    // [2, 3, { z: 0 }] is not all numbers, so it is an array of three leaves, not a vector.
    const g = grad((xs: readonly [Scalar, Scalar, { z: Scalar }]) => xs[0].mul(xs[1]).add(xs[2].z.exp()))([2, 3, { z: 0 }]);
    expect(g).toEqual([3, 2, { z: 1 }]);
  });
});

describe('flatten and unflatten', () => {
  it('order: object keys in insertion order, arrays by index, vectors in place', () => {
    expect(arr(flatten({ b: 1, a: [2, 3] }))).toEqual([1, 2, 3]);
    expect(arr(flatten({ a: [2, 3], b: 1 }))).toEqual([2, 3, 1]);
    expect(arr(flatten({ w: [1, 2], b: 3, layers: [{ z: 4, v: Float64Array.of(5, 6) }, { z: 7, v: [] }] }))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(arr(flatten([[1, 2], [3], 4] as never))).toEqual([1, 2, 3, 4]);
    expect(arr(flatten(5))).toEqual([5]);
  });

  it('unflatten gives the structure of the template, with Float64Array vectors', () => {
    const u = unflatten({ w: [0, 0], b: 0, layers: [{ a: 0 }] }, [1, 2, 3, 4]);
    expect(u.w).toBeInstanceOf(Float64Array);
    expect(arr(u.w)).toEqual([1, 2]);
    expect(u.b).toBe(3);
    expect(u.layers[0].a).toBe(4);
  });

  /** Random pytrees: numbers, vectors, objects (string keys) and arrays of trees. */
  const treeArb = fc.letrec<{ tree: Pytree }>((tie) => ({
    tree: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'tree', withCrossShrink: true },
      fc.double({ min: -10, max: 10, noNaN: true }),
      fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { maxLength: 4 }),
      fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { maxLength: 4 }).map((a) => Float64Array.from(a)),
      fc.uniqueArray(fc.constantFrom('w', 'b', 'layers', 'alpha', 'z'), { maxLength: 4 }).chain((keys) =>
        fc.tuple(...keys.map(() => tie('tree') as fc.Arbitrary<Pytree>)).map((vals) => Object.fromEntries(keys.map((k, i) => [k, vals[i]])) as Pytree)),
      fc.array(tie('tree') as fc.Arbitrary<Pytree>, { minLength: 1, maxLength: 3 }),
    ),
  })).tree;

  /** An independent flatten: the documented order, written out. */
  function reference(t: unknown): number[] {
    if (typeof t === 'number') return [t];
    if (t instanceof Float64Array) return arr(t);
    if (Array.isArray(t)) return t.every((e) => typeof e === 'number') ? [...t] : t.flatMap(reference);
    return Object.keys(t as object).flatMap((k) => reference((t as Record<string, unknown>)[k]));
  }

  it('round trip on random pytrees, in the documented order', () => {
    fc.assert(fc.property(treeArb, (t) => {
      const flat = flatten(t);
      expect(arr(flat)).toEqual(reference(t));
      const back = unflatten(t, flat);
      expect(arr(flatten(back as Pytree))).toEqual(arr(flat));
      const shifted = Float64Array.from(flat, (v, k) => v + k + 1);
      expect(arr(flatten(unflatten(t, shifted) as Pytree))).toEqual(arr(shifted));
    }), { numRuns: 200, seed: 7 });
  });

  it('grad of a random pytree function follows flatten order: ∇ Σ cₖ·leafₖ² = 2c ⊙ flat', () => {
    fc.assert(fc.property(treeArb, (t) => {
      const flat = flatten(t);
      const c = Float64Array.from(flat, (_, k) => k + 1);
      // Build Σ cₖ xₖ² from the flattened view of the nodes via unflatten's order: multiply each
      // leaf by its own slice of c, visited in the same order the reference walk uses.
      const f = (nodes: unknown) => {
        let k = 0;
        let total: Scalar | number = 0;
        const visit = (n: unknown): void => {
          if (n && typeof n === 'object' && 'kind' in n) {
            const node = n as Scalar | Tensor;
            if (node.kind === 'scalar') {
              total = node.square().mul(c[k++]).add(total);
            } else {
              if (node.size === 0) return;
              const part = c.slice(k, k + node.size);
              k += node.size;
              total = node.square().mul(tensor(part)).sum().add(total);
            }
          } else if (Array.isArray(n)) n.forEach(visit);
          else if (n && typeof n === 'object') Object.keys(n).forEach((key) => visit((n as Record<string, unknown>)[key]));
        };
        visit(nodes);
        return total;
      };
      const g = flatten(grad(f as never)(t) as Pytree);
      // (+0 normalizes −0: the engine's adjoints start at +0.)
      expect(arr(g).map((a) => a + 0)).toEqual(arr(flat).map((x, k) => 2 * c[k] * x + 0));
    }), { numRuns: 100, seed: 8 });
  });
});

describe('constant functions: zero derivatives, no error', () => {
  const x = { w: [1, 2], b: 3 };
  const v = { w: [1, -1], b: 2 };
  const constants: Record<string, (p: { w: Tensor; b: Scalar }) => Scalar | number> = {
    'a plain number': () => 4,
    'a constant scalar node': () => scalar(4),
    'a node computed from constants only': () => tensor([1, 3]).square().sum().sub(6),
    'a node computed from x.value (a number)': (p) => tensor(p.w.value).sum().add(1),
  };
  for (const [name, f] of Object.entries(constants)) {
    it(name, () => {
      const vg = valueAndGrad(f)(x);
      expect(vg.value).toBe(4);
      expect(arr(vg.grad.w)).toEqual([0, 0]);
      expect(vg.grad.b).toBe(0);
      const r = gradAndHvp(f, x, v);
      expect(r.value).toBe(4);
      expect(arr(r.hvp.w)).toEqual([0, 0]);
      expect(r.hvp.b).toBe(0);
      expect(arr(hessian(f, x))).toEqual(new Array(9).fill(0));
      const op = hvpOperator(f, x);
      expect(op.value).toBe(4);
      expect(arr(op.applyFlat(Float64Array.of(1, 2, 3)))).toEqual([0, 0, 0]);
      expect(jvp(f, x, v)).toEqual({ value: 4, tangent: 0 });
      expect(arr(flatten(vjp(f, x).pullback(1) as Pytree))).toEqual([0, 0, 0]);
      expect(arr(jacobian(f, x))).toEqual([0, 0, 0]);
    });
  }

  it('leaves that f ignores get zero gradient and zero H·v', () => {
    const r = gradAndHvp((p: { used: Scalar; unused: Tensor; alsoUnused: Scalar }) => p.used.square(), { used: 3, unused: [1, 2], alsoUnused: 5 }, { used: 1, unused: [1, 1], alsoUnused: 1 });
    expect(r.grad).toEqual({ used: 6, unused: new Float64Array(2), alsoUnused: 0 });
    expect(r.hvp).toEqual({ used: 2, unused: new Float64Array(2), alsoUnused: 0 });
  });

  it('a tensor-valued constant function under jvp and jacobian', () => {
    const r = jvp(() => tensor([1, 2]), [5, 6], [1, 1]);
    expect(arr(r.value as Float64Array)).toEqual([1, 2]);
    expect(arr(r.tangent as Float64Array)).toEqual([0, 0]);
    expect(arr(jacobian(() => tensor([1, 2]), [5, 6]))).toEqual([0, 0, 0, 0]);
  });
});

describe('jvp, vjp, jacobian on tensor-valued functions', () => {
  // g(x) = [x₀x₁, sin x₂, e^(x₀)]
  const g = (x: Tensor) => stack([x.at(0).mul(x.at(1)), x.at(2).sin(), x.at(0).exp()]);
  const J = (x: number[]) => [
    [x[1], x[0], 0],
    [0, 0, Math.cos(x[2])],
    [Math.exp(x[0]), 0, 0],
  ];
  const x = [0.5, -2, 1.2];

  it('jvp gives g(x) and J·v', () => {
    const v = [1, 0.5, -3];
    const r = jvp(g, x, v);
    expectArrayClose(r.value as Float64Array, [x[0] * x[1], Math.sin(x[2]), Math.exp(x[0])], 14);
    expectArrayClose(r.tangent as Float64Array, J(x).map((row) => row.reduce((s, jk, k) => s + jk * v[k], 0)), 14);
  });

  it('jvp of an elementwise tensor function: d/dt exp(x + tv) = exp(x)⊙v', () => {
    const r = jvp((t: Tensor) => t.exp().mul(tensor([1, 2])), [0, 1], [3, -1]);
    expectArrayClose(r.tangent as Float64Array, [3, -2 * Math.E], 14);
  });

  it('jacobian matches J by hand (row-major m×n)', () => {
    expectArrayClose(jacobian(g, x), J(x).flat(), 14);
    // The documented example: x ↦ x·x₀ at [2, 3] is [[4, 0], [3, 2]].
    expect(arr(jacobian((t: Tensor) => t.mul(t.at(0)), [2, 3]))).toEqual([4, 0, 3, 2]);
  });

  it('vjp: pullback called twice (and with different u) gives uᵀJ each time, never accumulating', () => {
    const { value, pullback } = vjp(g, x);
    expectArrayClose(value as Float64Array, [x[0] * x[1], Math.sin(x[2]), Math.exp(x[0])], 14);
    const uTJ = (u: number[]) => [0, 1, 2].map((j) => u.reduce((s, ui, i) => s + ui * J(x)[i][j], 0));
    const a = pullback([1, 2, 3]);
    const b = pullback([1, 2, 3]);
    expectArrayClose(a, uTJ([1, 2, 3]), 14);
    expect(arr(b)).toEqual(arr(a));
    const c = pullback(Float64Array.of(0, -1, 0.5));
    expectArrayClose(c, uTJ([0, -1, 0.5]), 14);
    // The first result was not overwritten by later pullbacks.
    expectArrayClose(a, uTJ([1, 2, 3]), 14);
  });

  it('vjp of a scalar function and of a pytree input', () => {
    const { pullback } = vjp((p: { a: Tensor; s: Scalar }) => p.a.mul(p.s).sum(), { a: [1, 2], s: 3 });
    const r1 = pullback(1);
    const r2 = pullback(2);
    expect(arr(r1.a)).toEqual([3, 3]);
    expect(r1.s).toBe(3);
    expect(arr(r2.a)).toEqual([6, 6]);
    expect(r2.s).toBe(6);
  });

  it('hvpMany and hvpOperator.apply on a quadratic: H = [[2, 1], [1, 2]]', () => {
    const f = (t: Tensor) => t.square().sum().add(t.at(0).mul(t.at(1)));
    expect(arr(hvpMany(f, [5, 7], Float64Array.of(1, 0, 0, 1, 2, -1)))).toEqual([2, 1, 1, 2, 3, 0]);
    const op = hvpOperator(f, [5, 7]);
    expect(op.value).toBe(25 + 49 + 35);
    expect(arr(op.grad)).toEqual([17, 19]);
    expect(op.size).toBe(2);
    expect(arr(op.apply([1, 0]))).toEqual([2, 1]);
    expect(arr(op.apply([0, 1]))).toEqual([1, 2]);
    expect(arr(op.apply([1, 0]))).toEqual([2, 1]);
    // A tensor node for V belongs inside another transform; at top level the error names hvpMany.
    expect(() => hvpMany(f, [5, 7], tensor([1, 0, 0, 1]) as never)).toThrow(/^hvpMany: V is a tensor node.*Float64Array/);
  });

  it('ggnvp on least squares is XᵀX·v (the documented example, by hand)', () => {
    const X = [[1, 2, 3], [4, 5, 6]];
    const v = [1, 2, 3];
    const Xv = X.map((row) => row.reduce((s, xk, k) => s + xk * v[k], 0));
    const XtXv = [0, 1, 2].map((j) => X.reduce((s, row, i) => s + row[j] * Xv[i], 0));
    const Gv = ggnvp((w: Tensor) => tensor(X.flat(), [2, 3]).matmul(w), (r) => r.sub(tensor([1, 2])).square().sum().mul(0.5), [1, 2, 3], v);
    expect(arr(Gv)).toEqual(XtXv);
    // A weighted loss ½Σcᵢrᵢ² (H_L = diag c, not I) on the same model: G = Xᵀ diag(c) X.
    const c = [1, 3];
    const XtCXv = [0, 1, 2].map((j) => X.reduce((s, row, i) => s + row[j] * c[i] * Xv[i], 0));
    const GvWeighted = ggnvp((w: Tensor) => tensor(X.flat(), [2, 3]).matmul(w), (r) => r.square().mul(tensor(c)).sum().mul(0.5), [1, 2, 3], v);
    expect(arr(GvWeighted)).toEqual(XtCXv);
    // A nonlinear model r = tanh(w) with loss Σ softplus(r): J = diag(1 − tanh²), H_L = diag σ(r)(1 − σ(r)).
    const w = [0.3, -0.8];
    const Gv2 = ggnvp((t: Tensor) => t.tanh(), (r) => r.softplus().sum(), w, [1, -2]);
    expectArrayClose(Gv2, w.map((wi, i) => {
      const r = Math.tanh(wi), s = 1 / (1 + Math.exp(-r));
      return (1 - r * r) ** 2 * s * (1 - s) * [1, -2][i];
    }), 14);
  });
});

describe('defineOp: user ops under every transform', () => {
  const cube = defineOp({
    name: 'cube',
    primal: (x) => x * x * x,
    tangent: ([x], [xDot]) => 3 * x * x * xDot,
    backward: ([x], _y, yBar) => [D.mul(yBar, D.scale(D.mul(x, x), 3))],
  });
  // y = a·e^b: ∂y/∂a = e^b, ∂y/∂b = a·e^b.
  const mulExp = defineOp({
    name: 'mulExp',
    primal: (a, b) => a * Math.exp(b),
    tangent: ([a, b], [aDot, bDot]) => Math.exp(b) * (aDot + a * bDot),
    backward: ([a, b], _y, yBar) => {
      const eb = D.exp(b);
      return [D.mul(yBar, eb), D.mul(yBar, D.mul(a, eb))];
    },
  });

  it('cube: closed-form value, gradient and second derivative, scalar and elementwise', () => {
    expect(hvp((p: Scalar) => cube(p), 2, 1)).toBe(12);
    const r = gradAndHvp((p: Tensor) => cube(p).sum(), [1, -2, 0.5], [1, 1, 2]);
    expect(r.value).toBeCloseTo(1 - 8 + 0.125, 14);
    expectArrayClose(r.grad, [3, 12, 0.75], 14);
    expectArrayClose(r.hvp, [6, -12, 6], 14);
  });

  it('cube passes checkGrads at order 2 as a scalar op and elementwise on a tensor', () => {
    expect(checkGrads((p: Scalar) => cube(p).mul(p.sin()), 0.7, { order: 2 }).every((c) => c.passed)).toBe(true);
    expect(checkGrads((p: Tensor) => cube(p.tanh()).mul(p).sum(), [0.3, -1.1, 0.8], { order: 2 }).every((c) => c.passed)).toBe(true);
    expect(checkGrads((p: Tensor) => cube(p.at(0)).mul(cube(p)).sum(), [0.3, -0.6], { order: 2, seed: 3 }).every((c) => c.passed)).toBe(true);
  });

  it('a two-input op passes checkGrads at order 2, on scalars, tensors and with a number operand', () => {
    const ok = (checks: { passed: boolean }[]) => expect(checks.every((c) => c.passed)).toBe(true);
    ok(checkGrads((p: Tensor) => mulExp(p.at(0), p.at(1)).square(), [0.4, -0.3], { order: 2 }));
    ok(checkGrads((p: { a: Tensor; b: Tensor }) => mulExp(p.a, p.b).sin().sum(), { a: [0.4, -1, 2], b: [0.1, 0.5, -0.7] }, { order: 2 }));
    ok(checkGrads((p: Tensor) => mulExp(2, p).mul(p).sum(), [0.2, -0.4], { order: 2 }));
    ok(checkGrads((p: Tensor) => mulExp(p, 0.5).square().sum(), [0.2, -0.4], { order: 2 }));
  });

  it('the two-input op agrees with its closed form: H of a·e^b is [[0, e^b], [e^b, a·e^b]]', () => {
    const [a, b] = [1.5, -0.4];
    const H = hessian((p: Tensor) => mulExp(p.at(0), p.at(1)), [a, b]);
    expectArrayClose(H, [0, Math.exp(b), Math.exp(b), a * Math.exp(b)], 14);
    // hvpOperator re-runs the op's tangent rule rather than recording it with tangents; squaring the
    // output makes the result depend on that tangent: g = y², H_g = 2∇y∇yᵀ + 2y·H_y.
    const y = a * Math.exp(b);
    const gy = [Math.exp(b), a * Math.exp(b)];
    const Hy = [[0, Math.exp(b)], [Math.exp(b), a * Math.exp(b)]];
    const Hg = [0, 1].map((i) => [0, 1].map((j) => 2 * gy[i] * gy[j] + 2 * y * Hy[i][j]));
    const dir = [1, 2];
    const byHand = Hg.map((row) => row[0] * dir[0] + row[1] * dir[1]);
    const square = (p: Tensor) => mulExp(p.at(0), p.at(1)).square();
    expectArrayClose(hvpOperator(square, [a, b]).apply(dir), byHand, 13);
    expectArrayClose(hessian(square, [a, b]), Hg.flat(), 13);
    // The same through the elementwise (tensor) rules.
    const squareT = (p: Tensor) => mulExp(p.slice(0, 1), p.slice(1, 2)).square().sum();
    expectArrayClose(hvpOperator(squareT, [a, b]).apply(dir), byHand, 13);
  });

  it('checkGrads can fail: a backward rule that drops R{∂y/∂x} is caught at order 2', () => {
    const badCube = defineOp({
      name: 'badCube',
      primal: (x) => x * x * x,
      tangent: ([x], [xDot]) => 3 * x * x * xDot,
      // The local derivative as a constant: its tangent 6x·R{x} is lost, so H·v is wrong.
      backward: ([x], _y, yBar) => [D.mul(yBar, D.constant(3 * x.value * x.value))],
    });
    expect(checkGrads((p: Scalar) => badCube(p), 0.7, { order: 1 }).every((c) => c.passed)).toBe(true);
    expect(() => checkGrads((p: Scalar) => badCube(p), 0.7, { order: 2 })).toThrow(GradientCheckError);
  });
});

describe('deep graphs: no recursion, closed forms at the end', () => {
  it('a 10⁶-node scalar chain y ← 0.999999·y + 10⁻⁷, then f = y²', () => {
    // Each step records a constant and a product, a constant and a sum: 4 nodes; 250 000 steps.
    const steps = 250_000;
    const a = 0.999999, c = 1e-7;
    const f = (x: Scalar) => {
      let y = x;
      for (let i = 0; i < steps; i++) y = y.mul(a).add(c);
      return y.square();
    };
    const x0 = 0.8;
    // y_N = aᴺx + c(1 − aᴺ)/(1 − a): f = y_N², f′ = 2y_N aᴺ, f″ = 2a²ᴺ.
    const aN = a ** steps;
    const yN = aN * x0 + (c * (1 - aN)) / (1 - a);
    const r = gradAndHvp(f, x0, 1);
    expect(r.value / (yN * yN)).toBeCloseTo(1, 9);
    expect(r.grad / (2 * yN * aN)).toBeCloseTo(1, 9);
    expect(r.hvp / (2 * aN * aN)).toBeCloseTo(1, 9);
  });

  it('a 10⁶-node chain of products y ← y·x: f = x^(N+1), by gradAndHvp and by hessian (hvpOperator)', () => {
    const N = 1_000_000;
    const f = (x: Scalar) => {
      let y = x;
      for (let i = 0; i < N; i++) y = y.mul(x);
      return y;
    };
    const x0 = 1 - 2e-7;
    const p = N + 1;
    const value = x0 ** p, d1 = p * x0 ** (p - 1), d2 = p * (p - 1) * x0 ** (p - 2);
    const r = gradAndHvp(f, x0, 1);
    expect(r.value / value).toBeCloseTo(1, 8);
    expect(r.grad / d1).toBeCloseTo(1, 8);
    expect(r.hvp / d2).toBeCloseTo(1, 8);
    expect(hessian(f, x0)[0] / d2).toBeCloseTo(1, 8);
  });

  it('a tensor op chain 10⁵ deep: y ← y ⊙ x, f = Σ xᵢ^(N+1)', () => {
    const N = 100_000;
    const f = (x: Tensor) => {
      let y = x;
      for (let i = 0; i < N; i++) y = y.mul(x);
      return y.sum();
    };
    const x0 = [1 + 3e-6, 1 - 5e-6, 1];
    const v = [1, -2, 0.5];
    const p = N + 1;
    const r = gradAndHvp(f, x0, v);
    expect(r.value / x0.reduce((s, xi) => s + xi ** p, 0)).toBeCloseTo(1, 9);
    r.grad.forEach((g, i) => expect(g / (p * x0[i] ** (p - 1))).toBeCloseTo(1, 9));
    r.hvp.forEach((h, i) => expect(h / (p * (p - 1) * x0[i] ** (p - 2) * v[i])).toBeCloseTo(1, 9));
  });
});
