// `npm start` on a machine without the Electron binary starts the browser host: it prints the
// tokened URL on a line of its own, the URL serves the app, and Ctrl-C stops it.
import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let child: ChildProcess | null = null;

afterEach(() => {
  child?.kill('SIGTERM');
  child = null;
});

function startApp(args: string[], home: string): Promise<{ url: string; output: () => string }> {
  child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, HOME: home, ELECTRON_OVERRIDE_DIST_PATH: path.join(home, 'no-electron'), DISPLAY: '', KUBECONFIG: path.join(home, 'kubeconfig') },
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      const line = out.split('\n').find((l) => /^http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/.test(l));
      if (line) resolve({ url: line, output: () => out });
    };
    child!.stdout!.on('data', onData);
    child!.stderr!.on('data', (d) => (out += d));
    child!.on('exit', (code) => reject(new Error(`npm start exited (${code}) before printing a URL:\n${out}`)));
  });
}

describe('npm start without an Electron binary', () => {
  it('starts the browser host on the requested port and serves the app only with the token', async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'devspace-start-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const { url, output } = await startApp(['--port', String(port), '--no-open'], home);
    expect(output()).toContain('Starting in browser mode');
    expect(new URL(url).port).toBe(String(port));
    const denied = await fetch(`http://127.0.0.1:${port}/`);
    expect(denied.status).toBe(401);
    const first = await fetch(url, { redirect: 'manual' });
    expect(first.status).toBe(302);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const exited = new Promise<number | null>((r) => child!.on('exit', (code) => r(code)));
    child!.kill('SIGINT');
    expect(await exited).toBe(0);
    await fs.rm(home, { recursive: true, force: true });
  }, 120_000);

  it('says clearly when the port is taken', async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'devspace-start-'));
    const { url } = await startApp(['--no-open'], home);
    const port = new URL(url).port;
    const second = spawn(process.execPath, [path.join(root, 'scripts/start.mjs'), '--web', '--port', port, '--no-open'], {
      cwd: root,
      env: { ...process.env, HOME: home },
    });
    let err = '';
    second.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => second.on('exit', r));
    expect(code).toBe(1);
    expect(err).toContain(`port ${port} on 127.0.0.1 is already in use`);
    await fs.rm(home, { recursive: true, force: true });
  }, 120_000);
});
