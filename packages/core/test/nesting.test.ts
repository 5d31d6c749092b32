// Nested transforms. The classic perturbation-confusion trap, d/dx [x · (d/dy (x + y))(1)], is 1; an
// engine that lets the inner derivative see the outer perturbation answers 2. dualtape does not
// differentiate through nested transforms: it must either give the right number or throw
// NestedTransformError — never a confused number. Nesting at plain numbers (the inner result used as
// a constant) is legitimate and must work.
import { describe, expect, it } from 'vitest';
import {
  NestedTransformError, defineOp, D, concat, dot, grad, gradAndHvp, hessian, hvp, hvpOperator, jacobian, jvp, matmul,
  stack, tensor, valueAndGrad, vjp, where, ggnvp, type Node, type Scalar, type Tensor,
} from '../src/index.js';
import * as ops from '../src/ops/index.js';

type Outcome = { value: number } | { error: unknown };

function outcome(fn: () => number): Outcome {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
}

/** Right answer or NestedTransformError; never anything else (in particular not the confused one). */
function expectCorrectOrRefused(fn: () => number, correct: number, confused?: number): Outcome {
  const o = outcome(fn);
  if ('error' in o) {
    expect(o.error).toBeInstanceOf(NestedTransformError);
  } else {
    if (confused !== undefined) expect(o.value).not.toBeCloseTo(confused, 8);
    expect(o.value).toBeCloseTo(correct, 12);
  }
  return o;
}

const first = (a: number | Float64Array) => (typeof a === 'number' ? a : a[0]);

describe('perturbation confusion: d/dx [x · (d/dy (x + y))(1)] = 1', () => {
  // The inner function closes over the outer x. The inner derivative is 1 whatever x is, so the outer
  // derivative of x·1 is 1; confusing the two perturbations gives 2.
  const inner = (x: Scalar) => grad((y: Scalar) => x.add(y))(1);
  const innerSwapped = (x: Scalar) => grad((y: Scalar) => y.add(x))(1);

  it('grad outside, grad inside: 1 or NestedTransformError, never 2 — this engine refuses', () => {
    for (const x0 of [0, 3, -1.5]) {
      const o1 = expectCorrectOrRefused(() => grad((x: Scalar) => x.mul(inner(x)))(x0), 1, 2);
      const o2 = expectCorrectOrRefused(() => grad((x: Scalar) => x.mul(innerSwapped(x)))(x0), 1, 2);
      // What dualtape does: it throws rather than differentiate through the nesting.
      expect('error' in o1 && 'error' in o2).toBe(true);
    }
  });

  it('the refusal names the problem', () => {
    const o = outcome(() => grad((x: Scalar) => x.mul(inner(x)))(3));
    expect('error' in o && (o.error as Error).message).toMatch(/different transform calls|enclosing transform/);
  });

  it('every outer transform: valueAndGrad, gradAndHvp, hvp, hvpOperator, jvp, vjp, jacobian, hessian', () => {
    const f = (x: Scalar) => x.mul(inner(x));
    // f(x) = x, so f′ = 1, f″ = 0; the confused f = x·x would give 2x and 2.
    expectCorrectOrRefused(() => valueAndGrad(f)(3).grad, 1, 6);
    expectCorrectOrRefused(() => gradAndHvp(f, 3, 1).grad, 1, 6);
    expectCorrectOrRefused(() => gradAndHvp(f, 3, 1).hvp, 0, 2);
    expectCorrectOrRefused(() => hvp(f, 3, 1), 0, 2);
    expectCorrectOrRefused(() => hvpOperator(f, 3).apply(1), 0, 2);
    expectCorrectOrRefused(() => hessian(f, 3)[0], 0, 2);
    expectCorrectOrRefused(() => first(jvp(f, 3, 1).tangent), 1, 6);
    expectCorrectOrRefused(() => vjp(f, 3).pullback(1), 1, 6);
    expectCorrectOrRefused(() => jacobian(f, 3)[0], 1, 6);
  });

  it('hvp and jvp as the inner transform', () => {
    // Inner hvp: d²/dy² (x·y²) = 2x, so the outer function is x·2x and its derivative 4x.
    for (const x0 of [0.5, 2]) {
      expectCorrectOrRefused(() => grad((x: Scalar) => x.mul(hvp((y: Scalar) => x.mul(y.square()), 1, 1)))(x0), 4 * x0);
      // Inner jvp: d/dy (x + y) = 1 again.
      expectCorrectOrRefused(() => grad((x: Scalar) => x.mul(first(jvp((y: Scalar) => x.add(y), 1, 1).tangent)))(x0), 1, 2);
      // Inner vjp and gradAndHvp.
      expectCorrectOrRefused(() => grad((x: Scalar) => x.mul(vjp((y: Scalar) => y.add(x), 1).pullback(1)))(x0), 1, 2);
      expectCorrectOrRefused(() => grad((x: Scalar) => x.mul(gradAndHvp((y: Scalar) => x.add(y), 1, 1).grad))(x0), 1, 2);
    }
  });

  it('hvp and jvp outside, grad inside', () => {
    const f = (x: Scalar) => x.mul(innerSwapped(x));
    expectCorrectOrRefused(() => hvp(f, 2, 1), 0, 2);
    expectCorrectOrRefused(() => first(jvp(f, 2, 1).tangent), 1, 4);
  });

  it('the tensor version: ∇ₓ [xᵀ · ∇_y (x·y)(1)] with an outer tensor x', () => {
    // ∇_y Σ xᵢyᵢ = x as a constant would be c, and Σ xᵢcᵢ has gradient c = x (evaluated). Confused: 2x.
    const x0 = [0.5, -1, 2];
    const o = outcome(() => {
      const g = grad((x: Tensor) => x.mul(tensor(grad((y: Tensor) => y.mul(x).sum())(new Float64Array(3)))).sum())(x0);
      return g[0];
    });
    if ('error' in o) expect(o.error).toBeInstanceOf(NestedTransformError);
    else expect(o.value).toBeCloseTo(x0[0], 12);
  });

  it('an inner function that returns an outer node, or receives one as x', () => {
    // d/dx [x · (d/dy x)] = d/dx [x · 0] = 0.
    expectCorrectOrRefused(() => grad((x: Scalar) => x.mul(grad(() => x)(1)))(3), 0);
    // d/dx [(d/dq q²)(x)] = d/dx 2x = 2 (differentiating through the inner transform).
    expectCorrectOrRefused(() => grad((x: Scalar) => grad((q: Scalar) => q.square())(x as never) as unknown as Scalar)(3), 2);
    // d/dx [x · (d²/dq² q²)(x)] = d/dx 2x = 2, with the outer node hidden inside a pytree.
    expectCorrectOrRefused(() => grad((x: Tensor) => {
      const h = hvp((p: { q: Tensor }) => p.q.square().sum(), { q: x as unknown as number[] }, { q: [1] });
      return x.sum().mul(h.q[0]);
    })([3])[0], 2);
  });

  it('three levels deep, mixing the outermost node into the innermost function', () => {
    // d/dx [x · d/dy [y · d/dz (z + x)(1)](1)] = d/dx [x · 1] = 1.
    expectCorrectOrRefused(
      () => grad((x: Scalar) => x.mul(grad((y: Scalar) => y.mul(grad((z: Scalar) => z.add(x))(1)))(1)))(2),
      1,
    );
  });
});

