// Shared pieces of the op tables: a case is a scalar function of some parameters through the op,
// and a generator of points inside the op's domain.
import type { Scalar, Tensor } from '../../src/index.js';
import { seededUniform } from '../../src/testing/index.js';

export type Case = { readonly f: (x: never) => Scalar; readonly x: () => number | number[] };
export const random = seededUniform(42);
/** n numbers uniform in [lo, hi). */
export const uniform = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + (hi - lo) * random());
/** n numbers with |x| in [lo, hi) and a random sign: away from kinks at 0. */
export const awayFromZero = (n: number, lo: number, hi: number) =>
  uniform(n, lo, hi).map((v) => (random() < 0.5 ? -v : v));

/** A unary op applied to a scalar and (elementwise) to a tensor, mixed so both rules are exercised. */
export function unaryCases(op: (x: never) => unknown, domain: (n: number) => number[]): Case[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const apply = op as unknown as (x: any) => any;
  return [
    { f: (x: Scalar) => apply(x).mul(x), x: () => domain(1)[0] },
    { f: (x: Tensor) => apply(x).mul(x.sin().add(2)).sum(), x: () => domain(4) },
    { f: (x: Tensor) => apply(x.at(0)).mul(apply(x).sum()), x: () => domain(3) },
  ];
}

/** A binary op on scalars, on tensors, with broadcasting and with number constants on each side. */
export function binaryCases(op: (a: never, b: never) => unknown, a: (n: number) => number[], b: (n: number) => number[]): Case[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const apply = op as unknown as (a: unknown, b: unknown) => any;
  // Constants are drawn once here: f must be the same function at every point checkGrads evaluates.
  const [ca] = a(1);
  const [cb] = b(1);
  return [
    { f: (x: Tensor) => apply(x.at(0), x.at(1)).square(), x: () => [a(1)[0], b(1)[0]] },
    { f: (p: { a: Tensor; b: Tensor }) => apply(p.a, p.b).square().sum(), x: () => ({ a: a(4), b: b(4) }) as never },
    // [2,3] with [3] broadcasts b along rows; with a [2,1] column it broadcasts along columns.
    { f: (p: { a: Tensor; b: Tensor }) => apply(p.a.reshape([2, 3]), p.b).square().sum(), x: () => ({ a: a(6), b: b(3) }) as never },
    { f: (p: { a: Tensor; b: Tensor }) => apply(p.a.reshape([2, 3]), p.b.reshape([2, 1])).sin().sum(), x: () => ({ a: a(6), b: b(2) }) as never },
    { f: (x: Tensor) => apply(x.at(0), cb).mul(apply(ca, x.at(1))), x: () => [a(1)[0], b(1)[0]] },
    { f: (x: Tensor) => apply(x, cb).square().sum(), x: () => a(3) },
    { f: (x: Tensor) => apply(ca, x).square().sum(), x: () => b(3) },
    { f: (p: { a: Tensor; s: Scalar }) => apply(p.a, p.s).square().sum(), x: () => ({ a: a(3), s: b(1)[0] }) as never },
  ];
}

export const positive = (n: number) => uniform(n, 0.3, 2.5);
export const anyReal = (n: number) => uniform(n, -2, 2);
/**
 * n numbers in [−2, 2) at least 0.1 apart, in random order: for ops whose derivative jumps where two
 * elements tie (sort, quantile), so that a finite-difference step never crosses a tie.
 */
export const distinctReal = (n: number) => {
  const grid = Array.from({ length: n }, (_, k) => -2 + (4 * (k + 0.25 + 0.5 * random())) / n);
  for (let k = n - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1));
    [grid[k], grid[j]] = [grid[j], grid[k]];
  }
  return grid;
};


/** One family's entries: op name → cases. Every exported op must appear in exactly one family. */
export type Table = Record<string, Case[]>;
