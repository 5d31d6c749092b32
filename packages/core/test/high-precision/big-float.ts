// Binary floating point of any precision on BigInt, for reference values that do not share a line of
// code (or a rounding) with the float64 kernels under test. A value is m·2^e with |m| below 2^PREC;
// every operation rounds its result to PREC bits (to nearest). Slow, exact enough, test-only.

let PREC = 320;

/** Runs `fn` with `bits` bits of precision, restoring the previous precision afterwards. */
export function withPrecision<T>(bits: number, fn: () => T): T {
  const saved = PREC;
  PREC = Math.ceil(bits);
  try {
    return fn();
  } finally {
    PREC = saved;
  }
}

export function precision(): number {
  return PREC;
}

function bitLength(a: bigint): number {
  if (a === 0n) return 0;
  const hex = a.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0], 16)));
}

export class BigFloat {
  constructor(readonly m: bigint, readonly e: number) {}

  /** The exact value of a double. */
  static from(x: number): BigFloat {
    if (!Number.isFinite(x)) throw new Error(`BigFloat.from: ${x} is not finite`);
    if (x === 0) return ZERO;
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const bits = view.getBigUint64(0);
    const exp = Number((bits >> 52n) & 0x7ffn);
    const frac = bits & ((1n << 52n) - 1n);
    const m = exp === 0 ? frac : frac | (1n << 52n);
    const e = (exp === 0 ? 1 : exp) - 1075;
    return round(x < 0 ? -m : m, e);
  }

  static int(n: bigint | number): BigFloat {
    return round(BigInt(n), 0);
  }

  static ratio(p: bigint | number, q: bigint | number): BigFloat {
    return div(BigFloat.int(p), BigFloat.int(q));
  }

  /** Nearest double (to nearest; among subnormals a double rounding is possible). */
  toNumber(): number {
    if (this.m === 0n) return 0;
    const r = round(this.m, this.e, 53);
    let v = Number(r.m);
    let e = r.e;
    for (; e > 0; e -= Math.min(e, 1000)) v *= 2 ** Math.min(e, 1000);
    for (; e < 0; e += Math.min(-e, 1000)) v /= 2 ** Math.min(-e, 1000);
    return v;
  }

  sign(): number {
    return this.m === 0n ? 0 : this.m < 0n ? -1 : 1;
  }

  /** ⌊log2 |x|⌋ (x ≠ 0). */
  exponent(): number {
    return this.e + bitLength(this.m < 0n ? -this.m : this.m) - 1;
  }
}

export const ZERO = new BigFloat(0n, 0);

function round(m: bigint, e: number, bits = PREC): BigFloat {
  if (m === 0n) return ZERO;
  const neg = m < 0n;
  let a = neg ? -m : m;
  const len = bitLength(a);
  if (len > bits) {
    const sh = BigInt(len - bits);
    const rest = a & ((1n << sh) - 1n);
    const half = 1n << (sh - 1n);
    a >>= sh;
    if (rest > half || (rest === half && (a & 1n) === 1n)) a += 1n;
    e += len - bits;
  }
  return new BigFloat(neg ? -a : a, e);
}

export const ONE = BigFloat.int(1);

export function neg(a: BigFloat): BigFloat {
  return new BigFloat(-a.m, a.e);
}

export function abs(a: BigFloat): BigFloat {
  return a.m < 0n ? neg(a) : a;
}

