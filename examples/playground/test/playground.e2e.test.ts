// The playground in headless Chromium: build the page with esbuild, serve it on 127.0.0.1, pick each
// example, step through both sweeps, and check every number shown against @dualtape/core run here in
// Node. Also: a broken function shows an error in the page.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as dt from '@dualtape/core';
import { flatten, gradAndHvp, trace, type Pytree, type Trace } from '@dualtape/core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground, serveDirectory } from '../build.mjs';
import { compileFunction, type UserFunction } from '../src/evaluate.js';
import { EXAMPLES, type PlaygroundExample } from '../src/examples.js';
import { launchChromium } from '../../test/headless-chromium.js';

const here = dirname(fileURLToPath(import.meta.url));
const screenshots = join(here, '../../../test-output');

let server: Server;
let url: string;
let context: BrowserContext;
let page: Page;
let scratch: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dualtape-playground-'));
  const dist = await buildPlayground(join(scratch, 'dist'));
  ({ server, url } = await serveDirectory(dist, { host: '127.0.0.1', port: 0 }));
  context = await launchChromium(join(scratch, 'profile'), { width: 1440, height: 1000 });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector('[data-testid=tape] tbody tr');
});

afterAll(async () => {
  await context?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** What the engine computes in Node for an example's boxes. */
function expected(ex: PlaygroundExample): { f: UserFunction; x: Pytree; v: Pytree; t: Trace } {
  const f = compileFunction(ex.source, dt);
  const x = JSON.parse(ex.x) as Pytree;
  const v = JSON.parse(ex.v) as Pytree;
  return { f, x, v, t: trace(f, x, v) };
}

const shown = async (testid: string) => JSON.parse((await page.getAttribute(`[data-testid=${testid}]`, 'data-value')) ?? 'null') as number[];
const shownText = (testid: string) => page.textContent(`[data-testid=${testid}]`);
const position = async () => Number(await page.getAttribute('[data-testid=status]', 'data-position'));

function expectClose(actual: readonly number[], wanted: readonly number[], digits = 12): void {
  expect(actual).toHaveLength(wanted.length);
  actual.forEach((a, k) => expect(a).toBeCloseTo(wanted[k], digits));
}

/** The visible text of a lane cell, as numbers. */
function parseCell(text: string): number[] {
  return text.replace(/[[\]…]/g, '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
}

async function laneCells(lane: string): Promise<Array<{ text: string; value: number[] | null }>> {
  return page.$$eval(`[data-testid=tape] td[data-lane=${lane}]`, (cells) =>
    cells.map((c) => ({ text: c.textContent ?? '', value: c.getAttribute('data-value') ? (JSON.parse(c.getAttribute('data-value')!) as number[]) : null })));
}

async function pick(ex: PlaygroundExample): Promise<void> {
  await page.selectOption('[data-testid=example]', ex.id);
  await page.waitForFunction((id) => (document.getElementById('example') as HTMLSelectElement).value === id, ex.id);
  await expect.poll(position).toBe(0);
  await expect.poll(() => page.isHidden('[data-testid=error]')).toBe(true);
}

describe('playground (headless Chromium)', () => {
  for (const ex of EXAMPLES) {
    it(`${ex.title}: results and both sweeps match the engine in Node`, async () => {
      const { f, x, v, t } = expected(ex);
      const reference = gradAndHvp(f, x, v);
      await pick(ex);

      // f, ∇f, H·v as computed in Node, in full precision and as displayed.
      expectClose(await shown('out-value'), [reference.value]);
      expectClose(await shown('out-grad'), Array.from(flatten(reference.grad as Pytree)));
      expectClose(await shown('out-hvp'), Array.from(flatten(reference.hvp as Pytree)));
      expectClose(parseCell((await shownText('out-hvp')) ?? ''), Array.from(flatten(reference.hvp as Pytree)), 4);
      expectClose(await shown('out-fd'), Array.from(flatten(reference.hvp as Pytree)), 4);
      expect((await shown('out-fd-error'))[0]).toBeLessThan(1e-6);

      const n = t.rows.length;
      const total = n + t.reverse.length;
      expect(await page.locator('[data-testid=tape] tbody tr').count()).toBe(n);
      expect(await page.isDisabled('[data-testid=back]')).toBe(true);

      // Forward sweep: one node per step, value and R{value} appear in tape order.
      for (let k = 1; k <= n; k++) {
        await page.click('[data-testid=step]');
        expect(await position()).toBe(k);
        expect(await page.getAttribute('[data-testid=tape] tr.current', 'data-row')).toBe(String(k - 1));
        const values = await laneCells('value');
        expect(values.map((c) => c.text !== '')).toEqual(t.rows.map((_, i) => i < k));
        const row = t.rows[k - 1];
        const tangents = await laneCells('tangent');
        expectClose(values[k - 1].value!, typeof row.value === 'number' ? [row.value] : Array.from(row.value));
        expectClose(tangents[k - 1].value!, typeof row.tangent === 'number' ? [row.tangent] : Array.from(row.tangent));
        expectClose(parseCell(values[k - 1].text), (typeof row.value === 'number' ? [row.value] : Array.from(row.value)).slice(0, 4), 4);
      }
      expect(await page.getAttribute('[data-testid=status]', 'data-phase')).toBe('forward');
      expect((await laneCells('adjoint')).every((c) => c.text === '')).toBe(true);

      // Reverse sweep: active nodes last to first; after each step the pushed inputs hold their
      // accumulated dual adjoints.
      for (let s = 0; s < t.reverse.length; s++) {
        await page.click('[data-testid=step]');
        expect(await position()).toBe(n + s + 1);
        const step = t.reverse[s];
        expect(await page.getAttribute('[data-testid=tape] tr.current', 'data-row')).toBe(String(step.node));
        const targets = await page.$$eval('[data-testid=tape] tr.target', (rows) => rows.map((r) => Number(r.getAttribute('data-row'))));
        expect(targets.sort((a, b) => a - b)).toEqual(step.pushes.map((p) => p.input).sort((a, b) => a - b));
        const adjoints = await laneCells('adjoint');
        const adjointDots = await laneCells('adjointDot');
        for (const p of step.pushes) {
          expectClose(adjoints[p.input].value!, typeof p.adjoint === 'number' ? [p.adjoint] : Array.from(p.adjoint));
          expectClose(adjointDots[p.input].value!, typeof p.adjointDot === 'number' ? [p.adjointDot] : Array.from(p.adjointDot));
        }
      }
      expect(await position()).toBe(total);
      expect(await page.getAttribute('[data-testid=status]', 'data-phase')).toBe('done');
      expect(await page.isDisabled('[data-testid=step]')).toBe(true);

      // At the end the leaves' adjoint lanes are ∇f and H·v, as gradAndHvp gives them in Node.
      const adjoints = await laneCells('adjoint');
      const adjointDots = await laneCells('adjointDot');
      const leaves = t.rows.filter((r) => r.role === 'leaf').map((r) => r.index);
      expectClose(leaves.flatMap((i) => adjoints[i].value!), Array.from(flatten(reference.grad as Pytree)));
      expectClose(leaves.flatMap((i) => adjointDots[i].value!), Array.from(flatten(reference.hvp as Pytree)));
      expectClose(leaves.flatMap((i) => parseCell(adjointDots[i].text)), Array.from(flatten(reference.hvp as Pytree)), 4);
      expectClose((await laneCells('value'))[t.output].value!, [reference.value]);

      // The graph: one SVG node per tape node, the final one drawn, the last step's node highlighted.
      await page.waitForFunction((p) => document.getElementById('graph')?.dataset.position === String(p), total);
      expect(await page.locator('#graph svg g.node').count()).toBe(n);
      for (const i of [0, t.output]) expect(await page.locator(`#graph svg g#node_${i}`).count()).toBe(1);

      // Back, reset and run to end.
      await page.click('[data-testid=back]');
      expect(await position()).toBe(total - 1);
      await page.click('[data-testid=reset]');
      expect(await position()).toBe(0);
      expect((await laneCells('value')).every((c) => c.text === '')).toBe(true);
      await page.click('[data-testid=end]');
      expect(await position()).toBe(total);
    });
  }

  it('names the PRML equations of the two-layer network', async () => {
    const ex = EXAMPLES.find((e) => e.id === 'network')!;
    const { t } = expected(ex);
    await pick(ex);
    const matmulA = t.rows.findIndex((r) => r.op === 'matmul'); // Σ_i w_ji x_i
    const tanh = t.rows.findIndex((r) => r.op === 'tanh');
    for (let k = 0; k <= tanh; k++) await page.click('[data-testid=step]');
    const eq = (row: number) => page.textContent(`[data-testid=tape] tr[data-row="${row}"] td.eq`);
    expect(await eq(matmulA)).toBe('5.98, 5.101');
    expect(await eq(tanh)).toBe('5.99, 5.102');
    expect(await shownText('status')).toContain('(5.102)');
    // Step the reverse sweep up to the first-layer matmul: its backward is 5.109 / 5.111.
    const stepOfMatmul = t.reverse.findIndex((s) => s.node === matmulA);
    await page.click('[data-testid=reset]');
    for (let k = 0; k < t.rows.length + stepOfMatmul + 1; k++) await page.click('[data-testid=step]');
    expect(await page.getAttribute('[data-testid=tape] tr.current', 'data-row')).toBe(String(matmulA));
    expect(await eq(matmulA)).toBe('5.109, 5.111');
    expect(await eq(tanh)).toBe('5.105, 5.107');
    const status = (await shownText('status')) ?? '';
    expect(status).toContain('Reverse sweep');
    expect(status).toContain('(5.109)');
    expect(status).toContain('(5.111)');
    await page.waitForFunction((p) => document.getElementById('graph')?.dataset.position === String(p), await position());
    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'playground-network.png'), fullPage: true });
    // At actual size the graph box scrolls to keep the current node in view: at the end of the
    // forward sweep that is f, at the bottom of the graph.
    await page.check('[data-testid=zoom]');
    await page.click('[data-testid=reset]');
    for (let k = 0; k < t.rows.length; k++) await page.click('[data-testid=step]');
    await page.waitForFunction((p) => document.getElementById('graph')?.dataset.position === String(p), t.rows.length);
    await expect.poll(() => page.$eval('#graph', (g) => g.scrollTop)).toBeGreaterThan(0);
    const visible = async () => {
      const box = (await page.locator('#graph').boundingBox())!;
      const node = (await page.locator(`#graph g#node_${t.output}`).boundingBox())!;
      return node.y >= box.y && node.y + node.height <= box.y + box.height;
    };
    await expect.poll(visible).toBe(true);
    await page.locator('#graph').screenshot({ path: join(screenshots, 'playground-graph-actual-size.png') });
    await page.uncheck('[data-testid=zoom]');
  });

  it('runs the WebAssembly SIMD kernels in the browser, with the numbers of the JS kernels and of Node', async () => {
    // A product above the WebAssembly threshold (m·n·k = 32·1·48 ≥ 512), forced onto each backend.
    const W = 48, N = 32;
    const A = Array.from({ length: N * W }, (_, k) => Math.sin(k));
    const x = Array.from({ length: W }, (_, k) => Math.cos(k) / 4);
    const v = Array.from({ length: W }, (_, k) => ((k % 3) - 1) / 2);
    const inPage = await page.evaluate(async ({ A, x, v, W, N }) => {
      const core = (window as unknown as { dt: typeof dt }).dt;
      const ready = await core.initKernels();
      const f = (w: dt.Tensor) => core.tensor(A, [N, W]).matmul(w).tanh().sum();
      core.setKernelBackend('wasm');
      const wasm = core.gradAndHvp(f, x, v);
      core.setKernelBackend('js');
      const js = core.gradAndHvp(f, x, v);
      core.setKernelBackend('auto');
      return { ready, info: core.getKernelBackend(), wasm: Array.from(wasm.hvp as Float64Array), js: Array.from(js.hvp as Float64Array) };
    }, { A, x, v, W, N });
    expect(inPage.ready).toBe(true);
    expect(inPage.info.wasm).toBe(true);
    const node = Array.from(gradAndHvp((w: dt.Tensor) => dt.tensor(A, [N, W]).matmul(w).tanh().sum(), x, v).hvp as Float64Array);
    const scale = Math.max(...node.map(Math.abs));
    const diff = (a: number[], b: number[]) => Math.max(...a.map((ai, k) => Math.abs(ai - b[k]))) / scale;
    expect(diff(inPage.wasm, inPage.js)).toBeLessThanOrEqual(1e-13);
    expect(diff(inPage.wasm, node)).toBeLessThanOrEqual(1e-13);
  });

  it('shows an error message for a broken function, and recovers', async () => {
    await pick(EXAMPLES[0]);
    await page.fill('[data-testid=source]', '(p) => p.x.mul(p.y');
    await page.click('[data-testid=run]');
    await expect.poll(() => page.isVisible('[data-testid=error]')).toBe(true);
    expect(await shownText('error')).toMatch(/SyntaxError/);
    expect(await shownText('error')).toContain('(in f)');
    expect(await page.locator('[data-testid=tape] tbody tr').count()).toBe(0);
    expect(await shownText('graph')).toContain('Fix the error');

    // A function that runs but calls something that does not exist.
    await page.fill('[data-testid=source]', '(p) => p.x.frobnicate()');
    await page.click('[data-testid=run]');
    expect(await shownText('error')).toMatch(/frobnicate is not a function/);

    // A tensor output, refused by the engine with its own message.
    await page.fill('[data-testid=source]', '(x) => x.square()');
    await page.fill('[data-testid=x]', '[1, 2]');
    await page.fill('[data-testid=v]', '[1, 0]');
    await page.click('[data-testid=run]');
    expect(await shownText('error')).toMatch(/OutputError: trace: f must return a scalar/);

    // x and v that do not match.
    await page.fill('[data-testid=source]', '(x) => x.square().sum()');
    await page.fill('[data-testid=v]', '[1, 0, 3]');
    await page.click('[data-testid=run]');
    expect(await shownText('error')).toMatch(/v/);
    await page.fill('[data-testid=v]', '[1, 0');
    await page.click('[data-testid=run]');
    expect(await shownText('error')).toMatch(/v is not valid JSON/);
    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'playground-error.png'), fullPage: true });

    await page.fill('[data-testid=v]', '[1, 0]');
    await page.click('[data-testid=run]');
    await expect.poll(() => page.isHidden('[data-testid=error]')).toBe(true);
    expectClose(await shown('out-hvp'), [2, 0]);
    expect(pageErrors).toEqual([]);
  });
});
