import { defineProject } from 'vitest/config';

// The examples' own checks (each script run as `pnpm example <name>` would run it) and the
// browser tests (the playground and examples/browser) in headless Chromium, which the global setup
// finds once per run. Sources are read through "@dualtape/source". Each file runs in a fresh module
// graph (vitest's default): with one shared graph (isolate: false), and tsc running beside vitest, the
// phone-width playground layout test failed once in a clean CI run (its error box still shown after
// the poll), so the browser files keep vitest's default.
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
