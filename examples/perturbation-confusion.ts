/**
 * Perturbation confusion (guide page 5), the classic example of Siskind & Pearlmutter:
 *
 *   d/dx [ x · (d/dy (x + y) at y = 1) ]  at x = 1
 *
 * The inner derivative is 1 (x does not depend on y), so the function is just x and the answer is 1.
 * Untagged dual numbers answer 2: the inner derivative picks up the outer perturbation of x too.
 * dualtape does not nest transforms; it refuses the mix with NestedTransformError rather than return
 * the wrong number.
 *
 * Run: pnpm example perturbation-confusion
 */
import { D, NestedTransformError, dual, grad, type Dual, type Scalar } from '@dualtape/core';
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

// 2. dualtape: an inner transform that touches a node of the outer one is refused.
console.log('\n2. dualtape: nesting grad inside grad, mixing their nodes, throws.');
try {
  grad((x: Scalar) => x.mul(grad((y: Scalar) => x.add(y))(1) as number))(1);
  check('NestedTransformError was thrown', 0, 1, 0);
} catch (error) {
  console.log(`   ${(error as Error).name}: ${(error as Error).message.slice(0, 90)}…`);
  check('NestedTransformError was thrown', error instanceof NestedTransformError ? 1 : 0, 1, 0);
}

// 3. What to do instead: the inner derivative does not depend on the outer variable, so compute it
//    once at plain numbers, outside, and pass it in as data.
const innerDerivative = grad((y: Scalar) => y.add(2))(1) as number; // d/dy (c + y) = 1 for any constant c
const outer = grad((x: Scalar) => x.mul(innerDerivative))(1) as number;
console.log('\n3. Computing the inner derivative outside, at plain numbers, and passing it in:');
console.log(`   inner = ${innerDerivative}, d/dx [x · inner] = ${outer}`);
check('the right answer, 1', outer, 1, 0);
finish();
