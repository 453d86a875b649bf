// Reads ONE kubeconfig file into typed entries, the way client-go's clientcmd.Load does, but with
// errors a user can act on: every problem names the file and the line ("~/.kube/config line 7: …").
// Relative file references are resolved against the file's own folder here, because after merging
// nobody knows any more which file an entry came from.
import path from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { AppError } from '../ipc/errors';

export interface KubeconfigCluster {
  name: string;
  server?: string;
  /** Absolute path (resolved against the file that names it). */
  certificateAuthority?: string;
  certificateAuthorityData?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

export interface KubeconfigExec {
  /** Absolute when the kubeconfig gave a path with a separator (client-go resolves those too); else looked up on PATH. */
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion?: string;
  installHint?: string;
  provideClusterInfo: boolean;
}

export interface KubeconfigUser {
  name: string;
  clientCertificate?: string;
  clientCertificateData?: string;
  clientKey?: string;
  clientKeyData?: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  as?: string;
  authProvider?: { name: string; config: Record<string, string> };
  exec?: KubeconfigExec;
}

export interface KubeconfigContextEntry {
  name: string;
  cluster: string;
  /** Empty when the context names no user (anonymous access). */
  user: string;
  namespace?: string;
}

export interface KubeconfigFile {
  path: string;
  currentContext?: string;
  clusters: KubeconfigCluster[];
  users: KubeconfigUser[];
  contexts: KubeconfigContextEntry[];
}

/** Throws AppError KUBECONFIG_INVALID naming `displayPath` and the line of the first problem. */
export function parseKubeconfigFile(text: string, filePath: string, displayPath = filePath): KubeconfigFile {
  const lines = new LineCounter();
  // YAML 1.1 like Go's yaml (so `yes` is true); duplicate keys are allowed like kubectl (last wins).
  const doc = parseDocument(text, { lineCounter: lines, version: '1.1', uniqueKeys: false, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const line = lines.linePos(first.pos[0]).line;
    throw invalid(displayPath, line, first.message.split('\n')[0] ?? first.message);
  }
  const reader = new ShapeReader(doc, lines, displayPath, path.dirname(path.resolve(filePath)));
  return reader.file(filePath);
}

function invalid(displayPath: string, line: number | undefined, what: string): AppError {
  const where = line ? `${displayPath} line ${line}` : displayPath;
  return new AppError(
    'KUBECONFIG_INVALID',
    `${where}: ${what}`,
    `Fix the kubeconfig file at that line (kubectl cannot read it either), or remove it from KUBECONFIG.`,
  );
}

/** Walks the YAML nodes (not plain JS values) so that shape errors can name their line. */
class ShapeReader {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly displayPath: string,
    private readonly baseDir: string,
  ) {}

  file(filePath: string): KubeconfigFile {
    const root = this.deref(this.doc.contents as Node | null);
    const empty: KubeconfigFile = { path: filePath, clusters: [], users: [], contexts: [] };
    if (root === null || (isScalar(root) && root.value === null)) return empty;
    if (!isMap(root)) throw this.error(root, 'a kubeconfig must be a mapping with clusters, contexts and users');
    const currentContext = this.optionalString(root, 'current-context', 'current-context');
    return {
      path: filePath,
      ...(currentContext ? { currentContext } : {}),
      clusters: this.list(root, 'clusters', 'cluster', (body, name, where) => this.cluster(body, name, where)),
      users: this.list(root, 'users', 'user', (body, name, where) => this.user(body, name, where)),
      contexts: this.list(root, 'contexts', 'context', (body, name, where) => this.context(body, name, where)),
    };
  }

  /** `clusters:`-style lists of `{name, <key>: {...}}`; null entries and entries without a name are skipped like kubectl shows them unusable. */
  private list<T>(root: Node, field: string, key: string, read: (body: Node | null, name: string, where: string) => T): T[] {
    const seq = this.get(root, field);
    if (seq === null || (isScalar(seq) && seq.value === null)) return [];
    if (!isSeq(seq)) throw this.error(seq, `${field} must be a list of {name, ${key}} entries`);
    const seen = new Set<string>();
    const out: T[] = [];
    seq.items.forEach((raw, i) => {
      const item = this.deref(raw as Node | null);
      const where = `${field}[${i}]`;
      if (item === null || (isScalar(item) && item.value === null)) return;
      if (!isMap(item)) throw this.error(item, `${where} must be a mapping with name and ${key}`);
      const name = this.optionalString(item, 'name', `${where}.name`);
      if (!name) return;
      // client-go refuses a file that defines a name twice in one list; say which name.
      if (seen.has(name)) throw this.error(this.get(item, 'name') ?? item, `${key} "${name}" is defined twice in ${field}`);
      seen.add(name);
      const body = this.get(item, key);
      if (body !== null && !isMap(body) && !(isScalar(body) && body.value === null)) {
        throw this.error(body, `${where}.${key} must be a mapping`);
      }
      out.push(read(isMap(body) ? body : null, name, `${where}.${key}`));
    });
    return out;
  }

  private cluster(body: Node | null, name: string, where: string): KubeconfigCluster {
    const s = (k: string) => (body ? this.optionalString(body, k, `${where}.${k}`) : undefined);
    const server = s('server');
    const ca = s('certificate-authority');
    const caData = s('certificate-authority-data');
    const tlsServerName = s('tls-server-name');
    const proxyUrl = s('proxy-url');
    return {
      name,
      ...(server ? { server: server.replace(/\/+$/, '') } : {}),
      ...(ca ? { certificateAuthority: this.resolve(ca) } : {}),
      ...(caData ? { certificateAuthorityData: caData } : {}),
      insecureSkipTlsVerify: body ? this.optionalBool(body, 'insecure-skip-tls-verify', `${where}.insecure-skip-tls-verify`) : false,
      ...(tlsServerName ? { tlsServerName } : {}),
      ...(proxyUrl ? { proxyUrl } : {}),
    };
  }

  private user(body: Node | null, name: string, where: string): KubeconfigUser {
    const user: KubeconfigUser = { name };
    if (!body) return user;
    const s = (k: string) => this.optionalString(body, k, `${where}.${k}`);
    const set = <K extends keyof KubeconfigUser>(k: K, v: KubeconfigUser[K] | undefined) => {
      if (v !== undefined && v !== '') user[k] = v;
    };
    const cert = s('client-certificate');
    const key = s('client-key');
    const tokenFile = s('tokenFile');
    set('clientCertificate', cert ? this.resolve(cert) : undefined);
    set('clientCertificateData', s('client-certificate-data'));
    set('clientKey', key ? this.resolve(key) : undefined);
    set('clientKeyData', s('client-key-data'));
    set('token', s('token'));
    set('tokenFile', tokenFile ? this.resolve(tokenFile) : undefined);
    set('username', s('username'));
    set('password', s('password'));
    set('as', s('as'));
    const provider = this.get(body, 'auth-provider');
    if (provider !== null && !(isScalar(provider) && provider.value === null)) {
      if (!isMap(provider)) throw this.error(provider, `${where}.auth-provider must be a mapping with name and config`);
      const providerName = this.optionalString(provider, 'name', `${where}.auth-provider.name`) ?? '';
      const config = this.get(provider, 'config');
      const values: Record<string, string> = {};
      if (config !== null && isMap(config)) {
        for (const pair of config.items) {
          const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
          const v = this.deref(pair.value as Node | null);
          if (v !== null && isScalar(v) && v.value !== null) values[k] = String(v.value);
        }
      } else if (config !== null && !(isScalar(config) && config.value === null)) {
        throw this.error(config, `${where}.auth-provider.config must be a mapping of strings`);
      }
      user.authProvider = { name: providerName, config: values };
    }
    const exec = this.get(body, 'exec');
    if (exec !== null && !(isScalar(exec) && exec.value === null)) {
      if (!isMap(exec)) throw this.error(exec, `${where}.exec must be a mapping with command, args and env`);
      user.exec = this.exec(exec, `${where}.exec`);
    }
    return user;
  }

  private exec(node: Node, where: string): KubeconfigExec {
    const command = this.optionalString(node, 'command', `${where}.command`);
    if (!command) throw this.error(node, `${where}.command is missing`);
    const argsNode = this.get(node, 'args');
    const args: string[] = [];
    if (argsNode !== null && isSeq(argsNode)) {
      argsNode.items.forEach((raw, i) => {
        const v = this.deref(raw as Node | null);
        if (v === null || !isScalar(v) || typeof v.value !== 'string') throw this.error(v ?? argsNode, `${where}.args[${i}] must be a string`);
        args.push(v.value);
      });
    } else if (argsNode !== null && !(isScalar(argsNode) && argsNode.value === null)) {
      throw this.error(argsNode, `${where}.args must be a list of strings`);
    }
    const envNode = this.get(node, 'env');
    const env: { name: string; value: string }[] = [];
    if (envNode !== null && isSeq(envNode)) {
      envNode.items.forEach((raw, i) => {
        const v = this.deref(raw as Node | null);
        if (v === null || !isMap(v)) throw this.error(v ?? envNode, `${where}.env[${i}] must be a mapping with name and value`);
        const name = this.optionalString(v, 'name', `${where}.env[${i}].name`);
        if (name) env.push({ name, value: this.optionalString(v, 'value', `${where}.env[${i}].value`) ?? '' });
      });
    } else if (envNode !== null && !(isScalar(envNode) && envNode.value === null)) {
      throw this.error(envNode, `${where}.env must be a list of {name, value}`);
    }
    const apiVersion = this.optionalString(node, 'apiVersion', `${where}.apiVersion`);
    const installHint = this.optionalString(node, 'installHint', `${where}.installHint`);
    return {
      // Like client-go: a command with a path separator is relative to the kubeconfig, a bare name is looked up on PATH.
      command: command.includes('/') || command.includes(path.sep) ? this.resolve(command) : command,
      args,
      env,
      ...(apiVersion ? { apiVersion } : {}),
      ...(installHint ? { installHint } : {}),
      provideClusterInfo: this.optionalBool(node, 'provideClusterInfo', `${where}.provideClusterInfo`),
    };
  }

  private context(body: Node | null, name: string, where: string): KubeconfigContextEntry {
    const s = (k: string) => (body ? this.optionalString(body, k, `${where}.${k}`) : undefined);
    const namespace = s('namespace');
    return { name, cluster: s('cluster') ?? '', user: s('user') ?? '', ...(namespace ? { namespace } : {}) };
  }

  private resolve(p: string): string {
    return path.isAbsolute(p) ? p : path.join(this.baseDir, p);
  }

  private get(map: Node, key: string): Node | null {
    if (!isMap(map)) return null;
    // With duplicate keys allowed, the last one wins, as in Go's JSON decoding.
    for (let i = map.items.length - 1; i >= 0; i--) {
      const pair = map.items[i]!;
      const k = isScalar(pair.key) ? pair.key.value : pair.key;
      if (k === key) return this.deref((pair.value as Node | null) ?? null);
    }
    return null;
  }

  private optionalString(map: Node, key: string, where: string): string | undefined {
    const node = this.get(map, key);
    if (node === null || (isScalar(node) && node.value === null)) return undefined;
    if (!isScalar(node) || typeof node.value !== 'string') throw this.error(node, `${where} must be a string`);
    return node.value;
  }

  private optionalBool(map: Node, key: string, where: string): boolean {
    const node = this.get(map, key);
    if (node === null || (isScalar(node) && node.value === null)) return false;
    if (!isScalar(node) || typeof node.value !== 'boolean') throw this.error(node, `${where} must be true or false`);
    return node.value;
  }

  private deref(node: Node | null): Node | null {
    if (node && isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return node ?? null;
  }

  private error(node: Node, what: string): AppError {
    const offset = node.range?.[0];
    return invalid(this.displayPath, offset === undefined ? undefined : this.lines.linePos(offset).line, what);
  }
}
