import { defineConfig } from 'vitest/config';

/*
 * The gallery test (`make demo-test`) runs apart from `vitest run`: it needs
 * Debian's chromium (`make browser-deps`) and the moto venv, and it runs the
 * whole demo first, so it has its own include and longer hook timeout.
 */
export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['handler/test/demo/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
