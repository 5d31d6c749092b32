/**
 * A small convolutional network trained by Gauss-Newton with exact curvature products.
 *
 * The data are made here: 8×8 images of a horizontal bar, a vertical bar or a hollow square at a
 * random place, plus noise. The network is conv 3×3 (1→4, 'same') + bias → tanh → max pool 2×2 →
 * dense 64→3, trained on the mean softmax cross-entropy by trust-region Newton–CG whose curvature
 * is the generalized Gauss-Newton matrix G = JᵀH_L J (`ggnvp`: positive semi-definite, since the
 * cross-entropy is convex in the logits). Every product G·v costs about two gradients; G is never
 * formed — except once here, to check `ggnvp` against J and H_L assembled column by column.
 *
 * Run: pnpm example cnn
 */
import {
  conv2d, flatten, ggnvp, gradAndHvp, hessian, jacobian, jvp, logSoftmax, matmul, maxPool2d, tensor, unflatten, valueAndGrad,
  type Tensor,
} from '@dualtape/core';
import { newtonCGFlat } from '@dualtape/curvature';
import { check, checkAtMost, finish } from './lib/check.js';

const SIZE = 8;
const CLASSES = ['horizontal bar', 'vertical bar', 'hollow square'];

/** A seeded uniform generator in [0, 1) (mulberry32), so every run sees the same data. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** n images (NHWC, one channel) with one-hot labels, each class in turn. */
function shapes(n: number, seed: number): { X: Float64Array; T: Float64Array; labels: number[] } {
  const random = generator(seed);
  const X = new Float64Array(n * SIZE * SIZE);
  const T = new Float64Array(n * 3);
  const labels: number[] = [];
  const at = (i: number, y: number, x: number) => i * SIZE * SIZE + y * SIZE + x;
  for (let i = 0; i < n; i++) {
    const label = i % 3;
    const pick = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    if (label === 0 || label === 1) {
      const length = pick(4, 6), along = pick(0, SIZE - length), across = pick(0, SIZE - 1);
      for (let k = 0; k < length; k++) X[label === 0 ? at(i, across, along + k) : at(i, along + k, across)] = 1;
    } else {
      const side = pick(3, 4), y0 = pick(0, SIZE - side), x0 = pick(0, SIZE - side);
      for (let k = 0; k < side; k++) {
        X[at(i, y0, x0 + k)] = X[at(i, y0 + side - 1, x0 + k)] = 1;
        X[at(i, y0 + k, x0)] = X[at(i, y0 + k, x0 + side - 1)] = 1;
      }
    }
    for (let k = 0; k < SIZE * SIZE; k++) X[i * SIZE * SIZE + k] += 0.15 * (random() - 0.5);
    T[i * 3 + label] = 1;
    labels.push(label);
  }
  return { X, T, labels };
}

type Params = { filters: Tensor; bias: Tensor; dense: Tensor; denseBias: Tensor };
type Values = { filters: Float64Array; bias: Float64Array; dense: Float64Array; denseBias: Float64Array };

/** The network's logits [n, 3] for images X. */
const model = (X: Float64Array, n: number) => (p: Params): Tensor => {
  const images = tensor(X, [n, SIZE, SIZE, 1]);
  const features = maxPool2d(conv2d(images, p.filters.reshape([3, 3, 1, 4]), { padding: 'same' }).add(p.bias).tanh(), 2);
  return matmul(features.reshape([n, 64]), p.dense.reshape([64, 3])).add(p.denseBias);
};
/** Mean cross-entropy of logits [n, 3] against one-hot targets. */
const crossEntropy = (T: Float64Array, n: number) => (logits: Tensor) => logSoftmax(logits).mul(tensor(T, [n, 3])).sum().mul(-1 / n);

const train = shapes(90, 1);
const test = shapes(60, 2);
const N = 90;
const loss = (p: Params) => crossEntropy(train.T, N)(model(train.X, N)(p));

const random = generator(3);
const init = (n: number, scale: number) => Float64Array.from({ length: n }, () => scale * (2 * random() - 1));
const start: Values = { filters: init(36, 0.5), bias: init(4, 0.1), dense: init(192, 0.2), denseBias: new Float64Array(3) };
const W = flatten(start).length;

