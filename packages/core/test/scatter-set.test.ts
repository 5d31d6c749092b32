// scatterSet (JAX's x.at[i].set(u)): values against the definition written out, derivatives against
// central differences and closed forms, and its refusals.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArgumentError, ShapeError, compile, grad, hessian, hvp, scatterAdd, scatterSet, tensor, type Tensor } from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';

describe('scatterSet', () => {
  it('writes the updates at the indices and keeps the rest, along any axis, flattened without one (100 random cases)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      (rows, cols, axis, seed) => {
        const n = axis === 0 ? rows : cols;
        // A random subset of the axis, in a random order, some indices negative.
        const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
        const picked = order.slice(0, 1 + (seed % n)).map((k, j) => (j % 2 === 1 ? k - n : k));
        const x = Array.from({ length: rows * cols }, (_, k) => k + 0.5);
        const uShape = axis === 0 ? [picked.length, cols] : [rows, picked.length];
        const u = Array.from({ length: picked.length * (axis === 0 ? cols : rows) }, (_, k) => -100 - k);
        const y = scatterSet(tensor(x, [rows, cols]), picked, tensor(u, uShape), axis).value;
        const want = x.slice();
        picked.forEach((raw, j) => {
          const i = raw < 0 ? raw + n : raw;
          for (let o = 0; o < (axis === 0 ? cols : rows); o++) {
            const at = axis === 0 ? i * cols + o : o * cols + i;
            want[at] = axis === 0 ? u[j * cols + o] : u[o * picked.length + j];
          }
        });
        expect(Array.from(y)).toEqual(want);
      },
    ), { numRuns: 100 });
    expect(Array.from(scatterSet(tensor([[1, 2], [3, 4]]), [3, 0], tensor([9, 8])).value)).toEqual([8, 2, 3, 9]);
    expect(Array.from(tensor([1, 2, 3]).scatterSet([1], 0).value)).toEqual([1, 0, 3]);
  });

  it('derivatives: x̄ is ȳ off the written positions, ū is ȳ at them; second order through a nonlinearity, against closed forms', () => {
    // f = Σ w ⊙ y³ with y = x with y[1] = u², y[3] = v.
    const w = [1, 2, 3, 4];
    const g = (p: { x: Tensor; u: Tensor }) => scatterSet(p.x, [1, 3], p.u.square()).pow(3).mul(tensor(w)).sum();
    const p0 = { x: [0.5, -1, 2, 0.25], u: [0.3, -0.7] };
    const gr = grad(g)(p0) as { x: Float64Array; u: Float64Array };
    expect(Array.from(gr.x)).toEqual([3 * 0.25 * 1, 0, 3 * 4 * 3, 0]);
    // ∂/∂u_j of w_k (u_j²)³ = 6 w_k u_j⁵ (k = 1, 3).
    expect(gr.u[0]).toBeCloseTo(6 * 2 * 0.3 ** 5, 15);
    expect(gr.u[1]).toBeCloseTo(6 * 4 * (-0.7) ** 5, 14);
    const h = hvp(g, p0, { x: [1, 1, 1, 1], u: [1, 1] }) as { x: Float64Array; u: Float64Array };
    expect(Array.from(h.x)).toEqual([6 * 0.5 * 1, 0, 6 * 2 * 3, 0]);
    expect(h.u[0]).toBeCloseTo(30 * 2 * 0.3 ** 4, 14);
    expect(h.u[1]).toBeCloseTo(30 * 4 * 0.7 ** 4, 13);
    for (const c of checkGrads(g, p0, { order: 3 })) expect(c.passed, c.name).toBe(true);
    // Nested: the Hessian of a loss holding ∂f/∂x.
    const nested = (x: Tensor) => (grad((y: Tensor) => scatterSet(y, [0], y.at(2).square()).pow(3).sum())(x) as Tensor).square().sum();
    for (const c of checkGrads(nested, [0.4, 0.3, -0.6], { order: 2 })) expect(c.passed, c.name).toBe(true);
    expect(hessian(nested, [0.4, 0.3, -0.6]).length).toBe(9);
  });

  it('an ∞ or NaN of x at a written position is replaced, not turned into NaN (it was x·0 + u), also under compile', () => {
    expect(Array.from(scatterSet(tensor([Infinity, 1, NaN]), [0, 2], 5).value)).toEqual([5, 1, 5]);
    expect(Array.from(tensor([[Infinity, 1], [2, 3]]).scatterSet([0], 7, 0).value)).toEqual([7, 7, 2, 3]);
    expect(compile((x: Tensor) => scatterSet(x, [0], 1).sum(), [1, 2]).value([Infinity, 2])).toBe(3);
    expect(Array.from(grad((x: Tensor) => scatterSet(x, [1], 5).square().sum())([1, NaN, 3]) as Float64Array)).toEqual([2, 0, 6]);
  });

  it('refuses an index given twice, one out of range, and updates of another shape, named as scatterSet', () => {
    expect(() => scatterSet(tensor([1, 2, 3]), [0, -3], 1)).toThrow(ArgumentError);
    expect(() => scatterSet(tensor([1, 2, 3]), [0, -3], 1)).toThrow(/scatterSet: an index is given more than once/);
    expect(() => scatterSet(tensor([1, 2, 3]), [3], 1)).toThrow(/^scatterSet: index 3/);
    expect(() => scatterSet(tensor([1, 2, 3]), [0, 1], tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => scatterSet(tensor([1, 2, 3]), [0, 1], tensor([1, 2, 3]))).toThrow(/^scatterSet: updates of shape \[3\]/);
    // Updates that are not data are named as the updates (they were "the second operand", the third argument).
    expect(() => scatterSet(tensor([1, 2, 3]), [0], 'a' as never)).toThrow(/^scatterSet: the updates argument is 'a'/);
    expect(() => scatterAdd(tensor([1, 2, 3]), [0], undefined as never)).toThrow(/^scatterAdd: the updates argument is undefined/);
  });
});
