import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration tests bind real sockets and spawn processes; keep the load modest on 2 cores.
    maxWorkers: 2,
    // Memory tests measure the heap after a forced collection.
    execArgv: ['--expose-gc'],
  },
});
