// Accuracy of the elementwise special functions against reference values computed here, in
// arbitrary precision, by other methods (test/high-precision/): erf by its positive series, ln Γ, ψ and
// ψ⁽ⁿ⁾ by recurrence far upward plus Euler–Maclaurin with exact Bernoulli numbers — also for negative
// arguments, where the kernels reflect instead. Errors are in ulps of the true value, measured exactly.
// The references are themselves checked against closed forms and published digits first.
import { describe, expect, it } from 'vitest';
import * as ops from '../src/ops/index.js';
import { polygammaOp } from '../src/ops/polygamma.js';
import { BERNOULLI_EVEN } from '../src/ops/special/bernoulli.js';
import { tanhNumber } from '../src/ops/special/hyperbolic-tangent.js';
import { D, dual, tensor } from '../src/index.js';
import { seededUniform } from '../src/testing/index.js';
import {
  BigFloat, ONE, abs, add, div, divInt, exp, ldexp, ln, mul, mulInt, neg, pi, sqrt, sub, ulpError, withPrecision,
} from './high-precision/big-float.js';
import { bernoulliExact, digammaRef, erfRef, erfcRef, lgammaRef, normalCdfRef, polygammaRef } from './high-precision/special.js';

const random = seededUniform(20261202);
const uniform = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + (hi - lo) * random());
/** Not an integer (poles of Γ and ψ on the negative axis). */
const offPoles = (xs: number[]) => xs.filter((x) => Math.floor(x) !== x);
/** x and its k nearest doubles on each side. */
const around = (x: number, k: number) => Array.from({ length: 2 * k + 1 }, (_, i) => x + (i - k) * 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52));

const B = (x: number) => BigFloat.from(x);
const primal = (op: { math: { f(x: number, p: number): number } }, p = 0) => (x: number) => op.math.f(x, p);

/** The largest error in ulps of `f` against `ref` over `xs`, with the point where it occurs. */
function worstUlps(f: (x: number) => number, ref: (x: number) => BigFloat, xs: number[]): { ulps: number; x: number } {
  let worst = { ulps: 0, x: NaN };
  for (const x of xs) {
    const ulps = ulpError(f(x), ref(x));
    if (!(ulps <= worst.ulps)) worst = { ulps, x };
  }
  return worst;
}

/** Largest |f − ref| / (ulp of `scale(x)`): for reflections, whose error is relative to their terms. */
function worstAgainstScale(f: (x: number) => number, ref: (x: number) => BigFloat, scale: (x: number) => number, xs: number[]) {
  let worst = { ulps: 0, x: NaN };
  for (const x of xs) {
    const err = abs(sub(B(f(x)), ref(x))).toNumber();
    const ulps = err / (Math.abs(scale(x)) * 2 ** -52);
    if (!(ulps <= worst.ulps)) worst = { ulps, x };
  }
  return worst;
}

/** ζ(3) = (5/2)·Σ_{n≥1} (−1)ⁿ⁺¹ / (n³·C(2n, n)), a series unrelated to Euler–Maclaurin. */
function apery(): BigFloat {
  let sum = BigFloat.int(0);
  let central = 1n; // C(2n, n)
  for (let n = 1; n <= 160; n++) {
    central = (central * BigInt(2 * n) * BigInt(2 * n - 1)) / BigInt(n * n);
    const term = div(ONE, BigFloat.int(BigInt(n) ** 3n * central));
    sum = n % 2 === 1 ? add(sum, term) : sub(sum, term);
  }
  return div(mul(sum, BigFloat.int(5)), BigFloat.int(2));
}

describe('the references themselves', () => {
  it('match closed forms: ln Γ(½) = ln √π, ln Γ(7) = ln 720, ψ′(1) = π²/6, ψ′(½) = π²/2, ψ″(1) = −2ζ(3)', () => {
    withPrecision(200, () => {
      const close = (a: BigFloat, b: BigFloat) => expect(abs(sub(a, b)).exponent()).toBeLessThan(-180);
      close(lgammaRef(0.5), ln(sqrt(pi())));
      close(lgammaRef(7), ln(BigFloat.int(720)));
      close(polygammaRef(1, 1), div(mul(pi(), pi()), BigFloat.int(6)));
      close(polygammaRef(1, 0.5), div(mul(pi(), pi()), BigFloat.int(2)));
      close(polygammaRef(2, 1), neg(ldexp(apery(), 1)));
    });
  });

  it('match published digits: erf(1) (OEIS A099286) and ψ(1) = −γ (OEIS A001620), to 45 digits', () => {
    const digits = (b: BigFloat) => ((b.m * 10n ** 45n) >> BigInt(-b.e)).toString();
    withPrecision(200, () => {
      expect(digits(erfRef(1))).toBe('842700792949714869341220635082609259296066997');
      expect(digits(neg(digammaRef(1)))).toBe('577215664901532860606512090082402431042159335');
    });
  });

  it('the Bernoulli numbers of the kernels are the exact ones, correctly rounded', () => {
    const exact = bernoulliExact(2 * BERNOULLI_EVEN.length);
    BERNOULLI_EVEN.forEach((b, j) => {
      const [num, den] = exact[2 * (j + 1)];
      expect(ulpError(b, BigFloat.ratio(num, den))).toBeLessThanOrEqual(0.5);
    });
  });
});

