/** The CNN in dualtape: gradAndHvp (the reference, checked against finite differences) and a plain gradient. */
import { gradAndHvp, valueAndGrad } from '@dualtape/core';
import { maxRelDiff } from '../lib/measure.js';
import type { CnnResult } from '../lib/cnn-protocol.js';
import type { MethodResult } from '../lib/protocol.js';
import { DualtapeBaseline, cnnProblem, cnnReference, dualtapeLoss, flatOf, N, type CnnParams } from './cnn-problem.js';
import { evaluateCnn } from './cnn-rows.js';

export function cnnDualtape(quick: boolean): CnnResult {
  const problem = cnnProblem();
  const ref = cnnReference(problem);
  if (!(ref.fdErr < 1e-6)) throw new Error(`CNN: dualtape's H·v differs from central differences of its gradient by ${ref.fdErr}`);
  const baseline = new DualtapeBaseline(problem, quick);
  baseline.measure();
  const f = dualtapeLoss(problem.X, problem.T);
  const vg = valueAndGrad(f as never);
  // gradAndHvp is the baseline itself: its row is the median of the baseline's timings, 1× by definition.
  const run = () => gradAndHvp(f as never, problem.p as never, problem.v as never);
  const gradient = evaluateCnn({
    id: 'dualtape.valueAndGrad', label: 'dualtape valueAndGrad (f, ∇f only)', precision: 'float64',
    check: () => maxRelDiff(flatOf((vg(problem.p as never) as unknown as { grad: CnnParams }).grad), ref.grad),
    run: () => vg(problem.p as never),
    note: 'no H·v: error of ∇f against gradAndHvp\'s',
  }, baseline);
  run();
  baseline.measure();
  const sorted = [...baseline.timings].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  const methods: MethodResult[] = [
    {
      id: 'dualtape.gradAndHvp', label: 'dualtape gradAndHvp (f, ∇f, H·v)', precision: 'float64',
      ms: median, meanMs: null, samples: baseline.timings.length, handMs: median, xHand: 1,
      err: ref.fdErr, verdict: 'reference', note: 'the reference (and the baseline: the median of its timings); rel. error against central differences of ∇f along v',
    },
    gradient,
  ];
  return { suite: 'cnn', group: 'dualtape', N, W: problem.W, baselineTimings: baseline.timings, referenceFdErr: ref.fdErr, methods, notes: [] };
}
