// sort, argsort, topK and takeAlongAxis: values and indices against a reference written here (a
// stable index sort with NaN above every number), the conventions at ties, NaN and ±0, derivatives
// against closed forms (a weighted sort's gradient is the weights moved back to where each element
// came from; its Hessian is diagonal; its higher derivatives likewise), finite differences over random
// points (fast-check), compile's branch check, and the errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, BranchChangeError, OptionError, argsort, checkpoint, compile, grad, gradAndHvp, hessian, hvp, median, quantile, sort, takeAlongAxis,
  tensor, topK,
  type Scalar, type Tensor,
} from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';

/** The reference order of one line: indices sorted stably, NaN above every number, −0 = +0. */
function referenceOrder(line: readonly number[], descending: boolean): number[] {
  const key = (v: number) => (Number.isNaN(v) ? Infinity : v);
  const rank = (v: number) => (Number.isNaN(v) ? 1 : 0); // NaN after +∞
  return line
    .map((_, j) => j)
    .sort((p, q) => {
      const a = line[p], b = line[q];
      const c = rank(a) - rank(b) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
      return descending ? -c : c; // Array sort is stable: ties keep index order both ways
    });
}

/** Reference argsort of a tensor's data (shape) along axis, row-major. */
function referenceArgsort(data: ArrayLike<number>, shape: readonly number[], axis: number, descending: boolean, k = shape[axis]): number[] {
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const n = shape[axis];
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const out = new Array<number>(outer * k * inner);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < inner; c++) {
      const line = Array.from({ length: n }, (_, j) => data[(o * n + j) * inner + c]);
      const order = referenceOrder(line, descending);
      for (let j = 0; j < k; j++) out[(o * k + j) * inner + c] = order[j];
    }
  }
  return out;
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>) => expect(Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(Array.from(b, (v) => (Object.is(v, -0) ? '-0' : String(v))));

describe('sort and argsort: values and order', () => {
  it('stable at ties, both directions', () => {
    const x = tensor([2, 1, 2, 1, 3]);
    same(argsort(x), [1, 3, 0, 2, 4]);
    same(argsort(x, -1, { descending: true }), [4, 0, 2, 1, 3]);
    same(sort(x).value as Float64Array, [1, 1, 2, 2, 3]);
    same(sort(x, 0, { descending: true }).value as Float64Array, [3, 2, 2, 1, 1]);
  });

  it('NaN above every number (last ascending, first descending); −0 equal to +0; ±∞ in place', () => {
    const x = tensor([Number.NaN, 1, Number.NaN, -Infinity, 0, -0, Infinity]);
    same(argsort(x), [3, 4, 5, 1, 6, 0, 2]);
    same(sort(x).value as Float64Array, [-Infinity, 0, -0, 1, Infinity, Number.NaN, Number.NaN]);
    same(argsort(x, 0, { descending: true }), [0, 2, 6, 1, 4, 5, 3]);
    const top = topK(x, 3);
    same(top.indices, [0, 2, 6]);
    same(top.values.value as Float64Array, [Number.NaN, Number.NaN, Infinity]);
  });

  it('matches the reference along every axis of random 3-D data with ties and NaN (fast-check)', () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: false }), fc.constant(-0));
    fc.assert(fc.property(
      fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })),
      fc.integer({ min: -3, max: 2 }), fc.boolean(), fc.array(value, { minLength: 36, maxLength: 36 }),
      (shape, axis, descending, pool) => {
        const size = shape[0] * shape[1] * shape[2];
        const data = pool.slice(0, size);
        const x = tensor(Float64Array.from(data), shape);
        const a = axis < 0 ? axis + 3 : axis;
        const want = referenceArgsort(data, shape, a, descending);
        same(argsort(x, axis, { descending }), want);
        same(sort(x, axis, { descending }).value as Float64Array, want.map((j, at) => {
          const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
          const c = at % inner, o = Math.floor(at / (inner * shape[a]));
          return data[(o * shape[a] + j) * inner + c];
        }));
        same(takeAlongAxis(x, argsort(x, axis, { descending }), axis).value as Float64Array, sort(x, axis, { descending }).value as Float64Array);
        const k = Math.min(2, shape[a]);
        const top = topK(x, k, axis);
        same(top.indices, referenceArgsort(data, shape, a, true, k));
        expect(top.values.shape).toEqual(shape.map((d, q) => (q === a ? k : d)));
      },
    ), { numRuns: 200, seed: 11 });
  });

  it('long lines (merged runs): stable with many ties, NaN and ±0, both directions (fast-check)', () => {
    const value = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(Number.NaN), fc.constant(-0), fc.double({ noNaN: true }));
    fc.assert(fc.property(fc.array(value, { minLength: 0, maxLength: 300 }), fc.boolean(), (data, descending) => {
      const x = tensor(Float64Array.from(data), [data.length]);
      same(argsort(x, 0, { descending }), referenceOrder(data, descending));
    }), { numRuns: 300, seed: 12 });
    // Exactly at and around the run length and its doublings.
    for (const n of [15, 16, 17, 31, 32, 33, 64, 65, 1000]) {
      const data = Array.from({ length: n }, (_, j) => (j * 7919) % 13 - 6);
      for (const descending of [false, true]) same(argsort(tensor(data), 0, { descending }), referenceOrder(data, descending));
    }
  });

  it('methods, shapes, k = 0 and an empty axis', () => {
    const m = tensor([[3, 1, 2], [0, 5, 4]]);
    same(m.sort().value as Float64Array, [1, 2, 3, 0, 4, 5]);
    same(m.sort(0, { descending: true }).value as Float64Array, [3, 5, 4, 0, 1, 2]);
    same(m.argsort(1), [1, 2, 0, 0, 2, 1]);
    const top = m.topK(2);
    same(top.values.value as Float64Array, [3, 2, 5, 4]);
    expect(top.values.shape).toEqual([2, 2]);
    expect(m.topK(0).values.shape).toEqual([2, 0]);
    expect(sort(tensor(new Float64Array(0), [2, 0]), 1).shape).toEqual([2, 0]);
    same(m.takeAlongAxis([2, 2, 0, 1], 1).value as Float64Array, [2, 2, 0, 5]); // two per row
    // Nested indices shaped as the result (NumPy's and JAX's form) read as their rows; another shape is refused.
    const nested = takeAlongAxis(m, [[2, 2], [0, 1]], 1);
    same(nested.value as Float64Array, [2, 2, 0, 5]);
    expect(nested.shape).toEqual([2, 2]);
    same(takeAlongAxis(m, [[1, 0, 1]], 0).value as Float64Array, [0, 1, 4]);
    expect(() => takeAlongAxis(m, [[2, 2], [0]], 1)).toThrow(/ragged/);
    // Rows as Int32Arrays (argsort's) too; they were told the indices must be flat.
    same(takeAlongAxis(m, [Int32Array.of(2, 2), Int32Array.of(0, 1)], 1).value as Float64Array, [2, 2, 0, 5]);
    expect(() => takeAlongAxis(m, [[0], [1], [0]], 1)).toThrow(/shape \[2,3\] except along axis 1, got shape \[3,1\]/);
    expect(grad((y: Tensor) => takeAlongAxis(y, [[2, 2], [0, 1]], 1).sum())([[1, 2, 3], [4, 5, 6]] as never)).toEqual(Float64Array.of(0, 0, 2, 1, 1, 0));
    // No other elements ([4, 0] along axis 0): the indices cannot tell the axis's length, which stays
    // x's, so takeAlongAxis(x, argsort(x, a), a) is sort(x, a) there too (NumPy: indices of shape [4, 0]).
    const empty = tensor(new Float64Array(0), [4, 0]);
    expect(takeAlongAxis(empty, argsort(empty, 0), 0).shape).toEqual([4, 0]);
    expect(takeAlongAxis(tensor(new Float64Array(0), [0, 3]), [], 1).shape).toEqual([0, 3]);
  });
});

