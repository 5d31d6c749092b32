// vmap against closed forms and against the loop it stands for, written out with take and stack.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, OptionError, StructureError, Tensor, grad, gradAndHvp, hessian, softplus, stack, take, tensor, vmap,
  type Scalar,
} from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';

const sigma = (z: number) => 1 / (1 + Math.exp(-z));
const failed = (checks: { passed: boolean }[]) => checks.filter((c) => !c.passed);

const X = [[0.3, -1.2], [2.0, 0.5], [-0.7, 0.9], [1.1, 1.4]];
const T = [1, -1, -1, 1];

describe('vmap at top level: per-example gradients', () => {
  it('of a logistic loss equal the closed form −t·σ(−t·z)·(x, 1)', () => {
    const params = { w: [0.4, -0.3], b: 0.2 };
    const lossOne = (p: { w: Tensor; b: Scalar }, ex: { x: number[]; t: number }) => softplus(p.w.dot(ex.x).add(p.b).mul(-ex.t));
    const g = vmap((ex: { x: number[]; t: number }) => grad((p: { w: Tensor; b: Scalar }) => lossOne(p, ex))(params))({ x: X, t: T });
    expect(g.w).toBeInstanceOf(Float64Array);
    expect(g.w.length).toBe(X.length * 2);
    X.forEach((x, n) => {
      const z = params.w[0] * x[0] + params.w[1] * x[1] + params.b;
      const s = -T[n] * sigma(-T[n] * z);
      expect(g.w[2 * n]).toBeCloseTo(s * x[0], 14);
      expect(g.w[2 * n + 1]).toBeCloseTo(s * x[1], 14);
      expect(g.b[n]).toBeCloseTo(s, 14);
    });
  });

  it('stacks Float64Array results row-major: B Hessians give B·n² numbers', () => {
    const H = vmap((c: number) => hessian((x: Tensor) => x.square().sum().mul(c), [1, 2]))(Float64Array.of(1, 3));
    expect([...H]).toEqual([2, 0, 0, 2, 6, 0, 0, 6]);
  });

  it('maps a number[][] of 20 000 rows: [i, i + 1] give i·(i + 1)', () => {
    // Each index used to walk (and re-check) the whole nested array: 2·10⁴ rows took 16 s, now about
    // 0.1 s (measured outside the tests: speed is not asserted here).
    const B = 20000;
    const rows = Array.from({ length: B }, (_, i) => [i, i + 1]);
    const y = vmap((r: number[]) => r[0] * r[1])(rows);
    expect([...y]).toEqual(rows.map(([a, b]) => a * b)); // exact: integers below 2⁵³
  });

  it('nested: a matrix of values, row i column j = f(xᵢ, yⱼ)', () => {
    const xs = [1, 2, 3], ys = [10, 20];
    const M = vmap((x: number) => vmap((y: number) => x * y + 1)(ys))(xs);
    expect([...M]).toEqual(xs.flatMap((x) => ys.map((y) => x * y + 1)));
  });

  it('inAxes maps over columns, outAxes puts the batch axis last', () => {
    const A = [[1, 2, 3], [4, 5, 6]];
    expect([...vmap((col: number[]) => col[0] + col[1], { inAxes: 1 })(A)]).toEqual([5, 7, 9]);
    expect([...vmap((col: number[]) => col[0] + col[1], { inAxes: -1 })(A)]).toEqual([5, 7, 9]);
    // Rows [1,2,3] → [1,4,9]: stacked along axis 1 the result is 3×2, column b = call b.
    const sq = vmap((row: number[]) => Float64Array.from(row, (v) => v * v), { outAxes: 1 })(A);
    expect([...sq]).toEqual([1, 16, 4, 25, 9, 36]);
    // A rank-3 leaf sliced along its middle axis gives matrices.
    const C = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]; // C[i][j][k]
    const seen = vmap((m: number[][]) => m[1][0], { inAxes: 1 })(C); // C[1][j][0]
    expect([...seen]).toEqual([5, 7]);
  });

  it('pytree in, pytree out, leaf by leaf', () => {
    const r = vmap((p: { a: number; v: number[] }) => ({ s: p.a + p.v[0], pair: [p.a, Float64Array.of(p.v[1], p.v[0])] }))(
      { a: [1, 2], v: [[3, 4], [5, 6]] },
    );
    expect([...r.s]).toEqual([4, 7]);
    expect([...r.pair[0]]).toEqual([1, 2]);
    expect([...r.pair[1]]).toEqual([4, 3, 6, 5]);
  });

  it('a list of leaves ([matrix, vector], two Float64Arrays) maps every leaf, as JAX maps a list', () => {
    // The slices used to be rebuilt from a list of numbers, one vector leaf: only the first leaf was
    // mapped and the others silently dropped (xs = [M, t] gave slices M[i] with no t).
    const seen: unknown[] = [];
    const r = vmap((p: [number[], number]) => {
      seen.push(p);
      return p[0][0] * p[1];
    })([[[1, 2], [3, 4], [5, 6]], [7, 8, 9]] as never);
    expect(seen).toEqual([[[1, 2], 7], [[3, 4], 8], [[5, 6], 9]]);
    expect([...r]).toEqual([7, 24, 45]);
    const pairs = vmap((p: [number, number]) => p[0] - p[1])([Float64Array.of(1, 2, 3), Float64Array.of(10, 20, 30)] as never);
    expect([...pairs]).toEqual([-9, -18, -27]);
  });

  it('nodes returned at top level (ops on plain values) stack into a plain-valued Tensor', () => {
    const r = vmap((row: number[]) => tensor(row).square())([[1, 2], [3, 4]]);
    expect(r).toBeInstanceOf(Tensor);
    expect(r.shape).toEqual([2, 2]);
    expect([...r.value]).toEqual([1, 4, 9, 16]);
    const t = vmap((row: number[]) => tensor(row).square(), { outAxes: 1 })([[1, 2], [3, 4]]);
    expect([...t.value]).toEqual([1, 9, 4, 16]);
  });
});

