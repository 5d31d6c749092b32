/**
 * H·v of the extended Rosenbrock function, without ever forming H (guide page 3).
 *
 *   f(x) = Σᵢ 100·(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²
 *
 * Its Hessian is tridiagonal: H[i][i] += 1200xᵢ² − 400xᵢ₊₁ + 2, H[i+1][i+1] += 200,
 * H[i][i+1] = H[i+1][i] = −400xᵢ. We compare the engine's H·v with that formula, and with central
 * differences of the gradient.
 *
 * Run: pnpm example rosenbrock-hvp
 */
import { gradAndHvp, hessian, valueAndGrad, type Tensor } from '@dualtape/core';
import { check, finish } from './lib/check.js';

// Written with tensor ops: a handful of nodes, whatever the dimension.
const rosenbrock = (x: Tensor) => {
  const n = x.size;
  const head = x.slice(0, n - 1);
  const tail = x.slice(1, n);
  return tail.sub(head.square()).square().mul(100).add(head.neg().add(1).square()).sum();
};

function hessianTimes(x: number[], v: number[]): number[] {
  const out = new Array<number>(x.length).fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    out[i] += (1200 * x[i] * x[i] - 400 * x[i + 1] + 2) * v[i] - 400 * x[i] * v[i + 1];
    out[i + 1] += -400 * x[i] * v[i] + 200 * v[i + 1];
  }
  return out;
}

const n = 8;
const x = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1) + 0.05 * i);
const v = Array.from({ length: n }, (_, i) => Math.cos(i));

const { value, grad, hvp } = gradAndHvp(rosenbrock, x, v);
console.log(`n = ${n}, x = [${x.map((e) => e.toFixed(2)).join(', ')}]`);
console.log(`f(x)  = ${value}`);
console.log(`∇f(x) = [${Array.from(grad, (e) => e.toFixed(4)).join(', ')}]`);
console.log(`H·v   = [${Array.from(hvp, (e) => e.toFixed(4)).join(', ')}]`);
console.log('\nchecks:');
check('H·v against the tridiagonal formula', hvp, hessianTimes(x, v));

// Central differences of the gradient along v: (∇f(x + hv) − ∇f(x − hv)) / 2h.
const h = 1e-6;
const g = valueAndGrad(rosenbrock);
const plus = g(x.map((e, k) => e + h * v[k])).grad;
const minus = g(x.map((e, k) => e - h * v[k])).grad;
check('H·v against central differences of ∇f', hvp, Array.from(plus, (p, k) => (p - minus[k]) / (2 * h)), 1e-6);

// The whole Hessian is n products H·eⱼ; compare one column with H·e₀ from gradAndHvp.
const H = hessian(rosenbrock, x);
const e0 = gradAndHvp(rosenbrock, x, x.map((_, k) => (k === 0 ? 1 : 0))).hvp;
check('hessian() column 0 = H·e₀', Array.from({ length: n }, (_, i) => H[i * n]), e0);
check('at the minimum (1, …, 1), ∇f = 0', gradAndHvp(rosenbrock, new Array(n).fill(1), v).grad, new Array(n).fill(0));
finish();
