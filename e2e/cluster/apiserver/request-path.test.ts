// API path parsing: namespace subresources versus namespaced collections, group and legacy watch paths.

import { describe, expect, it } from 'vitest';
import { parseResourcePath } from './request-path';

describe('parseResourcePath', () => {
  it('tells a namespace subresource from a namespaced collection', () => {
    const a = parseResourcePath('/api/v1/namespaces/dev/status');
    expect(a.kind === 'resource' && [a.req.resource.plural, a.req.name, a.req.subresource]).toEqual(['namespaces', 'dev', 'status']);
    const b = parseResourcePath('/api/v1/namespaces/dev/pods/web/log');
    expect(b.kind === 'resource' && [b.req.resource.plural, b.req.namespace, b.req.name, b.req.subresource]).toEqual(['pods', 'dev', 'web', 'log']);
  });
  it('parses group paths and legacy watch paths', () => {
    const a = parseResourcePath('/apis/apps/v1/watch/namespaces/dev/deployments');
    expect(a.kind === 'resource' && [a.req.group, a.req.resource.kind, a.req.namespace, a.req.watchPath]).toEqual(['apps', 'Deployment', 'dev', true]);
  });
  it('rejects unknown resources and cluster-scoped kinds under a namespace', () => {
    expect(parseResourcePath('/api/v1/namespaces/dev/widgets').kind).toBe('unknown-resource');
    expect(parseResourcePath('/apis/storage.k8s.io/v1/namespaces/dev/storageclasses').kind).toBe('unknown-resource');
    expect(parseResourcePath('/version').kind).toBe('other');
  });
});