describe('vmap inside a transform is exactly the loop of take and stack', () => {
  // θ is a 3×2 matrix, given flat: checkGrads shifts x through unflatten, which returns a matrix leaf
  // flat. Each row goes through a nonlinear per-row function that also uses w.
  const theta = [[0.3, -0.8], [1.1, 0.4], [-0.5, 0.9]];
  const v = [[1, -2], [0.5, 0.25], [-1, 3]];
  const row = (w: Tensor) => (r: Tensor) => r.mul(w).tanh().sum().square();
  const viaVmap = (p: { th: Tensor; w: Tensor }) => vmap(row(p.w))(p.th.reshape([3, 2])).sin().mul([1, -2, 3]).sum();
  const viaLoop = (p: { th: Tensor; w: Tensor }) => stack([0, 1, 2].map((i) => row(p.w)(take(p.th.reshape([3, 2]), i, 0)))).sin().mul([1, -2, 3]).sum();
  const x = { th: theta.flat(), w: [0.7, -1.3] };
  const dir = { th: v.flat(), w: [0.2, 0.6] };

  it('grad and gradAndHvp are bit for bit the explicit loop', () => {
    expect(grad(viaVmap)(x)).toEqual(grad(viaLoop)(x));
    const a = gradAndHvp(viaVmap, x, dir), b = gradAndHvp(viaLoop, x, dir);
    expect(a.value).toBe(b.value);
    expect(a.grad).toEqual(b.grad);
    expect(a.hvp).toEqual(b.hvp);
  });

  it('matches central differences to second order (checkGrads)', () => {
    expect(failed(checkGrads(viaVmap, x, { order: 2 }))).toEqual([]);
  });

  it('with inAxes 1 it maps over columns, again equal to the loop', () => {
    const colVmap = (th: Tensor) => vmap((c: Tensor) => c.exp().sum().log(), { inAxes: 1 })(th).square().mul([1, 3]).sum();
    const colLoop = (th: Tensor) => stack([0, 1].map((j) => take(th, j, 1).exp().sum().log())).square().mul([1, 3]).sum();
    expect(gradAndHvp(colVmap, theta, v)).toEqual(gradAndHvp(colLoop, theta, v));
  });

  it('data closed over as numbers, parameters captured: the batched logistic loss has the closed-form gradient', () => {
    const loss = (w: Tensor) => vmap((ex: { x: number[]; t: number }) => softplus(w.dot(ex.x).mul(-ex.t)))({ x: X, t: T }).sum();
    const w = [0.4, -0.3];
    const g = grad(loss)(w);
    const expected = [0, 0];
    X.forEach((xn, n) => {
      const s = -T[n] * sigma(-T[n] * (w[0] * xn[0] + w[1] * xn[1]));
      expected[0] += s * xn[0];
      expected[1] += s * xn[1];
    });
    expect(g[0]).toBeCloseTo(expected[0], 14);
    expect(g[1]).toBeCloseTo(expected[1], 14);
    expect(failed(checkGrads(loss, w, { order: 2 }))).toEqual([]);
  });

  it('nested vmap inside grad gives the matrix of pairwise values, differentiable', () => {
    // f(w) = Σᵢⱼ (wᵢ·wⱼ)²: ∂f/∂wₖ = 4 wₖ Σⱼ wⱼ². The matrix itself, M[i][j] = wᵢ·wⱼ², is read inside.
    const w0 = [0.5, -1, 2];
    const pairs = (w: Tensor) => vmap((a: Tensor) => vmap((b: Tensor) => a.mul(b).square())(w))(w);
    let seen: Float64Array | undefined;
    const f = (w: Tensor) => {
      const M = vmap((a: Tensor) => vmap((b: Tensor) => a.mul(b.square()))(w))(w);
      expect(M.shape).toEqual([3, 3]);
      seen = Float64Array.from(M.value);
      return pairs(w).sum();
    };
    const s = w0.reduce((p, u) => p + u * u, 0);
    const g = grad(f)(w0);
    w0.forEach((wk, k) => expect(g[k]).toBeCloseTo(4 * wk * s, 13));
    expect([...seen!]).toEqual(w0.flatMap((wi) => w0.map((wj) => wi * (wj * wj))));
    expect(failed(checkGrads((w: Tensor) => pairs(w).sum(), w0, { order: 2 }))).toEqual([]);
  });

  it('a list of node leaves maps every leaf: the gradient reaches both, as in the loop', () => {
    // f = Σᵢ aᵢ·bᵢ² over the rows of a list [a, b]: ∂/∂a = b², ∂/∂b = 2a·b (b was dropped before).
    const a0 = [1, 2, 3], b0 = [0.5, -1, 2];
    const f = (p: { l: [Tensor, Tensor] }) => vmap((q: [Scalar, Scalar]) => q[0].mul(q[1].square()))(p.l).sum();
    // Float64Arrays, so that the list is two vector leaves (a number[][] would be one matrix leaf).
    const g = grad(f)({ l: [Float64Array.from(a0), Float64Array.from(b0)] }) as unknown as { l: [Float64Array, Float64Array] };
    expect([...g.l[0]]).toEqual(b0.map((b) => b * b));
    expect([...g.l[1]]).toEqual(b0.map((b, i) => 2 * a0[i] * b));
  });

  it('a plain number returned for some index is a constant in the stack', () => {
    const f = (w: Tensor) => vmap((i: number) => (i === 0 ? 5 : w.at(i).square()))([0, 1]).sum();
    expect([...grad(f)([3, 4])]).toEqual([0, 8]);
  });
});

