// logSigmoid, xlogy, xlog1py, sinc, erfinv, ndtr, logNdtr, selu, celu, softsign and mish against
// reference values computed with mpmath at 50 digits (test/high-precision/reference-values.py, which
// wrote reference-values.json): values, first and second derivatives, at points drawn over each op's
// range and at its tails and special points. Each reference is stored as two doubles, hi + lo, so
// errors are measured in ulps of the true value well below one ulp. Derivatives are computed through
// the engine's transforms on one tensor of all the points (∇ of Σf and H·1 are f′ and f″ elementwise),
// so the tensor paths and the rules are what is measured, not the float64 kernels alone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/ops/index.js';
import { ArgumentError, grad, hessian, hvp, scalar, tensor, type Scalar, type Tensor } from '../src/index.js';

type Row = number[];
const data = JSON.parse(readFileSync(new URL('./high-precision/reference-values.json', import.meta.url), 'utf8')) as Record<string, Row[]>;

/**
 * Results below 2⁻¹⁰¹² are "near the subnormals": formed from a subnormal factor (eˣ for x < −708)
 * times up to |x| ≈ 745 < 2¹⁰, they keep an absolute accuracy of about |x| units of 2⁻¹⁰⁷⁴, not a
 * relative one (as in any float64 evaluation of x·eˣ, JAX's included), and are checked so below.
 */
const NEAR_SUBNORMAL = 2 ** -1012;
/** The error of `f` in ulps of the reference hi + lo (ulps of 2⁻¹⁰⁷⁴ below the normal range). */
function ulps(f: number, hi: number, lo: number): number {
  if (hi === 0 && lo === 0) return f === 0 ? 0 : Infinity;
  const ulp = 2 ** Math.max(Math.floor(Math.log2(Math.abs(hi))) - 52, -1074);
  return Math.abs(f - hi - lo) / ulp;
}

interface Worst { ulps: number; at: string }

/**
 * The largest error over `rows` of `computed[k]` against reference column `col`, in ulps of
 * max(|reference|, scale(row)): a scale lets a derivative be measured against the size of its terms
 * next to its zeros, where no float64 evaluation keeps relative accuracy. Subnormal references are
 * left out (they are checked on their own scale below).
 */
function worst(rows: Row[], computed: ArrayLike<number>, col: number, scale?: (row: Row) => number, args = col === 2 || col === 4 || col === 6 ? 2 : 1): Worst {
  let w: Worst = { ulps: 0, at: '' };
  rows.forEach((row, k) => {
    const hi = row[col], lo = row[col + 1];
    if (Math.abs(hi) < NEAR_SUBNORMAL) return;
    let e = ulps(computed[k], hi, lo);
    if (scale) {
      const s = scale(row);
      if (s > Math.abs(hi)) e = Math.abs(computed[k] - hi - lo) / 2 ** (Math.floor(Math.log2(s)) - 52);
    }
    if (!(e <= w.ulps)) w = { ulps: e, at: row.slice(0, args).join(', ') };
  });
  return w;
}

/** Values, f′ and f″ of a unary op at every point of its rows, through a tensor of the points. */
function unary(op: (x: Tensor) => Tensor, rows: Row[]) {
  const xs = Float64Array.from(rows, (r) => r[0]);
  const f = (x: Tensor) => op(x).sum();
  return {
    value: op(tensor(xs)).value,
    d1: grad(f)(xs) as Float64Array,
    d2: hvp(f, xs, new Float64Array(xs.length).fill(1)) as Float64Array,
  };
}

const report = (name: string, w: Worst) => (process.env.REPORT ? console.log(`${name}: ${w.ulps.toFixed(2)} ulps at ${w.at}`) : undefined);

function expectWithin(name: string, w: Worst, bound: number) {
  report(name, w);
  expect(w.ulps, `${name} at ${w.at}`).toBeLessThanOrEqual(bound);
}

