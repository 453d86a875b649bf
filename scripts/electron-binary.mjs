// Finds the Electron binary without triggering Electron 45's lazy download (requiring the
// 'electron' package downloads it when missing, which fails on offline machines).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The absolute path of the Electron executable, or null with the reason it is not there. */
export function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(p) ? { path: p } : { path: null, reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary (${p})` };
  }
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(dir)) return { path: null, reason: 'the electron package is not installed' };
  if (!existsSync(pathFile)) return { path: null, reason: 'Electron binary not installed' };
  const bin = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? { path: bin } : { path: null, reason: `Electron binary missing at ${bin}` };
}
