import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Load tests share 2 cores: running files in parallel would distort each other's schedules.
    fileParallelism: false,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
