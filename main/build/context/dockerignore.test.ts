// .dockerignore semantics, case by case. The tables are transcribed from moby/patternmatcher's
// tests (TestMatches, TestMatch from Go's filepath tests, ignorefile's TestReadAll) and the Docker
// docs' examples; the walker cases check what `docker build` actually sends.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../ipc/errors';
import { DockerignoreMatcher, goClean, parseDockerignore } from './dockerignore';
import { listBuildContext, loadIgnoreRules } from './buildContext';

type Want = 'fail' | 'exact' | 'inexact';
// [pattern, path, want]: 'exact' matches the path itself, 'inexact' only through a parent folder.
const single: Array<[string, string, Want]> = [
  ['**', 'file', 'exact'],
  ['**', 'file/', 'exact'],
  ['**/', 'file', 'exact'],
  ['**/', 'file/', 'exact'],
  ['**', '/', 'exact'],
  ['**/', '/', 'exact'],
  ['**', 'dir/file', 'exact'],
  ['**/', 'dir/file', 'exact'],
  ['**', 'dir/file/', 'exact'],
  ['**/', 'dir/file/', 'exact'],
  ['**/**', 'dir/file', 'exact'],
  ['**/**', 'dir/file/', 'exact'],
  ['dir/**', 'dir/file', 'exact'],
  ['dir/**', 'dir/file/', 'exact'],
  ['dir/**', 'dir/dir2/file', 'exact'],
  ['dir/**', 'dir/dir2/file/', 'exact'],
  ['**/dir', 'dir', 'exact'],
  ['**/dir', 'dir/file', 'inexact'],
  ['**/dir2/*', 'dir/dir2/file', 'exact'],
  ['**/dir2/*', 'dir/dir2/file/', 'inexact'],
  ['**/dir2/**', 'dir/dir2/dir3/file', 'exact'],
  ['**/dir2/**', 'dir/dir2/dir3/file/', 'exact'],
  ['**file', 'file', 'exact'],
  ['**file', 'dir/file', 'exact'],
  ['**/file', 'dir/file', 'exact'],
  ['**file', 'dir/dir/file', 'exact'],
  ['**/file', 'dir/dir/file', 'exact'],
  ['**/file*', 'dir/dir/file', 'exact'],
  ['**/file*', 'dir/dir/file.txt', 'exact'],
  ['**/file*txt', 'dir/dir/file.txt', 'exact'],
  ['**/file*.txt', 'dir/dir/file.txt', 'exact'],
  ['**/file*.txt*', 'dir/dir/file.txt', 'exact'],
  ['**/**/*.txt', 'dir/dir/file.txt', 'exact'],
  ['**/**/*.txt2', 'dir/dir/file.txt', 'fail'],
  ['**/*.txt', 'file.txt', 'exact'],
  ['**/**/*.txt', 'file.txt', 'exact'],
  ['a**/*.txt', 'a/file.txt', 'exact'],
  ['a**/*.txt', 'a/dir/file.txt', 'exact'],
  ['a**/*.txt', 'a/dir/dir/file.txt', 'exact'],
  ['a/*.txt', 'a/dir/file.txt', 'fail'],
  ['a/*.txt', 'a/file.txt', 'exact'],
  ['a/*.txt**', 'a/file.txt', 'exact'],
  ['a[b-d]e', 'ae', 'fail'],
  ['a[b-d]e', 'ace', 'exact'],
  ['a[b-d]e', 'aae', 'fail'],
  ['a[^b-d]e', 'aze', 'exact'],
  ['.*', '.foo', 'exact'],
  ['.*', 'foo', 'fail'],
  ['abc.def', 'abcdef', 'fail'],
  ['abc.def', 'abc.def', 'exact'],
  ['abc.def', 'abcZdef', 'fail'],
  ['abc?def', 'abcZdef', 'exact'],
  ['abc?def', 'abcdef', 'fail'],
  ['**/foo/bar', 'foo/bar', 'exact'],
  ['**/foo/bar', 'dir/foo/bar', 'exact'],
  ['**/foo/bar', 'dir/dir2/foo/bar', 'exact'],
  ['abc/**', 'abc', 'fail'],
  ['abc/**', 'abc/def', 'exact'],
  ['abc/**', 'abc/def/ghi', 'exact'],
  ['**/.foo', '.foo', 'exact'],
  ['**/.foo', 'bar.foo', 'fail'],
  ['a(b)c/def', 'a(b)c/def', 'exact'],
  ['a(b)c/def', 'a(b)c/xyz', 'fail'],
  ['a.|)$(}+{bc', 'a.|)$(}+{bc', 'exact'],
  ['dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', 'exact'],
  ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', 'exact'],
  ['a\\\\', 'a\\', 'exact'],
  ['a\\*b', 'a*b', 'exact'],
];

