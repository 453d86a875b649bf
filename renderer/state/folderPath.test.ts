import { describe, expect, it } from 'vitest';
import type { DirEntry } from '../../preload/api';
import { baseName, breadcrumbs, resolveTypedPath, sortEntries } from './folderPath';

describe('breadcrumbs', () => {
  it('splits a POSIX path into the root and one crumb per folder', () => {
    expect(breadcrumbs('/home/dev/projects')).toEqual([
      { label: '/', path: '/' },
      { label: 'home', path: '/home' },
      { label: 'dev', path: '/home/dev' },
      { label: 'projects', path: '/home/dev/projects' },
    ]);
  });

  it('is just the root for "/"', () => {
    expect(breadcrumbs('/')).toEqual([{ label: '/', path: '/' }]);
  });

  it('handles Windows drive paths from a Windows host', () => {
    expect(breadcrumbs('C:\\Users\\dev')).toEqual([
      { label: 'C:', path: 'C:\\' },
      { label: 'Users', path: 'C:\\Users' },
      { label: 'dev', path: 'C:\\Users\\dev' },
    ]);
  });

  it('ignores a trailing separator', () => {
    expect(breadcrumbs('/home/dev/').map((c) => c.label)).toEqual(['/', 'home', 'dev']);
    expect(baseName('/home/dev/')).toBe('dev');
  });
});

describe('resolveTypedPath', () => {
  const here = '/home/dev/projects';
  const home = '/home/dev';

  it('takes absolute paths as they are, without a trailing slash', () => {
    expect(resolveTypedPath('/srv/code/', here, home)).toBe('/srv/code');
    expect(resolveTypedPath('/', here, home)).toBe('/');
  });

  it('expands ~ to the home folder', () => {
    expect(resolveTypedPath('~', here, home)).toBe('/home/dev');
    expect(resolveTypedPath('~/projects/my-app', here, home)).toBe('/home/dev/projects/my-app');
  });

  it('takes a relative path from the folder being shown', () => {
    expect(resolveTypedPath('my-app', here, home)).toBe('/home/dev/projects/my-app');
    expect(resolveTypedPath('../other', here, home)).toBe('/home/dev/projects/../other');
  });

  it('strips quotes and whitespace from pasted paths', () => {
    expect(resolveTypedPath('  "/home/dev/my app"  ', here, home)).toBe('/home/dev/my app');
  });

  it('has nothing to navigate to for an empty field', () => {
    expect(resolveTypedPath('   ', here, home)).toBeNull();
  });

  it('joins with the host separator on Windows', () => {
    expect(resolveTypedPath('src/app', 'C:\\code', 'C:\\Users\\dev')).toBe('C:\\code\\src\\app');
    expect(resolveTypedPath('D:\\work\\', 'C:\\code', 'C:\\Users\\dev')).toBe('D:\\work');
  });
});

describe('sortEntries', () => {
  const entry = (name: string, kind: DirEntry['kind']): DirEntry => ({ name, kind, path: `/x/${name}`, hidden: name.startsWith('.') });

  it('lists folders first, then files, in natural case-insensitive order', () => {
    const sorted = sortEntries([entry('b.txt', 'file'), entry('app10', 'dir'), entry('Zeta', 'dir'), entry('app2', 'dir'), entry('a.txt', 'file')]);
    expect(sorted.map((e) => e.name)).toEqual(['app2', 'app10', 'Zeta', 'a.txt', 'b.txt']);
  });
});
