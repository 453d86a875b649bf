// The only places the test node may send traffic: loopback, and the pod network and Service
// addresses it created itself. Everything the pods' specs name (registries, probe hosts,
// endpoints) is checked against this before the node connects, so the test cluster never
// reaches another machine.
import { isLoopbackRegistry } from './image-reference';

export function isLoopbackHost(host: string): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/.test(host);
}

/** `podSubnet` is the pod network's first three octets (e.g. '10.244.0'), if there is one. */
export function isNodeLocal(host: string, podSubnet: string | undefined): boolean {
  if (isLoopbackHost(host)) return true;
  return !!podSubnet && host.startsWith(`${podSubnet}.`) && /^\d+\.\d+\.\d+\.\d+$/.test(host);
}

/** Whether the node may pull from / push to `registry` (host[:port]); docker.io is our own registry. */
export function isReachableRegistry(registry: string, podSubnet: string | undefined): boolean {
  if (registry === 'docker.io' || isLoopbackRegistry(registry)) return true;
  return isNodeLocal(registry.replace(/:\d+$/, ''), podSubnet);
}

/** What a runtime would say when it cannot reach the registry, plus why. */
export function unreachableRegistryMessage(registry: string): string {
  return `dial tcp: lookup ${registry.replace(/:\d+$/, '')}: no such host (the test cluster does not reach beyond this machine; push to the node's registry or the in-cluster registry instead)`;
}
