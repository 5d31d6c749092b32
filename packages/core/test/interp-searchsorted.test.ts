// searchSorted and interp: values against NumPy (and interp's gradients against JAX) from
// interp-reference/interp-numpy.py, derivatives against central differences in float64, the mixed
// second derivatives of interp in (x, fp) against their closed form, compiled replays that must
// notice a changed segment, and the typed errors of bad input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, BranchChangeError, OptionError, ShapeError, compile, grad, gradAndHvp, hessian, hvp, interp, scalar, searchSorted,
  tensor, valueAndGrad, type Scalar, type Tensor,
} from '../src/index.js';
import { expectError } from './expect-error.js';

type Encoded = number | 'NaN' | 'Infinity' | '-Infinity';
const dec = (a: Encoded[]) => Float64Array.from(a, (v) => (typeof v === 'number' ? v : Number(v)));
interface SearchCase { sorted: Encoded[]; values: Encoded[]; shape: number[]; left: number[]; right: number[] }
interface InterpCase {
  xp: Encoded[]; fp: Encoded[]; x: Encoded[]; shape: number[]; options: { left?: number; right?: number }; y: Encoded[];
  w: Encoded[]; jax: { x: Encoded[]; gx: Encoded[]; gxp: Encoded[]; gfp: Encoded[] };
}
const reference = JSON.parse(readFileSync(new URL('./interp-reference/interp-numpy.json', import.meta.url), 'utf8')) as {
  searchsorted: SearchCase[]; interp: InterpCase[];
};

