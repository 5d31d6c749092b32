// Results allocated without a zero fill (algebra/unfilled.ts): the array's shape, and every caller
// writing every element. In poisoned mode each unfilled array starts as NaN at every size, so a
// product, transpose, slice or fused loop that left an element to the zero fill would show it as
// NaN in the values, gradients or H·v; the results must be bit for bit those of ordinary runs.
import { afterEach, describe, expect, it } from 'vitest';
import { add, gradAndHvp, matmul, mul, setKernelBackend, slice, sum, tanh, tensor, transpose, type Scalar, type Tensor } from '../src/index.js';
import { poisonUnfilled, unfilled } from '../src/algebra/unfilled.js';
import { defaultThreadCount } from '../src/kernels/threads.js';
import { seededUniform } from '../src/testing/index.js';

afterEach(() => {
  poisonUnfilled(false);
  setKernelBackend('auto', { threads: defaultThreadCount() });
});

describe('unfilled', () => {
  it('is a Float64Array of its own ArrayBuffer, like new Float64Array, at every size', () => {
    for (const n of [0, 1, 7, 8191, 8192, 8193, 100_000]) {
      const a = unfilled(n);
      expect(a).toBeInstanceOf(Float64Array);
      expect(a.length).toBe(n);
      expect(a.byteOffset).toBe(0);
      expect(a.buffer.byteLength).toBe(8 * n);
    }
  });

  it('above the 4 GiB of a Node Buffer (Node 20), still a Float64Array: a RangeError from allocUnsafeSlow before', () => {
    // A tensor may hold 2³¹ − 1 elements, 16 GiB; broadcastTo(tensor([1]), [2 ** 29 + 1]) threw
    // "The value of "size" is out of range" from Buffer.allocUnsafeSlow. Nothing is written here, so
    // the pages are never touched.
    const n = 2 ** 29 + 1;
    const a = unfilled(n);
    expect(a).toBeInstanceOf(Float64Array);
    expect(a.length).toBe(n);
  });

  it('poisoned, fills with NaN', () => {
    poisonUnfilled(true);
    for (const n of [1, 10_000]) expect(unfilled(n).every(Number.isNaN)).toBe(true);
    expect(poisonUnfilled(false)).toBe(true);
  });
});

/** Random data of `n` entries in (−1, 1). */
function data(n: number, seed: number): Float64Array {
  const next = seededUniform(seed);
  return Float64Array.from({ length: n }, () => 2 * next() - 1);
}

interface Case {
  readonly name: string;
  readonly x: Float64Array[];
  readonly f: (p: readonly Tensor[]) => Scalar;
}

/**
 * A two-layer tanh network and a batched, transposed, sliced variant, at sizes below and above the
 * unfilled threshold (8,192 elements) and above the split-loop and split-product sizes.
 */
function cases(): Case[] {
  const out: Case[] = [];
  for (const [N, D, H, K] of [[5, 3, 4, 2], [64, 40, 200, 10], [256, 100, 200, 10]]) {
    const X = data(N * D, 1), T = data(N * K, 2);
    out.push({
      name: `two-layer ${D}-${H}-${K}, N = ${N}`,
      x: [data(H * D, 3), data(H, 4), data(K * H, 5), data(K, 6)],
      f: ([W1, b1, W2, b2]) => {
        const Z = tanh(add(matmul(tensor(X, [N, D]), transpose(W1.reshape([H, D]))), b1));
        const Y = add(matmul(Z, transpose(W2.reshape([K, H]))), b2);
        const r = add(Y, mul(-1, tensor(T, [N, K])));
        return mul(0.5, sum(mul(r, r))) as Scalar;
      },
    });
  }
  for (const [B, M, Kd, Nn] of [[2, 3, 4, 5], [8, 64, 32, 48]]) {
    out.push({
      name: `batched ${B}×${M}×${Kd}·${Kd}×${Nn}, transposed and sliced`,
      x: [data(B * M * Kd, 7), data(Kd * Nn, 8)],
      f: ([A, W]) => {
        const P = matmul(A.reshape([B, M, Kd]), W.reshape([Kd, Nn])); // batched times unbatched
        const Q = transpose(P, [0, 2, 1]); // B×Nn×M, a copy
        const S = slice(Q, 1, Nn - 1, 1); // drop the first and last rows
        const G = matmul(transpose(A.reshape([B, M, Kd]), [0, 2, 1]), A.reshape([B, M, Kd])); // Σ Aᵢᵀ·Aᵢ per batch
        return add(sum(mul(tanh(S), S)), sum(mul(G, G))) as Scalar;
      },
    });
  }
  return out;
}

const bits = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v)));

describe('every unfilled result is written whole', () => {
  for (const backend of ['js', 'wasm', 'auto'] as const) {
    for (const c of cases()) {
      it(`${c.name}, ${backend}: value, gradient and H·v the same bits poisoned or not`, () => {
        setKernelBackend(backend);
        const v = c.x.map((x, j) => data(x.length, 100 + j));
        const plain = gradAndHvp(c.f, c.x, v);
        poisonUnfilled(true);
        const poisoned = gradAndHvp(c.f, c.x, v);
        poisonUnfilled(false);
        expect(Number.isFinite(plain.value)).toBe(true);
        expect(poisoned.value).toBe(plain.value);
        for (let j = 0; j < c.x.length; j++) {
          expect(bits(poisoned.grad[j])).toEqual(bits(plain.grad[j]));
          expect(bits(poisoned.hvp[j])).toEqual(bits(plain.hvp[j]));
          expect(plain.hvp[j].every(Number.isFinite)).toBe(true);
        }
      });
    }
  }

  it('products with an empty inner dimension write zeros, on every backend', () => {
    poisonUnfilled(true);
    for (const backend of ['js', 'wasm', 'auto'] as const) {
      setKernelBackend(backend);
      for (const [m, n] of [[2, 3], [1, 5], [5, 1], [200, 300]]) {
        const B = tensor(new Float64Array(0), [0, n]);
        expect((matmul(tensor(new Float64Array(0), [m, 0]), B).value as Float64Array).every((v) => v === 0)).toBe(true);
        expect((matmul(transpose(tensor(new Float64Array(0), [0, m])), B).value as Float64Array).every((v) => v === 0)).toBe(true);
      }
    }
  });

  it('a product with an infinite entry (structural zeros recomputed) writes all of C', () => {
    const A = data(40 * 30, 11), B = data(30 * 300, 12);
    A[5] = Number.POSITIVE_INFINITY;
    const f = ([a, b]: readonly Tensor[]) => sum(matmul(a.reshape([40, 30]), b.reshape([30, 300]))) as Scalar;
    const v = [data(A.length, 13), data(B.length, 14)];
    const plain = gradAndHvp(f, [A, B], v);
    poisonUnfilled(true);
    const poisoned = gradAndHvp(f, [A, B], v);
    expect(poisoned.value).toBe(plain.value);
    for (let j = 0; j < 2; j++) {
      expect(bits(poisoned.grad[j])).toEqual(bits(plain.grad[j]));
      expect(bits(poisoned.hvp[j])).toEqual(bits(plain.hvp[j]));
    }
  });
});
