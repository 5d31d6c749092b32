// grad and valueAndGrad with hasAux (JAX's has_aux): f returns [loss, aux]; the loss is differentiated
// and aux comes back beside the gradient. Expected values are closed forms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OptionError, OutputError, grad, hvp, matmul, tensor, valueAndGrad, type Scalar, type Tensor,
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
