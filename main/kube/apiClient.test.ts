// The API client factory on a real local HTTPS server: auth is applied, a caller can cancel, and a
// stalled server hits the deadline, each surfacing as a classified error.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../ipc/errors';
import { makeApiClient } from './apiClient';
import { ClusterTimeoutError, describeClusterError } from './clusterErrors';
import { loadKubeconfig, type LoadedKubeconfig } from './kubeconfig';
import { startApiServer, type RunningApiServer } from './testSupport/apiServer';
import { makeCa, makeServerCert } from './testSupport/certificates';

let dir: string;
let ok: RunningApiServer;
let hanging: RunningApiServer;
let kc: LoadedKubeconfig;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kube-client-'));
  const ca = makeCa();
  const cert = makeServerCert(ca);
  ok = await startApiServer({ cert, token: 't0k', namespaces: ['b', 'a'] });
  hanging = await startApiServer({ cert, hang: true });
  const caData = Buffer.from(ca.certPem).toString('base64');
  const file = path.join(dir, 'config');
  await writeFile(
    file,
    `clusters:
- {name: ok, cluster: {server: "${ok.url}", certificate-authority-data: ${caData}}}
- {name: hanging, cluster: {server: "${hanging.url}", certificate-authority-data: ${caData}}}
users: [{name: u, user: {token: t0k}}]
contexts:
- {name: ok, context: {cluster: ok, user: u}}
- {name: hanging, context: {cluster: hanging, user: u}}
`,
  );
  kc = await loadKubeconfig([file]);
});
afterAll(async () => {
  await Promise.all([ok.close(), hanging.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('makeApiClient', () => {
  it('makes working clients of any generated API with the context credentials', async () => {
    const list = await makeApiClient(kc.kubeConfig('ok'), CoreV1Api).listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual(['b', 'a']);
    expect(ok.requests.at(-1)).toEqual({ path: '/api/v1/namespaces', authorization: 'Bearer t0k' });
  });

  it('fails with ClusterTimeoutError when the server does not answer in time', async () => {
    const err = await makeApiClient(kc.kubeConfig('hanging'), CoreV1Api, { timeoutMs: 200 })
      .listNamespace()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterTimeoutError);
    expect(describeClusterError(err, hanging.url)).toMatchObject({ code: 'CLUSTER_UNREACHABLE', message: `The cluster at ${hanging.url} did not answer within 0.2 s.` });
  });

  it('fails with CANCELLED when the caller aborts', async () => {
    const controller = new AbortController();
    const before = hanging.requests.length;
    const pending = makeApiClient(kc.kubeConfig('hanging'), CoreV1Api, { timeoutMs: 0, signal: controller.signal })
      .listNamespace()
      .catch((e: unknown) => e);
    // Abort once the server has the request, so the cancel really interrupts a request in flight.
    while (hanging.requests.length === before) await new Promise((r) => setImmediate(r));
    controller.abort();
    const err = await pending;
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CANCELLED');
  });
});
