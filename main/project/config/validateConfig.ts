// Checks a parsed config.yaml against the schema and normalises it (v1alpha1's string ports become
// numbers, `portForwarding` is read as `ports`). Returns problems with their field paths; the
// caller turns paths into line numbers.
import { CONFIG_VERSION, type DeploymentConfig, type DevspaceConfig, type ImageBuild, type ImageConfig, type PortForwarding, type PortMapping } from './schema';

type Path = Array<string | number>;
export interface PathProblem {
  path: Path;
  message: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes namespace name (an RFC 1123 label). */
export function isNamespaceName(s: string): boolean {
  return s.length <= 63 && DNS_LABEL.test(s);
}
const KNOWN_TOP = new Set(['version', 'cluster', 'devSpace', 'images', 'registries', 'internalRegistry', 'tiller']);

export function validateConfig(raw: unknown): { config: DevspaceConfig | null; errors: PathProblem[]; warnings: PathProblem[] } {
  const errors: PathProblem[] = [];
  const warnings: PathProblem[] = [];
  const err = (path: Path, message: string) => errors.push({ path, message });

  if (!isObject(raw)) {
    err([], 'the file must be a YAML map (key: value), e.g. `version: v1alpha1`');
    return { config: null, errors, warnings };
  }
  const config: DevspaceConfig = { version: CONFIG_VERSION };
  if (raw.version === undefined) err(['version'], `missing; add \`version: ${CONFIG_VERSION}\` at the top`);
  else if (raw.version !== CONFIG_VERSION) err(['version'], `"${String(raw.version)}" is not supported; this app reads ${CONFIG_VERSION}`);
  for (const key of Object.keys(raw)) if (!KNOWN_TOP.has(key)) warnings.push({ path: [key], message: 'unknown field; the app ignores it' });

  if (raw.cluster !== undefined) {
    const c = expectObject(raw.cluster, ['cluster'], err);
    if (c) config.cluster = pickStrings(c, ['cluster'], ['kubeContext', 'namespace'], err);
  }

  if (raw.devSpace !== undefined) {
    const d = expectObject(raw.devSpace, ['devSpace'], err);
    if (d) {
      config.devSpace = {};
      if (d.ports !== undefined && d.portForwarding !== undefined) err(['devSpace', 'portForwarding'], 'use either `ports` or `portForwarding`, not both');
      const portsKey = d.ports !== undefined ? 'ports' : 'portForwarding';
      const ports = d[portsKey];
      if (ports !== undefined) config.devSpace.ports = validatePorts(ports, ['devSpace', portsKey], err);
      if (d.terminal !== undefined) {
        const t = expectObject(d.terminal, ['devSpace', 'terminal'], err);
        if (t) {
          config.devSpace.terminal = pickStrings(t, ['devSpace', 'terminal'], ['namespace', 'containerName'], err);
          if (t.labelSelector !== undefined) config.devSpace.terminal.labelSelector = stringMap(t.labelSelector, ['devSpace', 'terminal', 'labelSelector'], err);
          if (t.command !== undefined) {
            if (!Array.isArray(t.command) || t.command.length === 0 || !t.command.every((c) => typeof c === 'string')) {
              err(['devSpace', 'terminal', 'command'], 'must be a list of strings, e.g. [sh, -c, bash]');
            } else config.devSpace.terminal.command = t.command as string[];
          }
        }
      }
      if (d.deployments !== undefined) {
        if (!Array.isArray(d.deployments)) err(['devSpace', 'deployments'], 'must be a list');
        else {
          config.devSpace.deployments = [];
          d.deployments.forEach((dep, i) => {
            const p: Path = ['devSpace', 'deployments', i];
            const o = expectObject(dep, p, err);
            if (!o) return;
            if (typeof o.name !== 'string' || !DNS_LABEL.test(o.name) || o.name.length > 53) {
              err([...p, 'name'], 'must be a lower-case name of letters, digits and "-" (at most 53 characters), e.g. my-app');
              return;
            }
            const out: DeploymentConfig = { name: o.name };
            if (typeof o.namespace === 'string') out.namespace = o.namespace;
            if (o.helm !== undefined) {
              const h = expectObject(o.helm, [...p, 'helm'], err);
              if (h) {
                if (typeof h.chartPath !== 'string' || !h.chartPath) err([...p, 'helm', 'chartPath'], 'must be the path of the chart folder, e.g. ./chart');
                else {
                  out.helm = { chartPath: h.chartPath };
                  if (h.engine !== undefined) {
                    if (h.engine !== 'helm3' && h.engine !== 'tiller') err([...p, 'helm', 'engine'], 'must be helm3 or tiller');
                    else out.helm.engine = h.engine;
                  }
                  if (typeof h.valuesFile === 'string') out.helm.valuesFile = h.valuesFile;
                  if (h.rolloutTimeout !== undefined) {
                    if (typeof h.rolloutTimeout !== 'number' || !Number.isInteger(h.rolloutTimeout) || h.rolloutTimeout < 10 || h.rolloutTimeout > 3600) {
                      err([...p, 'helm', 'rolloutTimeout'], 'must be the seconds Up waits for the rollout, a whole number from 10 to 3600 (default 300)');
                    } else out.helm.rolloutTimeout = h.rolloutTimeout;
                  }
                  if (h.values !== undefined) {
                    if (!isObject(h.values)) err([...p, 'helm', 'values'], 'must be a map of chart values');
                    else out.helm.values = h.values;
                  }
                }
              }
            }
            if (o.kubectl !== undefined) warnings.push({ path: [...p, 'kubectl'], message: 'kubectl deployments are not supported by the app; use a Helm chart' });
            config.devSpace!.deployments!.push(out);
          });
        }
      }
      for (const key of Object.keys(d)) {
        if (!['ports', 'portForwarding', 'terminal', 'deployments'].includes(key)) {
          warnings.push({ path: ['devSpace', key], message: key === 'sync' ? 'file sync is not supported yet; the app ignores it' : 'unknown field; the app ignores it' });
        }
      }
    }
  }

  if (raw.images !== undefined) {
    const imgs = expectObject(raw.images, ['images'], err);
    if (imgs) {
      config.images = {};
      for (const [key, value] of Object.entries(imgs)) {
        const p: Path = ['images', key];
        const o = expectObject(value, p, err);
        if (!o) continue;
        if (typeof o.name !== 'string' || !o.name) {
          err([...p, 'name'], 'must be the image name, e.g. my-app or registry.example.com/team/my-app');
          continue;
        }
        const image: ImageConfig = { name: o.name, ...pickStrings(o, p, ['tag', 'registry', 'contextPath', 'dockerfilePath'], err) };
        if (o.build !== undefined) {
          const b = expectObject(o.build, [...p, 'build'], err);
          if (b) {
            const build: ImageBuild = {};
            if (b.engine !== undefined) {
              if (b.engine !== 'kaniko' && b.engine !== 'docker') err([...p, 'build', 'engine'], 'must be kaniko or docker');
              else build.engine = b.engine;
            }
            if (b.kaniko !== undefined) {
              const k = expectObject(b.kaniko, [...p, 'build', 'kaniko'], err);
              if (k) {
                Object.assign(build, { kaniko: { ...(typeof k.cache === 'boolean' ? { cache: k.cache } : {}), ...pickStrings(k, [...p, 'build', 'kaniko'], ['namespace', 'image'], err) } });
                if (k.cache !== undefined && typeof k.cache !== 'boolean') err([...p, 'build', 'kaniko', 'cache'], 'must be true or false');
              }
            }
            if (b.docker !== undefined) Object.assign(build, { docker: isObject(b.docker) ? { ...(b.docker.preferMinikube === true ? { preferMinikube: true } : {}) } : {} });
            if (b.options !== undefined) {
              const op = expectObject(b.options, [...p, 'build', 'options'], err);
              if (op) {
                const options = pickStrings(op, [...p, 'build', 'options'], ['target', 'network'], err) as { buildArgs?: Record<string, string>; target?: string; network?: string };
                if (op.buildArgs !== undefined) options.buildArgs = stringMap(op.buildArgs, [...p, 'build', 'options', 'buildArgs'], err);
                Object.assign(build, { options });
              }
            }
            image.build = build;
          }
        }
        config.images[key] = image;
      }
    }
  }

  if (raw.registries !== undefined) {
    const regs = expectObject(raw.registries, ['registries'], err);
    if (regs) {
      config.registries = {};
      for (const [key, value] of Object.entries(regs)) {
        const o = expectObject(value, ['registries', key], err);
        if (!o) continue;
        if (o.user !== undefined) {
          warnings.push({
            path: ['registries', key, 'user'],
            message: 'credentials do not belong in a file you commit; the app ignores them: enter them in the app (they are stored encrypted) and remove them from this file',
          });
        }
        const reg = pickStrings(o, ['registries', key], ['url'], err) as { url?: string; insecure?: boolean };
        if (o.insecure !== undefined) {
          if (typeof o.insecure !== 'boolean') err(['registries', key, 'insecure'], 'must be true or false');
          else reg.insecure = o.insecure;
        }
        config.registries[key] = reg;
      }
    }
  }

  if (raw.internalRegistry !== undefined) {
    const o = expectObject(raw.internalRegistry, ['internalRegistry'], err);
    if (o) {
      config.internalRegistry = pickStrings(o, ['internalRegistry'], ['namespace', 'image', 'proxyImage'], err);
      if (typeof o.deploy === 'boolean') config.internalRegistry.deploy = o.deploy;
      else if (o.deploy !== undefined) err(['internalRegistry', 'deploy'], 'must be true or false');
      if (o.port !== undefined) {
        const p = port(o.port, ['internalRegistry', 'port'], err);
        if (p !== undefined) config.internalRegistry.port = p;
      }
      const ns = config.internalRegistry.namespace;
      if (ns !== undefined && !isNamespaceName(ns)) err(['internalRegistry', 'namespace'], 'must be a Kubernetes namespace name: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit');
    }
  }
  if (raw.tiller !== undefined) {
    const o = expectObject(raw.tiller, ['tiller'], err);
    if (o) config.tiller = pickStrings(o, ['tiller'], ['namespace'], err);
  }
  return { config: errors.length ? null : config, errors, warnings };
}

function validatePorts(value: unknown, path: Path, err: (p: Path, m: string) => void): PortForwarding[] {
  if (!Array.isArray(value)) {
    err(path, 'must be a list of port forwardings, each with a labelSelector and portMappings');
    return [];
  }
  const seen = new Map<string, string>();
  const out: PortForwarding[] = [];
  value.forEach((entry, i) => {
    const p: Path = [...path, i];
    const o = expectObject(entry, p, err);
    if (!o) return;
    if (o.resourceType !== undefined && o.resourceType !== 'pod') err([...p, 'resourceType'], 'only "pod" is supported');
    const labelSelector = o.labelSelector === undefined ? undefined : stringMap(o.labelSelector, [...p, 'labelSelector'], err);
    if (!labelSelector || Object.keys(labelSelector).length === 0) {
      if (o.labelSelector === undefined) err([...p, 'labelSelector'], 'missing; say which pods to forward to, e.g. `app.kubernetes.io/name: my-app`');
      return;
    }
    if (!Array.isArray(o.portMappings)) {
      err([...p, 'portMappings'], 'must be a list of { localPort, remotePort }');
      return;
    }
    const mappings: PortMapping[] = [];
    o.portMappings.forEach((m, j) => {
      const mp: Path = [...p, 'portMappings', j];
      const mo = expectObject(m, mp, err);
      if (!mo) return;
      const localPort = port(mo.localPort, [...mp, 'localPort'], err);
      const remotePort = port(mo.remotePort, [...mp, 'remotePort'], err);
      if (localPort === undefined || remotePort === undefined) return;
      const mapping: PortMapping = { localPort, remotePort };
      if (mo.bindAddress !== undefined) {
        if (typeof mo.bindAddress !== 'string' || !/^(localhost|[0-9.]+|[0-9a-fA-F:]+)$/.test(mo.bindAddress)) err([...mp, 'bindAddress'], 'must be an IP address such as 127.0.0.1 or 0.0.0.0');
        else mapping.bindAddress = mo.bindAddress;
      }
      if (mo.enabled !== undefined) {
        if (typeof mo.enabled !== 'boolean') err([...mp, 'enabled'], 'must be true or false');
        else mapping.enabled = mo.enabled;
      }
      const key = `${mapping.bindAddress ?? '127.0.0.1'}:${localPort}`;
      const first = seen.get(key);
      if (first && mapping.enabled !== false) err([...mp, 'localPort'], `local port ${localPort} is already used by ${first}`);
      else if (mapping.enabled !== false) seen.set(key, `${path.at(-1)}[${i}].portMappings[${j}]`);
      mappings.push(mapping);
    });
    out.push({ ...(o.resourceType ? { resourceType: 'pod' as const } : {}), ...(typeof o.namespace === 'string' ? { namespace: o.namespace } : {}), labelSelector, portMappings: mappings });
  });
  return out;
}

function port(v: unknown, path: Path, err: (p: Path, m: string) => void): number | undefined {
  // v1alpha1 documented ports as strings; accept "3000" as well as 3000.
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
    err(path, v === undefined ? 'missing; a port number from 1 to 65535' : `${JSON.stringify(v)} is not a port number from 1 to 65535`);
    return undefined;
  }
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function expectObject(v: unknown, path: Path, err: (p: Path, m: string) => void): Record<string, unknown> | undefined {
  if (isObject(v)) return v;
  err(path, 'must be a map (key: value)');
  return undefined;
}

function stringMap(v: unknown, path: Path, err: (p: Path, m: string) => void): Record<string, string> | undefined {
  if (!isObject(v)) {
    err(path, 'must be a map of strings');
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
    else err([...path, k], 'must be a string');
  }
  return out;
}

function pickStrings<K extends string>(o: Record<string, unknown>, path: Path, keys: K[], err: (p: Path, m: string) => void): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const v = o[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') err([...path, k], 'must be a string');
    else out[k] = v;
  }
  return out;
}
