// Nested transforms: every transform called inside the function of another records its sweeps on the
// enclosing tape and returns nodes of it, so the enclosing transform differentiates through it.
// Checked against closed forms, hand-derived formulas, finite differences of the order below, and the
// independent hyper-dual oracle on random programs; plus the perturbation-confusion family.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  NestedTransformError, Scalar, StaleNodeError, Tensor, compile, defineOp, dot, ggnvp, grad, gradAndHvp, hessian, hvp,
  hvpMany, hvpOperator, jacobian, jvp, scalar, sin, tanh, tensor, trace, formatTrace, valueAndGrad, vjp, type Pytree,
} from '../src/index.js';
import { checkGrads, seededUniform } from '../src/testing/index.js';
import { caseArb, compareNestedWithOracle } from './oracle/expressions.js';

type Fn = (x: never) => Scalar;
/** d/dx applied k times to f, by nested grads; evaluated at top level it returns a number. */
const nthDerivative = (f: (x: Scalar) => Scalar, k: number): Fn => {
  let g = f as unknown as Fn;
  for (let j = 0; j < k; j++) {
    const inner = g;
    g = ((x: Scalar) => grad(inner)(x) as unknown as Scalar) as unknown as Fn;
  }
  return g;
};
const at = (f: Fn, x: number) => valueAndGrad(f)(x).value as number;
const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
const closeVec = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) => {
  expect(a.length).toBe(b.length);
  const scale = Math.max(1, ...Array.from(b, Math.abs));
  for (let k = 0; k < b.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThanOrEqual(tol * scale);
};

describe('higher derivatives by nesting: closed forms', () => {
  it('the sixth derivative of 1/x at 4 is 720/4⁷ (six nested grads), and every order below it', () => {
    const recip = (x: Scalar) => x.pow(-1);
    for (let k = 1; k <= 6; k++) {
      // dᵏ/dxᵏ x⁻¹ = (−1)ᵏ k! x^(−k−1)
      let fact = 1;
      for (let j = 2; j <= k; j++) fact *= j;
      close(grad(nthDerivative(recip, k - 1))(4) as number, (-1) ** k * fact * 4 ** (-k - 1));
    }
    close(grad(nthDerivative(recip, 5))(4) as number, 720 / 4 ** 7);
  });

  it('third and fourth derivatives of x³, sin x, e^(2x), tanh x at several points', () => {
    for (const x of [-1.3, 0, 0.4, 2.2]) {
      close(at(nthDerivative((t) => t.pow(3), 3), x), 6);
      close(at(nthDerivative((t) => t.pow(3), 4), x), 0);
      close(at(nthDerivative((t) => t.sin(), 3), x), -Math.cos(x));
      close(at(nthDerivative((t) => t.sin(), 4), x), Math.sin(x));
      close(at(nthDerivative((t) => t.mul(2).exp(), 4), x), 16 * Math.exp(2 * x));
      const th = Math.tanh(x), s = 1 - th * th;
      // tanh‴ = −2 sech²x (1 − 3 tanh²x)
      close(at(nthDerivative((t) => t.tanh(), 3), x), -2 * s * (1 - 3 * th * th));
    }
  });

  it('hvp and jvp as the outer transform of nested derivatives: f‴ and f⁗ of x⁵', () => {
    const d2 = (x: Scalar) => grad(grad((t: Scalar) => t.pow(5)) as never)(x) as unknown as Scalar; // 20x³
    close(hvp(d2, 1.5, 1) as number, 120 * 1.5); // d²/dx² 20x³ = 120x
    close(jvp(d2, 1.5, 2).tangent as number, 2 * 60 * 1.5 ** 2);
    const { value, grad: g, hvp: h } = gradAndHvp(d2, 1.5, 1);
    close(value as number, 20 * 1.5 ** 3);
    close(g as number, 60 * 1.5 ** 2);
    close(h as number, 120 * 1.5);
  });

  it('mixed partials through closures: ∂²(x²y³)/∂x∂y = 6xy², ∂³/∂x²∂y = 6y²', () => {
    const f = (x: Scalar, y: Scalar) => x.square().mul(y.pow(3));
    const dfdy = (x: Scalar, y0: number) => grad((y: Scalar) => f(x, y))(y0) as unknown as Scalar;
    close(grad((x: Scalar) => dfdy(x, 1.5))(2) as number, 6 * 2 * 1.5 ** 2);
    close(grad((x: Scalar) => grad((xi: Scalar) => dfdy(xi, 1.5))(x) as unknown as Scalar)(2) as number, 6 * 1.5 ** 2);
    // The inner variable is given the outer node as its point: ∂/∂x [∂f/∂y (x, x)] = 6x·x² + 3x²·2x = 12x³.
    close(grad((x: Scalar) => grad((y: Scalar) => f(x, y))(x) as unknown as Scalar)(2) as number, 12 * 8);
  });
});

describe('no perturbation confusion', () => {
  // ForwardDiff.jl's test: d/dx [x · (d/dy (x + y))(1)] = 1; a confused engine answers 2.
  it('grad inside grad, both orders of the operands', () => {
    for (const x0 of [0, 1, 3, -1.5]) {
      close(grad((x: Scalar) => x.mul(grad((y: Scalar) => x.add(y))(1) as unknown as Scalar))(x0) as number, 1);
      close(grad((x: Scalar) => x.mul(grad((y: Scalar) => y.add(x))(1) as unknown as Scalar))(x0) as number, 1);
    }
  });

  it('the jvp/grad mixtures: jvp in grad, grad in jvp, jvp in jvp, hvp in grad', () => {
    const innerJvp = (x: Scalar) => jvp((y: Scalar) => x.add(y), 1, 1).tangent as unknown as Scalar;
    const innerGrad = (x: Scalar) => grad((y: Scalar) => x.add(y))(1) as unknown as Scalar;
    close(grad((x: Scalar) => x.mul(innerJvp(x)))(1) as number, 1);
    close(jvp((x: Scalar) => x.mul(innerGrad(x)), 1, 1).tangent as number, 1);
    close(jvp((x: Scalar) => x.mul(innerJvp(x)), 1, 1).tangent as number, 1);
    // d/dx [x · d²/dy² (x·y²)] = d/dx [2x²] = 4x.
    close(grad((x: Scalar) => x.mul(hvp((y: Scalar) => x.mul(y.square()), 1, 1) as unknown as Scalar))(3) as number, 12);
  });

  it('d/dx [x · d/dy (x·y)(3)] at 5 is 2x = 10 (the inner derivative depends on the outer variable)', () => {
    close(grad((x: Scalar) => x.mul(grad((y: Scalar) => x.mul(y))(3) as unknown as Scalar))(5) as number, 10);
  });

  it('tensors: ∇ₓ [xᵀ · ∇_y (x·y)(1)] = 2x, with the inner point given as numbers or as the outer node', () => {
    const x0 = [0.5, -1, 2];
    const f = (x: Tensor) => dot(x, grad((y: Tensor) => dot(x, y))([1, 1, 1]) as unknown as Tensor);
    closeVec(grad(f)(x0) as Float64Array, x0.map((v) => 2 * v));
    // y at x itself: ∇_y (x·y) = x regardless of y, so again 2x.
    const g = (x: Tensor) => dot(x, grad((y: Tensor) => dot(x, y))(x) as unknown as Tensor);
    closeVec(grad(g)(x0) as Float64Array, x0.map((v) => 2 * v));
  });

  it('an inner transform whose function returns an enclosing node: its derivative is 0 there', () => {
    // d/dy of a constant (x) is 0, so the outer function is x·0 = 0.
    const f = (x: Scalar) => x.mul(grad(() => x)(2) as unknown as Scalar);
    expect(valueAndGrad(f)(3)).toEqual({ value: 0, grad: 0 });
  });
});

describe('losses that contain derivatives', () => {
  // f(w) = Σ exp(wᵢ) + ½ wᵀAw: ∇f = e^w + Aw, H_f = diag(e^w) + A, ∂³f only on the diagonal (e^wᵢ).
  const A = [[2, 0.5, -0.3], [0.5, 1, 0.2], [-0.3, 0.2, 1.5]];
  const f = (w: Tensor) => w.exp().sum().add(dot(w, tensor(A.flat(), [3, 3]).matmul(w)).mul(0.5));
  const matVec = (M: number[][], v: ArrayLike<number>) => M.map((row) => row.reduce((s, a, j) => s + a * v[j], 0));
  const w0 = [0.3, -0.4, 0.1];
  const v0 = [1, -2, 0.5];

  it('gradient penalty L = f + λ‖∇f‖²: value, ∇L and H_L·v against the hand-derived forms', () => {
    const lambda = 0.7;
    const L = (w: Tensor) => {
      const g = grad(f)(w) as unknown as Tensor;
      return f(w).add(g.square().sum().mul(lambda));
    };
    const ew = w0.map(Math.exp);
    const g = matVec(A, w0).map((a, i) => a + ew[i]);
    const Hf = (v: ArrayLike<number>) => matVec(A, v).map((a, i) => a + ew[i] * v[i]);
    // ∇L = ∇f + 2λ H_f ∇f;  H_L v = H_f v + 2λ (H_f H_f v + diag(e^w ⊙ ∇f) v)
    const gradL = Hf(g).map((h, i) => g[i] + 2 * lambda * h);
    const HLv = Hf(v0).map((h, i) => h + 2 * lambda * (Hf(Hf(v0))[i] + ew[i] * g[i] * v0[i]));
    const r = gradAndHvp(L, w0, v0);
    const fw = ew.reduce((s, e) => s + e, 0) + 0.5 * w0.reduce((s, wi, i) => s + wi * matVec(A, w0)[i], 0);
    close(r.value as number, fw + lambda * g.reduce((s, gi) => s + gi * gi, 0));
    closeVec(r.grad as Float64Array, gradL);
    closeVec(r.hvp as Float64Array, HLv);
  });

  it('the Hessian of a function that calls hvp inside (fourth derivatives): vᵀH(x)v for Σ xᵢ⁴/12 has Hessian diag(2v²)', () => {
    const q = (x: Tensor) => x.pow(4).sum().div(12); // H = diag(x²)
    const v = [1, -2, 0.5];
    const g = (x: Tensor) => dot(hvp(q, x, v) as unknown as Tensor, tensor(v)); // Σ vᵢ² xᵢ²
    const H = hessian(g, [0.3, 1.1, -0.7]);
    closeVec(H, [2, 0, 0, 0, 8, 0, 0, 0, 0.5]);
  });

  it('a gradient through an inner gradAndHvp step: L(x) = f(x − η(∇f(x) + H(x)u)) for a quadratic f', () => {
    // f = ½xᵀAx, so x′ = x − η(Ax + Au) and ∇L = (I − ηA)ᵀ A x′.
    const quad = (x: Tensor) => dot(x, tensor(A.flat(), [3, 3]).matmul(x)).mul(0.5);
    const eta = 0.1, u = [0.2, -0.1, 0.4];
    const L = (x: Tensor) => {
      const r = gradAndHvp(quad, x, u);
      return quad(x.sub((r.grad as unknown as Tensor).add(r.hvp as unknown as Tensor).mul(eta)));
    };
    const Ax = matVec(A, w0), Au = matVec(A, u);
    const xp = w0.map((xi, i) => xi - eta * (Ax[i] + Au[i]));
    const Axp = matVec(A, xp);
    const expected = Axp.map((a, i) => a - eta * matVec(A, Axp)[i]);
    closeVec(grad(L)(w0) as Float64Array, expected);
    // The same by hessian of L: (I − ηA) A (I − ηA), symmetric.
    const H = hessian(L, w0);
    const I = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    const M = I.map((row, i) => row.map((d, j) => d - eta * A[i][j]));
    const MAM = M.map((_, i) => M.map((__, j) => M[i].reduce((s, mik, k) => s + mik * matVec(A, M.map((r) => r[j]))[k], 0)));
    closeVec(H, MAM.flat());
  });

  it('nested tensors: an inner grad over the input of a matmul/tanh network inside an outer gradAndHvp over its weights', () => {
    // u(x; W) = Σ tanh(x·W) for a batch x; the loss holds ∂u/∂x, the outer transform differentiates in W.
    const X = [0.3, -0.5, 1.2, 0.7, -0.1, 0.4];
    const loss = (W: Tensor) => {
      const du = grad((x: Tensor) => x.reshape([3, 2]).matmul(W.reshape([2, 2])).tanh().sum())(X) as unknown as Tensor;
      return du.square().sum().add(W.square().sum().mul(0.01));
    };
    for (const seed of [1, 2]) {
      const checks = checkGrads(loss, [0.4, -0.3, 0.8, 0.2], { order: 3, seed, directions: 2 });
      expect(checks.every((c) => c.passed)).toBe(true);
    }
  });
});

describe('every transform nests, inside every outer transform, exactly', () => {
  // g(x) is built from an inner transform of h at x (or closing over x); checkGrads differentiates g
  // with valueAndGrad, gradAndHvp and jvp at top level and compares with finite differences.
  const h = (x: Tensor) => x.sin().mul(x.square()).sum().add(x.at(0).mul(x.at(1)).exp());
  const model = (x: Tensor) => x.tanh().mul(tensor([1, 2, -1])).add(x.at(2));
  const inner: Record<string, (x: Tensor) => Scalar> = {
    grad: (x) => (grad(h)(x) as unknown as Tensor).square().sum(),
    valueAndGrad: (x) => {
      const r = valueAndGrad(h)(x);
      return (r.value as unknown as Scalar).mul((r.grad as unknown as Tensor).sum());
    },
    gradAndHvp: (x) => {
      const r = gradAndHvp(h, x, [1, 0.5, -1]);
      return (r.hvp as unknown as Tensor).mul(r.grad as unknown as Tensor).sum().add(r.value as unknown as Scalar);
    },
    hvp: (x) => (hvp(h, x, x) as unknown as Tensor).sum(),
    'hvpOperator.apply': (x) => {
      const op = hvpOperator(h, x);
      return (op.apply([1, 2, 3]) as unknown as Tensor).mul(op.apply(x) as unknown as Tensor).sum().add(op.value as unknown as Scalar);
    },
    'hvpOperator.applyFlat': (x) => (hvpOperator(h, x).applyFlat(Float64Array.of(0.5, -1, 2)) as unknown as Tensor).square().sum(),
    hvpMany: (x) => (hvpMany(h, x, Float64Array.of(1, 0, 0, 0, 1, 1)) as unknown as Tensor).sin().sum(),
    hessian: (x) => (hessian(h, x) as unknown as Tensor).mul(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9])).sum(),
    jvp: (x) => (jvp(model, x, [0.3, -1, 2]).tangent as unknown as Tensor).square().sum(),
    'vjp pullback': (x) => {
      const { value, pullback } = vjp(model, x);
      return (pullback(value as never) as unknown as Tensor).sum();
    },
    jacobian: (x) => (jacobian(model, x) as unknown as Tensor).square().sum(),
    ggnvp: (x) => (ggnvp(model, (z) => z.square().sum(), x, [1, -1, 0.5]) as unknown as Tensor).sum(),
    'grad closing over x': (x) => (grad((y: Tensor) => y.mul(x).sin().sum())([0.1, 0.2, 0.3]) as unknown as Tensor).sum(),
  };
  for (const [name, g] of Object.entries(inner)) {
    it(`${name} inside valueAndGrad, gradAndHvp and jvp (checkGrads order 2), and once more nested (order 3)`, () => {
      const x = [0.4, -0.7, 0.9];
      expect(checkGrads(g, x, { order: 2, seed: 3 }).every((c) => c.passed)).toBe(true);
      expect(checkGrads(g, x, { order: 3, seed: 4, directions: 1, fdTolerance: 1e-5 }).every((c) => c.passed)).toBe(true);
    });
  }

  it('at top level, results stay numbers and Float64Arrays; nested, they are nodes of the enclosing transform', () => {
    expect(typeof grad((x: Scalar) => x.square())(2)).toBe('number');
    expect(grad((x: Tensor) => x.square().sum())([1, 2])).toBeInstanceOf(Float64Array);
    expect(hessian((x: Tensor) => x.square().sum(), [1, 2])).toBeInstanceOf(Float64Array);
    const seen: unknown[] = [];
    grad((x: Tensor) => {
      seen.push(grad((y: Tensor) => y.square().sum())(x));
      seen.push(grad((s: Scalar) => s.square())(2));
      seen.push(hessian((y: Tensor) => y.square().sum(), x));
      seen.push(valueAndGrad((y: Tensor) => y.square().sum())(x).value);
      return x.sum();
    })([1, 2]);
    expect(seen[0]).toBeInstanceOf(Tensor);
    expect(seen[1]).toBeInstanceOf(Scalar); // plain x, but called inside f: a (constant) node of the enclosing call
    expect(seen[2]).toBeInstanceOf(Tensor);
    expect((seen[2] as Tensor).shape).toEqual([4]);
    expect(seen[3]).toBeInstanceOf(Scalar);
  });

  it('pytrees of nodes as x and v of a nested transform, results in the same structure', () => {
    const f = (p: { a: Scalar; b: Tensor }) => p.a.mul(p.b.square().sum());
    const outer = (q: { a: Scalar; b: Tensor }) => {
      const r = gradAndHvp(f, q, { a: q.a, b: [1, 0] });
      const g = r.grad as unknown as { a: Scalar; b: Tensor };
      expect(g.a).toBeInstanceOf(Scalar);
      expect(g.b).toBeInstanceOf(Tensor);
      return g.a.add(g.b.sum()).add((r.hvp as unknown as { a: Scalar }).a);
    };
    expect(checkGrads(outer, { a: 0.7, b: [0.2, -1.1] }, { order: 2 }).every((c) => c.passed)).toBe(true);
  });
});

