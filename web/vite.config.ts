import { resolve } from 'node:path';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The app (index.html) and the self-hosted GraphiQL (graphiql.html) are two entries; every
// route and GraphiQL itself are separate chunks, so the sign-in screen loads only its own.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: process.env.CIVIC_WEB_OUT ?? 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        graphiql: resolve(import.meta.dirname, 'graphiql.html'),
      },
    },
  },
  server: {
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:8080', ws: true },
      '/auth': 'http://127.0.0.1:8080',
    },
  },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
