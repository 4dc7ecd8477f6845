import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// The renderer: built into out/renderer, served by Electron's app:// protocol or by web mode.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [svelte()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts or eval: the CSP allows only 'self' scripts.
    modulePreload: { polyfill: false },
  },
});
