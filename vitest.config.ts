import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'app', include: ['app/**/*.test.ts'], environment: 'node', testTimeout: 30_000 } },
      { test: { name: 'main', include: ['main/**/*.test.ts', 'tools/**/*.test.ts', 'bench/**/*.test.ts'], environment: 'node', testTimeout: 60_000 } },
      { test: { name: 'renderer', include: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx'], environment: 'jsdom' } },
    ],
  },
});
