// Discovery documents (/version, /api, /apis, …) and the OpenAPI stub, shaped like a v1.32 server's.

import { GROUP_VERSIONS, discoveryResources } from './resources';

export const SERVER_VERSION = {
  major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335', gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z', goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(name: string) {
  const versions = GROUP_VERSIONS.filter((g) => g.group === name).map((g) => ({ groupVersion: `${g.group}/${g.version}`, version: g.version }));
  return { name, versions, preferredVersion: versions[0] };
}

export function apiGroupList() {
  const names = [...new Set(GROUP_VERSIONS.map((g) => g.group))];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: names.map(apiGroup) };
}

export function apiGroupDoc(name: string) {
  if (!GROUP_VERSIONS.some((g) => g.group === name)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(name) };
}

export function apiResourceList(group: string, version: string) {
  const known = group === '' ? version === 'v1' : GROUP_VERSIONS.some((g) => g.group === group && g.version === version);
  if (!known) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: discoveryResources(group, version) };
}
