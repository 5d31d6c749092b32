/**
 * A/B timing of gradAndHvp with each build in a process of its own, the two alternating, so neither
 * runs second in a shared process (./ab.ts interleaves both in one and has a bias of up to 1.09×). The
 * same two bundles as ./ab.ts (dist/baseline.mjs, dist/live.mjs). Usage, from benchmarks/:
 *   node --import tsx src/speed/ab-apart.ts [size, e.g. 784-1024-10-256] [rounds] [seconds per process]
 * Each process warms up for a second, then times back-to-back calls in 50 ms batches for the given
 * seconds and reports its fastest batch's ms per call; the ratio is of the medians over rounds.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [size = '784-1024-10-256', roundsArg = '4', secondsArg = '3', child] = process.argv.slice(2);

if (child) {
  // The child: one bundle, one size; prints ms per call of its fastest 50 ms batch.
  const build = (await import(new URL(`../../dist/${child}.mjs`, import.meta.url).href)) as typeof import('./entry.js');
  const pr = build.twoLayerProblem(size.split('-').map(Number) as [number, number, number, number]);
  const f = build.sseLoss(pr.net, pr.X, pr.T, pr.N);
  for (const t0 = performance.now(); performance.now() - t0 < 1000;) build.gradAndHvp(f, pr.p, pr.v);
  let best = Infinity;
  for (const end = performance.now() + Number(secondsArg) * 1000; performance.now() < end;) {
    const t0 = performance.now();
    let calls = 0;
    while (performance.now() - t0 < 50) {
      build.gradAndHvp(f, pr.p, pr.v);
      calls++;
    }
    best = Math.min(best, (performance.now() - t0) / calls);
  }
  console.log(best);
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const times: Record<string, number[]> = { baseline: [], live: [] };
for (let r = 0; r < Number(roundsArg); r++) {
  for (const name of ['baseline', 'live']) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', self, size, roundsArg, secondsArg, name], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${name}: ${run.stderr}`);
    times[name].push(Number(run.stdout.trim()));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const [a, b] = [median(times.baseline), median(times.live)];
console.log(`${size}: baseline ${times.baseline.map((t) => t.toFixed(3)).join(' ')} ms; live ${times.live.map((t) => t.toFixed(3)).join(' ')} ms`);
console.log(`${size}: live/baseline ${(b / a).toFixed(3)} (medians ${a.toFixed(3)} and ${b.toFixed(3)} ms per call)`);
