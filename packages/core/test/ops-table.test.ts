// Every exported op through checkGrads at order 2 (finite differences of f and of ∇f, the
// dot-product test, H·v symmetry), at random points inside its domain, as a scalar op and as a
// tensor op where it has both forms, and case 0 of each at order 4 through nested transforms.
// The cases live in op-tables/, one file per family; a test fails if an exported op has no entry.
import { describe, expect, it } from 'vitest';
import * as ops from '../src/ops/index.js';
import { checkGrads } from '../src/testing/index.js';
import { families } from './op-tables/index.js';

const table = Object.assign({}, ...Object.values(families)) as Record<string, (typeof families)[keyof typeof families][string]>;

describe('op tables', () => {
  it('every op appears in exactly one family', () => {
    const seen = Object.values(families).flatMap((t) => Object.keys(t));
    expect(seen.filter((name, k) => seen.indexOf(name) !== k)).toEqual([]);
  });
});

describe('op table', () => {
  it('has an entry for every exported op', () => {
    const missing = Object.keys(ops).filter((name) => !(name in table));
    expect(missing).toEqual([]);
  });

  for (const [name, cases] of Object.entries(table)) {
    describe(name, () => {
      cases.forEach((c, k) => {
        it(`case ${k}: checkGrads at order 2`, () => {
          for (let trial = 0; trial < 3; trial++) {
            const checks = checkGrads(c.f as never, c.x() as never, { order: 2, seed: trial + 1 });
            expect(checks.every((ch) => ch.passed)).toBe(true);
          }
        });
      });
      // Every op's rules run again on nodes when a transform is nested: third and fourth derivatives
      // through the op, each against finite differences of the order below (checkGrads order ≥ 3).
      it('case 0: checkGrads at order 4 (nested transforms)', () => {
        const checks = checkGrads(cases[0].f as never, cases[0].x() as never, { order: 4, directions: 1, seed: 7, fdTolerance: 1e-5 });
        expect(checks.filter((ch) => ch.name.startsWith('order 4')).length).toBe(1);
        expect(checks.every((ch) => ch.passed)).toBe(true);
      });
    });
  }
});
