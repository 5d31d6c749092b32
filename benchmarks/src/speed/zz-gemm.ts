import { gradAndHvp, sseLoss, twoLayerProblem } from './entry.js';
const size = (process.argv[2] ?? '100-200-10-256').split('-').map(Number) as [number, number, number, number];
const pr = twoLayerProblem(size);
const f = sseLoss(pr.net, pr.X, pr.T, pr.N);
for (let i = 0; i < 30; i++) gradAndHvp(f, pr.p, pr.v);
const T = (globalThis as any).__gemmTimes;
for (const k of Object.keys(T)) delete T[k];
const calls = Number(process.argv[3] ?? 50);
let total = 0;
for (let i = 0; i < calls; i++) { const t = performance.now(); gradAndHvp(f, pr.p, pr.v); total += performance.now() - t; }
let sum = 0;
for (const [k, [t, c]] of Object.entries(T) as any) { sum += t; console.log(k.padEnd(24), (t / calls).toFixed(3), 'ms/call', (c / calls).toFixed(1), 'calls'); }
console.log('products', (sum / calls).toFixed(3), 'of', (total / calls).toFixed(3), 'ms');
process.exit(0);
