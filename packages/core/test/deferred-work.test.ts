// Deferred sums: the value of add and sub on tensors (operands full, one number, or a bias tiled along
// leading axes), and light tangents (a sum with a bias's tangent), are left as work undone; an
// elementwise op that reads them fuses them into its own loop (Lanes.fusedVal), anything else computes
// them once, on first read. Checked: the numbers are those computed at once, bit for bit, however the
// value is read; derivatives against finite differences at orders 1–3, in nested transforms and in
// compiled replays; and the arrays a bias add + tanh no longer makes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  add, compile, grad, gradAndHvp, hessian, hvp, hvpOperator, jvp, sub, tensor, trace, valueAndGrad, vjp,
  type Scalar, type Tensor,
} from '../src/index.js';
import { checkGrads, seededUniform } from '../src/testing/index.js';
import { madeDuring } from './allocations.js';

const random = seededUniform(4242);
const rand = (n: number) => Float64Array.from({ length: n }, () => 2 * random() - 1);
const bitsOf = (a: ArrayLike<number>) => Array.from(a, (x) => (Object.is(x, -0) ? '-0' : String(x)));

describe('a deferred sum reads as the sum computed at once, bit for bit', () => {
  const N = 5, H = 7;
  const A = rand(N * H), b = rand(H), c = rand(N * H);

  it('through .value and .tangent, a reduction, a product, a second deferred sum and a trace', () => {
    const C = tensor(c, [N, H]), M = tensor(rand(H * 2), [H, 2]);
    const seen: Record<string, string[]> = {};
    const body = (p: { a: Tensor; b: Tensor }, eager: boolean) => {
      let s = add(p.a.reshape([N, H]), p.b); // deferred
      if (eager) s = s.mul(1); // computed at once: mul is never deferred, and ·1 is exact
      let d = sub(s, C); // deferred on a deferred operand
      if (eager) d = d.mul(1);
      const z = s.tanh(); // fuses s into its own loop
      if (!eager) {
        seen.s = bitsOf(s.value); // read after tanh has fused it
        seen.d = bitsOf(d.value);
        seen.sTangent = bitsOf(s.tangent);
      }
      return z.sum().add(d.matmul(M).square().sum()).add(s.sum());
    };
    const v = { a: rand(N * H), b: rand(H) };
    const lazy = gradAndHvp((p: { a: Tensor; b: Tensor }) => body(p, false), { a: A, b }, v);
    const eager = gradAndHvp((p: { a: Tensor; b: Tensor }) => body(p, true), { a: A, b }, v);
    const expectedS = Array.from({ length: N * H }, (_, k) => A[k] + b[k % H]);
    expect(seen.s).toEqual(bitsOf(expectedS));
    expect(seen.d).toEqual(bitsOf(expectedS.map((x, k) => x - c[k])));
    expect(seen.sTangent).toEqual(bitsOf(Array.from({ length: N * H }, (_, k) => v.a[k] + v.b[k % H])));
    expect(lazy.value).toBe(eager.value);
    expect(bitsOf(lazy.grad.b as Float64Array)).toEqual(bitsOf(eager.grad.b as Float64Array));
    expect(bitsOf(lazy.hvp.a as Float64Array)).toEqual(bitsOf(eager.hvp.a as Float64Array));
    // A trace reads every node's value: the add's row holds the sum.
    const t = trace((p: Tensor) => add(p.reshape([N, H]), b).tanh().sum(), A, v.a);
    const row = t.rows.find((r) => r.op === 'add')!;
    expect(bitsOf(row.value as Float64Array)).toEqual(bitsOf(expectedS));
    // …and says that the sweeps themselves never wrote it out; a sum read by a product is written out.
    expect(row.detail).toBe('left undone: computed inside the loops that read it');
    const u = trace((p: Tensor) => add(p.reshape([N, H]), b).matmul(M).sum(), A, v.a);
    expect(u.rows.find((r) => r.op === 'add')!.detail).toBeUndefined();
  });

  it('gives the numbers of the same function with the sums computed at once, over random biases and chains', () => {
    const W = tensor(rand(H * 3), [H, 3]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 2 ** 30 }), (depth, seed) => {
        const r = seededUniform(seed);
        const bs = Array.from({ length: depth }, () => Float64Array.from({ length: H }, () => 2 * r() - 1));
        const x = Float64Array.from({ length: N * H }, () => 2 * r() - 1), v = Float64Array.from({ length: N * H }, () => 2 * r() - 1);
        // x + b₁ − b₂ + b₃ …, then tanh and a product: the chain grows past the light budget at depth 5.
        const chain = (p: Tensor, eager: boolean) => {
          let s: Tensor = p.reshape([N, H]);
          bs.forEach((bk, k) => {
            s = k % 2 ? sub(s, bk) : add(s, bk);
            if (eager) s = s.mul(1); // computed at once: mul is never deferred, and ·1 is exact
          });
          return s.tanh().matmul(W).square().sum();
        };
        const lazy = gradAndHvp((p: Tensor) => chain(p, false), x, v);
        const eager = gradAndHvp((p: Tensor) => chain(p, true), x, v);
        expect(lazy.value).toBe(eager.value);
        expect(bitsOf(lazy.grad as Float64Array)).toEqual(bitsOf(eager.grad as Float64Array));
        expect(bitsOf(lazy.hvp as Float64Array)).toEqual(bitsOf(eager.hvp as Float64Array));
      }),
      { numRuns: 40, seed: 5 },
    );
  });
});

