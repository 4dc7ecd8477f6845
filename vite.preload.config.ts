import { defineConfig } from 'vite';

// The preload, bundled into one CommonJS file: sandboxed preloads cannot be ES modules and can
// require nothing but a few Electron modules (DESIGN §8).
export default defineConfig({
  build: {
    outDir: 'out/preload',
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    lib: { entry: 'preload/index.ts', formats: ['cjs'], fileName: () => 'index.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