describe('derivatives', () => {
  const x0 = Float64Array.of(0.3, -1.2, 2.5, 0.9, -0.4);
  const w = Float64Array.of(1, 2, 3, 4, 5);
  const rankOf = (x: Float64Array, descending = false) => {
    const order = referenceOrder(Array.from(x), descending);
    const rank = new Array<number>(x.length);
    order.forEach((i, r) => (rank[i] = r));
    return rank;
  };

  it('Σ wⱼ·sort(x)ⱼ: the gradient is w moved back to where each element came from', () => {
    const f = (x: Tensor) => sort(x).mul(tensor(w)).sum();
    const rank = rankOf(x0);
    same(grad(f)(x0) as Float64Array, rank.map((r) => w[r]));
    const fd = (x: Tensor) => sort(x, 0, { descending: true }).mul(tensor(w)).sum();
    const rankD = rankOf(x0, true);
    same(grad(fd)(x0) as Float64Array, rankD.map((r) => w[r]));
  });

  it('Σ wⱼ·sort(x)ⱼ³: H = diag(6 w_rank xᵢ), third derivatives 6 w_rank, through nested transforms', () => {
    const f = (x: Tensor) => sort(x).pow(3).mul(tensor(w)).sum();
    const rank = rankOf(x0);
    const H = hessian(f, x0) as Float64Array;
    const n = x0.length;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(H[i * n + j]).toBeCloseTo(i === j ? 6 * w[rank[i]] * x0[i] : 0, 12);
    const v = Float64Array.of(0.5, -1, 2, 0.25, 1.5);
    const r = gradAndHvp(f, x0, v);
    for (let i = 0; i < n; i++) expect((r.hvp as Float64Array)[i]).toBeCloseTo(6 * w[rank[i]] * x0[i] * v[i], 12);
    // d/dx of (H·v) along v, by nesting: Σ_k ∂³f/∂xᵢ∂xⱼ∂xₖ vⱼ uₖ = 6 w_rank(i) vᵢ uᵢ.
    const u = Float64Array.of(1, 2, -1, 0.5, 3);
    const third = grad((x: Tensor) => (hvp(f, x, v) as Tensor).mul(tensor(u)).sum())(x0) as Float64Array;
    for (let i = 0; i < n; i++) expect(third[i]).toBeCloseTo(6 * w[rank[i]] * v[i] * u[i], 12);
  });

  it('topK and takeAlongAxis: gradients are the weights scattered back, repeats adding up', () => {
    const f = (x: Tensor) => topK(x, 2).values.mul(tensor([10, 1])).sum();
    same(grad(f)(x0) as Float64Array, [0, 0, 10, 1, 0]); // 2.5 at index 2, then 0.9 at index 3
    const g = (x: Tensor) => takeAlongAxis(x, [4, 4, 0], 0).mul(tensor([1, 2, 3])).sum();
    same(grad(g)(x0) as Float64Array, [3, 0, 0, 0, 3]);
  });

  it('finite differences at random points of distinct values, to third order (checkGrads, fast-check)', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.integer({ min: -40, max: 40 }), { minLength: 6, maxLength: 6 }),
      (ints) => {
        const x = Float64Array.from(ints, (k) => k / 10 + 0.013 * k * k / 100); // distinct, ≥ 0.09 apart
        const f = (p: Tensor) => {
          const m = p.reshape([2, 3]);
          const s = sort(m, 1, { descending: true }).sin().mul(tensor([[1, 2, 3], [4, 5, 6]]));
          return s.sum().add(topK(p, 2).values.square().sum()) as Scalar;
        };
        for (const check of checkGrads(f, x, { order: 3 })) expect(check.passed, `${check.name}: ${check.engine} vs ${check.reference}`).toBe(true);
      },
    ), { numRuns: 25, seed: 5 });
  });

  it('inside checkpoint: the same numbers as without', () => {
    const f = (x: Tensor) => sort(x.sin()).mul(tensor(w)).sum();
    const g = (x: Tensor) => checkpoint((y: Tensor) => sort(y.sin()))(x).mul(tensor(w)).sum();
    const v = Float64Array.of(1, 0, -1, 2, 0.5);
    const a = gradAndHvp(f, x0, v), b = gradAndHvp(g, x0, v);
    same(b.grad as Float64Array, a.grad as Float64Array);
    same(b.hvp as Float64Array, a.hvp as Float64Array);
  });
});

