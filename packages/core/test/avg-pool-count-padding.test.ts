// avgPool2d's countPadding option: every window divides by its full size fh·fw, padded zeros counted
// (PyTorch's avg_pool2d and Flax's avg_pool, count_include_pad=True), where the default divides by the
// number of input elements it covers (TensorFlow, Keras). References from numpy loops over the
// definition, cross-checked in the script against jax.lax.reduce_window, and JAX's derivatives of a
// nonlinear loss through the pool (avg-pool-reference/avg-pool-count-padding.py); central differences
// in float64 for the gradient, H·v and the third order; the default against today's numbers; misuse.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  OptionError, avgPool2d, compile, dot, grad, gradAndHvp, hvp, jvp, maxPool2d, tensor, valueAndGrad, type AvgPoolOptions,
  type Padding, type Scalar, type Tensor,
} from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';
import { EPS, expectAgrees as agreesWithin, expectHvpByFourRoutes } from './hvp-routes.js';

interface Case {
  readonly name: string;
  readonly shape: number[];
  readonly size: number | number[];
  readonly options: { readonly stride?: number | number[]; readonly padding?: Padding };
  readonly countPadding: boolean;
  readonly pads: number[];
  readonly x: number[];
  readonly outShape: number[];
  readonly y: number[];
  readonly a: number[];
  readonly u: number[];
  readonly v: number[];
  readonly value: number;
  readonly grad: number[];
  readonly hvp: number[];
  readonly third: number[];
}

const reference = JSON.parse(readFileSync(new URL('./avg-pool-reference/avg-pool-count-padding.json', import.meta.url), 'utf8')) as { cases: Case[] };
const cases = reference.cases.map((c) => [`${c.name}, countPadding ${c.countPadding}`, c] as const);
const counted = cases.filter(([, c]) => c.countPadding);

/** Each component of `actual` within rtol of the largest one of `expected`, at least 1 (absolute below 1). */
const expectAgrees = (actual: number | Float64Array, expected: number | readonly number[], rtol: number, what: string) => agreesWithin(actual, expected, rtol, what, 1);

/** The pool of a case, with `countPadding` as given (left out of the options when undefined). */
function pooled(c: Case, countPadding: boolean | undefined): (x: Tensor) => Tensor {
  const options: AvgPoolOptions = countPadding === undefined ? { ...c.options } : { ...c.options, countPadding };
  return (x) => avgPool2d(x.reshape(c.shape), c.size, options);
}

/** The reference script's loss, Σₖ aₖ·tanh(yₖ), y the pooled output. */
function lossOf(c: Case, countPadding: boolean | undefined = c.countPadding): (x: Tensor) => Scalar {
  const pool = pooled(c, countPadding);
  const a = tensor(c.a, c.outShape);
  return (x) => pool(x).tanh().mul(a).sum();
}

