// Pulls a container's image into the node's storage like a kubelet: honours imagePullPolicy and
// the pod's imagePullSecrets (dockerconfigjson), and turns registry refusals into the messages
// `kubectl describe` shows for ErrImagePull.
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Buildah, NodeError, lastErrorLine } from './buildah';
import { formatImage, isLoopbackRegistry, parseImage } from './image-reference';
import { isReachableRegistry, unreachableRegistryMessage } from './local-addresses';
import { authsOnNode, imageOnNode } from './node-address';

export interface PulledImage {
  ref: string;                 // what buildah knows it by
  imageId: string;             // sha256:… of the config
  digest: string;              // manifest digest
  repoDigest: string;          // repo@sha256:… (status.containerStatuses[].imageID)
  entrypoint: string[];
  cmd: string[];
  env: string[];
  workingDir: string;
  user: string;
  pulled: boolean;             // false: already present
  size: number;
}

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export class ImagePullError extends NodeError {}

/** Merges dockerconfigjson / dockercfg Secrets into one containers-auth.json document. */
export function authFileFromSecrets(secrets: Array<{ type?: string; data?: Record<string, string> }>): { auths: Record<string, unknown> } {
  const auths: Record<string, unknown> = {};
  for (const s of secrets) {
    const raw = s.data?.['.dockerconfigjson'] ?? s.data?.['.dockercfg'];
    if (!raw) continue;
    try {
      const doc = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
      const entries = doc.auths ?? doc;
      for (const [k, v] of Object.entries(entries as Record<string, any>)) {
        const key = k.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
        const auth = v?.auth ?? (v?.username !== undefined ? Buffer.from(`${v.username}:${v.password ?? ''}`).toString('base64') : undefined);
        if (auth && !(key in auths)) auths[key] = { auth };
      }
    } catch { /* a malformed Secret is ignored, as the kubelet does */ }
  }
  return { auths };
}

export class ImagePuller {
  private readonly authDir: string;
  private counter = 0;

  /**
   * `podSubnet()`: the pod network's first three octets, for the reachability check.
   * `address`: the node's own loopback address; `localhost:P`/`127.0.0.1:P` images are pulled
   * from there (the node's localhost) and stored under that name.
   */
  constructor(private readonly buildah: Buildah, private readonly podSubnet: () => string | undefined = () => undefined, private readonly address = '127.0.0.1') {
    this.authDir = join(buildah.dataDir, 'auth');
    mkdirSync(this.authDir, { recursive: true });
  }

  /** The name buildah knows `ref` by on this node: loopback registries are the node's address. */
  private local(ref: string): string {
    return imageOnNode(ref, parseImage(ref).registry, this.address);
  }

  async inspect(ref: string): Promise<Omit<PulledImage, 'pulled'> | undefined> {
    const r = await this.buildah.run(['inspect', '--type', 'image', this.local(ref)]);
    if (r.code !== 0) return undefined;
    const d = JSON.parse(r.stdout);
    const cfg = d.OCIv1?.config ?? {};
    const parsed = parseImage(ref);
    const digest: string = d.FromImageDigest ?? '';
    let size = 0;
    try { size = (JSON.parse(d.Manifest).layers ?? []).reduce((a: number, l: { size?: number }) => a + (l.size ?? 0), 0); } catch { /* no manifest */ }
    return {
      ref: this.local(ref),
      imageId: `sha256:${d.FromImageID}`,
      digest,
      repoDigest: `${parsed.registry}/${parsed.repository}@${digest}`,
      entrypoint: cfg.Entrypoint ?? [],
      cmd: cfg.Cmd ?? [],
      env: cfg.Env ?? [],
      workingDir: cfg.WorkingDir ?? '',
      user: cfg.User ?? '',
      size,
    };
  }

  /**
   * Makes `image` present. `auth` is the containers-auth.json built from the pod's pull secrets.
   * Throws ImagePullError (code ErrImagePull or ErrImageNeverPull) with the registry's message.
   */
  async pull(image: string, policy: PullPolicy, auth?: { auths: Record<string, unknown> }): Promise<PulledImage> {
    const ref = formatImage(parseImage(image));
    if (policy !== 'Always') {
      const present = await this.inspect(ref);
      if (present) return { ...present, pulled: false };
      if (policy === 'Never') {
        throw new ImagePullError('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
      }
    }
    const registry = parseImage(image).registry;
    if (!isReachableRegistry(registry, this.podSubnet())) {
      throw new ImagePullError('ErrImagePull', `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${unreachableRegistryMessage(registry)}`);
    }
    const args = ['pull', '--quiet', '--retry', '0', '--policy', 'always'];
    if (isLoopbackRegistry(parseImage(image).registry)) args.push('--tls-verify=false');
    let authFile: string | undefined;
    if (auth && Object.keys(auth.auths).length) {
      authFile = join(this.authDir, `pull-${++this.counter}.json`);
      writeFileSync(authFile, JSON.stringify({ auths: authsOnNode(auth.auths, this.address) }), { mode: 0o600 });
      args.push('--authfile', authFile);
    }
    args.push(this.local(ref));
    try {
      const r = await this.buildah.run(args);
      if (r.code !== 0) {
        throw new ImagePullError('ErrImagePull', `failed to pull and unpack image "${ref}": ${lastErrorLine(r.stderr)}`);
      }
    } finally {
      if (authFile) rmSync(authFile, { force: true });
    }
    const pulled = await this.inspect(ref);
    if (!pulled) throw new ImagePullError('ErrImagePull', `image "${ref}" was pulled but cannot be read from the node's storage`);
    return { ...pulled, pulled: true };
  }
}
