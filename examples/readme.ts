/**
 * The root README's "Ten lines", verbatim (examples/test/doc-snippets.test.ts holds them equal), with
 * their printed numbers checked against closed forms.
 *
 * Run: pnpm example readme
 */
import { check, finish } from './lib/check.js';

import { grad, gradAndHvp, type Scalar, type Tensor } from '@dualtape/core';

// Rosenbrock: f(a, b) = (1 − a)² + 100 (b − a²)²
const f = (x: Tensor) => {
  const a = x.at(0), b = x.at(1);
  return a.neg().add(1).square().add(b.sub(a.square()).square().mul(100));
};
const { value, grad: gradient, hvp } = gradAndHvp(f, [1, 1], [1, 0]);
console.log(value, gradient, hvp); // 0, [0, 0], [802, -400]: the first column of the Hessian

// Transforms compose: the third derivative of tanh at 0.5, exactly
console.log(grad(grad(grad((x: Scalar) => x.tanh())))(0.5)); // −0.56521 = −2 sech²x (1 − 3 tanh²x)

// The Hessian of Rosenbrock at (1, 1) is [[802, −400], [−400, 200]]; its minimum has f = 0, ∇f = 0.
check('f, ∇f and H·e₁ at the minimum', [value, ...gradient, ...hvp], [0, 0, 0, 802, -400], 0);
const th = Math.tanh(0.5);
check('tanh‴(0.5) = −2 sech²x (1 − 3 tanh²x)', grad(grad(grad((x: Scalar) => x.tanh())))(0.5), -2 * (1 - th * th) * (1 - 3 * th * th), 1e-15);
finish();
