// Test runner configuration. Integration suites start real processes and services,
// so timeouts are generous and files run one at a time on our 2-core machines. The
// global setup starts Kafka and OpenSearch once per run when CI=true,
// VIGIL_TEST_SERVICES=1 or they already run (see test/support/global-services.ts).
// Console component tests are .test.tsx files that ask for jsdom themselves with a
// `// @vitest-environment jsdom` first line; everything else runs in node.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/support/global-services.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
