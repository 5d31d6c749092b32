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

describe('strided slices (x[start::step] along any axis)', () => {
  // A 3×4×6 array read with steps of ±1…±3 along each axis: the map built in one pass (stridedMap)
  // against the general per-axis construction, and gradients against the closed form, where every
  // slice after the first adds straight into x̄ (its map is distinct by construction, at any size).
  const shape = [3, 4, 6];
  const size = 72;
  const xs = Array.from({ length: size }, (_, k) => Math.sin(0.7 * k + 0.2));
  const vs = Array.from({ length: size }, (_, k) => Math.cos(1.3 * k));
  const cases: Array<[axis: number, start: number | null, end: number | null, step: number]> = [
    [0, 0, null, 2], [0, 2, null, -1], [1, 1, null, 2], [1, null, null, -3], [2, 0, null, 2], [2, 1, null, 2], [2, 5, 0, -2], [2, 4, 1, -3],
  ];

  it('each map is the general one-axis map of the same reads', async () => {
    const { stridedMap, oneAxisMap } = await import('../src/ops/index-map.js');
    for (const [axis, start, end, step] of cases) {
      const n = shape[axis];
      const s = start ?? (step > 0 ? 0 : n - 1), e = end ?? (step > 0 ? n : -1);
      const reads = Int32Array.from({ length: Math.max(0, Math.ceil((e - s) / step)) }, (_, j) => s + j * step);
      const got = stridedMap(shape, axis, s, step, reads.length);
      const want = oneAxisMap(shape, axis, reads);
      expect(Array.from(got.map)).toEqual(Array.from(want.map));
      expect(got.target).toEqual(want.target);
      expect(stridedMap(shape, axis, s, step, reads.length)).toBe(got); // kept for the next recording
    }
  });

  it('gradient and H·v of Σ over all the strided slices of Σ w·x³ are the closed forms', () => {
    // Element k is read c_k times with weights summing to W_k: ∂f/∂x_k = 3·W_k·x_k², H = diag(6·W_k·x_k).
    const W = new Float64Array(size);
    const index = (i: number, j: number, l: number) => (i * 4 + j) * 6 + l;
    cases.forEach(([axis, start, end, step], q) => {
      const n = shape[axis];
      const s = start ?? (step > 0 ? 0 : n - 1), e = end ?? (step > 0 ? n : -1);
      for (let p = s; step > 0 ? p < e : p > e; p += step) {
        for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) for (let l = 0; l < 6; l++) {
          if ([i, j, l][axis] === p) W[index(i, j, l)] += q + 1;
        }
      }
    });
    const f = (t: Tensor) => {
      const m = t.reshape(shape);
      return cases.reduce((acc, [axis, start, end, step], q) => acc.add(m.slice(start, end, axis, step).pow(3).sum().mul(q + 1)), m.slice(0, 0).sum());
    };
    const r = gradAndHvp(f, xs, vs);
    close(r.grad as Float64Array, xs.map((u, k) => 3 * W[k] * u * u));
    close(r.hvp as Float64Array, xs.map((u, k) => 6 * W[k] * u * vs[k]));
  });
});

describe('flips and rolls of one tensor (permutations: each adds its adjoint straight into x̄)', () => {
  it('gradient and H·v of Σ flip(m, 1)·m + Σ roll(m)³ + Σ flip(m)² are the closed forms', async () => {
    const { flip, roll } = await import('../src/index.js');
    const xs = Array.from({ length: 24 }, (_, k) => Math.sin(k + 1)), vs = Array.from({ length: 24 }, (_, k) => Math.cos(2 * k));
    const f = (t: Tensor) => {
      const m = t.reshape([4, 6]);
      return flip(m, 1).mul(m).sum().add(roll(m, [1, -2], [0, 1]).pow(3).sum()).add(flip(m).square().sum());
    };
    // Σᵢⱼ m[i, 5 − j]·m[i, j] has ∂/∂m[i, j] = 2·m[i, 5 − j]; a permutation of m³ sums to Σ m³, of m² to Σ m².
    const mirror = (a: number[], k: number) => a[Math.floor(k / 6) * 6 + 5 - (k % 6)];
    const r = gradAndHvp(f, xs, vs);
    close(r.grad as Float64Array, xs.map((u, k) => 2 * mirror(xs, k) + 3 * u * u + 2 * u));
    close(r.hvp as Float64Array, xs.map((u, k) => 2 * mirror(vs, k) + 6 * u * vs[k] + 2 * vs[k]));
  });
});