describe('nested results against the hyper-dual oracle on random programs', () => {
  it('jvp(grad f), grad(jvp f) and jacobian(grad f) equal the oracle\'s H·v and H to 1e-12 (300 DAGs)', () => {
    const stats = { compared: 0 };
    fc.assert(
      fc.property(caseArb(14), ({ expr, x, v }) => {
        if (compareNestedWithOracle(expr, x, v).skipped === null) stats.compared++;
      }),
      { numRuns: 300, seed: 0x5eed_16 },
    );
    expect(stats.compared).toBeGreaterThanOrEqual(270);
  });
});

describe('properties of nested derivatives', () => {
  const f = (x: Tensor) => x.tanh().mul(x.sin()).sum().add(x.at(0).mul(x.at(1)).mul(x.at(2)).square());
  const third = (x: number[], u: number[], v: number[], w: number[]) =>
    (grad((xn: Tensor) => dot(hvp(f, xn, v) as unknown as Tensor, tensor(u)))(x) as Float64Array).reduce((s, t, k) => s + t * w[k], 0);
  const vec = fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 3, maxLength: 3 });

  it('∇³f[u, v, w] is symmetric in its three directions', () => {
    fc.assert(fc.property(vec, vec, vec, vec, (x, u, v, w) => {
      const t = third(x, u, v, w);
      for (const [a, b, c] of [[v, u, w], [w, v, u], [u, w, v]]) close(third(x, a, b, c), t, 1e-9);
    }), { numRuns: 40, seed: 16 });
  });

  it('∇³f[u, v, w] is linear in w and in v', () => {
    fc.assert(fc.property(vec, vec, vec, vec, fc.double({ min: -2, max: 2, noNaN: true }), (x, u, v, w, a) => {
      close(third(x, u, v, w.map((wi, k) => a * wi + v[k])), a * third(x, u, v, w) + third(x, u, v, v), 1e-9);
      close(third(x, u, v.map((vi, k) => a * vi + w[k]), u), a * third(x, u, v, u) + third(x, u, w, u), 1e-9);
    }), { numRuns: 40, seed: 17 });
  });

  it('checkGrads at order 5 on random points: every nested order against finite differences of the order below', () => {
    const random = seededUniform(5);
    for (let trial = 0; trial < 3; trial++) {
      const x = Array.from({ length: 3 }, () => 2 * random() - 1);
      expect(checkGrads(f, x, { order: 5, seed: trial + 1, directions: 1, fdTolerance: 1e-4 }).every((c) => c.passed)).toBe(true);
    }
  });
});

