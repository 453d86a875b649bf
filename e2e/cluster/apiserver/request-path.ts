// Parses an API path into group, version, namespace, resource, name and subresource, the way
// the real server's RequestInfoResolver does.

import { findResource, type ResourceType } from './resources';

export interface ResourceRequest {
  group: string; version: string; resource: ResourceType; namespace?: string; name?: string; subresource?: string;
  /** Legacy `/api/v1/watch/...` paths. */
  watchPath: boolean;
}

export type ParsedPath = { kind: 'resource'; req: ResourceRequest } | { kind: 'unknown-resource'; group: string; version: string } | { kind: 'other' };

export function parseResourcePath(pathname: string): ParsedPath {
  const seg = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string, version: string, rest: string[];
  if (seg[0] === 'api' && seg.length >= 3) { group = ''; version = seg[1]; rest = seg.slice(2); }
  else if (seg[0] === 'apis' && seg.length >= 4) { group = seg[1]; version = seg[2]; rest = seg.slice(3); }
  else return { kind: 'other' };
  let watchPath = false;
  if (rest[0] === 'watch') { watchPath = true; rest = rest.slice(1); }
  let namespace: string | undefined, plural: string, name: string | undefined, subresource: string | undefined;
  // `/namespaces/{ns}/status` and `/finalize` are the Namespace's own subresources; anything else
  // under `/namespaces/{ns}/` names a namespaced resource.
  const namespaceSubresource = group === '' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    [, namespace, plural, name, subresource] = rest;
  } else {
    [plural, name, subresource] = rest;
  }
  if (rest.length > (namespace !== undefined ? 5 : 3)) return { kind: 'unknown-resource', group, version };
  const resource = findResource(group, version, plural);
  if (!resource) return { kind: 'unknown-resource', group, version };
  if (namespace !== undefined && !resource.namespaced) return { kind: 'unknown-resource', group, version };
  return { kind: 'resource', req: { group, version, resource, namespace, name, subresource, watchPath } };
}