/** Central differences of a function of a Float64Array, step h. */
function centralGrad(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  return Float64Array.from(x, (_, k) => {
    const up = x.slice(), down = x.slice();
    up[k] += h;
    down[k] -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

const closeTo = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number) => {
  expect(got.length).toBe(want.length);
  for (let k = 0; k < want.length; k++) expect(Math.abs(got[k] - want[k]), `at ${k}: ${got[k]} vs ${want[k]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[k])));
};

describe('searchSorted', () => {
  it('gives NumPy\'s indices on both sides, NaN last, −0 equal to +0, row-major over values\' shape', () => {
    for (const c of reference.searchsorted) {
      const values = tensor(dec(c.values), c.shape);
      for (const side of ['left', 'right'] as const) {
        expect(Array.from(searchSorted(tensor(dec(c.sorted)), values, { side })), `${side} in ${c.sorted}`).toEqual(c[side]);
        expect(Array.from(searchSorted(Array.from(dec(c.sorted)), Array.from(dec(c.values)), { side }))).toEqual(c[side]);
      }
      expect(Array.from(searchSorted(dec(c.sorted), values))).toEqual(c.left); // side 'left' by default
    }
  });

  it('takes a number or a scalar node as one value', () => {
    expect(Array.from(searchSorted([0, 1, 3, 6], 6, { side: 'right' }))).toEqual([4]);
    expect(Array.from(searchSorted([0, 1, 3, 6], scalar(2)))).toEqual([2]);
    expect(Array.from(searchSorted(tensor([0, 1, 3, 6]), tensor([2, 6, -1])))).toEqual([2, 3, 0]);
  });

  it('is plain data: no derivative flows through the indices, only through what they pick', () => {
    const f = (x: Tensor) => x.take(searchSorted(x, x.at(1).mul(1.5))).square().sum();
    // x = [1, 2, 4]: 3 goes in at 2, so f = x₂² with gradient [0, 0, 8].
    expect(Array.from(grad(f)([1, 2, 4]))).toEqual([0, 0, 8]);
  });

  it('under compile, an index that moves in either operand is a branch change', () => {
    const f = (p: { s: Tensor; v: Tensor }) => p.s.take(searchSorted(p.s, p.v)).mul(p.v).sum();
    const p0 = { s: [0, 1, 2], v: [1.5, -1] };
    const program = compile(f, p0, { onBranchChange: 'throw' });
    const same = { s: [0, 1.2, 2], v: [1.6, -2] };
    expect(program.valueAndGrad(same)).toEqual(valueAndGrad(f)(same));
    expect(() => program.valueAndGrad({ s: [0, 1.6, 2], v: [1.5, -1] })).toThrow(BranchChangeError); // s moved alone
    expect(() => program.valueAndGrad({ s: [0, 1, 2], v: [0.5, -1] })).toThrow(BranchChangeError); // v moved alone
    // Both move, each alone keeping the index: sorted [0, 1.4, 2] with 1.5 stays 2, [0, 1, 2] with
    // 1.3 stays 2, but [0, 1.4, 2] with 1.3 gives 1. One guard of both operands sees it.
    expect(() => program.valueAndGrad({ s: [0, 1.4, 2], v: [1.3, -1] })).toThrow(BranchChangeError);
    // A replay at an unsorted `sorted` is a branch change too (recording there throws ArgumentError).
    expect(() => program.valueAndGrad({ s: [0, 2.5, 2], v: [1.5, -1] })).toThrow(BranchChangeError);
    const rerecording = compile(f, p0);
    const moved = { s: [0, 1.4, 2], v: [1.3, -1] };
    expect(rerecording.valueAndGrad(moved)).toEqual(valueAndGrad(f)(moved));
    expect(rerecording.rerecords).toBe(1);
    expect(() => rerecording.valueAndGrad({ s: [0, 2.5, 2], v: [1.5, -1] })).toThrow(ArgumentError);
  });

  it('refuses bad input with typed errors', () => {
    expectError(() => searchSorted([0, 2, 1], [1]), ArgumentError, 'sorted[2] = 1 follows sorted[1] = 2');
    expectError(() => searchSorted([0, NaN, 1], [1]), ArgumentError, 'must be sorted');
    expectError(() => searchSorted(tensor([[0, 1], [2, 3]]), [1]), ShapeError, 'must be 1-D');
    expectError(() => searchSorted([0, 1], [1], { sides: 'left' } as never), OptionError, "'side'");
    expectError(() => searchSorted([0, 1], [1], { side: 'middle' } as never), OptionError, "'left', 'right'");
    expectError(() => searchSorted('abc' as never, [1]), ArgumentError, 'sorted must be');
    expectError(() => searchSorted([0, 1], 'a' as never), ArgumentError, 'values must be');
    expectError(() => searchSorted(['0', '1'] as never, [1]), ArgumentError, 'sorted[0] must be a number');
    expectError(() => searchSorted([0, 1], [[1]] as never), ArgumentError, 'flat list');
    expectError(() => searchSorted(Int32Array.of(0, 1), [1]), ArgumentError, 'a number[] or a Float64Array'); // data, not indices
    expectError(() => (searchSorted as (...a: unknown[]) => unknown)([0, 1], [1], {}, 'left'), ArgumentError, 'searchSorted(sorted, values, options)');
  });
});

describe('interp', () => {
  it('gives NumPy\'s values bit for bit (knots, fills, NaN, one point), shaped like x', () => {
    for (const [k, c] of reference.interp.entries()) {
      const y = interp(tensor(dec(c.x), c.shape), dec(c.xp), Array.from(dec(c.fp)), c.options);
      expect(y.shape, `case ${k}`).toEqual(c.shape);
      expect(Array.from(y.data), `case ${k}`).toEqual(Array.from(dec(c.y)));
    }
  });

  it('gives JAX\'s gradients in x, xp and fp, knots included', () => {
    for (const [k, c] of reference.interp.entries()) {
      const w = tensor(dec(c.w), c.shape);
      const loss = (p: { x: Tensor; xp: Tensor; fp: Tensor }) => interp(p.x.reshape(c.shape), p.xp, p.fp, c.options).mul(w).sum();
      const g = grad(loss)({ x: dec(c.jax.x), xp: dec(c.xp), fp: dec(c.fp) }) as unknown as Record<string, Float64Array>;
      closeTo(g.x, dec(c.jax.gx), 1e-14);
      closeTo(g.xp, dec(c.jax.gxp), 1e-13);
      closeTo(g.fp, dec(c.jax.gfp), 1e-14);
    }
  });

  it('a scalar x (node or number) gives a scalar; left and right may be nodes', () => {
    expect(interp(1.5, [0, 1, 3], [0, 10, 30]).value).toBe(15);
    const g = grad((p: { x: Scalar; l: Scalar }) => interp(p.x, [0, 1], [2, 4], { left: p.l.mul(3) }))({ x: -1, l: 2 });
    expect(g).toEqual({ x: 0, l: 3 });
    expect(Array.from(grad((fp: Tensor) => interp(scalar(1.5), [0, 1, 3], fp))([0, 10, 30]))).toEqual([0, 0.75, 0.25]);
  });

  it('picks the one-sided derivative from inside the range at knots: the right segment, the left at the last knot', () => {
    const xp = [0, 1, 3], fp = [0, 2, 3]; // slopes 2 and 0.5
    const dx = (x: number) => grad((t: Scalar) => interp(t, xp, fp))(x);
    expect([dx(0), dx(1), dx(3), dx(-1), dx(4), dx(0.5), dx(2)]).toEqual([2, 0.5, 0.5, 0, 0, 2, 0.5]);
  });

  // f(x, xp, fp) = Σ c·sin(interp(x, xp, fp)) + Σ x² · fp₁: smooth away from the knots, so its
  // gradient and H·v in all three arguments match central differences.
  const xp0 = [-1, 0.2, 1, 2.5], fp0 = [0.3, -0.7, 1.1, 0.4];
  const x0 = [[-1.5, -0.4, 0.6], [1.7, 2.2, 3]];
  const flatten = (p: { x: number[][]; xp: number[]; fp: number[] }) => Float64Array.from([...p.x.flat(), ...p.xp, ...p.fp]);
  const unflatten = (v: Float64Array) => ({ x: [Array.from(v.subarray(0, 3)), Array.from(v.subarray(3, 6))], xp: Array.from(v.subarray(6, 10)), fp: Array.from(v.subarray(10, 14)) });
  const weights = tensor([[1, 0.5, -2], [0.25, 1.5, 3]]);
  const f = (p: { x: Tensor; xp: Tensor; fp: Tensor }) =>
    interp(p.x, p.xp, p.fp).sin().mul(weights).sum().add(p.x.square().sum().mul(p.fp.at(1)));
  type Loss = (p: { x: Tensor; xp: Tensor; fp: Tensor }) => Scalar;
  // A loss of (x, xp, fp) as functions of one flat vector: its value and its flattened gradient.
  const onFlat = (loss: Loss) => ({
    value: (v: Float64Array): number => valueAndGrad(loss)(unflatten(v) as never).value as unknown as number,
    grad: (v: Float64Array) => {
      const g = grad(loss)(unflatten(v) as never) as unknown as { x: Float64Array; xp: Float64Array; fp: Float64Array };
      return Float64Array.from([...g.x, ...g.xp, ...g.fp]);
    },
  });
  // ∇ against central differences of the value, H·v against central differences of ∇ along `turn`.
  const matchesDifferences = (loss: Loss, point: { x: number[][]; xp: number[]; fp: number[] }, turn: (k: number) => number) => {
    const { value, grad: gradient } = onFlat(loss);
    const v0 = flatten(point);
    closeTo(gradient(v0), centralGrad(value, v0), 1e-8);
    const direction = Float64Array.from(v0, (_, k) => turn(k + 1));
    const hv = hvp(loss, point, unflatten(direction) as never) as unknown as { x: Float64Array; xp: Float64Array; fp: Float64Array };
    const h = 1e-6;
    const up = gradient(v0.map((e, k) => e + h * direction[k])), down = gradient(v0.map((e, k) => e - h * direction[k]));
    closeTo(Float64Array.from([...hv.x, ...hv.xp, ...hv.fp]), up.map((e, k) => (e - down[k]) / (2 * h)), 1e-7);
  };

  it('gradient and H·v in (x, xp, fp) match central differences in float64', () => {
    matchesDifferences(f, { x: x0, xp: xp0, fp: fp0 }, Math.sin);
  });

  it('second derivative in x is 0 inside a segment; mixed (x, fp) second derivatives are ∓1/h of the segment', () => {
    const xp = [0, 0.5, 2, 3];
    const p = (v: Tensor) => interp(v.at(0), xp, v.slice(1, 5));
    // x = 1.2 in segment [0.5, 2] (h = 1.5): ∂²y/∂x∂fp = [0, −1/1.5, 1/1.5, 0], ∂²y/∂x² = 0, ∂²y/∂fp² = 0.
    const H = hessian(p, [1.2, 1, -1, 4, 2]);
    const row0 = Array.from(H.subarray(0, 5));
    closeTo(row0, [0, 0, -1 / 1.5, 1 / 1.5, 0], 1e-15);
    for (let r = 1; r < 5; r++) expect(Array.from(H.subarray(r * 5 + 1, r * 5 + 5))).toEqual([0, 0, 0, 0]); // fp × fp
    // Column 0 is row 0 (symmetry).
    closeTo(Array.from({ length: 5 }, (_, r) => H[r * 5]), row0, 1e-15);
    // Outside the range: the fill fp[0] does not depend on x, so every mixed derivative is 0.
    expect(Array.from(hessian(p, [-1, 1, -1, 4, 2]))).toEqual(new Array(25).fill(0));
    // Through a nonlinear use, gradAndHvp matches the closed form: f = y², ∂f/∂x = 2y·s, and
    // H·eₓ = (2s², 2s·∂y/∂fp + 2y·∂s/∂fp).
    const f2 = (v: Tensor) => p(v).square();
    const at = [1.2, 1, -1, 4, 2], s = (4 - -1) / 1.5, y = -1 + s * (1.2 - 0.5), t = (1.2 - 0.5) / 1.5;
    const r = gradAndHvp(f2, at, [1, 0, 0, 0, 0]);
    closeTo(Array.from(r.hvp), [2 * s * s, 0, 2 * s * (1 - t) + 2 * y * (-1 / 1.5), 2 * s * t + 2 * y * (1 / 1.5), 0], 1e-14);
  });

  it('under compile, a replay where x changes segment is a branch change; within a segment it replays', () => {
    const f = (p: { x: Tensor; fp: Tensor }) => interp(p.x, [0, 1, 2, 3], p.fp).square().sum();
    const p0 = { x: [0.5, 2.5], fp: [1, 3, 2, 5] };
    const program = compile(f, p0, { onBranchChange: 'throw' });
    const same = { x: [0.25, 2.75], fp: [0, 1, 2, 3] };
    expect(program.gradAndHvp(same, { x: [1, 1], fp: [1, 0, 0, 1] })).toEqual(gradAndHvp(f, same, { x: [1, 1], fp: [1, 0, 0, 1] }));
    expect(() => program.valueAndGrad({ x: [1.5, 2.5], fp: [1, 3, 2, 5] })).toThrow(BranchChangeError); // segment 0 → 1
    expect(() => program.valueAndGrad({ x: [0.5, 3.5], fp: [1, 3, 2, 5] })).toThrow(BranchChangeError); // out of range
    expect(() => program.valueAndGrad({ x: [1, 2.5], fp: [1, 3, 2, 5] })).toThrow(BranchChangeError); // onto a knot
    const rerecording = compile(f, p0);
    for (const p of [{ x: [1.5, -1], fp: [1, 3, 2, 5] }, { x: [3, 0], fp: [1, 2, 3, 4] }]) {
      expect(rerecording.valueAndGrad(p)).toEqual(valueAndGrad(f)(p));
    }
    expect(rerecording.rerecords).toBe(2);
    // With xp a node too: moving the knots under a fixed x is a branch change, and so is an xp that
    // stops increasing (recording there would throw).
    const g = (p: { x: Tensor; xp: Tensor }) => interp(p.x, p.xp, [1, 3, 2]).sum();
    const both = compile(g, { x: [0.5], xp: [0, 1, 2] }, { onBranchChange: 'throw' });
    expect(both.valueAndGrad({ x: [0.5], xp: [0, 0.9, 2] })).toEqual(valueAndGrad(g)({ x: [0.5], xp: [0, 0.9, 2] }));
    expect(() => both.valueAndGrad({ x: [0.5], xp: [0, 0.4, 2] })).toThrow(BranchChangeError);
    expect(() => both.valueAndGrad({ x: [0.5], xp: [0, 1, 1] })).toThrow(BranchChangeError);
  });

  // The periodic form, period 2: xp unsorted (mod 2: 1.9, 1.5, 0.4, 1.1, sorted 0.4, 1.1, 1.5, 1.9),
  // x on both sides of 0 and beyond 2, two of them in the segment that wraps from 1.9 to 0.4 + 2.
  const pxp0 = [1.9, -0.5, 0.4, 3.1], pfp0 = [0.3, -0.7, 1.1, 0.4];
  const px0 = [[-0.05, 0.2, 2.7], [-1.2, 5.3, 1.6]];
  const periodic = (p: { x: Tensor; xp: Tensor; fp: Tensor }) =>
    interp(p.x, p.xp, p.fp, { period: -2 }).sin().mul(weights).sum().add(p.x.square().sum().mul(p.fp.at(1)));

  it('with a period: gradient and H·v in (x, xp, fp) match central differences in float64', () => {
    matchesDifferences(periodic, { x: px0, xp: pxp0, fp: pfp0 }, Math.cos);
  });

  it('with a period: the wrapping segment joins the last knot to the first, in value and derivative', () => {
    // Knots mod 4: 3 (fp 6) and 1 (fp 2); x = 3.5 and x = −0.5 (= 3.5) lie between 3 and 1 + 4.
    const y = (x: number) => interp(x, [3, 5], [6, 2], { period: 4 }).value;
    expect([y(3.5), y(-0.5), y(0), y(4), y(1), y(3)]).toEqual([5, 5, 4, 4, 2, 6]);
    const g = grad((p: { x: Scalar; fp: Tensor }) => interp(p.x, [3, 5], p.fp, { period: 4 }))({ x: 3.5, fp: [6, 2] });
    expect(g.x).toBe(-2);
    expect(Array.from(g.fp)).toEqual([0.75, 0.25]);
    // At a knot, the segment to its right, as without a period (there is always one).
    expect(grad((x: Scalar) => interp(x, [3, 5], [6, 2], { period: 4 }))(1)).toBe(2);
    expect(grad((x: Scalar) => interp(x, [3, 5], [6, 2], { period: 4 }))(3)).toBe(-2);
  });

  it('with a period, under compile: a change of segment, of the wrap of x or of the order of xp is a branch change', () => {
    const f = (p: { x: Tensor; xp: Tensor; fp: Tensor }) => interp(p.x, p.xp, p.fp, { period: 2 }).square().sum();
    const p0 = { x: [-0.05, 2.7], xp: pxp0, fp: pfp0 };
    const program = compile(f, p0, { onBranchChange: 'throw' });
    const same = { x: [-0.1, 2.65], xp: [1.85, -0.45, 0.35, 3.05], fp: [1, 2, 3, 4] };
    const v = { x: [1, -1], xp: [0.5, 1, -1, 2], fp: [1, 0, 0, 1] };
    expect(program.gradAndHvp(same, v)).toEqual(gradAndHvp(f, same, v));
    expect(() => program.valueAndGrad({ ...p0, x: [-0.05, 3.2] })).toThrow(BranchChangeError); // 0.7 → 1.2: another segment
    expect(() => program.valueAndGrad({ ...p0, x: [0.1, 2.7] })).toThrow(BranchChangeError); // across 0: the wrap of x
    expect(() => program.valueAndGrad({ ...p0, xp: [1.9, -0.5, 1.6, 3.1] })).toThrow(BranchChangeError); // xp's order
    expect(() => program.valueAndGrad({ ...p0, xp: [1.9, -0.1, 0.4, 3.1] })).toThrow(BranchChangeError); // two knots at 1.9
    const rerecording = compile(f, p0);
    for (const p of [{ ...p0, x: [0.1, 3.2] }, { ...p0, xp: [1.9, -0.5, 1.6, 3.1] }]) expect(rerecording.valueAndGrad(p)).toEqual(valueAndGrad(f)(p));
    expect(rerecording.rerecords).toBe(2);
  });

  it('with a period: typed errors for a bad period, fills beside it, and knots that coincide modulo it', () => {
    for (const period of [0, -0, NaN, Infinity, '360', [360]]) {
      expectError(() => interp([1], [0, 1], [1, 2], { period } as never), OptionError, "option 'period' must be a nonzero finite number");
    }
    expectError(() => interp([1], [0, 90], [1, 2], { period: 360, left: 0 }), OptionError, "option 'left' cannot be given with 'period'", 'NumPy ignores it');
    expectError(() => interp([1], [0, 90], [1, 2], { period: 360, right: 'extrapolate' }), OptionError, "option 'right' cannot be given with 'period'");
    expect(interp(1, [0, 90], [1, 2], { period: 360, left: undefined }).value).toBe(1 + 1 / 90); // undefined: left out
    expectError(() => interp([1], [0, 90, 360], [1, 2, 1], { period: 360 }), ArgumentError,
      'xp[0] = 0 and xp[2] = 360 fall on the same point modulo 360', 'give each point of the period once');
    expectError(() => interp([1], [10, -350], [1, 2], { period: 360 }), ArgumentError, 'xp[0] = 10 and xp[1] = -350');
    expectError(() => interp([1], [0, Infinity], [1, 2], { period: 360 }), ArgumentError, 'xp[1] is Infinity', 'xp must be finite');
    expectError(() => interp([1], [NaN, 1], [1, 2], { period: 360 }), ArgumentError, 'xp[0] is NaN');
    // Unsorted xp is fine with a period; without one, the error says how to sort it.
    expect(interp(45, [90, 0], [2, 1], { period: 360 }).value).toBe(1.5);
    expectError(() => interp(45, [90, 0], [2, 1]), ArgumentError, 'xp[1] = 0 follows xp[0] = 90', 'argsort(xp)');
  });

  it('refuses bad input with typed errors', () => {
    expectError(() => interp([1], [0, 2, 1], [1, 2, 3]), ArgumentError, 'strictly increasing', 'xp[2] = 1 follows xp[1] = 2');
    expectError(() => interp([1], [0, 1, 1], [1, 2, 3]), ArgumentError, 'strictly increasing');
    expectError(() => interp([1], [NaN, 1], [1, 2]), ArgumentError, 'xp[0] is NaN');
    expectError(() => interp([1], [0, 1, 2], [1, 2]), ShapeError, 'same length', '3 and 2');
    expectError(() => interp([1], [], []), ArgumentError, 'xp is empty');
    expectError(() => interp([1], tensor([[0, 1]]), [1, 2]), ShapeError, 'xp must be 1-D');
    expectError(() => interp([1], [0, 1], tensor([[1], [2]])), ShapeError, 'fp must be 1-D');
    expectError(() => interp([1], [0, 1], [1, 2], { rigth: 0 } as never), OptionError, "'right'");
    expectError(() => interp([1], [0, 1], [1, 2], { perod: 1 } as never), OptionError, "did you mean 'period'");
    expectError(() => interp([1], [0, 1], [1, 2], { left: '0' } as never), OptionError, "a number, a scalar node or 'extrapolate'");
    expectError(() => interp('1' as never, [0, 1], [1, 2]), ArgumentError, 'x must be');
    expectError(() => interp([1], 'ab' as never, [1, 2]), ArgumentError, 'xp must be');
    expectError(() => (interp as (...a: unknown[]) => unknown)([1], [0, 1], [1, 2], {}, 0), ArgumentError, 'interp(x, xp, fp, options)');
  });
});