function accuracy(p: Values, data: { X: Float64Array; labels: number[] }): number {
  const n = data.labels.length;
  const logits = jvp(model(data.X, n), p, unflatten(p, new Float64Array(W))).value as Float64Array;
  let right = 0;
  data.labels.forEach((label, i) => {
    const row = logits.subarray(i * 3, i * 3 + 3);
    if (row.indexOf(Math.max(...row)) === label) right++;
  });
  return right / n;
}

console.log(`${N} training and ${test.labels.length} test images of 8×8 (${CLASSES.join(', ')}); W = ${W} parameters`);
console.log('\nchecks at the starting point:');
// Exact H·v against central differences of the gradient (max pooling is piecewise linear: random
// reals have no ties, and the step is far too small to change which input wins a window).
const v = unflatten(start, init(W, 1));
const { hvp } = gradAndHvp(loss, start, v);
const h = 1e-6;
const x0 = flatten(start), vFlat = flatten(v);
const gradAt = (s: number) => flatten(valueAndGrad(loss)(unflatten(start, x0.map((x, k) => x + s * h * vFlat[k]))).grad);
const plus = gradAt(1), minus = gradAt(-1);
const fd = plus.map((g, k) => (g - minus[k]) / (2 * h));
check('H·v against central differences of ∇f', flatten(hvp), fd, 1e-6);

// G·v by ggnvp against Jᵀ·(H_L·(J·v)) with J (the logits' Jacobian) and H_L (the loss's Hessian
// in the logits) assembled entry by entry.
const logitsAt = jvp(model(train.X, N), start, unflatten(start, new Float64Array(W))).value as Float64Array;
const J = jacobian(model(train.X, N), start);
const HL = hessian((z: Tensor) => crossEntropy(train.T, N)(z.reshape([N, 3])), logitsAt);
const M = 3 * N;
const Jv = Float64Array.from({ length: M }, (_, i) => vFlat.reduce((s, vk, k) => s + J[i * W + k] * vk, 0));
const HJv = Float64Array.from({ length: M }, (_, i) => Jv.reduce((s, u, j) => s + HL[i * M + j] * u, 0));
const JtHJv = Float64Array.from({ length: W }, (_, k) => HJv.reduce((s, u, i) => s + J[i * W + k] * u, 0));
const Gv = flatten(ggnvp(model(train.X, N), crossEntropy(train.T, N), start, v));
check('ggnvp against Jᵀ·H_L·J·v assembled from the Jacobian and the Hessian', Gv, JtHJv, 1e-10);

// Training: trust-region Newton–CG on the Gauss-Newton model of the loss.
console.log('\nGauss-Newton (trust-region CG on G = JᵀH_L J):');
console.log('  iter   loss        train acc.  test acc.   G·v products');
const oracle = (x: Float64Array) => {
  const p = unflatten(start, x);
  const { value, grad } = valueAndGrad(loss)(p);
  return {
    value,
    grad: flatten(grad),
    apply: (u: Float64Array) => flatten(ggnvp(model(train.X, N), crossEntropy(train.T, N), p, unflatten(start, u))),
  };
};
let products = 0;
const result = newtonCGFlat(oracle, flatten(start), {
  maxIterations: 25,
  gradTolerance: 1e-6,
  onIteration: (it) => {
    products += it.cgIterations;
    if (it.accepted && (it.iteration <= 3 || it.iteration % 5 === 0)) {
      const p = unflatten(start, it.x) as Values;
      console.log(`  ${String(it.iteration).padStart(4)}   ${it.value.toExponential(3)}   ${accuracy(p, train).toFixed(3).padStart(6)}      ${accuracy(p, test).toFixed(3).padStart(6)}      ${products}`);
    }
  },
});
const final = unflatten(start, result.x) as Values;
const trainAcc = accuracy(final, train), testAcc = accuracy(final, test);
console.log(`  stopped after ${result.iterations} iterations (${result.reason}): loss ${result.value.toExponential(3)}, ` +
  `‖∇f‖ ${result.gradNorm.toExponential(1)}, ${result.hvpCount} G·v products; accuracy ${trainAcc.toFixed(3)} (train), ${testAcc.toFixed(3)} (test)`);
console.log('\nchecks after training:');
checkAtMost('training loss', result.value, 0.05);
checkAtMost('training error rate', 1 - trainAcc, 0);
checkAtMost('test error rate', 1 - testAcc, 0.1);
finish();
