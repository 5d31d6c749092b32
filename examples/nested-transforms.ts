/**
 * Nested transforms (guide page 5): a transform called inside the function of another records its
 * sweeps on the outer tape, and the outer transform differentiates through them.
 *
 *   1. perturbation confusion, the classic example of Siskind & Pearlmutter, made with untagged duals:
 *        d/dx [ x · (d/dy (x + y) at y = 1) ] at x = 1 is 1, and a single ε answers 2;
 *   2. a trace of a nested function: the inner grad's rows on the outer tape, labelled by frame;
 *   3. the classic example and its family, nested in dualtape: exact;
 *   4. what an inner transform returns: numbers at top level, nodes of the enclosing transform inside;
 *   5. depth and cost: the sixth derivative of 1/x, and the tape each level of nesting records;
 *   6. what is still an error.
 *
 * Run: pnpm example nested-transforms
 */
import {
  D, FiniteError, NestedTransformError, Scalar, StaleNodeError, defineOp, dual, formatLane, grad, gradAndHvp, hvp, hvpOperator,
  jvp, scalar, trace, valueAndGrad, type Dual, type Tensor,
} from '@dualtape/core';
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

// 2. Where the inner sweeps go: f(x) = x · d/dy sin(x·y) at y = x, which is x² cos x².
const f = (x: Scalar) => x.mul(grad((y: Scalar) => x.mul(y).sin())(x));
const t = trace(f, 0.5, 1);
console.log('\n2. trace(f, 0.5, 1) for f(x) = x · d/dy sin(x·y) at y = x: one tape, the inner grad’s rows labelled');
console.log(`   ${'#'.padEnd(3)}${'op'.padEnd(7)}${'inputs'.padEnd(8)}${'value'.padStart(10)}${'R{value}'.padStart(10)}${'adjoint'.padStart(11)}${'R{adjoint}'.padStart(11)}  frame`);
for (const r of t.rows) {
  const cells = [r.value, r.tangent, r.adjoint, r.adjointDot].map((lane) => formatLane(lane, { digits: 4 }));
  console.log(`   ${String(r.index).padEnd(3)}${r.op.padEnd(7)}${r.inputs.map((k) => `#${k}`).join(' ').padEnd(8)}` +
    `${cells[0].padStart(10)}${cells[1].padStart(10)}${cells[2].padStart(11)}${cells[3].padStart(11)}  ${r.frame ?? ''}`.trimEnd());
}
const frames = new Set(t.rows.map((r) => r.frame));
check('the inner grad records its function and its reverse sweep on the outer tape',
  Number(frames.has('grad #1 · f') && frames.has('grad #1 · reverse sweep')), 1, 0);
// f′(x) = 2x cos x² − 2x³ sin x², f″(x) = (2 − 4x⁴) cos x² − 10x² sin x²
check('the outer transform differentiates through them: f′(0.5)', t.grad as number,
  2 * 0.5 * Math.cos(0.25) - 2 * 0.125 * Math.sin(0.25));
check('and f″(0.5)·1', t.hvp as number, (2 - 4 * 0.0625) * Math.cos(0.25) - 10 * 0.25 * Math.sin(0.25));

// 3. The classic example in dualtape: the inner grad's y is an input node of its own, so x's
//    perturbation and y's never meet. (Inside f, give the inner point as a node, scalar(1), and the
//    result is typed as the Scalar it is.)
console.log('\n3. The classic example, nested:');
const classic = grad((x: Scalar) => x.mul(grad((y: Scalar) => x.add(y))(scalar(1))))(1);
console.log(`   d/dx [x · d/dy (x + y)] at 1 = ${classic}`);
check('the right answer, 1', classic, 1, 0);
// The exercise of the guide: d/dx [x · d/dy (x·y)] = d/dx x² = 2x, at x = 3.
const dependent = grad((x: Scalar) => x.mul(grad((y: Scalar) => x.mul(y))(scalar(1))))(3);
check('d/dx [x · d/dy (x·y)] at 3 = 2x = 6', dependent, 6, 0);
// The same family with jvp and hvp as the inner or the outer transform (ForwardDiff.jl's test).
const jvpInside = grad((x: Scalar) => x.mul(jvp((y: Scalar) => x.add(y), 1, 1).tangent as unknown as Scalar))(1);
const gradInsideJvp = jvp((x: Scalar) => x.mul(grad((y: Scalar) => x.add(y))(1) as unknown as Scalar), 1, 1).tangent;
const hvpInside = grad((x: Scalar) => x.mul(hvp((y: Scalar) => x.mul(y.square()), 1, 1) as unknown as Scalar))(3);
check('jvp inside grad, grad inside jvp: 1 and 1', [jvpInside, gradInsideJvp as number], [1, 1], 0);
check('d/dx [x · d²/dy² (x·y²)] = d/dx 2x² at 3 = 12', hvpInside, 12, 1e-15);