const multi: Array<[string[], string, boolean]> = [
  [['**', '!util/docker/web'], 'util/docker/web/foo', false],
  [['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo', true],
  [['**', '!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', false],
  [['**', '!dist/*.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', false],
  // moby's fileutils tests
  [['*'], 'fileutils.go', true],
  [['*.go'], 'fileutils.go', true],
  [['!fileutils.go', '*.go'], 'fileutils.go', true],
  [['docs', '!docs/README.md'], 'docs/README.md', false],
  [['docs/', '!docs/README.md'], 'docs/README.md', false],
  [['docs/*', '!docs/README.md'], 'docs/README.md', false],
  [['*.go', '!fileutils.go'], 'fileutils.go', false],
  [[], 'any/path/there', false],
  // the Docker docs: last matching line wins
  [['*.md', '!README*.md', 'README-secret.md'], 'README-secret.md', true],
  [['*.md', '!README*.md', 'README-secret.md'], 'README-public.md', false],
  [['*.md', 'README-secret.md', '!README*.md'], 'README-secret.md', false],
  [['*/temp*'], 'somedir/temporary.txt', true],
  [['*/temp*'], 'somedir/temp', true],
  [['*/temp*'], 'temp.txt', false],
  [['*/*/temp*'], 'somedir/subdir/temporary.txt', true],
  [['temp?'], 'tempa', true],
  [['temp?'], 'temp', false],
  [['**/*.go'], 'a/b/c.go', true],
];

// Go's filepath.Match tests as moby runs them through Matches (the deprecated parent check).
const goMatch: Array<[string, string, boolean | 'error']> = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', true],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['a[^a][^a][^a]b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', 'x', true],
  ['[\\-x]', '-', true],
  ['[\\-x]', 'a', false],
  ['[]a]', ']', 'error'],
  ['[-]', '-', 'error'],
  ['[x-]', 'x', 'error'],
  ['[x-]', '-', 'error'],
  ['[x-]', 'z', 'error'],
  ['[-x]', 'x', 'error'],
  ['[-x]', '-', 'error'],
  ['[-x]', 'a', 'error'],
  ['\\', 'a', 'error'],
  ['[a-b-c]', 'a', 'error'],
  ['[', 'a', 'error'],
  ['[^', 'a', 'error'],
  ['[^bc', 'a', 'error'],
  ['a[', 'a', 'error'],
  ['a[', 'ab', 'error'],
  ['*x', 'xxx', true],
];

describe('DockerignoreMatcher (moby patternmatcher tables)', () => {
  it.each(single)('MatchesExact %j against %j', (pattern, file, want) => {
    expect(new DockerignoreMatcher([pattern]).matchesExact(file)).toBe(want === 'exact');
  });
  it.each(single)('MatchesOrParentMatches %j against %j', (pattern, file, want) => {
    expect(new DockerignoreMatcher([pattern]).matchesOrParentMatches(file)).toBe(want !== 'fail');
  });
  it.each(single)('MatchesUsingParentResults walking to %j', (pattern, file, want) => {
    const m = new DockerignoreMatcher([pattern]);
    const dirs = file.split('/').slice(0, -1);
    let info: boolean[] | undefined;
    for (let i = 0; i < dirs.length; i++) info = m.matchesUsingParentResults(dirs.slice(0, i + 1).join('/'), info).info;
    expect(m.matchesUsingParentResults(file, info).matched).toBe(want !== 'fail');
  });
  it.each(multi)('%j against %j', (patterns, file, want) => {
    const m = new DockerignoreMatcher(patterns);
    expect(m.matchesOrParentMatches(file)).toBe(want);
    expect(m.matchesUsingParentResults(file, undefined).matched).toBe(want);
  });
  it.each(goMatch)('filepath.Match %j against %j', (pattern, file, want) => {
    if (want === 'error') {
      expect(() => new DockerignoreMatcher([pattern])).toThrow(/syntax error/);
    } else {
      expect(new DockerignoreMatcher([pattern]).matchesLegacy(file)).toBe(want);
    }
  });
  it('never matches the context root itself', () => {
    expect(new DockerignoreMatcher(['*.go']).matchesLegacy('.')).toBe(false);
    expect(new DockerignoreMatcher(['**']).matchesLegacy('.')).toBe(false);
  });
  it('rejects a lone "!"', () => {
    expect(() => new DockerignoreMatcher(['!'])).toThrow(/illegal exclusion pattern/);
  });
  it('classifies patterns as moby does (exact, prefix, suffix, regexp)', () => {
    const type = (p: string) => new DockerignoreMatcher([p]).patterns[0].matchType;
    expect(type('*')).toBe('regexp');
    expect(type('**')).toBe('suffix');
    expect(type('**/**')).toBe('regexp');
    expect(type('dir/**')).toBe('prefix');
    expect(type('**/dir')).toBe('suffix');
    expect(type('**file')).toBe('suffix');
    expect(type('abc.def')).toBe('exact');
    expect(type('a(b)c/def')).toBe('exact');
    // a suffix test, so unlike a regexp it also matches a longer name
    expect(new DockerignoreMatcher(['**file']).matchesExact('myfile')).toBe(true);
  });
});

describe('parseDockerignore (ignorefile.ReadAll)', () => {
  it('trims, drops comments and blank lines, strips leading slashes, keeps "!"', () => {
    const text = 'test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! ';
    expect(parseDockerignore(text).map((l) => l.pattern)).toEqual(['test1', 'test2', 'a/file/here', 'lastfile', '!inverted/abs/path', '!', '!']);
  });
  it('strips a UTF-8 BOM, CRLF endings, and cleans paths', () => {
    const lines = parseDockerignore('\uFEFFnode_modules\r\n./build/../dist/\r\n  # not a comment\r\nfoo//bar/.\r\n');
    expect(lines.map((l) => l.pattern)).toEqual(['node_modules', 'dist', '# not a comment', 'foo/bar']);
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4]);
  });
  it('goClean matches Go filepath.Clean', () => {
    expect(goClean('')).toBe('.');
    expect(goClean('a/b/../c/./d/')).toBe('a/c/d');
    expect(goClean('../../x')).toBe('../../x');
    expect(goClean('/../x')).toBe('/x');
    expect(goClean('//')).toBe('/');
  });
});

