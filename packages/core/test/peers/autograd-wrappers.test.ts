// Peer suite: the transform cases of HIPS/autograd's tests/test_wrappers.py (its recent pytest form, with
// npr.RandomState(42) in each test: value_and_grad,
// hessian, multigrad, elementwise_grad, hessian_tensor_product, make_hvp, tensor_jacobian_product,
// make_jvp, make_ggnvp, checkpoint, where; the checkpoint case from the older 000f667f) and
// tests/test_jacobian.py (03b7ac8e: jacobian against grad and stacked grads, a jacobian of a jacobian),
// ported as our own TypeScript. Expected values are closed forms or plain loops, never our own output;
// nested cases are checked to second order with checkLikeAutograd (test/peers/autograd-check.ts).
//
// Conventions where autograd differs and we test ours (docs/from-jax.md, docs/conventions.md):
// - f takes one argument, a pytree: autograd's argnum lists (multigrad, grad(f, argnum=[3, 1])) are
//   written as a function of { d, b }, as autograd's own reference in that test does.
// - hessian and jacobian return one row-major matrix over the flattened parameters (n×n, m×n), not
//   NumPy arrays of shape out.shape + x.shape: the same numbers in the same order.
// - grad needs a Scalar (or number) result: autograd's grad of a [1, 1] array is our grad of its sum,
//   or jacobian of the array. A 0-d tensor (matmul of two vectors, einsum to no labels) is taken as
//   the number it holds, as autograd and JAX take it (test/iteration.test.ts); np.dot(np.dot(x, H), x)
//   is written with dot, whose result is a Scalar.
import { describe, expect, it } from 'vitest';
import {
  checkpoint, compile, cos, defineOp, vmap, exp, ggnvp, grad, hessian, hvp, hvpOperator, jacobian, jvp, matmul, mul, outer, prod, roll, sin, cosh, square, stack,
  sum, tanh, tensor, tensordot, valueAndGrad, vjp, where, dot, add, type Scalar, type Tensor,
} from '../../src/index.js';
import { checkGrads } from '../../src/testing/index.js';
import { checkLikeAutograd, expectClose, normals, type Arr } from './autograd-check.js';

const R = normals(42); // npr.RandomState(42)
// autograd's @primitive new_mul with defgrad/defvjp rules, and one declared to have zero derivatives
// (defvjp_is_zero): defineOp, at module level as the house asks.
const newMul = defineOp({ name: 'peerNewMul', primal: (x, y) => x * y, partials: (_o, [x, y]) => [y, x] });
const zeroMul = defineOp({ name: 'peerZeroMul', primal: (x, y) => 0 * x * y, partials: () => [0, 0] });
const matrixOf = (a: Arr, m: number, n: number) => Array.from({ length: m }, (_, i) => a.data.slice(i * n, (i + 1) * n));
/** An array as nested number arrays (a matrix or higher-rank leaf of a pytree). */
const nest = (x: Arr): unknown => (x.shape.length === 1 ? [...x.data] : Array.from({ length: x.shape[0] }, (_, i) => {
  const inner = x.data.length / x.shape[0];
  return nest({ shape: x.shape.slice(1), data: x.data.slice(i * inner, (i + 1) * inner) });
}));
const near = (got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-12) => {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1, ...Array.from(want, Math.abs));
  for (let k = 0; k < want.length; k++) expect(Math.abs(got[k] - want[k]) / scale).toBeLessThanOrEqual(tol);
};

