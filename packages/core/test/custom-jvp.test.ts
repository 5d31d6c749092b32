// customJvp(f, jvp): f with the derivative its rule gives. Its derivatives must be the rule's, under
// every transform and at every order (the reverse sweep transposes the rule, H·v differentiates it in
// x and y, nested transforms differentiate it again); f's own ops are never differentiated; misuse is
// a typed error.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ArgumentError, CustomJvpError, FiniteError, OutputError, StaleNodeError, compile, customJvp, eye, flatten, grad, gradAndHvp,
  hessian, hvp, hvpMany, hvpOperator, jacobian, jvp, linearize, solve, sparseHessian, tensor, valueAndGrad, vjp, type Node, type Scalar, type Tensor,
} from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';
import { caseArb, toEngine } from './oracle/expressions.js';
import { expectTreeClose as expectClose } from './expect-close.js';

/** Runs `run`, which must throw a `type` whose message matches `message`. */
function expectErrorMatching(run: () => unknown, type: new (...a: never[]) => Error, message: RegExp): void {
  expect(run).toThrow(type);
  expect(run).toThrow(message);
}

/** g with its own JVP as the rule (a nested jvp inside the rule): customJvp must then be g exactly. */
const selfRule = <Y extends Node>(g: (x: Tensor) => Y) => customJvp(g, (x, dx) => jvp(g, x, dx).tangent as unknown as Node);

describe('a function with its own JVP as the rule has the derivatives of the function', () => {
  it('value, ∇f, H·v, jvp and the Hessian agree to 1e-13 on random expression DAGs, whole and as a tensor-valued piece (80 DAGs)', () => {
    fc.assert(
      fc.property(caseArb(14), ({ expr, x, v }) => {
        const f = toEngine(expr);
        const inner = (y: Tensor) => y.tanh().mul(f(y.mul(0.5)));
        const [whole, piece] = [selfRule(f), selfRule(inner)];
        const plain = (y: Tensor) => f(inner(y)).add(f(y).mul(0.25));
        const custom = (y: Tensor) => f(piece(y)).add(whole(y).mul(0.25));
        for (const [got, want] of [[(y: Tensor) => whole(y), f], [custom, plain]] as const) {
          const a = gradAndHvp(want, x, v), b = gradAndHvp(got, x, v);
          expectClose([b.value, b.grad, b.hvp], [a.value, a.grad, a.hvp], 'gradAndHvp', 1e-12);
          expectClose(jvp(got, x, v).tangent, jvp(want, x, v).tangent, 'jvp', 1e-12);
        }
        expectClose(hessian(custom, x), hessian(plain, x), 'hessian', 1e-12);
      }),
      { numRuns: 80, seed: 0xc57a },
    );
  });
});

// √x by Newton's iteration on plain numbers, with d√x = dx / (2√x): the rule reads y, so H·v is right
// only if y moves with x in the reverse sweep (R{y} = ẋ / 2√x).
const newtonSqrt = customJvp(
  (x: Tensor) => tensor(x.value.map((a) => {
    let r = Math.max(a, 1);
    for (let k = 0; k < 80; k++) r = 0.5 * (r + a / r);
    return r;
  })),
  (_x, dx, y) => dx.div(y.mul(2)),
);

describe('closed forms', () => {
  it('Newton √x: ∇Σ√x = 1/(2√x), H = diag(−1/(4x^{3/2})), a rule that reads y', () => {
    const x = [0.25, 4, 9, 30];
    const r = gradAndHvp((t: Tensor) => newtonSqrt(t).sum(), x, [1, 2, -1, 0.5]);
    expectClose(r.value, x.reduce((s, a) => s + Math.sqrt(a), 0), 'value');
    expectClose(r.grad, x.map((a) => 1 / (2 * Math.sqrt(a))), 'grad');
    expectClose(r.hvp, x.map((a, k) => (-[1, 2, -1, 0.5][k]) / (4 * a ** 1.5)), 'H·v');
    const H = hessian((t: Tensor) => newtonSqrt(t).sum(), x);
    expectClose(H, x.flatMap((a, k) => x.map((_, j) => (j === k ? -1 / (4 * a ** 1.5) : 0))), 'Hessian');
  });

  it("f's own ops are not differentiated: a rule that disagrees with f wins (f = x², rule ẏ = 3ẋ)", () => {
    const odd = customJvp((x: Tensor) => x.square(), (_x, dx) => dx.mul(3));
    const r = gradAndHvp((t: Tensor) => odd(t).sum(), [1, 2], [1, 1]);
    expect(r.value).toBe(5);
    expect(Array.from(r.grad)).toEqual([3, 3]);
    expect(Array.from(r.hvp)).toEqual([0, 0]);
  });
});

