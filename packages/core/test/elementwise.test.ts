// The elementwise family of issue 15 (tan … logAddExp): values and first and second derivatives at
// the edges (0, tiny, huge, poles, NaN, ±Infinity), the conventions at kinks and ties, identities that
// tie each op's derivatives to another op's (inverse pairs, recurrences, reflections), argument errors,
// and the Tensor/Scalar methods. Accuracy against arbitrary-precision references is in
// elementwise-accuracy.test.ts; derivatives against finite differences in the op table.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ops from '../src/ops/index.js';
import { polygammaOp } from '../src/ops/polygamma.js';
import {
  ArgumentError, FiniteError, grad, gradAndHvp, hvp, scalar, tensor, valueAndGrad, type Node, type Scalar, type Tensor,
} from '../src/index.js';

type Unary = (x: Node) => Node;

/** f(x), f′(x), f″(x) of an elementwise op at each point: a scalar run per point and one tensor run. */
function derivatives(op: Unary, xs: number[]): { y: number[]; dy: number[]; d2y: number[] } {
  const scalarRuns = xs.map((x) => gradAndHvp((t: Scalar) => op(t) as Scalar, x, 1));
  const tensorRun = gradAndHvp((t: Tensor) => (op(t) as Tensor).sum(), xs, xs.map(() => 1));
  const y = scalarRuns.map((r) => r.value);
  const dy = scalarRuns.map((r) => r.grad as number);
  const d2y = scalarRuns.map((r) => r.hvp as number);
  // The tensor rule and the scalar rule are one rule: they must agree exactly, NaN included.
  expect(plus0(Array.from(tensorRun.grad as Float64Array))).toEqual(plus0(dy));
  expect(plus0(Array.from(tensorRun.hvp as Float64Array))).toEqual(plus0(d2y));
  return { y, dy, d2y };
}

/** −0 → 0, for comparisons where the sign of a zero is incidental. */
const plus0 = (xs: number[]) => xs.map((v) => v + 0);

const close = (actual: number, expected: number, rel = 1e-14) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected));