describe('erf and erfc: Cody\'s approximations, to a few ulps', () => {
  const edges = [0.46875, 0.46875 + 2 ** -53, 4, 4 + 2 ** -50, 1e-300, -1e-20, 5e-324, 0.5, -0.5, 1, 2, 3];

  it('erf: ≤ 3 ulps on [−6, 6]', () => {
    // −0.47283330986059235: the worst of 40,000 points against mpmath (2.9 ulps).
    const worst = worstUlps(primal(ops.erf), erfRef, [...uniform(40, -6, 6), ...edges, -0.47283330986059235]);
    expect(worst.ulps, `at x = ${worst.x}`).toBeLessThanOrEqual(3);
  });

  it('erfc: ≤ 6 ulps on [−6, 27.3], through the subnormal range (erfc(27.2) ≈ 1e−323)', () => {
    const tail = [10, 20, 26.5, 26.6, 27, 27.2, ...uniform(8, 6, 27.2)];
    // 3.376270743779001: the worst of 40,000 points against mpmath (5.7 ulps).
    const worst = worstUlps(primal(ops.erfc), erfcRef, [...uniform(40, -6, 6), ...edges, ...tail, 3.376270743779001]);
    expect(worst.ulps, `at x = ${worst.x}`).toBeLessThanOrEqual(6);
  });

  it('gelu = x·Φ(x): ≤ 7 ulps, down the left tail to where it underflows (6.3 at worst over 40,000 points, at x ≈ −5.08)', () => {
    const xs = [...uniform(30, -38, 6), -30, -37.5, -5.081307731785195, -1, 0.25];
    const worst = worstUlps(primal(ops.gelu), (x) => mul(B(x), normalCdfRef(x)), xs);
    expect(worst.ulps, `at x = ${worst.x}`).toBeLessThanOrEqual(7);
  });
});

describe('ln|Γ|', () => {
  const positive = [
    ...uniform(15, 0, 0.5), ...uniform(15, 0.5, 3), ...uniform(10, 3, 30), ...uniform(5, 30, 1e6),
    1e-300, 5e-324, 1e300, 2.5, 10, 12.5,
    // Next to the zeros at 1 and 2, where relative accuracy needs the zeros factored out.
    ...around(1, 3), ...around(2, 3), 1 + 2 ** -30, 1 - 2 ** -30, 2 + 2 ** -20, 2 - 2 ** -20,
  ].filter((x) => x !== 1 && x !== 2);

  it('x > 0: ≤ 2 ulps, including next to its zeros at 1 and 2', () => {
    const worst = worstUlps(primal(ops.lgamma), lgammaRef, positive);
    expect(worst.ulps, `at x = ${worst.x}`).toBeLessThanOrEqual(2);
  });

  it('x < 0 (reflection): within 4 ulps of its larger term', () => {
    const xs = offPoles([...uniform(20, -30, 0), -0.5, -1e-300, -2.5, -2.457, -2.747]);
    const scale = (x: number) => Math.max(Math.abs(ops.lgamma.math.f(1 - x, 0)), Math.abs(ops.lgamma.math.f(x, 0)), 1);
    const worst = worstAgainstScale(primal(ops.lgamma), lgammaRef, scale, xs);
    expect(worst.ulps, `at x = ${worst.x}`).toBeLessThanOrEqual(4);
  });
});

