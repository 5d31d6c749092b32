// Two elementwise expressions in one loop (fusion.ts, evaluatePair): an elementwise rule's adjoint
// and R-adjoint share f′(x), x and ȳ, and the tape writes both with one pass (Tape.addBarPair); a
// unary op's value y = f(x) and tangent f′(x)·R{x} share y (unary.ts, valueAndTangent). The
// pair must give exactly what evaluating each expression alone gives, in the order the rules write
// them (R{x̄} first), including the structural-zero redo, additions into existing lanes, and outputs
// that are arrays the expressions read (a freeing sweep's spent lanes).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Lazy, SPLIT_MIN, allowFusedCodegen, evaluate, evaluatePair, pairLoopsRun, pairable, tile, type Operand } from '../src/algebra/fusion.js';
import { compile, gradAndHvp, hvpMany, tanh, exp, sin, type Tensor } from '../src/index.js';
import { counter } from './counting-times.js';

const N = 12;
const PERIOD = 4;
const SPECIAL = [0, -0, 1, -1, 2.5, -3, Infinity, -Infinity, NaN, 1e308, -1e308, 5e-324, 1e-300];

type Rand = () => number;

/** A random expression over `leaves` (arrays of length N, tiles, numbers, or subexpressions to share). */
function expression(rand: Rand, leaves: readonly Operand[], depth: number, masks: boolean): Operand {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  if (depth === 0 || rand() < 0.2) return rand() < 0.8 ? pick(leaves) : pick(SPECIAL);
  const a = expression(rand, leaves, depth - 1, masks);
  const kind = pick(masks ? (['+', '-', '*', '*', '/', 'neg', 'f1'] as const) : (['+', '-', '*', '*', '*', '/', 'neg'] as const));
  if (kind === 'neg') return typeof a === 'number' ? -a : new Lazy('neg', a, 0, N);
  if (kind === 'f1') return typeof a === 'number' ? a : new Lazy('f1', a, 0, N, (u) => (u > 0 ? 1 : 0));
  const b = expression(rand, leaves, depth - 1, masks);
  if (typeof a === 'number' && typeof b === 'number') return a;
  return new Lazy(kind, a, b, N);
}

/** All Lazy nodes of an expression (to share some of e0's work with e1). */
function subexpressions(e: Operand, into: Lazy[] = []): Lazy[] {
  if (e instanceof Lazy) {
    into.push(e);
    subexpressions(e.a, into);
    if (e.kind !== 'tile') subexpressions(e.b, into);
  }
  return into;
}