describe('values and derivatives at the edges', () => {
  it('NaN in gives NaN out for every unary op: value, f′ and f″', () => {
    const unary: Unary[] = [
      ops.tan, ops.asin, ops.acos, ops.atan, ops.sinh, ops.cosh, ops.asinh, ops.acosh, ops.atanh, ops.expm1, ops.exp2,
      ops.log2, ops.log10, ops.cbrt, ops.rsqrt, ops.reciprocal, ops.erf, ops.erfc, ops.gelu, ops.silu, ops.logit,
      ops.sign, ops.floor, ops.ceil, ops.round, ops.lgamma, ops.digamma, (x) => ops.polygamma(2, x),
      (x) => ops.elu(x), (x) => ops.leakyRelu(x), (x) => ops.clip(x, -1, 1),
    ];
    for (const op of unary) {
      const { y, dy, d2y } = derivatives(op, [NaN]);
      expect([y[0], dy[0]]).toEqual([NaN, NaN]);
      // f″ at NaN: NaN, or the exact 0 of a piecewise-linear op (its f″ vanishes identically).
      expect(Number.isNaN(d2y[0]) || d2y[0] === 0).toBe(true);
    }
  });

  it('trigonometric and hyperbolic inverses: domain ends and huge arguments', () => {
    const asin = derivatives(ops.asin, [1, -1, 1.5, 0]);
    expect(asin.y).toEqual([Math.PI / 2, -Math.PI / 2, NaN, 0]);
    expect(asin.dy).toEqual([Infinity, Infinity, NaN, 1]);
    const acos = derivatives(ops.acos, [-1, 1]);
    expect(acos.y).toEqual([Math.PI, 0]);
    expect(acos.dy).toEqual([-Infinity, -Infinity]);
    const atan = derivatives(ops.atan, [Infinity, -Infinity, 1e200, 0]);
    expect(atan.y).toEqual([Math.PI / 2, -Math.PI / 2, Math.PI / 2, 0]);
    expect(atan.dy).toEqual([0, 0, 0, 1]);
    expect(plus0(atan.d2y)).toEqual([0, 0, 0, 0]);
    // 1/√(1 + x²) with 1 + x² = ∞ would be 0; hypot(1, x) keeps the true 1e−300.
    const asinh = derivatives(ops.asinh, [1e300, -1e300]);
    expect(asinh.dy).toEqual([1e-300, 1e-300]);
    expect(plus0(asinh.d2y)).toEqual([0, 0]); // −x/(1 + x²)^(3/2) ≈ ∓1e−600 underflows, and nothing is NaN
    const acosh = derivatives(ops.acosh, [1, 0.5, 1e300]);
    expect(acosh.y.slice(0, 2)).toEqual([0, NaN]);
    expect(acosh.dy[0]).toBe(Infinity);
    close(acosh.dy[2], 1e-300);
    const atanh = derivatives(ops.atanh, [1, -1, 0]);
    expect(atanh.y).toEqual([Infinity, -Infinity, 0]);
    expect(atanh.dy).toEqual([Infinity, Infinity, 1]);
    // sinh and cosh stay finite up to ln(2·1.797e308) ≈ 710.47.
    expect(derivatives(ops.sinh, [710]).dy[0]).toBeLessThan(Infinity);
    expect(derivatives(ops.cosh, [711]).y[0]).toBe(Infinity);
    expect(derivatives(ops.tan, [0]).dy).toEqual([1]);
  });

  it('exponentials and logarithms: expm1′ keeps eˣ where y + 1 rounds to 0; exact powers of two', () => {
    const expm1 = derivatives(ops.expm1, [-40, -800, 1e-10, Infinity]);
    expect(expm1.dy[0]).toBe(Math.exp(-40)); // y + 1 = 0 here
    expect(expm1.y.slice(1)).toEqual([-1, 1.00000000005e-10, Infinity]);
    expect(expm1.dy[1]).toBe(0);
    const exp2 = derivatives(ops.exp2, [3, -1075, 1024, -Infinity]);
    expect(exp2.y).toEqual([8, 0, Infinity, 0]);
    close(exp2.dy[0], 8 * Math.LN2);
    const log2 = derivatives(ops.log2, [2 ** 40, 0, -1, Infinity]);
    expect(log2.y).toEqual([40, -Infinity, NaN, Infinity]);
    expect(log2.dy[1]).toBe(Infinity);
    expect(derivatives(ops.log10, [1000]).y).toEqual([3]);
  });

  it('roots and reciprocals: cube roots of negatives, poles at 0 with the sign of the zero', () => {
    const cbrt = derivatives(ops.cbrt, [-27, 0, -0, 1e300]);
    expect(cbrt.y.slice(0, 3)).toEqual([-3, 0, -0]);
    close(cbrt.dy[0], 1 / 27);
    expect(cbrt.dy[1]).toBe(Infinity);
    close(cbrt.y[3], 1e100);
    const rsqrt = derivatives(ops.rsqrt, [0, Infinity, -1, 4]);
    expect(rsqrt.y).toEqual([Infinity, 0, NaN, 0.5]);
    expect(rsqrt.dy[3]).toBe(-1 / 16);
    expect(rsqrt.d2y[3]).toBe(3 / 128);
    const reciprocal = derivatives(ops.reciprocal, [0, -0, Infinity, -4]);
    expect(reciprocal.y).toEqual([Infinity, -Infinity, 0, -0.25]);
    expect(reciprocal.dy[3]).toBe(-1 / 16);
    expect(reciprocal.d2y[3]).toBe(-2 / 64);
  });

  it('erf and erfc: limits at ±∞, derivatives that underflow to 0 instead of becoming 0·∞ = NaN', () => {
    const erf = derivatives(ops.erf, [Infinity, -Infinity, 30, -0, 1e200]);
    expect(erf.y).toEqual([1, -1, 1, -0, 1]);
    expect(erf.dy).toEqual([0, 0, 0, 2 / Math.sqrt(Math.PI), 0]);
    expect(erf.d2y.every((v) => v === 0)).toBe(true);
    const erfc = derivatives(ops.erfc, [Infinity, -Infinity, 30, 1e200, 10]);
    expect(erfc.y.slice(0, 4)).toEqual([0, 2, 0, 0]);
    expect(plus0(erfc.dy.slice(0, 4))).toEqual([0, 0, 0, 0]);
    expect(erfc.d2y.slice(0, 4).every((v) => v === 0)).toBe(true);
    // erfc(10) = 2.088e−45 where 1 − erf(10) = 0; its log-derivative is about −2x.
    const logDerivative = grad((x: Scalar) => ops.erfc(x).log())(10);
    close(logDerivative, -20.099, 1e-4);
  });

  it('gelu and silu: the left tail gives −0 with finite derivatives (never −∞·0)', () => {
    for (const op of [ops.gelu, ops.silu]) {
      const { y, dy, d2y } = derivatives(op, [-Infinity, -1000, Infinity, 1e200, 0]);
      expect(y.slice(0, 2)).toEqual([-0, -0]);
      expect(y.slice(2, 4)).toEqual([Infinity, 1e200]);
      expect(plus0(dy.slice(1, 4))).toEqual([0, 1, 1]);
      expect(dy[4]).toBe(0.5);
      expect(d2y.slice(1, 4).every((v) => v === 0)).toBe(true);
    }
    close(derivatives(ops.gelu, [0]).d2y[0], 2 / Math.sqrt(2 * Math.PI)); // 2φ(0)
    close(derivatives(ops.silu, [0]).d2y[0], 0.5); // 2σ(0)σ(0)
  });

  it('logit: ±∞ at the ends, NaN outside [0, 1], 0 at ½', () => {
    const logit = derivatives(ops.logit, [0, 1, -0.5, 1.5, 0.5]);
    expect(logit.y).toEqual([-Infinity, Infinity, NaN, NaN, 0]);
    expect(logit.dy.filter((_, k) => k !== 2 && k !== 3)).toEqual([Infinity, Infinity, 4]);
    expect(logit.d2y[4]).toBe(0);
  });

  it('lgamma, digamma, polygamma: poles, ±∞, and the zeros of ln Γ', () => {
    const lgamma = derivatives(ops.lgamma, [0, -1, -2, Infinity, -Infinity, 1, 2, 5e-324]);
    expect(lgamma.y.slice(0, 7)).toEqual([Infinity, Infinity, Infinity, Infinity, Infinity, 0, 0]);
    close(lgamma.y[7], 1074 * Math.LN2); // −ln(2⁻¹⁰⁷⁴)
    close(lgamma.dy[5], -0.5772156649015329); // ψ(1) = −γ
    close(lgamma.d2y[5], Math.PI ** 2 / 6); // ψ′(1)
    // ψ has poles of opposite signs on either side: no limit, NaN. ψ′ tends to +∞ from both sides.
    const digamma = derivatives(ops.digamma, [0, -3, Infinity]);
    expect(digamma.y).toEqual([NaN, NaN, Infinity]);
    expect(digamma.dy.slice(0, 2)).toEqual([Infinity, Infinity]);
    expect(derivatives((x) => ops.polygamma(1, x), [Infinity, -2]).y).toEqual([0, Infinity]);
    expect(derivatives((x) => ops.polygamma(2, x), [-2]).y).toEqual([NaN]);
  });

  it('hypot and atan2: no overflow at 1e300, subgradient 0 at the origin', () => {
    const hypotGrad = (a: number, b: number) => grad((p: Tensor) => ops.hypot(p.at(0), p.at(1)))([a, b]);
    expect(Array.from(hypotGrad(1e300, 1e300)).every((g) => Math.abs(g - Math.SQRT1_2) < 1e-15)).toBe(true);
    expect(Array.from(hypotGrad(0, 0))).toEqual([0, 0]);
    expect(ops.hypot.math.f(Infinity, NaN)).toBe(Infinity);
    const atan2Grad = (a: number, b: number) => Array.from(grad((p: Tensor) => ops.atan2(p.at(0), p.at(1)))([a, b]));
    expect(atan2Grad(0, 0)).toEqual([0, 0]);
    const [ga, gb] = atan2Grad(1e300, 1e300);
    close(ga, 0.5e-300, 1e-12);
    close(gb, -0.5e-300, 1e-12);
    // The H·v of atan2 at the origin is 0 too, not NaN; strict mode reports the 0·∞ it took to get there.
    expect(Array.from(hvp((p: Tensor) => ops.atan2(p.at(0), p.at(1)), [0, 0], [1, 1]))).toEqual([0, 0]);
    for (const op of [ops.hypot, ops.atan2]) {
      expect(() => gradAndHvp((p: Tensor) => op(p.at(0), p.at(1)), [0, 0], [1, 1], { checkFinite: true })).toThrow(FiniteError);
    }
  });

  it('logAddExp: ties, infinite and far-apart arguments', () => {
    const run = (a: number, b: number) => valueAndGrad((p: Tensor) => ops.logAddExp(p.at(0), p.at(1)))([a, b]);
    expect(run(1000, 1000).value).toBe(1000 + Math.LN2);
    expect(Array.from(run(1000, 1000).grad)).toEqual([0.5, 0.5]);
    expect(Array.from(run(1000, -1000).grad)).toEqual([1, 0]);
    expect(run(-Infinity, 3).value).toBe(3);
    expect(Array.from(run(-Infinity, 3).grad)).toEqual([0, 1]);
    expect(ops.logAddExp.math.f(-Infinity, -Infinity)).toBe(-Infinity);
    expect(ops.logAddExp.math.f(Infinity, -Infinity)).toBe(Infinity);
  });

  it('empty tensors pass through every op', () => {
    const empty: Unary[] = [ops.tan, ops.erf, ops.gelu, ops.lgamma, (x) => ops.polygamma(1, x), (x) => ops.clip(x, 0, 1), ops.round];
    for (const op of empty) {
      const { value, grad: g } = valueAndGrad((t: Tensor) => (op(t) as Tensor).sum())(new Float64Array(0));
      expect(value).toBe(0);
      expect((g as Float64Array).length).toBe(0);
    }
  });

  it('strict mode ({ checkFinite: true }) accepts the tails: no hidden 0·∞ in the derivative forms', () => {
    const tails: [Unary, number][] = [
      [ops.erfc, 40], [ops.erf, 1e200], [ops.gelu, -60], [ops.gelu, 1e200], [ops.silu, -1000], [ops.elu as Unary, 1000],
      [ops.asinh, 1e300], [ops.atan, 1e300], [ops.expm1, -1000],
    ];
    for (const [op, x] of tails) {
      expect(() => gradAndHvp((t: Scalar) => op(t) as Scalar, x, 1, { checkFinite: true }), `${x}`).not.toThrow();
    }
    // A genuine infinity is still reported.
    expect(() => gradAndHvp((t: Scalar) => ops.atanh(t), 1, 1, { checkFinite: true })).toThrow(FiniteError);
  });
});

