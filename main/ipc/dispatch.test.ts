import { describe, expect, it } from 'vitest';
import type { ApiHandlers } from './dispatch';
import { dispatch } from './dispatch';
import { AppError } from './errors';

// A full handler table whose methods record their arguments; only the envelope is under test.
function handlers(overrides: Partial<ApiHandlers> = {}): ApiHandlers {
  const notUsed = () => {
    throw new Error('not used in this test');
  };
  return {
    'app.info': () => ({ version: '1.0.0', mode: 'browser', platform: 'linux', homeDir: '/home/u', dataDir: '/d' }),
    'projects.pick': notUsed,
    'projects.open': (p) => ({ path: p, name: 'x', hasDevspaceConfig: false, hasDockerfile: false, hasChart: false, selection: {} }),
    'projects.current': () => null,
    'projects.close': () => null,
    'projects.recent': () => [],
    'projects.removeRecent': notUsed,
    'fs.list': notUsed,
    'cluster.contexts': notUsed,
    'cluster.namespaces': notUsed,
    'cluster.status': (c, n) => ({ state: 'error', error: { code: 'CLUSTER_ERROR', message: `${c}/${n}` } }),
    'cluster.select': notUsed,
    'terminal.open': notUsed,
    'terminal.write': notUsed,
    'terminal.resize': notUsed,
    'terminal.rename': notUsed,
    'terminal.close': notUsed,
    'terminal.list': notUsed,
    'ports.list': notUsed,
    'ports.save': notUsed,
    'ports.start': notUsed,
    'ports.stop': notUsed,
    'logs.start': notUsed,
    'logs.stop': notUsed,
    'logs.pods': notUsed,
    'up.preview': notUsed,
    'up.start': notUsed,
    'up.cancel': notUsed,
    'up.current': notUsed,
    'up.buildLog': notUsed,
    'up.stop': notUsed,
    'up.purge': notUsed,
    'settings.get': notUsed,
    'settings.update': notUsed,
    'registry.status': notUsed,
    'registry.remove': notUsed,
    'registry.logins': notUsed,
    'registry.login': notUsed,
    'registry.logout': notUsed,
    'deploy.status': notUsed,
    'deploy.rollback': notUsed,
    'deploy.manifests': notUsed,
    ...overrides,
  };
}

describe('dispatch: the error envelope', () => {
  it('wraps a value as { ok: true, value }', async () => {
    expect(await dispatch(handlers(), 'projects.current', [])).toEqual({ ok: true, value: null });
    const r = await dispatch(handlers(), 'projects.open', ['/tmp/x']);
    expect(r).toMatchObject({ ok: true, value: { path: '/tmp/x' } });
  });

  it('turns an AppError into its code, message and hint', async () => {
    const r = await dispatch(handlers({ 'projects.recent': () => Promise.reject(new AppError('NOT_FOUND', 'gone', 'look elsewhere')) }), 'projects.recent', []);
    expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'gone', hint: 'look elsewhere' } });
  });

  it('hides the stack of an unexpected error and logs it', async () => {
    const logged: string[] = [];
    const r = await dispatch(
      handlers({ 'projects.recent': () => { throw new TypeError('x is undefined\n    at secret (/src/file.ts:1:1)'); } }),
      'projects.recent',
      [],
      (l) => logged.push(l),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INTERNAL');
      expect(r.error.message).toBe('x is undefined');
      expect(JSON.stringify(r)).not.toContain('/src/file.ts');
    }
    expect(logged.join('\n')).toContain('/src/file.ts');
  });

  it('refuses unknown methods, including inherited object keys', async () => {
    for (const method of ['nope.nothing', 'constructor', '__proto__', 'toString', 42]) {
      const r = await dispatch(handlers(), method, []);
      expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('validates arguments before the handler runs', async () => {
    let called = false;
    const h = handlers({ 'projects.open': () => { called = true; return null as never; } });
    for (const args of [[], [42], ['relative/path'], ['/a', '/b'], 'not-a-list', [`/x\0y`]]) {
      const r = await dispatch(h, 'projects.open', args);
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    }
    expect(called).toBe(false);
  });

  it('accepts optional arguments left out or sent as null', async () => {
    expect(await dispatch(handlers(), 'cluster.status', [])).toMatchObject({ ok: true, value: { error: { message: 'undefined/undefined' } } });
    expect(await dispatch(handlers(), 'cluster.status', ['dev', null])).toMatchObject({ ok: true, value: { error: { message: 'dev/undefined' } } });
    expect(await dispatch(handlers(), 'cluster.status', ['dev', 'ns'])).toMatchObject({ ok: true, value: { error: { message: 'dev/ns' } } });
  });

  it('rejects unknown fields in object arguments', async () => {
    const r = await dispatch(handlers(), 'cluster.select', [{ context: 'a', evil: true }]);
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('evil') } });
  });
});
