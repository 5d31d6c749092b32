// The op tables, one file per family of ops (see cases.ts for the shape of an entry).
import { it } from 'vitest';
import type { Pytree } from '../../src/index.js';
import type { Case } from './cases.js';
import { table as core } from './core.js';
import { table as elementwise } from './elementwise.js';
import { table as reductions } from './reductions.js';
import { table as shapes } from './shapes.js';
import { table as products } from './products.js';
import { table as nn } from './nn.js';
import { table as linalg } from './linalg.js';

export const families = { core, elementwise, reductions, shapes, products, nn, linalg };

/**
 * One test per entry of the op tables, named `family: op`, running `check` on each of its cases at a
 * fresh point x (drawn from the tables' seeded stream, in order); `label` names the case in messages,
 * `family` is the table's.
 */
export function eachOpCase(check: (c: Case, x: Pytree, label: string, family: string) => void): void {
  for (const [family, table] of Object.entries(families)) {
    for (const [name, cases] of Object.entries(table)) {
      it(`${family}: ${name}`, () => {
        (cases as Case[]).forEach((c, index) => check(c, c.x() as Pytree, `${name} case ${index}`, family));
      });
    }
  }
}