describe('kinks, jumps and ties', () => {
  it('sign, floor, ceil, round: derivative 0 everywhere, jumps included; round halves to even', () => {
    const xs = [-2.5, -1.5, -0.5, 0, 0.5, 1.5, 2.5, 3.7, -3.7, 2 ** 53 + 2, -0.4];
    expect(derivatives(ops.round, xs).y).toEqual([-2, -2, -0, 0, 0, 2, 2, 4, -4, 2 ** 53 + 2, -0]);
    expect(derivatives(ops.floor, [-0.5, 2, 2.5]).y).toEqual([-1, 2, 2]);
    expect(derivatives(ops.ceil, [-0.5, 2, 2.5]).y).toEqual([-0, 2, 3]);
    expect(derivatives(ops.sign, [-3, 0, -0, 2]).y).toEqual([-1, 0, -0, 1]);
    for (const op of [ops.sign, ops.floor, ops.ceil, ops.round]) {
      const { dy, d2y } = derivatives(op, [-1, 0, 0.5, 1, 2.5, Infinity]);
      expect(dy.every((v) => v === 0) && d2y.every((v) => v === 0)).toBe(true);
    }
  });

  it('round agrees with round-half-to-even on random halves and non-halves', () => {
    fc.assert(fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ min: -0.49, max: 0.49, noNaN: true }), (k, f) => {
      const [half, near] = derivatives(ops.round, [k + 0.5, k + f]).y;
      expect(half + 0).toBe(k % 2 === 0 ? k : k + 1);
      expect(near + 0).toBe(k);
    }), { numRuns: 60 });
  });

  it('elu and leakyRelu take the left derivative at 0 (α and the slope), as JAX and PyTorch', () => {
    expect(plus0(derivatives((x) => ops.elu(x, 2), [0, -1, 1, -Infinity, 1000]).dy)).toEqual([2, 2 * Math.exp(-1), 1, 0, 1]);
    expect(plus0(derivatives((x) => ops.elu(x, 2), [0, -1, 1]).d2y)).toEqual([2, 2 * Math.exp(-1), 0]);
    expect(derivatives((x) => ops.elu(x, 2), [-Infinity]).y).toEqual([-2]);
    expect(derivatives((x) => ops.leakyRelu(x, 0.1), [0, -3, 2]).dy).toEqual([0.1, 0.1, 1]);
    expect(derivatives((x) => ops.leakyRelu(x, 0), [-Infinity]).y).toEqual([0]);
    expect(derivatives((x) => ops.leakyRelu(x), [-1]).dy).toEqual([0.01]);
  });

  it('clip: ½ to x and ½ to the bound at a tie, as maximum and minimum', () => {
    expect(Array.from(grad((x: Tensor) => ops.clip(x, -1, 1).sum())([-3, -1, 0.5, 1, 7]))).toEqual([0, 0.5, 1, 0.5, 0]);
    const g = grad((p: { x: Scalar; lo: Scalar; hi: Scalar }) => ops.clip(p.x, p.lo, p.hi))({ x: 2, lo: 2, hi: 5 });
    expect(g).toEqual({ x: 0.5, lo: 0.5, hi: 0 });
  });

  it('clip: shifting x and both bounds by t shifts the result by t, so the three partials sum to 1', () => {
    fc.assert(fc.property(
      fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 0, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }),
      (x, lo, hi) => {
        const g = grad((p: { x: Scalar; lo: Scalar; hi: Scalar }) => ops.clip(p.x, p.lo, p.hi))({ x, lo, hi }) as { x: number; lo: number; hi: number };
        expect(g.x + g.lo + g.hi).toBe(1);
        const y = valueAndGrad((t: Scalar) => ops.clip(t, lo, hi))(x).value;
        expect(y + 0).toBe(Math.min(Math.max(x, lo), hi) + 0);
      },
    ), { numRuns: 40 });
  });

  it('clip with node bounds broadcasts, and where lo > hi the result is hi (NumPy)', () => {
    const { value, grad: g } = valueAndGrad((p: { x: Tensor; lo: Scalar; hi: Tensor }) =>
      ops.clip(p.x, p.lo, p.hi).sum())({ x: [-5, 0, 5], lo: 1, hi: [3, 0.5, 4] });
    expect(value).toBe(1 + 0.5 + 4);
    const { x: gx, lo: glo, hi: ghi } = g as { x: Float64Array; lo: number; hi: Float64Array };
    expect([plus0(Array.from(gx)), glo, plus0(Array.from(ghi))]).toEqual([[0, 0, 0], 1, [0, 1, 1]]);
  });
});

