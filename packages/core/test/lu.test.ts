// lu against references that are not its own output: JAX 0.10.2's jax.scipy.linalg.lu (factors, and
// jvp, vjp, H·v as jvp-of-grad and a third-order gradient of its L and U, from lu-reference/lu-jax.py,
// whose factors it checks against SciPy's LAPACK getrf), a plain-loop partial pivoting written here
// (the pivots, for sizes past the factorization's 32-column panels), and central differences of the
// order below. Also: P·L·U = A and the shapes of the factors, H·v symmetry and linearity, a stack
// against its matrices one by one, compiled replays (other pivots are a branch change), and bad input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, BranchChangeError, ShapeError, SingularMatrixError, compile, grad, hvp, jvp, lu, tensor, type Scalar, type Tensor,
} from '../src/index.js';
import {
  centralDifferenceChecks, hvpPropertyChecks, maxAbs, maxDiff, random, relative, rows, times, type Matrix,
} from './dense-matrices.js';

const EPSILON = 2 ** -52;

interface JaxCase {
  readonly a: number[][] | number[][][];
  readonly p: number[][]; readonly l: number[][]; readonly u: number[][]; readonly permutation: number[];
  readonly da: number[][]; readonly dl: number[][]; readonly du: number[][];
  readonly lbar: number[][]; readonly ubar: number[][]; readonly abar: number[][];
  readonly grad?: number[][]; readonly v?: number[][]; readonly hv?: number[][]; readonly w?: number[][]; readonly third?: number[][];
}
const reference = JSON.parse(readFileSync(new URL('./lu-reference/lu-jax.json', import.meta.url), 'utf8')) as { jax: string; cases: Record<string, JaxCase> };
const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);
const shapeOf = (x: unknown): number[] => (Array.isArray(x) ? [x.length, ...shapeOf(x[0])] : []);

/** The loss of lu-jax.py: Σ sin L + 0.1·Σ U² + Σ tanh(U)·Σ L³/10. */
const jaxLoss = (shape: number[]) => (x: Tensor): Scalar => {
  const { l, u } = lu(x.reshape(shape));
  return l.sin().sum().add(u.square().sum().mul(0.1)).add(u.tanh().sum().mul(l.pow(3).sum()).div(10));
};

const uniform = (seed: number, k: number) => { const next = random(seed); return Array.from({ length: k }, () => next() * 2 - 1); };

/**
 * Partial pivoting of an m×n matrix in plain loops, unblocked: the first largest |entry| of the column
 * (LAPACK's idamax). l is m×k, u k×n, k = min(m, n).
 */
function plainLu(a: Matrix): { permutation: number[]; l: Matrix; u: Matrix } {
  const m = a.length, n = a[0].length, k = Math.min(m, n);
  const w = a.map((r) => [...r]), permutation = Array.from({ length: m }, (_, i) => i);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let i = c + 1; i < m; i++) if (Math.abs(w[i][c]) > Math.abs(w[p][c])) p = i;
    [w[c], w[p]] = [w[p], w[c]];
    [permutation[c], permutation[p]] = [permutation[p], permutation[c]];
    for (let i = c + 1; i < m; i++) {
      if (w[c][c] === 0) break;
      w[i][c] /= w[c][c];
      for (let j = c + 1; j < n; j++) w[i][j] -= w[i][c] * w[c][j];
    }
  }
  const l = w.map((r, i) => r.slice(0, k).map((x, j) => (j < i ? x : j === i ? 1 : 0)));
  const u = w.slice(0, k).map((r, i) => r.map((x, j) => (j >= i ? x : 0)));
  return { permutation, l, u };
}

/**
 * 3·Π + ¼·X (m×n, a stack of `batch`) for Π the cyclic shift on the leading k×k block (k = min(m, n);
 * row i < k has its 3 in column (i + 1) mod k) and X of entries in [−1, 1): partial pivoting picks Π's
 * rows by a wide margin, so the pivots hold over every finite-difference step, and P ≠ I.
 */
const permutedDominant = (m: number, seed: number, batch = 1, n = m): number[] => {
  const x = uniform(seed, batch * m * n), k = Math.min(m, n);
  return x.map((e, q) => { const i = Math.floor(q / n) % m, j = q % n; return 0.25 * e + (i < k && (i + 1) % k === j ? 3 : 0); });
};
const direction = (seed: number, k: number) => uniform(seed, k);

