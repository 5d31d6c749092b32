/** One thread against two at the two-layer products, interleaved (from benchmarks/). */
import { setKernelBackend } from '@dualtape/core';
import { gemm } from '../../../packages/core/src/kernels/backend.js';

const shapes: Array<[string, number, number, number, boolean, boolean]> = [
  ['100-200 fwd X·W1t NT', 256, 200, 100, false, false],
  ['100-200 W1 adj TT', 100, 200, 256, true, false],
  ['784-256 fwd NT', 128, 256, 784, false, false],
  ['784-256 W1 adj TT', 784, 256, 128, true, false],
  ['784-1024 fwd NT', 256, 1024, 784, false, false],
  ['784-1024 W1 adj TT', 784, 1024, 256, true, false],
];
const rnd = (n: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i));
for (const [name, m, n, k, ta, tb] of shapes) {
  const A = rnd(m * k), B = rnd(k * n), C = new Float64Array(m * n);
  const t = (b: 'wasm' | 'wasm-threads') => {
    setKernelBackend(b);
    let best = Infinity;
    for (let r = 0; r < 15; r++) { const t0 = performance.now(); gemm(A, ta, B, tb, C, m, n, k, false); best = Math.min(best, performance.now() - t0); }
    return best;
  };
  t('wasm'); t('wasm-threads');
  const one: number[] = [], two: number[] = [];
  for (let r = 0; r < 5; r++) { one.push(t('wasm')); two.push(t('wasm-threads')); }
  const med = (x: number[]) => x.sort((a, b) => a - b)[2];
  console.log(`${name} ${m}x${n}x${k}: 1 thread ${med(one).toFixed(3)} ms (${(2 * m * n * k / med(one) / 1e6).toFixed(1)} GF/s), 2 threads ${med(two).toFixed(3)} ms, x${(med(one) / med(two)).toFixed(2)}`);
}
process.exit(0);
