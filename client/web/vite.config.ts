import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The gateway serves the build at /app/ and swaps RGW_CSP_NONCE for a fresh nonce on every response.
// `npm run dev -w client/web` serves with HMR and proxies the API to a gateway on GATEWAY_URL.
export default defineConfig({
  base: '/app/',
  plugins: [react()],
  html: { cspNonce: 'RGW_CSP_NONCE' },
  // One bundle for a small console (React + Mantine); split by page when it grows.
  build: { modulePreload: { polyfill: false }, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '/api': { target: process.env.GATEWAY_URL ?? 'http://127.0.0.1:8447', changeOrigin: false },
    },
  },
});
