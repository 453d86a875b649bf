// Image pull secrets: one `kubernetes.io/dockerconfigjson` Secret per registry in the project's
// namespace, also listed in the namespace's `default` ServiceAccount so pods of charts that do not
// take `pullSecrets` can still pull. The names go to the deploy step as the chart value `pullSecrets`.
import { createHash } from 'node:crypto';
import type { KubeConfig, V1ServiceAccount } from '@kubernetes/client-node';
import { DOCKER_HUB, normaliseRegistryHost } from './imageRef';
import { APPLY, applyParams, call, clusterApis, getOrUndefined, MANAGED_BY, statusOf, clusterError, type ClusterCallOptions } from './clusterApply';

export interface PullSecretLogin {
  /** Registry host as nodes see it in image names: `ghcr.io`, `localhost:5000`. */
  host: string;
  username: string;
  password: string;
}

export interface EnsurePullSecretsOptions extends ClusterCallOptions {
  /** Add the secrets to this ServiceAccount's imagePullSecrets (default `default`); `false` to skip. */
  serviceAccount?: string | false;
  /** Waiting for a new namespace's ServiceAccount to appear (the controller creates it). */
  sleep?: (ms: number) => Promise<void>;
}

/** `devspace-pull-<host-slug>`: a valid Secret name for any host, unique per host. */
export function pullSecretName(host: string): string {
  const h = normaliseRegistryHost(host);
  const slug = h.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'registry';
  const name = `devspace-pull-${slug}`;
  // The slug maps both '.' and ':' to '-'; a host that has '-' of its own (a-b.io vs a.b.io), other
  // characters, or is too long gets a hash suffix so two hosts never share a secret.
  const exactlyRepresented = /^[a-z0-9]+(?:[.:][a-z0-9]+)*$/.test(h);
  if (name.length <= 63 && exactlyRepresented) return name;
  const hash = createHash('sha256').update(h).digest('hex').slice(0, 8);
  return `${name.slice(0, 63 - 9).replace(/-+$/, '')}-${hash}`;
}

/** The key nodes' runtimes look up: Docker Hub keeps its v1 address, everything else its host. */
function authKey(host: string): string {
  const h = normaliseRegistryHost(host);
  return h === DOCKER_HUB ? 'https://index.docker.io/v1/' : h;
}

/** `.dockerconfigjson` content, also what Kaniko reads as /kaniko/.docker/config.json. */
export function dockerConfigJson(logins: PullSecretLogin[]): string {
  const auths: Record<string, { username: string; password: string; auth: string }> = {};
  for (const l of logins) auths[authKey(l.host)] = { username: l.username, password: l.password, auth: Buffer.from(`${l.username}:${l.password}`).toString('base64') };
  return JSON.stringify({ auths });
}

/**
 * Creates or updates one pull secret per registry in `namespace`, and (unless disabled) lists them
 * in the ServiceAccount's imagePullSecrets without dropping entries others put there. Returns the
 * secret names in the order of `logins`.
 */
export async function ensurePullSecrets(kc: KubeConfig, namespace: string, logins: PullSecretLogin[], opts: EnsurePullSecretsOptions = {}): Promise<string[]> {
  const { core, server } = clusterApis(kc, opts);
  const names: string[] = [];
  for (const login of logins) {
    const name = pullSecretName(login.host);
    const body = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace, labels: { ...MANAGED_BY, 'app.kubernetes.io/component': 'pull-secret' }, annotations: { 'devspace.sh/registry': normaliseRegistryHost(login.host) } },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(dockerConfigJson([login])).toString('base64') },
    };
    await call(server, `Saving the pull secret "${name}" for ${login.host} in namespace "${namespace}"`, () => core.patchNamespacedSecret({ name, namespace, body, ...applyParams }, APPLY));
    names.push(name);
  }
  if (opts.serviceAccount !== false && names.length > 0) await addToServiceAccount(kc, namespace, opts.serviceAccount ?? 'default', names, opts);
  return names;
}

/**
 * imagePullSecrets is an atomic list for server-side apply and has no merge key for strategic
 * merge, so both would replace it: read, add what is missing, and replace with the
 * resourceVersion we read (a concurrent change gives 409, and we go again).
 */
async function addToServiceAccount(kc: KubeConfig, namespace: string, account: string, names: string[], opts: EnsurePullSecretsOptions): Promise<void> {
  const { core, server } = clusterApis(kc, opts);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const doing = `Adding pull secrets to the ServiceAccount "${account}" in namespace "${namespace}"`;
  for (let attempt = 0; ; attempt++) {
    let sa: V1ServiceAccount | undefined = await getOrUndefined(server, doing, () => core.readNamespacedServiceAccount({ name: account, namespace }));
    if (!sa) {
      // A namespace created a moment ago gets its `default` ServiceAccount from a controller.
      if (attempt < 10) {
        await sleep(200);
        continue;
      }
      sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: account, namespace } };
      try {
        await core.createNamespacedServiceAccount({ namespace, body: { ...sa, imagePullSecrets: names.map((name) => ({ name })) } });
        return;
      } catch (err) {
        if (statusOf(err) === 409) continue;
        throw clusterError(err, server, doing);
      }
    }
    const existing = sa.imagePullSecrets ?? [];
    const missing = names.filter((n) => !existing.some((e) => e.name === n));
    if (missing.length === 0) return;
    try {
      await core.replaceNamespacedServiceAccount({ name: account, namespace, body: { ...sa, imagePullSecrets: [...existing, ...missing.map((name) => ({ name }))] } });
      return;
    } catch (err) {
      if (statusOf(err) === 409 && attempt < 20) continue;
      throw clusterError(err, server, doing);
    }
  }
}

/** Deletes the pull secrets for `hosts` and takes them out of the ServiceAccount again. */
export async function removePullSecrets(kc: KubeConfig, namespace: string, hosts: string[], opts: EnsurePullSecretsOptions = {}): Promise<void> {
  const { core, server } = clusterApis(kc, opts);
  const names = hosts.map(pullSecretName);
  const account = opts.serviceAccount === false ? undefined : (opts.serviceAccount ?? 'default');
  if (account) {
    const doing = `Removing pull secrets from the ServiceAccount "${account}" in namespace "${namespace}"`;
    for (let attempt = 0; ; attempt++) {
      const sa = await getOrUndefined(server, doing, () => core.readNamespacedServiceAccount({ name: account, namespace }));
      const kept = (sa?.imagePullSecrets ?? []).filter((e) => !names.includes(e.name ?? ''));
      if (!sa || kept.length === (sa.imagePullSecrets ?? []).length) break;
      try {
        await core.replaceNamespacedServiceAccount({ name: account, namespace, body: { ...sa, imagePullSecrets: kept } });
        break;
      } catch (err) {
        if (statusOf(err) === 409 && attempt < 20) continue;
        throw clusterError(err, server, doing);
      }
    }
  }
  for (const name of names) {
    await getOrUndefined(server, `Deleting the pull secret "${name}"`, () => core.deleteNamespacedSecret({ name, namespace }));
  }
}
