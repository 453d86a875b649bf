// What a container runs with, worked out as the kubelet does: the environment (image env, then
// env and envFrom with valueFrom references and $(VAR) expansion) and the argv (command/args
// overriding the image's Entrypoint/Cmd).
import { NodeError } from './buildah';
import { fieldValue, type ObjectLookup } from './pod-volumes';

export class ContainerConfigError extends NodeError {
  constructor(message: string) { super('CreateContainerConfigError', message); }
}

/** $(VAR) from `env`, $$(VAR) stays literal $(VAR), unknown references stay as written. */
export function expand(s: string, env: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && name in env ? env[name]! : m;
  });
}

export function imageEnv(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of list) { const i = e.indexOf('='); if (i > 0) out[e.slice(0, i)] = e.slice(i + 1); }
  return out;
}

/** The container's environment variables, apart from those its image sets. */
export async function containerEnv(pod: any, container: any, lookup: ObjectLookup, base: Record<string, string> = {}): Promise<Record<string, string>> {
  const ns = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = { HOSTNAME: pod.spec.hostname ?? pod.metadata.name };
  const getKey = async (kind: 'secrets' | 'configmaps', name: string, key: string, optional: boolean): Promise<string | undefined> => {
    const obj = await lookup(kind, ns, name);
    const what = kind === 'secrets' ? 'secret' : 'configmap';
    if (!obj) { if (optional) return undefined; throw new ContainerConfigError(`${what} "${name}" not found`); }
    const raw = kind === 'secrets' ? obj.data?.[key] ?? (obj.stringData?.[key] !== undefined ? Buffer.from(obj.stringData[key]).toString('base64') : undefined) : obj.data?.[key];
    if (raw === undefined) { if (optional) return undefined; throw new ContainerConfigError(`couldn't find key ${key} in ${kind === 'secrets' ? 'Secret' : 'ConfigMap'} ${ns}/${name}`); }
    return kind === 'secrets' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  };
  for (const from of container.envFrom ?? []) {
    const ref = from.secretRef ?? from.configMapRef;
    const kind = from.secretRef ? 'secrets' : 'configmaps';
    const obj = await lookup(kind, ns, ref.name);
    if (!obj) { if (ref.optional) continue; throw new ContainerConfigError(`${kind === 'secrets' ? 'secret' : 'configmap'} "${ref.name}" not found`); }
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) {
      env[`${from.prefix ?? ''}${k}`] = kind === 'secrets' ? Buffer.from(v, 'base64').toString('utf8') : v;
    }
  }
  const scope = { ...base, ...env };
  for (const e of container.env ?? []) {
    let value: string | undefined;
    if (e.valueFrom) {
      const vf = e.valueFrom;
      if (vf.fieldRef) value = fieldValue(pod, vf.fieldRef.fieldPath);
      else if (vf.secretKeyRef) value = await getKey('secrets', vf.secretKeyRef.name, vf.secretKeyRef.key, !!vf.secretKeyRef.optional);
      else if (vf.configMapKeyRef) value = await getKey('configmaps', vf.configMapKeyRef.name, vf.configMapKeyRef.key, !!vf.configMapKeyRef.optional);
      else if (vf.resourceFieldRef) value = '0';
    } else {
      value = expand(e.value ?? '', scope);
    }
    if (value === undefined) continue;
    env[e.name] = value;
    scope[e.name] = value;
  }
  return env;
}

/** command replaces the image's Entrypoint (and drops its Cmd); args replaces Cmd. */
export function containerArgv(container: any, image: { entrypoint: string[]; cmd: string[] }, env: Record<string, string>): string[] {
  const entry: string[] = container.command?.length ? container.command.map((s: string) => expand(s, env)) : image.entrypoint;
  const args: string[] = container.args?.length ? container.args.map((s: string) => expand(s, env)) : container.command?.length ? [] : image.cmd;
  return [...entry, ...args];
}