describe('compile: the order is a branch', () => {
  const f = (x: Tensor) => sort(x).mul(tensor([1, 2, 3])).sum();

  it('replays at values in the same order, and reports another order', () => {
    const program = compile(f, Float64Array.of(1, 2, 3), { onBranchChange: 'throw' });
    same(program.valueAndGrad(Float64Array.of(0.5, 1.5, 4)).grad as Float64Array, [1, 2, 3]);
    expect(() => program.valueAndGrad(Float64Array.of(3, 2, 1))).toThrow(BranchChangeError);
  });

  it("with 'rerecord', the gradient at the new order", () => {
    const program = compile(f, Float64Array.of(1, 2, 3));
    same(program.valueAndGrad(Float64Array.of(3, 2, 1)).grad as Float64Array, [3, 2, 1]);
    expect(program.rerecords).toBe(1);
  });
});

describe('errors', () => {
  const x = tensor([3, 1, 2]);
  it('name the problem', () => {
    expect(() => sort(tensor(Float64Array.of(5), []))).toThrow(ArgumentError);
    expect(() => sort(tensor(Float64Array.of(5), []))).toThrow(/0-d/);
    expect(() => sort(x, 1)).toThrow(ArgumentError);
    expect(() => sort(x, 'last' as never)).toThrow(/axis must be one axis/);
    expect(() => sort(x, -1, { decending: true } as never)).toThrow(OptionError);
    expect(() => sort(x, -1, { descending: 'yes' } as never)).toThrow(OptionError);
    expect(() => argsort(x, -1, { reverse: true } as never)).toThrow(OptionError);
    expect(() => topK(x, 4)).toThrow(/k must be an integer from 0 to 3/);
    expect(() => topK(x, 1.5)).toThrow(ArgumentError);
    expect(() => topK(x, -1)).toThrow(ArgumentError);
    expect(() => sort([3, 1] as never)).toThrow(ArgumentError);
    expect(() => takeAlongAxis(tensor([[1, 2], [3, 4]]), [0, 1, 0], 1)).toThrow(/3 indices do not fill/);
    expect(() => takeAlongAxis(x, [0, 3], 0)).toThrow(/out of bounds/);
    expect(() => takeAlongAxis(x, [0.5], 0)).toThrow(/not an integer/);
    expect(() => takeAlongAxis(x, 'abc' as never, 0)).toThrow(/indices must be an Int32Array/);
    expect(() => takeAlongAxis(x, [0], undefined as never)).toThrow(/axis must be a number/);
  });
});

