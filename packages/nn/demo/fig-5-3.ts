/**
 * `pnpm demo`: PRML Figure 5.3 reproduced with exact Hessian-vector products.
 *
 * A 1-3-1 tanh network with linear outputs and sum-of-squares error is fitted by trust-region Newton-CG
 * (every CG step one H·v from the engine) to N = 50 points of x², sin(πx), |x| and the Heaviside step;
 * each fit is then continued briefly to say whether it ended at a minimum (fit-diagnosis.ts).
 * At the final weights the engine's H·v is checked against the hand-derived R-propagation (PRML
 * 5.98–5.111) and against central differences of gradients, and the two are timed. The same checks then
 * run on a 784-256-10 tanh/softmax network. Exits non-zero if any agreement check fails.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  figure53Data,
  figure53Svg,
  mulberry32,
  train,
  twoLayerNet,
  type CurveFit,
  type TrainProgress,
} from '../src/index.js';
import { compareAtPoint, randomDirection, type PointComparison } from './checks.js';
import { diagnoseFit, explainFit } from './fit-diagnosis.js';

const ENGINE_VS_REF_TOL = 1e-10;
const VS_FD_TOL = 1e-5;
const failures: string[] = [];

/**
 * Records every check that fails. The gradient is compared only away from a minimum: at trained weights
 * ∇E is a sum of O(1) per-pattern terms cancelling to ~1e-7, so its relative rounding error is ~1e-9 in
 * any correct implementation and says nothing about the engine.
 */
function checkAgreement(label: string, c: PointComparison, atMinimum: boolean): void {
  const checks: [string, number, number][] = [
    ['H·v engine vs R-propagation', c.engineVsRef, ENGINE_VS_REF_TOL],
    ['E engine vs reference', c.valueVsRef, ENGINE_VS_REF_TOL],
    ['H·v engine vs finite differences', c.engineVsFd, VS_FD_TOL],
    ['H·v R-propagation vs finite differences', c.refVsFd, VS_FD_TOL],
  ];
  if (!atMinimum) checks.push(['∇E engine vs backprop', c.gradVsRef, ENGINE_VS_REF_TOL]);
  for (const [what, value, tol] of checks) {
    if (!(value <= tol)) failures.push(`${label}: ${what} differs by ${value.toExponential(2)} > ${tol.toExponential(0)}`);
  }
}

/** Right-aligned columns under a header, each as wide as its widest cell. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const exp = (x: number) => x.toExponential(1);
const ms = (x: number) => (x < 10 ? x.toFixed(3) : x.toFixed(1));

/** One progress line per PROGRESS_EVERY iterations (a rewritten line when stdout is a terminal). */
const PROGRESS_EVERY = 100;
function progressPrinter(name: string): (p: TrainProgress) => void {
  return (p) => {
    const text = `  ${name.padEnd(8)} iteration ${String(p.iteration).padStart(4)}   E = ${p.loss.toExponential(3)}   ‖∇E‖ = ${p.gradNorm.toExponential(2)}   H·v so far ${p.hvpCount}`;
    if (process.stdout.isTTY) process.stdout.write(`\x1b[2K\r${text}`); // clear the line, then redraw it
    else if (p.iteration % PROGRESS_EVERY === 0) console.log(text);
  };
}

