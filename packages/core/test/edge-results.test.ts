// Results at the edges of the transforms: f that returns a node made outside any transform, nested
// results with no elements, function arguments that are not functions, and the tape of a call that
// fails after recording (or that made an operator for itself). Each describe block holds defects a probe
// found; none asserts the old behaviour.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, FiniteError, NestedTransformError, StaleNodeError, StructureError, Scalar, Tensor, checkpoint, ggnvp, grad,
  gradAndHvp, hessian, hvp, hvpMany, hvpOperator, jacobian, jvp, scalar, tensor, valueAndGrad, vjp,
} from '../src/index.js';
import { constantScalar } from '../src/node.js';
import { Tape } from '../src/tape.js';
import { expectError } from './expect-error.js';

const zeros = (n: number) => new Float64Array(n);

/** Asserts a nested result is a node of the enclosing call (it mixes with x) with this shape and these values. */
function expectNode(r: unknown, shape: number[] | null, values: ArrayLike<number> | number): void {
  if (shape === null) {
    expect(r).toBeInstanceOf(Scalar);
    expect((r as Scalar).value).toBe(values);
    return;
  }
  expect(r).toBeInstanceOf(Tensor);
  expect((r as Tensor).shape).toEqual(shape);
  expect(Array.from((r as Tensor).value)).toEqual(Array.from(values as ArrayLike<number>));
}

