// Destructuring and iterating tensor nodes (NumPy's iteration over the first axis), and transforms of
// a scalar that take a 0-d tensor result (JAX's grad of `x @ x`). Expected values are closed forms.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, NodeConversionError, OutputError, StructureError, compile, full, einsum, grad, gradAndHvp, hessian, hvp, jvp, matmul, mul, sin, sparseHessian, sum,
  tensor, trace, valueAndGrad, type Scalar, type Tensor,
} from '../src/index.js';
import { expectError } from './expect-error.js';

const close = (got: ArrayLike<number>, want: readonly number[], tol = 1e-14) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => expect(Math.abs(got[k] - w)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w))));
};

describe('iterating a tensor node', () => {
  // f(x, y) = x·y·sin x: ∂x = y(sin x + x cos x), ∂y = x sin x, ∂xx = y(2cos x − x sin x), ∂xy = sin x + x cos x.
  const f = ([x, y]: Tensor) => mul(mul(x, y), sin(x));
  const [x0, y0] = [0.7, -1.3];
  const gx = y0 * (Math.sin(x0) + x0 * Math.cos(x0)), gy = x0 * Math.sin(x0);
  const hxx = y0 * (2 * Math.cos(x0) - x0 * Math.sin(x0)), hxy = Math.sin(x0) + x0 * Math.cos(x0);

  it('destructures a vector into its elements, with gradient, H·v and Hessian', () => {
    close(grad(f)([x0, y0]), [gx, gy]);
    const r = gradAndHvp(f, [x0, y0], [0.3, -2]);
    expect(r.value).toBeCloseTo(x0 * y0 * Math.sin(x0), 15);
    close(r.hvp as Float64Array, [hxx * 0.3 + hxy * -2, hxy * 0.3]);
    close(hessian(f, [x0, y0]), [hxx, hxy, hxy, 0]);
  });

  it('yields rows of a matrix in order, each a node (for … of)', () => {
    // Σᵢ wᵢ·‖rowᵢ‖² with weights 1, 2, 3: the gradient of row i is 2·wᵢ·rowᵢ.
    const rowsWeighted = (X: Tensor) => {
      let s: Scalar | number = 0;
      let w = 1;
      for (const row of X) {
        expect(row.shape).toEqual([2]);
        s = sum(mul(row, row)).mul(w++).add(s);
      }
      return s;
    };
    close(grad(rowsWeighted)([[1, 2], [3, 4], [5, 6]]), [2, 4, 12, 16, 30, 36]);
    // Second order: the Hessian is diagonal with 2wᵢ on row i's entries.
    close(hvp(rowsWeighted, [[1, 2], [3, 4], [5, 6]], [[1, 1], [1, 1], [1, 1]]), [2, 2, 4, 4, 6, 6]);
  });

  it('matches the same function written with at(), at third order through nesting', () => {
    const viaAt = (v: Tensor) => mul(mul(v.at(0), v.at(1)), sin(v.at(0)));
    // d/dx of ∂xx: y(−3 sin x − x cos x); nested grad over the x-component of the Hessian row.
    const third = (g: (v: Tensor) => Scalar | Tensor) => grad((v: Tensor) => (hvp(g, v, [1, 0]) as Tensor).at(0))([x0, y0]);
    const want = [y0 * (-3 * Math.sin(x0) - x0 * Math.cos(x0)), 2 * Math.cos(x0) - x0 * Math.sin(x0)];
    close(third(f), want, 1e-13);
    close(third(f), Array.from(third(viaAt) as Float64Array), 0);
  });

  it('replays under compile at new points', () => {
    const program = compile(f, [x0, y0]);
    const at = [1.9, 0.4];
    close(program.valueAndGrad(at).grad as Float64Array, [at[1] * (Math.sin(at[0]) + at[0] * Math.cos(at[0])), at[0] * Math.sin(at[0])]);
  });

  it('iterates a constant tensor outside any transform', () => {
    const parts = [...tensor([[1, 2], [3, 4]])];
    expect(parts.map((p) => p.shape)).toEqual([[2], [2]]);
    expect(parts.map((p) => Array.from(p.value))).toEqual([[1, 2], [3, 4]]);
    expect([...tensor([5, 6, 7])].map((p) => p.shape)).toEqual([[], [], []]);
    expect([...tensor(new Float64Array(0), [0, 3])]).toEqual([]);
  });

  it('xs.map(sin) over the parts (which passes the index) is an ArgumentError saying to write xs.map((x) => sin(x))', () => {
    expectError(() => grad((x: Tensor) => [...x].map(sin as never)[0] as Tensor)([1, 2]), ArgumentError, 'sin', 'xs.map((x) => sin(x))');
    close(grad((x: Tensor) => [...x].map((v) => sin(v)).reduce((a, b) => a.add(b)))([1, 2]), [Math.cos(1), Math.cos(2)]);
  });

  it('refuses to iterate a 0-d tensor or a scalar node, with NodeConversionError', () => {
    expectError(() => [...sum(tensor([3]), [0])], NodeConversionError, '0-d tensor', 'x.value');
    expectError(() => grad(((s: Scalar) => { const [a] = s as unknown as Tensor; return a; }) as never)(2), NodeConversionError, 'scalar node was iterated');
    expectError(() => grad((x: Tensor) => { const [a] = sum(x) as never as Tensor; return a; })([1, 2]), NodeConversionError, 'scalar node');
  });
});