// 4. What an inner transform returns.
console.log('\n4. Results: plain numbers at top level, nodes of the enclosing transform inside one');
const seen: string[] = [];
grad((x: Scalar) => {
  const slope = grad((y: Scalar) => y.square())(x); // at a node: a Scalar, typed as one
  const constant = grad((y: Scalar) => y.square())(2); // at a number, but inside f: a (constant) Scalar too
  seen.push(slope.constructor.name, (constant as unknown as Scalar).constructor.name);
  return slope.add(constant as unknown as Scalar);
})(3);
console.log(`   at top level: ${typeof grad((y: Scalar) => y.square())(2)}; inside f: ${seen.join(', ')}`);
check('inside f both results are Scalar nodes', Number(seen.every((name) => name === 'Scalar')), 1, 0);
// Nested sweeps keep the structural-zero convention (docs/conventions.md): ∂/∂a (√a·b) at a = b = 0 is
// b/(2√a) = 0·∞, which is 0 at top level and as the value of a nested grad.
type AB = { a: Scalar; b: Scalar };
const sqrtTimes = (p: AB) => p.a.sqrt().mul(p.b);
const atZero = { a: 0, b: 0 };
check('∂/∂a (√a·b) at 0: 0 at top level and nested', [grad(sqrtTimes)(atZero).a, valueAndGrad((p: AB) => grad(sqrtTimes)(p).a)(atZero).value], [0, 0], 0);

// 5. Depth and cost: d⁶/dx⁶ x⁻¹ = 720 x⁻⁷; each level records the sweeps of the one inside it, so
//    the tape grows with depth, by how much depends on the function's derivatives.
console.log('\n5. Depth: the k-th derivative by k nested grads, and the tape it records');
let dk = (x: Scalar) => x.pow(-1);
let ek = (x: Scalar) => x.sin().exp();
let factorial = 1;
for (let k = 1; k <= 6; k++) {
  dk = grad(dk);
  ek = grad(ek);
  factorial *= k;
  const t1 = trace(dk, 4, 1), t2 = trace(ek, 0.3, 1);
  console.log(`   k = ${k}  (1/x)⁽ᵏ⁾ at 4 = ${formatLane(t1.value as number, { digits: 6 }).padEnd(11)} tape: ${String(t1.rows.length).padStart(2)} nodes` +
    `   (e^(sin x))⁽ᵏ⁾ tape: ${String(t2.rows.length).padStart(3)} nodes`);
  check(`(−1)ᵏ k! / 4ᵏ⁺¹ for k = ${k}`, t1.value as number, (-1) ** k * factorial / 4 ** (k + 1), 1e-14);
}
// H·v fused (one tape, dual lanes) against H·v by nesting (jvp of grad): the same numbers, a longer tape.
const rosenbrock = (x: Tensor) => {
  const a = x.at(0), b = x.at(1);
  return a.neg().add(1).square().add(b.sub(a.square()).square().mul(100));
};
const fused = gradAndHvp(rosenbrock, [1, 1], [1, 0]).hvp;
const nested = jvp((x: Tensor) => grad(rosenbrock)(x), [1, 1], [1, 0]).tangent;
const fusedRows = trace(rosenbrock, [1, 1], [1, 0]).rows.length;
const nestedRows = trace((x: Tensor) => grad(rosenbrock)(x).sum(), [1, 1], [1, 0]).rows.length;
console.log(`   Rosenbrock H·v: gradAndHvp records ${fusedRows} nodes; jvp of a nested grad records ${nestedRows}`);
check('H·v by gradAndHvp and by jvp(grad f) agree', nested as Float64Array, fused, 1e-15);

// 6. What is still an error.
console.log('\n6. Still errors:');
const expectError = (what: string, type: new (...args: never[]) => Error, run: () => unknown) => {
  try {
    run();
    check(`${what}: throws`, 0, 1, 0);
  } catch (error) {
    console.log(`   ${what}:\n     ${(error as Error).name}: ${(error as Error).message}`);
    check(`${what}: ${type.name}`, Number(error instanceof type), 1, 0);
  }
};
let kept: Scalar | null = null;
grad((x: Scalar) => (kept = x).square())(1);
expectError('a node of a finished call, used in a later one', StaleNodeError, () => grad((x: Scalar) => x.mul(kept!))(2));
const H = hvpOperator((x: Tensor) => x.pow(3).sum(), [1, 2]); // made at top level: H holds numbers
expectError('a top-level hvpOperator applied to nodes', NestedTransformError, () => grad((v: Tensor) => (H.apply(v) as unknown as Tensor).sum())([1, 1]));
const cubeOnNumbers = defineOp({
  name: 'cubeOnNumbers',
  primal: (x) => x ** 3,
  tangent: ([x], [xDot]) => 3 * x * x * xDot,
  backward: ([x], _y, yBar) => [D.mul(yBar, D.scale(D.mul(x, x), 3))],
});
check('a numbers-form op works at top level: its H·v at 2 is 6·2 = 12', hvp(cubeOnNumbers, 2, 1), 12);
expectError('the same op inside a nested transform', NestedTransformError, () => grad(grad(cubeOnNumbers))(2));
// Strict mode on the outer call covers the nested sweeps: (√y)² at 0 meets 0·∞ in the inner reverse sweep.
expectError('a 0·∞ in a nested sweep, with { checkFinite: true } on the outer call', FiniteError,
  () => valueAndGrad((x: Scalar) => grad((y: Scalar) => y.sqrt().square())(x), { checkFinite: true })(0));
finish();