/** A direction with entries in [−1, 1], fixed by the seed. */
function direction(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

const along = (x: readonly number[], d: readonly number[], h: number) => x.map((xk, k) => xk + h * d[k]);
const inner = (p: ArrayLike<number>, q: ArrayLike<number>) => Array.from(p).reduce((s, pk, k) => s + pk * q[k], 0);

describe('avgPool2d countPadding: values against numpy loops and jax.lax.reduce_window', () => {
  it('covers every padding form, strides, both ranks and both option values', () => {
    expect(reference.cases.length).toBe(20);
    expect(new Set(reference.cases.map((c) => c.countPadding))).toEqual(new Set([true, false]));
    const paddings = reference.cases.map((c) => c.options.padding);
    expect(paddings).toContain('same');
    expect(paddings).toContain('valid');
    expect(paddings.some((p) => Array.isArray(p) && p.length === 4 && p[0] !== p[1])).toBe(true);
    expect(reference.cases.some((c) => c.shape.length === 3)).toBe(true);
    expect(reference.cases.some((c) => c.shape.length === 4 && c.shape[0] > 1)).toBe(true);
  });

  it.each(cases)('%s', (_, c) => {
    const y = pooled(c, c.countPadding)(tensor(c.x));
    expect(y.shape).toEqual(c.outShape);
    expectAgrees(y.data, c.y, 4 * EPS, 'pooled');
    // The Tensor method is the same op.
    const m = tensor(c.x, c.shape).avgPool2d(c.size, { ...c.options, countPadding: c.countPadding });
    expect(Array.from(m.data)).toEqual(Array.from(y.data));
  });

  it('PyTorch\'s documented values: ones(3, 3), kernel 3, stride 1, padding 1 gives 4/9, 6/9, 1 (and 1 everywhere uncounted)', () => {
    const ones = tensor(new Float64Array(9).fill(1), [3, 3, 1]);
    const y = ones.avgPool2d(3, { stride: 1, padding: 1, countPadding: true });
    expectAgrees(y.data, [4 / 9, 6 / 9, 4 / 9, 6 / 9, 1, 6 / 9, 4 / 9, 6 / 9, 4 / 9], 2 * EPS, 'counted');
    expectAgrees(ones.avgPool2d(3, { stride: 1, padding: 1 }).data, new Array(9).fill(1), 2 * EPS, 'uncounted');
  });

  it('gives TensorFlow.js\'s hand-computed gradient (tfjs divides by the full window with explicit padding)', () => {
    // avg_pool_test.ts, 'gradient x=[3,3,1] f=[3,3] s=1 p=explicit': pad [[0,0],[1,2],[0,1],[0,0]].
    const dy = tensor([0, 3, 0, 6, 0, 9, 0, 12], [4, 2, 1]);
    const g = grad((x: Tensor) => avgPool2d(x.reshape([3, 3, 1]), 3, { stride: 1, padding: [1, 2, 0, 1], countPadding: true }).mul(dy).sum());
    expect(Array.from(g(Array.from({ length: 9 }, (_, k) => k)) as Float64Array)).toEqual([0, 1, 1, 0, 2, 2, 0, 3, 3]);
  });

  it('keeps the two divisors apart for the same geometry, in either order of first use', () => {
    // Pooling maps are kept by geometry; the divisor rule is part of the key.
    const x = tensor([1, 2, 3, 4], [2, 2, 1]);
    const options = { stride: 1, padding: [1, 0, 1, 0] } as const;
    for (let round = 0; round < 2; round++) {
      expect(Array.from(x.avgPool2d(2, { ...options, countPadding: true }).data)).toEqual([0.25, 0.75, 1, 2.5]);
      expect(Array.from(x.avgPool2d(2, options).data)).toEqual([1, 1.5, 2, 2.5]);
    }
  });
});

describe('avgPool2d countPadding: derivatives of Σ a·tanh(pool(x)) against JAX', () => {
  it.each(counted)('%s: value, gradient, H·v (gradAndHvp, hvp, grad∘grad, jvp∘grad) and the tangent', (_, c) => {
    const f = lossOf(c);
    expectHvpByFourRoutes(f, c, { value: 16 * EPS, grad: 16 * EPS, hvp: 32 * EPS }, 1);
    // The pool is linear: its tangent along v is the pool of v.
    const pool = pooled(c, true);
    const tangent = jvp((t: Tensor) => pool(t), c.x, c.v).tangent as Float64Array;
    expect(Array.from(tangent)).toEqual(Array.from(pool(tensor(c.v)).data));
  });

  it.each(counted)('%s: the third-order ∇(uᵀHv) (grad∘hvp, hvp∘grad, grad∘grad∘grad)', (_, c) => {
    const f = lossOf(c);
    const u = tensor(c.u), v = tensor(c.v);
    expectAgrees(grad((t: Tensor) => dot(hvp(f, t, c.v) as unknown as Tensor, u))(c.x) as Float64Array, c.third, 128 * EPS, 'grad∘hvp');
    expectAgrees(hvp((t: Tensor) => dot(grad(f)(t) as unknown as Tensor, u), c.x, c.v) as Float64Array, c.third, 128 * EPS, 'hvp∘grad');
    const uHv = (t: Tensor) => dot(grad((s: Tensor) => dot(grad(f)(s) as unknown as Tensor, v))(t) as unknown as Tensor, u);
    expectAgrees(grad(uHv)(c.x) as Float64Array, c.third, 128 * EPS, 'grad∘grad∘grad');
  });

  it.each(counted)('%s: a compiled replay gives the same gradient and H·v at another point', (_, c) => {
    const f = lossOf(c);
    const program = compile(f, c.x);
    const x2 = along(c.x, direction(c.x.length, 7), 0.3);
    const live = gradAndHvp(f, x2, c.v);
    const replay = program.gradAndHvp(x2, c.v);
    expect(Array.from(replay.grad as Float64Array)).toEqual(Array.from(live.grad as Float64Array));
    expect(Array.from(replay.hvp as Float64Array)).toEqual(Array.from(live.hvp as Float64Array));
  });
});

describe('avgPool2d countPadding: derivatives against central differences (float64)', () => {
  const h = 1e-5;

  it.each(counted)('%s: gradient and H·v', (_, c) => {
    const f = lossOf(c);
    const value = (x: number[]) => valueAndGrad(f)(x).value as number;
    const gradient = (x: number[]) => grad(f)(x) as Float64Array;
    for (const seed of [1, 2, 3]) {
      const d = direction(c.x.length, seed);
      const r = gradAndHvp(f, c.x, d);
      const fd = (value(along(c.x, d, h)) - value(along(c.x, d, -h))) / (2 * h);
      expect(Math.abs(inner(r.grad as Float64Array, d) - fd), `∇f·d, seed ${seed}`).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(fd)));
      const gp = gradient(along(c.x, d, h)), gm = gradient(along(c.x, d, -h));
      expectAgrees(r.hvp as Float64Array, Array.from(gp, (g, k) => (g - gm[k]) / (2 * h)), 1e-8, `H·d, seed ${seed}`);
    }
  });

  it.each(counted)('%s: the third order by nested transforms against differences of H·v', (_, c) => {
    const f = lossOf(c);
    const u = tensor(c.u);
    // D₂(x) = uᵀ·H(x)·v; its gradient by hvp nested in grad, checked along d against (D₂(x + hd) − D₂(x − hd))/2h.
    const second = (x: number[]) => inner(hvp(f, x, c.v) as Float64Array, c.u);
    const third = grad((t: Tensor) => dot(hvp(f, t, c.v) as unknown as Tensor, u))(c.x) as Float64Array;
    for (const seed of [4, 5]) {
      const d = direction(c.x.length, seed);
      const fd = (second(along(c.x, d, h)) - second(along(c.x, d, -h))) / (2 * h);
      expect(Math.abs(inner(third, d) - fd), `∇(uᵀHv)·d, seed ${seed}`).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(fd)));
    }
  });

  it.each(counted.filter((_, k) => k % 3 === 0))('%s: checkGrads to order 4', (_, c) => {
    const checks = checkGrads(lossOf(c), c.x, { order: 4, directions: 2, fdTolerance: 1e-6 });
    expect(checks.filter((check) => !check.passed)).toEqual([]);
  });
});

