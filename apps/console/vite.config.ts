import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served by the standalone process (and the gateway) at `/`; `vite` alone proxies the API.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