describe('evaluatePair: two expressions in one loop', () => {
  afterAll(() => allowFusedCodegen(true));

  for (const masks of [false, true]) {
    it(`equals evaluating each alone, bit for bit, and finds a 0·∞ exactly when they do${masks ? ' (with masks)' : ''}`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: 1, max: 5 }),
          fc.constantFrom('new', 'add', 'in place'), fc.constantFrom('new', 'add', 'in place'),
          (seed, depth, how0, how1) => {
            let s = seed;
            const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
            const value = () => (rand() < 0.5 ? SPECIAL[Math.floor(rand() * SPECIAL.length)] : rand() * 4 - 2);
            const fresh = () => Float64Array.from({ length: N }, value);
            const bias = Float64Array.from({ length: PERIOD }, value);
            // A0 is read by e0 only (out0 may be it, as a spent lane); A3 by e1 only; A1, A2 by both.
            const A = [fresh(), fresh(), fresh(), fresh()];
            const e0 = expression(rand, [A[0], A[1], A[2], tile(bias, N)], depth, masks);
            if (!(e0 instanceof Lazy)) return;
            const shared = subexpressions(e0).filter((x) => !reads(x, A[0]));
            const e1 = expression(rand, [A[1], A[2], A[3], tile(bias, N), ...shared], depth, masks);
            if (!(e1 instanceof Lazy) || reads(e1, A[0])) return;
            const start0 = fresh(), start1 = fresh();
            // Each run gets its own copies of every array that may be written.
            const setup = () => {
              const copies = A.map((a) => a.slice());
              const swap = (e: Lazy): Lazy => remap(e, A, copies) as Lazy;
              const out = (how: string, start: Float64Array, inPlace: Float64Array) =>
                how === 'new' ? null : how === 'add' ? start.slice() : inPlace;
              return {
                e0: swap(e0), e1: swap(e1),
                out0: out(how0, start0, copies[0]), out1: out(how1, start1, copies[3]),
              };
            };
            const acc0 = how0 !== 'new', acc1 = how1 !== 'new';
            const alone = setup(), both = setup();
            const c1 = counter(), c2 = counter();
            allowFusedCodegen(true);
            const r0 = evaluate(alone.e0, c1.times, alone.out0, acc0);
            const r1 = evaluate(alone.e1, c1.times, alone.out1, acc1);
            expect(pairable(both.e0, both.e1)).toBe(true);
            const before = pairLoopsRun();
            const [p0, p1] = evaluatePair(both.e0, both.out0, acc0, both.e1, both.out1, acc1, c2.times);
            expect(pairLoopsRun()).toBe(before + 1);
            expect(Array.from(p0)).toEqual(Array.from(r0)); // toEqual compares numbers with Object.is
            expect(Array.from(p1)).toEqual(Array.from(r1));
            expect(c2.state.count > 0).toBe(c1.state.count > 0);
            if (both.out0) expect(p0).toBe(both.out0);
            if (both.out1) expect(p1).toBe(both.out1);
          },
        ),
        { numRuns: 1500 },
      );
    });
  }

  it('is declined for expressions of different lengths, or one expression twice', () => {
    const x = new Float64Array(SPLIT_MIN).fill(0.5);
    const n = x.length;
    const plain = new Lazy('*', x, x, n);
    expect(pairable(plain, new Lazy('f1', x, 0, n, Math.tanh))).toBe(true); // long loops of functions split as a pair (split-loops.test.ts)
    expect(pairable(plain, new Lazy('+', x.subarray(0, 10), 1, 10))).toBe(false);
    expect(pairable(plain, plain)).toBe(false);
  });

  it('falls back to one loop each where code cannot be generated, with the same numbers', () => {
    const x = Float64Array.from({ length: N }, (_, k) => k - 5.5);
    const e0 = new Lazy('*', x, new Lazy('-', 1, new Lazy('*', x, x, N), N), N);
    const e1 = new Lazy('+', e0, x, N);
    const { times } = counter();
    const generated = evaluatePair(e0, null, false, e1, null, false, times);
    allowFusedCodegen(false);
    try {
      expect(pairable(e0, e1)).toBe(false);
      const interpreted = evaluatePair(e0, null, false, e1, null, false, times);
      expect(Array.from(interpreted[0])).toEqual(Array.from(generated[0]));
      expect(Array.from(interpreted[1])).toEqual(Array.from(generated[1]));
    } finally {
      allowFusedCodegen(true);
    }
  });
});