// y = tanh(W·y + x), found by iterating on numbers; the implicit function theorem gives
// ẏ = (I − D·W)⁻¹·D·(Ẇ·y + ẋ), D = diag(1 − y²). Against the iteration written out with ops (it
// contracts by ‖W‖ ≤ 0.3 a step, so 120 steps are converged to round-off).
const N = 3;
const fixedPoint = customJvp(
  ({ x, W }: { x: Tensor; W: Tensor }) => {
    const xs = x.value, Ws = W.value, y = new Float64Array(N);
    for (let it = 0; it < 200; it++) {
      const next = y.map((_, i) => Math.tanh(xs[i] + Ws[i * N] * y[0] + Ws[i * N + 1] * y[1] + Ws[i * N + 2] * y[2]));
      y.set(next);
    }
    return tensor(y);
  },
  ({ W }, { x: dx, W: dW }, y) => {
    const d = y.square().neg().add(1);
    const M = eye(N).sub(d.reshape([N, 1]).mul(W));
    return solve(M, d.mul(dW.matmul(y).add(dx)));
  },
);
const unrolled = ({ x, W }: { x: Tensor; W: Tensor }) => {
  let y: Tensor = x.mul(0);
  for (let it = 0; it < 120; it++) y = W.matmul(y).add(x).tanh();
  return y;
};
const fpLoss = (solver: typeof unrolled) => (p: { x: Tensor; W: Tensor }) => solver(p).sin().sum().add(solver(p).square().mul(p.x).sum());
const P0 = { x: [0.4, -0.7, 1.1], W: [[0.1, -0.05, 0.08], [0.02, 0.09, -0.1], [-0.07, 0.04, 0.06]] };
const V0 = { x: [1, 0.5, -0.3], W: [[0.2, 0, -0.1], [0.3, -0.4, 0.1], [0, 0.5, 0.2]] };

describe('an implicit function: a fixed point found by iteration on numbers', () => {
  it('f, ∇f and H·v agree with the iteration written out with ops (1e-11)', () => {
    const a = gradAndHvp(fpLoss(unrolled), P0, V0), b = gradAndHvp(fpLoss(fixedPoint), P0, V0);
    expectClose([b.value, b.grad, b.hvp], [a.value, a.grad, a.hvp], 'gradAndHvp', 1e-11);
    expectClose(hessian(fpLoss(fixedPoint), P0), hessian(fpLoss(unrolled), P0), 'hessian', 1e-11);
  });

  it('and finite differences (checkGrads, order 2)', () => {
    const checks = checkGrads(fpLoss(fixedPoint) as never, P0 as never, { order: 2, directions: 3, fdTolerance: 1e-6 });
    expect(checks.length).toBeGreaterThan(3);
    expect(checks.filter((c) => !c.passed)).toEqual([]);
  });
});

// y = A⁻¹b with ẏ = A⁻¹(ḃ − Ȧ·y): the rule is solve's own derivative, so every transform must give
// what it gives through solve, to round-off.
const mySolve = customJvp(
  ({ A, b }: { A: Tensor; b: Tensor }) => solve(A, b),
  ({ A }, { A: dA, b: db }, y) => solve(A, db.sub(dA.matmul(y))),
);
type AB = { A: Tensor; b: Tensor };
const through = (s: (p: AB) => Tensor) => (p: AB) => s(p).tanh().sum().add(s(p).square().mul(p.b).sum());
const viaOps = ({ A, b }: AB) => solve(A, b);
const matrixArb = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 9, maxLength: 9 }).map((e) =>
  Array.from({ length: 3 }, (_, i) => Array.from({ length: 3 }, (_, j) => e[3 * i + j] + (i === j ? 4 : 0))));
