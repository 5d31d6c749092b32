// norm (ord 2 and 'fro', over all elements and along axes, keepDims too) and std (ddof 0 and 1, along
// axes) at x·c for c from 1e-309 to 1e307 and at points whose elements differ in scale, against
// 50-digit mpmath at the float64 inputs (norm-std-reference/norm-std-mpmath.py, closed forms checked
// there against mpmath's own numerical derivatives). H·v comes out of hvp, grad∘grad and jvp∘grad,
// the third-order contraction ∇(wᵀHv) out of grad∘hvp and hvp∘grad, each along e₁ and along a
// direction at x's scale (H·v of order 1, ∇(wᵀHv) of order 1/c). Where the exact number is past the
// largest double it must be that ±∞; every finite one within a few ulps of the largest component, or
// of the terms it is a sum of where those cancel (the script gives their size).
// Before the norm's rules divided by ‖x‖ last, H·e₁ of ‖(1, 2, 3)·1e-309‖ was (−∞, −∞, −∞) where it
// is (+∞, −3.8e307, −5.7e307), and std's NaN from c = 1e-308 down where it is ≈ 6.8e306.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dot, grad, gradAndHvp, hvp, jvp, norm, std, tensor, type Scalar, type Tensor } from '../src/index.js';

type Encoded = number | 'Infinity' | '-Infinity';

interface Case {
  readonly loss: string;
  readonly shape: number[];
  readonly kind: 'scale' | 'mixed';
  readonly c: number;
  readonly directions: 'unit' | 'scaled';
  readonly x: number[];
  readonly v: number[];
  readonly w: number[];
  readonly value: Encoded;
  readonly grad: Encoded[];
  readonly hvp: Encoded[];
  readonly third: Encoded[];
  /** The sizes of the terms H·v and ∇(wᵀHv) are sums of: what their rounding is relative to. */
  readonly hvpSize: Encoded;
  readonly thirdSize: Encoded;
  /** Components 0 but for the rounding of x, relative to those terms: past the largest double, any sign. */
  readonly hvpNoise: number[];
  readonly thirdNoise: number[];
}

const reference = JSON.parse(readFileSync(new URL('./norm-std-reference/norm-std-mpmath.json', import.meta.url), 'utf8')) as { cases: Case[] };

const decode = (e: Encoded): number => (e === 'Infinity' ? Infinity : e === '-Infinity' ? -Infinity : e);

/** The losses of the reference script, by name: Σ of weights times each line's norm or std. */
const LOSSES: Record<string, (m: Tensor) => Scalar> = {
  norm: (m) => norm(m),
  std: (m) => std(m),
  'std ddof 1': (m) => std(m, undefined, { ddof: 1 }),
  'norm axis 1': (m) => norm(m, 2, 1).mul(tensor([1, -2])).sum(),
  'norm axis 0 keepDims': (m) => norm(m, 2, 0, true).mul(tensor([[1, -2, 0.5]])).sum(),
  fro: (m) => norm(m, 'fro'),
  'std axis 1 ddof 1 keepDims': (m) => std(m, 1, { ddof: 1, keepDims: true }).mul(tensor([[1], [-2]])).sum(),
  'std axis 0': (m) => std(m, 0).mul(tensor([1, -2])).sum(),
};

const lossOf = (c: Case) => (t: Tensor) => LOSSES[c.loss](t.reshape(c.shape));

/**
 * `actual` is `expected` rounded: the same ±∞ where the exact number is past the largest double, and
 * each finite component within rtol of the largest finite one, or of `terms` (the size of the terms it
 * is a sum of, where they cancel), or a few subnormal ulps. A component in `noise` whose terms are past
 * the largest double may be anything but NaN.
 */
function expectAgrees(actual: number | Float64Array, expected: readonly Encoded[], rtol: number, what: string, terms: Encoded = 0, noise: readonly number[] = []): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = expected.map(decode);
  expect(a.length, what).toBe(e.length);
  const size = Math.max(Number.isFinite(decode(terms)) ? decode(terms) : 0, ...e.filter(Number.isFinite).map(Math.abs));
  const bound = rtol * size + 8 * 2 ** -1074;
  a.forEach((ak, k) => {
    if (noise.includes(k) && decode(terms) === Infinity) expect(ak, `${what} [${k}]`).not.toBeNaN();
    else if (!Number.isFinite(e[k])) expect(ak, `${what} [${k}]`).toBe(e[k]);
    else expect(Math.abs(ak - e[k]), `${what} [${k}]: ${ak}, exact ${e[k]}`).toBeLessThanOrEqual(bound);
  });
}

