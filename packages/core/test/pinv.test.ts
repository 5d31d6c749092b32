// pinv against NumPy's numbers (numpy 2.4.6, `np.linalg.pinv(a, rcond=10·max(m, n)·2⁻⁵²)`), the four
// Penrose conditions at random sizes and ranks, its derivatives against an independent composition
// ((AᵀA)⁻¹Aᵀ through inv, for full column rank) and JAX's `grad`/`jvp(grad)` of `jnp.linalg.pinv` at a
// rank-deficient point (jax 0.10.2, float64), finite differences along rank-preserving paths
// (A = B·Cᵀ), repeated singular values, compiled replays, NaN and misuse.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ops from '../src/ops/index.js';
import { ArgumentError, ShapeError, compile, gradAndHvp, grad, hvp, tensor, type Tensor } from '../src/index.js';
import { OptionError } from '../src/options.js';
import { checkGrads } from '../src/testing/index.js';

type Matrix = number[][];
const rows = (data: ArrayLike<number>, n: number, m: number): Matrix =>
  Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => data[i * m + j]));
const times = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const transposed = (a: Matrix): Matrix => a[0].map((_, j) => a.map((row) => row[j]));
const maxAbs = (a: Matrix) => Math.max(...a.flat().map(Math.abs));
const distance = (a: Matrix, b: Matrix) => Math.max(...a.flat().map((v, k) => Math.abs(v - b.flat()[k])));
const pinvOf = (a: Matrix): Matrix => rows(ops.pinv(tensor(a)).value, a[0].length, a.length);
const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number) => {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k] - expected[k])).toBeLessThanOrEqual(tol * scale);
};

