// The reflector behaviour against the test cluster: a dropped stream is watched again from the
// last version seen (no new list), and a version the server no longer has (410) leads to a list.
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { byKind } from '../../e2e/cluster/apiserver/resources';
import { loadKubeconfig } from '../kube/kubeconfig';
import { ClusterObjects, type KubeObject } from './clusterObjects';
import { watchObjects } from './objectWatch';

let cluster: TestCluster;
let kc: KubeConfig;
let api: ClusterObjects;

beforeAll(async () => {
  cluster = await startTestCluster({ node: false });
  kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig();
  api = ClusterObjects.connect(kc);
});
afterAll(async () => cluster?.stop());

const PATH = '/api/v1/namespaces/default/configmaps';
const createNow = (name: string) => cluster.apiServer.core.create(byKind('ConfigMap'), 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { t: 'watch' } }, data: {} });

/** Watches and resolves `next(pred)` on the first state that satisfies pred. */
function observe() {
  let latest = new Map<string, KubeObject>();
  const waiters: { pred: (m: Map<string, KubeObject>) => boolean; resolve: () => void }[] = [];
  const w = watchObjects(kc, api, { path: PATH, labelSelector: 't=watch' }, (m) => {
    latest = new Map(m);
    for (const x of [...waiters]) if (x.pred(latest)) (waiters.splice(waiters.indexOf(x), 1), x.resolve());
  });
  return {
    stop: () => w.stop(),
    until: (pred: (m: Map<string, KubeObject>) => boolean) => new Promise<void>((resolve) => (pred(latest) ? resolve() : waiters.push({ pred, resolve }))),
  };
}

const lists = () => cluster.requests.count({ verb: 'list', pathPrefix: PATH });

describe('watchObjects', () => {
  it('re-watches after a dropped stream without listing again', async () => {
    createNow('w-a');
    cluster.requests.reset();
    const o = observe();
    await o.until((m) => m.has('w-a'));
    expect(lists()).toBe(1);
    await new Promise((r) => setTimeout(r, 100)); // let the watch request reach the server
    cluster.faults.dropStreams();
    createNow('w-b');
    await o.until((m) => m.has('w-b'));
    expect(lists()).toBe(1);
    o.stop();
  });

  it('lists again when the server answers 410 Gone', async () => {
    cluster.requests.reset();
    const o = observe();
    await o.until((m) => m.has('w-b'));
    await new Promise((r) => setTimeout(r, 100));
    cluster.apiServer.setWatchHistoryWindow(2);
    cluster.faults.dropStreams();
    for (const n of ['w-c', 'w-d', 'w-e', 'w-f', 'w-g']) createNow(n);
    await o.until((m) => ['w-a', 'w-b', 'w-c', 'w-d', 'w-e', 'w-f', 'w-g'].every((n) => m.has(n)));
    expect(lists()).toBeGreaterThanOrEqual(2);
    cluster.apiServer.setWatchHistoryWindow(1000);
    o.stop();
  });
});