describe('test_wrappers.py', () => {
  it('test_return_both: value_and_grad of 3·x^3.2 at 1.7 is (f, f′) = (3·1.7^3.2, 9.6·1.7^2.2), the same numbers grad gives', () => {
    const fun = (x: Scalar) => mul(x.pow(3.2), 3);
    const { value, grad: d } = valueAndGrad(fun)(1.7);
    expect(Math.abs(value - 3 * 1.7 ** 3.2)).toBeLessThanOrEqual(4e-16 * value);
    expect(Math.abs((d as number) - 9.6 * 1.7 ** 2.2)).toBeLessThanOrEqual(1e-15 * (d as number));
    expect(d).toBe(grad(fun)(1.7));
  });

  it('test_value_and_grad: Σ sin(x)², its gradient 2·sin·cos, and the value of value_and_grad differentiated again (fun2)', () => {
    const fun = (x: Tensor) => sum(square(sin(x)));
    const x = R(5);
    const both = valueAndGrad(fun)(x.data as number[]);
    near([both.value], [x.data.reduce((s, v) => s + Math.sin(v) ** 2, 0)], 1e-15);
    near(both.grad as Float64Array, x.data.map((v) => 2 * Math.sin(v) * Math.cos(v)), 1e-15);
    near(grad(fun)(x.data as number[]) as Float64Array, both.grad as Float64Array, 0);
    // fun2(x) = value_and_grad(fun)(x)[0], checked to second order through the nested transform.
    checkLikeAutograd((t: Tensor) => valueAndGrad(fun)(t).value as unknown as Scalar, [x]);
  });

  it('test_hessian: the Hessian of xᵀ·H·x is H + Hᵀ', () => {
    const H = R(5, 5), x = R(5);
    const fun = (v: Tensor) => dot(matmul(v, tensor([...H.data], [5, 5])), v);
    const h = matrixOf(H, 5, 5);
    const want = h.flatMap((row, i) => row.map((v, j) => v + h[j][i]));
    near(hessian(fun, x.data as number[]), want, 1e-14);
    // Recorded once at x, replayed at another point (compile): the same constant Hessian.
    near(compile(fun, x.data as number[]).hessian(R(5).data as number[]), want, 1e-14);
  });

  it('test_multigrad, test_value_and_multigrad, test_multigrad_onearg: argnum lists as a pytree { d, b }', () => {
    const [A, B, C, D, E, F, G] = [0.5, -0.3, 0.2, -1.1, 0.7, 0.6, -0.1];
    const complicated = (a: number | Scalar, b: Scalar, c: number, d: Scalar, e: number, f = 1.1, g = 9.0) =>
      add(add(add(add(add(add(a, sin(b)), Math.cosh(c)), cos(d)), Math.tan(e)), f), g);
    const fun31 = (p: { d: Scalar; b: Scalar }) => complicated(A, p.b, C, p.d, E, F, G) as Scalar;
    const { value, grad: g } = valueAndGrad(fun31)({ d: D, b: B }) as { value: number; grad: { d: number; b: number } };
    near([value], [A + Math.sin(B) + Math.cosh(C) + Math.cos(D) + Math.tan(E) + F + G], 1e-15);
    near([g.d, g.b], [-Math.sin(D), Math.cos(B)], 1e-15);
    expect(grad(fun31)({ d: D, b: B })).toEqual(g);
    // onearg: fun(x, y) = Σ(x + sin y); the gradient in x alone is ones, as packed_fun's first part.
    const [a, b] = [R(3), R(3)];
    const packed = grad((p: { x: Tensor; y: Tensor }) => sum(add(p.x, sin(p.y))))({ x: a.data as number[], y: b.data as number[] }) as { x: Float64Array; y: Float64Array };
    near(packed.x, [1, 1, 1], 0);
    near(packed.y, b.data.map(Math.cos), 1e-15);
  });

  it('test_elementwise_grad (+ _multiple_args): no elementwise_grad; grad of the sum, against stacked scalar grads and the closed form', () => {
    const simple = <T extends Tensor | Scalar>(a: T) => add(add(a, sin(a)), cosh(a)) as T;
    const A = R(10);
    const wrapped = grad((x: Tensor) => sum(simple(x)))(A.data as number[]) as Float64Array;
    const explicit = A.data.map((v) => grad((s: Scalar) => simple(s))(v) as number);
    near(wrapped, explicit, 0);
    near(wrapped, A.data.map((v) => 1 + Math.cos(v) + Math.sinh(v)), 1e-15);
    // argnum 1 of simple_fun(a, b) = a + sin(a) + cosh(b), with a = 0.9 closed over.
    const B = R(10);
    const two = (a: number, b: Tensor) => add(a + Math.sin(a), cosh(b));
    near(grad((b: Tensor) => sum(two(0.9, b)))(B.data as number[]) as Float64Array, B.data.map(Math.sinh), 1e-15);
    // The per-element gradients once more as vmap of grad (JAX's way): one scalar grad per element.
    near(vmap((a: Scalar) => grad((s: Scalar) => simple(s))(a))(A.data as number[]) as unknown as Float64Array, explicit, 0);
  });

  it('elementwise_grad inside another transform: vmap(grad) and vmap(hvp) over a vector node slice it into scalars, as at top level', () => {
    // d/dA Σᵢ g′(Aᵢ) = g″(A) for g = a + sin a + cosh a; H·v of that sum is g‴(A)·v.
    const simple = (a: Scalar) => add(add(a, sin(a)), cosh(a)) as Scalar;
    const A = R(6), v = R(6);
    const perElement = (x: Tensor) => sum(vmap((a: Scalar) => grad(simple)(a))(x) as unknown as Tensor);
    near(grad(perElement)(A.data as number[]) as Float64Array, A.data.map((a) => -Math.sin(a) + Math.cosh(a)), 1e-15);
    near(hvp(perElement, A.data as number[], v.data as number[]) as Float64Array, A.data.map((a, i) => (-Math.cos(a) + Math.sinh(a)) * v.data[i]), 1e-14);
    const curvature = (x: Tensor) => sum(vmap((a: Scalar) => hvp(simple, a, 1))(x) as unknown as Tensor);
    near(grad(curvature)(A.data as number[]) as Float64Array, A.data.map((a) => -Math.cos(a) + Math.sinh(a)), 1e-15);
    checkLikeAutograd(perElement, [A]);
  });

  describe('hessian_tensor_product, make_hvp: H·v against hessian(fun)·v and the closed form −diag(sin a)·v', () => {
    const fun = (a: Tensor) => sum(sin(a));
    it('test_hessian_tensor_product, test_hvp: a, v of 5', () => {
      const a = R(5), v = R(5);
      const H = hessian(fun, a.data as number[]);
      const Hv = matrixOf({ shape: [5, 5], data: Array.from(H) }, 5, 5).map((row) => row.reduce((s, h, j) => s + h * v.data[j], 0));
      near(H, a.data.flatMap((x, i) => a.data.map((_, j) => (i === j ? -Math.sin(x) : 0))), 1e-15);
      near(hvp(fun, a.data as number[], v.data as number[]) as Float64Array, Hv, 1e-15);
      near(hvpOperator(fun, a.data as number[]).apply(v.data as number[]) as Float64Array, Hv, 1e-15);
      near(Hv, a.data.map((x, i) => -Math.sin(x) * v.data[i]), 1e-15);
      // Recorded at another point, replayed at a (compile).
      near(compile(fun, R(5).data as number[]).hvp(a.data as number[], v.data as number[]) as Float64Array, Hv, 1e-15);
    });
    it('test_hessian_matrix_product, test_hessian_tensor_product_3d: a and V of [5, 4] and [5, 4, 3], given as nested arrays', () => {
      for (const shape of [[5, 4], [5, 4, 3]]) {
        const a = R(...shape), V = R(...shape);
        const n = a.data.length;
        const H = hessian(fun, nest(a) as number[][]);
        const HV = Array.from({ length: n }, (_, i) => a.data.reduce((s, _, j) => s + H[i * n + j] * V.data[j], 0)); // tensordot(H, V, ndim)
        near(HV, a.data.map((x, i) => -Math.sin(x) * V.data[i]), 1e-15);
        near(hvp(fun, nest(a) as number[][], nest(V) as number[][]) as Float64Array, HV, 1e-15);
        near(hvpOperator(fun, nest(a) as number[][]).apply(nest(V) as number[][]) as Float64Array, HV, 1e-15);
      }
    });
  });

  describe('tensor_jacobian_product: of roll(sin(a), 1), whose Jacobian is asymmetric', () => {
    const fun = (a: Tensor) => roll(sin(a), 1);
    /** J of roll(sin a, 1) (NumPy's roll of the flattened array): J[k][j] = cos(a_j) where j = k − 1 mod n. */
    const plainJ = (a: Arr) => {
      const n = a.data.length;
      return Array.from({ length: n }, (_, k) => Array.from({ length: n }, (_, j) => (j === (k - 1 + n) % n ? Math.cos(a.data[j]) : 0)));
    };
    it('test_tensor_jacobian_product (vector), test_matrix_jacobian_product: vjp(V) = Vᵀ·J, and jacobian(fun) = J', () => {
      for (const shape of [[5], [5, 4]]) {
        const a = R(...shape), V = R(...shape);
        const J = plainJ(a);
        const n = a.data.length;
        near(jacobian(fun, nest(a) as number[][]), J.flat(), 1e-15);
        const want = Array.from({ length: n }, (_, j) => J.reduce((s, row, k) => s + V.data[k] * row[j], 0));
        const { pullback } = vjp(fun, nest(a) as number[][]);
        near(pullback(V.data as number[]) as Float64Array, want, 1e-15);
      }
    });
    it('a 0-d output (x·x as matmul of two vectors gives it, NumPy\'s np.dot) takes a number as its cotangent, and nested a scalar node', () => {
      const a = R(5);
      const f = (y: Tensor) => matmul(y, y); // shape []
      const { value, pullback } = vjp(f, a.data as number[]);
      near(value as Float64Array, [a.data.reduce((s, v) => s + v * v, 0)], 1e-15);
      near(pullback(2.5) as Float64Array, a.data.map((v) => 5 * v), 1e-15);
      near(pullback([2.5]) as Float64Array, a.data.map((v) => 5 * v), 1e-15);
      // Nested: the cotangent x₀ (a Scalar of the enclosing grad), so the result is x₀·2x.
      const nested = (x: Tensor) => vjp(f, x).pullback(x.at(0) as never) as unknown as Tensor;
      checkLikeAutograd(nested, [a]);
      checkLikeAutograd((x: Tensor) => vjp(f, x).pullback(1.5 as never) as unknown as Tensor, [a]);
    });
    it('test_tensor_jacobian_product (3-d): the Jacobian of tensordot(V, fun(a), 2) for a [5, 4, 3], V [5, 4]', () => {
      const a = R(5, 4, 3), V = R(5, 4);
      const J = plainJ(a); // J[k][j], k over fun(a)'s 60 outputs
      const n = 60;
      // tensordot(V, J, axes=2)[c][j] = Σ_{p,q} V[p][q]·J[(p,q,c)][j]
      const want = Array.from({ length: 3 }, (_, c) => Array.from({ length: n }, (_, j) => V.data.reduce((s, v, pq) => s + v * J[pq * 3 + c][j], 0)));
      const got = jacobian((x: Tensor) => tensordot(tensor([...V.data], [5, 4]), fun(x), 2), nest(a) as number[][][]);
      near(got, want.flat(), 1e-15);
    });
  });

  it('test_make_jvp: jvp of tanh(A·x) along v is (1 − tanh²)⊙(A·v)', () => {
    const A = R(3, 5), x = R(5), v = R(5);
    const a = matrixOf(A, 3, 5);
    const fun = (t: Tensor) => tanh(matmul(tensor([...A.data], [3, 5]), t));
    const Ax = a.map((row) => row.reduce((s, e, j) => s + e * x.data[j], 0));
    const Av = a.map((row) => row.reduce((s, e, j) => s + e * v.data[j], 0));
    const { value, tangent } = jvp(fun, x.data as number[], v.data as number[]);
    near(value as Float64Array, Ax.map(Math.tanh), 1e-15);
    near(tangent as Float64Array, Ax.map((y, i) => (1 - Math.tanh(y) ** 2) * Av[i]), 1e-15);
    const J = jacobian(fun, x.data as number[]);
    near(tangent as Float64Array, [0, 1, 2].map((i) => v.data.reduce((s, e, j) => s + J[i * 5 + j] * e, 0)), 1e-15);
  });

  describe('make_ggnvp: Jᵀ·H_g·J·v with J the Jacobian of the model, H_g the Hessian of g at its outputs', () => {
    const A = R(5, 4), x = R(4), v = R(4);
    const a = matrixOf(A, 5, 4);
    const linear = (t: Tensor) => matmul(tensor([...A.data], [5, 4]), t);
    const squashed = (t: Tensor) => tanh(linear(t));
    const Ax = a.map((row) => row.reduce((s, e, j) => s + e * x.data[j], 0));
    const Av = a.map((row) => row.reduce((s, e, j) => s + e * v.data[j], 0));
    /** Jᵀ·diag(h)·J·v with J = diag(d)·A. */
    const explicit = (d: number[], h: number[]) => x.data.map((_, j) => a.reduce((s, row, i) => s + row[j] * d[i] * h[i] * d[i] * Av[i], 0));
    it('test_make_ggnvp: g = ½ yᵀy (H_g = I)', () => {
      const half = (y: Tensor) => mul(sum(square(y)), 0.5);
      near(ggnvp(linear, half, x.data as number[], v.data as number[]) as Float64Array, explicit(Ax.map(() => 1), Ax.map(() => 1)), 1e-14);
      const d = Ax.map((y) => 1 - Math.tanh(y) ** 2);
      near(ggnvp(squashed, half, x.data as number[], v.data as number[]) as Float64Array, explicit(d, Ax.map(() => 1)), 1e-14);
    });
    it('test_make_ggnvp_nondefault_g: g = Σ 2y² + y⁴ (H_g = diag(4 + 12y²))', () => {
      const g = (y: Tensor) => sum(add(mul(square(y), 2), square(square(y))));
      near(ggnvp(linear, g, x.data as number[], v.data as number[]) as Float64Array, explicit(Ax.map(() => 1), Ax.map((y) => 4 + 12 * y * y)), 1e-14);
      const y = Ax.map(Math.tanh);
      near(ggnvp(squashed, g, x.data as number[], v.data as number[]) as Float64Array, explicit(y.map((t) => 1 - t * t), y.map((t) => 4 + 12 * t * t)), 1e-14);
    });
  });

  it('test_checkpoint_correctness (000f667f): bar(x, y) = 2x + y + 5 checkpointed, as a function of one pytree', () => {
    const bar = (p: { x: Scalar; y: Scalar }) => add(add(mul(p.x, 2), p.y), 5) as Scalar;
    const checkpointed = checkpoint(bar);
    const foo = (b: typeof bar) => (x: Scalar) => add(b({ x, y: x.div(3) }), b({ x, y: x.pow(2) })) as Scalar;
    // foo(x) = 4x + x/3 + x² + 10: at 3, 32 and 4 + 1/3 + 6.
    near([valueAndGrad(foo(bar))(3).value, valueAndGrad(foo(checkpointed))(3).value], [32, 32], 1e-15);
    near([grad(foo(bar))(3) as number, grad(foo(checkpointed))(3) as number], [10 + 1 / 3, 10 + 1 / 3], 1e-15);
    checkLikeAutograd((t: Tensor) => foo(checkpointed)(sum(t)), [R(1)]);
  });

  it('test_deprecated_defgrad_wrapper, _defvjp_wrapper, _defvjp_is_zero_wrapper, _quick_grad_check_wrapper: a primitive with its own derivative rules (our defineOp) on 2×2 matrices, checked by check_grads', () => {
    const [m1, m2] = [R(2, 2), R(2, 2)];
    expectClose(newMul(tensor([...m1.data], [2, 2]), tensor([...m2.data], [2, 2])), { shape: [2, 2], data: m1.data.map((v, k) => v * m2.data[k]) }, 0);
    checkLikeAutograd((x: Tensor, y: Tensor) => newMul(x, y), [m1, m2]);
    // defvjp_is_zero: 0·x·y with both derivatives declared 0, which they are.
    expectClose(zeroMul(tensor([...m1.data], [2, 2]), tensor([...m2.data], [2, 2])), { shape: [2, 2], data: [0, 0, 0, 0] }, 0);
    checkLikeAutograd((x: Tensor, y: Tensor) => zeroMul(x, y), [m1, m2]);
    // quick_grad_check(lambda x, y: x**2 + y, 1.0, (2.0,)): the two arguments as one pytree.
    checkGrads((p: { x: Scalar; y: Scalar }) => p.x.pow(2).add(p.y), { x: 1.0, y: 2.0 });
  });

  it('test_custom_where: where([True, False, True], x, y) picks [1, 5, 3], with a boolean list as NumPy', () => {
    const x = tensor([1, 2, 3]), y = tensor([4, 5, 6]);
    expectClose(where([true, false, true], x, y), { shape: [3], data: [1, 5, 3] }, 0);
    expectClose(where([1, 0, 1], x, y), { shape: [3], data: [1, 5, 3] }, 0);
  });
});