describe('cbrt at and near 0: every derivative its one-sided limit, the same by every transform', () => {
  // f = x^(1/3): f′ = (1/3)x^(−2/3), f″ = −(2/9)x^(−5/3), f‴ = (10/27)x^(−8/3), f⁗ = −(80/81)x^(−11/3),
  // so at ±0 (the side of the zero's sign) f′ = +∞, f″ = ∓∞, f‴ = +∞, f⁗ = ∓∞; at ±1e-300 they overflow
  // with those signs. grad∘grad differentiates f′'s expression, hvp uses f″'s, grad∘hvp differentiates
  // that: all three must give the limits (f″(0) was 0 and f‴(0) −∞ when f′ went through y·y).
  const g1 = grad((x: Scalar) => ops.cbrt(x));
  const g2 = grad((x: Scalar) => g1(x) as unknown as Scalar);
  const g3 = grad((x: Scalar) => g2(x) as unknown as Scalar);
  const g4 = grad((x: Scalar) => g3(x) as unknown as Scalar);
  const h = (x: number) => hvp((t: Scalar) => ops.cbrt(t), x, 1) as number;
  const gh = (x: number) => grad((t: Scalar) => hvp((u: Scalar) => ops.cbrt(u), t, 1) as unknown as Scalar)(x) as number;
  const limits = (x: number) => {
    const s = Object.is(x, -0) || x < 0 ? -1 : 1;
    return [Infinity, -s * Infinity, Infinity, -s * Infinity];
  };

  it('at ±0 and ±1e-300', () => {
    for (const x of [0, -0, 1e-300, -1e-300, 5e-324]) {
      const want = limits(x);
      // f′ is finite away from 0 itself (3.3e199 at 1e-300); the higher ones overflow.
      if (x === 0) expect(g1(x)).toBe(Infinity);
      else close(g1(x), 1 / (3 * Math.cbrt(x) ** 2), 4e-16);
      expect([g2(x), g3(x), g4(x)], `${x}`).toEqual(want.slice(1));
      expect([h(x), gh(x)], `${x}`).toEqual([want[1], want[2]]);
    }
  });

  it('away from 0, the closed forms', () => {
    for (const x of [1e-150, -1e-150, 1e-3, -2, 8, 1e300]) {
      const y = Math.cbrt(x);
      close(g1(x), 1 / (3 * y * y), 4e-16);
      close(g2(x), -2 / (9 * y ** 5), 1e-15);
      close(h(x), -2 / (9 * y ** 5), 1e-15);
      if (Math.abs(x) > 1e-100) close(g3(x), 10 / (27 * y ** 8), 2e-15);
      if (Math.abs(x) > 1e-100) close(gh(x), 10 / (27 * y ** 8), 2e-15);
    }
  });
});

describe('asin, acos, atanh: 1 − x² accurate near |x| = 1 and its derivatives exact near 0, by every transform', () => {
  // f′ = s/√(1 − x²) (asin s = 1, acos s = −1) or 1/(1 − x²) (atanh); f″ = s·x/(1 − x²)^(3/2) or
  // 2x/(1 − x²)²; f‴ = s·(1 + 2x²)/(1 − x²)^(5/2) or (2 + 6x²)/(1 − x²)³. Near 0, grad∘grad went
  // through (1 − x) − (1 + x), which cancels (0 at 1e-300, 5e-10 off at 1e-8); hvp did not.
  const ops3 = [
    { name: 'asin', op: ops.asin, d1: (x: number, w: number) => 1 / Math.sqrt(w), d2: (x: number, w: number) => x / w ** 1.5, d3: (x: number, w: number) => (1 + 2 * x * x) / w ** 2.5 },
    { name: 'acos', op: ops.acos, d1: (x: number, w: number) => -1 / Math.sqrt(w), d2: (x: number, w: number) => -x / w ** 1.5, d3: (x: number, w: number) => -(1 + 2 * x * x) / w ** 2.5 },
    { name: 'atanh', op: ops.atanh, d1: (x: number, w: number) => 1 / w, d2: (x: number, w: number) => (2 * x) / w ** 2, d3: (x: number, w: number) => (2 + 6 * x * x) / w ** 3 },
  ];
  // 1 − x² exactly: x = ±(1 − 2⁻³⁰) gives 2⁻²⁹ − 2⁻⁶⁰, and small x give 1 − x² = 1 to a rounding.
  const points: Array<[number, number]> = [[1e-300, 1], [-1e-300, 1], [1e-8, 1 - 1e-16], [-3e-5, 1 - 9e-10], [0.3, 0.91], [1 - 2 ** -30, 2 ** -29 - 2 ** -60], [-(1 - 2 ** -30), 2 ** -29 - 2 ** -60]];
  for (const { name, op, d1, d2, d3 } of ops3) {
    it(name, () => {
      const g1 = grad((x: Scalar) => op(x));
      const g2 = grad((x: Scalar) => g1(x) as unknown as Scalar);
      const g3 = grad((x: Scalar) => g2(x) as unknown as Scalar);
      for (const [x, w] of points) {
        close(g1(x) as number, d1(x, w), 4e-16);
        close(g2(x) as number, d2(x, w), 2e-15);
        close(hvp((t: Scalar) => op(t), x, 1) as number, d2(x, w), 2e-15);
        close(g3(x) as number, d3(x, w), 4e-15);
      }
    });
  }
});

describe('logit near 0 and 1: grad of grad overflows to −∞/+∞ as hvp does, never NaN', () => {
  // f′ = 1/x + 1/(1 − x), f″ = −1/x² + 1/(1 − x)² = (2x − 1)/(x(1 − x))², f‴ = 2/x³ + 2/(1 − x)³.
  // f″ overflows below x ≈ 1e-154 (and within 1e-154 of 1); grad∘grad gave NaN there (−∞ + ∞ from
  // the product rule of 1/(x(1 − x))), where hvp gave the overflow's sign.
  const g1 = grad((x: Scalar) => ops.logit(x));
  const g2 = grad((x: Scalar) => g1(x) as unknown as Scalar);
  const g3 = grad((x: Scalar) => g2(x) as unknown as Scalar);
  const h = (x: number) => hvp((t: Scalar) => ops.logit(t), x, 1) as number;

  it('where f″ overflows', () => {
    for (const x of [1e-155, 1e-200, 1e-300, 5e-324]) {
      expect([g2(x), h(x)], `${x}`).toEqual([-Infinity, -Infinity]);
      expect(g3(x), `${x}`).toBe(Infinity);
    }
    expect([g2(0), h(0)]).toEqual([-Infinity, -Infinity]);
    expect([g2(1), h(1)]).toEqual([Infinity, Infinity]);
  });

  it('elsewhere, the closed forms', () => {
    for (const x of [1e-150, 1e-8, 0.1, 0.25, 0.5, 0.5 + 2 ** -40, 0.75, 0.9, 1 - 2 ** -30, 1 - 2 ** -52]) {
      const w = 1 - x; // exact for x ≥ ½, and within an ulp of the truth below
      close(g1(x) as number, 1 / (x * w), 4e-16);
      close(g2(x) as number, (2 * x - 1) / (x * w) ** 2, 4e-15);
      close(h(x), (2 * x - 1) / (x * w) ** 2, 4e-15);
      if (x > 1e-100) close(g3(x) as number, 2 / x ** 3 + 2 / w ** 3, 4e-15);
    }
  });
});

