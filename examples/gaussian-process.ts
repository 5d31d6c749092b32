/**
 * A Gaussian process's hyperparameters by Newton's method with the exact Hessian (issue 15).
 *
 * Noisy samples yᵢ of a smooth function at points xᵢ, modelled as y ~ N(0, K) with the RBF kernel
 *
 *   K_ij = σf²·exp(−(xᵢ − xⱼ)² / 2ℓ²) + σn²·δ_ij,    θ = (log ℓ, log σf², log σn²),
 *
 * and the negative log marginal likelihood (Rasmussen & Williams, eq. 5.8)
 *
 *   NLL(θ) = ½·yᵀK⁻¹y + ½·log det K + (N/2)·log 2π,
 *
 * written with cholesky (K = L·Lᵀ), triangularSolve (α = L⁻¹y, so yᵀK⁻¹y = ‖α‖²) and logDet. Their
 * rules are exact to second order, so `hessian` gives the exact 3×3 Hessian of NLL in θ (three H·v
 * products), checked here against central differences of the gradient; a few Newton steps
 * θ ← θ − H⁻¹∇NLL then converge quadratically to the maximum-likelihood hyperparameters.
 *
 * Run: pnpm example gaussian-process
 */
import { cholesky, hessian, logDet, tensor, triangularSolve, valueAndGrad, type Tensor } from '@dualtape/core';
import { seededUniform } from '@dualtape/core/testing';
import { check, finish } from './lib/check.js';

// Data generated in code: y = sin(1.5x) + 0.3x plus Gaussian noise of standard deviation 0.15.
const N = 40;
const uniform = seededUniform(7);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
const xs = Array.from({ length: N }, () => -3 + 6 * uniform());
const ys = xs.map((x) => Math.sin(1.5 * x) + 0.3 * x + 0.15 * gaussian());

// Everything that does not depend on θ is computed once: the squared distances and the identity.
const squaredDistances = new Float64Array(N * N);
const identity = new Float64Array(N * N);
for (let i = 0; i < N; i++) {
  identity[i * N + i] = 1;
  for (let j = 0; j < N; j++) squaredDistances[i * N + j] = (xs[i] - xs[j]) ** 2;
}

/** The negative log marginal likelihood of the data at θ = (log ℓ, log σf², log σn²). */
function nll(theta: Tensor) {
  const [logLength, logSignal, logNoise] = [theta.at(0), theta.at(1), theta.at(2)];
  const kernel = tensor(squaredDistances, [N, N]).mul(logLength.mul(-2).exp().mul(-0.5)).exp().mul(logSignal.exp());
  const K = kernel.add(tensor(identity, [N, N]).mul(logNoise.exp()));
  const L = cholesky(K);
  const alpha = triangularSolve(L, tensor(ys)); // L⁻¹y
  return alpha.dot(alpha).add(logDet(K)).add(N * Math.log(2 * Math.PI)).mul(0.5);
}

/** The same NLL in plain arithmetic (its own Cholesky), to check the engine's value independently. */
function plainNll(theta: number[]): number {
  const [length2, signal, noise] = [Math.exp(2 * theta[0]), Math.exp(theta[1]), Math.exp(theta[2])];
  const L = Array.from({ length: N }, () => new Array<number>(N).fill(0));
  for (let i = 0; i < N; i++) {
    for (let j = 0; j <= i; j++) {
      let s = signal * Math.exp(-squaredDistances[i * N + j] / (2 * length2)) + (i === j ? noise : 0);
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = i === j ? Math.sqrt(s) : s / L[j][j];
    }
  }
  let quad = 0, logDetK = 0;
  const alpha = new Array<number>(N);
  for (let i = 0; i < N; i++) {
    let s = ys[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * alpha[k];
    alpha[i] = s / L[i][i];
    quad += alpha[i] ** 2;
    logDetK += 2 * Math.log(L[i][i]);
  }
  return 0.5 * (quad + logDetK + N * Math.log(2 * Math.PI));
}

/** x with H·x = g for a small symmetric positive-definite H (plain Cholesky). */
function solveSpd(H: Float64Array, g: Float64Array): number[] {
  const n = g.length;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = H[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j && !(s > 0)) throw new Error('the Hessian is not positive definite here: Newton would not descend');
      L[i * n + j] = i === j ? Math.sqrt(s) : s / L[j * n + j];
    }
  }
  const z = new Array<number>(n), x = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = g[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * z[k];
    z[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

const names = ['log ℓ', 'log σf²', 'log σn²'];
const fmt = (v: ArrayLike<number>) => `[${Array.from(v, (e) => e.toFixed(6)).join(', ')}]`;
const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, e) => s + e * e, 0));
const valueGrad = valueAndGrad(nll);