const vectorArb = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 });
const pointArb = fc.record({ A: matrixArb, b: vectorArb }, { noNullPrototype: true });

describe('under every top-level transform: y = A⁻¹b with its derivative as the rule, against solve', () => {
  it('valueAndGrad, grad, jvp, vjp, linearize, jacobian (both modes), hvp, gradAndHvp, hvpOperator, hvpMany, hessian, sparseHessian (40 points)', () => {
    fc.assert(
      fc.property(pointArb, pointArb, (p, v) => {
        const [f1, f0] = [through(mySolve), through(viaOps)];
        expectClose(valueAndGrad(f1)(p), valueAndGrad(f0)(p), 'valueAndGrad', 1e-12);
        expectClose(grad(f1)(p), grad(f0)(p), 'grad', 1e-12);
        expectClose(jvp(mySolve, p, v), jvp(viaOps, p, v), 'jvp', 1e-12);
        const [p1, p0] = [vjp(mySolve, p), vjp(viaOps, p)];
        expectClose(p1.pullback([1, -2, 0.5]), p0.pullback([1, -2, 0.5]), 'vjp', 1e-12);
        expectClose(linearize(mySolve, p).jvp(v), linearize(viaOps, p).jvp(v), 'linearize', 1e-12);
        for (const mode of ['forward', 'reverse'] as const) expectClose(jacobian(mySolve, p, { mode }), jacobian(viaOps, p, { mode }), `jacobian ${mode}`, 1e-12);
        expectClose(hvp(f1, p, v), hvp(f0, p, v), 'hvp', 1e-12);
        const [a, b] = [gradAndHvp(f1, p, v), gradAndHvp(f0, p, v)];
        expectClose([a.value, a.grad, a.hvp], [b.value, b.grad, b.hvp], 'gradAndHvp', 1e-12);
        const op = hvpOperator(f1, p), u = flatten(v).map((a, k) => a + Math.sin(k));
        expectClose([op.applyFlat(u), op.applyFlat(flatten(v)), op.applyFlat(u)], [hvpOperator(f0, p).applyFlat(u), flatten(b.hvp), hvpOperator(f0, p).applyFlat(u)], 'hvpOperator, applied again', 1e-12);
        const V = Float64Array.from([...flatten(v), ...u]);
        expectClose(hvpMany(f1, p, V), hvpMany(f0, p, V), 'hvpMany', 1e-12);
        const H = hessian(f1, p);
        expectClose(H, hessian(f0, p), 'hessian', 1e-12);
        // The Hessian is symmetric, and H·v is linear in v and a row of it.
        const n = op.size;
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(Math.abs(H[i * n + j] - H[j * n + i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(H[i * n + j])));
        const Hv = op.applyFlat(flatten(v)), Hu = op.applyFlat(u);
        const uHv = u.reduce((s, a, k) => s + a * Hv[k], 0), vHu = flatten(v).reduce((s, a, k) => s + a * Hu[k], 0);
        expect(Math.abs(uHv - vHu)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(uHv)));
      }),
      { numRuns: 40, seed: 0xc57b },
    );
  });

  it('sparseHessian gives the dense Hessian', () => {
    const p = { A: [[4, 1, 0], [0.5, 5, -1], [0.2, 0, 3]], b: [1, -1, 2] };
    const s = sparseHessian(through(mySolve), p);
    const H = new Float64Array(s.n * s.n);
    s.values.forEach((value, k) => (H[s.rows[k] * s.n + s.cols[k]] = value));
    expectClose(H, hessian(through(viaOps), p), 'sparse Hessian', 1e-12);
  });

  it('compile: a replay runs f and the rule again at the new point', () => {
    const program = compile(through(mySolve), { A: [[4, 1, 0], [0.5, 5, -1], [0.2, 0, 3]], b: [1, -1, 2] });
    fc.assert(
      fc.property(pointArb, pointArb, (p, v) => {
        const got = program.gradAndHvp(p, v), want = gradAndHvp(through(viaOps), p, v);
        expectClose([got.value, got.grad, got.hvp], [want.value, want.grad, want.hvp], 'compiled gradAndHvp', 1e-12);
        expectClose(program.hessian(p), hessian(through(viaOps), p), 'compiled hessian', 1e-12);
      }),
      { numRuns: 15, seed: 0xc57c },
    );
  });

  it('a scalar result, scalar inputs, and an input used twice in the argument', () => {
    const cube = customJvp(({ a, b }: { a: Scalar; b: Scalar }) => a.mul(a).mul(b), ({ a, b }, { a: da, b: db }) => da.mul(a).mul(b).mul(2).add(db.mul(a.square())));
    const f = (t: Tensor) => cube({ a: t.at(0), b: t.at(1) }).add(cube({ a: t.at(1), b: t.at(1) }));
    const g = (t: Tensor) => t.at(0).square().mul(t.at(1)).add(t.at(1).pow(3));
    const [r, s] = [gradAndHvp(f, [1.5, -0.5], [1, 2]), gradAndHvp(g, [1.5, -0.5], [1, 2])];
    expectClose([r.value, r.grad, r.hvp], [s.value, s.grad, s.hvp], 'gradAndHvp');
  });
});

