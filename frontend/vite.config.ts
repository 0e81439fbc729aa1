import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Everything ships inside the desktop binary; one larger chunk is fine.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `wails dev` reads the URL this prints; another free port is fine.
    strictPort: false,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    mockReset: true,
    // Mantine in jsdom is slow on a busy two-core machine; these are not perf tests.
    testTimeout: 30_000,
    css: false,
  },
});