describe('elementwise ops compute a value with its tangent, and an adjoint with its R-adjoint, in one loop each', () => {
  it('on the tape (gradAndHvp of tanh, exp, sin and a product over a tensor: value with tangent, adjoint with R-adjoint), matching the closed forms', () => {
    const xs = [0.3, -1.2, 2.0, 0.0, -0.7];
    const v = [1, -2, 0.5, 3, -1];
    const cases = [
      // A unary op: its value and tangent are one loop as f is recorded, its adjoint and R-adjoint another.
      { f: (x: Tensor) => tanh(x).sum(), pairs: 2, d1: (u: number) => 1 - Math.tanh(u) ** 2, d2: (u: number) => -2 * Math.tanh(u) * (1 - Math.tanh(u) ** 2) },
      { f: (x: Tensor) => exp(x).sum(), pairs: 2, d1: Math.exp, d2: Math.exp },
      { f: (x: Tensor) => sin(x).sum(), pairs: 2, d1: Math.cos, d2: (u: number) => -Math.sin(u) },
      // A binary rule: each operand's pair (mul's, whose operands are x and x + 1).
      { f: (x: Tensor) => x.mul(x.add(1)).sum(), pairs: 2, d1: (u: number) => 2 * u + 1, d2: () => 2 },
      // An op with its own rules (square's tangent is its own: only the backward pair).
      { f: (x: Tensor) => x.square().sum(), pairs: 1, d1: (u: number) => 2 * u, d2: () => 2 },
    ];
    for (const c of cases) {
      const before = pairLoopsRun();
      const r = gradAndHvp(c.f, xs, v);
      expect(pairLoopsRun() - before).toBe(c.pairs);
      xs.forEach((u, k) => {
        expect(r.grad[k]).toBeCloseTo(c.d1(u), 14);
        expect(r.hvp[k]).toBeCloseTo(c.d2(u) * v[k], 13);
      });
    }
  });

  it('in a compiled replay with a direction too (Tape.forwardValuesAndTangents), bit for bit as gradAndHvp', () => {
    const f = (x: Tensor) => tanh(x.mul(0.7).add(0.1)).mul(exp(x.mul(-0.3))).sum();
    const x0 = [0.2, -0.5, 1.1, 0.9, -1.4, 0.05];
    const program = compile(f, x0);
    for (const [x, v] of [[[0.3, -0.1, 0.8, 1.2, -2, 0.4], [1, 0, -1, 2, 0.5, -0.3]], [[-1, 2, 0.5, 0, 0.25, -0.75], [0.1, 0.2, 0.3, -0.4, 0, 1]]]) {
      let before = pairLoopsRun();
      const replayed = program.gradAndHvp(x, v);
      const replayPairs = pairLoopsRun() - before;
      before = pairLoopsRun();
      const recorded = gradAndHvp(f, x, v);
      // The same pairs as recording with tangents: tanh's and exp's values with their tangents, and the adjoint pairs.
      expect(replayPairs).toBe(pairLoopsRun() - before);
      expect(replayPairs).toBeGreaterThanOrEqual(4);
      expect(Object.is(replayed.value, recorded.value)).toBe(true);
      expect(Array.from(replayed.grad as Float64Array)).toEqual(Array.from(recorded.grad));
      expect(Array.from(replayed.hvp as Float64Array)).toEqual(Array.from(recorded.hvp));
    }
  });

  it('a replay where code cannot be generated (no Function: a Content-Security-Policy) gives the same numbers', () => {
    // A function not compiled before, so its replay's passes are generated (or refused) afresh.
    const f = (x: Tensor) => sin(x.mul(1.3)).mul(tanh(x)).sum().add(exp(x.mul(0.2)).sum());
    const x = [0.3, -0.1, 0.8, 1.2, -2, 0.4], v = [1, 0, -1, 2, 0.5, -0.3];
    const recorded = gradAndHvp(f, x, v);
    const realFunction = globalThis.Function;
    globalThis.Function = function refused() {
      throw new EvalError('code generation from strings disallowed for this context');
    } as unknown as FunctionConstructor;
    let replayed;
    try {
      replayed = compile(f, [0, 0, 0, 0, 0, 0]).gradAndHvp(x, v);
    } finally {
      globalThis.Function = realFunction;
      allowFusedCodegen(true); // the fused loops noticed too
    }
    expect(Object.is(replayed.value, recorded.value)).toBe(true);
    expect(Array.from(replayed.grad as Float64Array)).toEqual(Array.from(recorded.grad));
    expect(Array.from(replayed.hvp as Float64Array)).toEqual(Array.from(recorded.hvp));
  });

  it('adding into a lane that already holds an adjoint (x used twice), equal to one loop each', () => {
    const f = (x: Tensor) => tanh(x).mul(x).sum().add(exp(x.mul(0.5)).sum());
    const x = [0.4, -0.9, 1.7, 0.05];
    const v = [0.3, 1, -2, 0.5];
    const fused = gradAndHvp(f, x, v);
    allowFusedCodegen(false);
    try {
      const separate = gradAndHvp(f, x, v);
      expect(Array.from(fused.grad)).toEqual(Array.from(separate.grad));
      expect(Array.from(fused.hvp)).toEqual(Array.from(separate.hvp));
    } finally {
      allowFusedCodegen(true);
    }
    // hvpMany's lane stacks are not the tape's lanes: they write one lane at a time, to the same numbers.
    const many = hvpMany(f, x, Float64Array.from(v));
    expect(Array.from(many)).toEqual(Array.from(fused.hvp));
  });
});

/** Whether expression e reads array a. */
function reads(e: Operand, a: Float64Array): boolean {
  if (e === a) return true;
  if (!(e instanceof Lazy)) return false;
  return reads(e.a, a) || (e.kind !== 'tile' && reads(e.b, a));
}

/** e with each array from[i] replaced by to[i] (shared subexpressions stay shared). */
function remap(e: Operand, from: Float64Array[], to: Float64Array[], seen = new Map<Lazy, Lazy>()): Operand {
  if (e instanceof Float64Array) {
    const i = from.indexOf(e);
    return i >= 0 ? to[i] : e;
  }
  if (!(e instanceof Lazy)) return e;
  const known = seen.get(e);
  if (known) return known;
  const copy = new Lazy(e.kind, remap(e.a, from, to, seen), e.kind === 'tile' ? e.b : remap(e.b, from, to, seen), e.n, e.fn);
  seen.set(e, copy);
  return copy;
}
