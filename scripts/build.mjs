// Bundles the app with Vite: the renderer (dist/renderer), the Electron main process
// (dist/main/electron-main.cjs) and the preload (dist/preload/preload.cjs).
// `node scripts/build.mjs renderer` builds only the renderer (what the browser host needs).
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export async function buildRenderer() {
  await build({ configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

async function buildNodeBundle(entry, outDir, fileName) {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    // Everything is bundled (one file, no ESM/CJS mix at run time) except Electron and Node.
    ssr: { noExternal: true },
    build: {
      ssr: entry,
      outDir,
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      sourcemap: true,
      rollupOptions: {
        external: ['electron', ...nodeBuiltins],
        output: { format: "cjs", entryFileNames: fileName, codeSplitting: false },
      },
    },
  });
}

async function main() {
  const started = Date.now();
  if (!only || only === 'renderer') await buildRenderer();
  if (!only || only === 'electron') {
    await buildNodeBundle(path.join(root, 'main/electron/main.ts'), path.join(root, 'dist/main'), 'electron-main.cjs');
    await buildNodeBundle(path.join(root, 'preload/index.ts'), path.join(root, 'dist/preload'), 'preload.cjs');
  }
  console.log(`built ${only ?? 'all'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
