import { configDefaults, defineProject } from 'vitest/config';
import { ISOLATED_FILES } from './test/isolated-files.js';

// Tests read TypeScript source through the "@dualtape/source" export condition: no build needed.
// The files share one module graph (isolate: false), except ISOLATED_FILES, which run each in a
// fresh one in vitest.isolated.config.ts (see test/isolated-files.ts for why). Both run in `pnpm test`
// and in this package's `test` script; from the root, `vitest run --project '@dualtape/core*'`.
export default defineProject({
  ssr: { resolve: { conditions: ['@dualtape/source'] } },
  resolve: { conditions: ['@dualtape/source'] },
  test: { include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...ISOLATED_FILES], isolate: false, testTimeout: 60_000 },
});
