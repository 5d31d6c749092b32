/**
 * The CNN in TensorFlow.js (float32) on its wasm backend. H·v by reverse-over-reverse: nested
 * `tf.grads` of ⟨∇f, v⟩, which returns H·v only.
 *
 * Measured here (tfjs 4.22): with the built-in ops nested grads cannot run on wasm — the wasm backend
 * has no Conv2DBackpropFilter kernel (even ∇f fails), and on any backend neither the filter gradient
 * of tf.conv2d nor tf.avgPool's gradient has a gradient of its own, while tf.tanh, tf.exp and
 * tf.logSoftmax differentiate their saved outputs as constants (tfjs#3252). That row is kept, with
 * the error. The row that runs writes the same model with ops whose gradients nest on wasm: the
 * convolution as im2col (one tf.slice per filter tap, tf.concat, tf.matMul), average pooling as a
 * reshape and tf.mean, and tanh and exp as tf.customGrad ops whose gradients are recomputed from the
 * saved input; log-softmax as z − log Σ exp z (the logits stay small: no shift needed).
 */
import type * as TF from '@tensorflow/tfjs';
import { errorMessage } from '../lib/measure.js';
import type { CnnResult } from '../lib/cnn-protocol.js';
import { BLOCKS, DualtapeBaseline, cnnProblem, cnnReference, N } from './cnn-problem.js';
import { cnnNotRun, evaluateCnn, hvpError } from './cnn-rows.js';

