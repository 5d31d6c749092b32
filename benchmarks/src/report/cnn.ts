/** The CNN section of the report: one table over the dualtape, TensorFlow.js and jax-js processes. */
import type { CnnResult } from '../lib/cnn-protocol.js';
import { TOLERANCE } from '../lib/protocol.js';
import { cell, ms, ratio, sci, verdictText } from './format.js';
import { failure, type Environment, type Outcome } from './outcome.js';
import { measuredBy, spliceSection } from './splice.js';

const HEADING = '## A small CNN: gradAndHvp against TensorFlow.js and jax-js';

export function cnnSection(env: Environment, outcomes: readonly Outcome[]): string[] {
  const results = outcomes.map((o) => o.result as CnnResult | undefined).filter((r): r is CnnResult => r?.suite === 'cnn');
  if (results.length === 0 && !outcomes.some((o) => o.task.suite === 'cnn')) return [];
  const out: string[] = [HEADING, ''];
  out.push(measuredBy(env));
  out.push('');
  const first = results[0];
  out.push(`28×28×1 images, N = ${first?.N ?? 64}: conv 3×3 1→8 + bias, tanh, average pool 2×2; conv 3×3 8→16 + bias, tanh, average pool 2×2; dense 400→10 + bias; ` +
    `mean softmax cross-entropy against one-hot labels (W = ${first ? first.W.toLocaleString('en-US') : '5,258'} parameters; benchmarks/src/suites/cnn-problem.ts). ` +
    'Every method computes H·v for the same data, point and direction in the same layout (NHWC, HWIO filters). tanh and average pooling keep the loss smooth, so a float32 peer cannot fall on the other side of a kink from the float64 reference. ' +
    'The reference is dualtape\'s own H·v, cross-checked against central differences of its gradient along v' +
    `${first ? ` (rel. error ${sci(first.referenceFdErr)})` : ''}. ` +
    `Each group runs in its own process; **× dualtape** divides a row's time by dualtape's gradAndHvp timed in the same process right before and right after it (the load of a shared machine moves; the ratio much less). ` +
    `Tolerances as above: ${TOLERANCE.float64.toExponential(0)} (float64), ${TOLERANCE.float32.toExponential(0)} (float32).${env.quick ? ' (--quick: fewer samples.)' : ''}`);
  out.push('');
  out.push('| method | precision | ms | × dualtape gradAndHvp | rel. error vs dualtape H·v | verdict | note |');
  out.push('|---|---|---:|---:|---:|---|---|');
  for (const r of results) {
    for (const m of r.methods) {
      out.push(`| ${cell(m.label)} | ${m.precision} | ${ms(m.ms)} | ${ratio(m.xHand)} | ${sci(m.err)} | ${verdictText(m)} | ${cell(m.note ?? '')} |`);
    }
  }
  out.push('');
  for (const r of results) {
    const t = r.baselineTimings;
    out.push(`- ${r.group} process: dualtape gradAndHvp timed ${t.length}× as the baseline, ${ms(Math.min(...t))}–${ms(Math.max(...t))} ms.`);
    for (const n of r.notes) out.push(`- ${n}`);
  }
  out.push('- TensorFlow.js: with its built-in ops nested `tf.grads` cannot run on the wasm backend (no Conv2DBackpropFilter kernel, so not even ∇f), and on any backend the filter gradient of `tf.conv2d` and the gradient of `tf.avgPool` have no gradients of their own, while `tf.tanh`, `tf.exp` and `tf.logSoftmax` differentiate their saved outputs as constants (tfjs#3252). ' +
    'The row that runs writes the same model with ops whose gradients nest: the convolution as im2col (a `tf.slice` per filter tap, `tf.concat`, `tf.matMul`), pooling as reshape + `tf.mean`, tanh and exp as `tf.customGrad` ops recomputed from the saved input, log-softmax as z − log Σ exp z.');
  out.push('- jax-js: `lax.convGeneralDilated` (NCHW data, OIHW filters: the HWIO filters are transposed inside the loss, the pooled activations back to NHWC before the dense layer), pooling as reshape + `np.mean`, `nn.logSoftmax`; its float64 `exp`/`tanh` on wasm are float32-accurate (see the two-layer notes), hence WRONG (inexact) at the float64 tolerance.');
  out.push('');
  out.push(...failure(outcomes, (t) => t.suite === 'cnn'));
  return out;
}

/** `doc` with its CNN section replaced by `lines` (or `lines` inserted before "## Reproduce"): for `--only=cnn`. */
export function spliceCnnSection(doc: string, lines: readonly string[]): string {
  return spliceSection(doc, (l) => l === HEADING, lines);
}