describe('avgPool2d without countPadding is unchanged', () => {
  it.each(cases.filter(([, c]) => !c.countPadding))('%s: left out, false and the reference agree, value and derivatives, bit for bit', (_, c) => {
    const x = tensor(c.x);
    const implicit = pooled(c, undefined)(x).data, explicit = pooled(c, false)(x).data;
    expect(Array.from(implicit)).toEqual(Array.from(explicit));
    expectAgrees(explicit, c.y, 4 * EPS, 'uncounted pooled');
    const before = gradAndHvp(lossOf(c, undefined), c.x, c.v), after = gradAndHvp(lossOf(c, false), c.x, c.v);
    expect(after.value).toBe(before.value);
    expect(Array.from(after.grad as Float64Array)).toEqual(Array.from(before.grad as Float64Array));
    expect(Array.from(after.hvp as Float64Array)).toEqual(Array.from(before.hvp as Float64Array));
    expectAgrees(after.grad as Float64Array, c.grad, 16 * EPS, 'gradient');
    expectAgrees(after.hvp as Float64Array, c.hvp, 32 * EPS, 'H·v');
    const u = tensor(c.u);
    const third = (countPadding: boolean | undefined) => grad((t: Tensor) => dot(hvp(lossOf(c, countPadding), t, c.v) as unknown as Tensor, u))(c.x) as Float64Array;
    const thirdBefore = third(undefined);
    expect(Array.from(third(false))).toEqual(Array.from(thirdBefore));
    expectAgrees(thirdBefore, c.third, 128 * EPS, 'third');
  });

  it('keeps the gradient of 1/count per covered element (the numbers before the option existed)', () => {
    const g = (options: AvgPoolOptions) => Array.from(grad((x: Tensor) => avgPool2d(x.reshape([1, 3, 3, 1]), 2, options).sum())(new Float64Array(9).fill(1)) as Float64Array);
    expect(g({ padding: 'same' })).toEqual([0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1]);
    expect(g({ padding: 'same', countPadding: false })).toEqual([0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1]);
    // Counted: every window passes 1/4 to each element it covers.
    expect(g({ padding: 'same', countPadding: true })).toEqual(new Array(9).fill(0.25));
  });
});

