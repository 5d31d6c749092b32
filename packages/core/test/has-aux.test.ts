// grad and valueAndGrad with hasAux (JAX's has_aux): f returns [loss, aux]; the loss is differentiated
// and aux comes back beside the gradient. Expected values are closed forms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, OptionError, OutputError, Tensor, ggnvp, grad, gradAndHvp, hessian, hvp, hvpMany, hvpOperator, jacobian, jvp, matmul,
  tensor, valueAndGrad, vjp, type Scalar,
} from '../src/index.js';
import { expectError } from './expect-error.js';

// L(x) = ‖x − c‖², aux = the residual r = x − c (a tensor the reverse sweep would free), its norm and a label.
const c = [1, 2];
const fit = (x: Tensor) => {
  const r = x.sub(c);
  const loss = r.square().sum();
  return [loss, { residual: r, norm: loss.sqrt(), label: 'fit', weights: [0.5, 0.5] }] as const;
};
const close = (got: ArrayLike<number>, want: readonly number[], tol = 1e-14) =>
  want.forEach((v, k) => expect(Math.abs(got[k] - v), `[${k}]: ${got[k]} vs ${v}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(v))));

describe('grad and valueAndGrad with hasAux', () => {
  it('grad returns [∇L, aux], aux\'s nodes as numbers and arrays, everything else as it was', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 2, maxLength: 2 }), (x) => {
      const [g, aux] = grad(fit, { hasAux: true })(x);
      const r = x.map((xi, k) => xi - c[k]);
      close(g, r.map((rk) => 2 * rk));
      close(aux.residual, r);
      expect(aux.residual).toBeInstanceOf(Float64Array);
      expect(aux.norm).toBeCloseTo(Math.hypot(r[0], r[1]), 13);
      expect(aux.label).toBe('fit');
      expect(aux.weights).toEqual([0.5, 0.5]);
    }), { numRuns: 50 });
  });

  it('the gradient is that of the loss alone, and valueAndGrad returns { value, grad, aux }', () => {
    const x = [3, -4];
    const { value, grad: g, aux } = valueAndGrad(fit, { hasAux: true })(x);
    const plain = valueAndGrad((t: Tensor) => fit(t)[0])(x);
    expect(value).toBe(plain.value);
    expect(Array.from(g)).toEqual(Array.from(plain.grad));
    expect(value).toBe(2 * 2 + 6 * 6);
    close(aux.residual, [2, -6]);
    expect(aux.norm).toBeCloseTo(Math.sqrt(40), 14);
  });

  it('aux is read before the reverse sweep frees the forward arrays (a tensor intermediate kept its numbers)', () => {
    // A chain of tensors, each freed by the sweep once passed: aux holds the middle one.
    const f = (x: Tensor) => {
      const h = x.mul(2).tanh();
      return [h.mul(x).sum(), h] as const;
    };
    const [, h] = grad(f, { hasAux: true })([0.1, 0.2, 0.3]);
    close(h, [0.1, 0.2, 0.3].map((v) => Math.tanh(2 * v)));
  });

  it('with argnums: [the listed gradients, aux]', () => {
    // L(w, b) = ‖X·w + b − y‖², aux = the residuals.
    const X = [[1, 2], [3, -1]], y = [1, -2];
    const loss = (w: Tensor, b: Scalar) => {
      const r = matmul(tensor(X), w).add(b).sub(y);
      return [r.square().sum(), r] as const;
    };
    const w0 = [0.3, -0.7], b0 = 0.25;
    const r = X.map((row, i) => row[0] * w0[0] + row[1] * w0[1] + b0 - y[i]);
    const [[gw, gb], aux] = grad(loss, { argnums: [0, 1], hasAux: true })(w0, b0) as [[Float64Array, number], Float64Array];
    close(gw, [0, 1].map((j) => 2 * r.reduce((s, ri, i) => s + ri * X[i][j], 0)));
    expect(gb).toBeCloseTo(2 * (r[0] + r[1]), 13);
    close(aux, r);
    const byValue = valueAndGrad(loss, { argnums: 1, hasAux: true })(w0, b0) as { value: number; grad: number; aux: Float64Array };
    expect(byValue.grad).toBeCloseTo(gb, 14);
    close(byValue.aux, r);
  });

  it('nested: aux holds nodes of the enclosing transform, with their derivatives (H·v through both)', () => {
    // h(x) = ‖∇L(x)‖² + ‖x − c‖ with ∇L = 2r and the norm from aux: H = 8I + (I − r̂r̂ᵀ)/‖r‖.
    const h = (x: Tensor) => {
      const [g, aux] = grad(fit, { hasAux: true })(x as never) as unknown as [Tensor, { norm: Scalar }];
      return g.square().sum().add(aux.norm);
    };
    const x = [3, 4], v = [1, -0.5];
    const r = [2, 2], n = Math.hypot(...r), rh = r.map((e) => e / n);
    const rv = rh[0] * v[0] + rh[1] * v[1];
    close(hvp(h, x, v) as Float64Array, v.map((vk, k) => 8 * vk + (vk - rh[k] * rv) / n), 1e-13);
  });

  it('aux in Maps, Sets and null-prototype objects comes back as numbers; a node inside a class instance is an OutputError naming where', () => {
    const dict = Object.create(null) as Record<string, unknown>;
    const [g, aux] = grad((x: Tensor) => {
      dict.norm = x.square().sum();
      return [x.sum(), { m: new Map<string, unknown>([['loss', x.sum()], ['kept', 'label']]), s: new Set([x.mul(2)]), dict }] as const;
    }, { hasAux: true })([1, 2]);
    close(g as Float64Array, [1, 1]);
    const { m, s, dict: d } = aux as unknown as { m: Map<string, unknown>; s: Set<Float64Array>; dict: Record<string, unknown> };
    expect(m.get('loss')).toBe(3);
    expect(m.get('kept')).toBe('label');
    close([...s][0], [2, 4]);
    expect(d.norm).toBe(5);
    expect(Object.getPrototypeOf(d)).toBe(null);
    class Log { constructor(readonly entry: { loss: unknown }) {} }
    expectError(() => grad((x: Tensor) => [x.sum(), { log: new Log({ loss: x.sum() }) }] as const, { hasAux: true })([1, 2]), OutputError, 'grad', 'aux.log.entry.loss');
    // A class instance with no node in it is returned as it is.
    const plain = new Log({ loss: 1 });
    expect((grad((x: Tensor) => [x.sum(), plain] as const, { hasAux: true })([1, 2]) as unknown as [unknown, unknown])[1]).toBe(plain);
  });

  it('a constant loss gives a zero gradient and still returns aux', () => {
    const [g, aux] = grad((x: Tensor) => [3, x.sum()] as const, { hasAux: true })([1, 2]);
    expect(Array.from(g)).toEqual([0, 0]);
    expect(aux).toBe(3);
  });

  it('f that does not return a pair is an OutputError; hasAux must be true or false', () => {
    expectError(() => grad((x: Tensor) => x.sum() as never, { hasAux: true })([1, 2]), OutputError, 'grad', 'hasAux', 'pair [loss, aux]');
    expectError(() => valueAndGrad((x: Tensor) => [x.sum()] as never, { hasAux: true })([1, 2]), OutputError, 'valueAndGrad', 'pair');
    expectError(() => grad(fit, { hasAux: 1 as never }), OptionError, 'grad', 'hasAux', 'true or false');
    expectError(() => grad(fit as never, { hasaux: true } as never), OptionError, 'grad', 'hasaux', 'hasAux');
    // Without hasAux, a pair is not a loss.
    expectError(() => grad(fit as never)([1, 2]), OutputError, 'grad');
  });
});

// The other transforms with hasAux: jvp, vjp, jacobian, hessian and gradAndHvp. Each result must be
// the transform's own result on f's first output, bit for bit (the pair is only taken apart), and aux
// f's second output, read at the point; expected values are closed forms.
describe('jvp, vjp, jacobian, hessian and gradAndHvp with hasAux', () => {
  // F(x) = (x₀², x₀x₁, sin x₁): a vector output; aux = its squared norm and x itself (a tensor).
  const F = (x: Tensor) => {
    const y = tensor([0, 0, 0]).add(x.at(0).square().mul([1, 0, 0])).add(x.at(0).mul(x.at(1)).mul([0, 1, 0])).add(x.at(1).sin().mul([0, 0, 1]));
    return [y, { norm2: y.square().sum(), x, tag: 'F' }] as const;
  };
  const Fout = (x: Tensor) => F(x)[0];
  // L(x) = Σ xᵢ³ + x₀x₁: aux = the intermediate x², which the reverse sweep frees.
  const L = (x: Tensor) => {
    const sq = x.square();
    return [sq.mul(x).sum().add(x.at(0).mul(x.at(1))), { sq }] as const;
  };
  const Lout = (x: Tensor) => L(x)[0];
  const point = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 2, maxLength: 2 });
  const same = (a: ArrayLike<number>, b: ArrayLike<number>) => expect(Array.from(a)).toEqual(Array.from(b));
  const fAux = (x: number[]) => {
    const y = [x[0] ** 2, x[0] * x[1], Math.sin(x[1])];
    return { norm2: y[0] ** 2 + y[1] ** 2 + y[2] ** 2, x };
  };

  it('jvp returns { value, tangent, aux }: value and tangent those of f alone', () => {
    fc.assert(fc.property(point, point, (x, v) => {
      const r = jvp(F, x, v, { hasAux: true });
      const plain = jvp(Fout, x, v);
      same(r.value as Float64Array, plain.value as Float64Array);
      same(r.tangent as Float64Array, plain.tangent as Float64Array);
      expect(r.aux.norm2).toBeCloseTo(fAux(x).norm2, 10);
      close(r.aux.x, x);
      expect(r.aux.tag).toBe('F');
    }), { numRuns: 30 });
  });

  it('vjp returns { value, pullback, aux }; the pullback is f\'s', () => {
    fc.assert(fc.property(point, fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }), (x, u) => {
      const r = vjp(F, x, { hasAux: true });
      const plain = vjp(Fout, x);
      same(r.value as Float64Array, plain.value as Float64Array);
      same(r.pullback(u) as Float64Array, plain.pullback(u) as Float64Array);
      // uᵀJ in closed form: J = [[2x₀, 0], [x₁, x₀], [0, cos x₁]].
      close(r.pullback(u) as Float64Array, [2 * x[0] * u[0] + x[1] * u[1], x[0] * u[1] + Math.cos(x[1]) * u[2]], 1e-14);
      expect(r.aux.norm2).toBeCloseTo(fAux(x).norm2, 10);
    }), { numRuns: 30 });
  });

  it('jacobian and hessian return [matrix, aux]', () => {
    fc.assert(fc.property(point, (x) => {
      const [J, auxJ] = jacobian(F, x, { hasAux: true });
      same(J, jacobian(Fout, x));
      close(J, [2 * x[0], 0, x[1], x[0], 0, Math.cos(x[1])], 1e-14);
      close(auxJ.x, x);
      const [H, auxH] = hessian(L, x, { hasAux: true });
      same(H, hessian(Lout, x));
      close(H, [6 * x[0], 1, 1, 6 * x[1]], 1e-14);
      close(auxH.sq, x.map((e) => e * e));
      const [H2, aux2] = hessian(L, x, { hasAux: true, lanes: 1 });
      same(H2, H);
      close(aux2.sq, x.map((e) => e * e));
    }), { numRuns: 30 });
  });

  it('gradAndHvp returns { value, grad, hvp, aux }, aux read before the sweep frees x²', () => {
    fc.assert(fc.property(point, point, (x, v) => {
      const r = gradAndHvp(L, x, v, { hasAux: true });
      const plain = gradAndHvp(Lout, x, v);
      expect(r.value).toBe(plain.value);
      same(r.grad, plain.grad);
      same(r.hvp, plain.hvp);
      close(r.hvp, [6 * x[0] * v[0] + v[1], v[0] + 6 * x[1] * v[1]], 1e-13);
      close(r.aux.sq, x.map((e) => e * e));
    }), { numRuns: 30 });
  });

  it('nested: aux keeps the enclosing transform\'s nodes, so derivatives flow through it', () => {
    // g(x) = tr H_L(x) + Σ (x²) from aux = 6(x₀ + x₁) + x₀² + x₁²: ∇g = 6 + 2x.
    const g = (x: Tensor) => {
      const [H, aux] = hessian(L, x, { hasAux: true });
      return H.at(0).add(H.at(3)).add(aux.sq.sum());
    };
    close(grad(g)([0.5, -2]) as Float64Array, [7, 2], 1e-13);
    // And through jvp's aux: d/dx of ‖F(x)‖² taken from aux, against its closed form.
    const n = (x: Tensor) => jvp(F, x, [1, 0], { hasAux: true }).aux.norm2;
    const x = [0.7, 1.3];
    const y = [x[0] ** 2, x[0] * x[1], Math.sin(x[1])];
    close(grad(n)(x) as Float64Array, [2 * y[0] * 2 * x[0] + 2 * y[1] * x[1], 2 * y[1] * x[0] + 2 * y[2] * Math.cos(x[1])], 1e-13);
  });

  it('f that does not return a pair, a hasAux that is not a boolean, a misspelling: typed errors naming the transform', () => {
    expectError(() => jvp(Fout as never, [1, 2], [1, 0], { hasAux: true }), OutputError, 'jvp', 'pair [output, aux]');
    expectError(() => vjp(Fout as never, [1, 2], { hasAux: true }), OutputError, 'vjp', 'pair [output, aux]');
    expectError(() => jacobian(Fout as never, [1, 2], { hasAux: true }), OutputError, 'jacobian', 'pair');
    expectError(() => hessian(Lout as never, [1, 2], { hasAux: true }), OutputError, 'hessian', 'pair [loss, aux]');
    expectError(() => gradAndHvp(Lout as never, [1, 2], [1, 0], { hasAux: true }), OutputError, 'gradAndHvp', 'pair [loss, aux]');
    expectError(() => jvp(F, [1, 2], [1, 0], { hasAux: 'yes' as never }), OptionError, 'jvp', 'hasAux', 'true or false');
    expectError(() => hessian(L as never, [1, 2], { hasaux: true } as never), OptionError, 'hessian', 'hasaux', 'hasAux');
    expectError(() => gradAndHvp(L as never, [1, 2], [1, 0], { has_aux: true } as never), OptionError, 'gradAndHvp', 'has_aux', 'hasAux');
    // Transforms without hasAux say so as an unknown option.
    expectError(() => ggnvp((x: Tensor) => x.mul(2), (r: Tensor) => r.square().sum(), [1, 2], [1, 0], { hasAux: true } as never), OptionError, 'ggnvp', 'hasAux');
    // A non-function is still named as f.
    expectError(() => jvp(3 as never, [1, 2], [1, 0], { hasAux: true }), ArgumentError, 'jvp', 'f must be a function');
  });
});

// hvp and hvpMany with hasAux: [H·v, aux] and [rows, aux], as hessian's [H, aux]. The same L as above:
// H = [[6x₀, 1], [1, 6x₁]], aux = x² (freed by the reverse sweep unless read before it).
describe('hvp and hvpMany with hasAux', () => {
  const L = (x: Tensor) => {
    const sq = x.square();
    return [sq.mul(x).sum().add(x.at(0).mul(x.at(1))), { sq, tag: 'L' }] as const;
  };
  const Lout = (x: Tensor) => L(x)[0];
  const num = fc.double({ min: -3, max: 3, noNaN: true });
  const point = fc.array(num, { minLength: 2, maxLength: 2 });
  const same = (a: ArrayLike<number>, b: ArrayLike<number>) => expect(Array.from(a)).toEqual(Array.from(b));
  const Hv = (x: number[], v: ArrayLike<number>) => [6 * x[0] * v[0] + v[1], v[0] + 6 * x[1] * v[1]];

  it('hvp returns [H·v, aux]: H·v that of f\'s loss alone, bit for bit; aux what f computed at x', () => {
    fc.assert(fc.property(point, point, (x, v) => {
      const [hv, aux] = hvp(L, x, v, { hasAux: true });
      same(hv, hvp(Lout, x, v));
      close(hv, Hv(x, v), 1e-13);
      same(aux.sq, x.map((e) => e * e));
      expect(aux.sq).toBeInstanceOf(Float64Array);
      expect(aux.tag).toBe('L');
    }), { numRuns: 30 });
    // hasAux false (from JavaScript; the types take only true) is the plain form: a bare H·v.
    expect(hvp(Lout, [1, 2], [1, 0], { hasAux: false } as never)).toBeInstanceOf(Float64Array);
  });

  it('hvpMany returns [rows, aux], the rows those of f\'s loss alone, bit for bit, with and without lanes', () => {
    const directions = fc.integer({ min: 0, max: 4 }).chain((k) => fc.array(num, { minLength: 2 * k, maxLength: 2 * k }));
    fc.assert(fc.property(point, directions, fc.integer({ min: 1, max: 3 }), (x, vs, lanes) => {
      const V = Float64Array.from(vs);
      const [rows, aux] = hvpMany(L, x, V, { hasAux: true });
      same(rows, hvpMany(Lout, x, V));
      for (let j = 0; j < V.length / 2; j++) close(rows.subarray(2 * j, 2 * j + 2), Hv(x, V.subarray(2 * j, 2 * j + 2)), 1e-13);
      same(aux.sq, x.map((e) => e * e));
      const [blocked, auxBlocked] = hvpMany(L, x, V, { hasAux: true, lanes });
      same(blocked, hvpMany(Lout, x, V, { lanes }));
      same(auxBlocked.sq, aux.sq);
      // Strict mode takes one sweep per direction: aux all the same.
      const [strict, auxStrict] = hvpMany(L, x, V, { hasAux: true, checkFinite: true });
      same(strict, hvpMany(Lout, x, V, { checkFinite: true }));
      same(auxStrict.sq, aux.sq);
    }), { numRuns: 30 });
  });

  it('a constant loss gives zeros and still returns aux', () => {
    const [hv, aux] = hvp((x: Tensor) => [3, x.sum()] as const, [1, 2], [1, 0], { hasAux: true });
    same(hv, [0, 0]);
    expect(aux).toBe(3);
    const [rows, auxMany] = hvpMany((x: Tensor) => [3, x.sum()] as const, [1, 2], Float64Array.of(1, 0, 0, 1), { hasAux: true });
    same(rows, [0, 0, 0, 0]);
    expect(auxMany).toBe(3);
  });

  it('nested: aux and H·v are the enclosing transform\'s nodes, and derivatives flow through both', () => {
    // g(x) = vᵀH(x)v + Σ x² (x² from aux) = 6x₀v₀² + 2v₀v₁ + 6x₁v₁² + x₀² + x₁²: ∇g = 6v² + 2x.
    const v = [0.5, -2];
    const g = (x: Tensor) => {
      const [hv, aux] = hvp(L, x, v, { hasAux: true });
      expect(aux.sq).toBeInstanceOf(Tensor);
      return hv.mul(v).sum().add(aux.sq.sum());
    };
    const x = [0.7, -1.3];
    close(grad(g)(x) as Float64Array, [6 * v[0] ** 2 + 2 * x[0], 6 * v[1] ** 2 + 2 * x[1]], 1e-13);
    // The derivative of aux alone: d/dx of Σ x² from hvp's aux is 2x.
    close(grad((t: Tensor) => hvp(L, t, v, { hasAux: true })[1].sq.sum())(x) as Float64Array, [2 * x[0], 2 * x[1]], 0);
    // hvpMany: Σⱼ vⱼᵀHvⱼ + x₀² (from aux), over the directions e₀ and v: ∇ = [6 + 6v₀², 6v₁²] + [2x₀, 0].
    const V = Float64Array.of(1, 0, ...v);
    const m = (t: Tensor) => {
      const [rows, aux] = hvpMany(L, t, V, { hasAux: true });
      return rows.mul(tensor(V)).sum().add(aux.sq.at(0));
    };
    close(grad(m)(x) as Float64Array, [6 + 6 * v[0] ** 2 + 2 * x[0], 6 * v[1] ** 2], 1e-13);
  });

  it('f that does not return a pair, a hasAux that is not a boolean, a misspelling: typed errors naming the transform', () => {
    expectError(() => hvp(Lout as never, [1, 2], [1, 0], { hasAux: true }), OutputError, 'hvp', 'pair [loss, aux]');
    expectError(() => hvpMany(Lout as never, [1, 2], Float64Array.of(1, 0), { hasAux: true }), OutputError, 'hvpMany', 'pair [loss, aux]');
    expectError(() => hvp(L, [1, 2], [1, 0], { hasAux: 1 as never }), OptionError, 'hvp', 'hasAux', 'true or false');
    expectError(() => hvp(L as never, [1, 2], [1, 0], { hasaux: true } as never), OptionError, 'hvp', 'hasaux', "did you mean 'hasAux'");
    expectError(() => hvpMany(L as never, [1, 2], Float64Array.of(1, 0), { hasAx: true, lanes: 1 } as never), OptionError, 'hvpMany', "did you mean 'hasAux'");
    expectError(() => hvpMany(L, [1, 2], Float64Array.of(1, 0), { hasAux: 'yes' as never }), OptionError, 'hvpMany', 'hasAux', 'true or false');
    // Without hasAux, a pair is not a loss.
    expectError(() => hvp(L as never, [1, 2], [1, 0]), OutputError, 'hvp');
    // hvpOperator has none, and says where aux is to be had.
    for (const key of ['hasAux', 'has_aux']) {
      const error = expectError(() => hvpOperator(L as never, [1, 2], { [key]: true } as never), OptionError, 'hvpOperator', `'${key}'`, 'hvp(f, x, v, { hasAux: true })', 'gradAndHvp');
      expect((error as OptionError).problem).toMatchObject({ fn: 'hvpOperator', kind: 'unknown-option', option: key });
    }
    // Its other option errors are the usual ones.
    expectError(() => hvpOperator(Lout, [1, 2], { checkfinite: true } as never), OptionError, "did you mean 'checkFinite'");
  });
});
