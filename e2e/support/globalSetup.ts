// Before the e2e run: builds the app once (renderer for the browser host, Electron bundles for
// the Electron spec), says whether the Electron spec can run, and gives Electron a virtual
// display (Xvfb) on Linux machines without one.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from '../../scripts/electron-binary.mjs';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed; see above');

  const electron = electronBinary();
  let xvfb: ChildProcess | null = null;
  if (!electron.path) {
    console.log(`Electron e2e (e2e/electron.spec.ts): skipped: ${electron.reason}`);
  } else if (process.platform === 'linux' && !process.env.DISPLAY) {
    if (existsSync('/usr/bin/Xvfb')) {
      const display = `:${90 + Math.floor(Math.random() * 9)}`;
      xvfb = spawn('/usr/bin/Xvfb', [display, '-screen', '0', '1440x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
      await new Promise((res) => setTimeout(res, 500));
      process.env.DISPLAY = display; // workers start after this and inherit it
      console.log(`Electron e2e: running on virtual display ${display}`);
    } else {
      console.log('Electron e2e: no display and no Xvfb (apt-get install xvfb); the Electron spec will fail to open a window');
    }
  }
  return async () => {
    xvfb?.kill();
  };
}
