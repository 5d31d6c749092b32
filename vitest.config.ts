import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'packages/core/vitest.isolated.config.ts', 'examples'],
    reporters: ['default', './test-support/count-reporter.ts'],
  },
});
