/**
 * Perturbation confusion (guide page 5), the classic example of Siskind & Pearlmutter:
 *
 *   d/dx [ x · (d/dy (x + y) at y = 1) ]  at x = 1
 *
 * The inner derivative is 1 (x does not depend on y), so the function is just x and the answer is 1.
 * Untagged dual numbers answer 2: the inner derivative picks up the outer perturbation of x too.
 * dualtape nests transforms: an inner transform records its sweeps on the outer tape with input
 * nodes of its own, so the two perturbations cannot be confused (guide page 5).
 *
 * Run: pnpm example perturbation-confusion
 */
import { D, dual, grad, type Dual, type Scalar } from '@dualtape/core';
import { check, finish } from './lib/check.js';

// 1. The mistake, made with plain dual numbers that have a single ε for every level of derivative.
const derivative = (g: (y: Dual) => Dual, at: Dual): Dual => {
  // "d/dy g at y": seed y's tangent with 1 and read the tangent of the result.
  const out = g(dual(at.value, 1));
  return dual(out.tangent, 0); // the inner derivative (its own tangent thrown away, as naive code does)
};
const x = dual(1, 1); // outer: x = 1, perturbed with ε
const inner = (y: Dual) => D.add(x, y); // x + y, where x carries the OUTER ε
const confused = D.mul(x, derivative(inner, dual(1, 0)));
console.log('1. Untagged duals: the inner derivative d/dy (x + y) sees x’s ε as if it were y’s.');
console.log(`   inner derivative = ${derivative(inner, dual(1, 0)).value} (should be 1)`);
console.log(`   d/dx [x · inner] = ${confused.tangent} (should be 1)`);
check('the naive answer is 2: perturbation confusion', confused.tangent, 2, 0);

// 2. dualtape: the inner grad records its sweeps on the outer tape, with its own input node for y,
//    so x's perturbation and y's never meet. The answer is exact.
console.log('\n2. dualtape: grad nested in grad, the inner one closing over the outer x.');
const nested = grad((x: Scalar) => x.mul(grad((y: Scalar) => x.add(y))(1) as unknown as Scalar))(1) as number;
console.log(`   d/dx [x · d/dy (x + y)] = ${nested}`);
check('the right answer, 1', nested, 1, 0);

// 3. The exercise of the guide: d/dx [x · d/dy (x·y)] = d/dx x² = 2x, at x = 3.
const dependent = grad((x: Scalar) => x.mul(grad((y: Scalar) => x.mul(y))(1) as unknown as Scalar))(3) as number;
console.log(`\n3. When the inner derivative depends on x: d/dx [x · d/dy (x·y)] at 3 = ${dependent}`);
check('2x = 6', dependent, 6, 0);
finish();
