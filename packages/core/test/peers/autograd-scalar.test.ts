// Peer suite: the test cases of HIPS/autograd's tests/test_scalar_ops.py (commit cbf5c42b6abd5bfc28fb6addf35d8c132022c23a),
// ported as our own TypeScript. autograd checks fun = 3·op(x) with check_grads at one point and grad(fun) at
// another; here each is checkCase (./harness.ts) at both points up to third order — the value against
// JavaScript's Math, the jvp and ∇ against central differences, H·v against central differences of ∇, and
// the third derivative (autograd's check of d_fun's gradient) against central differences of the second.
// Inputs are autograd's (its constants; our own seeded draws where it draws). np.divide, np.multiply,
// np.true_divide and np.negative are div, mul and neg, np.mod is remainder; rad2deg, deg2rad, radians and
// degrees have no op of ours and are written with existing ops at the end, as a user would.
import { describe, expect, it } from 'vitest';
import {
  abs, acos, acosh, asin, asinh, atan, atanh, cos, cosh, div, exp, exp2, expm1, floor, grad, hvp, log, log10, log1p, log2, mul,
  neg, pow, reciprocal, remainder, scalar, sign, sin, sinc, sinh, sqrt, sub, tan, tanh, type Node, type Scalar, type Tensor,
} from '../../src/index.js';
import { arr, checkCase, mapArr, scalarArr, uniforms, normals, type Arr } from './harness.js';

const randn = normals(11);
const rand = uniforms(12);
const draw = () => randn().data[0];
const drawU = () => rand().data[0];
const S = (x: Node) => x as Scalar;
/** The reference of 3·op(x), from a plain function of numbers. */
const times3 = (fn: (v: number) => number) => (x: Arr) => scalarArr(3 * fn(x.data[0]));

type Unary = (x: Scalar) => Scalar;
/** autograd's pattern: check_grads(fun, a) and check_grads(grad(fun), b), for fun = 3·op. */
function unary(name: string, op: Unary, reference: (v: number) => number, points: readonly number[], fdTolerance?: number): void {
  it(`test_${name}: 3·${name}(x) at ${points.map((p) => p.toPrecision(4)).join(', ')}`, () => {
    const tolerance = fdTolerance ? { fdTolerance } : {};
    for (const x0 of points) checkCase((x) => S(op(S(x))).mul(3), [scalarArr(x0)], times3(reference), { order: 3, ...tolerance });
    // The same points as one tensor: the tensor path of the op (its loops, not the scalar fast path).
    checkCase((x) => (op as unknown as (t: Tensor) => Tensor)(x as Tensor).mul(3), [arr([points.length], points)],
      (x) => mapArr(x, (v) => 3 * reference(v)), { order: 3, ...tolerance });
  });
}

