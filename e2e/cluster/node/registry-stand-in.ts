// Stand-in for the `registry` image (registry:2): runs Debian's docker-registry in the pod's
// network namespace with the registry:2 image's default config, reading the same REGISTRY_*
// environment variables (htpasswd auth, storage, address) the real image reads, with paths inside
// the container mapped to the pod's volumes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { join } from 'node:path';
import { HostProcessContainer, hostPathFor } from './host-process-container';
import type { StandIn } from './node-context';

/** What /etc/docker/registry/config.yml holds in the registry:2 image. */
const DEFAULT_CONFIG = (rootDir: string, addr: string) => [
  'version: 0.1',
  'log:',
  '  fields:',
  '    service: registry',
  'storage:',
  '  cache:',
  '    blobdescriptor: inmemory',
  '  filesystem:',
  `    rootdirectory: ${JSON.stringify(rootDir)}`,
  'http:',
  `  addr: ${JSON.stringify(addr)}`,
  '  headers:',
  '    X-Content-Type-Options: [nosniff]',
  'health:',
  '  storagedriver:',
  '    enabled: true',
  '    interval: 10s',
  '    threshold: 3',
  '',
].join('\n');

/** Environment variables whose values are paths inside the container. */
const PATH_VARS = ['REGISTRY_AUTH_HTPASSWD_PATH', 'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', 'REGISTRY_HTTP_TLS_CERTIFICATE', 'REGISTRY_HTTP_TLS_KEY'];

export function registryStandIn(repositories = ['library/registry', 'registry']): StandIn {
  return {
    name: 'registry',
    repositories,
    start(o) {
      const rootfs = join(o.instanceDir, 'rootfs');
      const storage = hostPathFor('/var/lib/registry', o.mounts, rootfs);
      mkdirSync(storage, { recursive: true });
      // In the pod's own network namespace ":5000" is the pod IP; on the host network stay on the
      // node's loopback address (the pod IP there: 127.0.0.1, or 127.0.0.N for node N).
      const loopback = o.netnsPath ? '127.0.0.1' : o.podIp;
      const addr = o.netnsPath ? ':5000' : `${loopback}:5000`;
      const configPath = join(o.instanceDir, 'config.yml');
      writeFileSync(configPath, DEFAULT_CONFIG(storage, addr));
      // A config the pod mounts over the image's own (e.g. from a ConfigMap), with its paths mapped.
      const mounted = hostPathFor('/etc/docker/registry/config.yml', o.mounts, rootfs);
      if (existsSync(mounted) && o.mounts.some((m) => mounted.startsWith(m.hostPath))) {
        const doc = parse(readFileSync(mounted, 'utf8')) ?? {};
        const map = (obj: any, key: string) => { if (obj && typeof obj[key] === 'string') obj[key] = hostPathFor(obj[key], o.mounts, rootfs); };
        map(doc.storage?.filesystem, 'rootdirectory');
        map(doc.auth?.htpasswd, 'path');
        map(doc.http?.tls, 'certificate');
        map(doc.http?.tls, 'key');
        delete doc.proxy;
        if (doc.storage?.filesystem?.rootdirectory) mkdirSync(doc.storage.filesystem.rootdirectory, { recursive: true });
        if (!o.netnsPath && doc.http?.addr?.startsWith(':')) doc.http.addr = `${loopback}${doc.http.addr}`;
        writeFileSync(configPath, stringify(doc));
      }
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
      // A pull-through cache (REGISTRY_PROXY_*) would reach beyond this machine: left out.
      for (const [k, v] of Object.entries(o.env)) if (!k.startsWith('REGISTRY_PROXY_')) env[k] = PATH_VARS.includes(k) ? hostPathFor(v, o.mounts, rootfs) : v;
      if (!o.netnsPath && env.REGISTRY_HTTP_ADDR?.startsWith(':')) env.REGISTRY_HTTP_ADDR = `${loopback}${env.REGISTRY_HTTP_ADDR}`;
      const args = ['serve', configPath];
      return o.netnsPath
        ? new HostProcessContainer('nsenter', [`--net=${o.netnsPath}`, 'docker-registry', ...args], env, o.logPath)
        : new HostProcessContainer('docker-registry', args, env, o.logPath);
    },
  };
}
