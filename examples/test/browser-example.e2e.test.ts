// examples/browser in headless Chromium, as guide page 7 describes it: the esbuild bundle loads,
// initKernels() makes the WebAssembly kernels run on the page's thread and in a Web Worker, and
// both compute the numbers Node computes; the worker's training reports its progress while the
// page stays responsive.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowserExample } from '../browser/build.mjs';
import { summary, train } from '../browser/problem.js';
import { SCREENSHOTS } from '../playground/test/page.js';
import { serveDirectory } from '../playground/build.mjs';
import { launchChromium } from './headless-chromium.js';

let scratch: string;
let server: Server | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dualtape-browser-example-'));
  const dist = await buildBrowserExample(join(scratch, 'dist'));
  let url: string;
  ({ server, url } = await serveDirectory(dist, { host: '127.0.0.1', port: 0 }));
  context = await launchChromium(join(scratch, 'profile'), { width: 900, height: 900 });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await page.goto(url);
});

afterAll(async () => {
  await context?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const valueOf = async (id: string) => {
  await page.waitForSelector(`#${id}[data-value]`, { timeout: 30_000 });
  return JSON.parse((await page.getAttribute(`#${id}`, 'data-value'))!) as unknown;
};

/** Relative difference, scaled by the largest entry. */
function relDiff(a: readonly number[], b: readonly number[]): number {
  const scale = Math.max(...b.map(Math.abs), 1e-300);
  return Math.max(...a.map((ai, k) => Math.abs(ai - b[k]))) / scale;
}

describe('examples/browser (headless Chromium)', () => {
  const node = summary();

  for (const where of ['main', 'worker'] as const) {
    it(`${where === 'main' ? 'on the page\'s thread' : 'in the Web Worker'}: WebAssembly kernels, and f, |∇f|, H·v as in Node`, async () => {
      expect(await valueOf(`${where}-wasm`)).toBe(true);
      // Kernels differ in the order of their sums (SIMD lanes): agreement to rounding, not bits.
      expect(relDiff([(await valueOf(`${where}-value`)) as number], [node.value])).toBeLessThan(1e-12);
      expect(relDiff([(await valueOf(`${where}-grad-norm`)) as number], [node.gradNorm])).toBeLessThan(1e-12);
      expect(relDiff((await valueOf(`${where}-hvp`)) as number[], node.hvpHead)).toBeLessThan(1e-12);
    });
  }

  it('trains in the worker, reporting progress, with the losses Node gets', async () => {
    const losses = (await valueOf('done')) as number[];
    const reference = train(200, 0.5, 20);
    expect(relDiff(losses, reference)).toBeLessThan(1e-9);
    expect(losses.at(-1)!).toBeLessThan(losses[0] / 4);
    expect(await page.locator('#progress li').count()).toBe(reference.length);
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'browser-example.png'), fullPage: true });
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