describe('outside any transform, and nested: the rule is differentiated again', () => {
  it('outside any transform the function is f', () => {
    expect(Array.from(newtonSqrt(tensor([16, 2.25])).value)).toEqual([4, 1.5]);
  });

  it('Newton √x: the second derivative by grad of grad, the third by gradAndHvp of a grad and by an hvp inside a grad (closed forms)', () => {
    const x = [4, 9, 0.5], v = [1, -2, 0.5];
    const inner = (t: Tensor) => grad((y: Tensor) => newtonSqrt(y).sum())(t) as unknown as Tensor;
    expectClose(grad((t: Tensor) => inner(t).sum())(x), x.map((a) => -1 / (4 * a ** 1.5)), 'f″');
    const third = x.map((a) => 3 / (8 * a ** 2.5));
    expectClose(gradAndHvp((t: Tensor) => inner(t).sum(), x, v).hvp, third.map((d, k) => d * v[k]), 'f‴·v by gradAndHvp of a grad');
    const hvpInside = (t: Tensor) => (hvp((y: Tensor) => newtonSqrt(y).sum(), t, v) as unknown as Tensor).sum();
    expectClose(grad(hvpInside)(x), third.map((d, k) => d * v[k]), 'f‴·v by an hvp inside a grad');
  });

  it('random DAGs: ∇ and H·v of f + ‖∇g‖² with g through a function with its own JVP as the rule, against g itself (40 DAGs)', () => {
    fc.assert(
      fc.property(caseArb(10), ({ expr, x, v }) => {
        const f = toEngine(expr);
        const inner = (y: Tensor) => y.sin().mul(y);
        const custom = selfRule(inner);
        const penalized = (g: (y: Tensor) => Tensor) => (y: Tensor) =>
          f(y).add((grad((z: Tensor) => f(g(z).add(z)))(y) as unknown as Tensor).square().sum());
        const [a, b] = [gradAndHvp(penalized(inner), x, v), gradAndHvp(penalized((y) => custom(y)), x, v)];
        expectClose([b.value, b.grad, b.hvp], [a.value, a.grad, a.hvp], 'gradAndHvp of a penalized loss', 1e-11);
      }),
      { numRuns: 40, seed: 0xc57d },
    );
  });

  it('third derivatives of a composition agree with finite differences of the second (checkGrads, order 3)', () => {
    const f = (t: Tensor) => t.tanh().mul(t.sin()).sum().add(t.square().sum().log());
    const g = selfRule(f), h = selfRule((t: Tensor) => t.sin().mul(t));
    const checks = checkGrads((t: Tensor) => g(h(t)), [0.3, -0.4, 1.2], { order: 3, directions: 2, fdTolerance: 1e-5 });
    expect(checks.filter((c) => !c.passed)).toEqual([]);
    expect(checks.some((c) => /order 3/.test(c.name))).toBe(true);
  });

  it('y = A⁻¹b nested: ∇ and H·v of ‖∂L/∂A‖² against solve', () => {
    const p = { A: [[4, 1, 0], [0.5, 5, -1], [0.2, 0, 3]], b: [1, -1, 2] }, V = { A: [[1, 0, 0.5], [0, 1, 0], [0, -1, 1]], b: [1, 1, 1] };
    const norm2 = (s: (q: AB) => Tensor) => (q: AB) => (grad((r: AB) => s(r).tanh().sum())(q) as unknown as AB).A.square().sum();
    const [a, b] = [gradAndHvp(norm2(mySolve), p, V), gradAndHvp(norm2(viaOps), p, V)];
    expectClose([a.value, a.grad, a.hvp], [b.value, b.grad, b.hvp], 'gradAndHvp', 1e-12);
  });

  it('an hvp inside a grad, over mixed scalar, matrix, constant and empty leaves: against the ops, and the rule recorded a few times, not once per leaf', () => {
    type P = { a: Scalar; B: Tensor; c: Tensor; e: Tensor; list: Scalar[] };
    const plain = ({ a, B, c, e, list }: P) =>
      B.sin().mul(a).add(c).square().sum().add(e.sum()).add(list.reduce((s: Scalar, q) => s.add(q.mul(a).tanh()), a.mul(0)));
    let calls = 0;
    const custom = customJvp((p: P) => plain(p), (p, dp) => {
      calls++;
      return jvp(plain as never, p as never, dp as never).tangent as unknown as Scalar;
    });
    const k = 12;
    const args = (t: Tensor): P => ({ a: t.at(0), B: t.slice(1, 7).reshape([2, 3]), c: tensor([0.5, -1, 2, 0.25, 1, -0.5]).reshape([2, 3]), e: t.slice(7, 7), list: Array.from({ length: k }, (_, j) => t.at(7 + j)) });
    const x = Array.from({ length: 7 + k }, (_, j) => 0.3 * Math.sin(j + 1)), v = Array.from({ length: 7 + k }, (_, j) => Math.cos(2 * j));
    const outer = (g: (p: P) => Scalar) => (t: Tensor) => (hvp((u: Tensor) => g(args(u)), t, v) as unknown as Tensor).square().sum();
    expectClose(grad(outer((p) => custom(p)))(x), grad(outer(plain))(x), 'grad of ‖H·v‖²', 1e-12);
    calls = 0;
    grad(outer((p) => custom(p)))(x);
    // The tangent sweep, the pullback and one jvp of it (which records the pullback's rule again): not k + 2 leaves' worth.
    expect(calls).toBeLessThanOrEqual(6);
  });

  it('a rule that closes over a node of the transform is refused nested too (CustomJvpError)', () => {
    expect(() => grad((w: Tensor) => (grad((x: Tensor) => customJvp((t: Tensor) => t.mul(2), (_t, dt) => dt.mul(w))(x).sum())(w) as unknown as Tensor).sum())([1, 2]))
      .toThrow(CustomJvpError);
  });
});

