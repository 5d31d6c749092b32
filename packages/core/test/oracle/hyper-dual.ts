/**
 * An independent oracle for first and second derivatives: forward-over-forward evaluation on
 * hyper-dual numbers  a + b·ε₁ + c·ε₂ + d·ε₁ε₂  with ε₁² = ε₂² = 0 (and ε₁ε₂ ≠ 0).
 *
 * Seeding every input xᵢ as xᵢ + uᵢε₁ + vᵢε₂ and evaluating f gives, with no truncation error,
 *
 *   a = f(x),  b = ∇f·u,  c = ∇f·v,  d = uᵀ H v.
 *
 * This file shares NO code with the engine (not its shape helpers, not its op math, not its dual
 * numbers): broadcasting, reductions, matmul, softmax, … are written here again from their
 * definitions, so that a mistake in the engine cannot be reproduced here by construction.
 *
 * Every elementwise function goes through one chain rule:
 *   f(a + bε₁ + cε₂ + dε₁ε₂) = f(a) + f′(a)(bε₁ + cε₂) + (f′(a)d + f″(a)bc)ε₁ε₂
 * and every two-argument one through its bivariate analogue (see {@link lift2}).
 *
 * Kink conventions follow docs/conventions.md (relu′(0) = 0, abs′(0) = 0, ½ to each side at a tie of
 * maximum/minimum, second derivative 0). The oracle also records how close any kink came to being
 * hit ({@link kinkMargin}), so the differential test can skip points within 1e-6 of a kink, where two
 * correct implementations may legitimately disagree by rounding which side they are on.
 */

/** A hyper-dual number a + b·ε₁ + c·ε₂ + d·ε₁ε₂. */
export class HD {
  constructor(
    readonly a: number,
    readonly b: number,
    readonly c: number,
    readonly d: number,
  ) {
    const m = Math.max(Math.abs(a), Math.abs(b), Math.abs(c), Math.abs(d));
    if (m > largest) largest = m;
  }
  toString(): string {
    return `HD(${this.a}, ${this.b}, ${this.c}, ${this.d})`;
  }
}

export const hd = (a: number, b = 0, c = 0, d = 0): HD => new HD(a, b, c, d);
export const hconst = (a: number): HD => new HD(a, 0, 0, 0);

// ---------------------------------------------------------------------------------------------------
// Kink bookkeeping
// ---------------------------------------------------------------------------------------------------

let minKinkDistance = Infinity;
let largest = 0;
/** Starts a new evaluation's bookkeeping (kinks and magnitudes). */
export function resetKinks(): void {
  minKinkDistance = Infinity;
  largest = 0;
}
/**
 * The largest magnitude of any part (value, ε₁, ε₂, ε₁ε₂) of any hyper-dual made since the reset:
 * how large the intermediates of the computation were. Two correct float64 evaluations can differ
 * by a few ulps of these intermediates, however small the final numbers are.
 */
export function largestIntermediate(): number {
  return largest;
}
/** The smallest distance to a kink (|x| for relu/abs, |a − b| for maximum/minimum) since the reset. */
export function kinkMargin(): number {
  return minKinkDistance;
}
/**
 * Records a kink's distance, unless the choice of subgradient cannot matter there: relu/abs of an
 * exact, unperturbed 0, or maximum/minimum of two identical hyper-duals (e.g. maximum(e, e)), where
 * every convention gives the same number.
 */
function nearKink(distance: number, irrelevant: boolean): void {
  if (!irrelevant && distance < minKinkDistance) minKinkDistance = distance;
}
const isZero = (x: HD) => x.a === 0 && x.b === 0 && x.c === 0 && x.d === 0;
const identical = (x: HD, y: HD) => x.a === y.a && x.b === y.b && x.c === y.c && x.d === y.d;

// ---------------------------------------------------------------------------------------------------
// Scalar hyper-dual arithmetic
// ---------------------------------------------------------------------------------------------------

/** The univariate chain rule, given f(a), f′(a), f″(a). */
export function lift(x: HD, f0: number, f1: number, f2: number): HD {
  return new HD(f0, f1 * x.b, f1 * x.c, f1 * x.d + f2 * x.b * x.c);
}