describe('values', () => {
  for (const [name, c] of Object.entries(reference.cases)) {
    it(`${name}: p, l, u and the permutation are JAX's (${reference.jax}) to rounding`, () => {
      const shape = shapeOf(c.a);
      const { p, l, u, permutation } = lu(tensor(flat(c.a), shape));
      expect(Array.from(p.data)).toEqual(flat(c.p)); // exactly: the same pivots
      expect(Array.from(permutation.data)).toEqual(flat(c.permutation));
      const scale = maxAbs(flat(c.a));
      expect(maxDiff(l.data, flat(c.l))).toBeLessThanOrEqual(8 * EPSILON * shape.at(-1)!);
      expect(maxDiff(u.data, flat(c.u))).toBeLessThanOrEqual(8 * EPSILON * shape.at(-1)! * scale);
    });
  }

  it('P·L·U = A to rounding, L unit lower with |l_ij| ≤ 1, U upper, pivots as plain-loop partial pivoting', () => {
    for (const n of [1, 2, 5, 33, 70]) {
      for (const seed of [1, 2]) {
        const a = uniform(seed * 100 + n, n * n);
        const { p, l, u, permutation } = lu(tensor(a, [n, n]));
        const P = rows(p.data, n), L = rows(l.data, n), U = rows(u.data, n);
        expect(maxDiff(times(P, times(L, U)).flat(), a)).toBeLessThanOrEqual(4 * n * EPSILON * maxAbs(a) * Math.sqrt(n));
        expect(L.every((r, i) => r.every((x, j) => (j > i ? x === 0 : j === i ? x === 1 : Math.abs(x) <= 1)))).toBe(true);
        expect(U.every((r, i) => r.every((x, j) => j >= i || x === 0))).toBe(true);
        const plain = plainLu(rows(a, n));
        expect(Array.from(permutation.data)).toEqual(plain.permutation);
        expect(P.every((r, i) => r.every((x, j) => x === (plain.permutation[j] === i ? 1 : 0)))).toBe(true);
        expect(maxDiff(u.data, plain.u.flat())).toBeLessThanOrEqual(16 * n * EPSILON * maxAbs(a));
      }
    }
  });

  it('rectangular A [m, n]: p [m, m], l [m, k] unit lower trapezoidal, u [k, n] upper, P·L·U = A, pivots as plain loops', () => {
    for (const [m, n] of [[5, 3], [3, 5], [40, 7], [7, 40], [2, 1], [1, 3]]) {
      const a = uniform(m * 100 + n, m * n), k = Math.min(m, n);
      const { p, l, u, permutation } = lu(tensor(a, [m, n]));
      expect([p.shape, l.shape, u.shape, permutation.shape]).toEqual([[m, m], [m, k], [k, n], [m]]);
      const L = rows(l.data, m, k), U = rows(u.data, k, n);
      expect(maxDiff(times(rows(p.data, m), times(L, U)).flat(), a)).toBeLessThanOrEqual(8 * Math.max(m, n) * EPSILON * maxAbs(a));
      expect(L.every((r, i) => r.every((x, j) => (j > i ? x === 0 : j === i ? x === 1 : Math.abs(x) <= 1)))).toBe(true);
      expect(U.every((r, i) => r.every((x, j) => j >= i || x === 0))).toBe(true);
      const plain = plainLu(rows(a, m, n));
      expect(Array.from(permutation.data)).toEqual(plain.permutation);
      expect(maxDiff(u.data, plain.u.flat())).toBeLessThanOrEqual(16 * m * EPSILON * maxAbs(a));
      expect(maxDiff(l.data, plain.l.flat())).toBeLessThanOrEqual(16 * m * EPSILON);
    }
    const stack = uniform(9, 3 * 5 * 2), whole = lu(tensor(stack, [3, 5, 2]));
    for (let b = 0; b < 3; b++) {
      const one = lu(tensor(stack.slice(b * 10, (b + 1) * 10), [5, 2]));
      expect(Array.from(whole.l.data.subarray(b * 10, (b + 1) * 10))).toEqual(Array.from(one.l.data));
      expect(Array.from(whole.u.data.subarray(b * 4, (b + 1) * 4))).toEqual(Array.from(one.u.data));
    }
  });

  it('a stack is its matrices one by one, bit for bit; a 0×0 matrix and an empty stack give empty factors', () => {
    const a = uniform(5, 3 * 2 * 4 * 4);
    const whole = lu(tensor(a, [3, 2, 4, 4]));
    expect(whole.p.shape).toEqual([3, 2, 4, 4]);
    expect(whole.permutation.shape).toEqual([3, 2, 4]);
    for (let b = 0; b < 6; b++) {
      const one = lu(tensor(a.slice(b * 16, (b + 1) * 16), [4, 4]));
      for (const key of ['p', 'l', 'u'] as const) expect(Array.from(whole[key].data.subarray(b * 16, (b + 1) * 16))).toEqual(Array.from(one[key].data));
      expect(Array.from(whole.permutation.data.subarray(b * 4, (b + 1) * 4))).toEqual(Array.from(one.permutation.data));
    }
    const empty = lu(tensor([], [0, 0]));
    expect([empty.p.shape, empty.l.shape, empty.u.shape, empty.permutation.shape]).toEqual([[0, 0], [0, 0], [0, 0], [0]]);
    expect(lu(tensor([], [0, 3, 3])).u.shape).toEqual([0, 3, 3]);
  });

  it('a NaN or ±∞ entry gives NaN in the factors it reaches, never an error; a singular matrix has its factors', () => {
    const withNaN = lu(tensor([1, 2, NaN, 4], [2, 2]));
    expect(Array.from(withNaN.u.data).some(Number.isNaN)).toBe(true);
    const infinite = lu(tensor([Infinity, 2, 3, 4], [2, 2]));
    expect(Array.from(infinite.u.data).some((x) => !Number.isFinite(x))).toBe(true);
    // The 3×3 of 1…9: rank 2, JAX's and SciPy's factors (permutation [2, 0, 1]).
    const { p, l, u, permutation } = lu(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]));
    expect(Array.from(permutation.data)).toEqual([2, 0, 1]);
    expect(maxDiff(times(rows(p.data, 3), times(rows(l.data, 3), rows(u.data, 3))).flat(), [1, 2, 3, 4, 5, 6, 7, 8, 9])).toBeLessThanOrEqual(1e-14);
    expect(Math.abs(u.data[8])).toBeLessThanOrEqual(1e-14);
  });
});

