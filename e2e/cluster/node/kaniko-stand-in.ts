// Stand-in for the Kaniko executor (gcr.io/kaniko-project/executor:debug). The pod runs a seeded
// busybox image laid out like the debug image; when the app execs `/kaniko/executor …` into it,
// the node takes the call over: it reads the context and Dockerfile from the container's
// filesystem (the files the app uploaded with `tar -x`), builds with `buildah bud --isolation
// chroot`, pushes to each --destination with /kaniko/.docker/config.json credentials, and prints
// Kaniko-like log lines.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Buildah } from './buildah';
import { lastErrorLine } from './buildah';
import type { Execution, ExecOverride } from './exec-session';
import { isLoopbackRegistry, parseImage } from './image-reference';
import { isReachableRegistry, unreachableRegistryMessage } from './local-addresses';
import type { StandIn } from './node-context';
import { KanikoMainContainer } from './kaniko-main-container';

/**
 * The Kaniko image: the seeded look-alike runs whatever the pod asks (e.g. a shell that waits for
 * exec); only when the pod's own process is the executor does the node run the build for it.
 */
export function kanikoStandIn(image: string, deps: KanikoDeps, repositories = ['kaniko-project/executor']): StandIn {
  return {
    name: 'kaniko', repositories, image,
    start: (o) => (isExecutor(o.argv) ? new KanikoMainContainer(deps, o) : undefined),
  };
}

export interface KanikoFlags {
  dockerfile: string; context: string; contextSubPath?: string; destinations: string[]; buildArgs: string[]; target?: string;
  cache: boolean; cacheRepo?: string; insecure: boolean; skipTlsVerify: boolean; insecureRegistries: string[];
  skipTlsVerifyRegistries: string[]; insecurePull: boolean; noPush: boolean; digestFile?: string; labels: string[];
}

const BOOL = new Set(['cache', 'insecure', 'skip-tls-verify', 'insecure-pull', 'skip-tls-verify-pull', 'no-push', 'cleanup', 'reproducible', 'single-snapshot', 'use-new-run', 'compressed-caching', 'cache-copy-layers', 'cache-run-layers', 'skip-unused-stages', 'force', 'log-timestamp', 'no-push-cache', 'ignore-var-run', 'skip-push-permission-check', 'cache-repo-insecure']);
const VALUE = new Set(['dockerfile', 'context', 'destination', 'build-arg', 'target', 'cache-repo', 'cache-dir', 'insecure-registry', 'skip-tls-verify-registry', 'digest-file', 'image-name-with-digest-file', 'image-name-tag-with-digest-file', 'tar-path', 'verbosity', 'snapshot-mode', 'snapshotMode', 'log-format', 'label', 'registry-mirror', 'cache-ttl', 'push-retry', 'custom-platform', 'ignore-path', 'context-sub-path', 'kaniko-dir', 'image-fs-extract-retry', 'oci-layout-path', 'registry-certificate', 'registry-map', 'compression', 'compression-level', 'git', 'oci-layout-path']);
const SHORT: Record<string, string> = { f: 'dockerfile', c: 'context', d: 'destination', v: 'verbosity' };

