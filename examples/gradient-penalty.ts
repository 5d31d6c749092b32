/**
 * A gradient penalty, L(w) = f(w) + λ‖∇f(w)‖², on a small tanh network (guide page 5). The loss
 * contains a gradient, so its own gradient needs second derivatives of f and its H·v third ones:
 * the inner `grad` records its reverse sweep on the outer tape, and the outer transform
 * differentiates through it.
 *
 *   1. ∇L against the identity ∇L = ∇f + 2λ H_f ∇f (computed by top-level transforms), and against
 *      a central difference of L;
 *   2. H_L·v against central differences of ∇L;
 *   3. a few steps of trust-region Newton-CG on L with exact H_L·v products (`newtonCG` from
 *      @dualtape/curvature).
 *
 * Run: pnpm example gradient-penalty
 */
import { flatten, grad, gradAndHvp, hvp, tensor, unflatten, valueAndGrad, type Scalar, type Tensor } from '@dualtape/core';
import { newtonCG } from '@dualtape/curvature';
import { check, finish } from './lib/check.js';

// A 1-3-1 tanh network y(x) = W2·tanh(W1 x + b1) + b2, fitted to sin πx at 12 points.
type Params = { W1: Tensor; b1: Tensor; W2: Tensor; b2: Scalar };
const xs = Array.from({ length: 12 }, (_, n) => -1 + (2 * n) / 11);
const ts = xs.map((x) => Math.sin(Math.PI * x));
// tensor() makes a constant on the tape that is recording, so the data is made inside f.
const network = (p: Params) => tensor(xs, [12, 1]).matmul(p.W1.reshape([1, 3])).add(p.b1).tanh().matmul(p.W2).add(p.b2);
const f = (p: Params) => network(p).sub(tensor(ts)).square().sum().mul(0.5);

// The penalty: ‖∇f‖² summed over every parameter. Inside L, grad(f)(p) returns nodes of L's tape.
const lambda = 0.05;
const L = (p: Params) => {
  const g = grad(f)(p);
  const norm2 = g.W1.square().sum().add(g.b1.square().sum()).add(g.W2.square().sum()).add(g.b2.square());
  return f(p).add(norm2.mul(lambda));
};

const w0 = { W1: [0.9, -1.4, 2.1], b1: [0.1, 0.5, -0.3], W2: [1.2, 0.8, -0.7], b2: 0.05 };
const flat = (tree: unknown) => Array.from(flatten(tree as typeof w0));
const at = (w: number[]) => unflatten(w0, w);
const valueOf = (w: number[]) => valueAndGrad(L)(at(w)).value;
const gradOf = (w: number[]) => flat(valueAndGrad(L)(at(w)).grad);
const direction = [0.3, -0.2, 0.5, 0.1, -0.4, 0.2, 0.6, -0.1, 0.3, -0.5];
const v = [1, 0, -0.5, 0.2, 0.3, -1, 0.4, 0.1, -0.2, 0.5];
const h = 1e-5;
const shifted = (w: number[], d: number[], s: number) => w.map((wi, i) => wi + s * d[i]);

// 1. ∇L two ways.
const { value, grad: gradL, hvp: hvpL } = gradAndHvp(L, w0, unflatten(w0, v));
const gf = grad(f)(w0);
const HfGf = hvp(f, w0, gf); // H_f·∇f at top level: numbers
const expected = flat(gf).map((gi, i) => gi + 2 * lambda * flat(HfGf)[i]);
console.log(`L(w₀) = ${value}, ‖∇f(w₀)‖² = ${flat(gf).reduce((s, g) => s + g * g, 0)}`);
check('∇L against ∇f + 2λ·H_f·∇f', flat(gradL), expected, 1e-12);
const w = flat(w0);
const slope = (valueOf(shifted(w, direction, h)) - valueOf(shifted(w, direction, -h))) / (2 * h);
check('∇L·d against (L(w + hd) − L(w − hd)) / 2h', flat(gradL).reduce((s, g, i) => s + g * direction[i], 0), slope, 1e-7);

// 2. H_L·v: third derivatives of f, through the inner grad's recorded sweep.
const fd = gradOf(shifted(w, v, h)).map((g, i) => (g - gradOf(shifted(w, v, -h))[i]) / (2 * h));
check('H_L·v against (∇L(w + hv) − ∇L(w − hv)) / 2h', flat(hvpL), fd, 1e-7);

// 3. A few trust-region Newton-CG steps on L, each inner CG step one exact H_L·v. (A small network's
//    loss has flat and negatively curved directions, so the trust region, not the Newton step, sets
//    the pace here; every accepted step must still lower L.)
console.log('\nNewton-CG on L, 10 iterations:');
const result = newtonCG(L, w0, { maxIterations: 10, gradTolerance: 1e-10 });
for (const step of result.history) {
  console.log(`   ${String(step.iteration).padStart(2)}  L = ${step.value.toExponential(6)}  ‖∇L‖ = ${step.gradNorm.toExponential(2)}  ` +
    `${step.cgIterations} H·v  ${step.accepted ? 'accepted' : 'rejected'} (${step.cgReason})`);
}
const values = [value, ...result.history.map((step) => step.value)];
check('L never increases from one iterate to the next', Number(values.every((Lk, k) => k === 0 || Lk <= values[k - 1])), 1, 0);
check(`L fell from ${value.toPrecision(4)} to ${result.value.toPrecision(4)}`, Number(result.value < 0.5 * value), 1, 0);
check('the result reports L at its x', valueAndGrad(L)(result.x).value, result.value, 1e-12);
finish();
