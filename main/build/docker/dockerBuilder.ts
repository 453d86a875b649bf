// Builds and pushes images with a Docker daemon through its Engine API (POST /build with the
// packed context as the body, POST /images/{name}/push), reporting log lines and step progress
// as they arrive. It speaks to Docker Engine and to Podman's Docker-compatible service alike.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../ipc/errors';
import { isLoopbackRegistry } from '../../registry/imageRef';
import { dockerfileInContext, listBuildContext, type ContextEntry } from '../context/buildContext';
import { packBuildContext, type ExtraContextFile } from '../context/contextPacker';
import { BUILD_ERROR_CODES, BuildFailedError, type BuildStep } from '../buildErrors';
import { BuildProgressParser } from './buildProgress';
import { dockerEndpoint, type DockerEndpoint } from './dockerHost';
import { cancelled, DockerEngineClient, jsonMessages, readText } from './engineClient';
import { allKnownCredentials, credentialsFor, registryAuthHeader, registryConfigHeader, registryOf, type CredentialHelperRunner, type RegistryCredentials } from './registryAuth';

/** Name inside the context of a Dockerfile that lives outside it. */
export const OUTSIDE_DOCKERFILE_NAME = '.dockerfile.devspace';

export interface DockerBuilderOptions {
  /** Where the daemon is; default from `env` (DOCKER_HOST) or /var/run/docker.sock. */
  endpoint?: DockerEndpoint;
  env?: Record<string, string | undefined>;
  /** Folder of Docker's config.json (registry logins); default $DOCKER_CONFIG or ~/.docker. */
  dockerConfigDir?: string;
  runCredentialHelper?: CredentialHelperRunner;
}

export interface DockerBuildRequest {
  contextDir: string;
  /** Relative to the context (or absolute); default 'Dockerfile'. */
  dockerfile?: string;
  /** Full image reference to tag, e.g. "registry.example.com/team/app:devspace-3f2a9c0d1e4b". */
  imageRef: string;
  buildArgs?: Record<string, string>;
  target?: string;
  /** The context list from computeBuildHash, so what is built is what was hashed. */
  entries?: ContextEntry[];
  /** Credentials for pulling base images (in addition to config.json's auths). */
  credentials?: RegistryCredentials[];
  signal?: AbortSignal;
  onLog?: (line: string) => void;
  onStep?: (step: BuildStep) => void;
}

export interface DockerPushRequest {
  imageRef: string;
  credentials?: RegistryCredentials[];
  /**
   * Plain HTTP / unverified TLS for this push. Loopback registries always are (Docker's rule);
   * Docker decides by its own daemon config and ignores the flag, Podman's compat API honours it.
   */
  insecure?: boolean;
  signal?: AbortSignal;
  onLog?: (line: string) => void;
}

export class DockerBuilder {
  readonly client: DockerEngineClient;
  private readonly configDir: string;

  constructor(private readonly opts: DockerBuilderOptions = {}) {
    const env = opts.env ?? process.env;
    this.client = new DockerEngineClient(opts.endpoint ?? dockerEndpoint(env));
    this.configDir = opts.dockerConfigDir ?? env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker');
  }

  /** Fails with a clear error when no daemon answers. */
  ping(signal?: AbortSignal): Promise<void> {
    return this.client.ping(signal);
  }

  async build(req: DockerBuildRequest): Promise<{ imageId?: string; imageRef: string }> {
    const dockerfile = req.dockerfile ?? 'Dockerfile';
    const inContext = dockerfileInContext(req.contextDir, dockerfile);
    const extraFiles: ExtraContextFile[] = [];
    if (!inContext) {
      const abs = path.resolve(req.contextDir, dockerfile);
      extraFiles.push({ path: OUTSIDE_DOCKERFILE_NAME, content: await fs.readFile(abs).catch(() => {
        throw new AppError('NOT_FOUND', `There is no Dockerfile at ${abs}.`, 'Create one, let DevSpace generate one, or set the Dockerfile path.');
      }) });
    }
    const entries = req.entries ?? (await listBuildContext({ contextDir: req.contextDir, dockerfile }));
    const ac = new AbortController();
    const signal = req.signal ? AbortSignal.any([req.signal, ac.signal]) : ac.signal;
    const body = packBuildContext({ contextDir: req.contextDir, entries, extraFiles, signal });
    const credentials = await allKnownCredentials(req.credentials, this.configDir);
    const res = await this.client.request({
      method: 'POST',
      path: '/build',
      query: {
        t: req.imageRef,
        dockerfile: inContext ?? OUTSIDE_DOCKERFILE_NAME,
        buildargs: req.buildArgs && Object.keys(req.buildArgs).length ? JSON.stringify(req.buildArgs) : undefined,
        target: req.target || undefined,
        rm: '1',
        forcerm: '1',
      },
      headers: {
        'Content-Type': 'application/x-tar',
        ...(credentials.length ? { 'X-Registry-Config': registryConfigHeader(credentials) } : {}),
      },
      body,
      signal,
    });
    if ((res.statusCode ?? 500) >= 400) {
      const text = await readText(res);
      ac.abort();
      throw this.client.httpError(res.statusCode ?? 500, text, { method: 'POST', path: '/build' });
    }
    const parser = new BuildProgressParser();
    try {
      for await (const msg of jsonMessages(res)) {
        for (const ev of parser.feed(msg)) {
          if (ev.kind === 'log') req.onLog?.(ev.line);
          else if (ev.kind === 'step') req.onStep?.(ev.step);
        }
      }
      for (const ev of parser.end()) if (ev.kind === 'log') req.onLog?.(ev.line);
    } catch (err) {
      if (signal.aborted) throw cancelled();
      throw err;
    } finally {
      ac.abort(); // stop packing if the daemon ended early
    }
    if (req.signal?.aborted) throw cancelled();
    if (parser.error !== undefined) throw buildFailure(parser);
    return { imageId: parser.imageId, imageRef: req.imageRef };
  }

