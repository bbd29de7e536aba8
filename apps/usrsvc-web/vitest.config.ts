import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    // Browser and daemon tests start real processes: one file at a time on a 2-core machine.
    fileParallelism: false,
  },
});
