// jvp, vjp and linearize of f with a tuple or dict of outputs (JAX's pytree outputs): against the
// same transforms of each output alone, against central differences, and nested.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OutputError, StructureError, grad, hvp, jacobian, jvp, linearize, tensor, vjp, type Scalar, type Tensor } from '../src/index.js';
import { expectTreeClose } from './expect-close.js';

/** Three outputs of x ∈ ℝ³, with weights a: a scalar, a vector, a 2×2 matrix. */
const parts = (x: Tensor, a: readonly number[]) => ({
  s: x.mul(a[0]).sin().sum(),
  v: x.tanh().mul(a[1]),
  m: x.slice(0, 2).reshape([2, 1]).matmul(x.slice(1, 3).exp().reshape([1, 2])),
});
const tree = (a: readonly number[]) => (x: Tensor) => ({ ...parts(x, a), list: [x.at(0).mul(x.at(2)), 7] });
const point = fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 3, maxLength: 3 });
const weights = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 2, maxLength: 2 });

describe('a tree of outputs is each output alone, in that shape', () => {
  it('jvp: value and tangent leaf by leaf equal jvp of each output (80 random points)', () => {
    fc.assert(fc.property(point, point, weights, (x, v, a) => {
      const got = jvp(tree(a), x, v);
      for (const key of ['s', 'v', 'm'] as const) {
        const alone = jvp((y: Tensor) => parts(y, a)[key], x, v);
        expectTreeClose((got.value as Record<string, unknown>)[key], alone.value, `value.${key}`, 0);
        expectTreeClose((got.tangent as Record<string, unknown>)[key], alone.tangent, `tangent.${key}`, 0);
      }
      const list = got.tangent.list as unknown as [number, number];
      expect(list[0]).toBeCloseTo(v[0] * x[2] + x[0] * v[2], 14);
      expect(list[1]).toBe(0); // a number in the output is a constant
      expect(got.value.m).toBeInstanceOf(Float64Array);
      expect((got.value.m as Float64Array).length).toBe(4);
    }), { numRuns: 80 });
  });

  it('vjp: the pullback of u is the sum of each output\'s pullback of its piece (linearity), keys matched by name', () => {
    fc.assert(fc.property(point, weights, fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 8, maxLength: 8 }), (x, a, w) => {
      const { value, pullback } = vjp(tree(a), x);
      // u's keys in another order than f's: matched by name. The list of scalar outputs as numbers.
      const u = { list: [w[7], 0], m: [[w[3], w[4]], [w[5], w[6]]], v: w.slice(0, 3), s: w[2] };
      const got = pullback(u) as Float64Array;
      const want = new Float64Array(3);
      const add = (g: Float64Array) => g.forEach((gi, i) => (want[i] += gi));
      add(vjp((y: Tensor) => parts(y, a).s, x).pullback(w[2]) as Float64Array);
      add(vjp((y: Tensor) => parts(y, a).v, x).pullback(w.slice(0, 3)) as Float64Array);
      add(vjp((y: Tensor) => parts(y, a).m, x).pullback(w.slice(3, 7)) as Float64Array);
      add(Float64Array.of(w[7] * x[2], 0, w[7] * x[0]));
      expectTreeClose(got, want, 'pullback', 1e-14);
      expectTreeClose(value.s, Math.sin(a[0] * x[0]) + Math.sin(a[0] * x[1]) + Math.sin(a[0] * x[2]), 'value.s', 1e-15);
    }), { numRuns: 80 });
  });

  it('jvp against central differences of the flattened outputs', () => {
    const f = tree([0.7, -1.3]);
    const x = [0.3, -0.8, 1.1], v = [0.5, 0.25, -1];
    const flat = (y: number[]) => {
      const { value } = jvp(f, y, [0, 0, 0]);
      return [value.s, ...value.v, ...value.m, ...(value.list as unknown as number[])] as number[];
    };
    const h = 1e-6;
    const plus = flat(x.map((xi, i) => xi + h * v[i])), minus = flat(x.map((xi, i) => xi - h * v[i]));
    const { tangent } = jvp(f, x, v);
    const got = [tangent.s, ...tangent.v, ...tangent.m, ...(tangent.list as unknown as number[])] as number[];
    got.forEach((g, i) => expect(g).toBeCloseTo((plus[i] - minus[i]) / (2 * h), 8));
  });

  it('linearize: value in the tree\'s shape, and every jvp equals jvp\'s tangent', () => {
    const f = tree([1.1, 0.4]);
    const L = linearize(f, [0.2, 0.9, -0.4]);
    expectTreeClose(L.value, jvp(f, [0.2, 0.9, -0.4], [1, 0, 0]).value, 'value', 0);
    for (const v of [[1, 0, 0], [0, 1, 0], [0.3, -2, 0.5]]) expectTreeClose(L.jvp(v), jvp(f, [0.2, 0.9, -0.4], v).tangent, 'jvp', 0);
  });

  it('jacobian: each leaf its own rows, equal to jacobian of that output alone, by columns and by rows', () => {
    fc.assert(fc.property(point, weights, (x, a) => {
      for (const mode of ['forward', 'reverse'] as const) {
        const J = jacobian(tree(a), x, { mode });
        for (const key of ['s', 'v', 'm'] as const) expectTreeClose(J[key], jacobian((y: Tensor) => parts(y, a)[key], x, { mode }), `${mode} J.${key}`, 1e-15);
        expectTreeClose(J.list[0], [x[2], 0, x[0]], `${mode} J.list[0]`, 0);
        expectTreeClose(J.list[1], [0, 0, 0], `${mode} J.list[1]`, 0);
      }
    }), { numRuns: 40 });
    const [J, aux] = jacobian((y: Tensor) => [{ q: y.square() }, y.sum()] as const, [1, 2], { hasAux: true }) as unknown as [{ q: Float64Array }, number];
    expectTreeClose(J.q, [2, 0, 0, 4], 'hasAux J.q', 0);
    expect(aux).toBe(3);
    // Nested: a loss of J's leaves, differentiated: ∂/∂x of Σ (∂(x₀x₂)/∂x)² = 2·(x₀, 0, x₂)·… = (2x₀, 0, 2x₂).
    expectTreeClose(grad((y: Tensor) => ((jacobian(tree([1, 1]), y) as unknown as { list: Tensor[] }).list[0]).square().sum())([0.5, 1, -2]), [1, 0, -4], 'nested', 1e-15);
  });

  it('nested: ∇ and H·v of a loss built from a tree jvp, and from a tree pullback, against the outputs written alone', () => {
    const a = [0.9, -0.6];
    const fromTree = (x: Tensor) => {
      const { tangent } = jvp(tree(a), x, [1, -1, 0.5]) as unknown as { tangent: { s: Scalar; v: Tensor; m: Tensor } };
      const pulled = vjp(tree(a), x).pullback({ s: 1, v: [0, 1, 0], m: [1, 0, 0, 1], list: [1, 0] }) as unknown as Tensor;
      return tangent.s.add(tangent.v.square().sum()).add(tangent.m.sum()).add(pulled.square().sum());
    };
    const alone = (x: Tensor) => {
      const t = (k: 's' | 'v' | 'm') => jvp((y: Tensor) => parts(y, a)[k], x, [1, -1, 0.5]).tangent as unknown as Tensor;
      const p = (vjp((y: Tensor) => parts(y, a).s, x).pullback(1) as unknown as Tensor)
        .add(vjp((y: Tensor) => parts(y, a).v, x).pullback([0, 1, 0]) as unknown as Tensor)
        .add(vjp((y: Tensor) => parts(y, a).m, x).pullback([1, 0, 0, 1]) as unknown as Tensor)
        .add((grad((y: Tensor) => y.at(0).mul(y.at(2)))(x) as unknown as Tensor));
      return t('s').add(t('v').square().sum()).add(t('m').sum()).add(p.square().sum());
    };
    const x = [0.4, -0.2, 0.7], v = [1, 0.5, -0.25];
    expectTreeClose(grad(fromTree)(x), grad(alone)(x), 'grad', 1e-13);
    expectTreeClose(hvp(fromTree, x, v), hvp(alone, x, v), 'hvp', 1e-12);
  });
});

