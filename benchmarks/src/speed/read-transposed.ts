/**
 * What reading W1 and W2 transposed in place would save: the two-layer loss as written (matmul of a
 * transpose node) against the same loss with the internal matmulOp(a, b, false, true), which reads b
 * transposed without a transpose node. Same products, same H·v (checked); interleaved, from benchmarks/:
 *   node --conditions=@dualtape/source --import tsx src/speed/read-transposed.ts [rounds]
 */
import { gradAndHvp, tensor, type Scalar } from '@dualtape/core';
import { matmulOp } from '../../../packages/core/src/ops/matmul.js';
import { reference, flat, twoLayerProblem } from '../lib/problem.js';
import { sseLoss, type ParamNodes } from '../two-layer.js';

const sizes: [number, number, number, number][] = [[10, 20, 5, 64], [100, 200, 10, 256], [784, 256, 10, 128], [784, 1024, 10, 256]];
const rounds = Number(process.argv[2] ?? 7);
for (const size of sizes) {
  const pr = twoLayerProblem(size);
  const { D, H, K } = pr.net, N = pr.N;
  const asWritten = sseLoss(pr.net, pr.X, pr.T, N);
  const inPlace = (p: ParamNodes): Scalar => {
    const a1 = matmulOp(tensor(pr.X, [N, D]), p.w1.reshape([H, D]), false, true, false).add(p.b1);
    const y = matmulOp(a1.tanh(), p.w2.reshape([K, H]), false, true, false).add(p.b2);
    return y.sub(tensor(pr.T, [N, K])).square().sum().mul(0.5);
  };
  const ref = reference(pr).hvp;
  const err = (f: typeof asWritten) => {
    const h = flat(gradAndHvp(f, pr.p, pr.v).hvp as never);
    let e = 0, s = 0;
    for (let k = 0; k < h.length; k++) { e = Math.max(e, Math.abs(h[k] - ref[k])); s = Math.max(s, Math.abs(ref[k])); }
    return e / s;
  };
  const time = (f: typeof asWritten) => {
    let best = Infinity, total = 0, n = 0;
    while (total < 150 || n < 3) { const t = performance.now(); gradAndHvp(f, pr.p, pr.v); const dt = performance.now() - t; best = Math.min(best, dt); total += dt; n++; }
    return best;
  };
  const ea = err(asWritten), eb = err(inPlace);
  const ta: number[] = [], tb: number[] = [];
  for (let r = 0; r < rounds; r++) if (r % 2) { tb.push(time(inPlace)); ta.push(time(asWritten)); } else { ta.push(time(asWritten)); tb.push(time(inPlace)); }
  const med = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1];
  console.log(`${size.join('-')}: transpose nodes ${med(ta).toFixed(3)} ms, read in place ${med(tb).toFixed(3)} ms (x${(med(tb) / med(ta)).toFixed(2)}); rel err ${ea.toExponential(1)} / ${eb.toExponential(1)}`);
}
process.exit(0);
