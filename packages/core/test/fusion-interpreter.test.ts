// Where code generation is forbidden (a Content-Security-Policy without 'unsafe-eval'), fused
// elementwise loops run through an interpreter. It must give the same numbers, bit for bit, as the
// generated loops: checked over every op-table case, value, gradient and H·v.
import { afterAll, describe, expect, it } from 'vitest';
import { gradAndHvp } from '../src/index.js';
import { allowFusedCodegen } from '../src/algebra/fusion.js';
import { families } from './op-tables/index.js';

const flat = (x: unknown): number[] =>
  typeof x === 'number' ? [x] : x instanceof Float64Array ? Array.from(x) : Object.values(x as object).flatMap(flat);

/** A direction shaped like x, fixed per position. */
function directionLike(x: unknown, next: () => number): unknown {
  if (typeof x === 'number') return next();
  if (Array.isArray(x) || x instanceof Float64Array) return Array.from(x as ArrayLike<number>, () => next());
  return Object.fromEntries(Object.entries(x as object).map(([k, v]) => [k, directionLike(v, next)]));
}

describe('the fused-loop interpreter equals the generated loops, bit for bit', () => {
  afterAll(() => allowFusedCodegen(true));
  for (const [family, table] of Object.entries(families)) {
    it(family, () => {
      for (const [name, cases] of Object.entries(table)) {
        for (const [k, c] of cases.entries()) {
          const x = c.x();
          let j = 0;
          const v = directionLike(x, () => Math.cos(++j));
          allowFusedCodegen(true);
          const generated = gradAndHvp(c.f as never, x as never, v as never);
          allowFusedCodegen(false);
          const interpreted = gradAndHvp(c.f as never, x as never, v as never);
          const label = `${name} case ${k}`;
          expect(Object.is(interpreted.value, generated.value) || interpreted.value === generated.value, `${label}: value`).toBe(true);
          expect(flat(interpreted.grad), `${label}: grad`).toEqual(flat(generated.grad));
          expect(flat(interpreted.hvp), `${label}: hvp`).toEqual(flat(generated.hvp));
        }
      }
    });
  }
});
