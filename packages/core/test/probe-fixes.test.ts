// Defects found by the adversarial probe of the day's features, each fixed in its own commit. Expected
// values are NumPy 2.4 output or closed forms, never our own.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, FiniteError, NodeConversionError, Scalar, SingularMatrixError, StaleNodeError, arange, compile, eye, full, grad, hessian, hvp, hvpOperator, linspace, ones, remainder,
  greater, matrixPower, reshape, scalar, tensor, valueAndGrad, vmap, where, zeros,
  type Tensor,
} from '../src/index.js';
import { expectError } from './expect-error.js';

const same = (got: ArrayLike<number>, want: readonly number[]) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => expect(Object.is(got[k], w), `element ${k}: got ${got[k]}, want ${w}`).toBe(true));
};

describe('arange gives NumPy’s numbers bit for bit', () => {
  it('element i ≥ 2 is start + i·((start + step) − start), as NumPy fills it', () => {
    // np.arange(-5, 5, 0.7): start + i·0.7 gives −3.6, −2.9000000000000004, …, 4.799999999999999.
    same(arange(-5, 5, 0.7).value, [
      -5.0, -4.3, -3.5999999999999996, -2.8999999999999995, -2.1999999999999993, -1.4999999999999991, -0.7999999999999989,
      -0.09999999999999876, 0.6000000000000014, 1.3000000000000016, 2.0000000000000018, 2.700000000000002, 3.400000000000002,
      4.100000000000001, 4.8000000000000025,
    ]);
    // np.arange(-0.0, 2): element 0 is start, −0 kept.
    same(arange(-0, 2).value, [-0, 1]);
    // np.arange(1e16, 1e16 + 20, 3): the step as 1e16 + 3 holds it is 4.
    same(arange(1e16, 1e16 + 20, 3).value, [
      1e16, 1.0000000000000004e16, 1.0000000000000008e16, 1.0000000000000012e16, 1.0000000000000016e16, 1.000000000000002e16,
      1.0000000000000024e16,
    ]);
  });
});

describe('remainder’s ∂/∂b is −q of the piece its value is on', () => {
  const partials = grad((p: { a: Scalar; b: Scalar }) => remainder(p.a, p.b));
  // NumPy: remainder(a, b) and floor_divide(a, b), with remainder = a − b·floor_divide.
  const cases: [number, number, number][] = [
    [1, 0.1, 9], [7, 0.1, 69], [2.5, 0.1, 24], [6, 0.1, 59], [-1, 0.1, -10], [5e-324, -2.5, -1], [1e-300, -1e308, -1],
  ];
  it.each(cases)('remainder(%s, %s): ∂r/∂b = −floor_divide = −%s', (a, b, q) => {
    const g = partials({ a, b });
    expect(g.a).toBe(1);
    expect(g.b).toBe(-q);
  });
});

describe('constructors refuse a result too large for a tensor under their own names', () => {
  // Each axis may be up to 2³¹, so a shape's product can exceed what new Float64Array takes: that was
  // a RangeError ('Invalid typed array length') from zeros, ones and full, and from linspace at num = 2³¹.
  it.each([
    ['zeros', () => zeros([2 ** 20, 2 ** 20])],
    ['ones', () => ones([2 ** 16, 2 ** 16])],
    ['full', () => full([2 ** 31, 2], 1)],
    ['linspace', () => linspace(0, 1, 2 ** 31)],
    ['eye', () => eye(2 ** 16, 2 ** 15 + 1)],
    ['arange', () => arange(0, 2 ** 31)],
  ])('%s', (name, call) => {
    const error = expectError(call, ArgumentError, 'more than the 2³¹ − 1 a tensor can hold');
    expect(error.message.startsWith(`${name}: `)).toBe(true);
  });
});

describe('a 0-d tensor output from a finished call is named by the transform', () => {
  // scalarValued read it with at, whose StaleNodeError said 'at: …', an op the user never called.
  // A 0-d tensor of a top-level call that has finished.
  let kept: Tensor | undefined;
  grad((x: Scalar) => {
    kept = reshape(x, []);
    return x;
  })(1);
  const stale = (): Tensor => kept!;
  it.each([
    ['grad', () => grad(() => stale())(1)],
    ['valueAndGrad', () => valueAndGrad(() => stale())(1)],
    ['hvp', () => hvp(() => stale(), 1, 1)],
    ['hessian', () => hessian(() => stale(), [1])],
    ['compile', () => compile(() => stale(), 1)],
  ])('%s', (name, call) => {
    expectError(call, StaleNodeError, `${name}: f returned a node from a finished transform call`);
  });
});

