// The playground's layout in headless Chromium, at a laptop's 1280×720 and a phone's 420 px: for every
// example, before and after both sweeps, no element sticks out of its container, the graph is wholly
// inside its pane, every column of the tape is in view, and at 1280×720 the tape and the graph are in
// the window with no page scrolling.
// Parameters feeding one node are drawn in tape order (x.x before x.y), and no edges cross. Screenshots go to
// test-output/ for people to look at.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as dt from '@dualtape/core';
import { trace, type Pytree } from '@dualtape/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFunction } from '../src/evaluate.js';
import { EXAMPLES } from '../src/examples.js';
import { crossingEdges, findOverflows, graphInsidePane } from './layout-check.js';
import { SCREENSHOTS, graphAt, openPlayground, pick, type OpenPlayground } from './page.js';

const VIEWPORTS = [
  { name: 'laptop', width: 1280, height: 720 },
  { name: 'phone', width: 420, height: 900 },
] as const;

let opened: OpenPlayground;
let page: Page;

beforeAll(async () => {
  opened = await openPlayground(VIEWPORTS[0]);
  ({ page } = opened);
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await opened?.close();
});

async function expectTidy(): Promise<void> {
  expect(await page.evaluate(findOverflows)).toEqual([]);
  const graph = await page.evaluate(graphInsidePane);
  expect(graph).not.toBeNull();
  for (const side of Object.values(graph!)) expect(side).toBeLessThanOrEqual(0.5);
}

/** Boxes of the drawn nodes, by tape index. */
async function nodeBoxes(): Promise<Map<number, { x: number; y: number }>> {
  const boxes = await page.$$eval('#graph svg g.node', (nodes) => nodes.map((n) => {
    const r = n.getBoundingClientRect();
    return [Number(n.id.replace('node_', '')), { x: r.left + r.width / 2, y: r.top + r.height / 2 }] as const;
  }));
  return new Map(boxes);
}

describe.each(VIEWPORTS)('playground layout at $width×$height', ({ name, width, height }) => {
  beforeAll(async () => {
    await page.setViewportSize({ width, height });
  });

  for (const ex of EXAMPLES) {
    it(`${ex.title}: nothing overflows, the graph fits its pane${name === 'laptop' ? ', tape and graph are in the window' : ''}`, async () => {
      await pick(page, ex);
      await graphAt(page, 0);
      await expectTidy();
      await page.click('[data-testid=end]');
      const t = trace(compileFunction(ex.source, dt), JSON.parse(ex.x) as Pytree, JSON.parse(ex.v) as Pytree);
      await graphAt(page, t.rows.length + t.reverse.length);
      await expectTidy();

      // Every column of the tape is in view (on a phone each row is a card): nothing to scroll sideways.
      expect(await page.$eval('[data-testid=tape-wrap]', (w) => w.scrollWidth - w.clientWidth)).toBeLessThanOrEqual(1);

      if (name === 'laptop') {
        // Above the fold: the page does not scroll, and the tape (with at least six rows) and the
        // graph lie inside the window.
        expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
        for (const testid of ['tape-wrap', 'graph']) {
          const box = (await page.locator(`[data-testid=${testid}]`).boundingBox())!;
          expect(box.y).toBeGreaterThanOrEqual(0);
          expect(box.y + box.height).toBeLessThanOrEqual(height);
          expect(box.x + box.width).toBeLessThanOrEqual(width);
        }
        const rowsInView = await page.evaluate(() => {
          const wrap = document.querySelector('[data-testid=tape-wrap]')!.getBoundingClientRect();
          return [...document.querySelectorAll('[data-testid=tape] tr[data-row]')]
            .filter((r) => { const b = r.getBoundingClientRect(); return b.top >= wrap.top && b.bottom <= wrap.bottom; }).length;
        });
        expect(rowsInView).toBeGreaterThanOrEqual(Math.min(6, t.rows.length));
      }

      // Parameters and constants that feed one node are drawn in tape order across the flow (left to
      // right when the graph flows down, top to bottom when it flows right): x.x before x.y.
      const boxes = await nodeBoxes();
      const flowsRight = await page.$eval('#graph', (g) => getComputedStyle(g).getPropertyValue('--rankdir').trim() === 'LR');
      for (const r of t.rows) {
        const sources = [...new Set(r.inputs)].filter((i) => t.rows[i].inputs.length === 0).sort((a, b) => a - b);
        for (let k = 1; k < sources.length; k++) {
          const [a, b] = [boxes.get(sources[k - 1])!, boxes.get(sources[k])!];
          expect(flowsRight ? a.y < b.y : a.x < b.x, `#${sources[k - 1]} before #${sources[k]}, inputs of #${r.index}`).toBe(true);
        }
      }
      // And no two edges of the examples cross.
      expect(await page.evaluate(crossingEdges)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `playground-${ex.id}-${width}x${height}.png`), fullPage: true });

      // At actual size the picture scrolls inside its pane; the pane itself still fits.
      await page.check('[data-testid=zoom]');
      expect(await page.evaluate(findOverflows)).toEqual([]);
      await page.uncheck('[data-testid=zoom]');
      await expectTidy();
    });
  }

  it('raised no error in the page', () => {
    expect(opened.pageErrors).toEqual([]);
  });
});