describe('strided slices run loops of their own (no index array): the same numbers as the index map', () => {
  // Each strided slice against take along the same axis with the same indices, which reads through
  // its index array: values, ∇f, H·v and a third-order product bit for bit, with −0, ±∞ and NaN in
  // the data, for several slices of one tensor (the first scatters, the rest add into x̄ directly).
  const shape = [3, 4, 6];
  const size = 72;
  const special = [-0, Infinity, -Infinity, NaN, 0];
  const xs = Array.from({ length: size }, (_, k) => (k % 11 === 3 ? special[((k / 11) | 0) % special.length] : Math.sin(0.9 * k - 0.4)));
  const finite = Array.from({ length: size }, (_, k) => Math.sin(0.9 * k - 0.4));
  const vs = Array.from({ length: size }, (_, k) => (k % 7 === 2 ? -0 : Math.cos(1.1 * k)));
  const cases: Array<[axis: number, start: number, count: number, step: number]> = [
    [0, 0, 2, 2], [0, 2, 3, -1], [1, 1, 2, 2], [1, 3, 2, -3], [2, 0, 3, 2], [2, 1, 3, 2], [2, 5, 3, -2], [2, 4, 2, -3], [2, 0, 6, 1],
  ];
  const both = (useTake: boolean) => (t: Tensor) => {
    const m = t.reshape(shape);
    return cases.reduce((acc, [axis, start, count, step], q) => {
      const reads = Array.from({ length: count }, (_, j) => start + j * step);
      const end = reads[count - 1] + Math.sign(step); // just past the last read
      const part = useTake ? take(m, reads, axis) : m.slice(start, end < 0 ? null : end, axis, step);
      return acc.add(part.mul(part).mul(part.sin()).sum().mul(q + 1));
    }, m.slice(0, 0).sum());
  };
  const bits = (a: unknown) => Array.from(a as Float64Array, (u) => (Object.is(u, -0) ? '-0' : String(u)));

  it('value, ∇f and H·v, with special values in x', () => {
    const got = gradAndHvp(both(false), xs, vs), want = gradAndHvp(both(true), xs, vs);
    expect(String(got.value)).toBe(String(want.value));
    expect(bits(got.grad)).toEqual(bits(want.grad));
    expect(bits(got.hvp)).toEqual(bits(want.hvp));
  });

  it('the Hessian of the slices through nested transforms (every column of H)', () => {
    const hessianOf = (useTake: boolean) => jacobian((t: Tensor) => grad(both(useTake))(t) as unknown as Tensor, finite);
    expect(bits(hessianOf(false))).toEqual(bits(hessianOf(true)));
  });

  it('the slices\' values and the gather/scatter primitives alone', async () => {
    const { GATHER, SCATTER, stridedMap } = await import('../src/ops/index-map.js');
    const { NumberAlgebra } = await import('../src/algebra/numbers.js');
    const numbers = new NumberAlgebra();
    const x = Float64Array.from(xs);
    for (const [axis, start, count, step] of cases) {
      const m = stridedMap(shape, axis, start, step, count);
      expect(m.stride).toBeDefined();
      const plain = { ...m, stride: undefined };
      expect(bits(GATHER.numbers([x], [], m, numbers))).toEqual(bits(GATHER.numbers([x], [], plain, numbers)));
      const g = Float64Array.from({ length: m.map.length }, (_, j) => (j % 5 === 1 ? -0 : Math.cos(j)));
      expect(bits(SCATTER.numbers([g], [], m, numbers))).toEqual(bits(SCATTER.numbers([g], [], plain, numbers)));
    }
  });
});
