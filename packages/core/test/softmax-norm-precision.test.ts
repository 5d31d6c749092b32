// softmax, logSoftmax and norm at extreme magnitudes, against references computed here in arbitrary
// precision (test/high-precision/big-float.ts: exact differences, exp, ln and sqrt of the doubles
// given) and against the exact laws the functions obey:
// - softmax and logSoftmax depend on the differences of the logits only, so at logits c + d their
//   values and derivatives are those at d whatever c is (c + d exact: the same doubles differ by the
//   same amounts). x − logSumExp(x) broke this: it rounds at the precision of max x (4e-9 at 1e8).
// - norm is homogeneous of degree 1: at x·2ᵏ the value is y·2ᵏ, the gradient the same and H·v
//   H(x)v·2⁻ᵏ, exactly, as long as no number involved is subnormal. Scaling by max|xₖ| broke this when
//   that was subnormal (1/max overflows below 2⁻¹⁰²⁴).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, gradAndHvp, logSoftmax, logSumExp, norm, softmax, tensor, type Tensor } from '../src/index.js';
import { BigFloat, ONE, abs, add, div, exp, ldexp, ln, mul, sqrt, sub, ulpError } from './high-precision/big-float.js';

const EPS = 2 ** -52;
const B = (x: number) => BigFloat.from(x);
const f64 = (a: unknown) => Array.from(a as Float64Array);
/** x·2ᵏ in two exact steps (2ᵏ alone may not be a double, e.g. 2¹⁰⁷⁰). */
const scale = (x: number, k: number) => x * 2 ** Math.trunc(k / 2) * 2 ** (k - Math.trunc(k / 2));

// ---------------------------------------------------------------------------------------------------
// softmax and logSoftmax
// ---------------------------------------------------------------------------------------------------

/** softmax(x) and logSoftmax(x) of the doubles x, exactly (to 320 bits). */
function softmaxRef(x: readonly number[]): { p: BigFloat[]; logp: BigFloat[] } {
  const m = B(Math.max(...x));
  const d = x.map((xk) => sub(B(xk), m));
  // e^d below e^−2000 is far beneath the last bit of the sum (≥ 1), and exp of a huge d would not end.
  const e = d.map((dk) => (dk.toNumber() < -2000 ? BigFloat.int(0) : exp(dk)));
  const total = e.reduce(add);
  const lse = ln(total);
  return { p: e.map((ek) => div(ek, total)), logp: d.map((dk) => sub(dk, lse)) };
}

const values = (f: (t: Tensor) => Tensor, x: readonly number[]) => f64(f(tensor([...x])).value);

/**
 * Largest error of logSoftmax in ulps of max(1, |log p|), and of softmax in ulps over 1 + |log p|:
 * log p is good to a few ulps of itself, which exp turns into as many ulps of p times |log p|.
 */
function softmaxErrors(x: readonly number[]): { p: number; logp: number } {
  const ref = softmaxRef(x);
  const p = values((t) => softmax(t), x);
  const logp = values((t) => logSoftmax(t), x);
  return {
    p: Math.max(...p.map((pk, k) => ulpError(pk, ref.p[k]) / (1 + Math.abs(ref.logp[k].toNumber())))),
    logp: Math.max(...logp.map((lk, k) => {
      const r = ref.logp[k].toNumber();
      return Math.abs(sub(B(lk), ref.logp[k]).toNumber()) / (Math.max(1, Math.abs(r)) * EPS);
    })),
  };
}

