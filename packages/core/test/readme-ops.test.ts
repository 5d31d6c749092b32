// The core README's "Ops" table lists every op of src/ops/index.ts exactly once, and the READMEs'
// op counts and method claims are what the package exports, so the lists cannot fall behind when an
// op is added (the root README once said "33 ops" long after there were more).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import { Scalar, Tensor } from '../src/index.js';
import * as testing from '../src/testing/index.js';
import * as ops from '../src/ops/index.js';

const exported = Object.keys(ops).sort();
const coreReadme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const rootReadme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The markdown of a `## heading` section, up to the next `## `. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  expect(start, `the README has a "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** family → op names, from the rows of the section's table (`| family | \`op\` \`op\` … |`). */
function opTable(markdown: string): Map<string, string[]> {
  const rows = section(markdown, 'Ops').split('\n').filter((line) => line.startsWith('|') && !/^\|\s*(family|-)/.test(line));
  return new Map(rows.map((row) => {
    const [family, names] = row.split('|').slice(1, 3).map((cell) => cell.trim());
    return [family, [...names.matchAll(/`(\w+)`/g)].map((m) => m[1])];
  }));
}

describe('the READMEs list the ops the package exports', () => {
  const table = opTable(coreReadme);
  const listed = [...table.values()].flat();

  it('the core README\'s Ops table holds every exported op', () => {
    expect(exported.filter((name) => !listed.includes(name)), 'exported but not in the table').toEqual([]);
  });

  it('and nothing else, each op once', () => {
    expect(listed.filter((name) => !exported.includes(name)), 'in the table but not exported').toEqual([]);
    expect(listed.filter((name, k) => listed.indexOf(name) !== k), 'listed twice').toEqual([]);
  });

  it('the op counts in both READMEs are the number of exported ops', () => {
    const counts = [...coreReadme.matchAll(/\b(\d+) ops\b/g), ...rootReadme.matchAll(/\b(\d+) ops\b/g)].map((m) => Number(m[1]));
    expect(counts.length).toBeGreaterThanOrEqual(3);
    for (const count of counts) expect(count).toBe(exported.length);
  });

  it('the methods are as the Ops section says: every op a Tensor method, the elementwise ones Scalar methods', () => {
    const method = (proto: object, name: string) => typeof (proto as Record<string, unknown>)[name] === 'function';
    expect(exported.filter((name) => !method(Tensor.prototype, name))).toEqual([]);
    const elementwise = ['arithmetic', 'exponentials and logarithms', 'trigonometric and hyperbolic', 'activations', 'special functions', 'zero derivative (rounding, comparisons, stops)'];
    for (const family of elementwise) {
      expect(table.has(family), `the table has the family "${family}"`).toBe(true);
      for (const name of table.get(family)!) expect(method(Scalar.prototype, name), `Scalar.prototype.${name}`).toBe(true);
    }
  });
});

describe('the core README\'s API table names every exported error class', () => {
  // Its errors row once left out NodeConversionError, SingularMatrixError, NotPositiveDefiniteError
  // and ReentrantSweepError.
  it('each class whose name ends in Error, of the package and of @dualtape/core/testing', () => {
    const api = section(coreReadme, 'API');
    const classes = Object.entries({ ...core, ...testing })
      .filter(([name, value]) => name.endsWith('Error') && typeof value === 'function' && value.prototype instanceof Error)
      .map(([name]) => name);
    expect(classes.length).toBeGreaterThanOrEqual(15);
    expect(classes.filter((name) => !api.includes(`\`${name}\``)), 'exported but not in the API table').toEqual([]);
  });
});