describe('derivatives against JAX', () => {
  const worst = { tangent: 0, adjoint: 0, grad: 0, hvp: 0, third: 0 };
  for (const [name, c] of Object.entries(reference.cases)) {
    const shape = shapeOf(c.a), a = flat(c.a);
    it(`${name}: L̇, U̇ (jvp) and Ā for given L̄, Ū (vjp)`, () => {
      const dl = jvp((x: Tensor) => lu(x.reshape(shape)).l, a, flat(c.da)).tangent as Float64Array;
      const du = jvp((x: Tensor) => lu(x.reshape(shape)).u, a, flat(c.da)).tangent as Float64Array;
      const tangent = Math.max(relative(dl, flat(c.dl)), relative(du, flat(c.du)));
      const lbar = tensor(flat(c.lbar), shapeOf(c.lbar)), ubar = tensor(flat(c.ubar), shapeOf(c.ubar));
      const abar = grad((x: Tensor) => { const { l, u } = lu(x.reshape(shape)); return l.mul(lbar).sum().add(u.mul(ubar).sum()); })(a) as Float64Array;
      const adjoint = relative(abar, flat(c.abar));
      worst.tangent = Math.max(worst.tangent, tangent);
      worst.adjoint = Math.max(worst.adjoint, adjoint);
      expect(tangent).toBeLessThanOrEqual(1e-12);
      expect(adjoint).toBeLessThanOrEqual(1e-12);
    });
    if (c.hv === undefined) continue;
    it(`${name}: the gradient, H·v (JAX's jvp of grad) and the gradient of w·(H·v) of a loss of L and U`, () => {
      const f = jaxLoss(shape), v = flat(c.v), w = flat(c.w);
      const g = relative(grad(f)(a) as Float64Array, flat(c.grad));
      const hv = relative(hvp(f, a, v) as Float64Array, flat(c.hv));
      const third = relative(grad((x: Tensor) => {
        const h = hvp(f, x, v) as Tensor;
        return h.mul(tensor(w)).sum();
      })(a) as Float64Array, flat(c.third));
      worst.grad = Math.max(worst.grad, g);
      worst.hvp = Math.max(worst.hvp, hv);
      worst.third = Math.max(worst.third, third);
      expect(g).toBeLessThanOrEqual(1e-12);
      expect(hv).toBeLessThanOrEqual(1e-12);
      expect(third).toBeLessThanOrEqual(1e-11);
    });
  }
  it('worst relative differences (printed)', () => {
    console.log(`lu against JAX ${reference.jax}: ${JSON.stringify(worst)}`);
  });
});

