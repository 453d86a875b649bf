// Which node agent a pod's streams go to: the Node's kubelet port, on the Node's loopback
// InternalIP (127.0.0.N for node N of a multi-node test cluster), never beyond this machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from './server';
import { byKind } from './resources';
import { resolveKubelet } from './stream-proxy';

let api: ApiServer;
beforeAll(async () => { api = await startApiServer(); });
afterAll(async () => { await api?.stop(); });

describe('resolveKubelet', () => {
  it('dials the node of the pod at its loopback InternalIP, 127.0.0.1 for any other address', () => {
    const node = (name: string, address: string, port: number) => api.core.create(byKind('Node'), undefined, {
      apiVersion: 'v1', kind: 'Node', metadata: { name },
      status: { addresses: [{ type: 'InternalIP', address }, { type: 'Hostname', address: name }], daemonEndpoints: { kubeletEndpoint: { Port: port } } },
    });
    node('test-node', '127.0.0.1', 10250);
    node('test-node-2', '127.0.0.2', 10251);
    node('elsewhere', '192.0.2.7', 10252);
    const pod = (name: string, nodeName: string) => api.core.create(byKind('Pod'), 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] },
    });
    pod('one', 'test-node');
    pod('two', 'test-node-2');
    pod('far', 'elsewhere');
    expect(resolveKubelet(api.core, 'default', 'one')).toEqual({ host: '127.0.0.1', port: 10250 });
    expect(resolveKubelet(api.core, 'default', 'two')).toEqual({ host: '127.0.0.2', port: 10251 });
    expect(resolveKubelet(api.core, 'default', 'far')).toEqual({ host: '127.0.0.1', port: 10252 });
  });
});
