// The pure parts of the Deployment view: pod rows, which events are kept, the rollback offer, and
// Tiller's releases in Helm 3's words.
import { describe, expect, it } from 'vitest';
import type { DeploymentRevision } from '../../preload/api';
import { EVENT_LIMIT, podRow, rollbackTarget, selectEvents, selectorQuery } from './deploymentView';
import { imageOfConfig } from './deployHandlers';
import { tillerRevision, tillerStatus } from './releaseHistory';

const rev = (revision: number, status: string): DeploymentRevision => ({ revision, status, updated: '2026-12-04T17:00:00Z' });

describe('the rollback offer', () => {
  it('offers the deployed revision after a failed one, else the newest superseded', () => {
    expect(rollbackTarget([rev(3, 'failed'), rev(2, 'deployed'), rev(1, 'superseded')])).toBe(2);
    expect(rollbackTarget([rev(3, 'failed'), rev(2, 'superseded'), rev(1, 'superseded')])).toBe(2);
    expect(rollbackTarget([rev(2, 'failed'), rev(1, 'failed')])).toBeUndefined();
    expect(rollbackTarget([rev(1, 'failed')])).toBeUndefined();
    expect(rollbackTarget([])).toBeUndefined();
  });

  it('treats a deployed revision whose pods cannot run as failed', () => {
    expect(rollbackTarget([rev(2, 'deployed'), rev(1, 'superseded')])).toBeUndefined();
    expect(rollbackTarget([rev(2, 'deployed'), rev(1, 'superseded')], true)).toBe(1);
    expect(rollbackTarget([rev(1, 'deployed')], true)).toBeUndefined();
  });
});

describe('pod rows', () => {
  it('counts ready containers, restarts, and explains an image pull with the kubelet\'s words', () => {
    const pod = {
      metadata: { name: 'web-1' },
      spec: { nodeName: 'node-1', containers: [{ name: 'dev', image: 'localhost:5000/web:nope' }, { name: 'side', image: 'busybox' }] },
      status: {
        phase: 'Pending',
        startTime: '2026-12-04T17:00:00Z',
        containerStatuses: [
          { name: 'dev', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } },
          { name: 'side', ready: true, restartCount: 2, state: { running: { startedAt: '2026-12-04T17:00:01Z' } } },
        ],
      },
    };
    const row = podRow(pod, [{ reason: 'Failed', message: 'Failed to pull image "localhost:5000/web:nope": manifest unknown', lastTimestamp: '2026-12-04T17:00:02Z' }]);
    expect(row).toMatchObject({ name: 'web-1', phase: 'Pending', ready: '1/2', restarts: 2, startedAt: '2026-12-04T17:00:00Z', node: 'node-1' });
    expect(row.problem).toBe('The container "dev" of pod web-1 cannot pull its image "localhost:5000/web:nope" from localhost:5000 (ImagePullBackOff): Failed to pull image "localhost:5000/web:nope": manifest unknown');
  });

  it('adds the last log line to a crash loop', () => {
    const pod = {
      metadata: { name: 'web-2' },
      spec: { containers: [{ name: 'dev' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'dev', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 3 } } }] },
    };
    expect(podRow(pod, [], 'boom').problem).toBe('The container "dev" of pod web-2 keeps crashing (CrashLoopBackOff, 4 restarts). It last exited with code 3. Last log line: boom');
    expect(podRow({ metadata: { name: 'ok' }, spec: { containers: [{ name: 'dev' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'dev', ready: true }] } }, []).problem).toBeUndefined();
  });
});

describe('event selection', () => {
  const ev = (i: number, type: string, kind = 'Pod', name = 'web-1') => ({ type, reason: `R${i}`, message: `m${i}`, involvedObject: { kind, name }, count: 1, lastTimestamp: new Date(Date.UTC(2026, 11, 4, 17, 0, i)).toISOString() });

  it('keeps the release\'s objects only, newest first', () => {
    const out = selectEvents([ev(1, 'Normal'), ev(3, 'Warning', 'Deployment', 'web'), ev(2, 'Normal', 'Pod', 'other')], new Set(['Pod/web-1', 'Deployment/web']));
    expect(out.map((e) => [e.reason, e.object])).toEqual([['R3', 'Deployment/web'], ['R1', 'Pod/web-1']]);
    expect(out[0]).toEqual({ type: 'Warning', reason: 'R3', message: 'm3', object: 'Deployment/web', count: 1, lastSeen: '2026-12-04T17:00:03.000Z' });
  });

  it('bounds the list and keeps Warnings before Normal events', () => {
    const many = [...Array.from({ length: 55 }, (_, i) => ev(i + 2, 'Normal')), ev(1, 'Warning')];
    const out = selectEvents(many, new Set(['Pod/web-1']));
    expect(out).toHaveLength(EVENT_LIMIT);
    expect(out.at(-1)).toMatchObject({ type: 'Warning', reason: 'R1' });
    expect(out[0]!.reason).toBe('R56');
  });
});

describe('helpers', () => {
  it('writes label selectors as the API reads them', () => {
    expect(selectorQuery({ matchLabels: { app: 'web', tier: 'x' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }, { key: 'k', operator: 'Exists' }] })).toBe('app=web,tier=x,env in (a,b),k');
    expect(selectorQuery({})).toBeUndefined();
  });

  it('reads the deployed image from the stored values', () => {
    expect(imageOfConfig({ image: { repository: 'localhost:5000/web', tag: 'devspace-abc' }, pullSecrets: ['devspace-pull-localhost-5000'] })).toEqual({ repository: 'localhost:5000/web', tag: 'devspace-abc', pullSecrets: ['devspace-pull-localhost-5000'] });
    expect(imageOfConfig({ image: 'nginx' })).toBeUndefined();
  });

  it('puts Tiller\'s releases in Helm 3\'s words', () => {
    expect(tillerStatus('DEPLOYED')).toBe('deployed');
    expect(tillerStatus('PENDING_UPGRADE')).toBe('pending-upgrade');
    expect(tillerStatus('DELETED')).toBe('uninstalled');
    expect(tillerStatus(4)).toBe('failed');
    const r = tillerRevision({
      name: 'web', version: 3, namespace: 'dev', manifest: '', hooks: [], config: { raw: '' },
      info: { status: { code: 'SUPERSEDED' }, lastDeployed: { seconds: 1_796_403_600, nanos: 500_000_000 }, description: 'Upgrade complete' },
      chart: { metadata: { name: 'web', version: '0.1.0' } as never, templates: [], dependencies: [], files: [] },
    });
    expect(r).toEqual({ revision: 3, status: 'superseded', updated: '2026-12-04T17:00:00.500Z', description: 'Upgrade complete', chart: 'web-0.1.0' });
  });
});
