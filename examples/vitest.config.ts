import { defineProject } from 'vitest/config';

// The examples' own checks (each script run as `pnpm example <name>` would run it) and the
// browser tests (the playground and examples/browser) in headless Chromium, which the global setup
// finds once per run. Sources are read through "@dualtape/source".
export default defineProject({
  ssr: { resolve: { conditions: ['@dualtape/source'] } },
  resolve: { conditions: ['@dualtape/source'] },
  test: {
    include: ['test/**/*.test.ts', 'playground/test/**/*.test.ts'],
    globalSetup: ['test/chromium-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
