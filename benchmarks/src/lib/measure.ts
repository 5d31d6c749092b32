/** Timing (benchmark.js) and accuracy helpers shared by the suites. */
import Benchmark from 'benchmark';

export interface Timing {
  /**
   * Milliseconds per call of the fastest benchmark.js sample (each sample is the mean over one
   * cycle of calls). On a shared machine other processes only ever add time, so the fastest sample
   * is the least disturbed estimate; the mean is kept for reference.
   */
  readonly ms: number;
  /** Mean over all samples, in milliseconds per call. */
  readonly meanMs: number;
  /** benchmark.js samples taken. */
  readonly samples: number;
}

/**
 * Mean time per call of `fn` by benchmark.js. One untimed call first (JIT warm-up, jax-js
 * compilation, tfjs kernel set-up) also sizes the run: slow functions get fewer samples so a suite
 * of multi-second peers still finishes, fast ones get at least five samples. A caller that has
 * just made that call (the accuracy check) passes its duration as `warmSeconds` instead.
 */
export function time(fn: () => unknown, quick: boolean, warmSeconds?: number): Timing {
  let first = warmSeconds ?? 0;
  if (warmSeconds === undefined) {
    const start = performance.now();
    fn();
    first = (performance.now() - start) / 1e3;
  }
  const minSamples = first > 1 ? 2 : first > 0.2 || quick ? 3 : 5;
  const maxTime = quick ? 0.1 : first > 1 ? 0.5 : 1.5;
  const bench = new Benchmark('call', fn, { maxTime, minSamples, initCount: 1 });
  bench.run();
  const error = (bench as unknown as { error?: unknown }).error;
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const sample = bench.stats.sample as number[];
  return { ms: Math.min(...sample) * 1e3, meanMs: bench.stats.mean * 1e3, samples: sample.length };
}

/** max |a − b| / max(|a|, |b|) over all entries: the relative error the tables report. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs(a[k] - b[k]);
    if (Number.isNaN(d)) return NaN;
    diff = Math.max(diff, d);
    scale = Math.max(scale, Math.abs(a[k]), Math.abs(b[k]));
  }
  return diff / Math.max(scale, 1e-300);
}

/** Concatenates blocks into one Float64Array (flatten order). */
export function concat(blocks: ReadonlyArray<ArrayLike<number>>): Float64Array {
  let n = 0;
  for (const b of blocks) n += b.length;
  const out = new Float64Array(n);
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Least-squares slope of log(y) against log(x). */
/** The median (the mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

export function logLogSlope(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const n = lx.length;
  const mx = lx.reduce((s, v) => s + v, 0) / n;
  const my = ly.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
  }
  return sxy / sxx;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`.split('\n')[0];
  return String(e);
}