const N = 4;
const W = tensor(uniform(77, N * N), [N, N]);
const ofL = (x: Tensor) => lu(x.reshape([N, N])).l.pow(3).mul(W).sum();
const ofU = (x: Tensor) => { const { l, u } = lu(x.reshape([N, N])); return u.sin().mul(W).sum().add(u.matmul(l).square().sum().mul(0.1)); };
const tall = (x: Tensor) => { const { l, u } = lu(x.reshape([5, 3])); return l.pow(3).mul(tensor(uniform(78, 15), [5, 3])).sum().add(u.sin().sum()); };
const wide = (x: Tensor) => { const { l, u } = lu(x.reshape([3, 5])); return u.mul(0.25).exp().sum().add(l.square().sum()); };
const stacked = (x: Tensor) => { const { l, u } = lu(x.reshape([2, N, N])); return l.tanh().sum().add(u.exp().mul(0.1).sum()); };

describe('derivatives against central differences', () => {
  const cases = [
    ['Σ W∘L³', ofL, (seed: number) => permutedDominant(N, seed), N * N],
    ['Σ W∘sin U + 0.1·‖U·L‖²', ofU, (seed: number) => permutedDominant(N, seed), N * N],
    ['a stack of two', stacked, (seed: number) => permutedDominant(N, seed, 2), 2 * N * N],
    ['tall 5×3: Σ W∘L³ + Σ sin U', tall, (seed: number) => permutedDominant(5, seed, 1, 3), 15],
    ['wide 3×5: Σ exp(U/4) + ‖L‖²', wide, (seed: number) => permutedDominant(3, seed, 1, 5), 15],
  ] as const;
  centralDifferenceChecks('lu', cases, direction);

  it('the dot-product test: ⟨J·u, w⟩ = ⟨u, Jᵀ·w⟩ for L and U together, and P has derivative 0', () => {
    for (const seed of [1, 2, 3]) {
      const x = permutedDominant(5, seed), u = direction(seed + 10, 25);
      const wl = tensor(direction(seed + 20, 25), [5, 5]), wu = tensor(direction(seed + 30, 25), [5, 5]);
      const loss = (y: Tensor) => { const { p, l, u } = lu(y.reshape([5, 5])); return l.mul(wl).sum().add(u.mul(wu).sum()).add(p.sum()); };
      const { tangent } = jvp(loss, x, u) as { tangent: number };
      const g = grad(loss)(x) as Float64Array;
      expect(Math.abs(tangent - g.reduce((s, e, k) => s + e * u[k], 0))).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(tangent)) * 25);
      expect(Array.from(grad((y: Tensor) => { const r = lu(y.reshape([5, 5])); return r.p.mul(wl).sum().add(r.permutation.sum()); })(x) as Float64Array)).toEqual(new Array(25).fill(0));
    }
  });
});

describe('H·v properties (fast-check)', () => {
  hvpPropertyChecks(ofU, permutedDominant(N, 3));
});

describe('stacks', () => {
  it('the gradient and H·v of a stack are those of its matrices one by one', () => {
    const x = permutedDominant(N, 11, 3), v = direction(12, 3 * N * N);
    const f = (y: Tensor) => { const { l, u } = lu(y.reshape([3, N, N])); return l.sin().sum().add(u.square().sum()); };
    const one = (y: Tensor) => { const { l, u } = lu(y.reshape([N, N])); return l.sin().sum().add(u.square().sum()); };
    const g = grad(f)(x) as Float64Array, hv = hvp(f, x, v) as Float64Array;
    for (let b = 0; b < 3; b++) {
      const part = (z: number[]) => z.slice(b * N * N, (b + 1) * N * N);
      expect(maxDiff(g.subarray(b * N * N, (b + 1) * N * N), grad(one)(part(x)) as Float64Array)).toBeLessThanOrEqual(1e-14 * maxAbs(g));
      expect(maxDiff(hv.subarray(b * N * N, (b + 1) * N * N), hvp(one, part(x), part(v)) as Float64Array)).toBeLessThanOrEqual(1e-13 * maxAbs(hv));
    }
  });
});

