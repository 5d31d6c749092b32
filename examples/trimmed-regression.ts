/**
 * Robust regression through a sort: least trimmed squares.
 *
 *   r = y − X·β,   L(β) = ½ Σ_{i < h} sort(r²)ᵢ       (the h smallest squared residuals)
 *
 * A fifth of the points are gross outliers. Ordinary least squares follows them; L ignores the
 * n − h largest residuals, whichever points they belong to, so it does not. `sort` is a gather
 * through the order of the values: its derivative moves with each element, so ∇L and H·v are those
 * of ½‖r_kept‖² for the points kept at this β, and H = Σ_kept xᵢxᵢᵀ, constant while the kept set is.
 * Trust-region Newton-CG (`@dualtape/curvature`, exact H·v) from the least-squares β then reaches a
 * minimum of L. A compiled program watches the order: a replay at a β that keeps other points
 * records again.
 *
 * Run: pnpm example trimmed-regression
 */
import { compile, gradAndHvp, median, sort, tensor, valueAndGrad, type Scalar, type Tensor } from '@dualtape/core';
import { seededUniform } from '@dualtape/core/testing';
import { newtonCG } from '@dualtape/curvature';
import { check, checkAtMost, finish } from './lib/check.js';

const n = 200, p = 3, h = 150; // keep the 150 smallest of 200 squared residuals
const betaTrue = [1, -2, 0.5];

const next = seededUniform(7);
// Rows [1, x₁, x₂]; y = X·β + small noise, and every fifth point pushed far up.
const X = new Float64Array(n * p);
const y = new Float64Array(n);
for (let i = 0; i < n; i++) {
  X[i * p] = 1;
  X[i * p + 1] = 4 * next() - 2;
  X[i * p + 2] = 4 * next() - 2;
  y[i] = betaTrue[0] + betaTrue[1] * X[i * p + 1] + betaTrue[2] * X[i * p + 2] + 0.01 * (next() - 0.5);
  if (i % 5 === 0) y[i] += 20 + 30 * next();
}

const residuals = (beta: Tensor) => tensor(y).sub(tensor(X, [n, p]).matmul(beta));
const trimmed = (beta: Tensor): Scalar => sort(residuals(beta).square()).slice(0, h).sum().mul(0.5);
const fullSquares = (beta: Tensor): Scalar => residuals(beta).square().sum().mul(0.5);

/** Σ over the points kept at β of xᵢ(xᵢᵀv): H·v written out by hand. */
function handHv(beta: Float64Array, v: Float64Array): Float64Array {
  const r2 = Array.from({ length: n }, (_, i) => (y[i] - (X[i * p] * beta[0] + X[i * p + 1] * beta[1] + X[i * p + 2] * beta[2])) ** 2);
  const kept = r2.map((_, i) => i).sort((a, b) => r2[a] - r2[b] || a - b).slice(0, h);
  const out = new Float64Array(p);
  for (const i of kept) {
    const xv = X[i * p] * v[0] + X[i * p + 1] * v[1] + X[i * p + 2] * v[2];
    for (let j = 0; j < p; j++) out[j] += X[i * p + j] * xv;
  }
  return out;
}

// Ordinary least squares: one Newton step from 0 on the full sum of squares (it is quadratic).
const ols = newtonCG(fullSquares, new Float64Array(p)).x;
console.log(`n = ${n} points, a fifth of them outliers; least trimmed squares keeps h = ${h}`);
console.log(`truth                 β = [${betaTrue.join(', ')}]`);
console.log(`ordinary least squares β = [${Array.from(ols, (b) => b.toFixed(4)).join(', ')}]`);

console.log('\nchecks at the least-squares β:');
const v = Float64Array.of(0.3, -1, 0.7);
const r = gradAndHvp(trimmed, ols, v);
const step = 1e-6;
const g = valueAndGrad(trimmed);
const gPlus = g(ols.map((b, j) => b + step * v[j])).grad, gMinus = g(ols.map((b, j) => b - step * v[j])).grad;
check('H·v against the kept points\' Σ xᵢ(xᵢᵀv), by hand', r.hvp, handHv(ols, v), 1e-12);
check('H·v against central differences of ∇L', r.hvp, gPlus.map((gp, j) => (gp - gMinus[j]) / (2 * step)), 1e-7);
const fPlus = g(ols.map((b, j) => b + step * v[j])).value, fMinus = g(ols.map((b, j) => b - step * v[j])).value;
check('∇L·v against central differences of L', r.grad.reduce((s, gj, j) => s + gj * v[j], 0), (fPlus - fMinus) / (2 * step), 1e-7);

// Newton-CG with exact H·v: each step is least squares on the points kept at the current β.
const lts = newtonCG(trimmed, ols, { gradTolerance: 1e-10, maxIterations: 50 });
console.log(`\nleast trimmed squares β = [${Array.from(lts.x, (b) => b.toFixed(4)).join(', ')}] after ${lts.iterations} Newton-CG steps`);
const resid = (beta: Float64Array) => tensor(Float64Array.from({ length: n }, (_, i) => y[i] - (X[i * p] * beta[0] + X[i * p + 1] * beta[1] + X[i * p + 2] * beta[2]))).abs();
console.log(`median |residual|: ${median(resid(ols)).value.toFixed(4)} (least squares), ${median(resid(lts.x)).value.toExponential(2)} (trimmed)`);
const olsError = Math.max(...Array.from(ols, (b, j) => Math.abs(b - betaTrue[j])));
check(`least squares is pulled off the truth (max |β − β_true| = ${olsError.toFixed(2)}, more than 0.1)`, Number(olsError > 0.1), 1, 0);
checkAtMost('least trimmed squares recovers it (max |β − β_true|)', Math.max(...Array.from(lts.x, (b, j) => Math.abs(b - betaTrue[j]))), 0.01);
checkAtMost('‖∇L‖ at the trimmed minimum', Math.hypot(...Array.from(valueAndGrad(trimmed)(lts.x).grad)), 1e-8);

// A compiled program watches the order of the residuals: at the trimmed β other points are kept,
// so the replay records f again and gives the same numbers as the transforms there.
console.log('\ncompile:');
const program = compile(trimmed, ols);
const replayed = program.gradAndHvp(lts.x, v);
const direct = gradAndHvp(trimmed, lts.x, v);
check('a replay at the trimmed β = gradAndHvp there (∇L and H·v)', [...Array.from(replayed.grad), ...Array.from(replayed.hvp)], [...Array.from(direct.grad), ...Array.from(direct.hvp)], 0);
check('it recorded again, once (the kept set changed)', program.rerecords, 1, 0);
finish();
