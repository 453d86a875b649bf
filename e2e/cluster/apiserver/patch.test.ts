// Patch formats: strategic merge by key with directives, JSON merge patch and JSON patch.

import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch';

describe('strategicMergePatch', () => {
  const pod = { spec: { containers: [
    { name: 'a', image: 'x:1', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'K', value: '1' }] },
    { name: 'b', image: 'y:1' },
  ], volumes: [{ name: 'v1', emptyDir: {} }] } };

  it('merges containers, their ports and env by key, keeping the rest', () => {
    const out = strategicMergePatch(pod, { spec: { containers: [{ name: 'a', ports: [{ containerPort: 81 }], env: [{ name: 'K', value: '2' }] }] } });
    expect(out.spec.containers).toEqual([
      { name: 'a', image: 'x:1', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 81 }], env: [{ name: 'K', value: '2' }] },
      { name: 'b', image: 'y:1' },
    ]);
  });

  it('deletes list items and map keys, and replaces with $patch: replace', () => {
    expect(strategicMergePatch(pod, { spec: { containers: [{ name: 'b', $patch: 'delete' }] } }).spec.containers.map((c: any) => c.name)).toEqual(['a']);
    expect(strategicMergePatch(pod, { spec: { volumes: [{ name: 'v2', emptyDir: {} }, { $patch: 'replace' }] } }).spec.volumes).toEqual([{ name: 'v2', emptyDir: {} }]);
    expect(strategicMergePatch({ metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { a: null } } })).toEqual({ metadata: { labels: { b: '2' } } });
  });

  it('orders by $setElementOrder and replaces lists without a merge key', () => {
    const out = strategicMergePatch(pod, { spec: { $setElementOrder: undefined, containers: [{ name: 'b', args: ['1'] }], '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } });
    expect(out.spec.containers.map((c: any) => c.name)).toEqual(['b', 'a']);
    expect(strategicMergePatch({ args: ['a', 'b'] }, { args: ['c'] })).toEqual({ args: ['c'] });
  });

  it('merges Service ports by port', () => {
    const svc = { spec: { ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] } };
    expect(strategicMergePatch(svc, { spec: { ports: [{ port: 443, targetPort: 8443 }] } }).spec.ports).toEqual([{ name: 'http', port: 80 }, { name: 'https', port: 443, targetPort: 8443 }]);
  });
});

describe('mergePatch and jsonPatch', () => {
  it('follows RFC 7386: null deletes, lists are replaced', () => {
    expect(mergePatch({ a: { b: 1, c: [1, 2] } }, { a: { b: null, c: [3] } })).toEqual({ a: { c: [3] } });
  });
  it('follows RFC 6902 including escaped pointers and failing tests', () => {
    const doc = { metadata: { annotations: { 'a/b': '1' } }, list: [1, 2] };
    expect(jsonPatch(doc, [{ op: 'remove', path: '/metadata/annotations/a~1b' }, { op: 'add', path: '/list/-', value: 3 }])).toEqual({ metadata: { annotations: {} }, list: [1, 2, 3] });
    expect(() => jsonPatch(doc, [{ op: 'test', path: '/list/0', value: 9 }])).toThrow(/test failed/);
  });
});