describe('ψ (digamma)', () => {
  const ROOT = 1.4616321449683622; // the double nearest ψ's positive zero

  it('x > 0: ≤ 3 ulps, including at its zero x₀ = 1.4616…', () => {
    const xs = [
      ...uniform(15, 0, 1), ...uniform(15, 1, 3), ...uniform(10, 3, 30), ...uniform(5, 30, 1e6),
      1e-300, 1, 2, 10, ...around(ROOT, 4), ROOT + 1e-9, ROOT - 1e-9,
    ];
    const worst = worstUlps(primal(ops.digamma), digammaRef, xs);
    expect(worst.ulps, `at x = ${worst.x}`).toBeLessThanOrEqual(3);
  });

  it('x < 0 (reflection): within 4 ulps of its larger term, ψ(1 − x) or π·cot(πx)', () => {
    const xs = offPoles([...uniform(20, -30, 0), -0.5, -1e-300, -1.5]);
    const scale = (x: number) => Math.max(Math.abs(ops.digamma.math.f(1 - x, 0)), Math.abs(Math.PI / Math.tan(Math.PI * x)), 1);
    const worst = worstAgainstScale(primal(ops.digamma), digammaRef, scale, xs);
    expect(worst.ulps, `at x = ${worst.x}`).toBeLessThanOrEqual(4);
  });
});

describe('ψ⁽ⁿ⁾ (polygamma)', () => {
  const xs = [...uniform(8, 0, 1), ...uniform(8, 1, 4), ...uniform(6, 4, 40), 1e4 + 0.5, 1e-3, 0.5, 1];

  for (const n of [1, 2, 3, 4, 7]) {
    it(`n = ${n}, x > 0: ≤ 3 ulps`, () => {
      const worst = worstUlps(primal(polygammaOp, n), (x) => polygammaRef(n, x), xs);
      expect(worst.ulps, `at x = ${worst.x}`).toBeLessThanOrEqual(3);
    });
  }

  it('n = 30, 100 and 200, x > 0 (n! kept apart from ζ, so neither overflows alone): ≤ 3 ulps', () => {
    for (const n of [30, 100, 200]) {
      const worst = worstUlps(primal(polygammaOp, n), (x) => polygammaRef(n, x), [2.7, 55.5, 300.25, 1e4 + 0.1]);
      expect(worst.ulps, `n = ${n} at x = ${worst.x}`).toBeLessThanOrEqual(3);
    }
  });

  it('x < 0: odd n (the series, all terms positive) within 3 ulps; even n (reflection through cot⁽ⁿ⁾) within 8 ulps of its terms', () => {
    const negative = offPoles([...uniform(10, -20, 0), -0.5, -2.25]);
    // Where the reflection had its worst errors at odd n (8.5 ulps at n = 3, 24 at n = 9): a wider
    // range, both sides of the series' split at 16 terms left of 0, and next to poles.
    const odd = offPoles([...negative, ...uniform(10, -300, -20), -2.1680111997312346, -95.81706649315404, -16.5, -17.25, -3 + 1e-9, -3 - 1e-9, -1e-10]);
    for (const n of [1, 3, 5, 9, 15]) {
      const worst = worstUlps(primal(polygammaOp, n), (x) => polygammaRef(n, x), odd);
      expect(worst.ulps, `n = ${n} at x = ${worst.x}`).toBeLessThanOrEqual(3);
    }
    for (const n of [2, 4]) {
      const scale = (x: number) => Math.max(Math.abs(polygammaOp.math.f(1 - x, n)), Math.abs(polygammaOp.math.f(x, n)));
      const worst = worstAgainstScale(primal(polygammaOp, n), (x) => polygammaRef(n, x), scale, negative);
      expect(worst.ulps, `n = ${n} at x = ${worst.x}`).toBeLessThanOrEqual(8);
    }
  });
});

