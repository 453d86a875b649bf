// `npm start`: the desktop app where the Electron binary exists, otherwise (or with --web) the
// browser host, which prints its URL and opens it.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const wantWeb = args.includes('--web') || args.includes('--help') || args.includes('-h');

function run(cmd, cmdArgs, env = process.env) {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
}

function buildOrExit(what) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), ...(what ? [what] : [])], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

let electron = { path: null, reason: '--web was given' };
if (!wantWeb) {
  electron = electronBinary();
  if (!electron.path && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && !process.env.CI) {
    console.log('Downloading the Electron binary (first start only)…');
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules/electron/install.js')], { cwd: root, stdio: 'inherit', timeout: 300_000 });
    if (r.status === 0) electron = electronBinary();
    else electron.reason = 'the Electron download failed';
  }
  if (electron.path && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    electron = { path: null, reason: 'there is no display (DISPLAY is not set)' };
  }
}

if (electron.path) {
  buildOrExit();
  const passThrough = args.filter((a) => a !== '--web');
  run(electron.path, [path.join(root, 'dist/main/electron-main.cjs'), ...passThrough]);
} else {
  if (!wantWeb) console.log(`Starting in browser mode: ${electron.reason}.`);
  buildOrExit('renderer');
  run(process.execPath, ['--import', 'tsx', path.join(root, 'main/host/cli.ts'), ...args.filter((a) => a !== '--web')]);
}
