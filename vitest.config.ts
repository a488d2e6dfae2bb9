// Test runner configuration. Integration suites start real processes and services,
// so timeouts are generous and files run one at a time on our 2-core machines.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
