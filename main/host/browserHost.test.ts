import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiHandlers } from '../ipc/dispatch';
import { EventBus } from '../ipc/events';
import { type BrowserHost, startBrowserHost } from './browserHost';

let tmp: string;
let host: BrowserHost;
const events = new EventBus();

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'devspace-host-'));
  const staticDir = path.join(tmp, 'renderer');
  await fs.mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>DevSpace</title>');
  await fs.writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  await fs.writeFile(path.join(tmp, 'secret.txt'), 'top secret');
  await fs.symlink(path.join(tmp, 'secret.txt'), path.join(staticDir, 'assets', 'link.txt'));
  const handlers = {
    'projects.current': () => {
      events.emit('project.changed', null);
      return null;
    },
  } as unknown as ApiHandlers;
  host = await startBrowserHost({ handlers, events, staticDir });
});
afterAll(async () => {
  await host.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

function get(urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    // Raw request so paths like /../ reach the server unnormalised, as an attacker would send them.
    const req = http.request({ host: '127.0.0.1', port: host.port, path: urlPath, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function sessionCookie(): Promise<string> {
  const res = await get(`/?token=${host.token}`);
  expect(res.status).toBe(302);
  const cookie = String(res.headers['set-cookie']);
  expect(cookie).toContain('HttpOnly');
  expect(cookie).toContain('SameSite=Strict');
  return cookie.split(';')[0] as string;
}

describe('browser host security', () => {
  it('answers 401 to anything without the token', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/assets/app.js')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
  });

  it('trades the token for a cookie and serves the app with a strict CSP', async () => {
    const cookie = await sessionCookie();
    const res = await get('/', { cookie });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>DevSpace</title>');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses paths outside the served folder, however they are spelled', async () => {
    const cookie = await sessionCookie();
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/assets/link.txt']) {
      const res = await get(p, { cookie });
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.body, p).not.toContain('top secret');
    }
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const cookie = await sessionCookie();
    expect((await get('/', { cookie, host: 'evil.example:80' })).status).toBe(403);
  });

  it('refuses a WebSocket without the token, or from another origin', async () => {
    const status = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => {});
      });
    const base = `ws://127.0.0.1:${host.port}/api`;
    expect(await status(base)).toBe(401);
    expect(await status(`${base}?token=nope`)).toBe(401);
    expect(await status(`${base}?token=${host.token}`, { origin: 'https://evil.example' })).toBe(403);
    expect(await status(`${base}?token=${host.token}`)).toBe(101);
    const cookie = await sessionCookie();
    expect(await status(base, { cookie, origin: `http://127.0.0.1:${host.port}` })).toBe(101);
  });

  it('carries calls and their events over the socket, events first', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
    await new Promise((r) => ws.on('open', r));
    const messages: unknown[] = [];
    const done = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        const msg = JSON.parse(String(d));
        messages.push(msg);
        if (msg.t === 'result' && msg.id === 2) resolve();
      }),
    );
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'projects.current', args: [] }));
    ws.send(JSON.stringify({ t: 'call', id: 2, method: 'no.such', args: [] }));
    await done;
    ws.close();
    const find = (pred: (m: any) => boolean) => messages.findIndex(pred);
    const eventAt = find((m) => m.t === 'events' && m.events[0][0] === 'project.changed');
    const firstAt = find((m) => m.t === 'result' && m.id === 1);
    expect(eventAt).toBeGreaterThanOrEqual(0);
    expect(firstAt).toBeGreaterThan(eventAt);
    expect(messages[firstAt]).toEqual({ t: 'result', id: 1, result: { ok: true, value: null } });
    expect(messages[find((m) => m.id === 2)]).toMatchObject({ result: { ok: false, error: { code: 'UNKNOWN_METHOD' } } });
  });
});