describe('f returning a node made outside any transform is a constant: gradient 0, H·v 0', () => {
  // Made at module level, before any transform: nodes of an eager tape, plain values.
  const c = scalar(3);
  const s = tensor([1, 2]).sum(); // 3
  const T = tensor([[1, 2], [3, 4]]);

  it("the probe's reproducers: grad and hvp", () => {
    expect(grad((_x: Scalar) => c)(1)).toBe(0);
    expect(grad((_x: Scalar) => c.mul(1))(1)).toBe(0);
    expect(hvp((_x: Tensor) => s, [1], [1])).toEqual(zeros(1));
  });

  it('every top-level transform gives zeros of the shape of x, and f’s value', () => {
    const p = { a: 1, b: [1, 2] };
    expect(grad((_p: { a: Scalar; b: Tensor }) => s)(p)).toEqual({ a: 0, b: zeros(2) });
    expect(valueAndGrad((_x: Tensor) => c)([1, 2])).toEqual({ value: 3, grad: zeros(2) });
    expect(gradAndHvp((_x: Tensor) => s, [1, 2], [1, 1])).toEqual({ value: 3, grad: zeros(2), hvp: zeros(2) });
    expect(hvp((_x: Scalar) => c, 2, 1)).toBe(0);
    // A tensor output: its value is T's numbers, its derivatives zero.
    expect(jvp((_x: Tensor) => T, [1, 2], [1, 1])).toEqual({ value: Float64Array.of(1, 2, 3, 4), tangent: zeros(4) });
    expect(jvp((_x: Scalar) => c, 1, 1)).toEqual({ value: 3, tangent: 0 });
    const { value, pullback } = vjp((_x: Tensor) => T, [1, 2]);
    expect(value).toEqual(Float64Array.of(1, 2, 3, 4));
    expect(pullback([1, 2, 3, 4])).toEqual(zeros(2));
    expect(jacobian((_x: Tensor) => T, [1, 2])).toEqual(zeros(8));
    expect(jacobian((_x: Tensor) => c, [1, 2, 3])).toEqual(zeros(3));
    expect(hessian((_x: Tensor) => s, [1, 2])).toEqual(zeros(4));
    const H = hvpOperator((_x: Tensor) => s, [1, 2]);
    expect([H.value, H.grad, H.size]).toEqual([3, zeros(2), 2]);
    expect(H.apply([1, 0])).toEqual(zeros(2));
    expect(H.applyFlat(Float64Array.of(0, 1))).toEqual(zeros(2));
    expect(hvpMany((_x: Tensor) => s, [1, 2], Float64Array.of(1, 0, 0, 1, 1, 1))).toEqual(zeros(6));
    // ggnvp: a model that ignores w, or a loss that ignores the outputs.
    expect(ggnvp((_w: Tensor) => T, (z) => z.square().sum(), [1, 2], [1, 1])).toEqual(zeros(2));
    expect(ggnvp((w: Tensor) => w.mul(2), (_z) => c, [1, 2], [1, 1])).toEqual(zeros(2));
  });

  it('with checkFinite too, and a node of a node (c.mul(1), s.exp()) the same', () => {
    expect(grad((_x: Scalar) => c.mul(1), { checkFinite: true })(1)).toBe(0);
    expect(gradAndHvp((_x: Tensor) => s.exp(), [1, 2], [1, 1], { checkFinite: true })).toEqual({ value: Math.exp(3), grad: zeros(2), hvp: zeros(2) });
    expect(hessian((_x: Tensor) => s, [1, 2], { checkFinite: true })).toEqual(zeros(4));
  });

  it('a constant node beside a term in x adds nothing to the derivatives', () => {
    // f(x) = x² + (constant node): the constant adds nothing to the derivatives.
    const r = gradAndHvp((x: Scalar) => x.square().add(c), 1.5, 2);
    expect(r).toEqual({ value: 1.5 ** 2 + 3, grad: 3, hvp: 4 });
  });

  // Each inner call returns a node of the outer call; `shape`/`values` are what it must hold. The outer
  // function is Σx² + x₀·Σr, so ∇ = [2x₀ + Σr, 2x₁] and H·v = 2v + Σr·(e₀ on the other side) = 2v.
  const inner: Array<[string, (x: Tensor) => unknown, number[] | null, ArrayLike<number> | number]> = [
    ['grad', (x) => grad((_y: Tensor) => s)(x), [2], zeros(2)],
    ['valueAndGrad.value', (x) => valueAndGrad((_y: Tensor) => c)(x).value, null, 3],
    ['valueAndGrad.grad', (x) => valueAndGrad((_y: Tensor) => c)(x).grad, [2], zeros(2)],
    ['gradAndHvp.hvp', (x) => gradAndHvp((_y: Tensor) => s, x, [1, 1]).hvp, [2], zeros(2)],
    ['hvp', (x) => hvp((_y: Tensor) => c.mul(1), x, x), [2], zeros(2)],
    ['jvp.value', (x) => jvp((_y: Tensor) => T, x, [1, 0]).value, [2, 2], [1, 2, 3, 4]],
    ['jvp.tangent', (x) => jvp((_y: Tensor) => T, x, [1, 0]).tangent, [2, 2], zeros(4)],
    ['vjp.value', (x) => vjp((_y: Tensor) => T, x).value, [2, 2], [1, 2, 3, 4]],
    ['vjp.pullback', (x) => vjp((_y: Tensor) => T, x).pullback([1, 1, 1, 1]), [2], zeros(2)],
    ['jacobian', (x) => jacobian((_y: Tensor) => T, x), [8], zeros(8)],
    ['hessian', (x) => hessian((_y: Tensor) => s, x), [4], zeros(4)],
    ['hvpOperator.grad', (x) => hvpOperator((_y: Tensor) => s, x).grad, [2], zeros(2)],
    ['hvpOperator.apply', (x) => hvpOperator((_y: Tensor) => s, x).apply(x), [2], zeros(2)],
    ['hvpMany', (x) => hvpMany((_y: Tensor) => s, x, Float64Array.of(1, 0, 0, 1)), [4], zeros(4)],
    ['ggnvp (model)', (x) => ggnvp((_w: Tensor) => T, (z) => z.square().sum(), x, x), [2], zeros(2)],
    ['ggnvp (loss)', (x) => ggnvp((w: Tensor) => w.mul(2), (_z) => s, x, x), [2], zeros(2)],
  ];
  const sumOf = (values: ArrayLike<number> | number) => (typeof values === 'number' ? values : Array.from(values).reduce((a, b) => a + b, 0));

  it.each(inner)('nested %s: a node of the outer call, and the outer derivatives are exact', (_name, call, shape, values) => {
    const x0 = [0.5, -2];
    const outer = (x: Tensor) => {
      const r = call(x);
      expectNode(r, shape, values);
      const total = r instanceof Scalar ? r : (r as Tensor).sum();
      return x.square().sum().add(x.at(0).mul(total));
    };
    const sigma = sumOf(values);
    expect(grad(outer)(x0)).toEqual(Float64Array.of(2 * x0[0] + sigma, 2 * x0[1]));
    const r = gradAndHvp(outer, x0, [1, 3]);
    expect(r.grad).toEqual(Float64Array.of(2 * x0[0] + sigma, 2 * x0[1]));
    expect(r.hvp).toEqual(Float64Array.of(2, 6));
  });

  it('two levels down, and a third derivative through a constant inner f', () => {
    // d/dx [x³ + grad(grad(y ↦ c))(x)] = 3x²
    expect(grad((x: Scalar) => x.pow(3).add(grad(grad((_y: Scalar) => c))(x) as unknown as Scalar))(2)).toBe(12);
  });

  it('a node of another live transform call is still a NestedTransformError; of a finished one, a StaleNodeError', () => {
    // A live tape that is neither the recording one nor eager: what another transform call in progress holds.
    const other = new Tape(false);
    const foreign = constantScalar(other, 3);
    try {
      expectError(() => grad((_x: Scalar) => foreign)(1), NestedTransformError, 'grad: f returned a node of another transform call');
      expectError(() => grad((x: Scalar) => grad((_y: Scalar) => foreign)(x) as unknown as Scalar)(1), NestedTransformError, 'grad: f returned');
    } finally {
      other.release();
    }
    let stale: Scalar | undefined;
    grad((x: Scalar) => (stale = x.square()))(1);
    expectError(() => grad((_x: Scalar) => stale!)(1), StaleNodeError, 'finished');
    // The enclosing call's node, returned from inside a checkpointed layer (which runs apart from it): still an error.
    let kept: Scalar | undefined;
    const layer = checkpoint((h: Tensor) => h.mul(grad((_y: Tensor) => kept!)(h) as unknown as Tensor));
    expect(() => grad((x: Tensor) => { kept = x.sum(); return layer(x).sum(); })([1, 2])).toThrow(StaleNodeError);
  });
});

