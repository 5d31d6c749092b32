// Vitest global setup of the examples project: finds (and, from @sparticuz/chromium, unpacks) the
// browser once per run, before any test file starts, so that two browser test files never unpack
// it at the same time. Test files read the path with
// chromiumPath() from ./headless-chromium.ts.
import type { TestProject } from 'vitest/node';
import { findChromium } from './headless-chromium.js';

export default async function setup(project: TestProject): Promise<void> {
  try {
    const { executablePath, source } = await findChromium();
    console.log(`browser tests: Chromium from ${source} (${executablePath})`);
    project.provide('chromium', { executablePath });
  } catch (error) {
    // The browser tests fail with this message; the project's other tests still run.
    project.provide('chromium', { error: error instanceof Error ? error.message : String(error) });
  }
}
