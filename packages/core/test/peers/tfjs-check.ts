// Shared by the TensorFlow.js peer suites (test/peers/tfjs-*.test.ts). A tfjs gradient case is
// `tf.grad(f)(x, dy)` / `tf.grads(f)([x, w], dy)`: the vector–Jacobian product of f with the
// upstream gradient dy, compared by `expectArraysClose` (float32) with hand-computed numbers.
// `gradCase` reproduces one such case with our own code:
//   1. vjp(f, x).pullback(dy) against tfjs's expected numbers, at tfjs's float32 slack (1e-4
//      relative), and the value of f where the case states one;
//   2. the same pullback against central differences of L(x) = Σ dy·f(x), in float64, component by
//      component, at a tight tolerance (1e-7 relative to max(1, |g|)), so that the float32 slack
//      cannot hide a wrong rule;
//   3. grad of L against the pullback (two routes to one number).
// Inputs are flat row-major arrays with tfjs's shapes; f receives them as nodes of those shapes.
// Where dualtape's convention differs from tfjs's at a kink or tie (docs/conventions.md), a case
// states `ours` (the number our convention gives, derived by hand or by a plain-loop reference that
// never touches an op) next to tfjs's `expected`, and the differing components are listed in the test.
import { expect } from 'vitest';
import { grad, mul, reshape, sum, tensor, vjp, type Scalar, type Tensor } from '../../src/index.js';

export interface In { readonly shape: readonly number[]; readonly data: readonly number[] }
export const t = (shape: readonly number[], data: readonly number[]): In => {
  expect(data.length).toBe(shape.reduce((p, d) => p * d, 1));
  return { shape, data };
};

export interface GradCaseOptions {
  /** The value of f, where the tfjs case states it. */
  readonly value?: readonly number[];
  /** Components (per input) at a kink, where central differences give the mean of the one-sided slopes. */
  readonly fdSkip?: Readonly<Record<string, readonly number[]>>;
  /** Skip the central-difference check entirely (ties of three or more in a max). */
  readonly noFd?: boolean;
  /** Tolerance against tfjs's float32 numbers (default 1e-4, relative to max(1, |expected|)). */
  readonly tfjsTolerance?: number;
}

type Fn = (p: Record<string, Tensor>) => Tensor | Scalar;

export function closeTo(got: ArrayLike<number>, want: readonly number[], tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    const w = want[k];
    if (!Number.isFinite(w)) {
      expect(got[k], `${what}[${k}]`).toBe(w);
      continue;
    }
    const err = Math.abs(got[k] - w) / Math.max(1, Math.abs(w));
    if (!(err <= tol)) expect.fail(`${what}[${k}]: got ${got[k]}, want ${w} (relative error ${err.toExponential(2)} > ${tol})`);
  }
}

/**
 * One tfjs gradient case. `expected` holds the gradient of each input (tfjs's numbers); `ours`, where
 * given, replaces it for the comparison with our result (a convention difference, documented by the
 * caller), and `expected` is then only checked against `tfjsRule`, the caller's plain-loop model of
 * tfjs's convention, if one is given.
 */
export function gradCase(
  inputs: Readonly<Record<string, In>>, f: Fn, dy: readonly number[],
  expected: Readonly<Record<string, readonly number[]>>, options: GradCaseOptions = {},
): Record<string, Float64Array> {
  const names = Object.keys(inputs);
  const point: Record<string, Float64Array> = {};
  for (const n of names) point[n] = Float64Array.from(inputs[n].data);
  const shaped = (p: Record<string, Tensor>) => {
    const out: Record<string, Tensor> = {};
    for (const n of names) out[n] = reshape(p[n], [...inputs[n].shape]);
    return out;
  };
  const F = (p: Record<string, Tensor>) => reshape(f(shaped(p)), [-1]);
  const L = (p: Record<string, Tensor>) => {
    const y = F(p);
    expect(y.size, 'dy has the size of f(x)').toBe(dy.length);
    return sum(mul(y, tensor([...dy], [dy.length])));
  };

  // 1. The pullback of dy: tfjs's grad(f)(x, dy).
  const { value, pullback } = vjp(F as never, point as never);
  const pulled = pullback(Float64Array.from(dy)) as unknown as Record<string, Float64Array>;
  if (options.value) closeTo(value as Float64Array, options.value, options.tfjsTolerance ?? 1e-4, 'value');
  for (const n of names) {
    expect(pulled[n].length, `gradient of ${n}`).toBe(inputs[n].data.length);
    if (expected[n]) closeTo(pulled[n], expected[n], options.tfjsTolerance ?? 1e-4, `d${n}`);
  }

  // 3. grad of Σ dy·f agrees with the pullback.
  const direct = grad(L as never)(point as never) as unknown as Record<string, Float64Array>;
  for (const n of names) closeTo(direct[n], Array.from(pulled[n]), 1e-12, `grad(Σ dy·f) d${n}`);

  // 2. Central differences of L in float64.
  if (!options.noFd) {
    const valueOf = (p: Record<string, Float64Array>) => vjp(L as never, p as never).value as number;
    for (const n of names) {
      const skip = new Set(options.fdSkip?.[n] ?? []);
      for (let k = 0; k < point[n].length; k++) {
        if (skip.has(k)) continue;
        const x0 = point[n][k];
        const h = 1e-5 * Math.max(1, Math.abs(x0));
        const at = (s: number) => ({ ...point, [n]: point[n].map((v, j) => (j === k ? x0 + s * h : v)) });
        const fd = (valueOf(at(1)) - valueOf(at(-1))) / (2 * h);
        const g = pulled[n][k];
        const err = Math.abs(g - fd) / Math.max(1, Math.abs(g));
        if (!(err <= 1e-7)) expect.fail(`d${n}[${k}]: ours ${g}, central difference ${fd} (relative error ${err.toExponential(2)})`);
      }
    }
  }
  return pulled;
}

