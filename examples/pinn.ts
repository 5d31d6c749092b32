/**
 * A physics-informed neural network (PINN) trained to float64 accuracy, its loss holding second
 * derivatives of the network taken by nested transforms (issue 16).
 *
 * Problem: u″(x) = −π² sin(πx) on [0, 1], u(0) = u(1) = 0; the exact solution is u = sin πx.
 *
 * Model: u(x; θ) a tanh network, 1-16-1 (49 weights) and 1-20-20-1 (481 weights), Glorot-uniform
 * start. u takes all M = 64 collocation points at once (x_j = j/63) and returns the 64 values.
 *
 * Loss (the one of benchmarks/jax/pinn.py, the JAX + scipy anchor):
 *
 *     L(θ) = (1/M) Σⱼ (u_xx(xⱼ; θ) + π² sin πxⱼ)²  +  ½ (u(0; θ)² + u(1; θ)²)
 *
 * u_xx comes from two nested `grad`s with respect to the *input*, inside the loss: since u at xⱼ
 * depends on xⱼ alone, u_x = ∇ₓ Σⱼ u(xⱼ) gives all 64 first derivatives in one reverse sweep, and
 * u_xx = ∇ₓ Σⱼ u_x(xⱼ) all second ones — no loop over the points. Each inner sweep is recorded on
 * the tape of the transform that differentiates L in θ, so ∇L is a third derivative of the network
 * and H·v (for Newton–CG) a fourth, both exact.
 *
 * Schedule (Rathore et al., ICML 2024; settings of pinn.py): Adam, 5000 steps at 1e-3; then L-BFGS
 * (memory 50, no gradient tolerance, at most 20 000 iterations: its line search tolerates the rounding
 * noise of L, so here it uses them all); then trust-region Newton–CG with exact H·v of L (at most 1000
 * iterations, ‖∇L‖ ≤ 1e-12).
 *
 * What it reached (2-core machine shared with other jobs; the run inside the full `pnpm bench` at
 * 4c08f65, against pinn.py's run of 2026-12-02; the rows are in docs/benchmarks.md, section PINN):
 *   rel. L2 error ≤ 1e-8 first after  1-16-1: 10.2 s wall, 12.1 s CPU    (JAX + scipy 15.3 s, 16.6 s CPU)
 *                                      1-20-20-1: 15.0 s wall, 17.3 s CPU (JAX + scipy 19.9 s, 29.9 s CPU)
 *   errors: after L-BFGS 9.7e-9 and 2.2e-9; after Newton–CG 4.9e-9 and 4.7e-10 (JAX + scipy 2.1e-9 and
 *   6.9e-10). Newton–CG halves the loss where L-BFGS left it (to 1.2e-11 and 4.1e-13; scipy's ends at
 *   2.5e-12 and 1.3e-12); u(0) and u(1) stay near 2e-11 on 1-16-1, so the line through them is none of
 *   the error.
 *   One gradAndHvp of L costs 0.54 ms (1-16-1) and 1.3 ms (1-20-20-1) of CPU, 4–5× the data-fit loss's
 *   and 7–15× JAX's compiled jvp(grad(L)) (37 µs and 188 µs): the tape pays 9–15 µs per node and call
 *   whatever the array sizes (59 and 87 nodes), where XLA runs one compiled program. The
 *   schedule keeps up with JAX + scipy anyway because most of scipy's time is its own L-BFGS-B loop.
 *
 * Also printed: u_xx from the nested transforms against a hand-derived second-order propagation
 * through the layers, and H·v of the loss against central differences of its gradient. The plot of
 * both solutions and their errors goes to demo-output/pinn.svg.
 *
 * Run: pnpm example pinn              (both networks, the full schedule: a few minutes)
 *      pnpm example pinn --quick      (short stages: checks the wiring in seconds, no error target)
 *      pnpm example pinn --svg=PATH   (where the plot goes)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, checkAtMost, finish } from './lib/check.js';
import { hvpAgainstCentralDifferences, nestedSecondDerivative } from './lib/pinn-checks.js';
import {
  COLLOCATION_POINTS, EVAL_POINTS, NETWORKS, evaluate, initialParams, linspace, parameterCount, secondDerivativeByHand, type PinnParams,
} from './lib/pinn-problem.js';
import { PINN_SCHEDULE, trainPinn, type ScheduleOutcome, type ScheduleSettings } from './lib/pinn-schedule.js';
import { linePlotSvg, type Series } from './lib/svg-plot.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const svgPath = resolve(args.find((a) => a.startsWith('--svg='))?.slice('--svg='.length)
  ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'demo-output', 'pinn.svg'));
const settings: ScheduleSettings = quick
  ? { ...PINN_SCHEDULE, adamSteps: 200, lbfgsMaxIterations: 50, newtonMaxIterations: 3 }
  : PINN_SCHEDULE;

/** The relative L2 error of u − (u(0)(1 − x) + u(1)x) against sin πx: the error left once the boundary values are exact. */
function errorWithoutBoundaryLine(sizes: readonly number[], params: PinnParams): number {
  const x = linspace(EVAL_POINTS);
  const u = evaluate(sizes, params, x);
  const [u0, u1] = evaluate(sizes, params, Float64Array.of(0, 1));
  let diff = 0, norm = 0;
  for (let j = 0; j < x.length; j++) {
    const exact = Math.sin(Math.PI * x[j]);
    diff += (u[j] - u0 * (1 - x[j]) - u1 * x[j] - exact) ** 2;
    norm += exact ** 2;
  }
  return Math.sqrt(diff / norm);
}

