import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['handler/test/**/*.test.ts'],
    // Integration tests start real servers on 127.0.0.1; keep them from
    // starving each other on a 2-core machine.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
