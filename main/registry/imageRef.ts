// Image references as Docker understands them (docker/distribution `reference.ParseNormalizedNamed`):
// what the user types (`nginx`, `localhost:5000/app:dev`, `ghcr.io/me/app@sha256:…`) becomes one
// canonical form, so "did we already push this?" and "which registry do the credentials belong
// to?" are answered the same way everywhere. Also maps a registry host to its v2 API endpoint.
import { AppError } from '../ipc/errors';

export interface ImageRef {
  /** Registry host as Docker names it: `docker.io`, `localhost:5000`, `ghcr.io` (never `index.docker.io`). */
  domain: string;
  /** Repository path inside the registry: `library/nginx`, `me/app`. */
  path: string;
  /** Tag; `latest` when neither tag nor digest was given. Undefined for digest-only references. */
  tag?: string;
  /** `sha256:<64 hex>` when given. */
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';
const LEGACY_DOCKER_HUB = 'index.docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';

// The grammar of distribution/reference/regexp.go, anchored per part so errors can name the part.
const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const PATH_COMPONENT = new RegExp(`^${pathComponent}$`);
const DOMAIN = new RegExp(`^(?:${domainName}|${ipv6})(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IDENTIFIER = /^[a-f0-9]{64}$/;
const NAME_TOTAL_LENGTH_MAX = 255;

function invalid(input: string, what: string, hint?: string): AppError {
  return new AppError(
    'INVALID_ARGUMENT',
    `The image name "${input}" is not valid: ${what}.`,
    hint ?? 'Image names look like "nginx", "nginx:1.27", "ghcr.io/owner/app:tag" or "localhost:5000/app@sha256:<digest>".',
  );
}

/** Parses like `docker pull` does: `nginx` → docker.io/library/nginx:latest. Throws AppError INVALID_ARGUMENT naming the bad part. */
export function parseImageRef(input: string): ImageRef {
  const s = input.trim();
  if (s === '') throw invalid(input, 'it is empty');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) throw invalid(input, 'it is a URL, not an image name', `Leave out the scheme: "${s.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')}".`);
  if (IDENTIFIER.test(s)) throw invalid(input, 'a 64-character hexadecimal string is an image ID, not a name');

  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(input, `the digest "${digest}" is malformed`, 'A digest looks like "sha256:" followed by 64 hexadecimal characters.');
    const [alg, hex] = digest.split(':') as [string, string];
    if (alg === 'sha256' && hex.length !== 64) throw invalid(input, `the sha256 digest has ${hex.length} hexadecimal characters instead of 64`);
  }

  // A tag follows the last ':' that comes after the last '/'; a ':' before it is a registry port.
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) {
      throw invalid(input, tag === '' ? 'the tag after ":" is empty' : `the tag "${tag}" is not allowed`, 'Tags may contain letters, digits, "_", "." and "-", must not start with "." or "-", and are at most 128 characters.');
    }
  }
  if (rest === '') throw invalid(input, 'the repository name is missing');

  let domain = DOCKER_HUB;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0 && isRegistryHostPart(rest.slice(0, slash))) {
    domain = rest.slice(0, slash);
    path = rest.slice(slash + 1);
    if (!DOMAIN.test(domain)) throw invalid(input, `the registry host "${domain}" is not a valid host name with an optional port`);
  }
  if (domain === LEGACY_DOCKER_HUB) domain = DOCKER_HUB;
  if (domain === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;

  if (path.toLowerCase() !== path) {
    throw invalid(input, `the repository name "${path}" must be lower-case`, `Use "${path.toLowerCase()}".`);
  }
  for (const component of path.split('/')) {
    if (component === '') throw invalid(input, `the repository name "${path}" has an empty part ("//" or a trailing "/")`);
    if (!PATH_COMPONENT.test(component)) {
      throw invalid(
        input,
        `"${component}" is not a valid part of a repository name`,
        'Each part between "/" may contain lower-case letters and digits, separated by ".", "_", "__" or "-", and must start and end with a letter or digit.',
      );
    }
  }
  if (domain.length + 1 + path.length > NAME_TOTAL_LENGTH_MAX) throw invalid(input, `the name is longer than ${NAME_TOTAL_LENGTH_MAX} characters`);

  if (tag === undefined && digest === undefined) tag = 'latest';
  return digest === undefined ? { domain, path, tag: tag as string } : tag === undefined ? { domain, path, digest } : { domain, path, tag, digest };
}

// Docker's rule for "is the first component a registry host?": it contains '.' or ':', is
// 'localhost', or has upper-case letters (repository paths are lower-case only).
function isRegistryHostPart(first: string): boolean {
  return /[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first;
}

/**
 * The registry host of an image without checking the rest of the name (Docker's splitDockerDomain),
 * for images read from a pod spec or built by the app: `nginx` → docker.io, `localhost:5000/app` → localhost:5000.
 */
export function registryOfImage(image: string): string {
  const s = image.trim();
  const slash = s.indexOf('/');
  const first = slash >= 0 ? s.slice(0, slash) : '';
  return first && isRegistryHostPart(first) ? normaliseRegistryHost(first) : DOCKER_HUB;
}

/** `domain/path` — the name without tag or digest. */
export function repositoryName(ref: ImageRef): string {
  return `${ref.domain}/${ref.path}`;
}

/** The full canonical form: `docker.io/library/nginx:latest`, `ghcr.io/a/b@sha256:…`. */
export function formatImageRef(ref: ImageRef): string {
  return `${repositoryName(ref)}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** What `docker images` shows (distribution's FamiliarString): `nginx:latest`, `me/app:dev`, `localhost:5000/app:dev`. */
export function familiarImageRef(ref: ImageRef): string {
  let name = repositoryName(ref);
  if (ref.domain === DOCKER_HUB) name = ref.path.startsWith('library/') && ref.path.split('/').length === 2 ? ref.path.slice('library/'.length) : ref.path;
  return `${name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** The reference to ask the registry for: the digest when there is one, else the tag. */
export function manifestReference(ref: ImageRef): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/**
 * Where a registry's v2 API answers: Docker Hub's is registry-1.docker.io; every other host
 * is its own endpoint. Accepts the forms people put into config files (`https://index.docker.io/v1/`).
 */
export function registryApiHost(host: string): string {
  const h = normaliseRegistryHost(host);
  return h === DOCKER_HUB ? DOCKER_HUB_API : h;
}

/**
 * One spelling per registry, for credential lookup and pull secrets: strips a scheme and path,
 * lower-cases the host, and folds Docker Hub's aliases into `docker.io`.
 */
export function normaliseRegistryHost(host: string): string {
  let h = host.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  h = h.split('/', 1)[0] ?? '';
  h = h.toLowerCase();
  if (h === LEGACY_DOCKER_HUB || h === DOCKER_HUB_API || h === 'registry.hub.docker.com') return DOCKER_HUB;
  return h;
}

/** Hosts whose runtime talks plain HTTP without configuration: `localhost` and loopback addresses (Docker allows 127.0.0.0/8 and ::1). */
export function isLoopbackRegistry(host: string): boolean {
  const h = normaliseRegistryHost(host).replace(/:\d+$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '[::1]';
}

/**
 * The repository of the project's image in an external registry named by a URL as users write it
 * (`ghcr.io/acme`, `https://registry.example.com:5000/team/`, `myuser` for Docker Hub):
 * `<url>/<imageName>` normalised like `docker push` would (`myuser/app` → docker.io/myuser/app).
 */
export function imageRepositoryIn(url: string, imageName: string): { host: string; repository: string } {
  const base = url.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');
  const ref = parseImageRef(`${base}/${imageName}`);
  if (ref.tag !== 'latest' || ref.digest !== undefined || /[:@][^/]*$/.test(imageName)) {
    throw new AppError('INVALID_ARGUMENT', `The registry URL "${url}" with the image name "${imageName}" is not an image repository.`, 'The registry URL is a host with an optional path, e.g. "ghcr.io/acme"; the image name has no tag.');
  }
  return { host: ref.domain, repository: repositoryName(ref) };
}
