// grad and valueAndGrad with hasAux (JAX's has_aux): f returns [loss, aux]; the loss is differentiated
// and aux comes back beside the gradient. Expected values are closed forms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, OptionError, OutputError, grad, gradAndHvp, hessian, hvp, hvpOperator, jacobian, jvp, matmul, tensor, valueAndGrad, vjp,
  type Scalar, type Tensor,
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
    expectError(() => hvp(L as never, [1, 2], [1, 0], { hasAux: true } as never), OptionError, 'hvp', 'hasAux');
    expectError(() => hvpOperator(L as never, [1, 2], { hasAux: true } as never), OptionError, 'hvpOperator', 'hasAux');
    // A non-function is still named as f.
    expectError(() => jvp(3 as never, [1, 2], [1, 0], { hasAux: true }), ArgumentError, 'jvp', 'f must be a function');
  });
});