describe('against mpmath: unary ops, values and first and second derivatives (ulps)', () => {
  // [op, rows' name, bounds on value / f′ / f″, scale of the derivatives near their zeros]
  const cases: [string, (x: Tensor) => Tensor, [number, number, number], ((r: Row, n: number) => number)?][] = [
    ['logSigmoid', ops.logSigmoid, [1.5, 2, 3.5]],
    // sinc′ and sinc″ against the size of their terms, πⁿ/(1 + |πx|), next to their zeros.
    ['sinc', ops.sinc, [3, 3, 4], (r, n) => Math.PI ** n / (1 + Math.abs(Math.PI * r[0]))],
    // erfinv′ = (√π/2)e^(y²) from y in double-double (fl(y)'s rounding times 2y² gave up to 56 ulps
    // here, 70 at the last double below 1), so erfc's error and exp's are what is left.
    ['erfinv', ops.erfinv, [4, 7, 14]],
    // Φ = erfc(−x/√2)/2 carries erfc's error (≤ 6 ulps).
    ['ndtr', ops.ndtr, [6, 3.5, 3.5]],
    // logNdtr′ = φ/Φ carries Φ's error; logNdtr″ = −r(x + r): on [−2, 0] x + r is formed by the
    // subtraction, which cancels up to 7×.
    ['logNdtr', ops.logNdtr, [5.5, 7, 42]],
    ['selu', ops.selu, [3, 3, 3]],
    // softsign′ = d², d = 1/(1 + |x|) just below 1: the roundings of the sum and the quotient, doubled.
    ['softsign', ops.softsign, [1.5, 3.5, 5.5]],
    // mish′ = t + xqσ and mish″ = qσ(2 + …) against the size of their terms, t and 2σ, next to their
    // zeros (x ≈ −1.19, −2.21).
    ['mish', ops.mish, [3.5, 5, 6], (r, n) => (n === 1 ? Math.abs(ops.tanh(tensor([Math.log1p(Math.exp(r[0]))])).value[0]) : 2 / (1 + Math.exp(-r[0])))],
  ];
  for (const [name, op, bounds, scale] of cases) {
    it(`${name}: ≤ ${bounds.join(' / ')} ulps`, () => {
      const rows = data[name];
      expect(rows.length).toBeGreaterThan(200);
      const c = unary(op, rows);
      expectWithin(`${name} value`, worst(rows, c.value, 1), bounds[0]);
      expectWithin(`${name} f′`, worst(rows, c.d1, 3, scale && ((r) => scale(r, 1))), bounds[1]);
      expectWithin(`${name} f″`, worst(rows, c.d2, 5, scale && ((r) => scale(r, 2))), bounds[2]);
    });
  }

  it('celu (α = 1, ½, 2, 1.7): value ≤ 1.5 ulps; f′ = e^(x/α) within |x/α|·½ + 2 ulps (x/α is rounded)', () => {
    const rows = data.celu;
    let value: Worst = { ulps: 0, at: '' }, d1: Worst = { ulps: 0, at: '' }, d2: Worst = { ulps: 0, at: '' };
    for (const alpha of [1, 0.5, 2, 1.7]) {
      const mine = rows.filter((r) => r[1] === alpha);
      const c = unary((x) => ops.celu(x, alpha), mine.map((r) => [r[0], ...r.slice(2)]));
      const v = worst(mine, c.value, 2);
      // Relative to the rounding of x/α: e^(x/α)'s error is |x/α| times it.
      const excess = (w: Worst) => ({ ulps: w.ulps / (Math.abs(Number(w.at.split(',')[0]) / alpha) / 2 + 2), at: w.at });
      const a = excess(worst(mine, c.d1, 4)), b = excess(worst(mine, c.d2, 6));
      if (!(v.ulps <= value.ulps)) value = v;
      if (!(a.ulps <= d1.ulps)) d1 = a;
      if (!(b.ulps <= d2.ulps)) d2 = b;
    }
    expectWithin('celu value', value, 1.5);
    expectWithin('celu f′ / (|x/α|/2 + 2)', d1, 1);
    expectWithin('celu f″ / (|x/α|/2 + 2)', d2, 1.5);
  });

  it('results near the subnormals keep their absolute accuracy: within (|x| + 2) units of 2⁻¹⁰⁷⁴ (and 4 ulps)', () => {
    for (const name of ['ndtr', 'logSigmoid', 'mish', 'selu']) {
      const rows = data[name];
      const c = unary(ops[name as 'ndtr'], rows);
      rows.forEach((r, k) => {
        for (const [col, got] of [[1, c.value[k]], [3, c.d1[k]], [5, c.d2[k]]] as const) {
          if (r[col] === 0 || Math.abs(r[col]) >= NEAR_SUBNORMAL) continue;
          const ulp = 2 ** Math.max(Math.floor(Math.log2(Math.abs(r[col]))) - 52, -1074);
          expect(Math.abs(got - r[col] - r[col + 1]), `${name} column ${col} at ${r[0]}`).toBeLessThanOrEqual((Math.abs(r[0]) + 2) * 2 ** -1074 + 4 * ulp);
        }
      });
    }
  });
});