describe('vmap refuses what it cannot map, with typed errors', () => {
  it('leaves that disagree on B: a StructureError naming both', () => {
    expect(() => vmap((p: unknown) => 0)({ a: [1, 2, 3], b: [[1, 2], [3, 4]] })).toThrow(StructureError);
    expect(() => vmap((p: unknown) => 0)({ a: [1, 2, 3], b: [[1, 2], [3, 4]] })).toThrow(/xs\.a: 3, xs\.b: 2/);
  });

  it('results whose structure changes from call to call: a StructureError', () => {
    expect(() => vmap((x: number) => (x > 1 ? { a: x } : { b: x }))([1, 2])).toThrow(StructureError);
    expect(() => vmap((x: number) => (x > 1 ? [x, x] : x))([1, 2])).toThrow(StructureError);
  });

  it('node results of one size but another shape ([2, 2], then [4]): a StructureError naming the indices, not stack', () => {
    const f = (x: number) => ({ m: x > 1 ? tensor([x, x, x, x], [4]) : tensor([x, x, x, x], [2, 2]) });
    expect(() => vmap(f)([1, 2])).toThrow(StructureError);
    expect(() => vmap(f)([1, 2])).toThrow("f's result.m for index 1 has shape [4] but for index 0 has shape [2,2]");
    // A flat number array still fills a node's shape, as assertSameStructure allows.
    const g = vmap((x: number) => (x > 1 ? [x, x, x, x] : tensor([x, x, x, x], [2, 2])))([1, 2]) as Tensor;
    expect(g.shape).toEqual([2, 2, 2]);
  });

  it('a number leaf, an axis out of range, no leaves, extra arguments: ArgumentError', () => {
    expect(() => vmap((p: unknown) => 0)({ a: [1, 2], c: 3 })).toThrow(/xs\.c is a number/);
    expect(() => grad((s: Scalar) => (vmap((p: unknown) => 0)({ a: [1, 2], c: s }), s))(2)).toThrow(/xs\.c is a scalar node, which has no axis 0/);
    expect(() => vmap((x: number) => x, { inAxes: 1 })([1, 2])).toThrow(ArgumentError);
    expect(() => vmap((x: number) => x, { outAxes: 2 })([1, 2])).toThrow(ArgumentError);
    // Node results too: the message names vmap's option, not stack's axis.
    const rows = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(() => vmap((r: Tensor) => r.mul(2), { outAxes: 2 })(rows)).toThrow('vmap: outAxes 2 is out of range for a result of shape [3]');
    expect(() => vmap((r: Tensor) => r.mul(2), { outAxes: -3 })(rows)).toThrow('vmap: outAxes -3 is out of range for a result of shape [3]');
    expect((vmap((r: Tensor) => r.mul(2), { outAxes: -1 })(rows) as Tensor).shape).toEqual([3, 2]);
    expect(() => vmap((x: number) => x)({})).toThrow(ArgumentError);
    // Several arguments are mapped together; an inAxes list must have an entry for each.
    expect(() => vmap((a: number, b: number) => a + b, { inAxes: [0] })([1], [2])).toThrow(/inAxes has 1 entry but f was given 2 arguments/);
    expect(() => vmap((a: number, b: number) => a + b, { inAxes: [null, null] })([1], [2])).toThrow(/inAxes is null for every argument/);
    expect(() => vmap((a: number, b: number) => a + b)([1, 2], [3])).toThrow(/xs\[0\]: 2, xs\[1\]: 1/);
    expect(() => vmap((a: number, b: number) => a + b)([1], 5)).toThrow(/xs\[1\] is a number.*null for its argument in inAxes/);
    expect(() => vmap((x: number) => x, { inAxes: [0, 'a'] } as never)).toThrow(/inAxes/);
    expect(() => (vmap as (...a: unknown[]) => (...b: unknown[]) => unknown)((x: number) => x)()).toThrow(/needs xs/);
    expect(() => vmap(3 as never)).toThrow(ArgumentError);
  });

  it('options: misspelled keys and bad values are OptionErrors with a suggestion', () => {
    try {
      vmap((x: number) => x, { inAxis: 1 } as never);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OptionError);
      expect((e as OptionError).problem?.suggestion).toBe('inAxes');
    }
    expect(() => vmap((x: number) => x, { outAxes: 0.5 })).toThrow(OptionError);
    expect(() => vmap((x: number) => x, 0 as never)).toThrow(OptionError);
  });

  it('B = 0: f is never called, so an ArgumentError says the structure is unknown', () => {
    let calls = 0;
    const f = vmap((x: number) => ++calls);
    expect(() => f([])).toThrow(/length 0/);
    expect(() => f(new Float64Array(0))).toThrow(ArgumentError);
    expect(calls).toBe(0);
  });
  it('node methods on top-level slices (numbers): an ArgumentError saying f gets numbers there, not a bare TypeError', () => {
    const thrown = (fn: () => unknown) => { try { fn(); } catch (e) { return e; } return null; };
    const e = thrown(() => vmap((x: Tensor) => x.mul(2))([[1, 2], [3, 4]]));
    expect(e).toBeInstanceOf(ArgumentError);
    expect((e as Error).message).toMatch(/plain numbers.*x\.mul is not a function|x\.mul is not a function.*plain numbers/s);
    expect((e as Error).message).toMatch(/tensor\(x\)/);
    // Also inside a transform, where number data still slices into numbers.
    expect(() => grad((w: Tensor) => (vmap((x: Tensor) => x.mul(w).sum())([[1, 2], [3, 4]]) as Tensor).sum())([1, 1])).toThrow(ArgumentError);
    // The same f works where the slices are nodes: over tensor(xs), over a transform's x, and on a slice wrapped in tensor().
    expect((vmap((x: Tensor) => x.mul(2))(tensor([[1, 2], [3, 4]])) as Tensor).value).toEqual(Float64Array.of(2, 4, 6, 8));
    expect(grad((w: Tensor) => (vmap((x: Tensor) => x.mul(x).sum())(w.reshape([2, 2])) as Tensor).sum())([1, 2, 3, 4])).toEqual(Float64Array.of(2, 4, 6, 8));
    expect(vmap((x: number[]) => tensor(x).mul(2))([[1, 2], [3, 4]]).value).toEqual(Float64Array.of(2, 4, 6, 8));
    // A TypeError of f's own that is not about the slices is f's, and stays as it was.
    const own = thrown(() => vmap(() => { throw new TypeError('bad thing'); })([1, 2]));
    expect(own).toBeInstanceOf(TypeError);
    expect((own as Error).message).toBe('bad thing');
  });
});

