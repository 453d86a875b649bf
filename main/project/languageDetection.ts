// Tells what a project is written in, so DevSpace can write a Dockerfile for it: marker files
// first (package.json, go.mod, pom.xml …), then the files' bytes (lockfiles, dependencies,
// shebangs, `listen(3000)`), then the port the app serves on where the code, its config or its
// framework says so. Backend markers win over package.json, because Rails, Laravel and Django
// projects often carry a package.json for their front-end assets.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export type Language = 'node' | 'python' | 'go' | 'java' | 'ruby' | 'php' | 'dotnet' | 'static' | 'unknown';

export interface DetectedProject {
  language: Language;
  /** npm | yarn | pnpm, pip | poetry, maven | gradle, bundler, composer, go, dotnet. */
  packageManager?: string;
  /** e.g. next, express, django, flask, fastapi, spring-boot, rails, sinatra, laravel, aspnet. */
  framework?: string;
  /** The port the app listens on, when known. */
  port?: number;
  /** Where the port came from, in words ("listen(3000) in server.js", "Flask's default"). */
  portSource?: string;
  /** Language-specific facts the Dockerfile template needs (entry file, start script, csproj …). */
  details: Record<string, string>;
  /** Why we decided so, for the preview ("package.json", "yarn.lock"). */
  evidence: string[];
  /** For 'unknown': what we looked for and what to do. */
  message?: string;
}

const MARKERS = 'package.json, requirements.txt, pyproject.toml, go.mod, pom.xml, build.gradle(.kts), Gemfile, composer.json, *.csproj or index.html';

export async function detectLanguage(projectDir: string): Promise<DetectedProject> {
  const names = new Set(await fs.readdir(projectDir).catch(() => [] as string[]));
  const has = (n: string) => names.has(n);
  const read = (rel: string) => fs.readFile(path.join(projectDir, rel), 'utf8').catch(() => undefined);

  let d: DetectedProject | undefined;
  if (has('go.mod')) d = await detectGo(projectDir, read);
  else if (has('pom.xml') || has('build.gradle') || has('build.gradle.kts')) d = await detectJava(has, read);
  else if ([...names].some((n) => n.endsWith('.csproj'))) d = await detectDotnet([...names].filter((n) => n.endsWith('.csproj')).sort(), read);
  else if (has('Gemfile')) d = await detectRuby(has, read);
  else if (has('composer.json')) d = await detectPhp(has, read);
  else if (has('requirements.txt') || has('pyproject.toml') || has('Pipfile')) d = await detectPython(has, read);
  else if (has('package.json')) d = await detectNode(has, read);
  else if (has('index.html')) d = { language: 'static', port: 80, portSource: "nginx's default", details: {}, evidence: ['index.html'] };
  else d = await detectFromSources(projectDir, names, read);

  if (d.language !== 'unknown') {
    const hint = await portHint(has, read);
    if (hint && (!d.port || d.portSource?.includes('default'))) {
      d.port = hint.port;
      d.portSource = hint.source;
    }
  }
  // The project's own Dockerfile is what runs in the cluster: its EXPOSE says the port best.
  const exposed = has('Dockerfile') ? exposedPort((await read('Dockerfile')) ?? '') : undefined;
  if (exposed) {
    d.port = exposed;
    d.portSource = `EXPOSE ${exposed} in the Dockerfile`;
  }
  return d;
}

/** The first port an EXPOSE instruction names (`EXPOSE 8080`, `EXPOSE 8080/tcp 9090`); variables are skipped. */
export function exposedPort(dockerfile: string): number | undefined {
  for (const m of dockerfile.matchAll(/^\s*EXPOSE\s+(.+)$/gim)) {
    for (const word of m[1]!.split(/\s+/)) {
      const p = /^(\d{1,5})(?:\/(?:tcp|udp|sctp))?$/i.exec(word);
      if (p && Number(p[1]) > 0 && Number(p[1]) < 65536) return Number(p[1]);
    }
  }
  return undefined;
}

type Reader = (rel: string) => Promise<string | undefined>;