/** Parses the executor's flags the way its cobra command does; throws with cobra's wording. */
export function parseKanikoFlags(args: string[]): KanikoFlags {
  const f: KanikoFlags = { dockerfile: 'Dockerfile', context: '/workspace/', destinations: [], buildArgs: [], cache: false, insecure: false, skipTlsVerify: false, insecureRegistries: [], skipTlsVerifyRegistries: [], insecurePull: false, noPush: false, labels: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown command "${a}" for "executor"`);
    let name = m[1]!;
    if (a.startsWith('-') && !a.startsWith('--')) name = SHORT[name] ?? name;
    let value = m[2];
    if (BOOL.has(name)) {
      const on = value === undefined ? true : value === 'true';
      if (name === 'cache') f.cache = on;
      else if (name === 'insecure') f.insecure = on;
      else if (name === 'skip-tls-verify') f.skipTlsVerify = on;
      else if (name === 'insecure-pull' || name === 'skip-tls-verify-pull') f.insecurePull = on;
      else if (name === 'no-push') f.noPush = on;
      continue;
    }
    if (!VALUE.has(name)) throw new Error(`unknown flag: ${a.split('=')[0]}`);
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new Error(`flag needs an argument: --${name}`);
    }
    switch (name) {
      case 'dockerfile': f.dockerfile = value; break;
      case 'context': f.context = value; break;
      case 'context-sub-path': f.contextSubPath = value; break;
      case 'destination': f.destinations.push(value); break;
      case 'build-arg': f.buildArgs.push(value); break;
      case 'target': f.target = value; break;
      case 'cache-repo': f.cacheRepo = value; break;
      case 'insecure-registry': f.insecureRegistries.push(value); break;
      case 'skip-tls-verify-registry': f.skipTlsVerifyRegistries.push(value); break;
      case 'digest-file': f.digestFile = value; break;
      case 'label': f.labels.push(value); break;
      default: break;
    }
  }
  return f;
}

export interface KanikoDeps {
  buildah: Buildah;
  /** Resolves a registry host name as a pod in `namespace` would (Service DNS); undefined: leave it. */
  resolveHost(host: string, namespace: string): string | undefined;
  podSubnet(): string | undefined;
  /** A loopback registry (`localhost:P`) as this node reaches it (its own address); default unchanged. */
  onNode?(registry: string): string;
}

function stamp(t0: number): string {
  return `[${String(Math.floor((Date.now() - t0) / 1000)).padStart(4, '0')}]`;
}

export function kanikoExecOverride(deps: KanikoDeps): ExecOverride {
  return (c, target, argv, io) => {
    if (c.standIn?.name !== 'kaniko' || !isExecutor(argv)) return undefined;
    const rootfs = `/proc/${target.pid}/root`;
    return startKanikoBuild(deps, {
      argv, env: target.env, namespace: c.rt.pod.metadata.namespace ?? 'default',
      inContainer: (p) => join(rootfs, p),
      out: (channel, data) => { io.out(channel, data); },
      exit: (code) => io.exit(code),
      ...(target.workingDir ? { workingDir: target.workingDir } : {}),
    });
  };
}

export function isExecutor(argv: string[]): boolean {
  return /(^|\/)executor$/.test(argv[0] ?? '');
}

export interface KanikoBuildContext {
  argv: string[];
  env: Record<string, string>;
  workingDir?: string;
  namespace: string;
  /** Where a path inside the build container is on the host. */
  inContainer(path: string): string;
  out(channel: 1 | 2, data: Buffer): void;
  exit(code: number): void;
}

/** Runs one executor invocation; its stdin (for tar://stdin) arrives through write()/endInput(). */
export function startKanikoBuild(deps: KanikoDeps, o: KanikoBuildContext): Execution {
  {
    const argv = o.argv;
    const io = { out: o.out };
    const t0 = Date.now();
    const info = (msg: string) => io.out(2, Buffer.from(`INFO${stamp(t0)} ${msg}\n`));
    const namespace = o.namespace;
    const work = join(deps.buildah.tmpDir, `kaniko-${randomBytes(6).toString('hex')}`);
    let cancelled = false;
    const children: Array<{ kill(): void }> = [];
    const stdin: Buffer[] = [];
    let endStdin: (b: Buffer) => void = () => {};
    const stdinDone = new Promise<Buffer>((r) => { endStdin = r; });
    const fail = (prefix: string, msg: string) => { io.out(2, Buffer.from(`${prefix}: ${msg}\n`)); return 1; };

    const run = async (): Promise<number> => {
      let flags: KanikoFlags;
      try { flags = parseKanikoFlags(argv.slice(1)); } catch (e) { return fail('Error', (e as Error).message); }
      if (!flags.destinations.length && !flags.noPush) return fail('Error', 'you must provide --destination, or use --no-push');
      mkdirSync(work, { recursive: true });
      let contextDir: string;
      let dockerfile: string;
      if (flags.context === 'tar://stdin') {
        // A gzipped tar on the exec's stdin, as `kaniko --context=tar://stdin` reads it.
        info("To simulate EOF and exit, press 'Ctrl+D'");
        const data = await stdinDone;
        contextDir = join(work, 'stdin-context');
        mkdirSync(contextDir);
        const untar = await extract(data, contextDir);
        if (untar) return fail('Error', `error resolving source context: reading the tar from stdin: ${untar}`);
        if (flags.contextSubPath) contextDir = join(contextDir, flags.contextSubPath);
        dockerfile = isAbsolute(flags.dockerfile) ? o.inContainer(flags.dockerfile) : join(contextDir, flags.dockerfile);
      } else {
        if (/^[a-z0-9]+:\/\//.test(flags.context) && !flags.context.startsWith('dir://')) {
          return fail('Error', `error resolving source context: the test cluster's Kaniko stand-in supports dir:// and tar://stdin contexts, not ${flags.context}`);
        }
        const path = flags.context.replace(/^dir:\/\//, '');
        let contextInCtr = path.startsWith('/') ? path : `/${path}`;
        if (flags.contextSubPath) contextInCtr = join(contextInCtr, flags.contextSubPath);
        contextDir = o.inContainer(contextInCtr);
        if (!existsSync(contextDir)) return fail('Error', `error resolving source context: context ${contextInCtr} does not exist`);
        const inContext = join(contextInCtr, flags.dockerfile);
        dockerfile = o.inContainer(isAbsolute(flags.dockerfile) ? flags.dockerfile : existsSync(o.inContainer(inContext)) ? inContext : join(o.workingDir ?? '/', flags.dockerfile));
      }
      if (!existsSync(dockerfile)) return fail('Error', `error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile`);

      // Credentials as the executor reads them: $DOCKER_CONFIG/config.json, /kaniko/.docker by default.
      const dockerConfigInCtr = join(o.env.DOCKER_CONFIG ?? '/kaniko/.docker/', 'config.json');
      const dockerConfig = o.inContainer(dockerConfigInCtr);
      let auths: Record<string, { auth?: string; username?: string; password?: string }> = {};
      if (existsSync(dockerConfig)) {
        try { auths = JSON.parse(readFileSync(dockerConfig, 'utf8')).auths ?? {}; } catch (e) { return fail('error building image', `parsing ${dockerConfigInCtr}: ${(e as Error).message}`); }
      }
      const credsFor = (registry: string): string | undefined => {
        for (const [k, v] of Object.entries(auths)) {
          if (k.replace(/^https?:\/\//, '').replace(/\/.*$/, '') !== registry) continue;
          if (v.auth) return Buffer.from(v.auth, 'base64').toString('utf8');
          if (v.username !== undefined) return `${v.username}:${v.password ?? ''}`;
        }
        return undefined;
      };
      const authfile = join(work, 'auth.json');
      const pullAuths: Record<string, { auth: string }> = {};
      for (const [k, v] of Object.entries(auths)) if (v.auth || v.username) pullAuths[k.replace(/^https?:\/\//, '').replace(/\/.*$/, '')] = { auth: v.auth ?? Buffer.from(`${v.username}:${v.password ?? ''}`).toString('base64') };
      // On a node with its own loopback address, FROM localhost:P/… is pulled from that address.
      for (const k of Object.keys(pullAuths)) { const m = deps.onNode?.(k); if (m && m !== k && !(m in pullAuths)) pullAuths[m] = pullAuths[k]!; }
      writeFileSync(authfile, JSON.stringify({ auths: pullAuths }), { mode: 0o600 });

      const stages = new Set<string>();
      for (const line of readFileSync(dockerfile, 'utf8').split('\n')) {
        const m = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
        if (!m || m[1] === 'scratch' || stages.has(m[1]!.toLowerCase())) { if (m?.[2]) stages.add(m[2].toLowerCase()); continue; }
        if (m[2]) stages.add(m[2].toLowerCase());
        info(`Retrieving image manifest ${m[1]}`);
        const registry = parseImage(m[1]!).registry;
        if (!m[1]!.includes('$') && !isReachableRegistry(registry, deps.podSubnet())) {
          return fail('error building image', `unable to complete build: failed to get filesystem from image: Get "https://${registry}/v2/": ${unreachableRegistryMessage(registry)}`);
        }
      }
      // /proc/<pid>/root works for plain file access but not for buildah's symlink evaluation
      // (the link's target exists only in the container's mount namespace): build from copies.
      const contextCopy = join(work, 'context');
      const dockerfileCopy = join(work, 'Dockerfile');
      mkdirSync(contextCopy);
      const cp = await copy(`${contextDir}/.`, contextCopy);
      if (cp) return fail('error building image', `copying the build context: ${cp}`);
      writeFileSync(dockerfileCopy, readFileSync(dockerfile));
      const tag = `localhost/kaniko-build-${randomBytes(6).toString('hex')}:latest`;
      const bud = ['bud', '--isolation', 'chroot', '--tls-verify=false', '--authfile', authfile, '-f', dockerfileCopy, '-t', tag];
      if (flags.cache) bud.push('--layers');
      for (const a of flags.buildArgs) bud.push('--build-arg', a);
      for (const l of flags.labels) bud.push('--label', l);
      if (flags.target) bud.push('--target', flags.target);
      bud.push(contextCopy);
      const budOut = await runStreaming(deps.buildah, bud, (line) => {
        const step = /^STEP \d+\/\d+: (.*)$/.exec(line);
        if (step) {
          const instr = step[1]!;
          if (/^FROM /i.test(instr)) info(`Building stage '${instr.slice(5)}' [idx: '0', base-idx: '-1']`);
          else info(instr);
          if (/^RUN /i.test(instr)) info(`Cmd: /bin/sh\nINFO${stamp(t0)} Args: [-c ${instr.slice(4)}]\nINFO${stamp(t0)} Running: [/bin/sh -c ${instr.slice(4)}]`);
          return;
        }
        if (/^(COMMIT|--> |Getting image source signatures|Copying (blob|config)|Writing manifest|Storing signatures|Successfully tagged|Trying to pull|[0-9a-f]{64}$)/.test(line)) return;
        io.out(1, Buffer.from(`${line}\n`));
      }, children);
      if (cancelled) return 1;
      if (budOut.code !== 0) {
        const why = lastErrorLine(budOut.stderr).replace(/^building at STEP "(.*?)": /, 'error building stage: failed to execute command: ');
        return fail('error building image', why || `buildah bud exited with ${budOut.code}`);
      }
      info('Taking snapshot of full filesystem...');
      if (flags.noPush) { info('Skipping push to container registry due to --no-push flag'); return 0; }
      for (const dest of flags.destinations) {
        const ref = parseImage(dest);
        const [host, port] = ref.registry.split(':') as [string, string | undefined];
        const resolved = isLoopbackRegistry(ref.registry) ? undefined : deps.resolveHost(host, namespace);
        const registry = resolved ? `${resolved}${port ? `:${port}` : ''}` : (deps.onNode?.(ref.registry) ?? ref.registry);
        const insecure = flags.insecure || flags.skipTlsVerify || flags.insecureRegistries.includes(ref.registry) || flags.skipTlsVerifyRegistries.includes(ref.registry) || isLoopbackRegistry(ref.registry);
        const target = `${registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}`;
        if (ref.registry === 'docker.io' || !isReachableRegistry(registry, deps.podSubnet())) {
          return fail('error pushing image', `failed to push to destination ${dest}: Get "https://${ref.registry}/v2/": ${unreachableRegistryMessage(ref.registry)}`);
        }
        info(`Pushing image to ${dest}`);
        const digestFile = join(work, 'digest');
        const push = ['push', '--quiet', `--tls-verify=${insecure ? 'false' : 'true'}`, '--digestfile', digestFile];
        const creds = credsFor(ref.registry);
        if (creds) push.push('--creds', creds);
        push.push(tag, `docker://${target}`);
        const r = await runStreaming(deps.buildah, push, () => {}, children);
        if (cancelled) return 1;
        if (r.code !== 0) return fail('error pushing image', `failed to push to destination ${dest}: ${lastErrorLine(r.stderr)}`);
        const digest = existsSync(digestFile) ? readFileSync(digestFile, 'utf8').trim() : '';
        info(`Pushed ${ref.registry}/${ref.repository}@${digest}`);
        if (flags.digestFile) writeFileSync(o.inContainer(flags.digestFile), digest);
      }
      await deps.buildah.run(['rmi', tag]);
      return 0;
    };

    void run().catch((e) => fail('error building image', (e as Error).message)).then((code) => {
      rmSync(work, { recursive: true, force: true });
      o.exit(code);
    });
    return {
      write: (d) => { stdin.push(d); },
      endInput: () => endStdin(Buffer.concat(stdin)),
      resize: () => {},
      kill: () => { cancelled = true; endStdin(Buffer.alloc(0)); for (const ch of children) ch.kill(); },
    };
  }
}

/** tar -xz into `dir`; resolves with the error text, or '' when it worked. */
function extract(data: Buffer, dir: string): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile('tar', ['-xzf', '-', '-C', dir], (err, _out, stderr) => resolve(err ? (stderr || err.message).trim() : ''));
    child.stdin?.on('error', () => {});
    child.stdin?.end(data);
  });
}

/** cp -a; resolves with the error text, or '' when it worked. */
function copy(from: string, to: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('cp', ['-a', from, to], (err, _out, stderr) => resolve(err ? (stderr || err.message).trim() : ''));
  });
}

/** Runs buildah, handing each complete stdout/stderr line to onLine. */
function runStreaming(b: Buildah, args: string[], onLine: (line: string) => void, children: Array<{ kill(): void }>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = b.spawn(args);
    children.push({ kill: () => child.kill('SIGKILL') });
    let stderr = '';
    const buffers = { out: '', err: '' };
    const feed = (which: 'out' | 'err', d: string) => {
      buffers[which] += d;
      const lines = buffers[which].split('\n');
      buffers[which] = lines.pop()!;
      for (const l of lines) if (!/^Error: /.test(l)) onLine(l);
    };
    child.stdout!.setEncoding('utf8').on('data', (d: string) => feed('out', d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; feed('err', d); });
    child.on('error', (e) => resolve({ code: 127, stderr: e.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}