describe('nested jacobian, hessian and hvpMany with no elements are 0-element Tensors of the enclosing call', () => {
  it("the probe's reproducers: the outer gradient is [1, 1]", () => {
    expect(grad((x: Tensor) => (jacobian((y: Tensor) => y.slice(0, 0), x) as unknown as Tensor).sum().add(x.sum()))([1, 2]))
      .toEqual(Float64Array.of(1, 1));
    expect(grad((x: Tensor) => (hessian((y: Tensor) => y.sum(), x.slice(0, 0)) as unknown as Tensor).sum().add(x.sum()))([1, 2]))
      .toEqual(Float64Array.of(1, 1));
    expect(grad((x: Tensor) => (hvpMany((y: Tensor) => y.square().sum(), x, new Float64Array(0)) as unknown as Tensor).sum().add(x.sum()))([1, 2]))
      .toEqual(Float64Array.of(1, 1));
  });

  // m·n = 0 by m = 0 (no outputs), by n = 0 (x with no elements, or no leaves at all) and k = 0 (no directions).
  const cases: Array<[string, (x: Tensor) => unknown]> = [
    ['jacobian, m = 0', (x) => jacobian((y: Tensor) => y.slice(0, 0), x)],
    ['jacobian, n = 0 (an empty tensor)', (x) => jacobian((y: Tensor) => y.sum().add(x.sum()), x.slice(0, 0))],
    ['jacobian, n = 0 (x = {})', (x) => jacobian((_p: object) => x.mul(2), {} as never)],
    ['hessian, n = 0 (an empty tensor)', (x) => hessian((y: Tensor) => y.sum(), x.slice(0, 0))],
    ['hessian, n = 0 (x = {})', (x) => hessian((_p: object) => x.square().sum(), {} as never)],
    ['hvpMany, k = 0', (x) => hvpMany((y: Tensor) => y.square().sum(), x, new Float64Array(0))],
    ['hvpMany, n = 0', (x) => hvpMany((y: Tensor) => y.sum(), x.slice(0, 0), new Float64Array(0))],
    ['hvpOperator.applyFlat, x = {}', (x) => hvpOperator((_p: object) => x.square().sum(), {} as never).applyFlat(new Float64Array(0))],
  ];

  it.each(cases)('%s: shape [0], and the outer grad and H·v are exact', (_name, call) => {
    // Outer f = Σx³ + Σr: ∇ = 3x², H·v = 6x·v.
    const outer = (x: Tensor) => {
      const r = call(x);
      expectNode(r, [0], []);
      return x.pow(3).sum().add((r as Tensor).sum());
    };
    const x0 = [1, -2];
    expect(grad(outer)(x0)).toEqual(Float64Array.of(3, 12));
    expect(gradAndHvp(outer, x0, [1, 1]).hvp).toEqual(Float64Array.of(6, -12));
  });

  it('at top level they are still empty Float64Arrays', () => {
    expect(jacobian((y: Tensor) => y.slice(0, 0), [1, 2])).toEqual(zeros(0));
    expect(hessian((y: Tensor) => y.sum(), [] as number[])).toEqual(zeros(0));
    expect(hvpMany((y: Tensor) => y.square().sum(), [1, 2], new Float64Array(0))).toEqual(zeros(0));
  });

  it('non-empty nested results are unchanged: J of y ↦ y² and H of Σy³ against closed forms', () => {
    grad((x: Tensor) => {
      expectNode(jacobian((y: Tensor) => y.square(), x), [4], [2, 0, 0, 4]);
      expectNode(hessian((y: Tensor) => y.pow(3).sum(), x), [4], [6, 0, 0, 12]);
      expectNode(hvpMany((y: Tensor) => y.pow(3).sum(), x, Float64Array.of(1, 1)), [2], [6, 12]);
      return x.sum();
    })([1, 2]);
  });
});

