// Up's build with the local Docker daemon (settings.builder === 'docker'): same change detection
// as the Kaniko path (the content-hash tag; skip when the registry has it), the daemon's output in
// the build log, and a push the daemon can make. The in-cluster registry's address is only
// reachable inside the cluster, so for it a temporary port-forward is opened from
// 127.0.0.1:<free port> to the registry pod through the API server: the daemon pushes to
// `127.0.0.1:<port>/<image>:<tag>` (loopback registries are plain HTTP by Docker's rules) and
// pods still pull `<pullHost>/<image>:<tag>`. The tunnel is closed after the push.
import type { KubeConfig } from '@kubernetes/client-node';
import type { BuildStep } from '../build/buildErrors';
import type { ContextEntry } from '../build/context/buildContext';
import { DockerBuilder, tagImage, untagImage } from '../build/docker/dockerBuilder';
import type { RegistryCredentials as DockerCredentials } from '../build/docker/registryAuth';
import { imageExists, type RegistryCredentials } from '../registry/registryClient';
import { openRegistryTunnel, type RegistryTunnel, tunnelFailure } from '../registry/registryTunnel';
import type { UpRegistry } from './upRegistry';

export interface DockerUpBuild {
  kubeConfig: KubeConfig;
  registry: UpRegistry;
  imageName: string;
  tag: string;
  contextDir: string;
  dockerfile: string;
  entries: ContextEntry[];
  buildArgs?: Record<string, string>;
  target?: string;
  force: boolean;
  /** DOCKER_HOST and DOCKER_CONFIG come from here. */
  env?: Record<string, string | undefined>;
  signal: AbortSignal;
  progress: (detail: string, fraction?: number) => void;
  onLog: (line: string) => void;
  onStep: (step: BuildStep) => void;
  log: (line: string) => void;
}

/** Builds and pushes unless the registry has the tag; `built: false` means skipped. */
export async function dockerUpBuild(b: DockerUpBuild): Promise<{ built: boolean }> {
  const docker = new DockerBuilder({ env: b.env ?? process.env });
  b.progress(`Asking the Docker daemon (${describe(b.env)}) for a ping`);
  await docker.ping(b.signal);

  let tunnel: RegistryTunnel | undefined;
  try {
    // Where this machine (and its daemon) reaches the registry.
    let pushRepository = b.registry.repository;
    if (b.registry.kind === 'in-cluster') {
      const ns = b.registry.inCluster?.namespace as string;
      b.progress('Opening a port-forward to the in-cluster registry');
      tunnel = await openRegistryTunnel({ kubeConfig: b.kubeConfig, namespace: ns });
      pushRepository = `${tunnel.host}/${b.imageName}`;
      b.log(`build: pushing to the in-cluster registry through ${tunnel.host} (port-forward)`);
    }
    const pushRef = `${pushRepository}:${b.tag}`;
    const finalRef = `${b.registry.repository}:${b.tag}`;
    if (!b.force) {
      b.progress(`Looking for ${b.imageName}:${b.tag} in the registry`);
      const exists = await imageExists(pushRef, {
        ...(b.registry.credentials ? { credentials: b.registry.credentials } : {}),
        insecure: b.registry.insecure,
        signal: b.signal,
      }).catch((err: unknown) => {
        throw tunnelFailure(err, tunnel);
      });
      if (exists) return { built: false };
    }
    b.progress(`Building ${b.imageName}:${b.tag} with Docker`);
    b.onLog(`Building ${finalRef} with the Docker daemon at ${describe(b.env)}`);
    await docker.build({
      contextDir: b.contextDir, dockerfile: b.dockerfile, entries: b.entries, imageRef: finalRef, signal: b.signal,
      ...(b.buildArgs ? { buildArgs: b.buildArgs } : {}),
      ...(b.target ? { target: b.target } : {}),
      onLog: b.onLog,
      onStep: b.onStep,
    });
    const credentials = dockerCredentials(pushRef, b.registry.credentials);
    if (pushRef !== finalRef) await tagImage(docker.client, finalRef, pushRef, b.signal);
    try {
      b.progress(`Pushing ${b.imageName}:${b.tag}`);
      b.onLog(`Pushing ${finalRef}${pushRef !== finalRef ? ` (through ${tunnel?.host})` : ''}`);
      const pushed = await docker.push({ imageRef: pushRef, credentials, insecure: b.registry.insecure, signal: b.signal, onLog: b.onLog }).catch((err: unknown) => {
        throw tunnelFailure(err, tunnel);
      });
      b.onLog(`Pushed ${finalRef}${pushed.digest ? ` (${pushed.digest})` : ''}`);
    } finally {
      // The tunnel's port is gone after this run: keep only the name pods pull.
      if (pushRef !== finalRef) await untagImage(docker.client, pushRef).catch((e: Error) => b.log(`build: could not remove the temporary tag ${pushRef}: ${e.message}`));
    }
    return { built: true };
  } finally {
    await tunnel?.close();
  }
}

function describe(env: Record<string, string | undefined> | undefined): string {
  return (env ?? process.env).DOCKER_HOST?.trim() || '/var/run/docker.sock';
}

function dockerCredentials(ref: string, c: RegistryCredentials | undefined): DockerCredentials[] {
  if (!c) return [];
  const slash = ref.indexOf('/');
  const registry = ref.slice(0, slash);
  return [{ registry, ...(c.username !== undefined ? { username: c.username } : {}), ...(c.password !== undefined ? { password: c.password } : {}), ...(c.identityToken ? { identityToken: c.identityToken } : {}) }];
}