/**
 * The bivariate chain rule for z = g(x, y), given g and its partials at (x.a, y.a):
 *   ε₁:   gₓ·x.b + g_y·y.b
 *   ε₂:   gₓ·x.c + g_y·y.c
 *   ε₁ε₂: gₓ·x.d + g_y·y.d + gₓₓ·x.b·x.c + gₓ_y·(x.b·y.c + y.b·x.c) + g_yy·y.b·y.c
 * A zero perturbation contributes nothing (its partials are never multiplied in), so a constant
 * operand whose partial is not finite (ln of a negative base) does not poison the result.
 */
export function lift2(x: HD, y: HD, g: number, gx: number, gy: number, gxx: number, gxy: number, gyy: number): HD {
  const xConst = x.b === 0 && x.c === 0 && x.d === 0;
  const yConst = y.b === 0 && y.c === 0 && y.d === 0;
  let b = 0, c = 0, d = 0;
  if (!xConst) {
    b += gx * x.b;
    c += gx * x.c;
    d += gx * x.d + gxx * x.b * x.c;
  }
  if (!yConst) {
    b += gy * y.b;
    c += gy * y.c;
    d += gy * y.d + gyy * y.b * y.c;
  }
  if (!xConst && !yConst) d += gxy * (x.b * y.c + y.b * x.c);
  return new HD(g, b, c, d);
}

