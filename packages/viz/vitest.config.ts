import { defineProject } from 'vitest/config';

// Tests read TypeScript source through the "@dualtape/source" export condition: no build needed.
export default defineProject({
  ssr: { resolve: { conditions: ['@dualtape/source'] } },
  resolve: { conditions: ['@dualtape/source'] },
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000 },
});