describe('what the build context contains', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const tree = (files: Record<string, string>, ignore?: string) => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ds-ignore-'));
    for (const [rel, content] of Object.entries(files)) {
      const abs = path.join(dir, rel);
      mkdirSync(path.dirname(abs), { recursive: true });
      if (rel.endsWith('/')) mkdirSync(abs, { recursive: true });
      else writeFileSync(abs, content);
    }
    if (ignore !== undefined) writeFileSync(path.join(dir, '.dockerignore'), ignore);
    return dir;
  };
  const paths = async (contextDir: string, dockerfile?: string) =>
    (await listBuildContext({ contextDir, dockerfile })).map((e) => (e.type === 'dir' ? `${e.path}/` : e.path));

  it('sends everything, folders first and names sorted, when there is no .dockerignore', async () => {
    tree({ 'Dockerfile': '', 'b.txt': '', 'a/x': '', 'a-b': '', 'empty/': '' });
    expect(await paths(dir)).toEqual(['Dockerfile', 'a/', 'a/x', 'a-b', 'b.txt', 'empty/']);
  });

  it('excludes a folder with its contents, and re-includes an exception inside it', async () => {
    tree({ 'Dockerfile': '', 'docs/README.md': '', 'docs/guide.md': '', 'docs/img/a.png': '', 'src/main.go': '' }, 'docs\n!docs/README.md\n');
    // the excluded folder itself is not sent, only the re-included file (as moby's archive does)
    expect(await paths(dir)).toEqual(['.dockerignore', 'Dockerfile', 'docs/README.md', 'src/', 'src/main.go']);
  });

  it('does not reopen a folder for a wildcard exception that does not name it', async () => {
    tree({ 'Dockerfile': '', 'docs/README.md': '', 'a.md': '' }, 'docs\n!**/*.md\n');
    expect(await paths(dir)).toEqual(['.dockerignore', 'Dockerfile', 'a.md']);
  });

  it('always sends the Dockerfile and .dockerignore, even when a pattern excludes them', async () => {
    tree({ 'Dockerfile': 'FROM scratch', 'main.go': '', 'other': '' }, '*\n!main.go\n');
    expect(await paths(dir)).toEqual(['.dockerignore', 'Dockerfile', 'main.go']);
  });

  it('keeps a Dockerfile in an excluded folder', async () => {
    tree({ 'build/Dockerfile': '', 'build/secret': '', 'app.js': '' }, 'build\n');
    expect(await paths(dir, 'build/Dockerfile')).toEqual(['.dockerignore', 'app.js', 'build/Dockerfile']);
  });

  it('a later exclusion wins over an earlier exception (last line wins)', async () => {
    tree({ 'Dockerfile': '', 'README-secret.md': '', 'README-public.md': '', 'other.md': '' }, '*.md\n!README*.md\nREADME-secret.md\n');
    expect(await paths(dir)).toEqual(['.dockerignore', 'Dockerfile', 'README-public.md']);
  });

  it('"**" patterns reach any depth; "*" stays within one folder', async () => {
    tree({ 'Dockerfile': '', 'a/b/c/x.log': '', 'x.log': '', 'a/y.tmp': '', 'a/b/y.tmp': '' }, '**/*.log\n*/*.tmp\n');
    expect(await paths(dir)).toEqual(['.dockerignore', 'Dockerfile', 'a/', 'a/b/', 'a/b/c/', 'a/b/y.tmp']);
  });

  it('treats a leading "/" as the context root and ignores comment lines', async () => {
    tree({ 'Dockerfile': '', 'tmp/x': '', 'sub/tmp/y': '', '#keep': '' }, '# comment\n/tmp\n');
    expect(await paths(dir)).toEqual(['#keep', '.dockerignore', 'Dockerfile', 'sub/', 'sub/tmp/', 'sub/tmp/y']);
  });

  it('keeps symlinks as links without following them', async () => {
    tree({ 'Dockerfile': '', 'real/file': 'x' });
    symlinkSync('real', path.join(dir, 'link'));
    symlinkSync('/nonexistent/target', path.join(dir, 'dangling'));
    const entries = await listBuildContext({ contextDir: dir });
    expect(entries.filter((e) => e.type === 'symlink').map((e) => [e.path, e.linkTarget])).toEqual([
      ['dangling', '/nonexistent/target'],
      ['link', 'real'],
    ]);
  });

  it('prefers <Dockerfile>.dockerignore next to the Dockerfile, as BuildKit and Kaniko do', async () => {
    tree({ 'app.Dockerfile': '', 'app.Dockerfile.dockerignore': 'secret\n', 'secret': '', 'notes': '' }, 'notes\n');
    expect(await paths(dir, 'app.Dockerfile')).toEqual(['.dockerignore', 'app.Dockerfile', 'app.Dockerfile.dockerignore', 'notes']);
    expect((await loadIgnoreRules({ contextDir: dir, dockerfile: 'app.Dockerfile' })).source).toBe('app.Dockerfile.dockerignore');
  });

  it('names the file and line of a bad pattern', async () => {
    tree({ 'Dockerfile': '' }, 'ok\n\n[oops\n');
    const err = await listBuildContext({ contextDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CONFIG_INVALID');
    expect((err as AppError).message).toMatch(/\.dockerignore, line 3/);
  });

  it('says which folder it cannot read', async () => {
    tree({ 'Dockerfile': '', 'locked/x': '' });
    chmodSync(dir, 0o755);
    chmodSync(path.join(dir, 'locked'), 0o000);
    try {
      let outcome: { code?: string; message?: string; hint?: string };
      if (process.getuid?.() === 0) {
        // root reads any folder: ask an unprivileged user to walk it (a real EACCES from the kernel)
        const probe = path.join(import.meta.dirname, 'listProbe.ts');
        const tsx = path.join(import.meta.dirname, '../../../node_modules/tsx/dist/loader.mjs');
        const r = spawnSync(process.execPath, ['--import', tsx, probe, dir], { uid: 65534, gid: 65534, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });
        outcome = JSON.parse(r.stdout.trim().split('\n').pop() || '{}');
      } else {
        outcome = await listBuildContext({ contextDir: dir }).then(() => ({}), (e: AppError) => e);
      }
      expect(outcome).toMatchObject({ code: 'PERMISSION_DENIED', message: 'The build context cannot be read: no permission for locked.' });
      expect(outcome.hint).toMatch(/add "locked" to \.dockerignore/);
    } finally {
      chmodSync(path.join(dir, 'locked'), 0o755);
    }
  });
});
