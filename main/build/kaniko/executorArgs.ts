// The Kaniko executor's command line for one build. TLS is relaxed only for the registries the
// user marked insecure (per registry: --insecure-registry for plain HTTP, --skip-tls-verify-registry
// for self-signed certificates), never globally with --insecure/--skip-tls-verify, so a base image
// from Docker Hub is still pulled over verified TLS.

/** Where the context is unpacked in the build pod (Kaniko's default context folder). */
export const WORKSPACE = '/workspace';
/** Where a Dockerfile that lives outside the context is put (outside /workspace, so COPY . never sees it). */
export const OUTSIDE_DOCKERFILE = '/kaniko/devspace/Dockerfile';

export interface ExecutorArgsInput {
  /** Absolute path of the Dockerfile inside the pod. */
  dockerfile: string;
  imageRef: string;
  buildArgs?: Record<string, string>;
  target?: string;
  cache?: { repo: string };
  /** Registry hosts to reach over plain HTTP / without TLS checks. */
  insecureRegistries?: string[];
}

export function executorArgs(input: ExecutorArgsInput): string[] {
  const args = [`--dockerfile=${input.dockerfile}`, `--context=dir://${WORKSPACE}`, `--destination=${input.imageRef}`];
  // Sorted, so the same build gives the same command line (and the same log) every time.
  for (const [k, v] of Object.entries(input.buildArgs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) args.push(`--build-arg=${k}=${v}`);
  if (input.target) args.push(`--target=${input.target}`);
  if (input.cache) args.push('--cache=true', `--cache-repo=${input.cache.repo}`);
  for (const host of [...new Set(input.insecureRegistries ?? [])]) args.push(`--insecure-registry=${host}`, `--skip-tls-verify-registry=${host}`);
  return args;
}