describe('against mpmath: xlogy and xlog1py, values and both partials (ulps)', () => {
  for (const [name, op, bounds] of [['xlogy', ops.xlogy, [1.5, 1, 1.5]], ['xlog1py', ops.xlog1py, [1.5, 1, 2]]] as const) {
    it(`${name}: ≤ ${bounds.join(' / ')} ulps`, () => {
      const rows = data[name];
      const a = Float64Array.from(rows, (r) => r[0]), b = Float64Array.from(rows, (r) => r[1]);
      const value = op(tensor(a), tensor(b)).value;
      const g = grad((p: { a: Tensor; b: Tensor }) => op(p.a, p.b).sum())({ a, b }) as { a: Float64Array; b: Float64Array };
      expectWithin(`${name} value`, worst(rows, value, 2), bounds[0]);
      expectWithin(`${name} ∂x`, worst(rows, g.a, 4), bounds[1]);
      expectWithin(`${name} ∂b`, worst(rows, g.b, 6), bounds[2]);
    });
  }
});

describe('edges and conventions', () => {
  const d = (f: (x: Scalar) => Scalar, order: number) => {
    let g = f as (x: Scalar) => Scalar;
    for (let k = 0; k < order; k++) g = grad(g) as unknown as (x: Scalar) => Scalar;
    return (x: number) => (g as unknown as (x: number) => number)(x);
  };

  it('logSigmoid: −∞ and 0 at the ends, derivative 1 and 0 there; NaN stays NaN', () => {
    expect(ops.logSigmoid(tensor([-Infinity, Infinity, NaN, -1000])).value).toEqual(Float64Array.from([-Infinity, 0, NaN, -1000]));
    expect([d(ops.logSigmoid, 1)(-Infinity), d(ops.logSigmoid, 1)(Infinity)]).toEqual([1, 0]);
  });

  it('xlogy and xlog1py: 0 where x = 0 for every b but NaN (SciPy, JAX); ∂/∂b is exactly 0 there', () => {
    expect(ops.xlogy(tensor([0, 0, 0, 0, 0]), tensor([0, -1, Infinity, 2, NaN])).value).toEqual(Float64Array.from([0, 0, 0, 0, NaN]));
    expect(ops.xlog1py(tensor([0, 0, 2]), tensor([-1, -3, -1])).value).toEqual(Float64Array.from([0, 0, -Infinity]));
    const g = (op: typeof ops.xlogy, a: number, b: number) => grad((p: Tensor) => op(p.at(0), p.at(1)))([a, b]);
    // JAX: [−∞, NaN] at (0, 0) (its x/b is 0/0); [ln 2, 0] at (0, 2). The partial in b is 0 because
    // b ↦ xlogy(0, b) is identically 0.
    expect(g(ops.xlogy, 0, 0)).toEqual(Float64Array.from([-Infinity, 0]));
    expect(g(ops.xlogy, 0, 2)).toEqual(Float64Array.from([Math.LN2, 0]));
    expect(g(ops.xlog1py, 0, -1)).toEqual(Float64Array.from([-Infinity, 0]));
    // JAX's Hessian at (0, 2): [[0, 0.5], [0.5, 0]].
    expect(hessian((p: Tensor) => ops.xlogy(p.at(0), p.at(1)), [0, 2])).toEqual(Float64Array.from([0, 0.5, 0.5, 0]));
  });

  it('sinc at 0: 1, and derivatives 0, −π²/3, 0, π⁴/5 through nested transforms (as jnp.sinc)', () => {
    // JAX 0.10: grad⁽ᵏ⁾(jnp.sinc)(0.) = 0, −3.2898681336964524, 0, 19.481818206800487.
    expect(ops.sinc(scalar(0)).value).toBe(1);
    expect([1, 2, 3].map((k) => d(ops.sinc, k)(0))).toEqual([0, -3.2898681336964524, 0]);
    expect(Math.abs(d(ops.sinc, 4)(0) / 19.481818206800487 - 1)).toBeLessThanOrEqual(2 ** -52); // πⁿ rounds
    expect(ops.sinc(tensor([1, -2, 3, Infinity, NaN])).value.map(Math.abs)).toEqual(Float64Array.from([0, 0, 0, 0, NaN]));
  });

  it('erfinv: ±∞ at ±1, NaN outside [−1, 1]; derivative √π/2 at 0 and +∞ at ±1', () => {
    expect(ops.erfinv(tensor([1, -1, 1.5, -2, NaN, 0, -0])).value).toEqual(Float64Array.from([Infinity, -Infinity, NaN, NaN, NaN, 0, -0]));
    expect([d(ops.erfinv, 1)(0), d(ops.erfinv, 1)(1), d(ops.erfinv, 1)(-1)]).toEqual([0.886226925452758, Infinity, Infinity]);
  });

  it('ndtr and logNdtr at the ends', () => {
    expect(ops.ndtr(tensor([-Infinity, Infinity, NaN])).value).toEqual(Float64Array.from([0, 1, NaN]));
    expect(ops.logNdtr(tensor([-Infinity, NaN])).value).toEqual(Float64Array.from([-Infinity, NaN]));
    // −0: ln Φ(x) = log1p(−Φ(−x)) is negative, and underflows from x ≈ 38.5 on with its sign.
    expect(ops.logNdtr(tensor([Infinity, 40])).value).toEqual(Float64Array.from([-0, -0]));
    // ln Φ(−1e10) = −5e19 − ln(1e10·√(2π)) − …: finite, where Φ itself is 0.
    expect(ops.logNdtr(scalar(-1e10)).value).toBe(-5e19);
    expect(d(ops.logNdtr, 1)(-1e10)).toBe(1e10);
  });

  it('kinks take the left derivative (relu, leakyRelu, elu): relu6 0 at 0 and 1 at 6, hardTanh 0 at −1 and 1 at 1', () => {
    expect(grad((x: Tensor) => ops.relu6(x).sum())([0, 6, -1, 3, 7, NaN])).toEqual(Float64Array.from([0, 1, 0, 1, 0, NaN]));
    expect(grad((x: Tensor) => ops.hardTanh(x).sum())([-1, 1, -2, 0, 2, NaN])).toEqual(Float64Array.from([0, 1, 0, 1, 0, NaN]));
    expect(ops.relu6(tensor([-1, 3, 8, NaN])).value).toEqual(Float64Array.from([0, 3, 6, NaN]));
    expect(ops.hardTanh(tensor([-3, 0.5, 3, NaN])).value).toEqual(Float64Array.from([-1, 0.5, 1, NaN]));
  });

  it('selu, celu, softsign at 0: selu′ = λα; celu′ = 1, celu″ = 1/α (the left one); softsign″ = 0 (sign 0)', () => {
    // JAX: grad(jax.nn.selu)(0.) = 1.7580993408473766 = λα.
    expect(d(ops.selu, 1)(0)).toBe(1.7580993408473766);
    expect(d((x) => ops.celu(x, 2), 1)(0)).toBe(1);
    expect(d((x) => ops.celu(x, 2), 2)(0)).toBe(0.5);
    expect([d(ops.softsign, 1)(0), d(ops.softsign, 2)(0), d(ops.softsign, 2)(-1), d(ops.softsign, 2)(1)]).toEqual([1, 0, 0.25, -0.25]);
  });

  it('softsign and mish at ±∞: ±1, and −0 and ∞ (not NaN from ∞/∞ or −∞·0)', () => {
    expect(ops.softsign(tensor([Infinity, -Infinity])).value).toEqual(Float64Array.from([1, -1]));
    expect(ops.mish(tensor([-Infinity, Infinity])).value).toEqual(Float64Array.from([-0, Infinity]));
  });

  it('celu refuses an alpha that is 0 or not finite', () => {
    for (const alpha of [0, NaN, Infinity]) expect(() => ops.celu(scalar(1), alpha)).toThrow(ArgumentError);
  });
});
