/** Minor page faults and time per gradAndHvp call (fresh pages of large arrays fault on first write). From benchmarks/. */
import { gradAndHvp, sseLoss, twoLayerProblem } from './entry.js';

for (const s of process.argv.slice(2)) {
  const size = s.split('-').map(Number) as [number, number, number, number];
  const pr = twoLayerProblem(size);
  const f = sseLoss(pr.net, pr.X, pr.T, pr.N);
  for (let i = 0; i < 20; i++) gradAndHvp(f, pr.p, pr.v);
  const calls = 30;
  const r0 = process.resourceUsage(), t0 = performance.now();
  for (let i = 0; i < calls; i++) gradAndHvp(f, pr.p, pr.v);
  const ms = (performance.now() - t0) / calls, r1 = process.resourceUsage();
  console.log(`${s}: ${ms.toFixed(2)} ms/call, ${((r1.minorPageFault - r0.minorPageFault) / calls).toFixed(0)} minor page faults/call (${((r1.minorPageFault - r0.minorPageFault) * 4 / 1024 / calls).toFixed(1)} MiB of fresh pages)`);
}
process.exit(0);
