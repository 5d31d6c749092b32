/**
 * The playground in headless Chromium for the end-to-end tests: builds the page with esbuild into a
 * scratch folder, serves it on 127.0.0.1 and opens it at a given viewport. Also the helpers the
 * tests share to read what the page shows.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from '../../test/headless-chromium.js';
import { buildPlayground, serveDirectory } from '../build.mjs';
import type { PlaygroundExample } from '../src/examples.js';

/** Where the tests write screenshots for people to look at (not compared by the tests). */
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '../../../test-output');

export interface OpenPlayground {
  readonly page: Page;
  /** Uncaught errors and console errors of the page (and its worker). */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/** Builds, serves and opens the playground; resolves once the first example's tape is shown. */
export async function openPlayground(viewport: { width: number; height: number }): Promise<OpenPlayground> {
  const scratch = await mkdtemp(join(tmpdir(), 'dualtape-playground-'));
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    const dist = await buildPlayground(join(scratch, 'dist'));
    let url: string;
    ({ server, url } = await serveDirectory(dist, { host: '127.0.0.1', port: 0 }));
    context = await launchChromium(join(scratch, 'profile'), viewport);
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    await page.goto(url);
    await page.waitForSelector('[data-testid=tape] tbody tr[data-row]');
    return { page, pageErrors, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The full-precision numbers behind an output (`data-value`: strings, so NaN and ±Infinity survive JSON). */
export async function shown(page: Page, testid: string): Promise<number[]> {
  const raw = await page.getAttribute(`[data-testid=${testid}]`, 'data-value');
  return (JSON.parse(raw ?? '[]') as Array<string | number>).map(Number);
}

export const shownText = async (page: Page, testid: string) => (await page.textContent(`[data-testid=${testid}]`)) ?? '';

export const position = async (page: Page) => Number(await page.getAttribute('[data-testid=status]', 'data-position'));

/** Selects an example and waits for its trace. */
export async function pick(page: Page, ex: PlaygroundExample): Promise<void> {
  await page.selectOption('[data-testid=example]', ex.id);
  await waitForRun(page);
  await expect.poll(() => position(page)).toBe(0);
  // The box's text in the message: an error shown here is what to look at when this fails.
  await expect.poll(async () => (await page.isHidden('[data-testid=error]')) ? '' : await shownText(page, 'error'), { timeout: 5_000 }).toBe('');
}

/** Waits until the worker has answered (the Stop button is disabled again). */
export async function waitForRun(page: Page): Promise<void> {
  await page.waitForFunction(() => (document.getElementById('stop') as HTMLButtonElement).disabled);
}

/** Fills the boxes and traces; resolves once the run has ended. */
export async function runWith(page: Page, boxes: { source?: string; x?: string; v?: string }): Promise<void> {
  if (boxes.source !== undefined) await page.fill('[data-testid=source]', boxes.source);
  if (boxes.x !== undefined) await page.fill('[data-testid=x]', boxes.x);
  if (boxes.v !== undefined) await page.fill('[data-testid=v]', boxes.v);
  await page.click('[data-testid=run]');
  await waitForRun(page);
}

/** Waits until the graph shows the current step. */
export async function graphAt(page: Page, step: number): Promise<void> {
  await page.waitForFunction((p) => document.getElementById('graph')?.dataset.position === String(p), step);
}

/** Every entry within `digits` decimal places of the wanted one. */
export function expectClose(actual: readonly number[], wanted: readonly number[], digits = 12): void {
  expect(actual).toHaveLength(wanted.length);
  actual.forEach((a, k) => expect(a).toBeCloseTo(wanted[k], digits));
}

/** Every entry within a relative `tolerance` of the wanted one (for numbers printed to 5 digits). */
export function expectRelativelyClose(actual: readonly number[], wanted: readonly number[], tolerance: number): void {
  expect(actual).toHaveLength(wanted.length);
  actual.forEach((a, k) => expect(Math.abs(a - wanted[k])).toBeLessThanOrEqual(tolerance * Math.max(Math.abs(wanted[k]), 1e-300)));
}

/** The visible text of a lane cell, as numbers: `[0.3, -0.4, …]` → [0.3, -0.4]. */
export function parseCell(text: string): number[] {
  return text.replace(/[[\]…]/g, '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
}
