import { defineConfig } from 'vitest/config';

// Unit and integration tests sit next to the code as *.test.ts(x); Playwright specs are e2e/*.spec.ts.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    include: ['{main,preload,renderer,e2e,scripts}/**/*.test.{ts,tsx}'],
    exclude: ['node_modules/**', 'dist/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