const EPS = 2 ** -52;
const name = (c: Case) => `${c.loss} at ${c.kind === 'scale' ? `x·${c.c}` : `[${c.x}]`} along ${c.directions} directions`;

describe('norm and std at extreme and mixed scales agree with 50-digit mpmath', () => {
  it('covers every loss at every scale, the ones the defect was found at included', () => {
    const scales = new Set(reference.cases.map((c) => c.c));
    for (const c of [1, 1e-300, 1e-308, 1e-309, 1e300, 1e307]) expect(scales.has(c)).toBe(true);
    expect(new Set(reference.cases.map((c) => c.loss))).toEqual(new Set(Object.keys(LOSSES)));
  });

  it.each(reference.cases.map((c) => [name(c), c] as const))('%s: value, gradient and H·v (hvp, grad∘grad, jvp∘grad)', (_, c) => {
    const f = lossOf(c);
    const r = gradAndHvp(f, c.x, c.v);
    expectAgrees(r.value as number, [c.value], 4 * EPS, 'value');
    expectAgrees(r.grad as Float64Array, c.grad, 16 * EPS, 'gradient');
    expectAgrees(r.hvp as Float64Array, c.hvp, 64 * EPS, 'hvp', c.hvpSize, c.hvpNoise);
    expectAgrees(hvp(f, c.x, c.v) as Float64Array, c.hvp, 64 * EPS, 'hvp alone', c.hvpSize, c.hvpNoise);
    const v = tensor(c.v);
    expectAgrees(grad((t: Tensor) => dot(grad(f)(t) as unknown as Tensor, v))(c.x) as Float64Array, c.hvp, 64 * EPS, 'grad∘grad', c.hvpSize, c.hvpNoise);
    expectAgrees(jvp((t: Tensor) => grad(f)(t) as unknown as Tensor, c.x, c.v).tangent as Float64Array, c.hvp, 64 * EPS, 'jvp∘grad', c.hvpSize, c.hvpNoise);
  });

  it.each(reference.cases.map((c) => [name(c), c] as const))('%s: the third-order ∇(wᵀHv) (grad∘hvp, hvp∘grad)', (_, c) => {
    const f = lossOf(c);
    const w = tensor(c.w);
    const viaGrad = grad((t: Tensor) => dot(hvp(f, t, c.v) as unknown as Tensor, w))(c.x) as Float64Array;
    expectAgrees(viaGrad, c.third, 256 * EPS, 'grad∘hvp', c.thirdSize, c.thirdNoise);
    const viaHvp = hvp((t: Tensor) => dot(grad(f)(t) as unknown as Tensor, w), c.x, c.v) as Float64Array;
    expectAgrees(viaHvp, c.third, 256 * EPS, 'hvp∘grad', c.thirdSize, c.thirdNoise);
  });

  // The fourth order has no reference; its two paths must agree: hvp over grad∘hvp takes normBend's
  // closed-form fourth derivative Q, jvp over it differentiates normBend's recorded third derivative.
  // (At scale 1: Q's terms are products of three directions, formed before the divisions by ‖x‖.)
  it.each(reference.cases.filter((c) => c.kind === 'scale' && c.c === 1).map((c) => [name(c), c] as const))(
    '%s: the fourth order along two paths',
    (_, c) => {
      const f = lossOf(c);
      const w = tensor(c.w);
      const third = (t: Tensor) => grad((s: Tensor) => dot(hvp(f, s, c.v) as unknown as Tensor, w))(t) as unknown as Tensor;
      const z = c.x.map((_, k) => (k % 3 === 1 ? -1 : 1 / (k + 1)));
      const closed = hvp((t: Tensor) => dot(hvp(f, t, c.v) as unknown as Tensor, w), c.x, z) as Float64Array;
      const nested = jvp(third, c.x, z).tangent as Float64Array;
      const size = Math.max(...Array.from(nested, Math.abs));
      closed.forEach((e, k) => expect(Math.abs(e - nested[k]), `[${k}]`).toBeLessThanOrEqual(1e-13 * size));
    },
  );
});
