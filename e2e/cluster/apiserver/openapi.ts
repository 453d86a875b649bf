// A minimal but truthful OpenAPI v3 document set: for every resource, the paths and operations with
// their x-kubernetes-group-version-kind and query parameters. kubectl reads it to learn that the
// server supports `fieldValidation` (server-side validation); schemas are not published, so kubectl
// falls back to its built-in types for client-side apply patches.

import { createHash } from 'node:crypto';
import { GROUP_VERSIONS, RESOURCE_TYPES, type ResourceType } from './resources';

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

function param(name: string, type = 'string') { return { name, in: 'query', schema: { type, uniqueItems: true } }; }
const WRITE_PARAMS = [param('dryRun'), param('fieldManager'), param('fieldValidation'), param('pretty')];
const LIST_PARAMS = ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch'].map((n) => param(n));
const ok = { 200: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } }, 401: { description: 'Unauthorized' } };

function operations(t: ResourceType) {
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const op = (action: string, parameters: unknown[], extra: Record<string, unknown> = {}) => ({ operationId: `${action}${t.kind}`, parameters, responses: ok, 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, ...extra });
  const prefix = `/${gvPath(t.group, t.version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}`;
  const nsParam = t.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : [];
  const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } };
  const patchBody = { requestBody: { content: Object.fromEntries(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].map((c) => [c, { schema: { type: 'object' } }])), required: true } };
  const paths: Record<string, unknown> = {
    [prefix]: { parameters: [...nsParam, param('pretty')], get: op('list', LIST_PARAMS), post: op('post', WRITE_PARAMS), delete: op('deletecollection', LIST_PARAMS) },
    [`${prefix}/{name}`]: { parameters: [nameParam, ...nsParam, param('pretty')], get: op('get', []), put: op('put', WRITE_PARAMS), patch: op('patch', [...WRITE_PARAMS, param('force', 'boolean')], patchBody), delete: op('delete', [param('dryRun'), param('gracePeriodSeconds', 'integer'), param('propagationPolicy')]) },
  };
  for (const sub of t.subresources.filter((s) => s === 'status' || s === 'scale')) {
    paths[`${prefix}/{name}/${sub}`] = { parameters: [nameParam, ...nsParam], get: op('get', []), put: op('put', WRITE_PARAMS), patch: op('patch', [...WRITE_PARAMS, param('force', 'boolean')], patchBody) };
  }
  return paths;
}

export function openApiV3Doc(group: string, version: string): unknown | undefined {
  const types = RESOURCE_TYPES.filter((t) => t.group === group && t.version === version);
  if (!types.length) return undefined;
  return {
    openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths: Object.assign({}, ...types.map(operations)),
    components: { schemas: {}, securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } } },
  };
}

export function openApiV3Root(): unknown {
  const gvs = [{ group: '', version: 'v1' }, ...GROUP_VERSIONS];
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of gvs) {
    const hash = createHash('sha512').update(JSON.stringify(openApiV3Doc(group, version))).digest('hex').slice(0, 128).toUpperCase();
    paths[gvPath(group, version)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hash}` };
  }
  return { paths };
}