describe('every op refuses operands of two different live calls', () => {
  const cube2 = defineOp({
    name: 'productForNesting',
    primal: (a, b) => a * b,
    tangent: ([a, b], [aDot, bDot]) => aDot * b + a * bDot,
    backward: ([a, b], _y, yBar) => [D.mul(yBar, b), D.mul(yBar, a)],
  });

  type Mix = (outer: Tensor, inner: Tensor) => Node;
  const sc = (t: Tensor) => t.at(0);
  const mixes: Record<string, Mix> = {
    'add scalar·scalar': (o, i) => ops.add(sc(o), sc(i)),
    'add scalar·scalar (inner first)': (o, i) => ops.add(sc(i), sc(o)),
    'sub tensor·tensor': (o, i) => ops.sub(o, i),
    'mul tensor·scalar': (o, i) => ops.mul(o, sc(i)),
    'mul scalar·tensor': (o, i) => ops.mul(sc(o), i),
    'div': (o, i) => ops.div(sc(i), sc(o)),
    'pow': (o, i) => ops.pow(sc(i), sc(o)),
    'maximum': (o, i) => ops.maximum(o, i),
    'minimum': (o, i) => ops.minimum(sc(o), sc(i)),
    'matmul': (o, i) => matmul(o.reshape([1, 2]), i.reshape([2, 1])),
    'dot': (o, i) => dot(i, o),
    'concat': (o, i) => concat([i, o]),
    'stack tensors': (o, i) => stack([i, o]),
    'stack scalars': (o, i) => stack([sc(i), sc(o)]),
    'where': (o, i) => where([1, 0], i, o),
    'where (number other)': (o, i) => where([1, 0], o, 0).add(i),
    'defineOp': (o, i) => cube2(sc(o), sc(i)),
  };
  const total = (n: Node): Scalar => (n.kind === 'scalar' ? n : n.sum());

  for (const [name, mix] of Object.entries(mixes)) {
    it(name, () => {
      const o = outcome(() => grad((x: Tensor) => {
        const inner = grad((y: Tensor) => total(mix(x, y)))(Float64Array.of(0.5, 1.5));
        return x.mul(tensor(inner)).sum();
      })([0.7, 1.1])[0]);
      expect('error' in o).toBe(true);
      expect((o as { error: unknown }).error).toBeInstanceOf(NestedTransformError);
    });
  }
});

