// Many slices and takes of one tensor: after the first, each adds its adjoint into x̄'s place of it
// instead of a full-size padded or scattered array (Tape.addIntoLane), which made k slices of n
// elements cost O(k·n). The numbers must be those of the full-size form: closed forms here, at sizes
// where both paths run (the first contribution takes the full-size form, the rest the direct one).
import { describe, expect, it } from 'vitest';
import { grad, gradAndHvp, hvpMany, jacobian, take, type Tensor } from '../src/index.js';

const n = 40;
const x = Array.from({ length: n }, (_, k) => Math.sin(k + 1));
const v = Array.from({ length: n }, (_, k) => Math.cos(3 * k));
/** Overlapping ranges [a, b) and how often each element is read by them. */
const ranges = Array.from({ length: 25 }, (_, j) => [(j * 3) % 30, ((j * 3) % 30) + 1 + (j % 7)] as const);
const counts = x.map((_, k) => ranges.filter(([a, b]) => a <= k && k < b).length);

const close = (got: ArrayLike<number>, want: number[]) => {
  expect(got.length).toBe(want.length);
  for (let k = 0; k < want.length; k++) expect(Math.abs(got[k] - want[k])).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(want[k])));
};

describe('adjoints of many slices of one tensor', () => {
  // f = Σⱼ Σ_{k∈rangeⱼ} xₖ³: ∂f/∂xₖ = 3cₖxₖ², H = diag(6cₖxₖ).
  const cubes = (t: Tensor) => ranges.reduce((s, [a, b]) => s.add(t.slice(a, b).pow(3).sum()), t.slice(0, 0).sum());

  it('gradient and H·v are the closed forms', () => {
    const r = gradAndHvp(cubes, x, v);
    close(r.grad as Float64Array, x.map((u, k) => 3 * counts[k] * u * u));
    close(r.hvp as Float64Array, x.map((u, k) => 6 * counts[k] * u * v[k]));
    close(grad(cubes)(x) as Float64Array, x.map((u, k) => 3 * counts[k] * u * u));
  });

  it('along a middle axis, rows of a matrix read one by one', () => {
    // m = x as 5×8; f = Σᵢ Σ_{j<4} tanh(m[i, j])... read as slices of rows, then of columns.
    const f = (t: Tensor) => {
      const m = t.reshape([5, 8]);
      let s = m.slice(0, 1).slice(0, 4, 1).tanh().sum();
      for (let i = 1; i < 5; i++) s = s.add(m.slice(i, i + 1).slice(0, 4, 1).tanh().sum());
      return s.add(m.slice(2, 6, 1).square().sum());
    };
    const g = (u: number, k: number) => (k % 8 < 4 ? 1 - Math.tanh(u) ** 2 : 0) + (k % 8 >= 2 && k % 8 < 6 ? 2 * u : 0);
    const h = (u: number, k: number) => (k % 8 < 4 ? -2 * Math.tanh(u) * (1 - Math.tanh(u) ** 2) : 0) + (k % 8 >= 2 && k % 8 < 6 ? 2 : 0);
    const r = gradAndHvp(f, x, v);
    close(r.grad as Float64Array, x.map(g));
    close(r.hvp as Float64Array, x.map((u, k) => h(u, k) * v[k]));
  });

  it('with several directions at once and nested, the same numbers', () => {
    const V = Float64Array.from({ length: 2 * n }, (_, k) => (k < n ? v[k] : v[n - 1 - (k - n)]));
    const HV = hvpMany(cubes, x, V);
    close(HV.subarray(0, n), x.map((u, k) => 6 * counts[k] * u * v[k]));
    close(HV.subarray(n), x.map((u, k) => 6 * counts[k] * u * v[n - 1 - k]));
    // The Hessian's diagonal through a nested transform (the general form, on nodes).
    const H = jacobian((t: Tensor) => grad(cubes)(t) as unknown as Tensor, x);
    close(Array.from({ length: n }, (_, k) => H[k * n + k]), x.map((u, k) => 6 * counts[k] * u));
  });
});

describe('adjoints of many takes of one tensor', () => {
  const picks = Array.from({ length: 30 }, (_, j) => [(j * 7) % n, (j * 11 + 3) % n]);
  const reads = x.map((_, k) => picks.flat().filter((p) => p === k).length);

  it('distinct indices per take, flattened and along an axis: the closed forms', () => {
    const f = (t: Tensor) => picks.reduce((s, p) => s.add(take(t, p).exp().sum()), take(t, []).sum());
    const r = gradAndHvp(f, x, v);
    close(r.grad as Float64Array, x.map((u, k) => reads[k] * Math.exp(u)));
    close(r.hvp as Float64Array, x.map((u, k) => reads[k] * Math.exp(u) * v[k]));
    const rows = (t: Tensor) => picks.reduce((s, p) => s.add(take(t.reshape([8, 5]), p.map((q) => q % 8), 0).square().sum()), take(t, []).sum());
    const rowReads = Array.from({ length: 8 }, (_, i) => picks.flat().filter((p) => p % 8 === i).length);
    close(grad(rows)(x) as Float64Array, x.map((u, k) => 2 * rowReads[Math.floor(k / 5)] * u));
  });

  it('a repeated index within one take sums its reads, as scatterAdd does', () => {
    const f = (t: Tensor) => take(t, [1, 2]).sum().add(take(t, [3, 3, 3]).square().sum()).add(take(t, [3]).sum());
    close(grad(f)(x) as Float64Array, x.map((u, k) => (k === 1 || k === 2 ? 1 : k === 3 ? 6 * u + 1 : 0)));
  });

  it('a flattened take of a matrix reads row-major positions', () => {
    const f = (t: Tensor) => take(t.reshape([4, 10]), [0, 13, 39]).square().sum().add(take(t.reshape([4, 10]), [13]).sum());
    close(grad(f)(x) as Float64Array, x.map((u, k) => (k === 0 || k === 39 ? 2 * u : k === 13 ? 2 * u + 1 : 0)));
  });
});