describe('test_jacobian.py', () => {
  const S = normals(1); // npr.seed(1)
  it('test_jacobian_against_grad: Σ sin(x) over axis 1 (keepdims) of a [1, 3]: jacobian equals grad (of the one output)', () => {
    const A = S(1, 3);
    const fun = (x: Tensor) => sum(sin(x), 1, true);
    const J = jacobian(fun, nest(A) as number[][]); // 1 output × 3 parameters
    near(J, grad((x: Tensor) => sum(fun(x)))(nest(A) as number[][]) as Float64Array, 0);
    near(J, A.data.map(Math.cos), 1e-15);
  });

  it('test_jacobian_scalar_to_vector: [x, x², x³] has Jacobian [1, 2x, 3x²]', () => {
    const val = S().data[0];
    const J = jacobian((x: Scalar) => stack([x, x.pow(2), x.pow(3)]), val);
    near(J, [1, 2 * val, 3 * val * val], 1e-15);
  });

  it('test_jacobian_against_stacked_grads: Σx³, Π(sin x + sin x), and a grad nested inside (y ↦ eʸ·tanh x₀ at y = x₁)', () => {
    const scalarFuns: ((x: Tensor) => Scalar)[] = [
      (x) => sum(x.pow(3)),
      (x) => prod(add(sin(x), sin(x))),
      (x) => grad((y: Scalar) => mul(exp(y), tanh(x.at(0))))(x.at(1)) as unknown as Scalar,
    ];
    const x = S(5);
    const J = jacobian((t: Tensor) => stack(scalarFuns.map((f) => f(t))), x.data as number[]);
    near(J, scalarFuns.flatMap((f) => Array.from(grad(f)(x.data as number[]) as Float64Array)), 1e-14);
    // Closed forms of the three rows.
    const p = x.data.reduce((s, v) => s * 2 * Math.sin(v), 1);
    const [x0, x1] = x.data;
    const closed = [
      ...x.data.map((v) => 3 * v * v),
      ...x.data.map((v) => (p * Math.cos(v)) / Math.sin(v)),
      Math.exp(x1) / Math.cosh(x0) ** 2, Math.exp(x1) * Math.tanh(x0), 0, 0, 0,
    ];
    near(J, closed, 1e-13);
  });

  it('test_jacobian_higher_order: sin(outer(x, x)) + cos(x·x); its Jacobian (2·2×2) and the Jacobian of that (2·2·2×2), then check_grads of Σ sin of each', () => {
    const fun = (x: Tensor) => add(sin(outer(x, x)), cos(dot(x, x)));
    const x = S(2).data;
    const r2 = x[0] * x[0] + x[1] * x[1];
    const delta = (i: number, j: number) => (i === j ? 1 : 0);
    // ∂f_ij/∂x_k = cos(x_i x_j)(δ_ik x_j + δ_jk x_i) − 2 sin(r²) x_k
    const J1 = (i: number, j: number, k: number) => Math.cos(x[i] * x[j]) * (delta(i, k) * x[j] + delta(j, k) * x[i]) - 2 * Math.sin(r2) * x[k];
    // ∂²f_ij/∂x_k∂x_l
    const J2 = (i: number, j: number, k: number, l: number) =>
      -Math.sin(x[i] * x[j]) * (delta(i, k) * x[j] + delta(j, k) * x[i]) * (delta(i, l) * x[j] + delta(j, l) * x[i])
      + Math.cos(x[i] * x[j]) * (delta(i, k) * delta(j, l) + delta(j, k) * delta(i, l))
      - 4 * Math.cos(r2) * x[k] * x[l] - 2 * Math.sin(r2) * delta(k, l);
    const idx = [0, 1];
    const jac = (t: Tensor) => jacobian(fun, t) as unknown as Tensor;
    const first = jacobian(fun, x);
    expect(first.length).toBe(2 * 2 * 2);
    near(first, idx.flatMap((i) => idx.flatMap((j) => idx.map((k) => J1(i, j, k)))), 1e-15);
    const second = jacobian(jac, x);
    expect(second.length).toBe(2 * 2 * 2 * 2);
    near(second, idx.flatMap((i) => idx.flatMap((j) => idx.flatMap((k) => idx.map((l) => J2(i, j, k, l))))), 1e-14);
    const y = S(2), z = S(2);
    checkLikeAutograd((t: Tensor) => sum(sin(jac(t))), [y]);
    checkLikeAutograd((t: Tensor) => sum(sin(jacobian(jac, t) as unknown as Tensor)), [z]);
  });
});
