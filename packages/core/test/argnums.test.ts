// grad and valueAndGrad of a function of several arguments (JAX's grad(loss)(params, batch) and
// argnums): expected values are closed forms.
import { describe, expect, it } from 'vitest';
import { ArgumentError, OptionError, StructureError, grad, hvp, matmul, tensor, valueAndGrad, type Scalar, type Tensor } from '../src/index.js';
import { expectError } from './expect-error.js';

// Least squares: L(w, b) = Σᵢ (xᵢ·w + b − yᵢ)², with data X (3×2) and y.
const X = [[1, 2], [3, -1], [0.5, 4]];
const y = [1, -2, 3];
const loss = (w: Tensor, b: Scalar, data: { X: number[][]; y: number[] }) =>
  matmul(tensor(data.X), w).add(b).sub(tensor(data.y)).square().sum();
const w0 = [0.3, -0.7], b0 = 0.25;
const residuals = X.map((row, i) => row[0] * w0[0] + row[1] * w0[1] + b0 - y[i]);
const dw = [0, 1].map((j) => 2 * residuals.reduce((s, r, i) => s + r * X[i][j], 0));
const db = 2 * residuals.reduce((s, r) => s + r, 0);
const value = residuals.reduce((s, r) => s + r * r, 0);
const close = (got: ArrayLike<number>, want: readonly number[]) =>
  want.forEach((v, k) => expect(Math.abs(got[k] - v)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(v))));

describe('grad of a function of several arguments', () => {
  it('differentiates the first and passes the others to f as they are (JAX\'s grad(loss)(params, batch))', () => {
    const data = { X, y };
    let seen: unknown;
    const g = grad((w: Tensor, b: Scalar, d: typeof data) => ((seen = d), loss(w, b, d)))(w0, b0, data);
    close(g as Float64Array, dw);
    expect(seen).toBe(data); // the very object, not a copy or a node
  });

  it('argnums picks one position, or a list of them in the order given', () => {
    expect(grad(loss, { argnums: 1 })(w0, b0, { X, y })).toBeCloseTo(db, 13);
    const [gw, gb] = grad(loss, { argnums: [0, 1] })(w0, b0, { X, y }) as [Float64Array, number];
    close(gw, dw);
    expect(gb).toBeCloseTo(db, 13);
    const r = valueAndGrad(loss, { argnums: [1, 0] })(w0, b0, { X, y }) as { value: number; grad: [number, Float64Array] };
    expect(r.value).toBeCloseTo(value, 13);
    expect(r.grad[0]).toBeCloseTo(db, 13);
    close(r.grad[1], dw);
    // A list of one position is a list of one gradient.
    expect((grad(loss, { argnums: [1] })(w0, b0, { X, y }) as unknown[]).length).toBe(1);
  });

  it('nests: H·v through a gradient taken with extra arguments', () => {
    // h(w) = ∂L/∂b at (w, b0): linear in w, so ∇h = 2·Σᵢ xᵢ and its H·v is 0; g(w) = ‖∇_w L(w, b0)‖²/2
    // has Hessian (2XᵀX)², so H·v = 4·XᵀX·XᵀX·v.
    const XtX = [0, 1].map((i) => [0, 1].map((j) => X.reduce((s, row) => s + row[i] * row[j], 0)));
    const times = (m: number[][], v: number[]) => m.map((row) => row[0] * v[0] + row[1] * v[1]);
    const v = [1, -2];
    const g = (w: Tensor) => (grad(loss)(w, b0, { X, y }) as Tensor).square().sum().mul(0.5);
    close(hvp(g, w0, v) as Float64Array, times(XtX, times(XtX, v)).map((e) => 4 * e));
    const h = (w: Tensor) => grad(loss, { argnums: 1 })(w, b0, { X, y }) as unknown as Scalar; // the gradient of b: typed number (b0 is), a Scalar node inside h
    close(grad(h)(w0) as Float64Array, [0, 1].map((j) => 2 * X.reduce((s, row) => s + row[j], 0)));
  });

  it('names argnums that are not positions of the call, and misspelled options', () => {
    expectError(() => grad(loss, { argnums: 3 })(w0, b0, { X, y }), ArgumentError, 'grad', 'argnums', 'argument 3', '3 arguments');
    expectError(() => grad(loss, { argnums: [0, 0] }), OptionError, 'grad', 'argnums', 'distinct');
    expectError(() => grad(loss, { argnums: -1 }), OptionError, 'grad', 'argnums');
    expectError(() => grad(loss, { argnums: [] }), OptionError, 'grad', 'argnums');
    expectError(() => valueAndGrad(loss, { argnum: 1 } as never), OptionError, 'valueAndGrad', 'argnums');
    expectError(() => (grad(loss) as unknown as () => unknown)(), ArgumentError, 'grad', 'x');
  });

  it('names a bad leaf by its argument (args[k]…), not by its place in the pytree of differentiated arguments', () => {
    const g = grad((a: Scalar, p: { w: Tensor }) => a.mul(p.w.sum()), { argnums: [0, 1] }) as unknown as (...a: unknown[]) => unknown;
    expect(() => g(1, { w: 'x' })).toThrow(StructureError);
    expect(() => g(1, { w: 'x' })).toThrow(/^grad: args\[1\]\.w is a string/);
    expect(() => g('a', { w: [1] })).toThrow(/^grad: args\[0\] is a string/);
    const one = valueAndGrad((a: number, p: { w: Tensor }) => p.w.sum().mul(a), { argnums: 1 }) as unknown as (...a: unknown[]) => unknown;
    expect(() => one(2, { w: [1, null] })).toThrow(/^valueAndGrad: args\[1\]\.w\[1\] is null/);
    // A single argument keeps the name x.
    expect(() => (grad((p: { w: Tensor }) => p.w.sum()) as unknown as (x: unknown) => unknown)({ w: 'x' })).toThrow(/^grad: x\.w is a string/);
  });
});
