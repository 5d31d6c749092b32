// A node made outside any transform (tensor(), scalar(), or ops on them) may be used inside f as a
// constant. Every op must bring such an operand onto the transform's tape, not read it by an index
// that belongs to another tape. Checked through the op tables: each case with several parameters is
// run again with one of them made outside f, and must give the other parameters' gradient and H·v
// exactly as when that parameter is a leaf with a zero direction.
import { describe, expect, it } from 'vitest';
import { gradAndHvp, scalar, tensor, type Node } from '../src/index.js';
import { families } from './op-tables/index.js';

type Tree = Record<string, number | number[]>;
type Result = { value: number; grad: Record<string, unknown>; hvp: Record<string, unknown> };

describe('an operand made outside the transform is a constant, for every op', () => {
  for (const [family, table] of Object.entries(families)) {
    for (const [name, cases] of Object.entries(table)) {
      const many = cases.filter((c) => { const x = c.x(); return typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length >= 2; });
      if (many.length === 0) continue;
      it(`${family}: ${name}`, () => {
        for (const c of many) {
          const x0 = c.x() as unknown as Tree;
          for (const k of Object.keys(x0)) {
            const outside: Node = typeof x0[k] === 'number' ? scalar(x0[k] as number) : tensor(x0[k] as number[]);
            const rest: Tree = { ...x0 };
            delete rest[k];
            const direction = (tree: Tree, j = 0): Tree =>
              Object.fromEntries(Object.entries(tree).map(([key, val]) =>
                [key, typeof val === 'number' ? Math.sin(++j) : val.map(() => Math.sin(++j))]));
            const vRest = direction(rest);
            // The same directions, in x's key order, with a zero direction for the parameter made outside.
            const vFull: Tree = Object.fromEntries(Object.keys(x0).map((key) => [key, key !== k ? vRest[key]
              : typeof x0[k] === 'number' ? 0 : (x0[k] as number[]).map(() => 0)]));
            const f = c.f as unknown as (p: Record<string, unknown>) => never;
            const got = gradAndHvp(((p: Tree) => f({ ...p, [k]: outside })) as never, rest as never, vRest as never) as unknown as Result;
            const want = gradAndHvp(f as never, x0 as never, vFull as never) as unknown as Result;
            const label = `${name}, ${k} made outside f`;
            expect(got.value, label).toBeCloseTo(want.value, 12);
            for (const key of Object.keys(rest)) {
              const close = (a: unknown, b: unknown, what: string) => {
                const av = Array.from(typeof a === 'number' ? [a] : (a as Float64Array));
                const bv = Array.from(typeof b === 'number' ? [b] : (b as Float64Array));
                expect(av.length, `${label}: ${what} ${key}`).toBe(bv.length);
                av.forEach((u, j) => expect(Math.abs(u - bv[j]), `${label}: ${what} ${key}[${j}]`).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(bv[j]))));
              };
              close(got.grad[key], want.grad[key], 'grad');
              close(got.hvp[key], want.hvp[key], 'hvp');
            }
          }
        }
      });
    }
  }
});