console.log(`PINN for u″ = −π² sin(πx) on [0, 1], u(0) = u(1) = 0 (exact: sin πx), ${COLLOCATION_POINTS} collocation points, float64.`);
console.log(`Schedule: Adam ${settings.adamSteps} steps (lr ${settings.adamLearningRate}) → L-BFGS (memory ${settings.lbfgsMemory}, ≤ ${settings.lbfgsMaxIterations} iterations) ` +
  `→ trust-region Newton-CG with exact H·v (≤ ${settings.newtonMaxIterations} iterations)${quick ? ' [--quick: short stages, no error target]' : ''}.`);

const results: { sizes: readonly number[]; outcome: ScheduleOutcome }[] = [];
for (const sizes of NETWORKS) {
  const name = sizes.join('-');
  const params0 = initialParams(sizes);
  console.log(`\n${name} tanh network (W = ${parameterCount(sizes)})`);
  const x = linspace(COLLOCATION_POINTS);
  check('u_xx at the collocation points: nested grads against the hand-derived propagation (initial weights)',
    nestedSecondDerivative(sizes, params0, x, settings.mode), secondDerivativeByHand(sizes, params0, x), 1e-12);

  const outcome = trainPinn(sizes, params0, settings, (line) => console.log(line));
  results.push({ sizes, outcome });
  const { reached, stages } = outcome;
  console.log(reached
    ? `  rel. L2 error ≤ ${settings.target.toExponential(0)} first after ${reached.wall.toFixed(2)} s wall, ${reached.cpu.toFixed(2)} s CPU (error checks excluded)`
    : `  rel. L2 error never ≤ ${settings.target.toExponential(0)}`);

  check('u_xx: nested grads against the hand-derived propagation (trained weights)',
    nestedSecondDerivative(sizes, outcome.params, x, settings.mode), secondDerivativeByHand(sizes, outcome.params, x), 1e-10);
  const fd = hvpAgainstCentralDifferences(sizes, outcome.params, settings.mode);
  console.log(`  H·v of the PINN loss (fourth derivatives of u) against central differences of ∇L, ε = ${fd.eps.toExponential(1)}: ` +
    `max rel. difference ${fd.relError.toExponential(2)}`);
  check('H·v against central differences of the gradient', fd.relError, 0, 1e-8);
  // Where the error of the last iterate comes from: the loss pins u″ at 64 points but u(0), u(1) only
  // through ½(u(0)² + u(1)²), so a line a + bx (u″ = 0) is held only by that small term.
  const [u0, u1] = evaluate(sizes, outcome.params, Float64Array.of(0, 1));
  const final = stages[stages.length - 1].relL2;
  console.log(`  at the end: rel. L2 error ${final.toExponential(2)}, u(0) = ${u0.toExponential(2)}, u(1) = ${u1.toExponential(2)}; ` +
    `without the line through u(0) and u(1): ${errorWithoutBoundaryLine(sizes, outcome.params).toExponential(2)}`);
  if (!quick) checkAtMost(`lowest rel. L2 error on ${EVAL_POINTS} points during the schedule`, outcome.lowest, settings.target);
}

// The plot: both networks' solutions against sin πx, and their errors u − sin πx.
const grid = linspace(201);
const exact = grid.map((t) => Math.sin(Math.PI * t));
const colors = ['#d62728', '#1f77b4'];
const solution: Series[] = [{ name: 'sin πx (exact)', x: grid, y: exact, style: 'dashed', color: '#555' }];
const errors: Series[] = [];
results.forEach(({ sizes, outcome }, k) => {
  const u = evaluate(sizes, outcome.params, grid);
  const err = outcome.stages[outcome.stages.length - 1].relL2;
  solution.push({ name: `${sizes.join('-')} network`, x: grid, y: u, style: 'line', color: colors[k] });
  errors.push({ name: `${sizes.join('-')} (rel. L2 ${err.toExponential(1)})`, x: grid, y: u.map((v, i) => v - exact[i]), style: 'line', color: colors[k] });
});
const xc = linspace(COLLOCATION_POINTS);
solution.push({ name: 'collocation points', x: xc, y: xc.map((t) => Math.sin(Math.PI * t)), style: 'points', color: '#2ca02c' });
mkdirSync(dirname(svgPath), { recursive: true });
writeFileSync(svgPath, linePlotSvg([
  { title: 'u(x): PINN solutions of u″ = −π² sin πx', xLabel: 'x', xRange: [0, 1], series: solution, legend: 'bottom-center' },
  { title: 'error u(x) − sin πx', xLabel: 'x', xRange: [0, 1], series: errors },
], `Adam → L-BFGS → Newton-CG (exact H·v through nested grads)${quick ? ', --quick' : ''}`));
console.log(`\nwrote ${svgPath}`);
finish();