// ---- Figure 5.3 ---------------------------------------------------------------------------------------
const started = performance.now();
const net = twoLayerNet({ inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' });
const datasets = figure53Data(50, 2024);
console.log('PRML Figure 5.3: a 1-3-1 tanh network (linear output, E = ½Σ(y − t)²) fitted by trust-region Newton-CG');
console.log(`to N = 50 points sampled uniformly on [−1, 1]; W = ${net.paramCount} weights and biases.\n`);

const fits: CurveFit[] = [];
const rows: string[][] = [];
for (const [index, dataset] of datasets.entries()) {
  const result = train(net, net.init(index + 1), dataset.X, dataset.T, {
    method: 'newton-cg',
    maxIterations: 1000,
    gradTolerance: 1e-9,
    onIteration: progressPrinter(dataset.name),
  });
  if (process.stdout.isTTY) process.stdout.write('\x1b[2K\r');
  console.log(`  ${dataset.name.padEnd(8)} done: E = ${result.loss.toExponential(3)} after ${result.iterations} iterations (${result.reason})`);
  for (const line of explainFit(result, diagnoseFit(net, result, dataset.X, dataset.T))) console.log(`  ${' '.repeat(8)} ${line}`);
  fits.push({ dataset, params: result.params });
  const v = randomDirection(net.spec, 100 + index);
  const c = compareAtPoint(net, result.params, dataset.X, dataset.T, v, 9);
  checkAgreement(dataset.name, c, true);
  rows.push([
    dataset.name, String(net.paramCount), result.loss.toExponential(2), String(result.iterations), String(result.hvpCount),
    exp(c.engineVsRef), exp(c.engineVsFd), exp(c.refVsFd),
    ms(c.msGradAndHvp), ms(c.msRProp), (c.msGradAndHvp / c.msRProp).toFixed(1),
  ]);
}

const header = ['data', 'W', 'E final', 'iters', 'H·v', 'eng~Rprop', 'eng~FD', 'Rprop~FD', 'gradAndHvp ms', 'Rprop ms', 'ratio'];
console.log(`\n${table(header, rows)}`);
console.log(
  '\n  eng~Rprop etc.: max_i |a_i − b_i| / max(‖a‖∞, ‖b‖∞) over the W entries of H·v at the final weights, random v' +
    '\n  (biases included); FD = Richardson-extrapolated central differences of gradients. Times per call: median of 9 batches;' +
    '\n  ratio = gradAndHvp / R-propagation (the tape costs more than plain loops at W = 10).',
);

const outDir = new URL('../../../demo-output/', import.meta.url);
mkdirSync(outDir, { recursive: true });
const svgPath = new URL('fig-5-3.svg', outDir);
writeFileSync(svgPath, figure53Svg(net, fits, 'PRML Figure 5.3 — 1-3-1 tanh network, Newton-CG with exact H·v (dashed: hidden units)'));
console.log(`\nwrote ${fileURLToPath(svgPath)}`);

// ---- A larger network --------------------------------------------------------------------------------
const big = twoLayerNet({ inputs: 784, hidden: 256, outputs: 10, activation: 'tanh', output: 'softmax' });
const N = 128;
const rand = mulberry32(7);
const X = Float64Array.from({ length: N * 784 }, () => rand()); // pixel-like intensities in [0, 1)
const T = new Float64Array(N * 10);
for (let n = 0; n < N; n++) T[n * 10 + Math.floor(rand() * 10)] = 1;
const params = big.init(3);
const v = randomDirection(big.spec, 4);
console.log(`\n784-256-10 tanh/softmax network, cross-entropy, W = ${big.paramCount}, N = ${N} random patterns:`);
const c = compareAtPoint(big, params, X, T, v, 3);
checkAgreement('784-256-10', c, false);
console.log(
  table(
    ['W', 'eng~Rprop', '∇ eng~backprop', 'eng~FD', 'Rprop~FD', 'valueAndGrad ms', 'gradAndHvp ms', 'Rprop ms', 'gradAndHvp/Rprop', 'gradAndHvp/valueAndGrad'],
    [[
      String(big.paramCount), exp(c.engineVsRef), exp(c.gradVsRef), exp(c.engineVsFd), exp(c.refVsFd),
      ms(c.msValueAndGrad), ms(c.msGradAndHvp), ms(c.msRProp),
      (c.msGradAndHvp / c.msRProp).toFixed(2), (c.msGradAndHvp / c.msValueAndGrad).toFixed(2),
    ]],
  ),
);
console.log('  (times: median of 3 runs)');

console.log(`\ntolerances: engine vs R-propagation ≤ ${ENGINE_VS_REF_TOL.toExponential(0)} relative, either vs finite differences ≤ ${VS_FD_TOL.toExponential(0)}`);
console.log(`total time ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (failures.length > 0) {
  console.error(`\n${failures.length} check(s) FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('\nall checks passed');