describe('vmap over several arguments (JAX\'s in_axes per argument)', () => {
  it('maps every argument along its axis, and passes a null one whole to every call', () => {
    // Σ over rows of a·b + c: rows of a [2, 3], columns of b [3, 2], c unmapped.
    const a = [[1, 2, 3], [4, 5, 6]];
    const b = [[1, 0], [0, 1], [2, -1]];
    const seen: unknown[] = [];
    const c = { scale: 10 };
    const r = vmap((row: number[], col: number[], k: typeof c) => {
      seen.push(k);
      return k.scale * row.reduce((s, v, j) => s + v * col[j], 0);
    }, { inAxes: [0, 1, null] })(a, b, c);
    // Row 0 of a with column 0 of b: 1 + 0 + 6 = 7; row 1 with column 1: 0 + 5 − 6 = −1.
    expect(Array.from(r as Float64Array)).toEqual([70, -10]);
    expect(seen.every((k) => k === c)).toBe(true);
    // One number for inAxes maps every argument along it.
    expect(Array.from(vmap((x: number, y: number) => x * y)([1, 2, 3], [4, 5, 6]) as Float64Array)).toEqual([4, 10, 18]);
  });

  it('gives per-example gradients as JAX\'s vmap(grad(loss), in_axes=(None, 0))(params, batch)', () => {
    // loss(w, (x, t)) = (w·x − t)²: its gradient 2(w·x − t)x per example.
    const loss = (w: Tensor, ex: { x: number[]; t: number }) => w.dot(ex.x).sub(ex.t).square();
    const w = [0.5, -1];
    const batch = { x: [[1, 2], [3, 4], [-1, 0.5]], t: [1, 0, 2] };
    const g = vmap((p: number[], ex: { x: number[]; t: number }) => grad(loss)(p, ex), { inAxes: [null, 0] })(w, batch) as Float64Array;
    const want = batch.x.flatMap((x, i) => {
      const r = w[0] * x[0] + w[1] * x[1] - batch.t[i];
      return [2 * r * x[0], 2 * r * x[1]];
    });
    want.forEach((v, k) => expect(g[k]).toBeCloseTo(v, 14));
  });

  it('inside a transform, an unmapped node argument keeps its derivatives', () => {
    // f(w) = Σᵢ (w·xᵢ)², ∇f = 2 Σᵢ (w·xᵢ) xᵢ, with w passed to vmap unmapped.
    const xs = [[1, 2], [3, 4]];
    const g = grad((w: Tensor) => vmap((x: number[], v: Tensor) => v.dot(x).square(), { inAxes: [0, null] })(xs, w).sum())([1, 1]) as Float64Array;
    expect(Array.from(g)).toEqual([2 * (3 * 1 + 7 * 3), 2 * (3 * 2 + 7 * 4)]);
  });
});