describe('non-finite numbers through deferred sums', () => {
  it('give what the sums computed at once give, bit for bit; strict mode reports them alike', () => {
    const N = 3, H = 4;
    const specials = [Infinity, -Infinity, NaN, 0, -0, 1e308, -1e308, 5e-324];
    const W = tensor(rand(H * 2), [H, 2]);
    const body = (p: { a: Tensor; b: Tensor }, eager: boolean) => {
      let s = sub(add(p.a.reshape([N, H]), p.b), 0.5);
      if (eager) s = s.mul(1);
      return s.tanh().add(s.exp().mul(1e-3)).matmul(W).square().sum();
    };
    for (let trial = 0; trial < 20; trial++) {
      const r = seededUniform(trial);
      const pick = () => (r() < 0.3 ? specials[Math.floor(r() * specials.length)] : 4 * r() - 2);
      const x = { a: Float64Array.from({ length: N * H }, pick), b: Float64Array.from({ length: H }, pick) };
      const v = { a: Float64Array.from({ length: N * H }, pick), b: Float64Array.from({ length: H }, pick) };
      const lazy = gradAndHvp((p: { a: Tensor; b: Tensor }) => body(p, false), x, v);
      const eager = gradAndHvp((p: { a: Tensor; b: Tensor }) => body(p, true), x, v);
      expect(String(lazy.value)).toBe(String(eager.value));
      expect(bitsOf(lazy.grad.a as Float64Array)).toEqual(bitsOf(eager.grad.a as Float64Array));
      expect(bitsOf(lazy.hvp.b as Float64Array)).toEqual(bitsOf(eager.hvp.b as Float64Array));
      const strict = (eagerly: boolean) => {
        try {
          gradAndHvp((p: { a: Tensor; b: Tensor }) => body(p, eagerly), x, v, { checkFinite: true });
          return 'finite';
        } catch (e) {
          return (e as Error).constructor.name;
        }
      };
      expect(strict(false)).toBe(strict(true));
    }
  });
});

describe('derivatives through deferred sums', () => {
  const N = 4, D = 3, H = 5;
  const X = rand(N * D);
  const layer = (p: { w: Tensor; b: Tensor }) => tensor(X, [N, D]).matmul(p.w.reshape([D, H])).add(p.b).tanh();
  const f = (p: { w: Tensor; b: Tensor }) => layer(p).sub(0.25).square().sum();
  const x = { w: rand(D * H), b: rand(H) };

  it('agree with finite differences to order 3', () => {
    expect(checkGrads(f, x, { order: 3 }).filter((c) => !c.passed)).toEqual([]);
  });

  it('in nested transforms: ∇‖∇f‖² and a jvp of the gradient against finite differences', () => {
    const g2 = (p: { w: Tensor; b: Tensor }): Scalar => {
      const g = grad(f)(p) as { w: Tensor; b: Tensor };
      return g.w.square().sum().add(g.b.square().sum());
    };
    expect(checkGrads(g2, x, { order: 2 }).filter((c) => !c.passed)).toEqual([]);
    const d = { w: rand(D * H), b: rand(H) };
    const h = 1e-5;
    const at = (s: number) => ({ w: x.w.map((wi, k) => wi + s * d.w[k]), b: x.b.map((bi, k) => bi + s * d.b[k]) });
    const gPlus = grad(f)(at(h)) as { w: Float64Array }, gMinus = grad(f)(at(-h)) as { w: Float64Array };
    const tangent = jvp((p: { w: Tensor; b: Tensor }) => (grad(f)(p) as { w: Tensor }).w, x, d).tangent as Float64Array;
    for (let k = 0; k < tangent.length; k++) expect(tangent[k]).toBeCloseTo((gPlus.w[k] - gMinus.w[k]) / (2 * h), 6);
  });

  it('the same numbers from every transform and from a compiled replay at a new point', () => {
    const v = { w: rand(D * H), b: rand(H) };
    const r = gradAndHvp(f, x, v);
    expect(bitsOf(hvp(f, x, v).w as Float64Array)).toEqual(bitsOf(r.hvp.w as Float64Array));
    expect(bitsOf(hvpOperator(f, x).apply(v).w as Float64Array)).toEqual(bitsOf(r.hvp.w as Float64Array));
    expect(bitsOf(valueAndGrad(f)(x).grad.b as Float64Array)).toEqual(bitsOf(r.grad.b as Float64Array));
    // The Hessian's lanes read the deferred sum too: its columns are the single-direction H·eⱼ.
    const W = D * H + H;
    const H1 = hessian(f, x);
    const single = hvpOperator(f, x);
    for (const j of [0, 7, D * H - 1, D * H, W - 1]) {
      const e = new Float64Array(W);
      e[j] = 1;
      const col = single.applyFlat(e);
      for (let k = 0; k < W; k++) expect(Math.abs(H1[k * W + j] - col[k])).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(col[k])));
    }
    const x2 = { w: rand(D * H), b: rand(H) };
    const program = compile(f, x);
    const replay = program.gradAndHvp(x2, v);
    const fresh = gradAndHvp(f, x2, v);
    expect(bitsOf(replay.hvp.w as Float64Array)).toEqual(bitsOf(fresh.hvp.w as Float64Array));
    expect(bitsOf(replay.grad.b as Float64Array)).toEqual(bitsOf(fresh.grad.b as Float64Array));
    const pull = vjp((p: { w: Tensor; b: Tensor }) => layer(p), x);
    const ct = rand(N * H);
    const back = pull.pullback(ct) as { b: Float64Array };
    // ∂/∂b of ⟨ct, tanh(XW + b)⟩ = Σₙ ct ⊙ (1 − z²), by hand.
    const z = layer({ w: tensor(x.w), b: tensor(x.b) } as never).value;
    for (let j = 0; j < H; j++) {
      let s = 0;
      for (let n = 0; n < N; n++) s += ct[n * H + j] * (1 - z[n * H + j] ** 2);
      expect(back.b[j]).toBeCloseTo(s, 12);
    }
  });
});