describe('checkFinite names the transform for a non-finite x or v', () => {
  // The message was 'v is NaN; checkFinite forbids non-finite inputs', naming no function.
  const cube = (x: Scalar) => x.mul(x).mul(x);
  it.each([
    ['grad', () => grad(cube, { checkFinite: true })(NaN), 'x is NaN'],
    ['hvp', () => hvp(cube, 2, NaN, { checkFinite: true }), 'v is NaN'],
    ['hvp', () => hvp((x: Tensor) => x.sum(), [1, Infinity], [1, 1], { checkFinite: true }), 'x[1] is Infinity'],
    ['hvp', () => hvp((x: Tensor) => x.mul(x).mul(x), tensor([2], []), NaN, { checkFinite: true }), 'v is NaN'],
    ['hvpOperator.apply', () => hvpOperator(cube, 2, { checkFinite: true }).apply(NaN), 'v is NaN'],
    ['hvpOperator.applyFlat', () => hvpOperator(cube, 2, { checkFinite: true }).applyFlat(Float64Array.of(NaN)), 'v[0] is NaN'],
  ])('%s', (name, call, what) => {
    expectError(call, FiniteError, `${name}: ${what}; checkFinite forbids non-finite inputs`);
  });
});

describe('hvpOperator.apply takes a node made outside any transform, as hvp takes it', () => {
  // hvp(f, x, tensor([1, 0])) was H·v, but the operator's apply refused the same v: 'v is a node, but
  // this operator was made at top level' — and so a 0-d point's scalar(1) direction.
  const cubes = (x: Tensor) => x.mul(x).mul(x).sum(); // H = diag(6x)
  it('a tensor node and a scalar node, as their numbers', () => {
    const op = hvpOperator(cubes, [1, 2]);
    same(op.apply(tensor([1, 0])), [6, 0]);
    same(op.apply(tensor([0, 1])), [0, 12]);
    const at2 = hvpOperator((x: Tensor) => x.mul(x).mul(x), tensor([2], [])); // f = x³, f″ = 12
    // At top level a node x gives numbers (the types say Tensor: see constructors.test).
    same(at2.apply(scalar(1)) as unknown as Float64Array, [12]);
    same(at2.apply(tensor([3], [])) as unknown as Float64Array, [36]);
  });
  it('a node of a finished call is a StaleNodeError naming apply', () => {
    let kept: Tensor | undefined;
    grad((x: Tensor) => {
      kept = x.mul(1);
      return x.sum();
    })([1, 0]);
    expectError(() => hvpOperator(cubes, [1, 2]).apply(kept!), StaleNodeError, 'hvpOperator.apply: v is a node of a finished transform call');
  });
});

describe('x.length of a node is a NodeConversionError', () => {
  // Tensor nodes iterate like arrays now, but x.length read undefined: a loop to x.length ran no
  // iteration, and the gradient of Σ xᵢ came out [0, 0] with no error (closed form: [1, 1]).
  it('in the loop a NumPy or array habit writes', () => {
    const loopSum = (x: Tensor) => {
      let s = scalar(0);
      for (let i = 0; i < (x as unknown as { length: number }).length; i++) s = s.add(x.at(i));
      return s;
    };
    expectError(() => grad(loopSum)([1, 2]), NodeConversionError, 'x.shape[0]');
    expectError(() => (scalar(2) as unknown as { length: number }).length, NodeConversionError, 'a scalar node has no length');
  });
  it('the masks, pytrees and iteration that read lengths are unaffected', () => {
    const iterSum = (x: Tensor) => {
      let s = tensor([0], []);
      for (const r of x) s = r.add(s);
      return s;
    };
    same(grad(iterSum)([1, 2]), [1, 1]);
    same(where(greater(tensor([1, -1]), 0), tensor([5, 6]), 0).value, [5, 0]);
    expectError(() => where(scalar(1) as never, tensor([1]), 0), ArgumentError, 'where');
  });
});

describe('matrixPower of a singular matrix to a negative power names matrixPower', () => {
  // The SingularMatrixError said 'inv: the 2×2 matrix is singular …', the op matrixPower is built on.
  it('at top level and inside grad', () => {
    expectError(() => matrixPower(tensor([[1, 2], [2, 4]]), -2), SingularMatrixError, 'matrixPower: a negative power needs A⁻¹', 'singular');
    expectError(() => grad((m: Tensor) => matrixPower(m.reshape([2, 2]), -1).sum())([1, 2, 2, 4]), SingularMatrixError, 'matrixPower:');
  });
});

describe('vmap with inAxes null for every argument says so', () => {
  // It said 'xs has no leaves', about data that has leaves ([1, 2]).
  it('one argument and several', () => {
    expectError(() => vmap((a: number[]) => a[0], { inAxes: [null] })([1, 2]), ArgumentError, 'vmap: inAxes is null for every argument');
    expectError(() => vmap((a: number[], b: number[]) => a[0] + b[0], { inAxes: [null, null] })([1, 2], [3]), ArgumentError, 'vmap: inAxes is null for every argument');
  });
});

describe('linspace where the step underflows to 0', () => {
  // np.linspace(0, 5e-324, 10): the step (5e-324/9) is 0, and NumPy computes (i/9)·5e-324 instead;
  // start + i·0 gave nine 0s, and only the last element (stop, set exactly) was 5e-324.
  it('gives NumPy’s numbers', () => {
    same(linspace(0, 5e-324, 10).value, [0, 0, 0, 0, 0, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324]);
    same(linspace(0, 2e-323, 7, { endpoint: false }).value, [0, 5e-324, 1e-323, 1.5e-323, 2e-323, 2.5e-323, 3e-323]);
  });
});
