/** Pieces every two-layer group shares: the in-process hand-written baseline and row assembly. */
import { gradAndHvpByHand } from '../hand-written.js';
import { errorMessage, maxRelDiff, time } from '../lib/measure.js';
import { flat, type TwoLayerProblem } from '../lib/problem.js';
import { verdictOf, type MethodResult, type Precision, type Verdict } from '../lib/protocol.js';

/**
 * The hand-written R-propagation as a timing baseline in this process. Every method is timed
 * between two timings of it, and its ratio divides by their geometric mean: on a shared machine the
 * load changes from one minute to the next, and the baseline next to a method has seen the same load.
 */
export class HandBaseline {
  readonly timings: number[] = [];
  constructor(private readonly problem: TwoLayerProblem, private readonly quick: boolean) {}

  measure(): number {
    const { net, p, v, X, T, N } = this.problem;
    // After the first timing the code is warm: skip time()'s warm-up call, sized by the last timing.
    const last = this.timings[this.timings.length - 1];
    const ms = time(() => gradAndHvpByHand(net, p, v, X, T, N), this.quick, last === undefined ? undefined : last / 1e3).ms;
    this.timings.push(ms);
    return ms;
  }

  /**
   * Times `run` between two baseline timings. The timing after one method doubles as the timing
   * before the next, so each method costs one extra baseline timing.
   */
  around(run: () => unknown, warmSeconds?: number): { ms: number; meanMs: number; samples: number; handMs: number } {
    const before = this.timings.length ? this.timings[this.timings.length - 1] : this.measure();
    const t = time(run, this.quick, warmSeconds);
    const after = this.measure();
    return { ...t, handMs: Math.sqrt(before * after) };
  }

  /** The median of every baseline timing in this process. */
  median(): number {
    const s = [...this.timings].sort((a, b) => a - b);
    return s.length ? s[s.length >> 1] : NaN;
  }
}

export interface Candidate {
  readonly id: string;
  readonly label: string;
  readonly precision: Precision;
  /** Computes H·v once (flatten order) for the accuracy check. */
  readonly hvp: () => ArrayLike<number>;
  /** The timed call. */
  readonly run: () => unknown;
  readonly note?: string;
}

function row(c: Omit<Candidate, 'hvp' | 'run'>, err: number | null, verdict: Verdict, t?: { ms: number; meanMs: number; samples: number; handMs: number }, note?: string): MethodResult {
  const n = note ?? c.note;
  return {
    id: c.id, label: c.label, precision: c.precision,
    ms: t?.ms ?? null, meanMs: t?.meanMs ?? null, samples: t?.samples ?? null, handMs: t?.handMs ?? null, xHand: t ? t.ms / t.handMs : null,
    err, verdict, ...(n ? { note: n } : {}),
  };
}

/**
 * Checks a method's H·v against the reference, then times it. A wrong H·v is still timed and
 * reported (marked WRONG); a method that throws is reported as not run, with the error.
 */
export function evaluate(c: Candidate, ref: Float64Array, hand: HandBaseline): MethodResult {
  let err: number;
  let warmSeconds: number;
  try {
    // The check is also the untimed warm-up call (jit compilation happens here).
    const start = performance.now();
    const hv = c.hvp();
    warmSeconds = (performance.now() - start) / 1e3;
    err = maxRelDiff(hv, ref);
  } catch (e) {
    return row(c, null, 'not run', undefined, `threw: ${errorMessage(e)}`);
  }
  const verdict = verdictOf(err, c.precision);
  try {
    return row(c, err, verdict, hand.around(c.run, warmSeconds));
  } catch (e) {
    return row(c, err, verdict, undefined, `timing threw: ${errorMessage(e)}`);
  }
}

/** A timed row whose accuracy was established by the caller. */
export function timedRow(c: Omit<Candidate, 'hvp'>, err: number | null, verdict: Verdict, hand: HandBaseline): MethodResult {
  return row(c, err, verdict, hand.around(c.run));
}

/** A row for a method that could not even be set up (a peer that failed to load). */
export function notRun(id: string, label: string, precision: Precision, why: string): MethodResult {
  return row({ id, label, precision }, null, 'not run', undefined, why);
}

export { flat };