describe('the arrays a bias add and its activation no longer make', () => {
  it('tanh(X·W + b): the sum is never written out, forward or backward', () => {
    const N = 20, D = 6, H = 30;
    const X = rand(N * D), w = rand(D * H), b = rand(H), vw = rand(D * H), vb = rand(H);
    const f = (p: { w: Tensor; b: Tensor }) => tensor(X, [N, D]).matmul(p.w.reshape([D, H])).add(p.b).tanh().sum();
    // Forward: the product's value and tangent, tanh's value and tangent (4); the add has neither.
    // Backward: the sum's ȳ spread (1) and tanh's R{x̄}, which has no R{ȳ} to reuse (1); the add hands
    // its adjoints on.
    expect(madeCount(N * H, () => gradAndHvp(f, { w, b }, { w: vw, b: vb }))).toBe(4 + 2);
    // Written with the sum computed at once (·1), two arrays more: its value and tangent.
    const g = (p: { w: Tensor; b: Tensor }) => tensor(X, [N, D]).matmul(p.w.reshape([D, H])).add(p.b).mul(1).tanh().sum();
    expect(madeCount(N * H, () => gradAndHvp(g, { w, b }, { w: vw, b: vb }))).toBeGreaterThanOrEqual(4 + 2 + 2);
    // A compiled replay leaves the sum undone too. Forward: the same 4. Backward, with every lane kept:
    // the sum's ȳ spread (1), and tanh's x̄ and R{x̄} (2), which the add hands on to the product.
    const x2 = { w: rand(D * H), b: rand(H) };
    const program = compile(f, { w, b });
    expect(madeCount(N * H, () => program.gradAndHvp(x2, { w: vw, b: vb }))).toBe(4 + 3);
    expect(bitsOf(program.gradAndHvp(x2, { w: vw, b: vb }).hvp.w as Float64Array)).toEqual(bitsOf(gradAndHvp(f, x2, { w: vw, b: vb }).hvp.w as Float64Array));
  });
});

describe('what counts as light work (isLight)', () => {
  it('sums, differences, negations and tiles of held arrays, up to the budget; never a product, a function or a fresh array', async () => {
    const { Lazy, isLight, tile } = await import('../src/algebra/fusion.js');
    const { fresh, isHeld, keep } = await import('../src/algebra/numbers.js');
    const a = keep(rand(6)), b = keep(rand(6)), bias = keep(rand(3));
    const sum = new Lazy('+', a, tile(bias, 6), 6);
    expect(isLight(sum, isHeld)).toBe(true);
    expect(isLight(new Lazy('-', new Lazy('neg', sum, 0, 6), b, 6), isHeld)).toBe(true);
    // Over the budget of four steps.
    let chain: InstanceType<typeof Lazy> = sum;
    for (let k = 0; k < 4; k++) chain = new Lazy('+', chain, b, 6);
    expect(isLight(chain, isHeld)).toBe(false);
    expect(isLight(new Lazy('*', a, b, 6), isHeld)).toBe(false);
    expect(isLight(new Lazy('f1', a, 0, 6, Math.tanh as (u: number, v: number) => number), isHeld)).toBe(false);
    // Two fresh products: left undone, their sum would keep both alive; computed, only itself.
    const p = fresh(rand(6)), q = fresh(rand(6));
    expect(isLight(new Lazy('+', p, q, 6), isHeld)).toBe(false);
    expect(isLight(new Lazy('+', p, q, 6), () => true)).toBe(true);
  });
});

/** New arrays of `size` numbers that `run` makes. */
const madeCount = (size: number, run: () => unknown) => madeDuring(size, run).made;
