import { defineProject } from 'vitest/config';

// The examples' own checks (each script run as `pnpm example <name>` would run it) and the
// browser tests (the playground and examples/browser) in headless Chromium, which the global setup
// finds once per run. Sources are read through "@dualtape/source". The files share one module graph
// (isolate: false): the browser tests keep their state in their own browser, the example scripts run
// in child processes, and no file changes the engine's global settings in Node.
export default defineProject({
  ssr: { resolve: { conditions: ['@dualtape/source'] } },
  resolve: { conditions: ['@dualtape/source'] },
  test: {
    include: ['test/**/*.test.ts', 'playground/test/**/*.test.ts'],
    globalSetup: ['test/chromium-setup.ts'],
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