describe('autograd test_scalar_ops.py', () => {
  unary('abs', abs, Math.abs, [1.1, -1.1]);
  it('test_abs at 0: the gradient is 0 (autograd too); the second derivative is 0 (ours, docs/conventions.md)', () => {
    // autograd leaves out the check of grad(fun) at 0 (not differentiable there); ours is the fixed
    // subgradient of least norm, 0, in first and second order alike.
    checkCase((x) => S(abs(S(x))).mul(3), [scalarArr(0)], times3(Math.abs), { order: 1 });
    expect(grad((x: Scalar) => abs(x).mul(3))(0)).toBe(0);
    expect(hvp((x: Scalar) => abs(x).mul(3), 0, 1)).toBe(0);
  });
  unary('sin', sin, Math.sin, [draw(), draw()]);
  unary('sign', sign, Math.sign, [1.1, -1.1]);
  unary('exp', exp, Math.exp, [draw(), draw()]);
  unary('log', log, Math.log, [Math.abs(draw()), Math.abs(draw())]);
  unary('log2', log2, Math.log2, [Math.abs(draw()), Math.abs(draw())]);
  unary('log10', log10, Math.log10, [Math.abs(draw()), Math.abs(draw())]);
  unary('log1p', log1p, Math.log1p, [Math.abs(draw()), Math.abs(draw())]);
  unary('expm1', expm1, Math.expm1, [Math.abs(draw()), Math.abs(draw())]);
  unary('exp2', exp2, (v) => 2 ** v, [Math.abs(draw()), Math.abs(draw())]);
  unary('neg', neg, (v) => -v, [draw(), draw()]);
  unary('cos', cos, Math.cos, [draw(), draw()]);
  unary('tan', tan, Math.tan, [draw(), draw()]);
  unary('cosh', cosh, Math.cosh, [draw(), draw()]);
  unary('sinh', sinh, Math.sinh, [draw(), draw()]);
  unary('tanh', tanh, Math.tanh, [draw(), draw()]);
  unary('arccos', acos, Math.acos, [0.1, 0.2]);
  unary('arcsin', asin, Math.asin, [0.1, 0.2]);
  unary('arctan', atan, Math.atan, [0.2, 0.3]);
  unary('arccosh', acosh, Math.acosh, [draw() ** 2 + 1, draw() ** 2 + 1]);
  unary('arcsinh', asinh, Math.asinh, [draw(), draw()]);
  unary('arctanh', atanh, Math.atanh, [0.2, 0.3]);
  unary('sqrt', sqrt, Math.sqrt, [10 * drawU(), 10 * drawU()]);
  unary('sinc', sinc, (v) => (v === 0 ? 1 : Math.sin(Math.PI * v) / (Math.PI * v)), [10 * drawU(), 10 * drawU()]);

  // autograd draws sinc's points from [0, 10); these are the ones a draw misses: 0, the integers, near 0.
  unary('sinc', sinc, (v) => (v === 0 ? 1 : Math.sin(Math.PI * v) / (Math.PI * v)), [0, 1, -2, 1e-9, -3e-4, 0.5, 2.5]);

  it('test_power_arg0: pow(x, y) in x, y = randn² + 1 held', () => {
    const y = draw() ** 2 + 1;
    for (const x0 of [drawU() ** 2 + 1, drawU() ** 2 + 1]) {
      checkCase((x) => pow(S(x), y), [scalarArr(x0)], (x) => scalarArr(x.data[0] ** y), { order: 3 });
    }
  });
  it('test_power_arg0 with y = 0 at x = 0 (autograd #116): gradient and second derivative 0, not NaN', () => {
    // p·x^(p−1) = 0·0⁻¹ = 0·∞: an exact-zero partial is a path that does not exist (docs/conventions.md).
    expect(pow(scalar(0), 0).value).toBe(1);
    expect(grad((x: Scalar) => pow(x, 0))(0)).toBe(0);
    expect(grad((x: Scalar) => grad((z: Scalar) => pow(z, 0))(x))(0)).toBe(0);
  });
  it('test_power_arg1: pow(x, y) in y, x = randn² held', () => {
    const x = draw() ** 2;
    for (const y0 of [drawU() ** 2, drawU() ** 2]) {
      checkCase((y) => pow(x, S(y)), [scalarArr(y0)], (y) => scalarArr(x ** y.data[0]), { order: 3 });
    }
  });
  it('test_power_arg1_zero: pow(0, y) in y: 0 with derivatives 0 (0ᵇ ≡ 0 for b > 0; docs/conventions.md)', () => {
    for (const y0 of [drawU() ** 2, drawU() ** 2]) {
      checkCase((y) => pow(0, S(y)), [scalarArr(y0)], () => scalarArr(0), { order: 3 });
      expect(grad((y: Scalar) => pow(0, y))(y0)).toBe(0);
    }
  });
  it('test_divide_arg0/_arg1, test_true_divide_arg0/_arg1 (np.divide, np.true_divide: div)', () => {
    for (let r = 0; r < 2; r++) {
      checkCase((x, y) => div(S(x), S(y)), [scalarArr(drawU()), scalarArr(drawU())], (x, y) => scalarArr(x.data[0] / y.data[0]), { order: 3 });
    }
  });
  it('test_multiply_arg0/_arg1 (np.multiply: mul)', () => {
    checkCase((x, y) => mul(S(x), S(y)), [scalarArr(drawU()), scalarArr(drawU())], (x, y) => scalarArr(x.data[0] * y.data[0]), { order: 3 });
  });
  it('test_reciprocal, test_negative', () => {
    checkCase((x) => reciprocal(S(x)), [scalarArr(drawU())], (x) => scalarArr(1 / x.data[0]), { order: 3 });
    checkCase((x) => neg(S(x)), [scalarArr(drawU())], (x) => scalarArr(-x.data[0]), { order: 3 });
  });
});

describe('autograd test_scalar_ops.py: numpy functions we lack, written with existing ops', () => {
  it('test_mod_arg0/_arg1: np.mod(x, y) = x − y·floor(x/y) (floor has derivative 0, so ∂/∂y = −floor(x/y))', () => {
    const mod = (x: Scalar, y: Scalar) => sub(x, mul(y, floor(div(x, y))));
    for (let r = 0; r < 2; r++) {
      const [x0, y0] = [drawU(), drawU()];
      const want = x0 - y0 * Math.floor(x0 / y0);
      checkCase((x, y) => mod(S(x), S(y)), [scalarArr(x0), scalarArr(y0)], () => scalarArr(want), { order: 3 });
      expect(grad((p: { x: Scalar; y: Scalar }) => mod(p.x, p.y))({ x: x0, y: y0 })).toEqual({ x: 1, y: 0 - Math.floor(x0 / y0) }); // 0 − 0 is +0, as ours
      // np.mod is our remainder op: the same value and derivatives.
      checkCase((x, y) => remainder(S(x), S(y)), [scalarArr(x0), scalarArr(y0)], () => scalarArr(want), { order: 3 });
      const g = grad((p: { x: Scalar; y: Scalar }) => remainder(p.x, p.y))({ x: x0, y: y0 }) as { x: number; y: number };
      expect(g.x).toBe(1);
      expect(g.y === -Math.floor(x0 / y0)).toBe(true); // ±0 alike where the quotient is 0
    }
  });
  it('test_rad2deg, test_deg2rad, test_radians, test_degrees: a product by 180/π or π/180', () => {
    for (const [c, x0] of [[180 / Math.PI, 10 * drawU()], [Math.PI / 180, 10 * drawU()]]) {
      checkCase((x) => S(x).mul(c).mul(3), [scalarArr(x0)], (x) => scalarArr(3 * x.data[0] * c), { order: 3 });
    }
  });
});
