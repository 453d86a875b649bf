// `npm run render -- <chartDir> [--values f] [--set a.b=c] [--set-string a=b] [--set-file a=path]
// [--release-name n] [--namespace ns] [--kube-version v] [--api-versions g/v] [--include-crds]
// [--show-notes]`: prints the manifests like `helm template`; errors go to stderr, exit code 1.

import { ChartError } from './errors';
import { renderChart, type RenderOptions } from './render';

const USAGE = 'usage: npm run render -- <chartDir> [--values f] [--set a.b=c] [--set-string a=b] [--set-file a=path] [--release-name n] [--namespace ns] [--kube-version v] [--api-versions g/v] [--include-crds]';

export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const options: RenderOptions = {};
  const release: { name: string; namespace?: string } = { name: 'release-name' };
  let chartDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = () => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new ChartError('SET_INVALID', `flag needs an argument: ${flag}`, { hint: USAGE });
      return v;
    };
    switch (flag) {
      case '-f':
      case '--values': (options.valuesFiles ??= []).push(value()); break;
      case '--set': (options.set ??= []).push(value()); break;
      case '--set-string': (options.setString ??= []).push(value()); break;
      case '--set-file': (options.setFile ??= []).push(value()); break;
      case '--release-name':
      case '--name': release.name = value(); break;
      case '-n':
      case '--namespace': release.namespace = value(); break;
      case '--kube-version': options.kubeVersion = value(); break;
      case '-a':
      case '--api-versions': (options.apiVersions ??= []).push(value()); break;
      case '--include-crds': options.includeCrds = true; break;
      case '-h':
      case '--help': out(USAGE + '\n'); return 0;
      default:
        if (arg.startsWith('-')) {
          err(`Error: unknown flag: ${arg}\n${USAGE}\n`);
          return 1;
        }
        if (chartDir !== undefined) {
          err(`Error: expected one chart directory, got "${chartDir}" and "${arg}"\n`);
          return 1;
        }
        chartDir = arg;
    }
  }
  if (chartDir === undefined) {
    err(`Error: a chart directory is required\n${USAGE}\n`);
    return 1;
  }
  options.release = release;
  const rendered = await renderChart(chartDir, options);
  out(rendered.text);
  return 0;
}

const isMain = process.argv[1] !== undefined && /cli\.[cm]?[tj]s$/.test(process.argv[1]);
if (isMain) {
  main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      if (e instanceof ChartError) {
        process.stderr.write(`Error: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ''}`);
      } else {
        process.stderr.write(`Error: ${(e as Error)?.stack ?? String(e)}\n`);
      }
      process.exitCode = 1;
    },
  );
}