  async push(req: DockerPushRequest): Promise<{ digest?: string }> {
    const { name, tag } = splitTag(req.imageRef);
    const registry = registryOf(req.imageRef);
    const creds = await credentialsFor(registry, req.credentials, { dockerConfigDir: this.configDir, runHelper: this.opts.runCredentialHelper });
    const res = await this.client.request({
      method: 'POST',
      path: `/images/${name}/push`,
      query: { tag, ...(req.insecure || isLoopbackRegistry(registry) ? { tlsVerify: 'false' } : {}) },
      headers: { 'X-Registry-Auth': registryAuthHeader(creds) },
      signal: req.signal,
    });
    if ((res.statusCode ?? 500) >= 400) {
      const text = await readText(res);
      if (res.statusCode === 404) {
        throw new AppError('NOT_FOUND', `There is no image ${req.imageRef} to push.`, 'Build it first.');
      }
      throw pushError(this.client.httpError(res.statusCode ?? 500, text, { method: 'POST', path: `/images/${name}/push` }).message, registry, req.imageRef, creds);
    }
    let digest: string | undefined;
    let error: string | undefined;
    try {
      for await (const msg of jsonMessages(res)) {
        const detail = msg.errorDetail as { message?: unknown } | undefined;
        const e = typeof detail?.message === 'string' ? detail.message : typeof msg.error === 'string' ? msg.error : undefined;
        if (e !== undefined) error = e.trim();
        if (typeof msg.status === 'string') {
          req.onLog?.(`${typeof msg.id === 'string' ? `${msg.id}: ` : ''}${msg.status}`);
          const d = /digest: (sha256:[0-9a-f]{64})/.exec(msg.status);
          if (d) digest = d[1];
        }
        const aux = msg.aux as { Digest?: unknown } | undefined;
        if (typeof aux?.Digest === 'string') digest = aux.Digest;
      }
    } catch (err) {
      if (req.signal?.aborted) throw cancelled();
      throw err;
    }
    if (req.signal?.aborted) throw cancelled();
    if (error !== undefined) throw pushError(error, registry, req.imageRef, creds);
    return { digest };
  }
}

/** `POST /images/{source}/tag`: gives the local image `source` the extra name `target`. */
export async function tagImage(client: DockerEngineClient, source: string, target: string, signal?: AbortSignal): Promise<void> {
  const { name, tag } = splitTag(target);
  await noContent(client, { method: 'POST', path: `/images/${source}/tag`, query: { repo: name, tag }, signal });
}

/** `DELETE /images/{ref}?noprune=1`: removes one name of a local image (the image stays while it has others). */
export async function untagImage(client: DockerEngineClient, ref: string, signal?: AbortSignal): Promise<void> {
  await noContent(client, { method: 'DELETE', path: `/images/${ref}`, query: { noprune: '1' }, signal });
}

/** A call whose answer body does not matter (Docker: empty, Podman: not always JSON); errors still become AppErrors. */
async function noContent(client: DockerEngineClient, req: Parameters<DockerEngineClient['request']>[0]): Promise<void> {
  const res = await client.request(req);
  const text = await readText(res);
  if ((res.statusCode ?? 500) >= 400) throw client.httpError(res.statusCode ?? 500, text, req);
}

/** "host:5000/team/app:tag" → name "host:5000/team/app", tag "tag" (a digest-less reference). */
export function splitTag(imageRef: string): { name: string; tag: string } {
  const slash = imageRef.lastIndexOf('/');
  const colon = imageRef.lastIndexOf(':');
  if (colon > slash) return { name: imageRef.slice(0, colon), tag: imageRef.slice(colon + 1) };
  return { name: imageRef, tag: 'latest' };
}

function buildFailure(parser: BuildProgressParser): BuildFailedError {
  const step = parser.currentStep;
  const where = step ? `Step ${step.index}/${step.total} (${step.instruction}) failed` : 'The image build failed';
  const hint = step ? `Fix that step of the Dockerfile (the build log shows its output), then press Up again.` : 'The build log shows the details.';
  return new BuildFailedError(`${where}: ${parser.error}`, hint, step, [...parser.tail]);
}

function pushError(message: string, registry: string, imageRef: string, creds: RegistryCredentials | undefined): AppError {
  if (/unauthorized|authentication required|401|no basic auth credentials|denied/i.test(message)) {
    const who = creds?.username ? ` as "${creds.username}"` : creds ? ' with the stored token' : ' without credentials';
    return new AppError(
      BUILD_ERROR_CODES.registryUnauthorized,
      `The registry ${registry} refused to let DevSpace push ${imageRef}${who}.`,
      creds ? `Check the username and password for ${registry} in Settings (or run "docker login ${registry}").` : `Enter credentials for ${registry} in Settings, or run "docker login ${registry}".`,
    );
  }
  return new AppError(BUILD_ERROR_CODES.daemonError, `Pushing ${imageRef} failed: ${message}`, `Check that ${registry} is reachable from the Docker daemon.`);
}
