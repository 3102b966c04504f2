import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API server the dev server forwards /api to. Override with SHEGONG_API_URL when it runs elsewhere.
const apiTarget = process.env.SHEGONG_API_URL ?? 'http://localhost:3000';

// Keep the Host header of the browser (changeOrigin: false) so the server's Origin check (CSRF defence)
// sees a same-origin request when the app is opened through the Vite dev server.
const proxy = {
  '/api': { target: apiTarget, changeOrigin: false },
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: { port: 5173, strictPort: false, proxy },
  preview: { port: 4173, proxy },
});
