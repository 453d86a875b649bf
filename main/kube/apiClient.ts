// The one way the app makes Kubernetes API clients: client-node's generated APIs over a context's
// KubeConfig, plus what client-node 1.4 lacks — a deadline per request, cancellation, and errors
// that say whether the credentials, a referenced file or the network failed.
import {
  createConfiguration,
  ResponseContext,
  ServerConfiguration,
  wrapHttpLibrary,
  type Configuration,
  type KubeConfig,
  type RequestContext,
} from '@kubernetes/client-node';
import { AppError } from '../ipc/errors';
import { tokenFileOf } from './clientKubeConfig';
import { ClusterTimeoutError } from './clusterErrors';
import { OIDC_PROVIDER } from './oidcAuth';

export interface ApiClientOptions {
  /** Deadline for each request, including reading the response body. Default 30 s; 0 = none. */
  timeoutMs?: number;
  /** Aborts requests in flight; they then fail with AppError CANCELLED. */
  signal?: AbortSignal;
}

/** e.g. `makeApiClient(kc, CoreV1Api, { timeoutMs: 10_000 })`. Throws AppError KUBECONFIG_INVALID when the context has no cluster. */
export function makeApiClient<T>(kc: KubeConfig, api: new (config: Configuration) => T, opts: ApiClientOptions = {}): T {
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new AppError('KUBECONFIG_INVALID', `The context "${kc.getCurrentContext()}" has no cluster.`, 'Fix contexts[].context.cluster in the kubeconfig.');
  }
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const fetchLibrary = createConfiguration().httpApi;

  const httpApi = wrapHttpLibrary({
    async send(request: RequestContext): Promise<ResponseContext> {
      const controller = new AbortController();
      let timedOut = false;
      const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), controller.abort()), timeoutMs) : undefined;
      const cancel = () => controller.abort();
      if (opts.signal?.aborted) controller.abort();
      opts.signal?.addEventListener('abort', cancel, { once: true });
      request.setSignal(controller.signal);
      try {
        const response = await fetchLibrary.send(request).toPromise();
        // Read the body under the same deadline: a server that sends headers and then stalls
        // must not hang the caller.
        const body = await response.body.binary();
        return new ResponseContext(response.httpStatusCode, response.headers, {
          text: async () => body.toString('utf8'),
          binary: async () => body,
        });
      } catch (err) {
        if (timedOut) throw new ClusterTimeoutError(timeoutMs, request.getUrl());
        if (opts.signal?.aborted) throw new AppError('CANCELLED', `The request to ${cluster.server} was cancelled.`, undefined, { cause: err });
        throw err;
      } finally {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', cancel);
      }
    },
  });

  const authentication = {
    getName: () => 'kubeconfig',
    async applySecurityAuthentication(context: RequestContext): Promise<void> {
      // The same deadline covers getting credentials: an exec plugin waiting for a browser login
      // must not hang the caller. (client-node gives us no way to stop the plugin itself.)
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        if (timeoutMs > 0) timer = setTimeout(() => reject(credentialsTimeout(kc, timeoutMs)), timeoutMs);
      });
      try {
        await Promise.race([kc.applySecurityAuthentication(context), deadline]);
      } catch (err) {
        throw credentialsError(kc, err);
      } finally {
        clearTimeout(timer);
      }
    },
  };

  return new api(
    createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: authentication },
      httpApi,
    }),
  );
}

/**
 * client-node gathers credentials (files, exec plugins, OIDC refresh) before each request; its
 * errors say nothing about which. Name the file, plugin or provider that failed.
 */
export function credentialsError(kc: KubeConfig, err: unknown): AppError {
  if (err instanceof AppError) return err;
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  const e = err as NodeJS.ErrnoException & { path?: string };
  const message = err instanceof Error ? err.message : String(err);

  const files: [string | undefined, string][] = [
    [cluster?.caFile, `certificate-authority of cluster "${cluster?.name}"`],
    [user?.certFile, `client-certificate of user "${user?.name}"`],
    [user?.keyFile, `client-key of user "${user?.name}"`],
    [tokenFileOf(user), `tokenFile of user "${user?.name}"`],
  ];
  const file = files.find(([p]) => p && e?.path === p && !String(e.syscall ?? '').startsWith('spawn'));
  if (file) {
    const why = e.code === 'ENOENT' ? 'does not exist' : e.code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${message})`;
    return new AppError(
      'KUBECONFIG_INVALID',
      `The ${file[1]} (${file[0]}) ${why}.`,
      'Fix the path in the kubeconfig (relative paths are relative to the kubeconfig file), or embed the data with the *-data field.',
      { cause: err },
    );
  }

  const exec = (user?.exec ?? undefined) as { command?: string; args?: string[]; installHint?: string } | undefined;
  if (exec?.command) {
    const cmd = [exec.command, ...(exec.args ?? [])].join(' ');
    if (String(e?.syscall ?? '').startsWith('spawn')) {
      return new AppError(
        'CLUSTER_UNAUTHORIZED',
        `The credential plugin "${exec.command}" of user "${user?.name}" could not be started (${e.code === 'ENOENT' ? 'not found' : message}).`,
        exec.installHint?.trim() || `Install "${exec.command}" or make sure it is on the PATH the app sees; the kubeconfig runs it as: ${cmd}`,
        { cause: err },
      );
    }
    return new AppError(
      'CLUSTER_UNAUTHORIZED',
      `The credential plugin "${exec.command}" of user "${user?.name}" failed: ${firstLine(message) || 'no output'}`,
      `Run it in a terminal to see why (you may need to log in again): ${cmd}`,
      { cause: err },
    );
  }
  const provider = (user?.authProvider as { name?: string } | undefined)?.name;
  if (provider === OIDC_PROVIDER) {
    return new AppError(
      'CLUSTER_UNAUTHORIZED',
      `Refreshing the OIDC token of user "${user?.name}" failed: ${firstLine(message)}`,
      "Log in again with your identity provider's tool (e.g. kubectl oidc-login) to get a fresh refresh-token.",
      { cause: err },
    );
  }
  if (/proxy/i.test(message)) {
    return new AppError('KUBECONFIG_INVALID', `The proxy-url of cluster "${cluster?.name}" cannot be used: ${firstLine(message)}`, 'Use an http://, https:// or socks5:// proxy URL.', { cause: err });
  }
  return new AppError(
    'CLUSTER_UNAUTHORIZED',
    `Getting the credentials of user "${user?.name}" failed: ${firstLine(message)}`,
    "Log in again with your cluster provider's CLI, then retry.",
    { cause: err },
  );
}

function credentialsTimeout(kc: KubeConfig, timeoutMs: number): AppError {
  const user = kc.getCurrentUser();
  const exec = (user?.exec ?? undefined) as { command?: string } | undefined;
  const what = exec?.command ? `The credential plugin "${exec.command}" of user "${user?.name}"` : `Getting the credentials of user "${user?.name}"`;
  return new AppError(
    'CLUSTER_UNAUTHORIZED',
    `${what} did not finish within ${timeoutMs / 1000} s.`,
    'It may be waiting for you to log in: run the login command of your cluster provider in a terminal, then retry.',
  );
}

function firstLine(s: string): string {
  const line = s.trim().split('\n', 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
