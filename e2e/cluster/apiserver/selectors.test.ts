// Label and field selector parsing and matching, as the real server's query syntax.

import { describe, expect, it } from 'vitest';
import { fieldSupported, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', 'example.com/team': 'a' };
  const cases: [string, boolean][] = [
    ['app=web', true], ['app==web', true], ['app!=web', false], ['app in (web,api)', true], ['app notin (web)', false],
    ['tier', true], ['!tier', false], ['!missing', true], ['missing!=x', true], ['example.com/team=a,app=web', true], ['app=web,tier=back', false], ['', true],
  ];
  for (const [sel, want] of cases) it(`${JSON.stringify(sel)} → ${want}`, () => expect(matchesLabels(parseLabelSelector(sel), labels)).toBe(want));
  it('rejects malformed selectors with 400', () => {
    expect(() => parseLabelSelector('app in web')).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe('field selectors', () => {
  const pod = { kind: 'Pod', metadata: { name: 'p', namespace: 'dev' }, spec: { nodeName: 'test-node' }, status: { phase: 'Running' } };
  it('matches the fields the real server supports and rejects others', () => {
    expect(matchesFields(parseFieldSelector('spec.nodeName=test-node,status.phase!=Failed', fieldSupported('Pod'), 'Pod'), pod)).toBe(true);
    expect(matchesFields(parseFieldSelector('metadata.name=q', fieldSupported('Pod'), 'Pod'), pod)).toBe(false);
    expect(() => parseFieldSelector('spec.image=x', fieldSupported('Pod'), 'Pod')).toThrow(/field label not supported: spec.image/);
  });
});