export const H = {
  add: (x: HD, y: HD): HD => new HD(x.a + y.a, x.b + y.b, x.c + y.c, x.d + y.d),
  sub: (x: HD, y: HD): HD => new HD(x.a - y.a, x.b - y.b, x.c - y.c, x.d - y.d),
  /** (x.a + x.bε₁ + x.cε₂ + x.dε₁ε₂)(y.a + …): the ε₁ε₂ part collects x.b·y.c and x.c·y.b. */
  mul: (x: HD, y: HD): HD =>
    new HD(x.a * y.a, x.a * y.b + x.b * y.a, x.a * y.c + x.c * y.a, x.a * y.d + x.d * y.a + x.b * y.c + x.c * y.b),
  scale: (x: HD, s: number): HD => new HD(x.a * s, x.b * s, x.c * s, x.d * s),
  neg: (x: HD): HD => new HD(-x.a, -x.b, -x.c, -x.d),
  square: (x: HD): HD => H.mul(x, x),
  /** x/y = x·(1/y), with 1/y by the chain rule: (1/y)′ = −1/y², (1/y)″ = 2/y³. */
  div: (x: HD, y: HD): HD => {
    const r = 1 / y.a;
    return H.mul(x, lift(y, r, -r * r, 2 * r * r * r));
  },
  exp: (x: HD): HD => {
    const e = Math.exp(x.a);
    return lift(x, e, e, e);
  },
  log: (x: HD): HD => lift(x, Math.log(x.a), 1 / x.a, -1 / (x.a * x.a)),
  log1p: (x: HD): HD => {
    const r = 1 / (1 + x.a);
    return lift(x, Math.log1p(x.a), r, -r * r);
  },
  sqrt: (x: HD): HD => {
    const s = Math.sqrt(x.a);
    // (√a)′ = ½a^(−½), (√a)″ = −¼a^(−3/2)
    return lift(x, s, 0.5 / s, -0.25 / (x.a * s));
  },
  sin: (x: HD): HD => lift(x, Math.sin(x.a), Math.cos(x.a), -Math.sin(x.a)),
  cos: (x: HD): HD => lift(x, Math.cos(x.a), -Math.sin(x.a), -Math.cos(x.a)),
  tanh: (x: HD): HD => {
    // tanh′ = sech² = 1/cosh², tanh″ = −2 tanh · sech²; computed from cosh where it does not overflow.
    const t = Math.tanh(x.a);
    const ch = Math.cosh(x.a);
    const sech2 = Number.isFinite(ch) ? 1 / (ch * ch) : 0;
    return lift(x, t, sech2, -2 * t * sech2);
  },
  sigmoid: (x: HD): HD => {
    // σ = 1/(1 + e^(−a)); σ′ = e^(−|a|)/(1 + e^(−|a|))² (symmetric, no overflow); σ″ = σ′(1 − 2σ).
    const s = logistic(x.a);
    const q = Math.exp(-Math.abs(x.a));
    const s1 = q / ((1 + q) * (1 + q));
    return lift(x, s, s1, s1 * (1 - 2 * s));
  },
  softplus: (x: HD): HD => {
    // ln(1 + eᵃ) = max(a, 0) + ln(1 + e^(−|a|)); its derivatives are σ and σ′.
    const q = Math.exp(-Math.abs(x.a));
    return lift(x, Math.max(x.a, 0) + Math.log1p(q), logistic(x.a), q / ((1 + q) * (1 + q)));
  },
  relu: (x: HD): HD => {
    nearKink(Math.abs(x.a), isZero(x));
    return x.a > 0 ? lift(x, x.a, 1, 0) : lift(x, 0, 0, 0);
  },
  abs: (x: HD): HD => {
    nearKink(Math.abs(x.a), isZero(x));
    if (x.a > 0) return lift(x, x.a, 1, 0);
    if (x.a < 0) return lift(x, -x.a, -1, 0);
    return lift(x, 0, 0, 0);
  },
  /** xᵖ for a constant exponent p (any real base where xᵖ is real). */
  powConst: (x: HD, p: number): HD => {
    if (p === 0) return hconst(1); // the constant 1: every derivative exactly 0
    const f1 = p * x.a ** (p - 1);
    const f2 = p * (p - 1) === 0 ? 0 : p * (p - 1) * x.a ** (p - 2);
    return lift(x, x.a ** p, f1, f2);
  },
  /** xʸ for x > 0 where either may carry perturbations: exp(y ln x) differentiated by hand. */
  pow: (x: HD, y: HD): HD => {
    const lx = Math.log(x.a);
    const g = x.a ** y.a;
    const xym1 = x.a ** (y.a - 1);
    return lift2(
      x, y, g,
      y.a * xym1, // ∂/∂x
      g * lx, // ∂/∂y
      y.a * (y.a - 1) * x.a ** (y.a - 2), // ∂²/∂x²
      xym1 * (1 + y.a * lx), // ∂²/∂x∂y
      g * lx * lx, // ∂²/∂y²
    );
  },
  /** max(x, y); at a tie each side gets half (conventions.md), second derivative 0. */
  maximum: (x: HD, y: HD): HD => {
    nearKink(Math.abs(x.a - y.a), identical(x, y));
    if (x.a > y.a) return x;
    if (x.a < y.a) return y;
    return new HD(x.a, 0.5 * (x.b + y.b), 0.5 * (x.c + y.c), 0.5 * (x.d + y.d));
  },
  minimum: (x: HD, y: HD): HD => {
    nearKink(Math.abs(x.a - y.a), identical(x, y));
    if (x.a < y.a) return x;
    if (x.a > y.a) return y;
    return new HD(x.a, 0.5 * (x.b + y.b), 0.5 * (x.c + y.c), 0.5 * (x.d + y.d));
  },
} as const;

function logistic(a: number): number {
  return a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a));
}

// ---------------------------------------------------------------------------------------------------
// Tensors: row-major arrays of hyper-duals. Shape [] is a single number (a scalar).
// ---------------------------------------------------------------------------------------------------

export interface HT {
  readonly shape: readonly number[];
  readonly data: readonly HD[];
}

const prod = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

function fail(message: string): never {
  throw new Error(`oracle: ${message}`);
}

export function ht(data: readonly HD[], shape: readonly number[] = [data.length]): HT {
  if (prod(shape) !== data.length) fail(`${data.length} values do not fill shape [${shape}]`);
  return { shape: [...shape], data };
}
export const hscalar = (x: HD): HT => ({ shape: [], data: [x] });
export const constTensor = (values: readonly number[], shape: readonly number[] = [values.length]): HT =>
  ht(values.map(hconst), shape);

/** The single element of a one-element tensor. */
export function only(t: HT): HD {
  if (t.data.length !== 1) fail(`expected one element, got shape [${t.shape}]`);
  return t.data[0];
}

