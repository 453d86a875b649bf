// `npm run test-cluster`: starts a test cluster for manual use and prints where it is.
// Stops cleanly on Ctrl-C / SIGTERM. Flags: --no-node (API server only), --nodes N (N node agents,
// test-node on 127.0.0.1, test-node-N on 127.0.0.N), --verbose.

import { startTestCluster } from './index';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose') || args.includes('-v');
const nodesFlag = args.find((a) => a.startsWith('--nodes'));
const nodes = nodesFlag ? Number(nodesFlag.includes('=') ? nodesFlag.split('=')[1] : args[args.indexOf(nodesFlag) + 1]) : 1;
const started = Date.now();
const cluster = await startTestCluster({ node: !args.includes('--no-node'), nodes, log: verbose ? (l) => console.error(l) : undefined });
console.log(`KUBECONFIG=${cluster.kubeconfigPath}`);
console.log(`REGISTRY=${cluster.registry}`);
for (const n of cluster.nodes.slice(1)) console.error(`node ${n.name}: localhost is ${n.address} here, its registry ${n.registry}`);
console.error(`test cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${cluster.server}; base image ${cluster.baseImage || '(none)'}; Ctrl-C stops it`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.error(`${signal}: stopping the test cluster…`);
  try { await cluster.stop(); process.exit(0); } catch (e) { console.error((e as Error).message); process.exit(1); }
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
