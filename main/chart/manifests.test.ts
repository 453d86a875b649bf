// Document splitting, hook separation and kind order (releaseutil kind_sorter_test.go / manifest_sorter_test.go).
import { describe, expect, it } from 'vitest';
import { ChartError } from './errors';
import { INSTALL_ORDER, sortManifests, splitManifests } from './manifests';

const doc = (kind: string, name: string, extra = '') => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}${extra}`;

describe('splitManifests', () => {
  it('splits on --- lines, trims and drops empty documents', () => {
    expect(splitManifests('\n---\na: 1\n---   \n\nb: 2\n  \n---\n')).toEqual(['a: 1', 'b: 2']);
    // Go's regexp consumes the blank lines after a separator, so a second '---' right after it is
    // not a separator: Helm keeps it in the document (and YAML then reads it as a document start).
    expect(splitManifests('a: 1\n---\n\n---\nb: 2')).toEqual(['a: 1', '---\nb: 2']);
    expect(splitManifests('a: 1')).toEqual(['a: 1']);
  });
});

describe('sortManifests', () => {
  it('orders every known kind by InstallOrder, whatever the file order', () => {
    const files = new Map<string, string>();
    [...INSTALL_ORDER].reverse().forEach((k, i) => files.set(`c/templates/${String(i).padStart(2, '0')}.yaml`, doc(k, k.toLowerCase())));
    const { manifests } = sortManifests(files);
    expect(manifests.map((m) => m.head.kind)).toEqual([...INSTALL_ORDER]);
  });

  it('puts unknown kinds last, alphabetically, and keeps file then in-file order within a kind', () => {
    const files = new Map([
      ['c/templates/b.yaml', [doc('Zeta', 'z1'), doc('Service', 's2'), doc('Alpha', 'a1')].join('\n---\n')],
      ['c/templates/a.yaml', [doc('Service', 's1'), doc('Zeta', 'z0'), doc('Deployment', 'd1')].join('\n---\n')],
      ['c/templates/_helpers.tpl', doc('Service', 'never')],
      ['c/templates/empty.yaml', '\n  \n'],
    ]);
    const { manifests } = sortManifests(files);
    expect(manifests.map((m) => m.head.metadata?.name)).toEqual(['s1', 's2', 'd1', 'a1', 'z0', 'z1']);
    expect(manifests.map((m) => m.name)).toEqual(['c/templates/a.yaml', 'c/templates/b.yaml', 'c/templates/a.yaml', 'c/templates/b.yaml', 'c/templates/a.yaml', 'c/templates/b.yaml']);
  });

  it('sets hooks apart with events, weight and delete policies, dropping unknown hook types', () => {
    const hookAnn = (h: string, w?: string, p?: string) =>
      `\n  annotations:\n    "helm.sh/hook": ${h}${w !== undefined ? `\n    "helm.sh/hook-weight": "${w}"` : ''}${p ? `\n    "helm.sh/hook-delete-policy": ${p}` : ''}`;
    const files = new Map([
      ['c/templates/job.yaml', doc('Job', 'migrate', hookAnn('pre-install,pre-upgrade', '-5', 'before-hook-creation, Hook-Succeeded'))],
      ['c/templates/cm.yaml', doc('ConfigMap', 'cfg', hookAnn('post-install', 'x'))],
      ['c/templates/bad.yaml', doc('Pod', 'bad', hookAnn('pre-lunch'))],
      ['c/templates/test.yaml', doc('Pod', 't', hookAnn('test-success'))],
      ['c/templates/svc.yaml', doc('Service', 'svc', '\n  annotations:\n    other: x')],
    ]);
    const { manifests, hooks } = sortManifests(files);
    expect(manifests.map((m) => m.head.metadata?.name)).toEqual(['svc']);
    expect(hooks.map((h) => [h.name, h.kind, h.events, h.weight, h.deletePolicies])).toEqual([
      ['cfg', 'ConfigMap', ['post-install'], 0, []],
      ['t', 'Pod', ['test'], 0, []],
      ['migrate', 'Job', ['pre-install', 'pre-upgrade'], -5, ['before-hook-creation', 'hook-succeeded']],
    ]);
  });

  it('fails with Helm\'s message on a document that is not YAML', () => {
    const files = new Map([['c/templates/x.yaml', 'a: [\n']]);
    expect(() => sortManifests(files)).toThrow(ChartError);
    expect(() => sortManifests(files)).toThrow(/^YAML parse error on c\/templates\/x.yaml: error converting YAML to JSON: yaml: line/);
  });
});
