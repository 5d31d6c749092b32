/**
 * A/B timing of hessian (and, with AB_MANY=1, hvpMany): two bundles of ./hessian-entry.ts, one of
 * the commit compared against (dist/hessian-baseline.mjs, bundled in a worktree of that commit) and
 * one of the working tree (dist/hessian-live.mjs), interleaved in one process so both see the same
 * load. From benchmarks/:
 *   git worktree add --detach ../../wt-base <commit>   (then pnpm install --offline, pnpm run build:wasm there,
 *     and copy this folder's hessian-entry.ts into its benchmarks/src/speed)
 *   (in wt-base/benchmarks) npx esbuild src/speed/hessian-entry.ts --bundle --platform=node --format=esm --conditions=@dualtape/source --outfile=<here>/dist/hessian-baseline.mjs
 *   npx esbuild src/speed/hessian-entry.ts --bundle --platform=node --format=esm --conditions=@dualtape/source --outfile=dist/hessian-live.mjs
 *   node --import tsx src/speed/hessian-ab.ts [rounds] [case filter]
 * Each round times each build for AB_WINDOW_MS ms of calls (default 300) and keeps its fastest call;
 * the medians and the fastest of the rounds' fastest calls are printed, with the largest difference
 * between the two Hessians and between the live one and one hvpOperator apply per direction.
 * LIVE_LANES=w gives the live build { lanes: w }; AB_BACKEND=wasm one kernel thread in both.
 */
import type * as entry from './hessian-entry.js';

type Build = typeof entry;
const load = async (name: string) => (await import(new URL(`../../dist/${name}.mjs`, import.meta.url).href)) as Build;
const baseline = await load('hessian-baseline'), live = await load('hessian-live');
const rounds = Number(process.argv[2] ?? 7);
const filter = process.argv[3] ?? '';
const MIN_MS = Number(process.env.AB_WINDOW_MS ?? 300);
// AB_BACKEND=wasm: one kernel thread in both builds (less noise from a shared machine).
if (process.env.AB_BACKEND) for (const b of [baseline, live]) b.setKernelBackend(process.env.AB_BACKEND as 'wasm');
const liveOptions = process.env.LIVE_LANES ? { lanes: Number(process.env.LIVE_LANES) } : {};

// AB_CPU=1: each call's CPU time (user + system, all threads of the process) instead of its wall
// time: with one kernel thread (AB_BACKEND=wasm) the work itself, without the waits for a core.
const cpu = process.env.AB_CPU === '1';
const clock = cpu ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; } : () => performance.now();

function best(call: () => unknown, minMs: number): number {
  let b = Infinity, total = 0, n = 0;
  while (total < minMs || n < 3) {
    const t0 = clock();
    call();
    const dt = clock() - t0;
    b = Math.min(b, dt); total += Math.max(dt, 0.01); n++;
  }
  return b;
}

const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const casesA = baseline.hessianCases(), casesB = live.hessianCases();
for (let c = 0; c < casesA.length; c++) {
  const a = casesA[c], b = casesB[c];
  if (!a.name.includes(filter)) continue;
  const callA = () => baseline.hessian(a.f as never, a.x as never) as unknown as Float64Array;
  const callB = () => live.hessian(b.f as never, b.x as never, liveOptions) as unknown as Float64Array;
  const HA = callA(), HB = callB(), ref = live.oneByOne(b);
  let diff = 0, refDiff = 0, scale = 0;
  for (let k = 0; k < HA.length; k++) {
    diff = Math.max(diff, Math.abs(HA[k] - HB[k]));
    refDiff = Math.max(refDiff, Math.abs(HB[k] - ref[k]));
    scale = Math.max(scale, Math.abs(ref[k]));
  }
  const ta: number[] = [], tb: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2) { tb.push(best(callB, MIN_MS)); ta.push(best(callA, MIN_MS)); } else { ta.push(best(callA, MIN_MS)); tb.push(best(callB, MIN_MS)); }
  }
  const mA = med(ta), mB = med(tb);
  const minA = Math.min(...ta), minB = Math.min(...tb);
  console.log(`${a.name.padEnd(26)} n=${String(a.n).padStart(5)}  before ${mA.toFixed(3).padStart(8)} ms  after ${mB.toFixed(3).padStart(8)} ms  ${(mA / mB).toFixed(2)}× (fastest ${minA.toFixed(3)} / ${minB.toFixed(3)})  |Δ old|/max ${(diff / scale).toExponential(1)}  |Δ 1-by-1|/max ${(refDiff / scale).toExponential(1)}`);
}
// AB_MANY=1: hvpMany on the k-lanes rows' problems too.
if (process.env.AB_MANY === '1') {
  const manyA = baseline.manyCases(), manyB = live.manyCases();
  for (let c = 0; c < manyA.length; c++) {
    const a = manyA[c], b = manyB[c];
    if (!a.name.includes(filter)) continue;
    const callA = () => baseline.hvpMany(a.f as never, a.x as never, a.V) as unknown as Float64Array;
    const callB = () => live.hvpMany(b.f as never, b.x as never, b.V) as unknown as Float64Array;
    const HA = callA(), HB = callB();
    let diff = 0, scale = 0;
    for (let q = 0; q < HA.length; q++) { diff = Math.max(diff, Math.abs(HA[q] - HB[q])); scale = Math.max(scale, Math.abs(HA[q])); }
    const ta: number[] = [], tb: number[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2) { tb.push(best(callB, MIN_MS)); ta.push(best(callA, MIN_MS)); } else { ta.push(best(callA, MIN_MS)); tb.push(best(callB, MIN_MS)); }
    }
    const mA = med(ta), mB = med(tb);
    console.log(`${a.name.padEnd(34)} before ${mA.toFixed(3).padStart(8)} ms  after ${mB.toFixed(3).padStart(8)} ms  ${(mA / mB).toFixed(2)}× (fastest ${Math.min(...ta).toFixed(3)} / ${Math.min(...tb).toFixed(3)})  |Δ old|/max ${(diff / scale).toExponential(1)}`);
  }
}
process.exit(0);