describe('tanh: our own (special/hyperbolic-tangent.ts), not Math.tanh', () => {
  /**
   * tanh x = (e²ˣ − 1)/(e²ˣ + 1) at 320 bits (cancellation near 0 costs at most ~30 of them), and
   * x − x³/3 below 1e−9 (the next term, 2x⁵/15, is under 2⁻¹⁴⁰ of x there).
   */
  const tanhRef = (x: number) => {
    if (Math.abs(x) < 1e-9) return mul(B(x), sub(ONE, divInt(mul(B(x), B(x)), 3)));
    const e2x = exp(mulInt(B(x), 2));
    return div(sub(e2x, ONE), add(e2x, ONE));
  };

  it('≤ 1.5 ulps on [−20, 20], on both sides of its seam at 0.65 and where it reaches ±1 at 19.1 (Math.tanh: 2.1)', () => {
    const xs = [
      ...uniform(300, -1, 1), ...uniform(300, -20, 20), ...uniform(100, 0.6, 0.7),
      ...around(0.65, 40), ...around(-0.65, 10), ...around(19.1, 10), ...around(1e-9, 5),
      1e-8, -3e-7, 2 ** -20, 0.5, 1, 2, 5, 10, 18.5, 19.05,
    ];
    const worst = worstUlps(tanhNumber, tanhRef, xs);
    expect(worst.ulps, `at x = ${worst.x}`).toBeLessThanOrEqual(1.5);
  });

  it('is tanh x = x below 1e−9 (x³/3 is under half an ulp there), down through the subnormals', () => {
    for (const x of [9.9e-10, 1e-12, 1e-300, 5e-324, -1e-310]) {
      expect(ulpError(tanhNumber(x), tanhRef(x)), `x = ${x}`).toBeLessThanOrEqual(0.5);
      expect(tanhNumber(x)).toBe(x);
    }
  });

  it('is odd and keeps the conventions: ±0, ±1 at ±∞ and from ±19.1 on, NaN stays NaN', () => {
    for (const x of [...uniform(200, -25, 25), 0.65, 19.1, 1e-9]) expect(tanhNumber(-x)).toBe(-tanhNumber(x));
    expect(Object.is(tanhNumber(0), 0)).toBe(true);
    expect(Object.is(tanhNumber(-0), -0)).toBe(true);
    expect([tanhNumber(Infinity), tanhNumber(-Infinity), tanhNumber(19.1), tanhNumber(-400), tanhNumber(1e308)]).toEqual([1, -1, 1, -1, 1]);
    expect(tanhNumber(NaN)).toBeNaN();
    // tanh rounds to 1 from 19.06 on (1 − tanh x = 2e⁻²ˣ falls under 2⁻⁵⁴); at 19 it is the double below 1.
    expect(tanhNumber(19)).toBe(1 - 2 ** -53);
    expect(tanhNumber(19.07)).toBe(1);
  });

  it('never leaves [−1, 1] and never decreases, on a 5e−5 grid of [−20, 20]', () => {
    let previous = -1, backSteps = 0, outside = 0;
    for (let k = -400_000; k <= 400_000; k++) {
      const y = tanhNumber(k * 5e-5);
      if (!(Math.abs(y) <= 1)) outside++;
      if (y < previous) backSteps++;
      previous = y;
    }
    expect({ backSteps, outside }).toEqual({ backSteps: 0, outside: 0 });
  });

  it('is what every path computes: the op on scalars and tensors, and dual numbers', () => {
    const xs = [...uniform(50, -4, 4), 0.65, -0.64999999999999991, 19.2];
    const t = ops.tanh(tensor(xs)) as { value: Float64Array };
    xs.forEach((x, k) => {
      expect(t.value[k]).toBe(tanhNumber(x));
      expect(primal(ops.tanh)(x)).toBe(tanhNumber(x));
      expect(D.tanh(dual(x, 1)).value).toBe(tanhNumber(x));
    });
  });
});

describe('stable forms of the other ops', () => {
  it('logit: ≤ 2 ulps on (0, 1), near ½ too (where ln x − ln(1 − x) cancels)', () => {
    const xs = [...uniform(30, 0, 1), ...uniform(10, 0.49, 0.51), 0.5 + 2 ** -40, 1e-300, 1 - 2 ** -53];
    const worst = worstUlps(primal(ops.logit), (x) => ln(div(B(x), sub(ONE, B(x)))), xs);
    expect(worst.ulps, `at x = ${worst.x}`).toBeLessThanOrEqual(2);
  });

  it('silu = x/(1 + e⁻ˣ): ≤ 2 ulps from −700 to 40', () => {
    const worst = worstUlps(primal(ops.silu), (x) => div(B(x), add(ONE, exp(neg(B(x))))), uniform(30, -700, 40));
    expect(worst.ulps, `at x = ${worst.x}`).toBeLessThanOrEqual(2);
  });

  it('logAddExp = ln(eᵃ + eᵇ): ≤ 2 ulps', () => {
    const pairs = uniform(30, -40, 40).map((a) => [a, uniform(1, -40, 40)[0]]);
    for (const [a, b] of pairs) {
      expect(ulpError(ops.logAddExp.math.f(a, b), ln(add(exp(B(a)), exp(B(b)))))).toBeLessThanOrEqual(2);
    }
  });

  it('hypot = √(a² + b²): ≤ 2 ulps, and no overflow or underflow at 1e±300', () => {
    const pairs = [...uniform(20, -5, 5).map((a) => [a, uniform(1, -5, 5)[0]]), [1e300, 3e300], [1e-300, 2e-300], [3e-320, 4e-320]];
    for (const [a, b] of pairs) {
      expect(ulpError(ops.hypot.math.f(a, b), sqrt(add(mul(B(a), B(a)), mul(B(b), B(b)))))).toBeLessThanOrEqual(2);
    }
  });
});
