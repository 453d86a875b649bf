// Turns one merged kubeconfig context into a @kubernetes/client-node KubeConfig, the object every
// API client, watch, exec and port-forward of the app is made from. We build it from our own parsed
// entries (not client-node's loader) because client-node merges and resolves paths differently from
// kubectl; the authentication itself (exec plugins, OIDC, client certs) stays client-node's.
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';

/** client-node's Authenticator interface (not exported from its index). */
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];
import type { KubeconfigCluster, KubeconfigContextEntry, KubeconfigUser } from './kubeconfigFile';
import { OIDC_PROVIDER, OidcAuthenticator } from './oidcAuth';

/** Name of the auth provider we use for `tokenFile:` users (see TokenFileAuthenticator). */
const TOKEN_FILE_PROVIDER = 'devspace-desktop-token-file';

export function toClientKubeConfig(
  context: KubeconfigContextEntry,
  cluster: KubeconfigCluster & { server: string },
  user: KubeconfigUser | undefined,
  readFile: (p: string) => Promise<string>,
): KubeConfig {
  const kc = new KubeConfig();
  const clientCluster: Cluster = {
    name: cluster.name,
    server: cluster.server,
    ...(cluster.certificateAuthority ? { caFile: cluster.certificateAuthority } : {}),
    ...(cluster.certificateAuthorityData ? { caData: cluster.certificateAuthorityData } : {}),
    ...(cluster.tlsServerName ? { tlsServerName: cluster.tlsServerName } : {}),
    ...(cluster.proxyUrl ? { proxyUrl: cluster.proxyUrl } : {}),
    // client-node refuses plain http:// servers unless TLS checks are off; kubectl talks to them
    // (there is no TLS to check), so say so to client-node.
    skipTLSVerify: cluster.insecureSkipTlsVerify || cluster.server.startsWith('http:'),
  };
  const clientContext: Context = {
    name: context.name,
    cluster: cluster.name,
    user: user ? user.name : '',
    ...(context.namespace ? { namespace: context.namespace } : {}),
  };
  kc.loadFromOptions({
    clusters: [clientCluster],
    users: user ? [toClientUser(user, cluster)] : [],
    contexts: [clientContext],
    currentContext: context.name,
  });
  kc.addAuthenticator(new TokenFileAuthenticator(readFile));
  kc.addAuthenticator(new OidcAuthenticator(readFile));
  return kc;
}

function toClientUser(user: KubeconfigUser, cluster: KubeconfigCluster & { server: string }): User {
  const out: {
    -readonly [K in keyof User]: User[K];
  } = { name: user.name };
  if (user.clientCertificate) out.certFile = user.clientCertificate;
  if (user.clientCertificateData) out.certData = user.clientCertificateData;
  if (user.clientKey) out.keyFile = user.clientKey;
  if (user.clientKeyData) out.keyData = user.clientKeyData;
  if (user.token) out.token = user.token;
  if (user.username) out.username = user.username;
  if (user.password !== undefined) out.password = user.password;
  if (user.as) out.impersonateUser = user.as;
  if (user.authProvider) {
    // Refreshed OIDC tokens are written into this object, so it gets its own copy. OIDC goes to our
    // authenticator (see oidcAuth.ts); other providers (azure, gcp) stay client-node's.
    const name = user.authProvider.name === 'oidc' ? OIDC_PROVIDER : user.authProvider.name;
    out.authProvider = { name, config: { ...user.authProvider.config } };
  } else if (user.tokenFile && !user.token && !user.exec) {
    out.authProvider = { name: TOKEN_FILE_PROVIDER, config: { path: user.tokenFile } };
  }
  if (user.exec) {
    const apiVersion = user.exec.apiVersion ?? 'client.authentication.k8s.io/v1';
    // client-go always tells the plugin about the request in KUBERNETES_EXEC_INFO; plugins such as
    // kubelogin read it (e.g. to know they must not prompt), so pass it like kubectl does.
    const execInfo = {
      apiVersion,
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        ...(user.exec.provideClusterInfo
          ? {
              cluster: {
                server: cluster.server,
                ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
                ...(cluster.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
                ...(cluster.certificateAuthorityData ? { 'certificate-authority-data': cluster.certificateAuthorityData } : {}),
                ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
              },
            }
          : {}),
      },
    };
    out.exec = {
      command: user.exec.command,
      args: user.exec.args,
      env: [...user.exec.env, { name: 'KUBERNETES_EXEC_INFO', value: JSON.stringify(execInfo) }],
      apiVersion,
      ...(user.exec.installHint ? { installHint: user.exec.installHint } : {}),
    };
  }
  return out;
}

/**
 * `tokenFile:` users, read on every request (the file may be rotated, e.g. projected service
 * account tokens) and trimmed like client-go does. client-node's own file auth reads a different
 * key and keeps the trailing newline, which breaks the Authorization header.
 */
class TokenFileAuthenticator implements Authenticator {
  constructor(private readonly readFile: (p: string) => Promise<string>) {}

  isAuthProvider(user: User): boolean {
    return (user.authProvider as { name?: string } | undefined)?.name === TOKEN_FILE_PROVIDER;
  }

  async applyAuthentication(user: User, opts: Parameters<Authenticator['applyAuthentication']>[1]): Promise<void> {
    const file = (user.authProvider as { config: { path: string } }).config.path;
    const token = (await this.readFile(file)).trim();
    if (token) {
      const headers = (opts.headers ?? {}) as Record<string, string>;
      headers['Authorization'] = `Bearer ${token}`;
      opts.headers = headers;
    }
  }
}

/** The file a user's credentials come from, for error messages when it cannot be read. */
export function tokenFileOf(user: User | null | undefined): string | undefined {
  const provider = user?.authProvider as { name?: string; config?: { path?: string } } | undefined;
  return provider?.name === TOKEN_FILE_PROVIDER ? provider.config?.path : undefined;
}
