/** Rows of the CNN suite: each method's H·v checked against the reference, then timed beside the baseline. */
import { errorMessage, maxRelDiff } from '../lib/measure.js';
import { verdictOf, type MethodResult, type Precision, type Verdict } from '../lib/protocol.js';
import type { DualtapeBaseline } from './cnn-problem.js';

export interface CnnCandidate {
  readonly id: string;
  readonly label: string;
  readonly precision: Precision;
  /** Computes the method's result once and returns its relative error against the reference. */
  readonly check: () => number;
  readonly run: () => unknown;
  /** The verdict when it is not the error's against the precision's tolerance (the reference itself). */
  readonly verdict?: Verdict;
  readonly note?: string;
}

/** The relative error of an H·v (flatten order: w1, b1, w2, b2, w3, b3) against the reference's. */
export const hvpError = (hvp: () => ArrayLike<number>, ref: Float64Array) => () => maxRelDiff(hvp(), ref);

function row(c: Omit<CnnCandidate, 'check' | 'run'>, err: number | null, verdict: Verdict, t?: { ms: number; meanMs: number; samples: number; handMs: number }, note?: string): MethodResult {
  const n = note ?? c.note;
  return {
    id: c.id, label: c.label, precision: c.precision,
    ms: t?.ms ?? null, meanMs: t?.meanMs ?? null, samples: t?.samples ?? null, handMs: t?.handMs ?? null, xHand: t ? t.ms / t.handMs : null,
    err, verdict, ...(n ? { note: n } : {}),
  };
}

/** Checks the result (also the untimed warm-up: jit compiles here), then times; a wrong result is still timed. */
export function evaluateCnn(c: CnnCandidate, baseline: DualtapeBaseline): MethodResult {
  let err: number;
  let verdict: Verdict;
  let warmSeconds: number;
  try {
    const start = performance.now();
    err = c.check();
    verdict = c.verdict ?? verdictOf(err, c.precision);
    warmSeconds = (performance.now() - start) / 1e3;
  } catch (e) {
    return row(c, null, 'not run', undefined, `threw: ${errorMessage(e)}`);
  }
  try {
    return row(c, err, verdict, baseline.around(c.run, warmSeconds));
  } catch (e) {
    return row(c, err, verdict, undefined, `timing threw: ${errorMessage(e)}`);
  }
}

/** A row for a method that could not be set up or run. */
export function cnnNotRun(id: string, label: string, precision: Precision, why: string): MethodResult {
  return row({ id, label, precision }, null, 'not run', undefined, why);
}
