/**
 * The two-layer network in TensorFlow.js (@tensorflow/tfjs, float32 only), cpu or wasm backend.
 * H·v by reverse-over-reverse: H·v = ∇(∇f·v) with nested `tf.grads`.
 *
 * Quirks handled here (measured on these machines):
 * - the full `@tensorflow/tfjs` package is needed in Node: `@tensorflow/tfjs-core` alone registers no
 *   gradients;
 * - the built-in gradient of `tf.tanh` (like `tf.exp`, `tf.sigmoid`) is written with the saved output
 *   y = tanh(x) as a constant, so its second derivative comes out wrong: the h''(a) term of R{δ} is
 *   lost (tensorflow/tfjs#3252). That row is kept and marked WRONG; the fair row uses a
 *   `tf.customGrad` tanh whose gradient is recomputed from the saved input.
 */
import type * as TF from '@tensorflow/tfjs';
import { errorMessage } from '../lib/measure.js';
import { reference, twoLayerProblem } from '../lib/problem.js';
import type { Size, TfjsVariant, TwoLayerResult } from '../lib/protocol.js';
import { evaluate, HandBaseline, notRun } from './two-layer-common.js';

const LABEL: Record<TfjsVariant, string> = {
  builtin: 'nested tf.grads, built-in tf.tanh',
  custom: 'nested tf.grads, tf.customGrad tanh',
};
const NOTE: Record<TfjsVariant, string> = {
  builtin: 'tf.tanh\'s gradient uses its output as a constant: h\'\' term lost (tfjs#3252)',
  custom: 'returns H·v only (no f, ∇f)',
};

/** Variants of one backend: `pnpm bench` runs each in its own process, `--quick` all in one. */
export async function twoLayerTfjs(size: Size, backend: 'cpu' | 'wasm', variants: readonly TfjsVariant[], quick: boolean): Promise<TwoLayerResult> {
  const problem = twoLayerProblem(size);
  const [D, H, K, N] = size;
  const ref = reference(problem);
  const hand = new HandBaseline(problem, quick);
  // The first baseline timing is taken before the peer is loaded.
  hand.measure();
  const group = `tfjs-${backend}`;
  const id = (variant: TfjsVariant) => `${group}.${variant}`;
  const label = (variant: TfjsVariant) => `tfjs ${backend}: ${LABEL[variant]}`;
  const base = { suite: 'two-layer', group, size, W: problem.W } as const;

  let tf: typeof TF;
  const notes: string[] = [];
  try {
    tf = await import('@tensorflow/tfjs');
    if (backend === 'wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      void wasm;
    }
    if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') returned false`);
    await tf.ready();
    notes.push(`@tensorflow/tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`);
    if (backend === 'wasm') {
      const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
      notes.push(`tfjs wasm threads: ${getThreadsCount()}`);
    }
  } catch (e) {
    const why = `failed to load: ${errorMessage(e)}`;
    return { ...base, handMs: hand.median(), handTimings: hand.timings, methods: variants.map((x) => notRun(id(x), label(x), 'float32', why)), notes: [] };
  }

  const f32 = (a: Float64Array, shape: number[]) => tf.tensor(Float32Array.from(a), shape);
  const X = f32(problem.X, [N, D]);
  const T = f32(problem.T, [N, K]);
  const shapes = [[H, D], [H], [K, H], [K]];
  const keys = ['w1', 'b1', 'w2', 'b2'] as const;
  const w = keys.map((k, i) => f32(problem.p[k], shapes[i]));
  const v = keys.map((k, i) => f32(problem.v[k], shapes[i]));

  // tanh whose gradient is a differentiable function of the input, so nested grads see h''.
  const customTanh = tf.customGrad((...inputs: Array<TF.Tensor | TF.GradSaveFunc>) => {
    const a = inputs[0] as TF.Tensor;
    const save = inputs[1] as TF.GradSaveFunc;
    save([a]);
    return { value: tf.tanh(a), gradFunc: (dy: TF.Tensor, saved: TF.Tensor[]) => tf.mul(dy, tf.sub(1, tf.square(tf.tanh(saved[0])))) };
  });
  const lossWith = (tanh: (a: TF.Tensor) => TF.Tensor) => (w1: TF.Tensor, b1: TF.Tensor, w2: TF.Tensor, b2: TF.Tensor): TF.Tensor => {
    const z = tanh(tf.add(tf.matMul(X, w1, false, true), b1));
    const r = tf.sub(tf.add(tf.matMul(z, w2, false, true), b2), T);
    return tf.mul(tf.sum(tf.square(r)), 0.5);
  };
  const hvpOf = (loss: (...args: TF.Tensor[]) => TF.Tensor) => {
    const g = tf.grads(loss);
    return tf.grads((...ws: TF.Tensor[]) => tf.addN(g(ws).map((gi, i) => tf.sum(tf.mul(gi, v[i])))));
  };
  // One call: H·v copied out of the backend (dataSync), every intermediate freed by tidy.
  const call = (hv: (args: TF.Tensor[]) => TF.Tensor[]) => tf.tidy(() => hv(w).map((t) => t.dataSync() as Float32Array));
  const flatOf = (blocks: Float32Array[]) => {
    const out = new Float64Array(problem.W);
    let at = 0;
    for (const b of blocks) { out.set(b, at); at += b.length; }
    return out;
  };

  const methods = variants.map((variant) => {
    const hvp = hvpOf(lossWith(variant === 'builtin' ? (a) => tf.tanh(a) : (a) => customTanh(a)) as (...args: TF.Tensor[]) => TF.Tensor);
    return evaluate({ id: id(variant), label: label(variant), precision: 'float32', hvp: () => flatOf(call(hvp)), run: () => call(hvp), note: NOTE[variant] }, ref.hvp, hand);
  });
  const alive = tf.memory().numTensors;
  notes.push(`tfjs tensors alive after timing: ${alive}${alive === 10 ? ' (the 10 inputs: no leak)' : ' (expected the 10 inputs: a leak?)'}`);
  return { ...base, handMs: hand.median(), handTimings: hand.timings, methods, notes };
}
