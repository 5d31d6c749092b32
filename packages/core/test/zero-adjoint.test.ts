// Every op's dual backward rule where its adjoint ȳ is 0 but its R-adjoint R{ȳ} is not: a rule that
// skipped its work on ȳ = 0 would drop R{ȳ}·f′ and get H·v wrong wherever a gradient vanishes. For each
// case f of the op tables, F = (f − f(x₀))² has ȳ = 0 at every node at x₀ and R{ȳ} = 2∇f·v at the
// output, so H_F·v = 2∇f(∇f·v): a closed form from f's gradient alone.
import { describe } from 'vitest';
import { flatten, grad, hvp, jvp, unflatten, type Pytree, type Scalar } from '../src/index.js';
import { eachOpCase } from './op-tables/index.js';
import { expectClose } from './expect-close.js';
describe('every op with a zero adjoint and a nonzero R-adjoint: H·v of (f − f(x₀))² is 2∇f(∇f·v)', () => {
  eachOpCase((c, x, label) => {
    const x0 = flatten(x);
    const f0 = jvp(c.f as never, x, unflatten(x, new Float64Array(x0.length)) as Pytree).value as number;
    const F = (p: never) => (c.f as (p: never) => Scalar)(p).sub(f0).square();
    const g = flatten(grad(c.f as never)(x as never) as Pytree);
    const v = Float64Array.from(x0, (_, k) => Math.cos(k + 1));
    const gv = g.reduce((s, gi, k) => s + gi * v[k], 0);
    const got = flatten(hvp(F as never, x, unflatten(x, v) as Pytree) as Pytree);
    expectClose(got, Float64Array.from(g, (gi) => 2 * gi * gv), 1e-12, label);
  });
});