export function add(a: BigFloat, b: BigFloat): BigFloat {
  if (a.m === 0n) return round(b.m, b.e);
  if (b.m === 0n) return round(a.m, a.e);
  // An addend below the other's last bit by a wide margin only decides rounding: keep a sticky bit.
  const gap = a.exponent() - b.exponent();
  if (gap > PREC + 4) return sticky(a, b.sign());
  if (-gap > PREC + 4) return sticky(b, a.sign());
  const e = Math.min(a.e, b.e);
  return round((a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e);
}

/** a plus a nudge of sign `s` far below its last bit: decides only the rounding of a. */
function sticky(a: BigFloat, s: number): BigFloat {
  const shift = Math.max(0, PREC + 4 - bitLength(a.m < 0n ? -a.m : a.m));
  return round((a.m << BigInt(shift)) + BigInt(s), a.e - shift);
}

export function sub(a: BigFloat, b: BigFloat): BigFloat {
  return add(a, neg(b));
}

export function mul(a: BigFloat, b: BigFloat): BigFloat {
  return round(a.m * b.m, a.e + b.e);
}

export function div(a: BigFloat, b: BigFloat): BigFloat {
  if (b.m === 0n) throw new Error('BigFloat: division by zero');
  if (a.m === 0n) return ZERO;
  const shift = PREC + 2 + bitLength(b.m < 0n ? -b.m : b.m) - bitLength(a.m < 0n ? -a.m : a.m);
  const num = shift > 0 ? a.m << BigInt(shift) : a.m >> BigInt(-shift);
  const q = num / b.m;
  // A sticky bit for a nonzero remainder keeps round-to-nearest honest.
  const sticky = q * b.m === num ? 0n : (num < 0n) !== (b.m < 0n) ? -1n : 1n;
  return round(q * 2n + sticky, a.e - b.e - shift - 1);
}

export function cmp(a: BigFloat, b: BigFloat): number {
  return sub(a, b).sign();
}

export function mulInt(a: BigFloat, n: number | bigint): BigFloat {
  return round(a.m * BigInt(n), a.e);
}

export function divInt(a: BigFloat, n: number | bigint): BigFloat {
  return div(a, BigFloat.int(n));
}

/** a·2^k, exact. */
export function ldexp(a: BigFloat, k: number): BigFloat {
  return new BigFloat(a.m, a.e + k);
}

export function sqrt(a: BigFloat): BigFloat {
  if (a.m < 0n) throw new Error('BigFloat.sqrt of a negative number');
  if (a.m === 0n) return ZERO;
  // Scale so the integer square root carries PREC + 2 bits, with an even exponent.
  let shift = 2 * (PREC + 2) - bitLength(a.m);
  if ((a.e - shift) % 2 !== 0) shift += 1;
  const n = shift >= 0 ? a.m << BigInt(shift) : a.m >> BigInt(-shift);
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  return round(x, (a.e - shift) / 2);
}

const cache = new Map<string, BigFloat>();
function cached(name: string, make: () => BigFloat): BigFloat {
  const key = `${name}@${PREC}`;
  let v = cache.get(key);
  if (v === undefined) {
    v = withPrecision(PREC + 16, make);
    v = round(v.m, v.e);
    cache.set(key, v);
  }
  return v;
}

/** atanh(1/n) for an integer n ≥ 2, by its series. */
function atanhInv(n: number): BigFloat {
  const n2 = BigInt(n) * BigInt(n);
  let power = BigFloat.ratio(1, n);
  let sum = power;
  for (let k = 3; ; k += 2) {
    power = div(power, BigFloat.int(n2));
    const term = divInt(power, k);
    if (term.m === 0n || term.exponent() < sum.exponent() - PREC - 4) break;
    sum = add(sum, term);
  }
  return sum;
}

/** atan(1/n) for an integer n ≥ 2. */
function atanInv(n: number): BigFloat {
  const n2 = BigInt(n) * BigInt(n);
  let power = BigFloat.ratio(1, n);
  let sum = power;
  for (let k = 3, sign = -1; ; k += 2, sign = -sign) {
    power = div(power, BigFloat.int(n2));
    const term = divInt(power, k);
    if (term.m === 0n || term.exponent() < sum.exponent() - PREC - 4) break;
    sum = sign < 0 ? sub(sum, term) : add(sum, term);
  }
  return sum;
}

export const ln2 = (): BigFloat => cached('ln2', () => mulInt(atanhInv(3), 2));
/** Machin: π = 16·atan(1/5) − 4·atan(1/239). */
export const pi = (): BigFloat => cached('pi', () => sub(mulInt(atanInv(5), 16), mulInt(atanInv(239), 4)));

export function ln(a: BigFloat): BigFloat {
  if (a.m <= 0n) throw new Error('BigFloat.ln of a non-positive number');
  return withPrecision(PREC + 16, () => {
    // a = f·2^k with f in [2/3, 4/3): ln a = k·ln 2 + 2·atanh((f − 1)/(f + 1)), |z| ≤ 1/7.
    let k = a.exponent();
    let f = ldexp(a, -k);
    if (cmp(f, BigFloat.ratio(4, 3)) >= 0) {
      f = ldexp(f, -1);
      k += 1;
    }
    const z = div(sub(f, ONE), add(f, ONE));
    const z2 = mul(z, z);
    let power = z;
    let sum = z;
    for (let j = 3; ; j += 2) {
      power = mul(power, z2);
      const term = divInt(power, j);
      if (term.m === 0n || term.exponent() < sum.exponent() - PREC - 4) break;
      sum = add(sum, term);
    }
    return add(mulInt(ln2(), k), mulInt(sum, 2));
  });
}

export function exp(a: BigFloat): BigFloat {
  if (a.m === 0n) return ONE;
  const magnitude = Math.max(0, a.exponent() + 1);
  return withPrecision(PREC + 24 + magnitude, () => {
    // a = k·ln 2 + r, |r| ≤ ln 2 / 2; e^r from its series at r/2^16, then squared 16 times.
    const k = Math.round(div(a, ln2()).toNumber());
    const r = ldexp(sub(a, mulInt(ln2(), k)), -16);
    let term = ONE;
    let sum = ONE;
    for (let j = 1; ; j++) {
      term = divInt(mul(term, r), j);
      if (term.m === 0n || term.exponent() < -PREC - 4) break;
      sum = add(sum, term);
    }
    for (let j = 0; j < 16; j++) sum = mul(sum, sum);
    return ldexp(sum, k);
  });
}

/** a^n for an integer n (repeated squaring). */
export function powInt(a: BigFloat, n: number): BigFloat {
  if (n < 0) return div(ONE, powInt(a, -n));
  let result = ONE;
  let base = a;
  for (let k = n; k > 0; k >>= 1) {
    if (k & 1) result = mul(result, base);
    base = mul(base, base);
  }
  return result;
}

/** |computed − reference| in units in the last place of the reference as a double. */
export function ulpError(computed: number, reference: BigFloat): number {
  if (reference.m === 0n) return computed === 0 ? 0 : Infinity;
  if (!Number.isFinite(computed)) return Infinity;
  const err = abs(sub(withPrecision(PREC + 64, () => BigFloat.from(computed)), reference));
  if (err.m === 0n) return 0;
  // ulp of a double in the binade of the reference; subnormals have the fixed ulp 2^−1074.
  const ulpExponent = Math.max(reference.exponent() - 52, -1074);
  return div(err, ldexp(ONE, ulpExponent)).toNumber();
}