describe('pinv: values', () => {
  // np.linalg.pinv with JAX's default cutoff, rounded to 17 digits.
  const numpy: Array<[string, Matrix | Matrix[], number[]]> = [
    ['tall', [[1, 2], [3, 4], [5, 6]], [-1.3333333333333337, -0.3333333333333329, 0.6666666666666666, 1.083333333333334, 0.33333333333333304, -0.41666666666666674]],
    ['wide', [[1, 3, 5], [2, 4, 6]], [-1.3333333333333324, 1.0833333333333324, -0.3333333333333325, 0.33333333333333254, 0.6666666666666656, -0.41666666666666585]],
    ['rank one', [[1, 2, 3], [2, 4, 6], [3, 6, 9]], [0.00510204081632653, 0.01020408163265306, 0.01530612244897959, 0.01020408163265306, 0.02040816326530612, 0.03061224489795918, 0.0153061224489796, 0.03061224489795919, 0.04591836734693878]],
    ['singular square', [[2, 1, 0], [1, 3, 1], [3, 4, 1]], [0.4333333333333332, -0.29999999999999993, 0.13333333333333336, -0.19999999999999996, 0.26666666666666666, 0.06666666666666667, -0.16666666666666663, 0.16666666666666663, 0]],
    ['a stack [2, 2, 3]', [[[1, 0, 2], [0, 1, 1]], [[2, 1, 1], [1, 2, -1]]], [0.3333333333333331, -0.3333333333333332, -0.3333333333333332, 0.8333333333333331, 0.333333333333333, 0.16666666666666669, 0.3333333333333331, 0, -1e-17, 0.33333333333333315, 0.3333333333333331, -0.33333333333333315]],
  ];
  for (const [name, a, expected] of numpy) {
    it(`${name}: NumPy's numbers`, () => {
      const p = ops.pinv(tensor(a as number[][]));
      const s = tensor(a as number[][]).shape;
      expect(p.shape).toEqual([...s.slice(0, -2), s[s.length - 1], s[s.length - 2]]);
      close(p.value, expected, 1e-14);
    });
  }

  it('the cutoff: rtol·σ_max drops a singular value, as NumPy', () => {
    const a = tensor([[1, 0], [0, 1e-12]]);
    expect(Array.from(ops.pinv(a).value)).toEqual([1, 0, 0, 1e12]);
    expect(Array.from(ops.pinv(a, { rtol: 1e-10 }).value)).toEqual([1, 0, 0, 0]);
    // At the cutoff exactly: dropped (NumPy: "less than or equal").
    expect(Array.from(ops.pinv(tensor([[2, 0], [0, 1]]), { rtol: 0.5 }).value)).toEqual([0.5, 0, 0, 0]);
  });

  it('zero, empty and non-finite matrices', () => {
    expect(Array.from(ops.pinv(tensor([[0, 0, 0], [0, 0, 0]])).value)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(ops.pinv(tensor(new Float64Array(0), [0, 3])).shape).toEqual([3, 0]);
    expect(ops.pinv(tensor(new Float64Array(0), [2, 0, 3])).shape).toEqual([2, 3, 0]);
    const p = ops.pinv(tensor([[1, NaN], [0, 1], [1, 1], [1, 0], [2, 2], [0, 0]], [2, 2, 3] as never));
    expect(Array.from(p.value.subarray(0, 6)).every(Number.isNaN)).toBe(true);
    expect(Array.from(ops.pinv(tensor([[1, Infinity], [0, 1]])).value).every(Number.isNaN)).toBe(true);
  });

  it('the Penrose conditions at random sizes and ranks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 72, maxLength: 72 }),
        (m, n, rank, xs) => {
          const r = Math.min(rank, m, n);
          const B = rows(xs, m, r), C = rows(xs.slice(36), n, r);
          const A = times(B, transposed(C)); // rank ≤ r
          if (maxAbs(A) < 1e-3) return;
          const P = pinvOf(A);
          const scale = maxAbs(A) * maxAbs(P);
          // Loose against the conditioning of a random product; a wrong formula is off by O(1).
          const tol = 1e-8 * Math.max(1, scale * scale);
          expect(distance(times(times(A, P), A), A)).toBeLessThanOrEqual(tol * maxAbs(A));
          expect(distance(times(times(P, A), P), P)).toBeLessThanOrEqual(tol * maxAbs(P));
          const AP = times(A, P), PA = times(P, A);
          expect(distance(AP, transposed(AP))).toBeLessThanOrEqual(tol);
          expect(distance(PA, transposed(PA))).toBeLessThanOrEqual(tol);
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });

  it('full column rank: (AᵀA)⁻¹Aᵀ, so pinv(A)·b is the least-squares solution', () => {
    const A = tensor([[1, 2], [0, 1], [3, -1], [2, 2]]);
    const b = tensor([1, 0, 2, -1]);
    const x = ops.pinv(A).matmul(b);
    const normal = ops.solve(A.transpose().matmul(A), A.transpose().matmul(b));
    close(x.value, normal.value, 1e-14);
  });
});

describe('pinv: derivatives', () => {
  const v6 = [0.3, -1, 0.2, 0.7, -0.4, 0.1];
  const x6 = [1, 2, 3, 4, 5, 6.5];
  /** ∇f, H·v and ∇(1ᵀH·v) of f through pinv and through an independent composition. */
  const compare = (viaPinv: (x: Tensor) => Tensor, viaInv: (x: Tensor) => Tensor, x: number[], v: number[]) => {
    const a = gradAndHvp((p: Tensor) => viaPinv(p).sin().sum(), x, v);
    const b = gradAndHvp((p: Tensor) => viaInv(p).sin().sum(), x, v);
    close([a.value as number], [b.value as number], 1e-12);
    close(a.grad as Float64Array, b.grad as Float64Array, 1e-11);
    close(a.hvp as Float64Array, b.hvp as Float64Array, 1e-11);
    const third = (f: (p: Tensor) => Tensor) => grad((p: Tensor) => (hvp((q: Tensor) => f(q).sin().sum(), p, v) as Tensor).sum())(x) as Float64Array;
    close(third(viaPinv), third(viaInv), 1e-10);
  };

  it('tall, full column rank: as inv(AᵀA)·Aᵀ, to third order', () => {
    compare((p) => ops.pinv(p.reshape([3, 2])), (p) => { const a = p.reshape([3, 2]); return ops.inv(a.transpose().matmul(a)).matmul(a.transpose()); }, x6, v6);
  });

  it('wide, full row rank: as Aᵀ·inv(A·Aᵀ), to third order', () => {
    compare((p) => ops.pinv(p.reshape([2, 3])), (p) => { const a = p.reshape([2, 3]); return a.transpose().matmul(ops.inv(a.matmul(a.transpose()))); }, x6, v6);
  });

  it('square at repeated singular values (A = 2I): as inv, where the singular vectors have no derivative', () => {
    const x = [2, 0, 0, 0, 2, 0, 0, 0, 2];
    const v = [0.3, -0.2, 0.1, 0.5, 0.4, -0.6, 0.2, 0.1, 0.7];
    compare((p) => ops.pinv(p.reshape([3, 3])), (p) => ops.inv(p.reshape([3, 3])), x, v);
  });

  it("rank deficient: JAX's grad and jvp(grad) of sum(sin(pinv(A))) at a rank-2 3×3 matrix", () => {
    const A = [1, 3, 3, 0.5, -0.5, -2.5, 2, 3, 0];
    const V = [0.3, -0.2, 0.1, 0.5, 0.4, -0.6, 0.2, 0.1, 0.7];
    const r = gradAndHvp((a: Tensor) => ops.pinv(a.reshape([3, 3])).sin().sum(), A, V);
    close([r.value as number], [0.3503569280168375], 1e-14);
    close(r.grad as Float64Array, [
      -0.046816290036728256, -0.043348652940980885, 0.05180499509891551, 0.061109290728445585, 0.02381287103391977,
      0.009402943441761102, -0.010049333257685629, -0.10112172980116506, 0.04312893909797979,
    ], 1e-12);
    close(r.hvp as Float64Array, [
      0.0033343614177026677, -0.0033142703128937424, -0.010624053524287226, -0.012828274365755338, -0.0306272773394192,
      -0.0019427519881086205, -0.04233143882395511, 0.0012042473063866165, -0.002899214249118126,
    ], 1e-11);
  });

  it('rank deficient: finite differences along rank-preserving paths A = B·Cᵀ, to fourth order', () => {
    // 4×3 of rank 2 and 3×4 of rank 1: every point checkGrads visits keeps the rank.
    const f = (p: { b: Tensor; c: Tensor }) => ops.pinv(p.b.reshape([4, 2]).matmul(p.c.reshape([3, 2]).transpose())).tanh().sum();
    const x = { b: [1, 0.5, -0.3, 2, 0.7, -1, 1.2, 0.4], c: [0.9, -0.2, 0.3, 1.1, -0.8, 0.6] };
    for (const check of checkGrads(f as never, x as never, { order: 4, directions: 2, seed: 3, fdTolerance: 1e-5 })) expect(check.passed, check.name).toBe(true);
    const g = (p: { b: Tensor; c: Tensor }) => ops.pinv(p.b.reshape([3, 1]).matmul(p.c.reshape([4, 1]).transpose())).square().sum();
    for (const check of checkGrads(g as never, { b: [1, -2, 0.5], c: [0.3, 1, -0.7, 2] } as never, { order: 3, seed: 4 })) expect(check.passed, check.name).toBe(true);
  });

  it('ill-conditioned full rank: third derivatives as accurate as inv\'s (the vanishing terms are left out; found by a probe)', () => {
    // The 4×4 Hilbert matrix, κ ≈ 1.6e4: pinv = inv there, and so are all their derivatives. With the
    // terms I − P·A and I − A·P computed (rounding noise of κ·ε times ‖P‖²) the third derivative was
    // 1e-4 off.
    const hilbert = Array.from({ length: 16 }, (_, k) => 1 / (Math.floor(k / 4) + (k % 4) + 1));
    const v = Array.from({ length: 16 }, (_, k) => Math.sin(k + 1));
    const W = tensor(Array.from({ length: 16 }, (_, k) => Math.cos(2 * k)), [4, 4]);
    const third = (f: (a: Tensor) => Tensor) =>
      grad((x: Tensor) => (hvp((a: Tensor) => f(a.reshape([4, 4])).mul(W).sum(), x, v) as Tensor).sum())(hilbert) as Float64Array;
    const viaPinv = third((a) => ops.pinv(a)), viaInv = third((a) => ops.inv(a));
    close(viaPinv, viaInv, 1e-9);
  });

  it('a stack, with derivatives matrix by matrix', () => {
    const f = (x: Tensor) => ops.pinv(x.reshape([2, 3, 2])).mul(tensor([1, -2, 0.5, 3, 1, 1], [2, 3])).sum();
    for (const check of checkGrads(f, [1, 2, 0, 1, 1, 0, 2, 1, -1, 1, 0.5, 3], { order: 3, seed: 5 })) expect(check.passed, check.name).toBe(true);
  });

  it('a compiled replay recomputes the SVD at new values, also where the rank differs', () => {
    const f = (x: Tensor) => ops.pinv(x.reshape([2, 2])).sin().sum();
    const program = compile(f, [1, 2, 3, 4]);
    // Rank 1, A = σ·u·vᵀ: A⁺ = Aᵀ/σ² = Aᵀ/‖A‖²_F.
    const replayed = program.valueAndGrad([1, 2, 2, 4]);
    expect(Math.abs((replayed.value as number) - [1, 2, 2, 4].reduce((s, e) => s + Math.sin(e / 25), 0))).toBeLessThan(1e-15);
    const recorded = gradAndHvp(f, [1, 2, 2, 4], [1, 0, 0, 0]);
    close(replayed.grad as Float64Array, recorded.grad as Float64Array, 1e-15);
    expect(Math.abs((program.valueAndGrad([2, 0, 0, 4]).value as number) - (Math.sin(0.5) + Math.sin(0.25)))).toBeLessThan(1e-15);
  });
});

describe('pinv: misuse', () => {
  it('names the problem', () => {
    expect(() => ops.pinv(tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => ops.pinv(tensor([1, 2, 3]))).toThrow(/pinv: the matrix has shape \[3\]/);
    expect(() => ops.pinv(tensor([[1, 2]]), { rtol: -1 })).toThrow(OptionError);
    expect(() => ops.pinv(tensor([[1, 2]]), { rcond: 1e-3 } as never)).toThrow(/unknown option 'rcond'/);
    expect(() => ops.pinv(tensor([[1, 2]]), { rtol: NaN })).toThrow(OptionError);
    expect(() => (ops.pinv as (...a: unknown[]) => unknown)(tensor([[1, 2]]), {}, true)).toThrow(ArgumentError);
    // Every further argument, not only the third; the method refuses them too.
    expect(() => (ops.pinv as (...a: unknown[]) => unknown)(tensor([[1, 2]]), {}, undefined, 1)).toThrow(/pinv: takes the matrix and an options object/);
    expect(() => (tensor([[1, 2]]).pinv as (...a: unknown[]) => unknown)({}, 3)).toThrow(/pinv: .* further argument 3/);
    expect(() => ops.pinv([[1, 2]] as never)).toThrow(/pinv: expected a tensor, got/);
  });
});

describe('lstsq', () => {
  // jnp.linalg.lstsq (jax 0.10.2, float64, default rcond): x, residuals (JAX's default: always), rank, s.
  it("JAX's numbers: a line through three points", () => {
    const { x, residuals, rank, s } = ops.lstsq(tensor([[1, 0], [1, 1], [1, 2]]), tensor([1, 2, 2]));
    close(x.value, [1.166666666666666, 0.4999999999999999], 1e-15);
    expect(residuals.shape).toEqual([1]);
    close(residuals.value, [0.16666666666666666], 1e-14);
    expect(rank).toBe(2);
    close(s.value, [2.6762431989952598, 0.9152717300515844], 1e-15);
  });

  it("JAX's numbers: rank deficient, two right-hand sides (the minimum-norm solution)", () => {
    const { x, residuals, rank, s } = ops.lstsq([[1, 2, 3], [2, 4, 6], [1, 0, 1], [0, 1, 1]], tensor([[1, 0], [2, 1], [0.5, 2], [1, -1]]));
    expect(x.shape).toEqual([3, 2]);
    close(x.value, [0, 1.6666666666666685, 0.2115384615384617, -1.256410256410257, 0.2115384615384613, 0.4102564102564103], 1e-14);
    close(residuals.value, [0.43269230769230765, 0.23076923076923078], 1e-14);
    expect(rank).toBe(2);
    close(s.value.subarray(0, 2), [8.539934920503985, 1.0341719168284522], 1e-14);
  });

  it("JAX's numbers: underdetermined (wide), where the residual is 0", () => {
    const { x, residuals, rank } = ops.lstsq(tensor([[1, 2, 3], [4, 5, 6.5]]), tensor([1, 2]));
    close(x.value, [-0.13294797687861304, 0.11560693641618502, 0.3005780346820811], 1e-14);
    expect(residuals.value[0]).toBeLessThan(1e-28);
    expect(rank).toBe(2);
  });

  it('rcond moves the rank', () => {
    const a = tensor([[1, 0], [0, 1e-9], [0, 0]]);
    expect(ops.lstsq(a, tensor([1, 1, 1])).rank).toBe(2);
    const cut = ops.lstsq(a, tensor([1, 1, 1]), { rcond: 1e-6 });
    expect(cut.rank).toBe(1);
    expect(Array.from(cut.x.value)).toEqual([1, 0]);
  });

  it('derivatives in A and b: finite differences to third order, and the normal equations at full rank', () => {
    const f = (p: { a: Tensor; b: Tensor }) => {
      const r = ops.lstsq(p.a.reshape([4, 2]), p.b.reshape([4, 2]));
      return r.x.sin().sum().add(r.residuals.sum());
    };
    const x = { a: [1, 0.5, -0.3, 2, 0.7, -1, 1.2, 0.4], b: [0.3, 1, -0.5, 2, 1.5, 0.2, -1, 0.8] };
    for (const check of checkGrads(f as never, x as never, { order: 3, seed: 6 })) expect(check.passed, check.name).toBe(true);
    const viaNormal = (p: { a: Tensor; b: Tensor }) => {
      const a = p.a.reshape([4, 2]), b = p.b.reshape([4, 2]);
      const xs = ops.solve(a.transpose().matmul(a), a.transpose().matmul(b));
      return xs.sin().sum().add(b.sub(a.matmul(xs)).square().sum());
    };
    const v = { a: [1, -1, 0.5, 0.2, 0.3, 0.1, -0.4, 0.6], b: [0.2, -0.1, 0.3, 0.5, -0.7, 0.4, 0.1, 0.9] };
    const mine = gradAndHvp(f as never, x as never, v as never) as unknown as { grad: { a: Float64Array; b: Float64Array }; hvp: { a: Float64Array; b: Float64Array } };
    const theirs = gradAndHvp(viaNormal as never, x as never, v as never) as unknown as typeof mine;
    close(mine.grad.a, theirs.grad.a, 1e-12);
    close(mine.grad.b, theirs.grad.b, 1e-12);
    close(mine.hvp.a, theirs.hvp.a, 1e-11);
    close(mine.hvp.b, theirs.hvp.b, 1e-11);
  });

  it('rank deficient: finite differences along A = B·Cᵀ (rank 1), second order', () => {
    const f = (p: { b: Tensor; c: Tensor; y: Tensor }) => ops.lstsq(p.b.reshape([3, 1]).matmul(p.c.reshape([2, 1]).transpose()), p.y).x.tanh().sum();
    for (const check of checkGrads(f as never, { b: [1, -2, 0.5], c: [0.3, 1], y: [1, 0.5, -1] } as never, { order: 2, seed: 8 })) expect(check.passed, check.name).toBe(true);
  });

  it("repeated singular values: finite, as JAX's gradient through pinv (JAX's lstsq gives NaN there)", () => {
    // jax.grad(lambda a: sum(pinv(a) @ b)) at A = [[1, 0], [0, 1], [0, 0]], b = [1, 2, 3]; σ = 1, 1.
    const g = grad((a: Tensor) => ops.lstsq(a.reshape([3, 2]), tensor([1, 2, 3])).x.sum())([1, 0, 0, 1, 0, 0]) as Float64Array;
    close(g, [-1, -2, -1, -2, 3, 3], 1e-15);
  });

  it('records no SVD unless s is read: checkFinite passes at repeated singular values (found by a probe)', () => {
    // The svd's vector tangents are NaN at repeated σ (by design); lstsq's x does not need them.
    const f = (a: Tensor) => ops.lstsq(a.reshape([3, 2]), tensor([1, 2, 3])).x.sum();
    const r = gradAndHvp(f, [1, 0, 0, 1, 0, 0], [0.3, -0.2, 0.5, 0.1, 0.7, -0.4], { checkFinite: true });
    // jax.grad and jax.jvp(jax.grad) of sum(pinv(a) @ b)
    close(r.grad as Float64Array, [-1, -2, -1, -2, 3, 3], 1e-15);
    close(r.hvp as Float64Array, [-3.5, 1.4, -1.1, 2.9, -2.9, -2], 1e-14);
    // Read, s is svd's, and differentiates as svd's does.
    const g = grad((a: Tensor) => ops.lstsq(a.reshape([3, 2]), tensor([1, 2, 3])).s.sum())([3, 0, 0, 1, 0, 0]) as Float64Array;
    close(g, [1, 0, 0, 1, 0, 0], 1e-15); // d(σ₁ + σ₂)/dA = U·Vᵀ
  });

  it('a singular value exactly at the cutoff is dropped, as NumPy (JAX keeps it)', () => {
    const r = ops.lstsq(tensor([[2, 0], [0, 1]]), tensor([1, 1]), { rcond: 0.5 });
    expect(Array.from(r.x.value)).toEqual([0.5, 0]);
    expect(r.rank).toBe(1);
    expect(Array.from(r.residuals.value)).toEqual([1]);
  });

  it('misuse names lstsq', () => {
    expect(() => ops.lstsq(tensor([1, 2]), tensor([1, 2]))).toThrow(/lstsq: A has shape \[2\]/);
    expect(() => ops.lstsq(tensor([[1, 2], [3, 4]]), tensor([1, 2, 3]))).toThrow(/lstsq: b has shape \[3\]; with A \[2, 2\] it must be \[2\] or \[2, k\]/);
    expect(() => ops.lstsq(tensor([[1, 2], [3, 4]]), tensor([1, 2]), { rtol: 1 } as never)).toThrow(/lstsq: unknown option 'rtol'/);
    expect(() => ops.lstsq([[1, 2]], [1])).toThrow(/lstsq: at least one argument must be a node/);
    expect(() => (ops.lstsq as (...a: unknown[]) => unknown)(tensor([[1, 2]]), tensor([1]), {}, 1)).toThrow(ArgumentError);
    expect(() => (ops.lstsq as (...a: unknown[]) => unknown)(tensor([[1, 2]]), tensor([1]), {}, undefined, 1)).toThrow(/lstsq: .* further argument 1/);
    expect(() => (tensor([[1, 2]]).lstsq as (...a: unknown[]) => unknown)(tensor([1]), {}, 3)).toThrow(/lstsq: .* further argument 3/);
  });
});