describe('avgPool2d countPadding: misuse', () => {
  const x = tensor(new Float64Array(16).fill(1), [4, 4, 1]);
  const problemOf = (run: () => unknown) => {
    try {
      run();
    } catch (e) {
      expect(e).toBeInstanceOf(OptionError);
      return { message: (e as OptionError).message, ...(e as OptionError).problem! };
    }
    throw new Error('expected an OptionError');
  };

  it.each([
    ['the number 1', 1], ['the string \'true\'', 'true'], ['null', null], ['an array', [true]],
  ])('a value that is not a boolean (%s) names the option and what it takes', (_, value) => {
    const p = problemOf(() => avgPool2d(x, 2, { countPadding: value } as never));
    expect(p.kind).toBe('invalid-value');
    expect(p.option).toBe('countPadding');
    expect(p.fn).toBe('avgPool2d');
    expect(p.expected).toBe('true or false');
    expect(p.message).toMatch(/^avgPool2d: option 'countPadding' must be true or false, got /);
  });

  it.each([
    ['countPading', 'countPadding'], ['countpadding', 'countPadding'], ['countPaddings', 'countPadding'], ['count_include_pad', null],
  ] as const)('an unknown key %s is named, with the nearest valid one', (key, suggestion) => {
    const p = problemOf(() => avgPool2d(x, 2, { [key]: true } as never));
    expect(p.kind).toBe('unknown-option');
    expect(p.option).toBe(key);
    expect(p.suggestion).toBe(suggestion);
    expect(p.validNames).toEqual(['stride', 'padding', 'countPadding']);
    expect(p.message).toContain(`unknown option '${key}'`);
    expect(p.message).toContain('Valid options: stride, padding, countPadding');
  });

  it('the method form checks the same way, and the other options keep their checks', () => {
    expect(() => x.avgPool2d(2, { countPadding: 'yes' } as never)).toThrow(/avgPool2d: option 'countPadding' must be true or false, got 'yes'/);
    const p = problemOf(() => x.avgPool2d(2, { stride: 0, countPadding: true }));
    expect([p.kind, p.option]).toEqual(['invalid-value', 'stride']);
    expect(p.validNames).toEqual(['stride', 'padding', 'countPadding']);
    expect(() => avgPool2d(x, 2, { padding: [2, 0], countPadding: true })).toThrow(/must be smaller than the window/);
  });

  it('maxPool2d has no such option', () => {
    const p = problemOf(() => maxPool2d(x, 2, { countPadding: true } as never));
    expect([p.kind, p.option, p.fn]).toEqual(['unknown-option', 'countPadding', 'maxPool2d']);
  });
});