describe('compile', () => {
  const f = (x: Tensor) => { const { p, l, u } = lu(x.reshape([N, N])); return p.matmul(l).sin().sum().add(u.square().sum()); };
  const v = direction(4, N * N);

  it('a replay at a point with the same pivots factors again, bit for bit', () => {
    const program = compile(f, permutedDominant(N, 1), { onBranchChange: 'throw' });
    const nearby = permutedDominant(N, 2);
    const got = program.gradAndHvp(nearby, v);
    expect(Array.from(got.grad as Float64Array)).toEqual(Array.from(grad(f)(nearby) as Float64Array));
    expect(Array.from(got.hvp as Float64Array)).toEqual(Array.from(hvp(f, nearby, v) as Float64Array));
  });

  it('other pivots are a branch change: re-recorded by default, a BranchChangeError when asked', () => {
    const elsewhere = uniform(21, N * N);
    expect(plainLu(rows(elsewhere, N)).permutation).not.toEqual(plainLu(rows(permutedDominant(N, 1), N)).permutation);
    const got = compile(f, permutedDominant(N, 1)).gradAndHvp(elsewhere, v);
    expect(Array.from(got.grad as Float64Array)).toEqual(Array.from(grad(f)(elsewhere) as Float64Array));
    expect(Array.from(got.hvp as Float64Array)).toEqual(Array.from(hvp(f, elsewhere, v) as Float64Array));
    expect(() => compile(f, permutedDominant(N, 1), { onBranchChange: 'throw' }).gradAndHvp(elsewhere, v)).toThrow(BranchChangeError);
  });
});

describe('bad input', () => {
  it('rank < 2, non-tensors and extra arguments are typed errors naming lu', () => {
    expect(() => lu(tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => lu(tensor([1, 2, 3]))).toThrow(/lu: the matrix has shape \[3\]; expected a matrix \[m, n\] or a stack of them/);
    expect(() => lu(tensor([2], []))).toThrow(ShapeError);
    expect(() => lu([[1, 2], [3, 4]] as never)).toThrow(ArgumentError);
    expect(() => lu([[1, 2], [3, 4]] as never)).toThrow(/lu: expected a tensor/);
    expect(() => lu(3 as never)).toThrow(ArgumentError);
    expect(() => (lu as (...a: unknown[]) => unknown)(tensor([1, 0, 0, 1], [2, 2]), { permuteL: true })).toThrow(ArgumentError);
  });

  it('any derivative through a singular matrix is a SingularMatrixError naming the pivot (and the matrix of a stack)', () => {
    const singular = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const f = (x: Tensor) => lu(x.reshape([3, 3])).u.square().sum();
    expect(() => grad(f)(singular)).toThrow(SingularMatrixError);
    expect(() => grad(f)(singular)).toThrow(/lu: the 3×3 matrix is singular to working precision: pivot 2/);
    expect(() => jvp((x: Tensor) => lu(x.reshape([3, 3])).l, singular, direction(1, 9))).toThrow(SingularMatrixError);
    const stack = [...permutedDominant(3, 1), 1, 2, 3, 2, 4, 6, 0, 1, 1];
    expect(() => grad((x: Tensor) => lu(x.reshape([2, 3, 3])).l.sum())(stack)).toThrow(/matrix \[1\] of the stack\) is singular: pivot 2/);
    // Tall with dependent columns, wide with a singular leading block.
    expect(() => grad((x: Tensor) => lu(x.reshape([3, 2])).l.sum())([1, 2, 2, 4, 3, 6])).toThrow(/lu: the 3×2 matrix is singular: pivot 1 .*its factors are there/);
    expect(() => grad((x: Tensor) => lu(x.reshape([2, 3])).u.sum())([1, 2, 5, 2, 4, 1])).toThrow(SingularMatrixError);
    expect(lu(tensor([1, 2, 2, 4, 3, 6], [3, 2])).u.data[3]).toBe(0);
    // The factors themselves are there, and a loss that does not reach them has gradient 0.
    expect(Array.from(grad((x: Tensor) => lu(x.reshape([3, 3])).p.sum().add(x.sum()))(singular) as Float64Array)).toEqual(new Array(9).fill(1));
  });
});
