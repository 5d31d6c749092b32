// The per-op copies of the elementwise primal loops (elementwise/own-loops.ts) and the shared loops
// they stand in for give f applied to the same arguments in every layout: full, a number, a row
// repeated along leading axes, on either side.
import { afterAll, describe, expect, it } from 'vitest';
import { allowLoopCopies, binaryLoop, unaryLoop } from '../src/elementwise/own-loops.js';

const f2 = (a: number, b: number) => a * 3 - b;
const f1 = (x: number, p: number) => x * x + p;
const range = (n: number, s: number) => Float64Array.from({ length: n }, (_, k) => Math.sin(k * s + 1));

function expected(as: Float64Array, bs: Float64Array, n: number): number[] {
  return Array.from({ length: n }, (_, k) => f2(as.length === n ? as[k] : as[k % as.length], bs.length === n ? bs[k] : bs[k % bs.length]));
}

describe.each([true, false])('own loops (copies %s)', (copies) => {
  afterAll(() => allowLoopCopies(true));
  it('binary: full, a number and a repeated row on either side', () => {
    allowLoopCopies(copies);
    const n = 12;
    const full = range(n, 0.7);
    for (const [as, bs, layout] of [
      [full, range(n, 0.3), 0], [full, range(1, 0.3), 1], [full, range(4, 0.3), 1], [range(1, 0.9), full, 2], [range(3, 0.9), full, 2],
    ] as const) {
      const ys = new Float64Array(n);
      binaryLoop(f2)(as, bs, ys, layout);
      expect(Array.from(ys)).toEqual(expected(as, bs, n));
    }
  });
  it('unary, with its parameter', () => {
    allowLoopCopies(copies);
    const xs = range(9, 1.1), ys = new Float64Array(9);
    unaryLoop(f1)(xs, ys, 0.5);
    expect(Array.from(ys)).toEqual(Array.from(xs, (x) => f1(x, 0.5)));
  });
});