/** Row-major strides. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    s[k] = acc;
    acc *= shape[k];
  }
  return s;
}

/** Multi-index of flat position `flat` in `shape`. */
function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = flat % shape[k];
    flat = Math.floor(flat / shape[k]);
  }
  return idx;
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let k = 0; k < rank; k++) {
    const da = a[a.length - rank + k] ?? 1;
    const db = b[b.length - rank + k] ?? 1;
    if (da !== db && da !== 1 && db !== 1) fail(`cannot broadcast [${a}] with [${b}]`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** The element of `t` that position `idx` of a broadcast result of rank idx.length reads. */
function readBroadcast(t: HT, idx: readonly number[]): HD {
  const off = idx.length - t.shape.length;
  let flat = 0;
  for (let k = 0; k < t.shape.length; k++) {
    const i = t.shape[k] === 1 ? 0 : idx[k + off];
    flat = flat * t.shape[k] + i;
  }
  return t.data[flat];
}

export function map(t: HT, f: (x: HD) => HD): HT {
  return { shape: t.shape, data: t.data.map(f) };
}

export function zip(a: HT, b: HT, f: (x: HD, y: HD) => HD): HT {
  // Fast paths (same shape; a single element against anything) give the same elements as the general
  // broadcasting loop below, without computing multi-indices.
  const same = a.shape.length === b.shape.length && a.shape.every((d, k) => d === b.shape[k]);
  if (same) return { shape: a.shape, data: a.data.map((x, k) => f(x, b.data[k])) };
  if (a.shape.length === 0) return { shape: b.shape, data: b.data.map((y) => f(a.data[0], y)) };
  if (b.shape.length === 0) return { shape: a.shape, data: a.data.map((x) => f(x, b.data[0])) };
  const shape = broadcastShape(a.shape, b.shape);
  const n = prod(shape);
  const data: HD[] = [];
  for (let k = 0; k < n; k++) {
    const idx = unravel(k, shape);
    data.push(f(readBroadcast(a, idx), readBroadcast(b, idx)));
  }
  return { shape, data };
}

function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) fail(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

/** Applies `reduce` to each fibre along `axis`, giving shape with that axis removed (or kept as 1). */
function alongAxis(t: HT, axis: number, keepDims: boolean, reduce: (fibre: HD[]) => HD): HT {
  const a = normAxis(axis, t.shape.length);
  const outShape = t.shape.map((d, k) => (k === a ? 1 : d));
  const n = t.shape[a];
  const st = strides(t.shape);
  const data: HD[] = [];
  for (let k = 0; k < prod(outShape); k++) {
    const idx = unravel(k, outShape);
    const base = idx.reduce((s, i, j) => s + i * st[j], 0);
    const fibre: HD[] = [];
    for (let j = 0; j < n; j++) fibre.push(t.data[base + j * st[a]]);
    data.push(reduce(fibre));
  }
  return { shape: keepDims ? outShape : t.shape.filter((_, k) => k !== a), data };
}

/** Each fibre along `axis` replaced elementwise by `transform(fibre)` (same shape). */
function perFibre(t: HT, axis: number, transform: (fibre: HD[]) => HD[]): HT {
  const a = normAxis(axis, t.shape.length);
  const outerShape = t.shape.map((d, k) => (k === a ? 1 : d));
  const st = strides(t.shape);
  const data = t.data.slice();
  for (let k = 0; k < prod(outerShape); k++) {
    const idx = unravel(k, outerShape);
    const base = idx.reduce((s, i, j) => s + i * st[j], 0);
    const positions = Array.from({ length: t.shape[a] }, (_, j) => base + j * st[a]);
    const out = transform(positions.map((p) => t.data[p]));
    positions.forEach((p, j) => (data[p] = out[j]));
  }
  return { shape: t.shape, data };
}

const sumList = (xs: readonly HD[]): HD => xs.reduce((s, x) => H.add(s, x), hconst(0));

export function sum(t: HT, axis?: number, keepDims = false): HT {
  if (axis === undefined) return hscalar(sumList(t.data));
  return alongAxis(t, axis, keepDims, sumList);
}

export function mean(t: HT, axis?: number, keepDims = false): HT {
  if (axis === undefined) return hscalar(H.scale(sumList(t.data), 1 / t.data.length));
  const n = t.shape[normAxis(axis, t.shape.length)];
  return alongAxis(t, axis, keepDims, (f) => H.scale(sumList(f), 1 / n));
}

/** ln Σ eˣ as m + ln Σ e^(x − m), m the largest primal (a constant: its derivative cancels). */
function lseList(xs: readonly HD[]): HD {
  let m = -Infinity;
  for (const x of xs) if (x.a > m) m = x.a;
  if (!Number.isFinite(m)) m = 0;
  const shifted = xs.map((x) => H.exp(H.sub(x, hconst(m))));
  return H.add(H.log(sumList(shifted)), hconst(m));
}

export function logSumExp(t: HT, axis?: number, keepDims = false): HT {
  if (axis === undefined) return hscalar(lseList(t.data));
  return alongAxis(t, axis, keepDims, lseList);
}

/** softmax as e^(xₖ − m) / Σⱼ e^(xⱼ − m): a different route from the engine's exp(x − lse x). */
export function softmax(t: HT, axis = -1): HT {
  return perFibre(t, axis, (xs) => {
    let m = -Infinity;
    for (const x of xs) if (x.a > m) m = x.a;
    const e = xs.map((x) => H.exp(H.sub(x, hconst(m))));
    const z = sumList(e);
    return e.map((ek) => H.div(ek, z));
  });
}

/** [m,k]·[k,n] → [m,n]; [m,k]·[k] → [m]; [k]·[k,n] → [n]. */
export function matmul(a: HT, b: HT): HT {
  if (a.shape.length < 1 || a.shape.length > 2 || b.shape.length < 1 || b.shape.length > 2) fail('matmul rank');
  if (a.shape.length === 1 && b.shape.length === 1) fail('matmul of two vectors');
  const m = a.shape.length === 2 ? a.shape[0] : 1;
  const k = a.shape[a.shape.length - 1];
  const n = b.shape.length === 2 ? b.shape[1] : 1;
  if (b.shape[0] !== k) fail(`matmul [${a.shape}]·[${b.shape}]`);
  const data: HD[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = hconst(0);
      for (let p = 0; p < k; p++) s = H.add(s, H.mul(a.data[i * k + p], b.data[p * n + j]));
      data.push(s);
    }
  }
  const shape: number[] = [];
  if (a.shape.length === 2) shape.push(m);
  if (b.shape.length === 2) shape.push(n);
  return { shape, data };
}

export function dot(a: HT, b: HT): HT {
  if (a.shape.length !== 1 || b.shape.length !== 1 || a.data.length !== b.data.length) fail('dot shapes');
  return hscalar(sumList(a.data.map((x, k) => H.mul(x, b.data[k]))));
}

export function transpose(t: HT): HT {
  if (t.shape.length < 2) return t;
  if (t.shape.length > 2) fail('transpose rank');
  const [r, c] = t.shape;
  const data: HD[] = [];
  for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) data.push(t.data[i * c + j]);
  return { shape: [c, r], data };
}

