// The playground in headless Chromium: pick each example, step through both sweeps, and check every
// number shown against @dualtape/core run here in Node; the PRML notes; the WebAssembly kernels in
// the page. (Layout, the worker and error display: the other playground-*.e2e tests.)
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as dt from '@dualtape/core';
import { flatten, gradAndHvp, trace, type Pytree, type Trace } from '@dualtape/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFunction, type UserFunction } from '../src/evaluate.js';
import { EXAMPLES, type PlaygroundExample } from '../src/examples.js';
import {
  SCREENSHOTS, expectClose, expectRelativelyClose, graphAt, openPlayground, parseCell, pick, position, shown, shownText,
  type OpenPlayground,
} from './page.js';

let opened: OpenPlayground;
let page: Page;

beforeAll(async () => {
  opened = await openPlayground({ width: 1440, height: 1000 });
  ({ page } = opened);
});

afterAll(async () => {
  await opened?.close();
});

/** What the engine computes in Node for an example's boxes. */
function expected(ex: PlaygroundExample): { f: UserFunction; x: Pytree; v: Pytree; t: Trace } {
  const f = compileFunction(ex.source, dt);
  const x = JSON.parse(ex.x) as Pytree;
  const v = JSON.parse(ex.v) as Pytree;
  return { f, x, v, t: trace(f, x, v) };
}

const lanesOf = (lane: number | Float64Array) => (typeof lane === 'number' ? [lane] : Array.from(lane));

async function laneCells(lane: string): Promise<Array<{ text: string; value: number[] | null }>> {
  return page.$$eval(`[data-testid=tape] td[data-lane=${lane}]`, (cells) =>
    cells.map((c) => ({ text: c.textContent ?? '', value: c.getAttribute('data-value') ? (JSON.parse(c.getAttribute('data-value')!) as number[]) : null })));
}

