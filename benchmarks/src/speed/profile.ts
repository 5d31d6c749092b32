/**
 * Runs gradAndHvp on one two-layer size for a few seconds (for node --cpu-prof). From benchmarks/:
 *   node --cpu-prof --conditions=@dualtape/source --import tsx src/speed/profile.ts 100-200-10-256 [seconds]
 */
import { gradAndHvp, sseLoss, twoLayerProblem } from './entry.js';

const size = (process.argv[2] ?? '100-200-10-256').split('-').map(Number) as [number, number, number, number];
const seconds = Number(process.argv[3] ?? 4);
const pr = twoLayerProblem(size);
const f = sseLoss(pr.net, pr.X, pr.T, pr.N);
for (let i = 0; i < 20; i++) gradAndHvp(f, pr.p, pr.v);
const end = performance.now() + seconds * 1e3;
let calls = 0, best = Infinity;
while (performance.now() < end) {
  const t = performance.now();
  gradAndHvp(f, pr.p, pr.v);
  best = Math.min(best, performance.now() - t);
  calls++;
}
console.log(`${size.join('-')}: ${calls} calls, fastest ${best.toFixed(3)} ms`);
process.exit(0);