describe('errors', () => {
  const id = (_x: Tensor, dx: Tensor) => dx;
  it('f or jvp not a function, an extra argument, a call with other than one argument', () => {
    expect(() => customJvp(3 as never, id)).toThrow(ArgumentError);
    expect(() => customJvp((x: Tensor) => x, undefined as never)).toThrow(/jvp must be a function/);
    expect(() => (customJvp as (...a: unknown[]) => unknown)((x: Tensor) => x, id, {})).toThrow(ArgumentError);
    const g = customJvp((x: Tensor) => x, id) as (...a: unknown[]) => unknown;
    expect(() => grad((x: Tensor) => (g(x, x) as Tensor).sum())([1])).toThrow(/takes one argument/);
  });

  it('an argument with a leaf that is not a node, or with no node at all', () => {
    const g = customJvp(({ x }: { x: Tensor; k: number }) => x, ({ x: _x }, { x: dx }) => dx);
    expect(() => grad((x: Tensor) => g({ x, k: 2 }).sum())([1])).toThrow(/x\.k is 2.*must be nodes/);
    expect(() => grad((x: Tensor) => (customJvp((_: object) => x, id as never) as (a: object) => Tensor)({}).sum())([1])).toThrow(/holds no node/);
  });

  it('f or the rule returning something other than a node: OutputError; the rule, a tangent of another shape: CustomJvpError', () => {
    const f = (g: (x: Tensor) => Tensor) => (x: Tensor) => g(x).sum();
    expect(() => gradAndHvp(f(customJvp((() => 3) as never, id)), [1, 2], [1, 0])).toThrow(OutputError);
    expect(() => gradAndHvp(f(customJvp((x: Tensor) => x, (() => [1, 2]) as never)), [1, 2], [1, 0])).toThrow(/jvp must return the tangent/);
    expect(() => gradAndHvp(f(customJvp((x: Tensor) => x, (_x, dx) => dx.sum())), [1, 2], [1, 0])).toThrow(CustomJvpError);
    expect(() => grad(f(customJvp((x: Tensor) => x, (_x, dx) => dx.sum())))([1, 2])).toThrow(/jvp returned a scalar, but f returned a tensor of shape \[2\]/);
  });

  it('f or the rule using a node of the transform instead of receiving it: CustomJvpError naming the fix', () => {
    expect(() => grad((w: Tensor) => customJvp((x: Tensor) => x.mul(w), id)(w.square()).sum())([1, 2])).toThrow(CustomJvpError);
    expect(() => grad((w: Tensor) => customJvp((x: Tensor) => x.mul(2), (_x, dx) => dx.mul(w))(w.square()).sum())([1, 2])).toThrow(/pass that node as part of the argument/);
  });

  it('an argument that is not a pytree of nodes, and a node of f kept for the rule, say what to do', () => {
    const id = customJvp((u: Tensor) => u, (_u, d) => d) as (a: unknown) => Tensor;
    expectErrorMatching(() => grad((t: Tensor) => id(null).sum())([1]), ArgumentError, /^customJvp: x is null; the argument must be a node or a pytree/);
    let kept: Tensor | undefined;
    const g = customJvp((t: Tensor) => ((kept = t.cos()), t.sin()), (_t, dt) => dt.mul(kept!));
    expectErrorMatching(() => grad((t: Tensor) => g(t).sum())([1]), StaleNodeError, /inside a customJvp's f or rule lives only while that runs.*\.value/);
  });

  it('a node left from a finished call, returned by f: StaleNodeError', () => {
    let kept: Tensor | undefined;
    grad((x: Tensor) => ((kept = x.mul(2)), x.sum()))([1, 2]);
    expect(() => grad((x: Tensor) => customJvp((_: Tensor) => kept!, id)(x).sum())([1, 2])).toThrow(StaleNodeError);
  });

  it('checkFinite sees inside f and the rule', () => {
    const g = customJvp((x: Tensor) => x.log(), (x, dx) => dx.div(x));
    expect(() => grad((x: Tensor) => g(x).sum(), { checkFinite: true })([1, -1])).toThrow(FiniteError);
    const h = customJvp((x: Tensor) => x.mul(1), (x, dx) => dx.div(x.sub(1)));
    expect(() => gradAndHvp((x: Tensor) => h(x).sum(), [1, 2], [1, 1], { checkFinite: true })).toThrow(FiniteError);
  });

  it('a rule not 0 at dx = 0 (affine, or a constant): refused where reverse mode would transpose it, at top level and nested', () => {
    const affine = customJvp((x: Tensor) => x.square(), (x, dx) => dx.add(1));
    const constant = customJvp((x: Tensor) => x.square(), (x) => x.mul(0).add(2));
    for (const g of [affine, constant]) {
      expectErrorMatching(() => grad((x: Tensor) => g(x).sum())([1, 2]), CustomJvpError, /at dx = 0.*linear in dx/);
      expectErrorMatching(() => hessian((x: Tensor) => g(x).sum(), [1, 2]), CustomJvpError, /linear in dx/);
      expectErrorMatching(() => grad((x: Tensor) => (grad((z: Tensor) => g(z).sum())(x) as Tensor).sum())([1, 2]), CustomJvpError, /linear in dx/);
    }
    // A linear rule whose numbers at 0 are 0·∞ or NaN is not refused: 0 and NaN are what a linear rule gives there.
    const nanAtZero = customJvp((x: Tensor) => x.mul(1), (x, dx) => dx.mul(x.log()));
    expect(() => grad((x: Tensor) => nanAtZero(x).sum())([-1, 2])).not.toThrow();
  });
});
