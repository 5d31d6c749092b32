import { defineProject } from 'vitest/config';

// Tests read TypeScript source through the "@dualtape/source" export condition: no build needed.
// The files share one module graph (isolate: false): none changes the engine's global settings
// (kernel backend, code generation) or keeps state in a shared test helper, so each sees what it
// would see alone, and the engine's modules load once instead of once per file.
export default defineProject({
  ssr: { resolve: { conditions: ['@dualtape/source'] } },
  resolve: { conditions: ['@dualtape/source'] },
  test: { include: ['test/**/*.test.ts'], isolate: false, testTimeout: 60_000 },
});
