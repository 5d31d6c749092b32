// linearize(f, x): f recorded once, then v ↦ J·v by one tangent sweep per call. Checked against jvp
// (which records f with the direction), central differences over random expressions, linearity,
// nested inside another transform, aux, strict mode, and misuse.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FiniteError, NestedTransformError, StaleNodeError, StructureError, grad, hvp, hvpOperator, jacobian, jvp, linearize, tensor,
  type Scalar, type Tensor,
} from '../src/index.js';
import { countingCube } from './counting-cube.js';
import { expectClose } from './expect-close.js';
import { evalM, evalV, matrixExpr, vecOf, vectorExpr } from './random-expressions.js';

const asArray = (u: number | Float64Array) => (typeof u === 'number' ? [u] : Array.from(u));

describe('linearize', () => {
  it('over random expressions (fast-check): each jvp(v) is jvp(f, x, v)’s tangent, and central differences of f along v', () => {
    fc.assert(fc.property(
      fc.oneof(vectorExpr.map((e) => ({ e, tall: false })), matrixExpr.map((e) => ({ e, tall: true }))), vecOf(4, 1.2), vecOf(4, 1), vecOf(4, 1),
      ({ e, tall }, x, u, w) => {
        const f = (v: Tensor) => (tall ? evalM(e as never, v).reshape([-1]) : evalV(e as never, v));
        const lin = linearize(f, x);
        expect(asArray(lin.value)).toEqual(asArray(jvp(f, x, u).value as Float64Array));
        for (const v of [u, w]) {
          const once = asArray(jvp(f, x, v).tangent as Float64Array);
          expectClose(asArray(lin.jvp(v)), once, 1e-14, 'against jvp');
          const h = 1e-6;
          const at = (s: number) => asArray(jvp(f, x.map((xi, k) => xi + s * v[k]), v).value as Float64Array);
          const up = at(h), down = at(-h);
          expectClose(asArray(lin.jvp(v)), up.map((y, i) => (y - down[i]) / (2 * h)), 1e-6, 'against differences');
        }
        // Linear in v: J·(2u − 3w) = 2J·u − 3J·w.
        const Ju = asArray(lin.jvp(u)), Jw = asArray(lin.jvp(w));
        expectClose(asArray(lin.jvp(u.map((a, k) => 2 * a - 3 * w[k]))), Ju.map((a, i) => 2 * a - 3 * Jw[i]), 1e-13, 'linearity');
      },
    ), { numRuns: 40, seed: 17 });
  });

  it('a pytree of a scalar and a vector; a scalar output; the identity (whose result must not be v itself)', () => {
    const x = { s: 0.5, v: [1, -2] };
    const f = (p: { s: Scalar; v: Tensor }) => p.v.mul(p.s).exp();
    const { value, jvp: J } = linearize(f as never, x);
    expectClose(value as Float64Array, [Math.exp(0.5), Math.exp(-1)], 1e-15, 'value');
    // ∂/∂s = v·e^{sv}, ∂/∂v = s·e^{sv}: along (1, [0, 1]).
    expectClose(J({ s: 1, v: [0, 1] }) as Float64Array, [1 * Math.exp(0.5), -2 * Math.exp(-1) + 0.5 * Math.exp(-1)], 1e-15, 'pytree');
    const scalarOut = linearize((t: Tensor) => t.square().sum(), [3, 4]);
    expect(scalarOut.value).toBe(25);
    expect(scalarOut.jvp([1, 1])).toBe(14);
    const identity = linearize((t: Tensor) => t, [1, 2]);
    const v = Float64Array.of(5, 6);
    const first = identity.jvp(v) as Float64Array;
    expect(Array.from(first)).toEqual([5, 6]);
    expect(first).not.toBe(v);
    identity.jvp([7, 8]);
    expect(Array.from(first), 'an earlier result is not overwritten by a later sweep').toEqual([5, 6]);
    expect(linearize(() => 3, [1, 2]).jvp([1, 1])).toBe(0);
  });

  it('hasAux, and nested: grad through Σ (J·v)² by linearize equals the same by jvp', () => {
    const { value, jvp: J, aux } = linearize((t: Tensor) => [t.sin(), t.sum()] as const, [0, 1], { hasAux: true });
    expectClose(value as Float64Array, [0, Math.sin(1)], 1e-16, 'value');
    expectClose(J([1, 1]) as Float64Array, [1, Math.cos(1)], 1e-16, 'jvp');
    expect(aux).toBe(1);
    const f = (t: Tensor) => t.mul(t.at(0)).tanh().concat([t.square()]);
    const v = [0.5, -1, 2];
    const viaLinearize = grad((t: Tensor) => {
      const lin = linearize(f, t);
      return (lin.jvp(v) as unknown as Tensor).square().sum().add((lin.jvp([1, 0, 0]) as unknown as Tensor).sum());
    })([0.3, -0.8, 1.2]) as Float64Array;
    const viaJvp = grad((t: Tensor) => (jvp(f, t, v).tangent as unknown as Tensor).square().sum().add((jvp(f, t, [1, 0, 0]).tangent as unknown as Tensor).sum()))([0.3, -0.8, 1.2]) as Float64Array;
    expectClose(viaLinearize, viaJvp, 1e-14, 'nested');
  });

  it("the tape's own tangent sweeps (linearize's jvp, hvpOperator.apply, jacobian by columns in strict mode) skip work the output does not depend on", () => {
    const calls = { live: 0, side: 0 };
    const counting = (which: 'live' | 'side') => countingCube(`cube ${which}`, (rule) => rule === 'tangent' && calls[which]++);
    const live = counting('live'), side = counting('side');
    const f = (t: Tensor) => {
      side(t.exp()); // computed, never used
      return (live(t) as Tensor).mul(t.at(0));
    };
    const x = [0.5, -1, 2], v = [1, 2, -1];
    const lin = linearize(f, x);
    calls.live = calls.side = 0;
    const Jv = lin.jvp(v) as Float64Array;
    expect([calls.live > 0, calls.side]).toEqual([true, 0]);
    expectClose(Jv, jvp(f, x, v).tangent as Float64Array, 1e-15, 'J·v');
    const op = hvpOperator((t: Tensor) => (f(t) as Tensor).sum(), x);
    calls.live = calls.side = 0;
    const Hv = op.apply(v) as Float64Array;
    expect([calls.live > 0, calls.side]).toEqual([true, 0]);
    expectClose(Hv, hvp((t: Tensor) => (f(t) as Tensor).sum(), x, v) as Float64Array, 1e-14, 'H·v');
    calls.live = calls.side = 0;
    const J = jacobian(f, x, { mode: 'forward', checkFinite: true }) as Float64Array;
    expect([calls.live > 0, calls.side]).toEqual([true, 0]);
    expectClose(J, jacobian(f, x, { mode: 'reverse' }) as Float64Array, 1e-15, 'J');
  });

  it('strict mode, and misuse: a v of another structure, a node v at top level, a nested jvp after its transform ended', () => {
    const strict = linearize((t: Tensor) => t.sqrt(), [0, 1], { checkFinite: true });
    expect(() => strict.jvp([1, 0])).toThrow(FiniteError); // d√t at 0 is ∞
    expect(() => strict.jvp([NaN, 1])).toThrow(FiniteError);
    const lin = linearize((t: Tensor) => t.exp(), [0, 1]);
    expect(() => lin.jvp([1, 2, 3])).toThrow(StructureError);
    expect(() => grad((t: Tensor) => (lin.jvp(t) as never as Tensor).sum())([1, 2])).toThrow(NestedTransformError);
    expect(() => grad((t: Tensor) => (lin.jvp(t) as never as Tensor).sum())([1, 2])).toThrow(/J·v/);
    let escaped: ((v: number[]) => unknown) | null = null;
    grad((t: Tensor) => {
      escaped = linearize((u: Tensor) => u.square(), t).jvp as never;
      return t.sum();
    })([1, 2]);
    expect(() => escaped!([1, 0])).toThrow(StaleNodeError);
    expect(tensor([1]).size).toBe(1);
  });
});
