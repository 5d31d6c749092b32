/**
 * Headless Chromium for the browser tests, on any machine `pnpm install` ran on: no system browser
 * and no download needed.
 *
 * Which browser runs, in this order:
 * 1. `CHROMIUM_PATH`, when set (e.g. a CI runner's Chrome); it must exist.
 * 2. `@sparticuz/chromium`, a dev dependency that ships a headless Chromium inside the npm package
 *    (Linux x64 only); it unpacks into the temp folder on first use.
 * 3. A system browser: Debian's `/usr/bin/chromium`, or Chrome.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium binary the browser tests drive, or why none was found. */
    chromium: { readonly executablePath: string } | { readonly error: string };
  }
}

/** Flags for headless runs in containers and CI: no sandbox (we run as root), no GPU, no network chatter. */
const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Where the browser came from, for the test log. */
export interface ChromiumChoice {
  readonly executablePath: string;
  readonly source: 'CHROMIUM_PATH' | '@sparticuz/chromium' | 'system';
}

/** Finds a Chromium to drive (see the module comment for the order); throws saying what was tried. */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumChoice> {
  const explicit = env.CHROMIUM_PATH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`CHROMIUM_PATH=${explicit} does not exist; unset it to use the browser from @sparticuz/chromium`);
    return { executablePath: explicit, source: 'CHROMIUM_PATH' };
  }
  let packaged: unknown = null;
  if (process.platform === 'linux' && process.arch === 'x64') {
    try {
      const { default: sparticuz } = await import('@sparticuz/chromium');
      let path = await sparticuz.executablePath();
      // The package reuses any file already at its unpack path: one cut short by an interrupted
      // earlier run would never start. Unpack it again once.
      if (!starts(path)) {
        rmSync(path, { force: true });
        path = await sparticuz.executablePath();
      }
      if (!starts(path)) throw new Error(`${path}, unpacked from the package, does not start`);
      return { executablePath: path, source: '@sparticuz/chromium' };
    } catch (error) {
      packaged = error; // not installed or cannot unpack: try a system browser
    }
  }
  const system = SYSTEM_BROWSERS.find((path) => existsSync(path));
  if (system) return { executablePath: system, source: 'system' };
  const why = packaged instanceof Error ? packaged.message : `it ships a Linux x64 binary and this is ${process.platform} ${process.arch}`;
  throw new Error(
    `no Chromium found: @sparticuz/chromium could not be used (${why}) and none of ${SYSTEM_BROWSERS.join(', ')} exists; ` +
    'run pnpm install, or set CHROMIUM_PATH to a Chromium or Chrome binary',
  );
}

/** Whether the binary runs at all (`--version`, about 15 ms once the binary is in the page cache). */
function starts(path: string): boolean {
  const run = spawnSync(path, ['--version'], { timeout: 30_000, stdio: 'ignore' });
  return run.error === undefined && run.status === 0;
}

/**
 * A headless browser context with its own profile folder, at the given viewport, in a test file.
 * The browser is the one the project's global setup (./chromium-setup.ts) found with
 * {@link findChromium}; if it found none, this throws its message.
 */
export function launchChromium(profileDir: string, viewport: { width: number; height: number }): Promise<BrowserContext> {
  const found = inject('chromium');
  if ('error' in found) throw new Error(found.error);
  return chromium.launchPersistentContext(profileDir, { executablePath: found.executablePath, headless: true, args: FLAGS, viewport });
}