/** Port hints outside the code: PORT= in .env, a Procfile's --port / -p. */
async function portHint(has: (n: string) => boolean, read: Reader): Promise<{ port: number; source: string } | undefined> {
  if (has('.env')) {
    const m = /^\s*PORT\s*=\s*["']?(\d{2,5})/m.exec((await read('.env')) ?? '');
    if (m) return { port: Number(m[1]), source: 'PORT in .env' };
  }
  if (has('Procfile')) {
    const m = /^web:.*(?:--port[ =]|-p |:)(\d{2,5})\b/m.exec((await read('Procfile')) ?? '');
    if (m) return { port: Number(m[1]), source: 'the web line of Procfile' };
  }
  return undefined;
}

/** A port literal in code: listen(3000), PORT || 8080, port=5000, ":8080". */
export function portInCode(src: string): number | undefined {
  const patterns = [
    /\.listen\(\s*(\d{2,5})\b/,
    /\bPORT\b["'\]]*\s*(?:\|\||\?\?|,|or)\s*["']?(\d{2,5})\b/,
    /\bport\s*[:=]\s*["']?(\d{2,5})\b/i,
    /ListenAndServe(?:TLS)?\(\s*"[^"]*:(\d{2,5})"/,
    /\.(?:Run|Start)\(\s*"[^"]*:(\d{2,5})"/,
  ];
  for (const re of patterns) {
    const m = re.exec(src);
    if (m) {
      const port = Number(m[1]);
      if (port > 0 && port < 65536) return port;
    }
  }
  return undefined;
}

async function detectNode(has: (n: string) => boolean, read: Reader): Promise<DetectedProject> {
  const evidence = ['package.json'];
  let pkg: { scripts?: Record<string, string>; main?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string>; packageManager?: string } = {};
  try {
    pkg = JSON.parse((await read('package.json')) ?? '{}');
  } catch {
    evidence.push('package.json is not valid JSON');
  }
  let packageManager = 'npm';
  const declared = /^(npm|yarn|pnpm)@/.exec(pkg.packageManager ?? '')?.[1];
  if (declared) {
    packageManager = declared;
    evidence.push(`"packageManager": "${pkg.packageManager}"`);
  } else if (has('pnpm-lock.yaml')) {
    packageManager = 'pnpm';
    evidence.push('pnpm-lock.yaml');
  } else if (has('yarn.lock')) {
    packageManager = 'yarn';
    evidence.push('yarn.lock');
  } else if (has('package-lock.json')) evidence.push('package-lock.json');
  const lockfile = packageManager === 'pnpm' ? 'pnpm-lock.yaml' : packageManager === 'yarn' ? 'yarn.lock' : has('package-lock.json') ? 'package-lock.json' : '';
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const framework = ['next', 'nuxt', '@nestjs/core', '@remix-run/serve', 'express', 'fastify', 'koa', '@hapi/hapi'].find((f) => f in deps);
  const details: Record<string, string> = { lockfile };
  const start = pkg.scripts?.start;
  if (start) details.startScript = start;
  if (pkg.scripts?.build) details.buildScript = pkg.scripts.build;
  // The file the app starts from: "node server.js" in the start script, "main", or a usual name.
  const fromScript = start ? /\bnode(?:mon)?\s+(?:--[\w-]+(?:=\S+)?\s+)*([\w./-]+\.[cm]?[jt]s)\b/.exec(start)?.[1] : undefined;
  const candidates = [fromScript, pkg.main, 'server.js', 'index.js', 'app.js', 'src/server.js', 'src/index.js', 'src/main.ts', 'src/index.ts'].filter((x): x is string => !!x);
  let port: number | undefined;
  let portSource: string | undefined;
  for (const c of candidates) {
    const src = await read(c);
    if (src === undefined) continue;
    details.entry ??= c;
    const p = portInCode(src);
    if (p) {
      port = p;
      portSource = `${c}`;
      break;
    }
  }
  if (!port) {
    const defaults: Record<string, number> = { next: 3000, nuxt: 3000, '@nestjs/core': 3000, '@remix-run/serve': 3000, express: 3000, fastify: 3000, koa: 3000, '@hapi/hapi': 3000 };
    if (framework && defaults[framework]) {
      port = defaults[framework];
      portSource = `${framework}'s usual default`;
    }
  }
  return { language: 'node', packageManager, framework: framework?.replace(/^@nestjs\/core$/, 'nestjs'), port, portSource, details, evidence };
}

async function detectPython(has: (n: string) => boolean, read: Reader): Promise<DetectedProject> {
  const evidence: string[] = [];
  const pyproject = has('pyproject.toml') ? ((await read('pyproject.toml')) ?? '') : '';
  const requirements = has('requirements.txt') ? ((await read('requirements.txt')) ?? '') : '';
  let packageManager = 'pip';
  if (has('requirements.txt')) evidence.push('requirements.txt');
  if (pyproject) evidence.push('pyproject.toml');
  if (!has('requirements.txt') && (has('poetry.lock') || /^\[tool\.poetry\]/m.test(pyproject))) {
    packageManager = 'poetry';
    evidence.push(has('poetry.lock') ? 'poetry.lock' : '[tool.poetry]');
  }
  if (!has('requirements.txt') && !pyproject && has('Pipfile')) {
    packageManager = 'pipenv';
    evidence.push('Pipfile');
  }
  const allDeps = `${requirements}\n${pyproject}\n${has('Pipfile') ? ((await read('Pipfile')) ?? '') : ''}`.toLowerCase();
  const dep = (n: string) => new RegExp(`(^|[\\s"'\\[,])${n}([\\s"'<>=~!\\[;,]|$)`, 'm').test(allDeps);
  const details: Record<string, string> = {};
  let framework: string | undefined;
  let port: number | undefined;
  let portSource: string | undefined;
  if (has('manage.py') || dep('django')) {
    framework = 'django';
    port = 8000;
    portSource = "Django's default";
  } else if (dep('fastapi')) {
    framework = 'fastapi';
    port = 8000;
    portSource = "uvicorn's default";
  } else if (dep('flask')) {
    framework = 'flask';
    port = 5000;
    portSource = "Flask's default";
  }
  for (const c of ['app.py', 'main.py', 'server.py', 'wsgi.py', 'src/main.py', 'app/main.py']) {
    const src = await read(c);
    if (src === undefined) continue;
    details.entry ??= c;
    if (framework === 'fastapi' && /FastAPI\(/.test(src)) details.asgiApp ??= `${c.replace(/\.py$/, '').replace(/\//g, '.')}:${/(\w+)\s*=\s*FastAPI\(/.exec(src)?.[1] ?? 'app'}`;
    const p = portInCode(src);
    if (p) {
      port = p;
      portSource = c;
      break;
    }
  }
  return { language: 'python', packageManager, framework, port, portSource, details, evidence };
}

async function detectGo(projectDir: string, read: Reader): Promise<DetectedProject> {
  const gomod = (await read('go.mod')) ?? '';
  const details: Record<string, string> = { module: /^module\s+(\S+)/m.exec(gomod)?.[1] ?? 'app', mainPackage: '.' };
  let mainSrc = await read('main.go');
  if (mainSrc === undefined || !/^package main\b/m.test(mainSrc)) {
    const cmds = await fs.readdir(path.join(projectDir, 'cmd')).catch(() => [] as string[]);
    for (const c of cmds.sort()) {
      const src = await read(`cmd/${c}/main.go`);
      if (src !== undefined) {
        details.mainPackage = `./cmd/${c}`;
        mainSrc = src;
        break;
      }
    }
  }
  const port = mainSrc ? portInCode(mainSrc) : undefined;
  const framework = /github\.com\/gin-gonic\/gin/.test(gomod) ? 'gin' : /github\.com\/labstack\/echo/.test(gomod) ? 'echo' : /github\.com\/gofiber\/fiber/.test(gomod) ? 'fiber' : undefined;
  return {
    language: 'go',
    packageManager: 'go',
    framework,
    port: port ?? 8080,
    portSource: port ? `${details.mainPackage === '.' ? 'main.go' : `${details.mainPackage}/main.go`}` : 'the usual default for Go services',
    details,
    evidence: ['go.mod'],
  };
}

async function detectJava(has: (n: string) => boolean, read: Reader): Promise<DetectedProject> {
  const maven = has('pom.xml');
  const build = maven ? ((await read('pom.xml')) ?? '') : ((await read(has('build.gradle') ? 'build.gradle' : 'build.gradle.kts')) ?? '');
  const spring = /spring-boot/.test(build);
  const details: Record<string, string> = { wrapper: maven ? (has('mvnw') ? 'mvnw' : '') : has('gradlew') ? 'gradlew' : '' };
  let port: number | undefined;
  let portSource: string | undefined;
  const props = await read('src/main/resources/application.properties');
  const yml = (await read('src/main/resources/application.yml')) ?? (await read('src/main/resources/application.yaml'));
  const fromProps = props ? /^\s*server\.port\s*[=:]\s*(\d{2,5})/m.exec(props) : null;
  const fromYml = yml ? /^server:\s*\n(?:\s+.*\n)*?\s+port:\s*(\d{2,5})/m.exec(yml) : null;
  if (fromProps || fromYml) {
    port = Number((fromProps ?? fromYml)![1]);
    portSource = fromProps ? 'server.port in application.properties' : 'server.port in application.yml';
  } else if (spring) {
    port = 8080;
    portSource = "Spring Boot's default";
  }
  return {
    language: 'java',
    packageManager: maven ? 'maven' : 'gradle',
    framework: spring ? 'spring-boot' : undefined,
    port,
    portSource,
    details,
    evidence: [maven ? 'pom.xml' : has('build.gradle') ? 'build.gradle' : 'build.gradle.kts'],
  };
}

async function detectDotnet(csprojs: string[], read: Reader): Promise<DetectedProject> {
  const csproj = csprojs[0];
  const xml = (await read(csproj)) ?? '';
  const assembly = /<AssemblyName>([^<]+)<\/AssemblyName>/.exec(xml)?.[1] ?? csproj.replace(/\.csproj$/, '');
  const web = /Sdk="Microsoft\.NET\.Sdk\.Web"/.test(xml);
  return {
    language: 'dotnet',
    packageManager: 'dotnet',
    framework: web ? 'aspnet' : undefined,
    port: web ? 8080 : undefined,
    portSource: web ? "ASP.NET Core's container default (ASPNETCORE_HTTP_PORTS)" : undefined,
    details: { csproj, assembly },
    evidence: [csproj],
  };
}

async function detectRuby(has: (n: string) => boolean, read: Reader): Promise<DetectedProject> {
  const gemfile = (await read('Gemfile')) ?? '';
  const gem = (n: string) => new RegExp(`^\\s*gem\\s+["']${n}["']`, 'm').test(gemfile);
  const details: Record<string, string> = {};
  let framework: string | undefined;
  let port: number | undefined;
  let portSource: string | undefined;
  if (gem('rails') || has('bin') && (await read('bin/rails')) !== undefined) {
    framework = 'rails';
    port = 3000;
    portSource = "Rails' default";
  } else if (gem('sinatra')) {
    framework = 'sinatra';
    port = 4567;
    portSource = "Sinatra's default";
    details.entry = ['app.rb', 'server.rb', 'main.rb'].find((f) => has(f)) ?? 'app.rb';
  } else if (has('config.ru')) {
    framework = 'rack';
    port = 9292;
    portSource = "rackup's default";
  }
  if (details.entry) {
    const p = portInCode((await read(details.entry)) ?? '');
    if (p) {
      port = p;
      portSource = details.entry;
    }
  }
  return { language: 'ruby', packageManager: 'bundler', framework, port, portSource, details, evidence: ['Gemfile'] };
}

async function detectPhp(has: (n: string) => boolean, read: Reader): Promise<DetectedProject> {
  const composer = (await read('composer.json')) ?? '';
  const laravel = /"laravel\/framework"/.test(composer) || has('artisan');
  return {
    language: 'php',
    packageManager: 'composer',
    framework: laravel ? 'laravel' : undefined,
    port: 80,
    portSource: "Apache's default",
    details: { documentRoot: laravel || has('public') ? 'public' : '' },
    evidence: ['composer.json'],
  };
}

/** No marker file: look at the sources themselves (extensions and shebang lines). */
async function detectFromSources(projectDir: string, names: Set<string>, read: Reader): Promise<DetectedProject> {
  const counts: Record<string, number> = {};
  const byExt: Record<string, Language> = { '.py': 'python', '.js': 'node', '.mjs': 'node', '.go': 'go', '.rb': 'ruby', '.php': 'php' };
  for (const n of names) {
    let lang = byExt[path.extname(n)];
    if (!lang && !path.extname(n)) {
      const head = (await read(n))?.slice(0, 100) ?? '';
      if (/^#!.*\bpython/.test(head)) lang = 'python';
      else if (/^#!.*\bnode\b/.test(head)) lang = 'node';
      else if (/^#!.*\bruby\b/.test(head)) lang = 'ruby';
    }
    if (lang) counts[lang] = (counts[lang] ?? 0) + 1;
  }
  const best = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  const dir = path.basename(projectDir);
  // A plain script project (app.py, server.js …) can still run without a manifest.
  const entries: Partial<Record<string, string[]>> = { python: ['app.py', 'main.py', 'server.py'], node: ['server.js', 'index.js', 'app.js', 'main.js'] };
  const entry = best && entries[best[0]]?.find((f) => names.has(f));
  if (best && entry) {
    const src = (await read(entry)) ?? '';
    const port = portInCode(src);
    return {
      language: best[0] as Language,
      packageManager: 'none',
      port,
      portSource: port ? entry : undefined,
      details: { entry },
      evidence: [`${entry} (no dependency manifest)`],
    };
  }
  if (best) {
    return {
      language: 'unknown',
      details: {},
      evidence: [`${best[1]} ${best[0]} source file(s)`],
      message: `${dir} looks like a ${best[0]} project, but it has none of the files DevSpace needs to know how to build it (${MARKERS}).`,
    };
  }
  return { language: 'unknown', details: {}, evidence: [], message: `DevSpace could not tell what ${dir} is written in: it has none of ${MARKERS}.` };
}