/** Window geometry of a 2-D pool or convolution over NHWC input, as TensorFlow computes it. */
export type Pad2d = 'valid' | 'same' | readonly [number, number, number, number];
export function windows(inH: number, inW: number, k: readonly [number, number], s: readonly [number, number], pad: Pad2d) {
  let top = 0, bottom = 0, left = 0, right = 0;
  if (pad === 'same') {
    const oh = Math.ceil(inH / s[0]), ow = Math.ceil(inW / s[1]);
    const th = Math.max((oh - 1) * s[0] + k[0] - inH, 0), tw = Math.max((ow - 1) * s[1] + k[1] - inW, 0);
    top = Math.floor(th / 2); bottom = th - top; left = Math.floor(tw / 2); right = tw - left;
  } else if (pad !== 'valid') [top, bottom, left, right] = pad;
  const outH = Math.floor((inH + top + bottom - k[0]) / s[0]) + 1;
  const outW = Math.floor((inW + left + right - k[1]) / s[1]) + 1;
  return { top, left, outH, outW };
}

/**
 * Plain-loop pooling gradient of NHWC x [n, h, w, c] for upstream dy: `max-first` gives all of a
 * window's adjoint to its first maximum in row-major order (tfjs's MaxPoolBackprop), `max-split`
 * splits it evenly among tied maxima (our convention); `avg-exclusive` divides by the number of real
 * (unpadded) elements (TensorFlow's 'same' average and ours), `avg-inclusive` by the full window
 * (tfjs's average with explicit padding).
 */
export function poolGradRef(
  x: In, k: readonly [number, number], s: readonly [number, number], pad: Pad2d, dy: readonly number[],
  rule: 'max-first' | 'max-split' | 'avg-exclusive' | 'avg-inclusive',
): number[] {
  const [n, h, w, c] = x.shape.length === 3 ? [1, ...x.shape] : x.shape;
  const { top, left, outH, outW } = windows(h, w, k, s, pad);
  expect(dy.length).toBe(n * outH * outW * c);
  const dx = new Array<number>(x.data.length).fill(0);
  const at = (b: number, i: number, j: number, ch: number) => ((b * h + i) * w + j) * c + ch;
  for (let b = 0; b < n; b++) for (let oi = 0; oi < outH; oi++) for (let oj = 0; oj < outW; oj++) for (let ch = 0; ch < c; ch++) {
    const g = dy[((b * outH + oi) * outW + oj) * c + ch];
    const cells: number[] = [];
    for (let di = 0; di < k[0]; di++) for (let dj = 0; dj < k[1]; dj++) {
      const i = oi * s[0] - top + di, j = oj * s[1] - left + dj;
      if (i >= 0 && i < h && j >= 0 && j < w) cells.push(at(b, i, j, ch));
    }
    if (rule === 'avg-exclusive' || rule === 'avg-inclusive') {
      const count = rule === 'avg-exclusive' ? cells.length : k[0] * k[1];
      for (const q of cells) dx[q] += g / count;
    } else {
      const m = Math.max(...cells.map((q) => x.data[q]));
      const winners = cells.filter((q) => x.data[q] === m);
      if (rule === 'max-first') dx[winners[0]] += g;
      else for (const q of winners) dx[q] += g / winners.length;
    }
  }
  return dx;
}
