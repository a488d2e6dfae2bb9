// Builds the console into ui/dist, which api serves as static files under a strict CSP:
// no inline scripts or styles, and no assets inlined as data: URLs (fonts would break).
// `npm run dev:ui` proxies /api (REST and the WebSocket stream) to a local Vigil.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const devApiTarget = process.env.VIGIL_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: devApiTarget, ws: true },
    },
  },
});
