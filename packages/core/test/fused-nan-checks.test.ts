// The generated loops take a loop's products as they are and redo an element with the
// structural-zero checks only when its result is NaN (fusion.ts, `generate`). That is only sound if
// every 0·∞ (and 0·NaN) shows up as a NaN result, and the redo gives what checking every product
// gives. Checked here against the interpreter, which checks every product: random expressions over
// values full of zeros, infinities and NaN, compared bit for bit, with the 0·∞ counts.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Lazy, allowFusedCodegen, evaluate, tile, type Operand } from '../src/algebra/fusion.js';
import { counter } from './counting-times.js';

const N = 12;
const PERIOD = 4;
const SPECIAL = [0, -0, 1, -1, 2.5, -3, Infinity, -Infinity, NaN, 1e308, -1e308, 5e-324, 1e-300];

/** A random expression over `arrays` (length N), a tiled array (length PERIOD) and numbers. */
function expression(rand: () => number, arrays: Float64Array[], bias: Float64Array, depth: number, masks: boolean): Operand {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  if (depth === 0 || rand() < 0.2) {
    const r = rand();
    if (r < 0.6) return pick(arrays);
    if (r < 0.75) return tile(bias, N);
    return pick(SPECIAL);
  }
  const a = expression(rand, arrays, bias, depth - 1, masks);
  const kind = pick(masks ? (['+', '-', '*', '*', '/', 'neg', 'f1'] as const) : (['+', '-', '*', '*', '*', '/', 'neg'] as const));
  if (kind === 'neg') return typeof a === 'number' ? -a : new Lazy('neg', a, 0, N);
  // A piecewise-constant mask maps NaN to a number: the loop must then check each product.
  if (kind === 'f1') return typeof a === 'number' ? a : new Lazy('f1', a, 0, N, (u) => (u > 0 ? 1 : 0));
  const b = expression(rand, arrays, bias, depth - 1, masks);
  if (typeof a === 'number' && typeof b === 'number') return a;
  return new Lazy(kind, a, b, N);
}

function run(e: Lazy, codegen: boolean, accumulateInto: Float64Array | null) {
  allowFusedCodegen(codegen);
  const { state, times } = counter();
  const out = evaluate(e, times, accumulateInto ? accumulateInto.slice() : null, accumulateInto !== null);
  return { out: Array.from(out), count: state.count };
}

describe('fused loops: products unchecked, an element redone when NaN', () => {
  afterAll(() => allowFusedCodegen(true));

  for (const masks of [false, true]) {
    it(`equal the interpreter bit for bit, with the same 0·∞ count${masks ? ' (with masks: checked per product)' : ''}`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), (seed, depth, accumulate) => {
          let s = seed;
          const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
          const value = () => (rand() < 0.5 ? SPECIAL[Math.floor(rand() * SPECIAL.length)] : rand() * 4 - 2);
          const arrays = [0, 1, 2].map(() => Float64Array.from({ length: N }, value));
          const bias = Float64Array.from({ length: PERIOD }, value);
          const e = expression(rand, arrays, bias, depth, masks);
          if (!(e instanceof Lazy)) return;
          const into = accumulate ? Float64Array.from({ length: N }, value) : null;
          const generated = run(e, true, into);
          const interpreted = run(e, false, into);
          expect(generated.out).toEqual(interpreted.out); // toEqual compares numbers with Object.is
          expect(generated.count).toBe(interpreted.count);
        }),
        { numRuns: 1500 },
      );
    });
  }

  it('a 0·∞ inside a sum is resolved to 0 and counted, not left as NaN', () => {
    const zeros = new Float64Array([0, 0, 1, -0]);
    const big = new Float64Array([Infinity, 2, -Infinity, -Infinity]);
    const e = new Lazy('+', new Lazy('*', zeros, big, 4), 1, 4);
    for (const codegen of [true, false]) {
      const { out, count } = run(e, codegen, null);
      expect(out).toEqual([1, 1, -Infinity, 1]);
      expect(count).toBe(2);
    }
  });

  it('a product that is −0 comes out +0, as the checked product makes it', () => {
    const e = new Lazy('*', new Float64Array([-0, 3, -2]), new Float64Array([5, -0, 0]), 3);
    const { out } = run(e, true, null);
    expect(out.map((x) => Object.is(x, 0))).toEqual([true, true, true]);
  });
});