export function reshape(t: HT, shape: readonly number[]): HT {
  const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const resolved = shape.map((d) => (d === -1 ? t.data.length / known : d));
  if (prod(resolved) !== t.data.length) fail(`reshape [${t.shape}] → [${shape}]`);
  return { shape: resolved, data: t.data };
}

export function at(t: HT, index: number | readonly number[]): HT {
  if (typeof index === 'number') return hscalar(t.data[index]);
  const st = strides(t.shape);
  return hscalar(t.data[index.reduce((s, i, k) => s + i * st[k], 0)]);
}

export function slice(t: HT, start: number, end: number, axis = 0): HT {
  const a = normAxis(axis, t.shape.length);
  const shape = t.shape.map((d, k) => (k === a ? end - start : d));
  const st = strides(t.shape);
  const data: HD[] = [];
  for (let k = 0; k < prod(shape); k++) {
    const idx = unravel(k, shape);
    idx[a] += start;
    data.push(t.data[idx.reduce((s, i, j) => s + i * st[j], 0)]);
  }
  return { shape, data };
}

export function concat(parts: readonly HT[], axis = 0): HT {
  const rank = parts[0].shape.length;
  const a = normAxis(axis, rank);
  const total = parts.reduce((s, p) => s + p.shape[a], 0);
  const shape = parts[0].shape.map((d, k) => (k === a ? total : d));
  const data: HD[] = [];
  for (let k = 0; k < prod(shape); k++) {
    const idx = unravel(k, shape);
    let i = idx[a];
    let part = 0;
    while (i >= parts[part].shape[a]) i -= parts[part++].shape[a];
    const p = parts[part];
    const local = idx.map((v, j) => (j === a ? i : v));
    const st = strides(p.shape);
    data.push(p.data[local.reduce((s, v, j) => s + v * st[j], 0)]);
  }
  return { shape, data };
}