/** Row i of the Hessian of op(p₀, p₁) at (a, b) by hvp and by grad of grad; ∂ₖ∂ⱼ∂ᵢ by grad∘grad∘grad. */
function binaryRoutes(op: (a: Scalar, b: Scalar) => Node) {
  const f = (p: Tensor) => op(p.at(0), p.at(1)) as Scalar;
  const g1 = (i: number) => (p: Tensor) => (grad(f)(p) as unknown as Tensor).at(i) as Scalar;
  const g2 = (i: number, j: number) => (p: Tensor) => (grad(g1(i))(p) as unknown as Tensor).at(j) as Scalar;
  return {
    hvp: (i: number, a: number, b: number) => Array.from(hvp(f, [a, b], i === 0 ? [1, 0] : [0, 1]) as unknown as Float64Array),
    gg: (i: number, a: number, b: number) => Array.from(grad(g1(i))([a, b]) as unknown as Float64Array),
    ggg: (i: number, j: number, a: number, b: number) => Array.from(grad(g2(i, j))([a, b]) as unknown as Float64Array),
  };
}

describe('hypot with one leg far shorter: grad of grad without cancellation, as hvp', () => {
  // ∂²y/∂a² = b²/y³, ∂²y/∂a∂b = −ab/y³, ∂²y/∂b² = a²/y³; ∂³y/∂a³ = −3ab²/y⁵, ∂³y/∂a²∂b = b(2a² − b²)/y⁵.
  // grad∘grad differentiated ∂y/∂a = a·(1/y) into 1/y − a²/y³, which cancels where |b| ≪ |a|: it gave
  // 0 for b²/y³ = 1e-16 at (1, 1e-8) and 8.9e-16 for 8e-16 at (0.5, 1e-8).
  const r = binaryRoutes((a, b) => ops.hypot(a, b));

  it('the closed forms, by hvp and by grad of grad, and the third derivatives', () => {
    for (const [a, b] of [[1, 1e-8], [0.5, -1e-8], [1e8, 2], [-2, 1e8], [3, 4], [1e-8, 1e-20], [1e200, 1e190]]) {
      const y = Math.hypot(a, b), s = a / y, c = b / y;
      const H = [[c * c / y, -s * c / y], [-s * c / y, s * s / y]];
      for (const i of [0, 1]) {
        const [h, gg] = [r.hvp(i, a, b), r.gg(i, a, b)];
        for (const j of [0, 1]) {
          close(h[j], H[i][j], 4e-15);
          close(gg[j], H[i][j], 4e-15);
        }
      }
      const T = r.ggg(0, 0, a, b);
      close(T[0], -3 * s * c * c / (y * y), 1e-14);
      close(T[1], c * (2 * s * s - c * c) / (y * y), 1e-14);
    }
  });
});

describe('pow with a node exponent where aᵇ under- or overflows: grad of grad as hvp', () => {
  // ∂²y/∂a∂b = a^(b−1)(1 + b ln a), ∂³y/∂a²∂b = a^(b−2)(2b − 1 + b(b − 1) ln a). grad∘grad formed
  // ∂²y/∂a∂b from y = aᵇ (y·ln a differentiated: y′·ln a + y/a), which underflows at 1e-200² (0.1% off)
  // and overflows at 1e300² (+∞ for 1.4e303) where a^(b−1) does not, and at a = 0 < b < 1 as ∞ − ∞ (NaN
  // for the limit −∞).
  const r = binaryRoutes((a, b) => ops.pow(a, b));
  const mixed = (a: number, b: number) => a ** (b - 1) * (1 + b * Math.log(a));

  it('∂²y/∂a∂b by hvp and by grad of grad, both rows', () => {
    for (const [a, b] of [[1e-200, 2], [1e-300, 2], [5e-324, 1], [5e-324, 0.5], [1e300, 2], [1e200, 1.5], [2, 3], [0.5, -1.5]]) {
      const want = mixed(a, b);
      for (const row of [r.hvp(0, a, b), r.gg(0, a, b)]) close(row[1], want, 4e-15);
      for (const row of [r.hvp(1, a, b), r.gg(1, a, b)]) close(row[0], want, 4e-15);
    }
  });

  it('at a = 0 for 0 < b < 1: the limit −∞ by every route', () => {
    for (const b of [0.5, 1e-8]) {
      expect([r.hvp(0, 0, b)[1], r.gg(0, 0, b)[1], r.hvp(1, 0, b)[0], r.gg(1, 0, b)[0]], `${b}`).toEqual([-Infinity, -Infinity, -Infinity, -Infinity]);
    }
  });

  it('∂³y/∂a²∂b by grad of grad of grad, from ∂y/∂a and from ∂y/∂b', () => {
    // From ∂y/∂b it was −917.03 for −918.03 at (1e-200, 2) and 2e-200 for 1e-200 at (1e200, 1).
    for (const [a, b] of [[1e-200, 2], [1e200, 1], [1e300, 1], [2, 3]]) {
      const want = a ** (b - 2) * (2 * b - 1 + b * (b - 1) * Math.log(a));
      close(r.ggg(0, 0, a, b)[1], want, 4e-15);
      close(r.ggg(1, 0, a, b)[0], want, 4e-15);
    }
  });
});

describe('div by |b| > 1e154: ∂²y/∂b² = 2a/b³ without the underflow of 1/b², by hvp and grad of grad', () => {
  // hvp formed (2y·Ḃ − Ȧ)·(1/b)², and grad∘grad differentiated y·(1/b) into y·(−1/b²): (1/b)² underflows
  // to 0 for |b| > 1e162, so hvp gave 0 for 2e-300 at (1e300, 1e200), 0 for ∞ at a = ∞ and 0 for NaN at
  // a = NaN; grad∘grad gave 1e-300, half of 2e-300.
  const r = binaryRoutes((a, b) => ops.div(a, b));

  it('the closed form and its limits', () => {
    for (const [a, b] of [[1e300, 1e200], [-1e300, 1e170], [1e300, -1e200], [3, 4], [1e-300, 1e-100]]) {
      const want = 2 * (a / b) / b / b;
      close(r.hvp(1, a, b)[1], want, 1e-15);
      close(r.gg(1, a, b)[1], want, 1e-15);
    }
    expect([r.hvp(1, Infinity, 1e200)[1], r.gg(1, Infinity, 1e200)[1]]).toEqual([Infinity, Infinity]);
    expect([r.hvp(1, NaN, 1e200)[1], r.gg(1, NaN, 1e200)[1]]).toEqual([NaN, NaN]);
  });
});

