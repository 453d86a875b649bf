// Builds the renderer: root renderer/ → dist/renderer, loaded from file:// in Electron and from
// the browser host, so asset URLs are relative. The app's CSP allows no inline scripts or styles
// and no data: URLs, so nothing is inlined.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'chrome130',
    rollupOptions: { input: fileURLToPath(new URL('./index.html', import.meta.url)) },
  },
  server: { host: '127.0.0.1' },
});