let theta = [Math.log(0.5), Math.log(0.5), Math.log(0.05)];
console.log(`${N} noisy samples of sin(1.5x) + 0.3x on [−3, 3]; θ = (${names.join(', ')})`);
console.log(`start θ = ${fmt(theta)}`);

console.log('\nchecks at the start:');
const start = valueGrad(theta);
check('NLL against a plain-arithmetic Cholesky', start.value as number, plainNll(theta), 1e-12);
// Central differences of NLL and of its gradient, one coordinate at a time.
const h = 1e-5;
const shifted = (j: number, s: number) => theta.map((t, k) => (k === j ? t + s * h : t));
const fdGrad = theta.map((_, j) => (plainNll(shifted(j, 1)) - plainNll(shifted(j, -1))) / (2 * h));
check('∇NLL against central differences of NLL', start.grad, fdGrad, 1e-7);
const H = hessian(nll, theta);
// Row j: (∇NLL(θ + h·eⱼ) − ∇NLL(θ − h·eⱼ)) / 2h ≈ ∂∇NLL/∂θⱼ, row j of H (row-major).
const fdHessian = theta.flatMap((_, j) => {
  const plus = valueGrad(shifted(j, 1)).grad, minus = valueGrad(shifted(j, -1)).grad;
  return Array.from(plus, (p, i) => (p - minus[i]) / (2 * h));
});
check('exact Hessian against central differences of ∇NLL', H, fdHessian, 1e-6);
check('the Hessian is symmetric', H, theta.flatMap((_, i) => theta.map((__, j) => H[j * 3 + i])), 1e-12);

console.log('\nNewton steps θ ← θ − t·H⁻¹∇NLL (t halved until NLL decreases; t = 1 near the optimum):');
const gradNorms: number[] = [];
for (let iteration = 0; iteration < 12; iteration++) {
  const { value, grad } = valueGrad(theta);
  gradNorms.push(norm(grad));
  const line = `  ${iteration}: NLL = ${(value as number).toFixed(12)}, ‖∇NLL‖ = ${norm(grad).toExponential(2)}, θ = ${fmt(theta)}`;
  if (norm(grad) < 1e-10) {
    console.log(line);
    break;
  }
  const step = solveSpd(hessian(nll, theta), grad);
  let t = 1;
  while (plainNll(theta.map((e, j) => e - t * step[j])) > (value as number) && t > 1e-3) t /= 2;
  console.log(`${line}, step t = ${t}`);
  theta = theta.map((e, j) => e - t * step[j]);
}
const [length, signal, noise] = [Math.exp(theta[0]), Math.sqrt(Math.exp(theta[1])), Math.sqrt(Math.exp(theta[2]))];
console.log(`\nmaximum-likelihood hyperparameters: ℓ = ${length.toFixed(4)}, σf = ${signal.toFixed(4)}, σn = ${noise.toFixed(4)} (data noise 0.15)`);

console.log('\nchecks at the optimum:');
const final = gradNorms[gradNorms.length - 1];
check('‖∇NLL‖ after the Newton steps is 0 to rounding', final, 0, 1e-9);
// Quadratic convergence: once close, each full step squares the gradient norm (up to a constant).
const k = gradNorms.findIndex((g) => g < 1e-2);
const ratio = gradNorms[k + 1] / gradNorms[k] ** 2;
console.log(`  ‖∇‖ from ${gradNorms[k].toExponential(2)} to ${gradNorms[k + 1].toExponential(2)}: ratio ‖∇‖ₖ₊₁/‖∇‖ₖ² = ${ratio.toFixed(3)}`);
check('quadratic convergence: ‖∇‖ₖ₊₁/‖∇‖ₖ² is O(1) once ‖∇‖ < 1e-2', Number(ratio < 10), 1);
check('the noise estimate is near the data noise 0.15', noise, 0.15, 0.05);
finish();
