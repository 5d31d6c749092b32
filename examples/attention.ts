/**
 * One attention block and its exact Hessian-vector product.
 *
 *   Q = X·Wq,  K = X·Wk,  V = X·Wv          (X: B sequences of T tokens of width d)
 *   A = softmax(Q·Kᵀ/√k) · V                (softmax over the keys, per query)
 *   loss = ½ Σ (A·Wo − Y)² / B
 *
 * written with batched matmul, and again with einsum: the two spellings must agree in value,
 * gradient and H·v, and H·v must agree with central differences of the gradient — the second
 * derivative flows through softmax, through the product of Q and K (both functions of the same
 * X and different weights) and through the batched products' cross terms.
 *
 * Run: pnpm example attention
 */
import { einsum, gradAndHvp, hessian, matmul, softmax, tensor, valueAndGrad, type Tensor } from '@dualtape/core';
import { check, finish } from './lib/check.js';

const B = 2, T = 5, d = 4, k = 3;

/** Seeded uniform numbers in [−1, 1) (mulberry32). */
function numbers(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return 2 * (((z ^ (z >>> 14)) >>> 0) / 4294967296) - 1;
  });
}

const X = numbers(B * T * d, 1);
const Y = numbers(B * T * d, 2);
type Weights = { Wq: Tensor; Wk: Tensor; Wv: Tensor; Wo: Tensor };
const shapes = { Wq: [d, k], Wk: [d, k], Wv: [d, k], Wo: [k, d] } as const;

/** The block with batched matmul: [B, T, d]·[d, k] broadcasts the weights over the batch. */
function withMatmul(w: Weights) {
  const x = tensor(X, [B, T, d]);
  const [Wq, Wk, Wv, Wo] = (['Wq', 'Wk', 'Wv', 'Wo'] as const).map((n) => w[n].reshape([...shapes[n]]));
  const Q = matmul(x, Wq), K = matmul(x, Wk), V = matmul(x, Wv);
  const scores = matmul(Q, K.transpose([0, 2, 1])).mul(1 / Math.sqrt(k));
  const out = matmul(matmul(softmax(scores, -1), V), Wo);
  return out.sub(tensor(Y, [B, T, d])).square().sum().mul(0.5 / B);
}

/** The same block with einsum. */
function withEinsum(w: Weights) {
  const x = tensor(X, [B, T, d]);
  const [Wq, Wk, Wv, Wo] = (['Wq', 'Wk', 'Wv', 'Wo'] as const).map((n) => w[n].reshape([...shapes[n]]));
  const Q = einsum('btd,dk->btk', x, Wq), K = einsum('bsd,dk->bsk', x, Wk), V = einsum('bsd,dk->bsk', x, Wv);
  const attention = softmax(einsum('btk,bsk->bts', Q, K).mul(1 / Math.sqrt(k)), -1);
  const out = einsum('bts,bsk,kd->btd', attention, V, Wo);
  return out.sub(tensor(Y, [B, T, d])).square().sum().mul(0.5 / B);
}

const w = { Wq: numbers(d * k, 3), Wk: numbers(d * k, 4), Wv: numbers(d * k, 5), Wo: numbers(k * d, 6) };
const v = { Wq: numbers(d * k, 7), Wk: numbers(d * k, 8), Wv: numbers(d * k, 9), Wo: numbers(k * d, 10) };
const flat = (t: { Wq: ArrayLike<number>; Wk: ArrayLike<number>; Wv: ArrayLike<number>; Wo: ArrayLike<number> }) =>
  Float64Array.from([...Array.from(t.Wq), ...Array.from(t.Wk), ...Array.from(t.Wv), ...Array.from(t.Wo)]);

const a = gradAndHvp(withMatmul, w, v);
const e = gradAndHvp(withEinsum, w, v);
const W = flat(w).length;
console.log(`attention block: B = ${B} sequences of T = ${T} tokens, width d = ${d}, head width k = ${k}; W = ${W} weights`);
console.log(`loss = ${a.value.toFixed(6)},  ‖∇loss‖ = ${Math.hypot(...flat(a.grad)).toFixed(6)},  vᵀHv = ${flat(a.hvp).reduce((s, h, i) => s + h * flat(v)[i], 0).toFixed(6)}`);
console.log(`H·v (Wq block) = [${Array.from(a.hvp.Wq, (x) => x.toFixed(4)).join(', ')}]`);
console.log('\nchecks:');
check('value: matmul spelling = einsum spelling', a.value, e.value, 1e-13);
check('∇loss: matmul spelling = einsum spelling', flat(a.grad), flat(e.grad), 1e-12);
check('H·v: matmul spelling = einsum spelling', flat(a.hvp), flat(e.hvp), 1e-12);

// Central differences of the gradient along v.
const h = 1e-6;
const vg = valueAndGrad(withMatmul);
const at = (s: number) => {
  const move = (x: Float64Array, d: Float64Array) => x.map((xi, i) => xi + s * h * d[i]);
  return flat(vg({ Wq: move(w.Wq, v.Wq), Wk: move(w.Wk, v.Wk), Wv: move(w.Wv, v.Wv), Wo: move(w.Wo, v.Wo) }).grad);
};
const plus = at(1), minus = at(-1);
check('H·v against central differences of ∇loss', flat(a.hvp), plus.map((g, i) => (g - minus[i]) / (2 * h)), 1e-7);

// The whole Hessian (W columns of H·eⱼ): symmetric, and H·v is its product with v.
const H = hessian(withMatmul, w);
let asymmetry = 0;
for (let i = 0; i < W; i++) for (let j = 0; j < i; j++) asymmetry = Math.max(asymmetry, Math.abs(H[i * W + j] - H[j * W + i]));
check('Hessian symmetric (max |H_ij − H_ji|)', asymmetry, 0, 1e-12);
const vFlat = flat(v);
check('H·v = hessian(f)·v', flat(a.hvp), Float64Array.from({ length: W }, (_, i) => vFlat.reduce((s, vj, j) => s + H[i * W + j] * vj, 0)), 1e-12);
finish();