describe('a 0-d tensor result of a scalar transform', () => {
  const x = [0.5, -2, 3];
  const twice = x.map((e) => 2 * e);

  it('grad, valueAndGrad and H·v read it as its number', () => {
    close(grad((v: Tensor) => matmul(v, v))(x), twice);
    close(grad((v: Tensor) => einsum('i,i->', v, sin(v)))(x), x.map((e) => Math.sin(e) + e * Math.cos(e)));
    close(grad((v: Tensor) => sum(v.square(), [0]))(x), twice);
    expect(valueAndGrad((v: Tensor) => matmul(v, v))(x).value).toBe(0.25 + 4 + 9);
    close(hvp((v: Tensor) => matmul(v, v), x, [1, 2, 3]) as Float64Array, [2, 4, 6]);
    close(hessian((v: Tensor) => matmul(v, v), x), [2, 0, 0, 0, 2, 0, 0, 0, 2]);
  });

  it('nests: the gradient of a gradient norm written as a 0-d product', () => {
    // g(v) = ‖∇(v·sin v summed)‖², ∇ᵢ = sin vᵢ + vᵢ cos vᵢ =: dᵢ, ∂g/∂vᵢ = 2dᵢ·(2cos vᵢ − vᵢ sin vᵢ).
    const inner = (v: Tensor) => einsum('i,i->', v, sin(v));
    const g = (v: Tensor) => {
      const d = grad(inner)(v) as Tensor;
      return matmul(d, d);
    };
    const d = x.map((e) => Math.sin(e) + e * Math.cos(e));
    close(grad(g)(x), x.map((e, k) => 2 * d[k] * (2 * Math.cos(e) - e * Math.sin(e))), 1e-13);
  });

  it('compile, trace and sparseHessian take it too', () => {
    const f = (v: Tensor) => matmul(v, v);
    close(compile(f, x).valueAndGrad([1, 1, 1]).grad as Float64Array, [2, 2, 2]);
    close(trace(f, x, [1, 0, 0]).hvp as Float64Array, [2, 0, 0]);
    const H = sparseHessian(f, x);
    const dense = new Float64Array(9);
    H.values.forEach((value, k) => (dense[H.rows[k] * 3 + H.cols[k]] = value));
    close(dense, [2, 0, 0, 0, 2, 0, 0, 0, 2]);
  });

  it('a 0-d tensor point takes a number (or a scalar node) as its direction, as JAX a scalar tangent', () => {
    const cube = (v: Tensor) => v.pow(3).sum();
    const x0 = full([], 2);
    close(hvp(cube, x0, 1) as unknown as Float64Array, [12]);
    close(hvp(cube, x0, [1]) as unknown as Float64Array, [12]);
    close(jvp((v: Tensor) => v.pow(3), x0, 0.5).tangent as unknown as Float64Array, [6]);
    // Nested: the point a 0-d node of the enclosing call, the direction a number or a scalar node.
    // d/dp of hvp(v³, p, 1) = d/dp 6p = 6; with the direction p itself, d/dp 6p² = 12p.
    close(grad((p: Tensor) => (hvp(cube, p.sum([0]), 1) as Tensor).sum())([2]), [6]);
    close(grad((p: Tensor) => (hvp(cube, p.sum([0]), p.sum()) as Tensor).sum())([2]), [24]);
    expectError(() => hvp(cube, x0, [1, 2]), StructureError, 'a 0-d tensor');
  });

  it('leaves jvp of a 0-d result a 0-d result, and other tensors an OutputError', () => {
    const r = jvp((v: Tensor) => matmul(v, v), x, [1, 0, 0]);
    expect((r.value as Float64Array).length).toBe(1);
    close(r.tangent as Float64Array, [1]);
    expectError(() => grad((v: Tensor) => v.square())(x), OutputError, 'must return a scalar', 'shape [3]');
    expectError(() => grad((v: Tensor) => sum(v.reshape([3, 1]), [1]))(x), OutputError, 'shape [3]');
  });
});
