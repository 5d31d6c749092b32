// The playground's handling of what users type, in headless Chromium: f runs in a Web Worker with a
// time limit and a Stop button; broken input shows an error and the page recovers; the agreement
// check is red when a number is not finite or H·v and the finite differences disagree; editing the
// boxes retitles the example; rank-0 constants read as scalars.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../src/examples.js';
import { TIME_LIMIT_MS } from '../src/runner.js';
import { SCREENSHOTS, expectClose, openPlayground, pick, runWith, shown, shownText, waitForRun, type OpenPlayground } from './page.js';

let opened: OpenPlayground;
let page: Page;

beforeAll(async () => {
  opened = await openPlayground({ width: 1280, height: 720 });
  ({ page } = opened);
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await opened?.close();
});

const errorShown = () => page.isVisible('[data-testid=error]');
const verdict = async () => ({
  ok: await page.getAttribute('[data-testid=out-fd-error]', 'data-ok'),
  cls: await page.getAttribute('[data-testid=out-fd-error]', 'class'),
  text: await shownText(page, 'out-fd-error'),
});

describe('playground input (headless Chromium)', () => {
  it('shows an error message for a broken function, and recovers', async () => {
    await pick(page, EXAMPLES[0]);
    await runWith(page, { source: '(p) => p.x.mul(p.y' });
    expect(await errorShown()).toBe(true);
    expect(await shownText(page, 'error')).toMatch(/SyntaxError/);
    expect(await shownText(page, 'error')).toContain('(in f)');
    expect(await page.locator('[data-testid=tape] tbody tr').count()).toBe(0);
    expect(await shownText(page, 'graph')).toContain('Fix the error');

    // A function that runs but calls something that does not exist.
    await runWith(page, { source: '(p) => p.x.frobnicate()' });
    expect(await shownText(page, 'error')).toMatch(/frobnicate is not a function/);

    // A tensor output, refused by the engine with its own message.
    await runWith(page, { source: '(x) => x.square()', x: '[1, 2]', v: '[1, 0]' });
    expect(await shownText(page, 'error')).toMatch(/OutputError: trace: f must return a scalar/);

    // x and v that do not match.
    await runWith(page, { source: '(x) => x.square().sum()', v: '[1, 0, 3]' });
    expect(await shownText(page, 'error')).toMatch(/v/);
    await runWith(page, { v: '[1, 0' });
    expect(await shownText(page, 'error')).toMatch(/v is not valid JSON/);
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-error.png') });

    await runWith(page, { v: '[1, 0]' });
    expect(await errorShown()).toBe(false);
    expectClose(await shown(page, 'out-hvp'), [2, 0]);
  });

  it('shows an error that escapes the handlers, but not the browser\'s ResizeObserver loop notice', async () => {
    await pick(page, EXAMPLES[0]);
    // The notice as browsers send it: an error event with no error object (benign by the spec).
    await page.evaluate(() => window.dispatchEvent(new ErrorEvent('error', { message: 'ResizeObserver loop completed with undelivered notifications.' })));
    expect(await errorShown()).toBe(false);
    await page.evaluate(() => window.dispatchEvent(new ErrorEvent('error', { message: 'something broke', error: new Error('something broke') })));
    expect(await errorShown()).toBe(true);
    expect(await shownText(page, 'error')).toContain('something broke');
    await pick(page, EXAMPLES[0]);
    expect(await errorShown()).toBe(false);
  });

  it('runs f in a Web Worker: the page is not reachable from f', async () => {
    await runWith(page, { source: '(x) => { document.title = "x"; return x.square().sum(); }', x: '[1, 2]', v: '[1, 0]' });
    expect(await shownText(page, 'error')).toMatch(/document is not defined/);
  });

  it(`stops an endless loop after the time limit (${TIME_LIMIT_MS / 1000} s), and the page keeps working`, async () => {
    await page.fill('[data-testid=source]', '(x) => { for (;;) {} }');
    const started = Date.now();
    await page.click('[data-testid=run]');
    expect(await page.isEnabled('[data-testid=stop]')).toBe(true);
    expect(await page.isDisabled('[data-testid=run]')).toBe(true);
    // While f loops in the worker, the page answers.
    expect(await page.evaluate(() => 6 * 7)).toBe(42);
    await page.waitForFunction(() => (document.getElementById('stop') as HTMLButtonElement).disabled, undefined, { timeout: TIME_LIMIT_MS + 10_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIME_LIMIT_MS - 100);
    expect(await shownText(page, 'error')).toMatch(/still running after 5 s and was stopped/);
    expect(await page.isEnabled('[data-testid=run]')).toBe(true);
    await runWith(page, { source: '(x) => x.square().sum()' });
    expect(await errorShown()).toBe(false);
    expectClose(await shown(page, 'out-hvp'), [2, 0]);
  }, TIME_LIMIT_MS + 30_000);

  it('stops a run when Stop is pressed', async () => {
    await page.fill('[data-testid=source]', '(x) => { for (;;) {} }');
    const started = Date.now();
    await page.click('[data-testid=run]');
    await page.click('[data-testid=stop]');
    await waitForRun(page);
    expect(Date.now() - started).toBeLessThan(TIME_LIMIT_MS);
    expect(await shownText(page, 'error')).toMatch(/Stopped/);
    await runWith(page, { source: '(x) => x.square().sum()' });
    expectClose(await shown(page, 'out-hvp'), [2, 0]);
  });

  it('marks a result that is not finite in red, never as agreement', async () => {
    // f = √x at x = −1: f = NaN with ∇f = H·v = NaN.
    await runWith(page, { source: '(x) => x.sqrt()', x: '-1', v: '1' });
    expect(await errorShown()).toBe(false);
    expect(Number.isNaN((await shown(page, 'out-value'))[0])).toBe(true);
    expect(await page.getAttribute('[data-testid=out-value]', 'class')).toBe('bad');
    const nan = await verdict();
    expect(nan).toMatchObject({ ok: 'false', cls: 'bad' });
    expect(nan.text).toMatch(/not a finite number/);
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-not-finite.png') });
  });

  it('marks H·v that disagrees with the finite differences in red', async () => {
    // |x| at its kink: H·v = 0, while the central difference of the gradient is (1 − (−1)) / 2h.
    await runWith(page, { source: '(x) => x.abs()', x: '0', v: '1' });
    expect(await errorShown()).toBe(false);
    const bad = await verdict();
    expect(bad).toMatchObject({ ok: 'false', cls: 'bad' });
    expect(bad.text).toMatch(/disagree/);
    // And a smooth f agrees, in green.
    await runWith(page, { source: '(x) => x.sin()', x: '0.5', v: '1' });
    expect(await verdict()).toMatchObject({ ok: 'true', cls: 'ok' });
  });

  it('retitles the example once its boxes are edited, and restores it', async () => {
    const ex = EXAMPLES[1];
    await pick(page, ex);
    const title = () => page.$eval('[data-testid=example]', (s) => (s as HTMLSelectElement).selectedOptions[0].text);
    expect(await title()).toBe(ex.title);
    expect(await shownText(page, 'blurb')).toBe(ex.blurb);
    await page.fill('[data-testid=source]', '(x) => x.square().sum()');
    expect(await title()).toMatch(/Your own function/);
    expect(await shownText(page, 'blurb')).toContain(`edited from “${ex.title}”`);
    // Typing the example's text back restores its title; so does picking it.
    await page.fill('[data-testid=source]', ex.source);
    expect(await title()).toBe(ex.title);
    await page.fill('[data-testid=x]', '[0, 0]');
    expect(await title()).toMatch(/Your own function/);
    await pick(page, ex);
    expect(await title()).toBe(ex.title);
    expect(await shownText(page, 'blurb')).toBe(ex.blurb);
    expect(await page.locator('[data-testid=example] option').count()).toBe(EXAMPLES.length);
  });

  it('shows a rank-0 constant (the 1.1 of x.mul(1.1)) as a scalar', async () => {
    await runWith(page, { source: '(x) => x.mul(1.1).sum()', x: '[1, 2]', v: '[1, 0]' });
    await page.click('[data-testid=end]');
    const constant = page.locator('[data-testid=tape] tr.constant');
    expect(await constant.locator('td:nth-child(4)').textContent()).toBe('scalar');
    expect(await constant.locator('td[data-lane=value]').textContent()).toBe('1.1');
    expect(await page.locator('#graph svg g.node', { hasText: 'constant' }).textContent()).not.toContain('[]');
  });

  it('raised no error in the page', () => {
    expect(opened.pageErrors).toEqual([]);
  });
});
