/// <reference types="vitest/config" />
// The build of the usager's web application. Everything it needs is served by Consigne itself:
// hashed files under /app/assets/ (cached for a year), index.html at / (never cached).
// The Content-Security-Policy allows no inline script or style, so nothing is inlined: no
// data: URLs for small assets, component styles in the CSS file, the worker as its own file.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  base: '/app/',
  plugins: [svelte({ compilerOptions: { css: 'external' } })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    cssCodeSplit: true,
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: false,
  },
  worker: { format: 'es' },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