describe('function arguments of every transform are checked, naming the argument', () => {
  const f = (x: Tensor) => x.square().sum();
  const model = (w: Tensor) => w.mul(2);
  const loss = (z: Tensor) => z.square().sum();

  it("ggnvp's loss and model: an ArgumentError naming which, not a TypeError", () => {
    expectError(() => ggnvp(model, 3 as never, [1, 2], [1, 1]), ArgumentError, 'ggnvp: loss must be a function', 'got 3');
    expectError(() => ggnvp(null as never, loss, [1, 2], [1, 1]), ArgumentError, 'ggnvp: model must be a function', 'got null');
    // Nested too, where it is checked before anything is recorded.
    expectError(() => grad((x: Tensor) => (ggnvp(model, 'sum' as never, x, x) as unknown as Tensor).sum())([1, 2]), ArgumentError, 'ggnvp: loss');
    // The library is usable afterwards; a correct call still gives G·v = J·2·J·v = 8v.
    expect(ggnvp(model, loss, [1, 2], [1, -1])).toEqual(Float64Array.of(8, -8));
  });

  it('every transform names itself and f (hessian, hvpMany and jacobian used to say hvpOperator or vjp)', () => {
    const notFunctions: unknown[] = [3, null, undefined, 'f', { f }];
    const calls: Array<[string, (g: never) => unknown]> = [
      ['grad', (g) => grad(g)([1, 2])],
      ['valueAndGrad', (g) => valueAndGrad(g)([1, 2])],
      ['gradAndHvp', (g) => gradAndHvp(g, [1, 2], [1, 0])],
      ['hvp', (g) => hvp(g, [1, 2], [1, 0])],
      ['hvpOperator', (g) => hvpOperator(g, [1, 2])],
      ['hvpMany', (g) => hvpMany(g, [1, 2], Float64Array.of(1, 0))],
      ['hessian', (g) => hessian(g, [1, 2])],
      ['jvp', (g) => jvp(g, [1, 2], [1, 0])],
      ['vjp', (g) => vjp(g, [1, 2])],
      ['jacobian', (g) => jacobian(g, [1, 2])],
      ['ggnvp', (g) => ggnvp(g, loss, [1, 2], [1, 0])],
    ];
    for (const [name, call] of calls) {
      for (const bad of notFunctions) {
        const e = expectError(() => call(bad as never), ArgumentError, `${name}: `, ' must be a function');
        expect(e.message.startsWith(`${name}: ${name === 'ggnvp' ? 'model' : 'f'} must be a function`), e.message).toBe(true);
      }
    }
    expect(hessian(f, [1, 2])).toEqual(Float64Array.of(2, 0, 0, 2));
  });
});

