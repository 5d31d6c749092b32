/**
 * hessian's time against its lane width on the cases of ./hessian-entry.ts, one build
 * (dist/hessian-live.mjs), widths interleaved round by round. From benchmarks/:
 *   node --import tsx src/speed/hessian-lanes.ts [rounds] [case filter] [widths, comma-separated]
 */
import type * as entry from './hessian-entry.js';

const live = (await import(new URL('../../dist/hessian-live.mjs', import.meta.url).href)) as typeof entry;
const rounds = Number(process.argv[2] ?? 3);
const filter = process.argv[3] ?? '';
const widths = (process.argv[4] ?? '8,16,32,64,128,256,0').split(',').map(Number);
const MIN_MS = Number(process.env.AB_WINDOW_MS ?? 200);
if (process.env.AB_BACKEND) live.setKernelBackend(process.env.AB_BACKEND as 'wasm');
const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
function best(call: () => unknown): number {
  let b = Infinity, total = 0, n = 0;
  while (total < MIN_MS || n < 3) {
    const t0 = performance.now();
    call();
    const dt = performance.now() - t0;
    b = Math.min(b, dt); total += dt; n++;
  }
  return b;
}
for (const c of live.hessianCases()) {
  if (!c.name.includes(filter)) continue;
  const ws = widths.map((w) => (w === 0 ? c.n : w)).filter((w, i, a) => w <= c.n && a.indexOf(w) === i);
  const times = ws.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) ws.forEach((w, q) => times[q].push(best(() => live.hessian(c.f as never, c.x as never, { lanes: w }))));
  const auto = med(Array.from({ length: rounds }, () => best(() => live.hessian(c.f as never, c.x as never))));
  console.log(`${c.name.padEnd(26)} ` + ws.map((w, q) => `${w}: ${med(times[q]).toFixed(2)} (${Math.min(...times[q]).toFixed(2)})`).join('  ') + `  default: ${auto.toFixed(2)}`);
}
process.exit(0);
