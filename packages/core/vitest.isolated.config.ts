import { defineProject } from 'vitest/config';
import { ISOLATED_FILES } from './test/isolated-files.js';

// The files of test/isolated-files.ts, each in a fresh module graph; the rest: vitest.config.ts.
export default defineProject({
  ssr: { resolve: { conditions: ['@dualtape/source'] } },
  resolve: { conditions: ['@dualtape/source'] },
  test: { name: '@dualtape/core (isolated)', include: ISOLATED_FILES, isolate: true, testTimeout: 60_000 },
});
