// The playground's table and graph show an optional per-row group label (which nested transform
// recorded the row) when a trace has one: a heading above each run of rows in the table, a labelled
// box around each group in the graph. Rendered in headless Chromium from fixtures/grouped-trace-page.ts.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../test/headless-chromium.js';
import { serveDirectory } from '../build.mjs';
import { SCREENSHOTS } from './page.js';

const here = dirname(fileURLToPath(import.meta.url));
let scratch: string;
let server: Server | undefined;
let context: BrowserContext | undefined;
let page: Page;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dualtape-grouped-'));
  const dist = join(scratch, 'dist');
  await build({
    entryPoints: [join(here, 'fixtures/grouped-trace-page.ts')], outfile: join(dist, 'page.js'), bundle: true, format: 'esm',
    platform: 'browser', target: 'es2022', conditions: ['@dualtape/source'], logLevel: 'warning',
  });
  await writeFile(join(dist, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="style.css"><body></body><script type="module" src="page.js"></script>');
  await writeFile(join(dist, 'style.css'), await (await import('node:fs/promises')).readFile(join(here, '../static/style.css')));
  let url: string;
  ({ server, url } = await serveDirectory(dist, { host: '127.0.0.1', port: 0 }));
  context = await launchChromium(join(scratch, 'profile'), { width: 1000, height: 800 });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]');
});

afterAll(async () => {
  await context?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('group labels in the playground (headless Chromium)', () => {
  it('the table puts a heading above each run of rows with one label, and the unlabelled rows under "top level"', async () => {
    const rows = await page.$$eval('#tape tbody tr', (trs) => trs.map((tr) => (tr.classList.contains('group') ? `# ${tr.textContent}` : tr.getAttribute('data-row'))));
    expect(rows).toEqual(['# top level', '0', '1', '# grad #1 · reverse', '2', '3', '# hvp #2 · forward', '4', '5', '6']);
  });

  it('the graph boxes each group\'s nodes under its label', async () => {
    const clusters = await page.$$eval('#graph svg g.cluster', (gs) => gs.map((g) => {
      const box = g.getBoundingClientRect();
      const inside = [...document.querySelectorAll('#graph svg g.node')].filter((n) => {
        const r = n.getBoundingClientRect();
        return r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
      }).map((n) => Number(n.id.replace('node_', ''))).sort((a, b) => a - b);
      return { label: g.querySelector('text')?.textContent, inside };
    }));
    expect(clusters).toEqual([
      { label: 'grad #1 · reverse', inside: [2, 3] },
      { label: 'hvp #2 · forward', inside: [4, 5, 6] },
    ]);
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-grouped-trace.png') });
  });
});