describe('xlogy and xlog1py: ∂²y/∂b² = −x/b² (−x/(1 + b)²) by grad of grad as by hvp, where 1/b² under- or overflows', () => {
  // grad∘grad differentiated x·(1/b) into x·(−1/b²): 0 for −1e-200 at (1e200, 1e200), −∞ for −1e300 at
  // (1e-300, 1e-300), 0 for −∞ at x = ∞ and for NaN at x = NaN; hvp forms ((x/b)/b).
  const ly = binaryRoutes((x, b) => ops.xlogy(x, b));
  const l1p = binaryRoutes((x, b) => ops.xlog1py(x, b));

  it('the closed forms and their limits', () => {
    for (const [x, b] of [[1e200, 1e200], [-1e300, 1e200], [1e-300, 1e-300], [1e-200, -1e-200], [5e-324, 1e-200], [3, 4]]) {
      for (const v of [ly.hvp(1, x, b)[1], ly.gg(1, x, b)[1]]) close(v, -(x / b) / b, 1e-15);
    }
    for (const [x, b] of [[1e200, 1e200], [-1e300, 1e200], [1e300, 1e300], [3, 4]]) {
      for (const v of [l1p.hvp(1, x, b)[1], l1p.gg(1, x, b)[1]]) close(v, -(x / (1 + b)) / (1 + b), 1e-15);
    }
    for (const r of [ly, l1p]) {
      expect([r.hvp(1, Infinity, 1e200)[1], r.gg(1, Infinity, 1e200)[1]]).toEqual([-Infinity, -Infinity]);
      expect([r.hvp(1, NaN, 1e200)[1], r.gg(1, NaN, 1e200)[1]]).toEqual([NaN, NaN]);
      // x = 0: y is 0 for every b, and so is every b-derivative, by both routes.
      expect([r.hvp(1, 0, 1e-300)[1], r.gg(1, 0, 1e-300)[1]]).toEqual([0, 0]);
    }
  });
});

describe('atan2 near an axis, on the diagonal, at tiny radius and at the origin: every route the closed forms', () => {
  // With r = hypot(a, b), s = a/r, c = b/r, u = 1/r: ∂²θ/∂a² = −2sc·u², ∂²θ/∂a∂b = (a² − b²)/r⁴,
  // ∂³θ/∂a³ = 2c(3s² − c²)u³, ∂³θ/∂a²∂b = 2s(3c² − s²)u³ (references: mpmath). hvp formed ∂²θ/∂a∂b as
  // (s − c)(s + c)u² (3.5e-7 off at (1, 1 + 1e-10)) and ∂²θ/∂a² as −2sc·u² (−∞ for −2e180 at
  // (1e-300, 1e-160)); grad of hvp differentiated c = b·u into u − c²u, which cancels where |a| ≪ |b|
  // (5.2e-40 for 6e-40 at (1e-8, 1e8)); grad of grad formed u² = ∞ where r < 1e-154: NaN for 0 at
  // (1e-300, 1e-300), NaN for −∞ at (0, 1e-200), ±∞ for the structural 0 at the origin.
  const r = binaryRoutes((a, b) => ops.atan2(a, b));
  const f = (p: Tensor) => ops.atan2(p.at(0), p.at(1)) as Scalar;
  /** ∂ₖ of row i, element j of the Hessian by grad of hvp. */
  const gh = (i: number, j: number, a: number, b: number) =>
    Array.from(grad((p: Tensor) => (hvp(f, p, i === 0 ? [1, 0] : [0, 1]) as unknown as Tensor).at(j) as Scalar)([a, b]) as unknown as Float64Array);
  /** Every route's ∂²θ/∂a², ∂²θ/∂a∂b (both rows) and ∂³θ/∂a³, ∂³θ/∂a²∂b (each from both second partials). */
  const routes = (a: number, b: number) => ({
    aa: [r.hvp(0, a, b)[0], r.gg(0, a, b)[0]],
    ab: [r.hvp(0, a, b)[1], r.gg(0, a, b)[1], r.hvp(1, a, b)[0], r.gg(1, a, b)[0]],
    aaa: [r.ggg(0, 0, a, b)[0], gh(0, 0, a, b)[0]],
    aab: [r.ggg(0, 0, a, b)[1], r.ggg(0, 1, a, b)[0], r.ggg(1, 0, a, b)[0], gh(0, 0, a, b)[1], gh(0, 1, a, b)[0], gh(1, 0, a, b)[0]],
  });

  it('the closed forms at moderate points', () => {
    for (const [a, b] of [[3, 4], [-2, 0.5], [0.3, 0.7], [1, -1e-3]]) {
      const y = Math.hypot(a, b), s = a / y, c = b / y, u = 1 / y;
      const want = {
        aa: -2 * s * c * u * u, ab: (a - b) * (a + b) * u * u * u * u,
        aaa: 2 * c * (3 * s * s - c * c) * u ** 3, aab: 2 * s * (3 * c * c - s * s) * u ** 3,
      };
      const got = routes(a, b);
      for (const k of ['aa', 'ab', 'aaa', 'aab'] as const) for (const v of got[k]) close(v, want[k], 1e-14);
    }
  });

  it('near an axis, near the diagonal and at tiny radius', () => {
    const cases: [number, number, Partial<Record<'aa' | 'ab' | 'aaa' | 'aab', number>>][] = [
      [1e-8, 1e8, { aa: -2e-32, ab: -1e-16, aaa: -2e-24, aab: 6e-40 }],
      [1e-300, 1, { aa: -2e-300, ab: -1, aaa: -2, aab: 6e-300 }],
      [1e-8, 1, { aa: -1.9999999999999996e-8, ab: -0.9999999999999997, aaa: -1.9999999999999988, aab: 5.9999999999999981e-8 }],
      [1, 1 + 1e-10, { aa: -0.49999999995, ab: -5.0000004129518549e-11, aaa: 0.49999999985, aab: 0.5 }],
      [0.7, 0.7000001, { aa: -1.0204080174927114, ab: -1.457725636003168e-7, aaa: 1.4577253227822633, aab: 1.4577259475217769 }],
      [1e-300, 1e-160, { aa: -2e180, ab: -Infinity, aaa: -Infinity, aab: Infinity }],
      [2e-300, 1e-300, { aa: -Infinity, ab: Infinity, aaa: Infinity, aab: -Infinity }],
      [1e-300, 1e-300, { ab: 0 }],
      [0, 1e-200, { aa: 0, ab: -Infinity, aab: 0 }],
    ];
    for (const [a, b, want] of cases) {
      const got = routes(a, b);
      for (const k of ['aa', 'ab', 'aaa', 'aab'] as const) {
        const w = want[k];
        if (w === undefined) continue;
        for (const v of got[k]) {
          if (Number.isFinite(w) && w !== 0) close(v, w, 4e-15);
          else expect(v + 0, `${k} at (${a}, ${b})`).toBe(w);
        }
      }
    }
  });

  it('at the origin every second and third partial is 0 (the structural-zero convention), by every route', () => {
    for (const a of [0, -0]) for (const b of [0, -0]) {
      const got = routes(a, b);
      const all = [...got.aa, ...got.ab, ...got.aaa, ...got.aab, ...r.hvp(1, a, b), ...r.gg(1, a, b)];
      expect(all.map((v) => v + 0), `(${a}, ${b})`).toEqual(all.map(() => 0));
    }
  });
});