describe('legitimate nesting: inner transforms at plain numbers', () => {
  it('grad(x => x · grad(y => y²)(3))(2) = 6', () => {
    expect(grad((x: Scalar) => x.mul(grad((y: Scalar) => y.square())(3)))(2)).toBe(6);
  });

  it('inner hvp, jvp, hessian and vjp at constants, used as numbers by the outer function', () => {
    // hvp of y³ at 2 along 1 is 6·2 = 12: d/dx (12x) = 12.
    expect(grad((x: Scalar) => x.mul(hvp((y: Scalar) => y.pow(3), 2, 1)))(5)).toBeCloseTo(12, 13);
    // jvp of eʸ at 0 along 2 is 2: d/dx (x² · 2) = 4x.
    expect(grad((x: Scalar) => x.square().mul(jvp((y: Scalar) => y.exp(), 0, 2).tangent as number))(1.5)).toBeCloseTo(6, 13);
    // The Hessian of y₀y₁ is [[0,1],[1,0]]; its first row [0, 1] as constants c: ∇ₓ Σ cᵢxᵢ = [0, 1].
    const g = grad((x: Tensor) => x.mul(tensor(hessian((y: Tensor) => y.at(0).mul(y.at(1)), [1, 2]).slice(0, 2))).sum())([4, 5]);
    expect(Array.from(g)).toEqual([0, 1]);
    expect(grad((x: Scalar) => x.mul(vjp((y: Scalar) => y.sin(), 0).pullback(2)))(7)).toBeCloseTo(2, 14);
  });

  it('three levels of legitimate nesting', () => {
    // d/dz z² at 2 is 4; d/dy (4y) at 1 is 4; d/dx (4x) is 4.
    expect(grad((x: Scalar) => x.mul(grad((y: Scalar) => y.mul(grad((z: Scalar) => z.square())(2)))(1)))(3)).toBe(4);
  });

  it('constants made after an inner call go on the outer tape', () => {
    // tensor() inside f uses the innermost live call: once the inner call returns, that is the outer one.
    const g = grad((x: Tensor) => {
      const c = grad((y: Tensor) => y.mul(tensor([1, 1])).square().sum())([1, 2]); // [2, 4]
      return x.mul(tensor([2, 3])).sum().add(x.mul(tensor(c)).sum());
    })([1, 1]);
    expect(Array.from(g)).toEqual([4, 7]);
  });

  it('an inner gradAndHvp inside a loss evaluated by an outer hvp', () => {
    // f(x) = ½ c‖x‖² with c = d²/dy² (y⁴/12) at y = 1, which is 1: H·v = c·v.
    const c = hvp((y: Scalar) => y.pow(4).div(12), 1, 1);
    expect(c).toBeCloseTo(1, 14);
    const Hv = hvp((x: Tensor) => x.square().sum().mul(0.5 * (hvp((y: Scalar) => y.pow(4).div(12), 1, 1) as number)), [1, 2], [3, -1]);
    expect(Array.from(Hv).map((h) => Math.round(h * 1e12) / 1e12)).toEqual([3, -1]);
  });

  it('reading .value inside f turns a node into a constant (no derivative flows through it)', () => {
    // d/dx [x · c] with c = x.value frozen: the derivative is c, not 2x. A stop-gradient by design.
    expect(grad((x: Scalar) => x.mul(grad((y: Scalar) => y.mul(x.value))(1)))(3)).toBe(3);
  });

  it('ggnvp nests its own loss transform without confusing it with the model', () => {
    // model r = 2x (elementwise), loss ½Σr²: G = JᵀJ = 4I.
    const Gv = ggnvp((x: Tensor) => x.mul(2), (r) => r.square().sum().mul(0.5), [1, -2], [0.5, 1]);
    expect(Array.from(Gv)).toEqual([2, 4]);
  });
});