export async function cnnTfjs(quick: boolean): Promise<CnnResult> {
  const problem = cnnProblem();
  const ref = cnnReference(problem);
  const baseline = new DualtapeBaseline(problem, quick);
  baseline.measure();
  const base = { suite: 'cnn', group: 'tfjs-wasm', N, W: problem.W, referenceFdErr: ref.fdErr } as const;
  const ids = { builtin: 'tfjs-wasm.builtin', custom: 'tfjs-wasm.im2col' };
  const labels = {
    builtin: 'tfjs wasm: nested tf.grads, built-in tf.conv2d / tf.avgPool / tf.tanh / tf.logSoftmax',
    custom: 'tfjs wasm: nested tf.grads, conv as tf.slice im2col + tf.matMul, customGrad tanh and exp',
  };
  let tf: typeof TF;
  const notes: string[] = [];
  try {
    tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') returned false");
    await tf.ready();
    const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
    notes.push(`@tensorflow/tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, ${getThreadsCount()} thread(s)`);
  } catch (e) {
    const why = `failed to load: ${errorMessage(e)}`;
    return { ...base, baselineTimings: baseline.timings, methods: [cnnNotRun(ids.builtin, labels.builtin, 'float32', why), cnnNotRun(ids.custom, labels.custom, 'float32', why)], notes };
  }

  const f32 = (a: Float64Array, shape: readonly number[]) => tf.tensor(Float32Array.from(a), [...shape]);
  const X = f32(problem.X, [N, 28, 28, 1]) as TF.Tensor4D;
  const T = f32(problem.T, [N, 10]);
  const w = BLOCKS.map(([k, shape]) => f32(problem.p[k], shape));
  const v = BLOCKS.map(([k, shape]) => f32(problem.v[k], shape));

  const customTanh = tf.customGrad((...inputs: Array<TF.Tensor | TF.GradSaveFunc>) => {
    const a = inputs[0] as TF.Tensor;
    (inputs[1] as TF.GradSaveFunc)([a]);
    return { value: tf.tanh(a), gradFunc: (dy: TF.Tensor, saved: TF.Tensor[]) => tf.mul(dy, tf.sub(1, tf.square(tf.tanh(saved[0])))) };
  });
  const customExp = tf.customGrad((...inputs: Array<TF.Tensor | TF.GradSaveFunc>) => {
    const a = inputs[0] as TF.Tensor;
    (inputs[1] as TF.GradSaveFunc)([a]);
    return { value: tf.exp(a), gradFunc: (dy: TF.Tensor, saved: TF.Tensor[]) => tf.mul(dy, tf.exp(saved[0])) };
  });
  // A 'valid' 3×3 convolution as im2col: one slice per tap, joined along channels, one matMul.
  const im2colConv = (h: TF.Tensor4D, filters: TF.Tensor): TF.Tensor4D => {
    const [b, height, width, c] = h.shape;
    const k = filters.shape[3]!;
    const oh = height - 2, ow = width - 2;
    const taps: TF.Tensor[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) taps.push(tf.slice(h, [0, i, j, 0], [b, oh, ow, c]));
    const cols = tf.reshape(tf.concat(taps, 3), [b * oh * ow, 9 * c]);
    return tf.reshape(tf.matMul(cols, tf.reshape(filters, [9 * c, k])), [b, oh, ow, k]);
  };
  // 2×2 average pooling, 'valid' (an odd last row and column dropped), as reshape + mean.
  const meanPool = (h: TF.Tensor4D): TF.Tensor4D => {
    const [b, height, width, c] = h.shape;
    const oh = Math.floor(height / 2), ow = Math.floor(width / 2);
    return tf.mean(tf.reshape(tf.slice(h, [0, 0, 0, 0], [b, 2 * oh, 2 * ow, c]), [b, oh, 2, ow, 2, c]), [2, 4]) as TF.Tensor4D;
  };
  type Ops = { conv: (h: TF.Tensor4D, f: TF.Tensor) => TF.Tensor4D; pool: (h: TF.Tensor4D) => TF.Tensor4D; tanh: (a: TF.Tensor) => TF.Tensor; logSoftmax: (z: TF.Tensor) => TF.Tensor };
  const builtin: Ops = {
    conv: (h, filters) => tf.conv2d(h, filters as TF.Tensor4D, 1, 'valid'),
    pool: (h) => tf.avgPool(h, 2, 2, 'valid'),
    tanh: (a) => tf.tanh(a),
    logSoftmax: (z) => tf.logSoftmax(z),
  };
  const nestable: Ops = {
    conv: im2colConv,
    pool: meanPool,
    tanh: (a) => customTanh(a),
    logSoftmax: (z) => tf.sub(z, tf.log(tf.sum(customExp(z), 1, true))),
  };
  const lossWith = (o: Ops) => (w1: TF.Tensor, b1: TF.Tensor, w2: TF.Tensor, b2: TF.Tensor, w3: TF.Tensor, b3: TF.Tensor): TF.Tensor => {
    const h1 = o.pool(o.tanh(tf.add(o.conv(X, w1), b1)) as TF.Tensor4D);
    const h2 = o.pool(o.tanh(tf.add(o.conv(h1, w2), b2)) as TF.Tensor4D);
    const z = tf.add(tf.matMul(tf.reshape(h2, [N, 400]), w3), b3);
    return tf.mul(tf.sum(tf.mul(o.logSoftmax(z), T)), -1 / N);
  };
  const hvpOf = (loss: (...args: TF.Tensor[]) => TF.Tensor) => {
    const g = tf.grads(loss);
    return tf.grads((...ws: TF.Tensor[]) => tf.addN(g(ws).map((gi, i) => tf.sum(tf.mul(gi, v[i])))));
  };
  // One call: H·v copied out of the backend, every intermediate freed by tidy.
  const call = (hv: (args: TF.Tensor[]) => TF.Tensor[]) => tf.tidy(() => hv(w).map((t) => t.dataSync() as Float32Array));
  const flat = (blocks: Float32Array[]) => {
    const out = new Float64Array(problem.W);
    let at = 0;
    for (const b of blocks) { out.set(b, at); at += b.length; }
    return out;
  };
  const methods = (['builtin', 'custom'] as const).map((variant) => {
    const hv = hvpOf(lossWith(variant === 'builtin' ? builtin : nestable) as (...args: TF.Tensor[]) => TF.Tensor);
    const before = tf.memory().numTensors;
    const row = evaluateCnn({
      id: ids[variant], label: labels[variant], precision: 'float32',
      check: hvpError(() => flat(call(hv)), ref.hvp), run: () => call(hv),
      ...(variant === 'custom' ? { note: 'returns H·v only (no f, ∇f)' } : {}),
    }, baseline);
    if (row.ms !== null) notes.push(`${labels[variant]}: ${tf.memory().numTensors - before} tfjs tensors more after timing than before (0: no leak)`);
    return row;
  });
  return { ...base, baselineTimings: baseline.timings, methods, notes };
}
