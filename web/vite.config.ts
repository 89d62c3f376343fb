import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into web/dist and served by `sakimori serve`; in development the API is proxied.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
