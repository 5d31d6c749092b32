/**
 * A/B timing of gradAndHvp on the two-layer network: two bundles of ./entry.ts, one frozen at the
 * commit compared against (dist/baseline.mjs) and one of the working tree (dist/live.mjs), interleaved
 * in one process so both see the same load (both bundled: tsx-compiled sources time differently).
 * Usage, from benchmarks/:
 *   npx esbuild src/speed/entry.ts --bundle --platform=node --format=esm --conditions=@dualtape/source --outfile=dist/baseline.mjs
 * once at the baseline commit; then, after each change, the same with --outfile=dist/live.mjs and
 *   node --conditions=@dualtape/source --import tsx src/speed/ab.ts [rounds] [size|all] [backend]
 * Each round times each build for AB_WINDOW_MS milliseconds of calls (default 150) and keeps its
 * fastest call; at 784-1024 (40 ms a call) 400–600 gives steadier medians. AB_METHOD=compiled times
 * a compiled program's gradAndHvp (compile(f, p) once per build) instead of the transform.
 */
import type * as entry from './entry.js';

type Build = typeof entry;
const load = async (name: string) => (await import(new URL(`../../dist/${name}.mjs`, import.meta.url).href)) as Build;
const baseline = await load('baseline'), live = await load('live');
const sizes: [number, number, number, number][] = [[10, 20, 5, 64], [100, 200, 10, 256], [784, 256, 10, 128], [784, 1024, 10, 256]];
const rounds = Number(process.argv[2] ?? 7);
// Milliseconds of calls per window (the fastest call of each window counts).
const MIN_MS = Number(process.env.AB_WINDOW_MS ?? 150);
const only = process.argv[3];
// A third argument picks one kernel backend for both builds ('wasm': one thread, less noise from a shared machine).
if (process.argv[4]) for (const b of [baseline, live]) b.setKernelBackend(process.argv[4] as 'wasm');

function timer(b: Build, size: [number, number, number, number]) {
  const pr = b.twoLayerProblem(size);
  const f = b.sseLoss(pr.net, pr.X, pr.T, pr.N);
  const ref = b.reference(pr);
  const program = process.env.AB_METHOD === 'compiled' ? b.compile(f, pr.p) : null;
  const call = program ? () => program.gradAndHvp(pr.p, pr.v) : () => b.gradAndHvp(f, pr.p, pr.v);
  const r = call();
  const hvp = b.flat(r.hvp as never);
  let err = 0, scale = 0;
  for (let k = 0; k < hvp.length; k++) { err = Math.max(err, Math.abs(hvp[k] - ref.hvp[k])); scale = Math.max(scale, Math.abs(ref.hvp[k])); }
  return {
    err: err / scale,
    /** Fastest of `reps` calls after they sum to at least `minMs`. */
    time(minMs: number): number {
      let best = Infinity, total = 0, n = 0;
      while (total < minMs || n < 3) {
        const t0 = performance.now();
        call();
        const dt = performance.now() - t0;
        best = Math.min(best, dt); total += dt; n++;
      }
      return best;
    },
  };
}

for (const size of sizes) {
  if (only && only !== 'all' && size.join('-') !== only) continue;
  const a = timer(baseline, size), b = timer(live, size);
  const ta: number[] = [], tb: number[] = [];
  // Alternate which goes first: the second of a pair runs on a warmer cache and a settled heap.
  for (let r = 0; r < rounds; r++) {
    if (r % 2) { tb.push(b.time(MIN_MS)); ta.push(a.time(MIN_MS)); } else { ta.push(a.time(MIN_MS)); tb.push(b.time(MIN_MS)); }
  }
  const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
  const [ma, mb] = [med(ta), med(tb)];
  console.log(`${size.join('-')}: baseline ${ma.toFixed(3)} ms, live ${mb.toFixed(3)} ms, live/baseline ${(mb / ma).toFixed(3)}; rel err baseline ${a.err.toExponential(1)} live ${b.err.toExponential(1)}`);
}
process.exit(0);