describe('identities that tie derivatives together', () => {
  // g(f(x)) = x: its derivative is 1 and its second derivative 0, whatever f′ and g′ are.
  const inversePairs: [string, Unary, Unary, [number, number]][] = [
    ['atan(tan x)', ops.tan, ops.atan, [-1.4, 1.4]],
    ['asin(sin x)', (x) => x.sin(), ops.asin, [-1.4, 1.4]],
    ['acos(cos x)', (x) => x.cos(), ops.acos, [0.1, 3]],
    ['asinh(sinh x)', ops.sinh, ops.asinh, [-5, 5]],
    ['acosh(cosh x)', ops.cosh, ops.acosh, [0.1, 5]],
    ['atanh(tanh x)', (x) => x.tanh(), ops.atanh, [-3, 3]],
    ['log1p(expm1 x)', ops.expm1, (x) => x.log1p(), [-5, 5]],
    ['log2(exp2 x)', ops.exp2, ops.log2, [-5, 5]],
    ['log10(10ˣ)', (x) => x.mul(Math.LN10).exp(), ops.log10, [-5, 5]],
    ['cbrt(x³)', (x) => x.pow(3), ops.cbrt, [0.2, 3]],
    ['logit(σ(x))', (x) => x.sigmoid(), ops.logit, [-5, 5]],
    ['reciprocal(reciprocal x)', ops.reciprocal, ops.reciprocal, [0.2, 3]],
    ['rsqrt(x)⁻²', ops.rsqrt, (x) => x.pow(-2), [0.2, 3]],
  ];

  for (const [name, f, g, [lo, hi]] of inversePairs) {
    it(`${name} = x: first derivative 1, second 0`, () => {
      fc.assert(fc.property(fc.double({ min: lo, max: hi, noNaN: true }), (x) => {
        const r = gradAndHvp((t: Scalar) => g(f(t)) as Scalar, x, 1);
        expect(Math.abs((r.grad as number) - 1)).toBeLessThan(1e-9);
        expect(Math.abs(r.hvp as number)).toBeLessThan(1e-7);
      }), { numRuns: 25 });
    });
  }

  it('erf + erfc = 1 and gelu(x) − gelu(−x) = x, silu(x) − silu(−x) = x: with their first and second derivatives', () => {
    const identities: [Unary, (x: number) => number][] = [
      [(t) => ops.erf(t).add(ops.erfc(t)), () => 1],
      [(t) => ops.gelu(t).sub(ops.gelu(t.neg())), (x) => x],
      [(t) => ops.silu(t).sub(ops.silu(t.neg())), (x) => x],
    ];
    fc.assert(fc.property(fc.double({ min: -6, max: 6, noNaN: true }), (x) => {
      for (const [f, value] of identities) {
        const r = gradAndHvp((t: Scalar) => f(t) as Scalar, x, 1);
        expect(Math.abs(r.value - value(x))).toBeLessThan(1e-14);
        expect(Math.abs((r.grad as number) - (value(x + 1) - value(x)))).toBeLessThan(1e-14);
        expect(Math.abs(r.hvp as number)).toBeLessThan(1e-14);
      }
    }), { numRuns: 30 });
  });

  it('Γ(x + 1) = xΓ(x): ln Γ(x+1) − ln Γ(x) = ln x, ψ(x+1) − ψ(x) = 1/x, ψ′(x+1) − ψ′(x) = −1/x² (derivatives of lgamma)', () => {
    fc.assert(fc.property(fc.double({ min: -8, max: 20, noNaN: true }).filter((x) => Math.abs(x - Math.round(x)) > 0.05), (x) => {
      const at = (v: number) => gradAndHvp((t: Scalar) => ops.lgamma(t), v, 1);
      const a = at(x), b = at(x + 1);
      expect(Math.abs(b.value - a.value - Math.log(Math.abs(x)))).toBeLessThan(1e-12 * (1 + Math.abs(a.value)));
      expect(Math.abs((b.grad as number) - (a.grad as number) - 1 / x)).toBeLessThan(1e-11 * (1 + Math.abs(a.grad as number)));
      expect(Math.abs((b.hvp as number) - (a.hvp as number) + 1 / (x * x))).toBeLessThan(1e-11 * (1 + Math.abs(a.hvp as number)));
    }), { numRuns: 40 });
  });

  it('Legendre duplication: ln Γ(2x) = (2x − 1)ln 2 − ½ln π + ln Γ(x) + ln Γ(x + ½), and its derivatives', () => {
    fc.assert(fc.property(fc.double({ min: 0.05, max: 30, noNaN: true }), (x) => {
      const f = (t: Scalar) => ops.lgamma(t.mul(2)).sub(ops.lgamma(t)).sub(ops.lgamma(t.add(0.5)));
      const r = gradAndHvp(f, x, 1);
      const value = (2 * x - 1) * Math.LN2 - 0.5 * Math.log(Math.PI);
      expect(Math.abs(r.value - value)).toBeLessThan(1e-13 * (1 + Math.abs(value) + Math.abs(ops.lgamma.math.f(2 * x, 0))));
      expect(Math.abs((r.grad as number) - 2 * Math.LN2)).toBeLessThan(1e-12 * (1 + 1 / x));
      expect(Math.abs(r.hvp as number)).toBeLessThan(1e-11 * (1 + 1 / (x * x)));
    }), { numRuns: 30 });
  });

  it('reflection: ψ(1 − x) − ψ(x) = π·cot(πx), ψ′(1 − x) + ψ′(x) = π²/sin²(πx)', () => {
    fc.assert(fc.property(fc.double({ min: -5, max: 5, noNaN: true }).filter((x) => Math.abs(x - Math.round(x)) > 0.05), (x) => {
      const psi = (v: number) => ops.digamma.math.f(v, 0);
      const trigamma = (v: number) => polygammaOp.math.f(v, 1);
      const cot = Math.cos(Math.PI * x) / Math.sin(Math.PI * x);
      expect(Math.abs(psi(1 - x) - psi(x) - Math.PI * cot)).toBeLessThan(1e-12 * (1 + Math.abs(Math.PI * cot) + Math.abs(psi(x))));
      const target = (Math.PI / Math.sin(Math.PI * x)) ** 2;
      expect(Math.abs(trigamma(1 - x) + trigamma(x) - target)).toBeLessThan(1e-12 * target);
    }), { numRuns: 30 });
  });

  it('polygamma(n) is the derivative of polygamma(n − 1): f, f′, f″ of polygamma(1) are ψ′, ψ″, ψ‴', () => {
    const r = gradAndHvp((t: Scalar) => ops.polygamma(1, t), 1, 1);
    close(r.value, Math.PI ** 2 / 6);
    close(r.grad as number, -2 * 1.2020569031595942); // −2ζ(3)
    close(r.hvp as number, Math.PI ** 4 / 15); // 6ζ(4)
  });

  it('hypot(ka, kb) = k·hypot(a, b) exactly for powers of two k, far beyond where a² overflows', () => {
    // Normal numbers only: among subnormals, scaling changes how a result rounds.
    const normal = fc.double({ min: -10, max: 10, noNaN: true }).filter((v) => v === 0 || Math.abs(v) > 1e-100);
    fc.assert(fc.property(normal, normal, fc.integer({ min: -600, max: 900 }), (a, b, e) => {
      const k = 2 ** e;
      expect(ops.hypot.math.f(a * k, b * k)).toBe(ops.hypot.math.f(a, b) * k);
    }), { numRuns: 40 });
  });

  it('atan2: tan θ = a/b, and the gradient is (b, −a)/(a² + b²) on both sides of the branch cut', () => {
    fc.assert(fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), (a, b) => {
      fc.pre(Math.hypot(a, b) > 1e-3);
      const [ga, gb] = Array.from(grad((p: Tensor) => ops.atan2(p.at(0), p.at(1)))([a, b]));
      const r2 = a * a + b * b;
      expect(Math.abs(ga - b / r2)).toBeLessThan(1e-12 / r2 + 1e-15);
      expect(Math.abs(gb + a / r2)).toBeLessThan(1e-12 / r2 + 1e-15);
    }), { numRuns: 40 });
  });
});