describe('playground (headless Chromium)', () => {
  for (const ex of EXAMPLES) {
    it(`${ex.title}: results and both sweeps match the engine in Node`, async () => {
      const { f, x, v, t } = expected(ex);
      const reference = gradAndHvp(f, x, v);
      await pick(page, ex);

      // f, ∇f, H·v as computed in Node, in full precision and as displayed.
      expectClose(await shown(page, 'out-value'), [reference.value]);
      expectClose(await shown(page, 'out-grad'), Array.from(flatten(reference.grad as Pytree)));
      expectClose(await shown(page, 'out-hvp'), Array.from(flatten(reference.hvp as Pytree)));
      expectRelativelyClose(parseCell(await shownText(page, 'out-hvp')), Array.from(flatten(reference.hvp as Pytree)), 1e-5);
      expectClose(await shown(page, 'out-fd'), Array.from(flatten(reference.hvp as Pytree)), 4);
      expect((await shown(page, 'out-fd-error'))[0]).toBeLessThan(1e-6);
      expect(await page.getAttribute('[data-testid=out-fd-error]', 'class')).toBe('ok');

      const n = t.rows.length;
      const total = n + t.reverse.length;
      expect(await page.locator('[data-testid=tape] tbody tr[data-row]').count()).toBe(n);
      // Today's engine gives no group labels: no group headings.
      expect(await page.locator('[data-testid=tape] tbody tr.group').count()).toBe(0);
      // The shape column: `scalar` for every rank-0 node, else the shape.
      expect(await page.$$eval('[data-testid=tape] tbody tr[data-row] td:nth-child(4)', (cells) => cells.map((c) => c.textContent)))
        .toEqual(t.rows.map((r) => (r.shape.length === 0 ? 'scalar' : `[${r.shape.join(',')}]`)));
      expect(await page.isDisabled('[data-testid=back]')).toBe(true);

      // Forward sweep: one node per step, value and R{value} appear in tape order.
      for (let k = 1; k <= n; k++) {
        await page.click('[data-testid=step]');
        expect(await position(page)).toBe(k);
        expect(await page.getAttribute('[data-testid=tape] tr.current', 'data-row')).toBe(String(k - 1));
        const values = await laneCells('value');
        expect(values.map((c) => c.text !== '')).toEqual(t.rows.map((_, i) => i < k));
        const row = t.rows[k - 1];
        const tangents = await laneCells('tangent');
        expectClose(values[k - 1].value!, lanesOf(row.value));
        expectClose(tangents[k - 1].value!, lanesOf(row.tangent));
        // Shown to 5 significant digits: within half a unit of the fifth.
        expectRelativelyClose(parseCell(values[k - 1].text), lanesOf(row.value).slice(0, 4), 5e-5);
      }
      expect(await page.getAttribute('[data-testid=status]', 'data-phase')).toBe('forward');
      expect((await laneCells('adjoint')).every((c) => c.text === '')).toBe(true);

      // Reverse sweep: active nodes last to first; after each step the pushed inputs hold their
      // accumulated dual adjoints.
      for (let s = 0; s < t.reverse.length; s++) {
        await page.click('[data-testid=step]');
        expect(await position(page)).toBe(n + s + 1);
        const step = t.reverse[s];
        expect(await page.getAttribute('[data-testid=tape] tr.current', 'data-row')).toBe(String(step.node));
        const targets = await page.$$eval('[data-testid=tape] tr.target', (rows) => rows.map((r) => Number(r.getAttribute('data-row'))));
        expect(targets.sort((a, b) => a - b)).toEqual(step.pushes.map((p) => p.input).sort((a, b) => a - b));
        const adjoints = await laneCells('adjoint');
        const adjointDots = await laneCells('adjointDot');
        for (const p of step.pushes) {
          expectClose(adjoints[p.input].value!, lanesOf(p.adjoint));
          expectClose(adjointDots[p.input].value!, lanesOf(p.adjointDot));
        }
      }
      expect(await position(page)).toBe(total);
      expect(await page.getAttribute('[data-testid=status]', 'data-phase')).toBe('done');
      expect(await page.isDisabled('[data-testid=step]')).toBe(true);

      // At the end the leaves' adjoint lanes are ∇f and H·v, as gradAndHvp gives them in Node.
      const adjoints = await laneCells('adjoint');
      const adjointDots = await laneCells('adjointDot');
      const leaves = t.rows.filter((r) => r.role === 'leaf').map((r) => r.index);
      expectClose(leaves.flatMap((i) => adjoints[i].value!), Array.from(flatten(reference.grad as Pytree)));
      expectClose(leaves.flatMap((i) => adjointDots[i].value!), Array.from(flatten(reference.hvp as Pytree)));
      expectRelativelyClose(leaves.flatMap((i) => parseCell(adjointDots[i].text)), Array.from(flatten(reference.hvp as Pytree)), 5e-5);
      expectClose((await laneCells('value'))[t.output].value!, [reference.value]);

      // The graph: one SVG node per tape node, the final one drawn, the last step's node highlighted.
      await graphAt(page, total);
      expect(await page.locator('#graph svg g.node').count()).toBe(n);
      expect(await page.locator('#graph svg g.cluster').count()).toBe(0);
      for (const i of [0, t.output]) expect(await page.locator(`#graph svg g#node_${i}`).count()).toBe(1);

      // Back, reset and run to end.
      await page.click('[data-testid=back]');
      expect(await position(page)).toBe(total - 1);
      await page.click('[data-testid=reset]');
      expect(await position(page)).toBe(0);
      expect((await laneCells('value')).every((c) => c.text === '')).toBe(true);
      await page.click('[data-testid=end]');
      expect(await position(page)).toBe(total);
    });
  }

  it('names the PRML equations of the two-layer network', async () => {
    const ex = EXAMPLES.find((e) => e.id === 'network')!;
    const { t } = expected(ex);
    await pick(page, ex);
    const matmulA = t.rows.findIndex((r) => r.op === 'matmul'); // Σ_i w_ji x_i
    const tanh = t.rows.findIndex((r) => r.op === 'tanh');
    for (let k = 0; k <= tanh; k++) await page.click('[data-testid=step]');
    const eq = (row: number) => page.textContent(`[data-testid=tape] tr[data-row="${row}"] td.eq`);
    expect(await eq(matmulA)).toBe('5.98, 5.101');
    expect(await eq(tanh)).toBe('5.99, 5.102');
    expect(await shownText(page, 'status')).toContain('(5.102)');
    // Step the reverse sweep up to the first-layer matmul: its backward is 5.109 / 5.111.
    const stepOfMatmul = t.reverse.findIndex((s) => s.node === matmulA);
    await page.click('[data-testid=reset]');
    for (let k = 0; k < t.rows.length + stepOfMatmul + 1; k++) await page.click('[data-testid=step]');
    expect(await page.getAttribute('[data-testid=tape] tr.current', 'data-row')).toBe(String(matmulA));
    expect(await eq(matmulA)).toBe('5.109, 5.111');
    expect(await eq(tanh)).toBe('5.105, 5.107');
    const status = await shownText(page, 'status');
    expect(status).toContain('Reverse sweep');
    expect(status).toContain('(5.109)');
    expect(status).toContain('(5.111)');
    await graphAt(page, await position(page));
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-network.png'), fullPage: true });
    // At actual size the graph box scrolls to keep the current node in view: at the end of the
    // forward sweep that is f, the last node of the graph (bottom or right end).
    await page.check('[data-testid=zoom]');
    await page.click('[data-testid=reset]');
    for (let k = 0; k < t.rows.length; k++) await page.click('[data-testid=step]');
    await graphAt(page, t.rows.length);
    await expect.poll(() => page.$eval('#graph', (g) => g.scrollTop + g.scrollLeft)).toBeGreaterThan(0);
    const visible = async () => {
      const box = (await page.locator('#graph').boundingBox())!;
      const node = (await page.locator(`#graph g#node_${t.output}`).boundingBox())!;
      return node.y >= box.y && node.y + node.height <= box.y + box.height && node.x >= box.x && node.x + node.width <= box.x + box.width;
    };
    await expect.poll(visible).toBe(true);
    await page.locator('#graph').screenshot({ path: join(SCREENSHOTS, 'playground-graph-actual-size.png') });
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

  it('raised no error in the page', () => {
    expect(opened.pageErrors).toEqual([]);
  });
});
