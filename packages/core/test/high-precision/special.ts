// Reference values of special functions in arbitrary precision (big-float.ts), by methods chosen to
// differ from the float64 kernels: erf from its everywhere-positive series, ln Γ, ψ and ψ⁽ⁿ⁾ by
// upward recurrence far past the argument (also for negative arguments, where the kernels reflect)
// and Euler–Maclaurin with exact Bernoulli numbers. Tolerances on these are 2^−200 or better.
import {
  BigFloat, ONE, ZERO, abs, add, div, divInt, exp, ln, mul, mulInt, neg, pi, powInt, precision, sqrt, sub, withPrecision,
} from './big-float.js';

/** Exact Bernoulli numbers B₀…B_n as [numerator, denominator] (Akiyama–Tanigawa; B₁ = +½). */
export function bernoulliExact(n: number): [bigint, bigint][] {
  const gcd = (a: bigint, b: bigint): bigint => {
    a = a < 0n ? -a : a;
    while (b !== 0n) [a, b] = [b, a % b];
    return a;
  };
  const out: [bigint, bigint][] = [];
  const row: [bigint, bigint][] = [];
  for (let m = 0; m <= n; m++) {
    row[m] = [1n, BigInt(m + 1)];
    for (let j = m; j >= 1; j--) {
      // row[j−1] = j·(row[j−1] − row[j])
      const [a, b] = row[j - 1];
      const [c, d] = row[j];
      let num = BigInt(j) * (a * d - c * b);
      let den = b * d;
      const g = gcd(num, den);
      if (g !== 0n) {
        num /= g;
        den /= g;
      }
      row[j - 1] = [num, den];
    }
    out.push(row[0]);
  }
  return out;
}

const B = bernoulliExact(80);
const bernoulli = (k: number): BigFloat => BigFloat.ratio(B[k][0], B[k][1]);

const x = (v: number | BigFloat): BigFloat => (typeof v === 'number' ? BigFloat.from(v) : v);

/** erf(x) = (2/√π)·e^(−x²)·Σ 2ᵏx^(2k+1)/(1·3·…·(2k+1)): every term positive, no cancellation. */
export function erfRef(v: number | BigFloat): BigFloat {
  const z = x(v);
  if (z.sign() === 0) return ZERO;
  if (z.sign() < 0) return neg(erfRef(neg(z)));
  const z2 = mul(z, z);
  let term = z;
  let sum = z;
  for (let k = 0; ; k++) {
    term = div(mulInt(mul(term, z2), 2), BigFloat.int(2 * k + 3));
    sum = add(sum, term);
    if (term.exponent() < sum.exponent() - precision() - 4 && k > z2.toNumber()) break;
  }
  return mul(div(mulInt(exp(neg(z2)), 2), sqrt(pi())), sum);
}

/** erfc(x) = 1 − erf(x), with the precision raised by the bits that the subtraction cancels. */
export function erfcRef(v: number | BigFloat): BigFloat {
  const z = x(v);
  const zz = z.toNumber();
  const extra = zz > 0 ? Math.ceil(1.45 * zz * zz) + 16 : 0;
  const out = withPrecision(precision() + extra, () => sub(ONE, erfRef(z)));
  return mul(out, ONE);
}

/** Σ_{k<N} of f(x + k), with N chosen so x + N ≥ w. Returns [sum, x + N]. */
function shiftTo(z: BigFloat, w: number): number {
  const zn = z.toNumber();
  return zn >= w ? 0 : Math.ceil(w - zn);
}

/** ln|Γ(x)|: Stirling with 30 Bernoulli terms at x + N ≥ 40, minus ln|x(x+1)…(x+N−1)|. */
export function lgammaRef(v: number | BigFloat): BigFloat {
  return withPrecision(precision() + 64, () => {
    const z = x(v);
    const n = shiftTo(z, 40);
    let product = ONE;
    for (let k = 0; k < n; k++) product = mul(product, add(z, BigFloat.int(k)));
    const w = add(z, BigFloat.int(n));
    const half = BigFloat.ratio(1, 2);
    let s = add(sub(mul(sub(w, half), ln(w)), w), mul(half, ln(mulInt(pi(), 2))));
    const w2 = mul(w, w);
    let power = w; // w^(2j−1)
    for (let j = 1; j <= 30; j++) {
      s = add(s, div(bernoulli(2 * j), mul(BigFloat.int(2 * j * (2 * j - 1)), power)));
      power = mul(power, w2);
    }
    return sub(s, ln(abs(product)));
  });
}

/** ψ(x): the asymptotic series with 30 Bernoulli terms at x + N ≥ 40, minus Σ 1/(x + k). */
export function digammaRef(v: number | BigFloat): BigFloat {
  return withPrecision(precision() + 64, () => {
    const z = x(v);
    const n = shiftTo(z, 40);
    const w = add(z, BigFloat.int(n));
    let s = sub(ln(w), div(ONE, mulInt(w, 2)));
    const w2 = mul(w, w);
    let power = w2;
    for (let j = 1; j <= 30; j++) {
      s = sub(s, div(bernoulli(2 * j), mul(BigFloat.int(2 * j), power)));
      power = mul(power, w2);
    }
    for (let k = 0; k < n; k++) s = sub(s, div(ONE, add(z, BigFloat.int(k))));
    return s;
  });
}

/** ψ⁽ⁿ⁾(x) = (−1)ⁿ⁺¹ n! ζ(n+1, x): direct terms up to x + N ≥ max(40, 3(n+1)), then Euler–Maclaurin. */
export function polygammaRef(order: number, v: number | BigFloat): BigFloat {
  if (order === 0) return digammaRef(v);
  return withPrecision(precision() + 64, () => {
    const s = order + 1;
    const z = x(v);
    const n = shiftTo(z, Math.max(40, 3 * s));
    let zeta = ZERO;
    for (let k = 0; k < n; k++) zeta = add(zeta, powInt(add(z, BigFloat.int(k)), -s));
    const w = add(z, BigFloat.int(n));
    zeta = add(zeta, div(powInt(w, 1 - s), BigFloat.int(s - 1)));
    zeta = add(zeta, divInt(powInt(w, -s), 2));
    // B_2j/(2j)! · s(s+1)…(s+2j−2) · w^(−s−2j+1)
    let rising = BigFloat.int(s); // s(s+1)…(s+2j−2) for j = 1
    let factorial = BigFloat.int(2); // (2j)!
    let power = powInt(w, -s - 1);
    const w2inv = powInt(w, -2);
    for (let j = 1; j <= 30; j++) {
      zeta = add(zeta, div(mul(mul(bernoulli(2 * j), rising), power), factorial));
      rising = mul(rising, BigFloat.int((s + 2 * j - 1) * (s + 2 * j)));
      factorial = mul(factorial, BigFloat.int((2 * j + 1) * (2 * j + 2)));
      power = mul(power, w2inv);
    }
    let nFactorial = ONE;
    for (let k = 2; k <= order; k++) nFactorial = mulInt(nFactorial, k);
    const value = mul(nFactorial, zeta);
    return order % 2 === 1 ? value : neg(value);
  });
}

/** Φ(x) = erfc(−x/√2)/2, the standard normal distribution function. */
export function normalCdfRef(v: number): BigFloat {
  const t = withPrecision(precision() + 64, () => neg(div(x(v), sqrt(BigFloat.int(2)))));
  return divInt(erfcRef(t), 2);
}

export { ln, exp, sqrt, pi };
