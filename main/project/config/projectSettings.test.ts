import { describe, expect, it } from 'vitest';
import { parseConfigText } from './parseConfig';
import { DEFAULT_SETTINGS, projectSettings } from './projectSettings';

const read = (text: string) => projectSettings(parseConfigText(text, 'config.yaml').config);

describe('projectSettings', () => {
  it('defaults without a config or without the fields', () => {
    expect(projectSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(read('version: v1alpha1\nimages:\n  default:\n    name: app\n')).toEqual(DEFAULT_SETTINGS);
  });

  it('reads the builder, kaniko image, external registry and Tiller engine', () => {
    const text = [
      'version: v1alpha1',
      'devSpace:',
      '  deployments:',
      '  - name: app',
      '    helm:',
      '      chartPath: chart',
      '      engine: tiller',
      'images:',
      '  default:',
      '    name: app',
      '    registry: hub',
      '    build:',
      '      engine: docker',
      '      kaniko:',
      '        image: example.com/kaniko:debug',
      'registries:',
      '  hub:',
      '    url: registry.example.com:5000/team',
      '    insecure: true',
      '',
    ].join('\n');
    expect(read(text)).toEqual({
      builder: 'docker',
      registry: { kind: 'external', url: 'registry.example.com:5000/team', insecure: true },
      deployEngine: 'tiller',
      kanikoImage: 'example.com/kaniko:debug',
    });
  });

  it("reads DevSpace v1alpha1's internal registry (an entry without url) as in-cluster", () => {
    const text = 'version: v1alpha1\nimages:\n  default:\n    name: app\n    registry: internal\nregistries:\n  internal:\n    user:\n      username: u\ninternalRegistry:\n  deploy: true\n';
    expect(read(text).registry).toEqual({ kind: 'in-cluster' });
  });
});
