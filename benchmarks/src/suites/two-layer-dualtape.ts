/**
 * The two-layer network with dualtape (valueAndGrad, gradAndHvp, a compiled program's gradAndHvp,
 * hvpOperator.apply, central finite
 * differences of two gradients), the @dualtape/nn reference R-propagation and the hand-written
 * register-blocked R-propagation, all in one process.
 */
import { compile, gradAndHvp, hvpOperator, setKernelBackend, valueAndGrad } from '@dualtape/core';
import { rPropagation } from '@dualtape/nn';
import { gradAndHvpByHand, type Params } from '../hand-written.js';
import { maxRelDiff } from '../lib/measure.js';
import { reference, twoLayerProblem } from '../lib/problem.js';
import { verdictOf, type MethodResult, type Size, type TwoLayerResult } from '../lib/protocol.js';
import { sseLoss } from '../two-layer.js';
import { evaluate, flat, HandBaseline, timedRow } from './two-layer-common.js';

function axpy(p: Params, v: Params, s: number): Params {
  const f = (a: Float64Array, b: Float64Array) => a.map((x, i) => x + s * b[i]);
  return { w1: f(p.w1, v.w1), b1: f(p.b1, v.b1), w2: f(p.w2, v.w2), b2: f(p.b2, v.b2) };
}

export function twoLayerDualtape(size: Size, quick: boolean): TwoLayerResult {
  const problem = twoLayerProblem(size);
  const { net, spec, p, v, X, T, N, W } = problem;
  const ref = reference(problem);
  const hand = new HandBaseline(problem, quick);
  const f = sseLoss(net, X, T, N);
  const vg = valueAndGrad(f);
  const op = hvpOperator(f, p);
  const program = compile(f, p);

  // Central differences of two gradients: H·v ≈ (∇f(w + εv) − ∇f(w − εv)) / 2ε, with ε balancing the
  // O(ε²) truncation error against the O(u/ε) rounding error (u = 2⁻⁵² ⇒ ε ≈ u^⅓ ≈ 6e-6, scaled).
  let pMax = 1;
  let vMax = 0;
  for (const a of Object.values(p) as Float64Array[]) for (const x of a) pMax = Math.max(pMax, Math.abs(x));
  for (const a of Object.values(v) as Float64Array[]) for (const x of a) vMax = Math.max(vMax, Math.abs(x));
  const eps = (Math.cbrt(2 ** -52) * pMax) / vMax;
  const finiteDifferences = () => {
    const gp = flat(vg(axpy(p, v, eps)).grad);
    const gm = flat(vg(axpy(p, v, -eps)).grad);
    for (let k = 0; k < gp.length; k++) gp[k] = (gp[k] - gm[k]) / (2 * eps);
    return gp;
  };

  const methods: MethodResult[] = [];
  // The reference itself: timed, error 0 by definition.
  methods.push(timedRow({ id: 'nn.rPropagation', label: 'rPropagation (@dualtape/nn, per-pattern loops)', precision: 'float64', run: () => rPropagation(spec, p, X, T, v) }, 0, 'reference', hand));
  methods.push(evaluate({
    id: 'hand', label: 'hand-written R-prop (Float64Array, register-blocked)', precision: 'float64',
    hvp: () => flat(gradAndHvpByHand(net, p, v, X, T, N).hvp), run: () => gradAndHvpByHand(net, p, v, X, T, N),
  }, ref.hvp, hand));

  // valueAndGrad has no H·v: its row checks the gradient instead.
  const gErr = maxRelDiff(flat(vg(p).grad), ref.grad);
  methods.push(timedRow({ id: 'dualtape.valueAndGrad', label: 'dualtape valueAndGrad (f, ∇f only)', precision: 'float64', run: () => vg(p), note: 'error column: ∇f against rPropagation' }, gErr, verdictOf(gErr, 'float64'), hand));

  methods.push(evaluate({
    id: 'dualtape.gradAndHvp', label: 'dualtape gradAndHvp (f, ∇f, H·v)', precision: 'float64',
    hvp: () => flat(gradAndHvp(f, p, v).hvp), run: () => gradAndHvp(f, p, v),
  }, ref.hvp, hand));
  methods.push(evaluate({
    id: 'dualtape.compiled', label: 'dualtape compile(f, w).gradAndHvp(w, v) (f, ∇f, H·v)', precision: 'float64',
    hvp: () => flat(program.gradAndHvp(p, v).hvp), run: () => program.gradAndHvp(p, v),
    note: 'recorded once, outside the timing (as jit compiles once); each call replays every op at w, v',
  }, ref.hvp, hand));
  methods.push(evaluate({
    id: 'dualtape.apply', label: 'dualtape hvpOperator(f, w).apply(v)', precision: 'float64',
    hvp: () => flat(op.apply(v)), run: () => op.apply(v),
    note: 'operator recorded once, outside the timing',
  }, ref.hvp, hand));
  methods.push(evaluate({
    id: 'fd.central', label: 'central differences of 2 dualtape gradients', precision: 'float64',
    hvp: finiteDifferences, run: finiteDifferences,
    note: `ε = ${eps.toExponential(1)}: an approximation by design`,
  }, ref.hvp, hand));
  // Last: the relaxed-SIMD fused multiply-add kernels, an explicit opt-in on Node 20 (it turns on a
  // process-wide V8 flag); each product rounds once per step, so H·v differs by round-off again.
  setKernelBackend('auto', { fma: true });
  methods.push(evaluate({
    id: 'dualtape.gradAndHvp.fma', label: "dualtape gradAndHvp, FMA kernels (setKernelBackend('auto', { fma: true }))", precision: 'float64',
    hvp: () => flat(gradAndHvp(f, p, v).hvp), run: () => gradAndHvp(f, p, v),
    note: 'opt-in on Node 20 (sets --experimental-wasm-relaxed-simd); the default on hosts that ship relaxed SIMD is the same setting',
  }, ref.hvp, hand));
  // The V8 flag stays on, so 'auto' would keep fusing: back to the plain kernels explicitly.
  setKernelBackend('auto', { fma: false });
  return { suite: 'two-layer', group: 'dualtape', size, W, handMs: hand.median(), handTimings: hand.timings, methods, notes: [] };
}
