import { defineProject } from 'vitest/config';

// The examples' own checks (each script run as `pnpm example <name>` would run it) and the
// playground's end-to-end test in headless Chromium. Sources are read through "@dualtape/source".
export default defineProject({
  ssr: { resolve: { conditions: ['@dualtape/source'] } },
  resolve: { conditions: ['@dualtape/source'] },
  test: {
    include: ['test/**/*.test.ts', 'playground/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