describe('softmax and logSoftmax keep their accuracy at any magnitude of the logits', () => {
  it('the reported cases: three equal logits of 1e17, two of −1e300, and 1e8 + [2, 0, −3]', () => {
    const third = softmax(tensor([1e17, 1e17, 1e17])).value;
    for (const s of third) expect(ulpError(s, div(ONE, BigFloat.int(3)))).toBeLessThanOrEqual(1);
    // −ln 2 for each (−ln n for n equal logits)
    const half = logSoftmax(tensor([-1e300, -1e300])).value;
    for (const l of half) expect(Math.abs(l + Math.LN2)).toBeLessThanOrEqual(EPS);
    for (const n of [3, 7, 1000]) {
      for (const l of logSoftmax(tensor(new Array<number>(n).fill(-3e250))).value) {
        expect(Math.abs(l + Math.log(n)) / Math.log(n)).toBeLessThanOrEqual(4 * EPS);
      }
    }
    const p = softmax(tensor([1e8 + 2, 1e8, 1e8 - 3])).value;
    // 1/(1 + e⁻² + e⁻⁵), from the exact differences
    const ref = softmaxRef([2, 0, -3]).p;
    p.forEach((pk, k) => expect(ulpError(pk, ref[k])).toBeLessThanOrEqual(2));
    expect(Math.abs(p[0] - 0.8756005950630876)).toBeLessThanOrEqual(2 * EPS);
  });

  it('match the exact softmax of the given doubles at shifts from 0 to ±1e300', () => {
    const offsets = [0, 1, -2, 3.5, -7.25, 10, -30.125];
    for (const c of [0, 1e3, -1e3, 1e5, 1e8, -1e8, 2 ** 40, 1e15, 1e17, -1e17, 3e150, 1e300, -1e300]) {
      // c + d rounds for large c (then several logits coincide); the reference takes the doubles as given.
      const x = offsets.map((d) => c + d * Math.max(1, 2 ** (Math.floor(Math.log2(Math.abs(c) || 1)) - 52)));
      const err = softmaxErrors(x);
      expect(err.p, `softmax at ${c}`).toBeLessThanOrEqual(1);
      expect(err.logp, `logSoftmax at ${c}`).toBeLessThanOrEqual(2);
    }
  });

  it('softmax sums to 1 within a few ulps and equals exp(logSoftmax), for logits up to ±1e300 and any spread', () => {
    const logits = fc.record({
      c: fc.oneof(fc.constant(0), fc.double({ min: -1e300, max: 1e300, noNaN: true }), fc.double({ min: -1e17, max: 1e17, noNaN: true })),
      spread: fc.constantFrom(0, 1e-6, 1, 10, 100, 1000),
      u: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }),
    });
    fc.assert(fc.property(logits, ({ c, spread, u }) => {
      const x = u.map((uk) => c + spread * uk);
      const p = values((t) => softmax(t), x);
      const total = p.reduce((a, b) => a + b, 0);
      expect(Math.abs(total - 1), `Σ softmax(${x})`).toBeLessThanOrEqual((4 + x.length) * EPS);
      const logp = values((t) => logSoftmax(t), x);
      logp.forEach((l, k) => expect(Math.abs(Math.exp(l) - p[k])).toBeLessThanOrEqual(2 * EPS * p[k] + Number.MIN_VALUE));
    }), { numRuns: 300, seed: 20260611 });
  });

  it('gradients and H·v at a shift c equal those at c = 0 (exact shifts)', () => {
    const w = [0.5, -1, 2, 0.25, -3];
    const v = [1, -0.5, 0.25, 2, -1];
    // Weighted sums, so that each derivative mixes every output.
    const fs = {
      softmax: (t: Tensor) => softmax(t).mul(tensor(w)).sum(),
      logSoftmax: (t: Tensor) => logSoftmax(t).mul(tensor(w)).sum().square(),
      'softmax over axis 0': (t: Tensor) => softmax(t.reshape([5, 1]), 0).reshape([5]).mul(tensor(w)).sum().square(),
    };
    for (const c of [1e3, 1e5, 1e8, -1e8, 2 ** 50, 1e17, -1e17, 2 ** 60, -3e18]) {
      // d in units of c's ulp (at least 1), so that c + d is exact.
      const unit = Math.max(1, 2 ** (Math.floor(Math.log2(Math.abs(c))) - 52));
      const d = [0, 1, -2, 3, -1].map((k) => k * unit);
      for (const [name, f] of Object.entries(fs)) {
        const at0 = gradAndHvp(f, d, v);
        const atC = gradAndHvp(f, d.map((dk) => c + dk), v);
        const close = (a: number[], b: number[], what: string) => {
          const size = Math.max(...b.map(Math.abs));
          a.forEach((ak, k) => expect(Math.abs(ak - b[k]), `${what} of ${name} at ${c}`).toBeLessThanOrEqual(1e-15 * size));
        };
        close([atC.value as number], [at0.value as number], 'value');
        close(f64(atC.grad), f64(at0.grad), 'gradient');
        close(f64(atC.hvp), f64(at0.hvp), 'H·v');
      }
    }
  });

  it('keep the ±∞ and NaN conventions at huge logits', () => {
    // −∞ entries are masked out exactly; the rest is the softmax of what is left.
    expect(values((t) => softmax(t), [1e300, -Infinity, 1e300])).toEqual([0.5, 0, 0.5]);
    expect(values((t) => logSoftmax(t), [-1e300, -Infinity, -1e300])).toEqual([-Math.LN2, -Infinity, -Math.LN2]);
    // One +∞ entry: the limits, softmax 1 there and 0 elsewhere, logSoftmax 0 there and −∞ elsewhere
    // (softmax-infinities.test.ts); all −∞: NaN (0/0).
    expect(values((t) => softmax(t), [Infinity, 1e300])).toEqual([1, 0]);
    expect(values((t) => logSoftmax(t), [Infinity, 1e300])).toEqual([0, -Infinity]);
    expect(values((t) => softmax(t), [-Infinity, -Infinity]).every(Number.isNaN)).toBe(true);
    expect(values((t) => softmax(t), [1e300, NaN]).every(Number.isNaN)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------
// norm
// ---------------------------------------------------------------------------------------------------

/** ‖x‖₂, its gradient u = x/‖x‖ and H·v = (v − u(u·v))/‖x‖, exactly. */
function euclideanRef(x: readonly number[], v: readonly number[]): { y: BigFloat; grad: BigFloat[]; hvp: BigFloat[] } {
  const y = sqrt(x.map((xk) => mul(B(xk), B(xk))).reduce(add));
  const u = x.map((xk) => div(B(xk), y));
  const uv = u.map((uk, k) => mul(uk, B(v[k]))).reduce(add);
  return { y, grad: u, hvp: u.map((uk, k) => div(sub(B(v[k]), mul(uk, uv)), y)) };
}

/** ‖x‖₃ = (Σ|xₖ|³)^(1/3), its gradient g = sign(x)·(|x|/y)² and H·v = (2/y)·(|x|/y ⊙ v − g(g·v)). */
function cubicRef(x: readonly number[], v: readonly number[]): { y: BigFloat; grad: BigFloat[]; hvp: BigFloat[] } {
  const a = x.map((xk) => abs(B(xk)));
  const s = a.map((ak) => mul(ak, mul(ak, ak))).reduce(add);
  const y = exp(div(ln(s), BigFloat.int(3)));
  const w = a.map((ak) => div(ak, y));
  const g = w.map((wk, k) => (x[k] < 0 ? sub(BigFloat.int(0), mul(wk, wk)) : mul(wk, wk)));
  const gv = g.map((gk, k) => mul(gk, B(v[k]))).reduce(add);
  const two = div(BigFloat.int(2), y);
  return { y, grad: g, hvp: w.map((wk, k) => mul(two, sub(mul(wk, B(v[k])), mul(g[k], gv)))) };
}

/** max |a − ref| over the largest |ref| (or `floor` if larger), in ulps: the normwise error. */
function normwiseUlps(a: readonly number[], ref: readonly BigFloat[], floor = 0): number {
  const size = Math.max(floor, ...ref.map((r) => Math.abs(r.toNumber())));
  if (size === 0) return a.every((ak) => ak === 0) ? 0 : Infinity;
  return Math.max(...a.map((ak, k) => abs(sub(B(ak), ref[k])).toNumber() / (size * EPS)));
}

type Ord = number | 'fro';
const normOf = (ord: Ord) => (t: Tensor) => (ord === 'fro' ? norm(t.reshape([2, 2]), 'fro') : norm(t, ord));

describe('logSumExp keeps its accuracy where one element dominates its line', () => {
  // There S = Σ e^(xₖ − max) = 1 + ε, and ln S, 1 − s and ẋ − ⟨s, ẋ⟩ kept only the digits of ε that
  // survive next to 1: a relative error of 2⁻⁵³/ε (1e-4 at a logit gap of 27.6), in the value and H·v.
  /** ℓ = ln Σ e^(xₖ) and H·v = s∘(v − ⟨s, v⟩) of the doubles given, to 320 bits. */
  function lseRef(x: readonly number[], v: readonly number[]): { value: number; hvp: number[] } {
    const e = x.map((xk) => (xk < -2000 ? BigFloat.int(0) : exp(B(xk))));
    const total = e.reduce(add);
    const sk = e.map((ek) => div(ek, total));
    const sv = sk.reduce((acc, w, k) => add(acc, mul(w, B(v[k]))), BigFloat.int(0));
    return { value: ln(total).toNumber(), hvp: sk.map((w, k) => mul(w, sub(B(v[k]), sv)).toNumber()) };
  }

  it('the reported case [0, −27.6]: value, ∇ and H·v to the last bits, and H symmetric', () => {
    const r = gradAndHvp((t: Tensor) => logSumExp(t), [0, -27.6], [1, 0]);
    const ref = lseRef([0, -27.6], [1, 0]);
    expect(Math.abs((r.value as number) - ref.value) / ref.value).toBeLessThanOrEqual(4 * EPS);
    f64(r.hvp).forEach((h, k) => expect(Math.abs(h - ref.hvp[k]) / Math.abs(ref.hvp[k])).toBeLessThanOrEqual(8 * EPS));
    // Farther out ℓ = log1p(e^(−g)) = e^(−g) to the last bit, down to the subnormals.
    for (const g of [200, 600, 700, 740]) expect(logSumExp(tensor([0, -g])).value).toBe(Math.exp(-g));
  });

  it('value and H·v match the exact ones at a dominant element and gaps of 5 to 100, whatever the shift (300 lines)', () => {
    // (Up to 100: the reference's 320 bits keep ~45 digits of ε = e^(−100) next to 1, enough.)
    const lines = fc.record({
      gaps: fc.array(fc.double({ min: 5, max: 100, noNaN: true }), { minLength: 1, maxLength: 5 }),
      v: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
      shift: fc.constantFrom(0, 1, -3.5, 1024),
    });
    fc.assert(fc.property(lines, ({ gaps, v, shift }) => {
      const x = [shift, ...gaps.map((g) => shift - g)];
      const dir = v.slice(0, x.length);
      const r = gradAndHvp((t: Tensor) => logSumExp(t), x, dir);
      const ref = lseRef(x.map((xk) => xk - shift), dir); // x − shift is exact for these shifts
      const lse = (r.value as number) - shift;
      expect(Math.abs(lse - ref.value), `ℓ at ${x}`).toBeLessThanOrEqual(8 * EPS * Math.abs(ref.value) + (shift === 0 ? 0 : 2 * EPS * Math.abs(shift)));
      const worst = Math.max(...ref.hvp.map(Math.abs));
      f64(r.hvp).forEach((h, k) => expect(Math.abs(h - ref.hvp[k]), `H·v[${k}] at ${x}`).toBeLessThanOrEqual(16 * EPS * worst));
    }), { numRuns: 300, seed: 20261206 });
  });
});

describe('logSoftmax and softmax gradients keep their accuracy at a dominant element', () => {
  // There ∂logSoftmaxₖ/∂xₖ = 1 − sₖ came from a composite, ȳ + (−Σȳ)·s: the digits of ε next to 1.
  /** The exact softmax weights of the doubles x (320 bits). */
  const weightsOf = (x: readonly number[]) => {
    const e = x.map((xk) => exp(B(xk)));
    const total = e.reduce(add);
    return e.map((ek) => div(ek, total));
  };

  it('∇ and H·v of logSoftmax(x)ₖ and softmax(x)ₖ against the exact ones, at gaps of 5 to 100 (200 lines)', () => {
    const lines = fc.record({
      gaps: fc.array(fc.double({ min: 5, max: 100, noNaN: true }), { minLength: 1, maxLength: 4 }),
      k: fc.nat(4),
      v: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
    });
    fc.assert(fc.property(lines, ({ gaps, k: pick, v }) => {
      const x = [0, ...gaps.map((g) => -g)], n = x.length, k = pick % n, dir = v.slice(0, n);
      const s = weightsOf(x);
      const sv = s.reduce((acc, w, j) => add(acc, mul(w, B(dir[j]))), BigFloat.int(0));
      const delta = (j: number) => BigFloat.int(j === k ? 1 : 0);
      // logSoftmaxₖ: ∇ⱼ = δₖⱼ − sⱼ, H·v = −s∘(v − ⟨s, v⟩); softmaxₖ: ∇ = sₖ(δₖ − s), H·v = ∇·(vₖ − ⟨s, v⟩) − sₖ·s∘(v − ⟨s, v⟩).
      const bentV = s.map((w, j) => mul(w, sub(B(dir[j]), sv)));
      const logGrad = s.map((w, j) => sub(delta(j), w));
      const logHvp = bentV.map((b) => sub(BigFloat.int(0), b));
      const smGrad = logGrad.map((gj) => mul(s[k], gj));
      const smHvp = smGrad.map((gj, j) => sub(mul(gj, sub(B(dir[k]), sv)), mul(s[k], bentV[j])));
      // softmax is exp of logSoftmax, whose last-bit error |log sₖ| times larger in sₖ (as in the tests above).
      const check = (got: Float64Array, want: BigFloat[], what: string, amplify = 1) => {
        const worst = Math.max(...want.map((w) => Math.abs(w.toNumber())));
        got.forEach((g, j) => expect(Math.abs(g - want[j].toNumber()), `${what}[${j}] at ${x}, k = ${k}`)
          .toBeLessThanOrEqual(16 * amplify * EPS * Math.max(Math.abs(want[j].toNumber()), 1e-3 * worst)));
      };
      const lsm = gradAndHvp((t: Tensor) => logSoftmax(t).at(k), x, dir);
      check(lsm.grad as Float64Array, logGrad, 'logSoftmax ∇');
      check(lsm.hvp as Float64Array, logHvp, 'logSoftmax H·v');
      const sm = gradAndHvp((t: Tensor) => softmax(t).at(k), x, dir);
      const amplify = 1 + Math.abs(ln(s[k]).toNumber());
      check(sm.grad as Float64Array, smGrad, 'softmax ∇', amplify);
      check(sm.hvp as Float64Array, smHvp, 'softmax H·v', amplify);
    }), { numRuns: 200, seed: 20261207 });
  });
});

describe('norm keeps its accuracy from 5e-324 to 1.7e308', () => {
  it('the reported cases: the gradient at [3e-310, 4e-310, 0] and at [0, 0, 5e-324]', () => {
    const x = [3e-310, 4e-310, 0];
    const g = f64(gradAndHvp((t: Tensor) => norm(t), x, [1, 0, 0]).grad);
    const ref = euclideanRef(x, [1, 0, 0]);
    g.forEach((gk, k) => expect(ulpError(gk, ref.grad[k]), `∂/∂x${k}`).toBeLessThanOrEqual(1));
    expect(g[2]).toBe(0);
    const r = gradAndHvp((t: Tensor) => norm(t), [0, 0, 5e-324], [1, -2, 0.5]);
    expect(r.value).toBe(5e-324);
    expect(f64(r.grad)).toEqual([0, 0, 1]);
    // H = (I − uuᵀ)/‖x‖ with 1/‖x‖ = 2¹⁰⁷⁴: ±∞ along v's components across u, and along u its exact
    // value 0 (the rules divide by ‖x‖ last: see docs/conventions.md).
    expect(f64(r.hvp)).toEqual([Infinity, -Infinity, 0]);
  });

  // Entries of few bits, so that x·2⁻¹⁰⁷⁰ is exact; gradient components ≥ ¼ for ord 2 (2, 3, 6: ‖x‖ = 7)
  // so that none of them is subnormal on the way.
  const x = [2, -3, 6, 0];
  const v = [1, 0.5, -2, 1];
  const ords: Ord[] = [2, 'fro', 1, Infinity, -Infinity, 3];

  it('value, gradient and H·v at x·2ᵏ are exactly the scaled ones (ord 2, fro, 1, ±∞; ord 3 to rounding)', () => {
    for (const ord of ords) {
      const f = normOf(ord);
      const base = gradAndHvp(f, x, v);
      // H·v scales by 2⁻ᵏ, so it is compared where that is finite: x·2⁵⁰ at k = −1070 is x·2⁻¹⁰²⁰.
      for (const [lift, k, withHvp] of [[0, -1070, false], [50, -1070, true], [0, -1000, true], [0, -500, true], [0, 500, true], [0, 1000, true]] as const) {
        const x0 = x.map((e) => scale(e, lift));
        const at0 = lift === 0 ? base : gradAndHvp(f, x0, v);
        const r = gradAndHvp(f, x0.map((e) => scale(e, k)), v);
        const what = `ord ${ord} at x·2^${lift}·2^${k}`;
        const value = scale(at0.value as number, k);
        const hvp = f64(at0.hvp).map((h) => scale(h, -k));
        if (ord === 3) {
          // pow's exponent 1/3 is rounded, which costs |ln Σ(|x|/d)³|·ε where d must move away from max|x|.
          expect(Math.abs((r.value as number) - value), what).toBeLessThanOrEqual(8 * EPS * value);
          f64(r.grad).forEach((gk, j) => expect(Math.abs(gk - f64(at0.grad)[j]), what).toBeLessThanOrEqual(64 * EPS));
          if (withHvp) f64(r.hvp).forEach((hk, j) => expect(Math.abs(hk - hvp[j]), what).toBeLessThanOrEqual(8 * EPS * Math.max(...hvp.map(Math.abs))));
        } else {
          expect(r.value, what).toBe(value);
          expect(f64(r.grad), what).toEqual(f64(at0.grad));
          if (withHvp) expect(f64(r.hvp), what).toEqual(hvp);
        }
      }
    }
  });

  it('ord 2 and 3 match the exact norm, gradient and H·v at random magnitudes from 2⁻¹⁰⁷⁴ to 2¹⁰²³', () => {
    const vectors = fc.record({
      // The exponent of the largest entry, and each entry's mantissa and distance below it.
      top: fc.integer({ min: -1074, max: 1020 }),
      entries: fc.array(fc.record({ m: fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), below: fc.integer({ min: 0, max: 40 }) }), { minLength: 1, maxLength: 6 }),
      v: fc.array(fc.integer({ min: -64, max: 64 }).map((k) => k / 32 + 1 / 1024), { minLength: 6, maxLength: 6 }),
    });
    fc.assert(fc.property(vectors, ({ top, entries, v: vv }) => {
      const x = entries.map(({ m, below }) => ldexp(BigFloat.int(m), top - below - 30).toNumber());
      if (x.every((e) => e === 0)) return;
      const v = vv.slice(0, x.length);
      for (const [ord, ref] of [[2, euclideanRef(x, v)], [3, cubicRef(x, v)]] as const) {
        const r = gradAndHvp((t: Tensor) => norm(t, ord), x, v);
        const what = `ord ${ord} at [${x}] along [${v}]`;
        const y = ref.y.toNumber();
        // A subnormal norm has fewer digits: its error is in units of 2⁻¹⁰⁷⁴ then.
        expect(ulpError(r.value as number, ref.y), what).toBeLessThanOrEqual(ord === 2 ? 1.5 : 3);
        // Gradients: to rounding (normwise); ord 3 loses ~|ln 2ᵃ|·ε where its scale d ≠ max|x| (y subnormal).
        expect(normwiseUlps(f64(r.grad), ref.grad), what).toBeLessThanOrEqual(ord === 2 || y >= 2 ** -1020 ? 4 : 64);
        // H·v ~ |v|/y (its exact value may be 0, as along x): compared on that scale, where it is finite.
        const hvpScale = Math.max(...v.map(Math.abs)) / y;
        if (y >= 2 ** -1000 && y < 2 ** 1000) expect(normwiseUlps(f64(r.hvp), ref.hvp, hvpScale), what).toBeLessThanOrEqual(ord === 2 ? 4 : 16);
      }
    }), { numRuns: 150, seed: 20260611 });
  });

  it('a compiled replay recomputes the scale (and softmax its shift) at the new point', () => {
    const fs = [
      (t: Tensor) => norm(t),
      (t: Tensor) => norm(t, 3),
      (t: Tensor) => norm(t.reshape([2, 2]), 2, 1).sum(),
      (t: Tensor) => softmax(t).mul(tensor([1, -2, 0.5, 3])).sum(),
      (t: Tensor) => logSoftmax(t).mul(tensor([1, -2, 0.5, 3])).sum(),
    ];
    const v = [1, -0.5, 0.25, 2];
    for (const f of fs) {
      const program = compile(f, [1, 2, 3, 4]);
      for (const x of [[3e-310, -4e-310, 1e-320, 0], [1e300, -1.5e300, 2e299, 7e299], [1e8 + 2, 1e8, 1e8 - 3, 1e8 + 1]]) {
        expect(program.gradAndHvp(x, v)).toEqual(gradAndHvp(f, x, v));
      }
    }
  });

  it('p < 0 scales by the smallest |xₖ|, which dominates: [1e-10, 1e300] at p = −2 is ≈ 1e-10, not 0', () => {
    const r = gradAndHvp((t: Tensor) => norm(t, -2), [1e-10, 1e300], [1, 0]);
    // (1e20 + 1e-600)^(−1/2) = 1e-10 to double precision; ∂/∂x₀ = (|x₀|/y)^(p−1) = 1, ∂/∂x₁ ≈ 0.
    expect(Math.abs((r.value as number) - 1e-10)).toBeLessThanOrEqual(2 * EPS * 1e-10);
    expect(Math.abs(f64(r.grad)[0] - 1)).toBeLessThanOrEqual(4 * EPS);
    expect(f64(r.grad)[1]).toBe(0);
  });
});
