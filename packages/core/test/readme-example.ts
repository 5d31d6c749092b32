// The example of ../README.md ("Ten lines"), line for line: readme.test.ts keeps the two equal.
import { gradAndHvp, tensor, type Scalar, type Tensor } from '@dualtape/core';

// Logistic regression on three points xₙ with labels tₙ = ±1: E(w, b) = Σₙ softplus(−tₙ (xₙ·w + b)).
const xs = [0.5, 1.5, -1, 0.2, 2, -0.7], labels = [1, -1, 1];
const E = (p: { w: Tensor; b: Scalar }) =>
  tensor(xs, [3, 2]).matmul(p.w).add(p.b).mul(tensor(labels, [3])).neg().softplus().sum();

// E, ∇E and H·v at w = [0.5, −0.3], b = 0.1 with v = e₁ (so H·v is the Hessian's first column).
const { value, grad, hvp } = gradAndHvp(E, { w: [0.5, -0.3], b: 0.1 }, { w: [1, 0], b: 0 });
console.log(value, grad, hvp); // E, then ∇E and H·v shaped like the input: { w: Float64Array, b: number }