describe('user ops nest when written with partials', () => {
  const cube = defineOp({ name: 'cube', primal: (x) => x * x * x, partials: (o, [x]) => [o.mul(3, o.mul(x, x))] });
  const logcosh = defineOp({
    name: 'logcosh',
    primal: (x) => Math.abs(x) + Math.log1p(Math.exp(-2 * Math.abs(x))) - Math.LN2,
    partials: (o, [x]) => [o.map(tanh, x)],
  });

  it('third and fourth derivatives of a partials-form op: cube‴ = 6, logcosh‴ = −2 tanh x sech²x', () => {
    close(at(nthDerivative((x) => cube(x), 3), 1.7), 6);
    for (const x of [-0.8, 0.3, 1.9]) {
      const th = Math.tanh(x);
      close(at(nthDerivative((t) => logcosh(t), 3), x), -2 * th * (1 - th * th));
    }
  });

  it('on tensors, nested, against finite differences (order 3)', () => {
    const g = (x: Tensor) => logcosh(x).mul(cube(x.sin())).sum();
    expect(checkGrads(g, [0.2, -0.9, 1.4], { order: 3, directions: 2 }).every((c) => c.passed)).toBe(true);
  });

  it('an op with number rules (tangent/backward on D) works at top level and refuses nesting with a typed error that says what to do', () => {
    const old = defineOp({
      name: 'oldCube',
      primal: (x) => x * x * x,
      tangent: ([x], [xDot]) => 3 * x * x * xDot,
      backward: ([x], _y, yBar) => [{ value: yBar.value * 3 * x.value ** 2, tangent: yBar.tangent * 3 * x.value ** 2 + yBar.value * 6 * x.value * x.tangent }],
    });
    close(hvp((x: Scalar) => old(x), 2, 1) as number, 12);
    let caught: unknown;
    try {
      grad((x: Scalar) => grad((y: Scalar) => old(y))(x) as unknown as Scalar)(2);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NestedTransformError);
    expect((caught as Error).message).toMatch(/partials/);
  });
});

