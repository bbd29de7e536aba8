import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests start real servers (node_exporter, Prometheus): one file at a time on a 2-core machine.
    fileParallelism: false,
  },
});
