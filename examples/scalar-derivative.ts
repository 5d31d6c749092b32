/**
 * Dual numbers and R{·} on one variable (guide page 1).
 *
 *   f(x)   = x·sin x
 *   f′(x)  = sin x + x·cos x
 *   f″(x)  = 2·cos x − x·sin x
 *
 * Run: pnpm example scalar-derivative
 */
import { D, dual, gradAndHvp, jvp, type Scalar } from '@dualtape/core';
import { check, finish } from './lib/check.js';

const f = (x: Scalar) => x.mul(x.sin());
const df = (x: number) => Math.sin(x) + x * Math.cos(x);
const d2f = (x: number) => 2 * Math.cos(x) - x * Math.sin(x);

console.log('1. A dual number (x, ẋ) is a value with a tangent. Arithmetic on duals applies the chain rule:');
const x0 = 0.7;
const x = dual(x0, 1); // ẋ = 1: differentiate along x
const y = D.mul(x, D.sin(x)); // (x·sin x, ẋ·sin x + x·cos x·ẋ)
console.log(`   (x, ẋ) = (${x0}, 1)  →  (f, R{f}) = (${y.value}, ${y.tangent})`);
check('the tangent of x·sin x is f′(x)', y.tangent, df(x0));
check('its value is f(x)', y.value, x0 * Math.sin(x0));

console.log('\n2. The same on the tape, forward only: jvp gives f and R{f} = f′(x)·v.');
const v = 2;
const forward = jvp(f, x0, v);
console.log(`   jvp(f, ${x0}, ${v}) = { value: ${forward.value}, tangent: ${forward.tangent} }`);
check('R{f} = f′(x)·v', forward.tangent as number, df(x0) * v);

console.log('\n3. Forward-over-reverse: one forward sweep with ẋ = v and one reverse sweep of dual adjoints');
console.log('   give f, f′(x) and R{f′(x)} = f″(x)·v all at once.\n');
console.log('       x          f(x)          f′(x)       f″(x)·v');
for (const at of [-2, -0.5, 0, 0.7, 3]) {
  const { value, grad, hvp } = gradAndHvp(f, at, v);
  console.log(`   ${at.toFixed(2).padStart(5)}  ${value.toFixed(8).padStart(12)}  ${grad.toFixed(8).padStart(12)}  ${hvp.toFixed(8).padStart(12)}`);
  check(`f′(${at})`, grad, df(at));
  check(`f″(${at})·v`, hvp, d2f(at) * v);
}
finish();
