// Docs that cannot rot: every ```ts block of the pages below appears, line for line (indentation
// aside), in one of the example scripts, which run and check their own numbers (examples.test.ts);
// and every relative link of the documentation points at a file that exists.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const examples = join(root, 'examples');

/** Pages whose code blocks must be runnable: each block is a verbatim excerpt of an example. */
const CHECKED_PAGES = [
  'README.md',
  'docs/guide/05-nested-transforms.md',
  'docs/guide/06-custom-ops.md',
  'docs/guide/08-record-once-replay.md',
  'docs/guide/09-checkpointing.md',
  'docs/design.md',
  'docs/conventions.md',
  'docs/from-jax.md',
];

const codeLines = (text: string) => text.split('\n').map((line) => line.trim()).filter((line) => line !== '');

function tsBlocks(page: string): string[][] {
  const text = readFileSync(join(root, page), 'utf8');
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => codeLines(m[1]));
}

const scripts = readdirSync(examples)
  .filter((f) => f.endsWith('.ts') && !f.includes('.config.'))
  .map((f) => ({ name: f, lines: codeLines(readFileSync(join(examples, f), 'utf8')) }));

/** The example whose lines contain `block` as a contiguous run, or undefined. */
function exampleHolding(block: string[]): string | undefined {
  return scripts.find(({ lines }) =>
    lines.some((_, start) => block.every((line, k) => lines[start + k] === line)))?.name;
}

describe('code blocks of the docs are excerpts of runnable examples', () => {
  for (const page of CHECKED_PAGES) {
    tsBlocks(page).forEach((block, k) => {
      it(`${page}, block ${k + 1} (${block[0]})`, () => {
        expect(exampleHolding(block), `no examples/*.ts holds these lines:\n${block.join('\n')}`).toBeDefined();
      });
    });
  }
});

describe('relative links of the docs point at files that exist', () => {
  const pages = [
    'README.md',
    ...readdirSync(join(root, 'packages')).map((p) => `packages/${p}/README.md`).filter((p) => existsSync(join(root, p))),
    ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
    'docs/typedoc/overview.md',
    ...readdirSync(join(root, 'docs/guide')).filter((f) => f.endsWith('.md')).map((f) => `docs/guide/${f}`),
  ];
  for (const page of pages) {
    it(page, () => {
      const text = readFileSync(join(root, page), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
      const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1])
        .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'))
        .map((target) => target.split('#')[0]);
      const missing = targets.filter((target) => !existsSync(resolve(root, dirname(page), target)));
      expect(missing).toEqual([]);
    });
  }
});