describe('misuse of tree outputs', () => {
  const f = (x: Tensor) => ({ s: x.sum(), pair: [x.at(0), 3] });
  it('u of another structure: a StructureError naming the place and what the output has', () => {
    const { pullback } = vjp(f, [1, 2]);
    expect(() => pullback({ s: 1, pair: [0] } as never)).toThrow(/u\.pair is .*list of 2/);
    expect(() => pullback({ s: 1 } as never)).toThrow(/u\.pair is missing/);
    expect(() => pullback({ s: 1, pair: [0, 0], t: 2 } as never)).toThrow(/u\.t is not in the output/);
    expect(() => pullback({ s: [1, 2], pair: [0, 0] } as never)).toThrow(/u\.s has 2 numbers, where the output has 1/);
    expect(() => pullback([1, 2, 3] as never)).toThrow(StructureError);
    expect(() => pullback({ s: 'one', pair: [0, 0] } as never)).toThrow(/u\.s is 'one', not numbers/);
  });
  it('holes in u, keys inherited from Object.prototype, and nodes made outside any transform', () => {
    const { pullback } = vjp((x: Tensor) => ({ v: x.mul(2) }), [1, 2]);
    // A hole read as NaN before; a list of scalar outputs with a hole was an internal TypeError.
    expect(() => pullback({ v: [1, , ] } as never)).toThrow(StructureError);
    expect(() => vjp((x: Tensor) => [x.sum(), x.prod()], [1, 2]).pullback([1, , ] as never)).toThrow(StructureError);
    // An extra key named like an inherited property was ignored; an own __proto__ key too.
    expect(() => pullback({ v: [1, 1], toString: 5 } as never)).toThrow(/u\.toString is not in the output/);
    expect(() => pullback(JSON.parse('{"v":[1,1],"__proto__":[9]}'))).toThrow(/u\.__proto__ is not in the output/);
    // An output key named toString missing from u is missing, not "a function".
    const named = vjp((x: Tensor) => ({ toString: x.sum() }) as never, [1, 2]).pullback;
    expect(() => named({} as never)).toThrow(/u\.toString is missing/);
    // tensor([1, 1]) in u at top level is its numbers.
    expect(Array.from(pullback({ v: tensor([1, 1]) } as never) as Float64Array)).toEqual([2, 2]);
  });

  it('a tree with a leaf that is not a node or numbers, or with no leaves: OutputError', () => {
    expect(() => jvp((x: Tensor) => ({ a: x.sum(), b: 'no' }) as never, [1, 2], [1, 1])).toThrow(OutputError);
    expect(() => jvp(() => ({}) as never, [1, 2], [1, 1])).toThrow(/no nodes or numbers/);
    // grad still needs one scalar: a tree is its OutputError, as before.
    expect(() => grad(f as never)([1, 2])).toThrow(OutputError);
  });
  it('hasAux beside a tree output: the tree is differentiated, aux kept', () => {
    const r = jvp((x: Tensor) => [{ a: x.sum(), b: x.square() }, x.max()] as never, [1, 2], [1, 0], { hasAux: true }) as unknown as { tangent: { a: number; b: Float64Array }; aux: number };
    expect(r.tangent.a).toBe(1);
    expect(Array.from(r.tangent.b)).toEqual([2, 0]);
    expect(r.aux).toBe(2);
  });
});
