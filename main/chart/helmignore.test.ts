// .helmignore rules as Helm's pkg/ignore applies them.
import { describe, expect, it } from 'vitest';
import { ChartError } from './errors';
import { HelmIgnore } from './helmignore';

describe('.helmignore', () => {
  const rules = HelmIgnore.parse(['# comment', '', '*.swp', '.git/', '/secret.txt', 'docs/*.md', 'tmp?', '[Bb]ackup'].join('\n'));

  it('matches patterns without a slash against the base name anywhere', () => {
    expect(rules.ignores('x.swp', false)).toBe(true);
    expect(rules.ignores('templates/deep/x.swp', false)).toBe(true);
    expect(rules.ignores('tmp1', false)).toBe(true);
    expect(rules.ignores('sub/Backup', false)).toBe(true);
    expect(rules.ignores('x.swpx', false)).toBe(false);
  });

  it('applies a trailing slash to directories only', () => {
    expect(rules.ignores('.git', true)).toBe(true);
    expect(rules.ignores('.git', false)).toBe(false);
  });

  it('anchors a leading slash at the chart root and matches paths with a slash structurally', () => {
    expect(rules.ignores('secret.txt', false)).toBe(true);
    expect(rules.ignores('templates/secret.txt', false)).toBe(false);
    expect(rules.ignores('docs/a.md', false)).toBe(true);
    expect(rules.ignores('docs/sub/a.md', false)).toBe(false);
  });

  it('always ignores hidden files in templates/', () => {
    const d = HelmIgnore.defaults();
    expect(d.ignores('templates/.hidden.yaml', false)).toBe(true);
    expect(d.ignores('templates/visible.yaml', false)).toBe(false);
    expect(d.ignores('.', true)).toBe(false);
  });

  it('keeps Helm\'s negation semantics: a negated rule ignores what it does not match', () => {
    const neg = HelmIgnore.parse('!keep.txt');
    expect(neg.ignores('keep.txt', false)).toBe(false);
    expect(neg.ignores('other.txt', false)).toBe(true);
  });

  it('refuses double-star patterns', () => {
    expect(() => HelmIgnore.parse('**/x')).toThrow(ChartError);
  });
});