/** Runs `check` inside a transform, where scalar() and tensor() make constants. */
function inside(check: () => void): void {
  grad((u: Scalar) => {
    check();
    return u;
  })(0);
}

describe('argument errors are typed and say what to do', () => {
  const x = () => scalar(0.5);
  it('elu, leakyRelu: a non-finite or non-number parameter', () => {
    expect(() => grad((t: Scalar) => ops.elu(t, NaN))(0.5)).toThrow(ArgumentError);
    expect(() => grad((t: Scalar) => ops.elu(t, NaN))(0.5)).toThrow(/elu: alpha must be a finite number, got NaN/);
    expect(() => grad((t: Scalar) => ops.leakyRelu(t, '0.1' as never))(0.5)).toThrow(/leakyRelu: slope must be a finite number/);
  });

  it('polygamma: an order that is not a non-negative integer', () => {
    inside(() => {
      expect(() => ops.polygamma(1.5, x())).toThrow(ArgumentError);
      expect(() => ops.polygamma(-1, x())).toThrow(/polygamma: the order n must be an integer in \[0, 1000\], got -1/);
    });
  });

  it('clip: NaN bounds, lo above hi, no node at all, a bound that is not a number or node', () => {
    inside(() => {
      expect(() => ops.clip(x(), NaN, 1)).toThrow(/clip: lo is NaN; use -Infinity or Infinity for no bound/);
      expect(() => ops.clip(x(), 2, 1)).toThrow(/clip: lo = 2 is above hi = 1; give lo ≤ hi/);
      expect(() => ops.clip(0.5 as never, 0, 1)).toThrow(/clip: x, lo and hi are all numbers/);
      expect(() => ops.clip(x(), 0, 'one' as never)).toThrow(ArgumentError);
      expect(() => ops.clip(x(), [0, NaN] as never, 1)).toThrow(/clip: lo holds NaN/);
      expect(() => ops.clip(x(), [[0], ['a']] as never, 1)).toThrow(/clip: lo holds 'a'/);
    });
  });

  it('clip: array bounds are constants broadcast with x (its type allows them), with the tie rule of node bounds', () => {
    const at = [-3, 0.5, 1, 7];
    const lo = [-1, 0, 0, 0], hi = Float64Array.of(1, 1, 1, 5);
    expect(Array.from(ops.clip(tensor(at), lo, hi).value)).toEqual([-1, 0.5, 1, 5]);
    // ∂/∂x: 0 below lo, 1 inside, ½ at the tie x = hi, 0 above; the same as with the bounds as nodes.
    expect(Array.from(grad((v: Tensor) => ops.clip(v, lo, hi).sum())(at) as Float64Array)).toEqual([0, 1, 0.5, 0]);
    expect(Array.from(grad((v: Tensor) => ops.clip(v, tensor(lo), tensor(hi)).sum())(at) as Float64Array)).toEqual([0, 1, 0.5, 0]);
    // A matrix of bounds broadcasts against rows of x.
    expect(Array.from(ops.clip(tensor([[5, -5], [0.5, 9]]), [[0], [1]], [[1], [2]]).value)).toEqual([1, 0, 1, 2]);
  });

  it('a unary op given a plain number or a string', () => {
    expect(() => ops.tan(3 as never)).toThrow(ArgumentError);
    expect(() => ops.lgamma('x' as never)).toThrow(/lgamma: expected a node/);
  });
});

describe('methods', () => {
  it('every op is a Tensor and Scalar method giving the same numbers', () => inside(() => {
    const t = tensor([0.3, 0.6]);
    const unary = ['tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'asinh', 'atanh', 'expm1', 'exp2', 'log2', 'log10', 'cbrt',
      'rsqrt', 'reciprocal', 'erf', 'erfc', 'gelu', 'silu', 'logit', 'sign', 'floor', 'ceil', 'round', 'lgamma', 'digamma', 'elu', 'leakyRelu'] as const;
    for (const name of unary) {
      const fn = ops[name] as unknown as (x: Node) => Node;
      expect(Array.from((t[name]() as Tensor).value), name).toEqual(Array.from((fn(t) as Tensor).value));
      expect(scalar(0.3)[name]().value, name).toBe((fn(scalar(0.3)) as Scalar).value);
    }
    expect(Array.from(tensor([1.2, 3]).acosh().value)).toEqual(Array.from(ops.acosh(tensor([1.2, 3])).value));
    expect(Array.from(t.polygamma(2).value)).toEqual(Array.from(ops.polygamma(2, t).value));
    expect(Array.from(t.clip(0.4, scalar(1)).value)).toEqual([0.4, 0.6]);
    expect(scalar(3).atan2(4).value).toBe(Math.atan2(3, 4));
    expect(Array.from(t.hypot(tensor([0.4, 0.8])).value)).toEqual([Math.hypot(0.3, 0.4), Math.hypot(0.6, 0.8)]);
    expect(scalar(2).logAddExp(2).value).toBe(2 + Math.LN2);
  }));
});