describe('misuse still gets a typed error', () => {
  it('a node of a finished transform, used in a later one: StaleNodeError', () => {
    let saved: Scalar | null = null;
    grad((x: Scalar) => {
      saved = x;
      return x.square();
    })(1);
    expect(() => grad((x: Scalar) => x.mul(saved!))(2)).toThrow(StaleNodeError);
    expect(() => grad((x: Scalar) => grad((y: Scalar) => y.mul(saved!))(x) as unknown as Scalar)(2)).toThrow(StaleNodeError);
  });

  it('a top-level hvpOperator applied to nodes inside another transform: NestedTransformError saying to build it inside', () => {
    const op = hvpOperator((x: Tensor) => x.pow(3).sum(), [1, 2]);
    let caught: unknown;
    try {
      grad((v: Tensor) => (op.apply(v as never) as unknown as Tensor).sum())([1, 1]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NestedTransformError);
    expect((caught as Error).message).toMatch(/inside the enclosing function/);
  });

  it('a compiled program given nodes inside another transform: NestedTransformError naming the argument, not a hint to read .value', () => {
    // A program replays numbers and records nothing, so reading the node's .value (what the old
    // message advised) would give a derivative of 0 without a word.
    const program = compile((x: Tensor) => x.pow(3).sum(), [1, 2]);
    const op = program.hvpOperator([1, 2]);
    const ofTree = compile((p: { a: Tensor }) => p.a.sum(), { a: [1, 2] });
    const calls: [string, (x: Tensor) => unknown][] = [
      ['x', (x) => program.valueAndGrad(x as never)],
      ['x', (x) => program.gradAndHvp(x as never, [1, 0])],
      ['v', (x) => program.hvp([1, 2], x as never)],
      ['x', (x) => program.hvpMany(x as never, Float64Array.of(1, 0))],
      ['x', (x) => program.hessian(x as never)],
      ['x', (x) => program.hvpOperator(x as never)],
      ['x', (x) => program.valueAndGradFlat(x as never)],
      ['v', (x) => op.apply(x as never)],
      ['x.a', (x) => ofTree.valueAndGrad({ a: x } as never)],
    ];
    for (const [path, call] of calls) {
      let caught: unknown;
      try {
        grad((x: Tensor) => (call(x), x.sum()))([1, 2]);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(NestedTransformError);
      expect((caught as Error).message).toMatch(new RegExp(`^compile: ${path.replace('.', '\\.')} is a node of the transform that is recording.*call the transforms`));
    }
    // At top level an eager node is refused as such, and its numbers are what the program takes.
    expect(() => program.valueAndGrad(tensor([1, 2]) as never)).toThrow(/^compile: x is a node; a program takes numbers/);
  });

  it('a nested hvpOperator applied after its enclosing transform finished: StaleNodeError', () => {
    let kept: ReturnType<typeof hvpOperator> | null = null;
    grad((x: Tensor) => {
      kept = hvpOperator((y: Tensor) => y.pow(3).sum(), x);
      return x.sum();
    })([1, 2]);
    expect(() => kept!.apply([1, 0])).toThrow(StaleNodeError);
  });
});

describe('trace shows nested transforms as rows of the outer tape', () => {
  it('labels the inner function, tangent sweep and reverse sweep with the inner transform', () => {
    const t = trace((x: Scalar) => x.mul(grad((y: Scalar) => y.mul(x).sin())(x) as unknown as Scalar), 0.5, 1);
    const frames = new Set(t.rows.map((r) => r.frame).filter((f): f is string => f !== undefined));
    const labels = [...frames];
    expect(labels.some((l) => /^grad #\d+ · f$/.test(l))).toBe(true);
    expect(labels.some((l) => /^grad #\d+ · reverse sweep$/.test(l))).toBe(true);
    // f(x) = x·cos(x²)·x = x²cos(x²), f′ = 2x cos x² − 2x³ sin x²
    close(t.grad as number, 2 * 0.5 * Math.cos(0.25) - 2 * 0.125 * Math.sin(0.25));
    // Rows of f's own ops carry no frame; formatTrace prints the label in the note column.
    expect(t.rows[0].frame).toBeUndefined();
    expect(formatTrace(t)).toMatch(/by grad #\d+ · reverse sweep/);
  });
});

describe('sanity of the ops used by rules when nested', () => {
  it('scalar() and tensor() made inside a nested function go on the one tape', () => {
    const f = (x: Scalar) => grad((y: Scalar) => y.mul(scalar(3)).add(tensor([1, 2]).sum().mul(y.square())))(x) as unknown as Scalar;
    close(grad(f)(1) as number, 6); // d/dx (3 + 6x) = 6
  });

  it('sin through six levels mixes grad, jvp and hvp', () => {
    const d1 = (x: Scalar) => grad((t: Scalar) => sin(t))(x) as unknown as Scalar; // cos
    const d2 = (x: Scalar) => jvp(d1, x, 1).tangent as unknown as Scalar; // −sin
    const d4 = (x: Scalar) => hvp(d2, x, 1) as unknown as Scalar; // sin″′ of −sin = sin
    const d5 = (x: Scalar) => grad(d4)(x) as unknown as Scalar; // cos
    close(grad(d5)(0.7) as number, -Math.sin(0.7));
  });
});

export type { Pytree };
