/**
 * Runs hessian on one case of ./hessian-entry.ts for a few seconds (for node --cpu-prof). From benchmarks/:
 *   node --cpu-prof --conditions=@dualtape/source --import tsx src/speed/hessian-profile.ts 'dense tanh W=300' [seconds] [lanes]
 */
import { hessian, hessianCases } from './hessian-entry.js';

const name = process.argv[2] ?? 'dense tanh W=300';
const seconds = Number(process.argv[3] ?? 4);
const options = process.argv[4] ? { lanes: Number(process.argv[4]) } : {};
const c = hessianCases().find((k) => k.name === name);
if (!c) throw new Error(`no case ${name}`);
for (let i = 0; i < 3; i++) hessian(c.f as never, c.x as never, options);
const end = performance.now() + seconds * 1e3;
let calls = 0, best = Infinity;
while (performance.now() < end) {
  const t = performance.now();
  hessian(c.f as never, c.x as never, options);
  best = Math.min(best, performance.now() - t);
  calls++;
}
console.log(`${name}: ${calls} calls, fastest ${best.toFixed(3)} ms`);
process.exit(0);
