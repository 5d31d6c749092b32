/**
 * Third and higher derivatives by nesting transforms (guide page 5): every transform called inside
 * the function of another is differentiated through, exactly, to any depth.
 *
 *   1. f‴ and f⁗ of f(x) = eˣ sin x five ways (grad³, grad of hvp, jvp of grad², hvp of grad, hvp of
 *      hvp), against f‴ = 2eˣ(cos x − sin x) and f⁗ = −4eˣ sin x;
 *   2. ∇³f[u, v, ·] of f(x) = exp(a·x), a vector of third derivatives, against e^(a·x)(a·u)(a·v) a;
 *   3. Halley's method for the minimum of g(x) = cosh x − 2x (a root of g′, x* = asinh 2): one
 *      gradAndHvp of g′ gives g′, g″ and g‴ at once; cubic convergence against Newton's quadratic;
 *   4. the Taylor coefficients of e^(sin x) at 0 and of ln(1 + x) at ½ to order 6, by six nested grads.
 *
 * Run: pnpm example third-derivative
 */
import { dot, grad, gradAndHvp, hvp, jvp, tensor, valueAndGrad, type Scalar, type Tensor } from '@dualtape/core';
import { check, finish } from './lib/check.js';

// 1. f‴ and f⁗ of f(x) = eˣ sin x.
const f = (x: Scalar) => x.exp().mul(x.sin());
const x0 = 0.7;
const third = 2 * Math.exp(x0) * (Math.cos(x0) - Math.sin(x0));
const fourth = -4 * Math.exp(x0) * Math.sin(x0);
console.log(`1. f(x) = eˣ sin x at ${x0}: f‴ = 2eˣ(cos x − sin x) = ${third}, f⁗ = −4eˣ sin x = ${fourth}`);

const d3 = grad(grad(grad(f)))(x0);
const d3ByHvp = grad((x: Scalar) => hvp(f, x, 1))(x0);
check('f‴ by grad(grad(grad(f)))', d3, third);
check('f‴ by grad of hvp: d/dx [H(x)·1]', d3ByHvp, third);
check('f‴ by jvp of grad(grad(f))', jvp(grad(grad(f)), x0, 1).tangent as number, third);
check('f‴ by hvp of grad(f): the H·v of f′', hvp(grad(f), x0, 1), third);
const { value, grad: slope, hvp: curvature } = gradAndHvp(grad(f), x0, 1);
check('one gradAndHvp of f′ gives f′, f″ and f‴', [value, slope, curvature],
  [Math.exp(x0) * (Math.sin(x0) + Math.cos(x0)), 2 * Math.exp(x0) * Math.cos(x0), third]);
const d4 = grad(grad(grad(grad(f))))(x0);
check('f⁗ by four nested grads', d4, fourth);
check('f⁗ by hvp of hvp', hvp((x: Scalar) => hvp(f, x, 1), x0, 1), fourth);

// 2. Third derivatives of a function of a vector: ∇ₓ [uᵀ H(x) v] = ∇³f[u, v, ·].
const a = [0.5, -1, 2];
const expDot = (x: Tensor) => dot(x, tensor(a)).exp();
const u = [1, 2, 0], v = [0, 1, -1], xv = [0.1, 0.3, 0.2];
const dotA = (w: number[]) => w.reduce((s, wi, i) => s + wi * a[i], 0);
const t3 = grad((x: Tensor) => dot(hvp(expDot, x, v), tensor(u)))(xv);
console.log(`\n2. ∇³f[u, v, ·] of exp(a·x) = [${Array.from(t3).join(', ')}]`);
check('against e^(a·x) (a·u)(a·v) a', t3, a.map((ai) => Math.exp(dotA(xv)) * dotA(u) * dotA(v) * ai), 1e-12);

// 3. Halley's method for min g: a root of g′, with g′, g″, g‴ from one call.
const g = (x: Scalar) => x.exp().add(x.neg().exp()).mul(0.5).sub(x.mul(2)); // cosh x − 2x
const dg = grad(g);
const minimum = Math.asinh(2);
console.log(`\n3. min of cosh x − 2x at asinh 2 = ${minimum}: Halley (g‴ by nesting) against Newton`);
const halley = (x: number) => {
  const { value: g1, grad: g2, hvp: g3 } = gradAndHvp(dg, x, 1); // g′, g″, g‴
  return x - (2 * g1 * g2) / (2 * g2 * g2 - g1 * g3);
};
const newton = (x: number) => {
  const { value: g1, grad: g2 } = valueAndGrad(dg)(x); // g′, g″
  return x - g1 / g2;
};
const steps = (step: (x: number) => number, name: string) => {
  let x = 0, n = 0;
  const errors: string[] = [];
  while (Math.abs(x - minimum) > 1e-15 && n < 20) {
    x = step(x);
    n++;
    errors.push(Math.abs(x - minimum).toExponential(1));
  }
  console.log(`   ${name.padEnd(7)} from 0, |x − x*| after each step: ${errors.join(', ')}`);
  return { x, n };
};
const byHalley = steps(halley, 'Halley');
const byNewton = steps(newton, 'Newton');
check('Halley reaches asinh 2', byHalley.x, minimum, 1e-15);
check('Newton reaches asinh 2', byNewton.x, minimum, 1e-15);
check('Halley (cubic) takes fewer steps than Newton (quadratic)', Number(byHalley.n < byNewton.n), 1, 0);

// 4. Taylor coefficients to order 6: cₖ = f⁽ᵏ⁾(x₀)/k!, each derivative one more nested grad.
const taylor = (h: (x: Scalar) => Scalar, at: number, order: number): number[] => {
  const coefficients: number[] = [];
  let derivative = h;
  let factorial = 1;
  for (let k = 0; k <= order; k++) {
    if (k > 0) factorial *= k;
    coefficients.push(valueAndGrad(derivative)(at).value / factorial);
    derivative = grad(derivative);
  }
  return coefficients;
};
const expSin = taylor((x) => x.sin().exp(), 0, 6);
const powers = ['', 'x', 'x²', 'x³', 'x⁴', 'x⁵', 'x⁶'];
const series = expSin.map((c, k) => `${c < 0 ? '− ' : k > 0 ? '+ ' : ''}${Math.abs(c).toPrecision(6)}${powers[k]}`).join(' ');
console.log(`\n4. e^(sin x) = ${series} + O(x⁷)`);
check('against 1, 1, 1/2, 0, −1/8, −1/15, −1/240', expSin, [1, 1, 1 / 2, 0, -1 / 8, -1 / 15, -1 / 240], 1e-14);
const log1p = taylor((x) => x.add(1).log(), 0.5, 6);
check('ln(1 + x) at ½: cₖ = (−1)ᵏ⁺¹ / (k·1.5ᵏ)', log1p, log1p.map((_, k) => (k === 0 ? Math.log(1.5) : (-1) ** (k + 1) / (k * 1.5 ** k))), 1e-14);
finish();
