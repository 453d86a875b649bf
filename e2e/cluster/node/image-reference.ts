// Image references as container runtimes read them: `busybox` is docker.io/library/busybox:latest,
// the first path component is a registry only if it has a dot, a colon or is `localhost`.

export interface ImageReference {
  registry: string;     // docker.io, localhost:5000, gcr.io
  repository: string;   // library/busybox, kaniko-project/executor
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) { digest = rest.slice(at + 1); rest = rest.slice(0, at); }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) { tag = rest.slice(colon + 1); rest = rest.slice(0, colon); }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) registry = parts.shift()!;
  if (registry === 'index.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  if (!tag && !digest) tag = 'latest';
  return { registry, repository: parts.join('/'), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export function formatImage(r: ImageReference): string {
  return `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** Registries a node reaches over plain HTTP: loopback ones (the PROTOCOLS.md rule). */
export function isLoopbackRegistry(registry: string): boolean {
  return /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(registry);
}

/** The kubelet's default: Always for :latest or no tag, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const r = parseImage(image);
  return !r.digest && r.tag === 'latest' ? 'Always' : 'IfNotPresent';
}
