import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// Built into web/dist and served by `sakimori serve` (unknown non-API paths fall back to
// index.html). In development (`npx vite web`) the API is proxied to SAKIMORI_API.
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: { outDir: resolve(here, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': process.env['SAKIMORI_API'] ?? 'http://127.0.0.1:8080' } },
});
