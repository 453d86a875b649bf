// Each node of the test cluster has its own "localhost": a loopback address of its own (Linux routes
// all of 127.0.0.0/8 to lo, so 127.0.0.2… bind without any setup). Node 1 is 127.0.0.1, so a
// one-node cluster is exactly what it always was; node N is 127.0.0.N. The node binds its hostPorts,
// NodePorts, kubelet server and registry there, and whatever the node itself resolves as
// `localhost` / `127.0.0.1` (image pulls, Kaniko pushes) goes to its address instead, the way each
// real node's localhost is that node.

export const FIRST_NODE_ADDRESS = '127.0.0.1';

/** The loopback address of node number `n` (1-based): 127.0.0.n. */
export function nodeAddress(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 254) throw new RangeError(`node number ${n} is outside 1–254`);
  return `127.0.0.${n}`;
}

/** The node's name in a cluster of several: test-node, test-node-2, test-node-3… */
export function nodeName(n: number): string {
  return n === 1 ? 'test-node' : `test-node-${n}`;
}

/**
 * `registry` (host[:port]) as the node at `address` reaches it: `localhost` and `127.0.0.1` are
 * the node's own address; anything else is unchanged.
 */
export function onNode(registry: string, address: string): string {
  if (address === FIRST_NODE_ADDRESS) return registry;
  const m = /^(localhost|127\.0\.0\.1)(:\d+)?$/.exec(registry);
  return m ? `${address}${m[2] ?? ''}` : registry;
}

/** An image reference whose registry is `localhost`/`127.0.0.1` rewritten to the node's address. */
export function imageOnNode(image: string, registry: string, address: string): string {
  const mapped = onNode(registry, address);
  return mapped === registry || !image.startsWith(`${registry}/`) ? image : `${mapped}${image.slice(registry.length)}`;
}

/**
 * Credentials for `localhost:P` / `127.0.0.1:P` (what pull secrets name) also under the node's
 * address, since the runtime looks them up by the host it really connects to.
 */
export function authsOnNode<T>(auths: Record<string, T>, address: string): Record<string, T> {
  const out = { ...auths };
  for (const [key, value] of Object.entries(auths)) {
    const mapped = onNode(key, address);
    if (mapped !== key && !(mapped in out)) out[mapped] = value;
  }
  return out;
}