/** NumPy's 'linear' quantile of one line, written from its formula (not from the engine). */
function referenceQuantile(line: readonly number[], q: number): number {
  if (line.some(Number.isNaN)) return Number.NaN;
  const s = [...line].sort((a, b) => a - b);
  const p = q * (s.length - 1), i = Math.floor(p), t = p - i;
  if (t === 0) return s[i];
  const a = s[i], b = s[i + 1], d = b - a;
  return t < 0.5 ? a + d * t : b - d * (1 - t);
}

describe('quantile and median', () => {
  it("NumPy's values (numpy.quantile and numpy.median, printed with repr)", () => {
    const m = tensor([[1, 5, 2, 8], [7, 3, Number.NaN, 0], [4, 4, 4, 1]]);
    same(quantile(m, [0.1, 0.9], 1).value as Float64Array, [1.3, Number.NaN, 1.9000000000000001, 7.1000000000000005, Number.NaN, 4]);
    same(median(m, 0).value as Float64Array, [4, 4, Number.NaN, 1]);
    expect(quantile(tensor([1, 2, 3, 4]), 0.25).value).toBe(1.75);
    expect(median(tensor([3, 1, 4, 1, 5])).value).toBe(3);
  });

  it('matches the formula along any axis, flattened, with keepDims and lists of q (fast-check)', () => {
    const value = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: -4, max: 4 }) }, { weight: 5, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(Number.NaN) });
    fc.assert(fc.property(
      fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 })), fc.array(value, { minLength: 15, maxLength: 15 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }), fc.constantFrom(undefined, 0, 1, -1), fc.boolean(),
      ([r, c], pool, qs, axis, keepDims) => {
        const data = pool.slice(0, r * c);
        const x = tensor(Float64Array.from(data), [r, c]);
        const lines = axis === undefined ? [data] : (axis === 0 ? Array.from({ length: c }, (_, j) => Array.from({ length: r }, (_, i) => data[i * c + j])) : Array.from({ length: r }, (_, i) => data.slice(i * c, (i + 1) * c)));
        const got = quantile(x, qs, axis, keepDims);
        same(got.value as Float64Array, qs.flatMap((q) => lines.map((line) => referenceQuantile(line, q))));
        const lineShape = axis === undefined ? (keepDims ? [1, 1] : []) : keepDims ? [axis === 0 ? 1 : r, axis === 0 ? c : 1] : [axis === 0 ? c : r];
        expect(got.shape).toEqual([qs.length, ...lineShape]);
        const one = quantile(x, qs[0], axis, keepDims);
        if (axis === undefined && !keepDims) expect(one.value).toBe(referenceQuantile(data, qs[0]));
        else expect(one.shape).toEqual(lineShape);
      },
    ), { numRuns: 300, seed: 13 });
  });

  it('the derivative is 1 − t and t on the two neighbouring order statistics; an even median ½ and ½', () => {
    const x = Float64Array.of(4, 1, 3, 2, 10); // sorted 1, 2, 3, 4, 10 (indices 1, 3, 2, 0, 4)
    // q = 0.3: p = 1.2, between s₁ = 2 (index 3, weight 0.8) and s₂ = 3 (index 2, weight 0.2).
    const g = grad((p: Tensor) => quantile(p, 0.3))(x) as Float64Array;
    [0, 0, 0.2, 0.8, 0].forEach((want, i) => expect(g[i]).toBeCloseTo(want, 14));
    same(grad((p: Tensor) => median(p))(x) as Float64Array, [0, 0, 1, 0, 0]);
    same(grad((p: Tensor) => median(p))(Float64Array.of(4, 1, 3, 2)) as Float64Array, [0, 0, 0.5, 0.5]);
    const H = hessian((p: Tensor) => quantile(p.square(), 0.7), x) as Float64Array; // d²/dx² of xᵢ² weights: 2·weight
    const w = grad((p: Tensor) => quantile(p.square(), 0.7))(x) as Float64Array;
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(H[i * 5 + j]).toBeCloseTo(i === j && x[i] !== 0 ? w[i] / x[i] : 0, 12);
  });

  it('finite differences at random points of distinct values, to third order (checkGrads, fast-check)', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.integer({ min: -40, max: 40 }), { minLength: 8, maxLength: 8 }), fc.double({ min: 0, max: 1, noNaN: true }),
      (ints, q) => {
        const x = Float64Array.from(ints, (k) => k / 10);
        const f = (p: Tensor) => quantile(p.reshape([2, 4]).sin(), [q, 1 - q], 1).square().sum().add(median(p).mul(p.at(0))) as Scalar;
        for (const check of checkGrads(f, x, { order: 3 })) expect(check.passed, `${check.name}: ${check.engine} vs ${check.reference}`).toBe(true);
      },
    ), { numRuns: 25, seed: 6 });
  });

  it('compile replays in the same order and reports another', () => {
    const program = compile((p: Tensor) => median(p), Float64Array.of(1, 2, 3), { onBranchChange: 'throw' });
    expect(program.valueAndGrad(Float64Array.of(0, 5, 6)).value).toBe(5);
    expect(() => program.valueAndGrad(Float64Array.of(6, 5, 0))).toThrow(BranchChangeError);
  });

  it('an empty list of q gives an empty leading axis, as numpy.quantile and jnp.quantile (shapes (0, 2), (0,), (0, 1, 3))', () => {
    const x = tensor([[0, 1, 2], [3, 4, 5]]);
    expect(quantile(x, [], 1).shape).toEqual([0, 2]);
    expect(quantile(x, []).shape).toEqual([0]);
    expect(quantile(x, [], 0, true).shape).toEqual([0, 1, 3]);
    expect(grad((p: Tensor) => quantile(p, [], 0).sum().add(p.at(0)))([1, 2, 3])).toEqual(Float64Array.of(1, 0, 0));
  });

  it('errors name the problem', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(() => quantile(x, 90)).toThrow(/not a percentile/);
    expect(() => quantile(x, Number.NaN)).toThrow(ArgumentError);
    expect(() => quantile(x, 'half' as never)).toThrow(/q must be a number/);
    expect(() => quantile(x, [0.5, 2])).toThrow(/\[0, 1\]/);
    expect(() => quantile(x, 0.5, [0, 1] as never)).toThrow(/one axis/);
    expect(() => quantile(x, 0.5, 0, 'yes' as never)).toThrow(/keepDims/);
    expect(() => median(tensor(new Float64Array(0), [2, 0]), 1)).toThrow(/empty/);
    expect(() => median(x, 2)).toThrow(ArgumentError);
  });
});
