/**
 * In-process A/B of a change behind a global flag: patch the source under test to read
 * `(globalThis as { __name?: boolean }).__name` (the change when true), bundle this file, restore the
 * source, and run the bundle; blocks of 250 ms of gradAndHvp calls alternate with the flag on and off
 * (which goes first alternates too), and it prints the median over block pairs of on/off for the
 * fastest call and for the mean call. For policies that keep state across calls (a back-off) the
 * blocks see each other's state: compare separate runs instead. From benchmarks/:
 *   npx esbuild src/speed/ab-flag.ts --bundle --platform=node --format=esm --target=node20 \
 *     --conditions=@dualtape/source --outfile=dist/ab-flag.mjs
 *   node dist/ab-flag.mjs 100-200-10-256 seconds flag
 */
import { gradAndHvp, sseLoss, twoLayerProblem } from './entry.js';
const size = (process.argv[2] ?? '100-200-10-256').split('-').map(Number) as [number, number, number, number];
const seconds = Number(process.argv[3] ?? 20);
const flag = process.argv[4];
if (!flag) throw new Error('ab-flag: name the global flag the patched source reads, e.g. __spin');
const pr = twoLayerProblem(size);
const f = sseLoss(pr.net, pr.X, pr.T, pr.N);
for (let i = 0; i < 20; i++) gradAndHvp(f, pr.p, pr.v);
const g = globalThis as Record<string, unknown>;
const minR: number[] = [], meanR: number[] = [];
const end = performance.now() + seconds * 1e3;
let r = 0;
const block = (on: boolean) => { g[flag] = on; const t1 = performance.now() + 250; let best = Infinity, sum = 0, n = 0; while (performance.now() < t1) { const t = performance.now(); gradAndHvp(f, pr.p, pr.v); const dt = performance.now() - t; best = Math.min(best, dt); sum += dt; n++; } return [best, sum / n]; };
while (performance.now() < end) {
  let a, b;
  if (r++ % 2) { b = block(true); a = block(false); } else { a = block(false); b = block(true); }
  minR.push(b[0] / a[0]); meanR.push(b[1] / a[1]);
}
const med = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1];
console.log(`${size.join('-')} ${flag}: on/off fastest ${med(minR).toFixed(3)}, mean ${med(meanR).toFixed(3)} (${minR.length} pairs)`);
process.exit(0);