/** Stacks same-shape tensors (or scalars, shape []) along a new axis. */
export function stack(parts: readonly HT[], axis = 0): HT {
  const rank = parts[0].shape.length;
  const a = axis < 0 ? axis + rank + 1 : axis;
  const shape = [...parts[0].shape.slice(0, a), parts.length, ...parts[0].shape.slice(a)];
  const data: HD[] = [];
  for (let k = 0; k < prod(shape); k++) {
    const idx = unravel(k, shape);
    const p = parts[idx[a]];
    const local = idx.filter((_, j) => j !== a);
    const st = strides(p.shape);
    data.push(p.data[local.reduce((s, v, j) => s + v * st[j], 0)]);
  }
  return { shape, data };
}

/** mask ? a : b, elementwise; a and b broadcast to the mask's shape. */
export function where(mask: readonly number[], maskShape: readonly number[], a: HT, b: HT): HT {
  const shape = broadcastShape(broadcastShape(a.shape, b.shape), maskShape);
  if (prod(shape) !== mask.length) fail('where: operands do not fit the mask');
  const data: HD[] = [];
  for (let k = 0; k < mask.length; k++) {
    const idx = unravel(k, shape);
    data.push(mask[k] ? readBroadcast(a, idx) : readBroadcast(b, idx));
  }
  return { shape, data };
}

// ---------------------------------------------------------------------------------------------------
// Driving the oracle
// ---------------------------------------------------------------------------------------------------

/** Seeds x with ε₁ along u and ε₂ along v. */
export function seed(x: ArrayLike<number>, u: ArrayLike<number>, v: ArrayLike<number>): HD[] {
  return Array.from({ length: x.length }, (_, k) => new HD(x[k], u[k], v[k], 0));
}

export interface OracleDerivatives {
  readonly value: number;
  readonly grad: Float64Array;
  /** ∇f·v (the ε₂ part). */
  readonly directional: number;
  /** H·v. */
  readonly hvp: Float64Array;
  /** The full Hessian, n×n row-major, H[i·n + j] = eᵢᵀHeⱼ, when asked for. */
  readonly hessian: Float64Array | null;
  /** The smallest distance to a kink met in any evaluation. */
  readonly kinkMargin: number;
  /** The largest part of any intermediate hyper-dual (see {@link largestIntermediate}). */
  readonly largestIntermediate: number;
}

/**
 * Everything the differential test compares, from hyper-dual evaluations of f only:
 * n evaluations seeded (eᵢ, v) give ∇fᵢ (the ε₁ part) and (H·v)ᵢ (the ε₁ε₂ part); n² more seeded
 * (eᵢ, eⱼ) give the full Hessian when `withHessian`.
 */
export function oracleDerivatives(
  f: (x: HD[]) => HD, x: ArrayLike<number>, v: ArrayLike<number>, withHessian: boolean,
): OracleDerivatives {
  const n = x.length;
  resetKinks();
  const e = (i: number) => Float64Array.from({ length: n }, (_, k) => (k === i ? 1 : 0));
  const grad = new Float64Array(n);
  const hvp = new Float64Array(n);
  // The value and the ε₂ part ∇f·v do not depend on u: any of the n passes gives them.
  let first = n === 0 ? f([]) : null;
  for (let i = 0; i < n; i++) {
    const r = f(seed(x, e(i), v));
    first ??= r;
    grad[i] = r.b;
    hvp[i] = r.d;
  }
  const value = first!.a;
  let hessian: Float64Array | null = null;
  if (withHessian) {
    hessian = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) hessian[i * n + j] = f(seed(x, e(i), e(j))).d;
  }
  return { value, grad, directional: first!.c, hvp, hessian, kinkMargin: kinkMargin(), largestIntermediate: largestIntermediate() };
}