describe('a top-level call hands back a tape nothing will use: a failed hvpOperator, and hessian and hvpMany', () => {
  /**
   * Float64Arrays made while `run` runs. A top-level call takes the arrays the last finished call handed
   * back (tape.ts: one spare set); when the previous call kept its tape, it must make new ones.
   */
  function arraysMadeBy(run: () => unknown): number {
    const Original = globalThis.Float64Array;
    let made = 0;
    globalThis.Float64Array = new Proxy(Original, {
      construct(target, args, newTarget) {
        made++;
        return Reflect.construct(target, args, newTarget) as Float64Array;
      },
    });
    try {
      run();
    } finally {
      globalThis.Float64Array = Original;
    }
    return made;
  }
  const probe = () => grad((x: Tensor) => x.square().sum())([1, 2]);
  /** Arrays the probe makes after `before`, having warmed up once. */
  const madeAfter = (before: () => unknown) => {
    probe();
    try {
      before();
    } catch {
      // a failing call: what matters is what it left behind
    }
    return arraysMadeBy(probe);
  };

  it('the measure: after a released tape the probe makes fewer arrays than after a tape that is kept', () => {
    const held: unknown[] = [];
    const afterReleased = madeAfter(probe);
    const afterHeld = madeAfter(() => held.push(hvpOperator((x: Tensor) => x.square().sum(), [1, 2])));
    expect(afterHeld).toBeGreaterThan(afterReleased);
  });

  it('hvpOperator whose first sweep throws (FiniteError under checkFinite)', () => {
    let saved: Tensor | undefined;
    const failing = () => hvpOperator((x: Tensor) => (saved = x.sqrt()).sum(), [0, 1], { checkFinite: true });
    expectError(failing, FiniteError, 'hvpOperator', 'Infinity');
    expectError(() => saved!.value, StaleNodeError);
    expect(madeAfter(failing)).toBe(madeAfter(probe));
    // Usable afterwards, and nothing is left recording.
    const H = hvpOperator((x: Tensor) => x.pow(3).sum(), [1, 2], { checkFinite: true });
    expect(H.apply([1, 1])).toEqual(Float64Array.of(6, 12));
    expect(tensor([1]).tape.eager).toBe(true);
  });

  it('hessian and hvpMany, which make an operator for themselves: in strict mode, on failure and on success', () => {
    const baseline = madeAfter(probe);
    // (x^1.5)′ = 1.5√x is finite at 0, its derivative 0.75/√x is not: the first sweep passes, an H·v fails.
    const cusp = (x: Tensor) => x.pow(1.5).sum();
    expectError(() => hessian(cusp, [0, 1], { checkFinite: true }), FiniteError);
    expect(madeAfter(() => hessian(cusp, [0, 1], { checkFinite: true }))).toBe(baseline);
    expect(madeAfter(() => hvpMany(cusp, [0, 1], Float64Array.of(1, 0), { checkFinite: true }))).toBe(baseline);
    expect(madeAfter(() => hessian((x: Tensor) => x.pow(3).sum(), [1, 2], { checkFinite: true }))).toBe(baseline);
    expect(madeAfter(() => hessian((_x: Tensor) => 1, [1, 2]))).toBe(baseline);
    // V of the wrong length is refused after the operator is made.
    expectError(() => hvpMany(cusp, [1, 2], Float64Array.of(1, 0, 0)), StructureError, 'not a multiple');
    expect(madeAfter(() => hvpMany(cusp, [1, 2], Float64Array.of(1, 0, 0)))).toBe(baseline);
    // The results themselves are unchanged: H of Σx³ is diag(6x).
    expect(hessian((x: Tensor) => x.pow(3).sum(), [1, 2], { checkFinite: true })).toEqual(Float64Array.of(6, 0, 0, 12));
    expect(hvpMany((x: Tensor) => x.pow(3).sum(), [1, 2], Float64Array.of(1, 1), { checkFinite: true })).toEqual(Float64Array.of(6, 12));
  });
});
