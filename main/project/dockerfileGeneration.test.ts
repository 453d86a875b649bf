// Generated Dockerfiles: the right base images and commands per language, a preview that writes
// nothing, and a write step that never replaces the user's files.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE_IMAGES } from './dockerfileTemplates';
import { previewGeneratedFiles, writeGeneratedDockerfile, writeGeneratedFile } from './dockerfileGeneration';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
function fixture(files: Record<string, string>): string {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ds-gen-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}
const dockerfileOf = async (files: Record<string, string>) => (await previewGeneratedFiles(fixture(files))).files[0].content;

describe('generated Dockerfiles', () => {
  it('node/yarn: lockfile first, frozen install, build script, start script, port', async () => {
    const df = await dockerfileOf({
      'package.json': JSON.stringify({ scripts: { build: 'tsc', start: 'node dist/server.js' } }),
      'yarn.lock': '',
      'src/server.ts': 'app.listen(3300)',
      'dist/server.js': 'app.listen(3300)',
    });
    expect(df).toContain(`FROM ${BASE_IMAGES.node}`);
    expect(df).toMatch(/COPY package\.json yarn\.lock \.\/\nRUN yarn install --frozen-lockfile\nCOPY \. \.\nRUN yarn build\n/);
    expect(df).toContain('EXPOSE 3300');
    expect(df).toContain('CMD ["yarn", "start"]');
  });
  it('node/npm without a start script runs the entry file', async () => {
    const df = await dockerfileOf({ 'package.json': '{}', 'package-lock.json': '{}', 'index.js': 'require("http").createServer().listen(8000)' });
    expect(df).toContain('RUN npm ci');
    expect(df).toContain('CMD ["node", "index.js"]');
  });
  it('python/fastapi runs uvicorn on all interfaces', async () => {
    const df = await dockerfileOf({ 'requirements.txt': 'fastapi\nuvicorn\n', 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' });
    expect(df).toContain(`FROM ${BASE_IMAGES.python}`);
    expect(df).toContain('RUN pip install --no-cache-dir -r requirements.txt');
    expect(df).toContain('CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]');
  });
  it('go builds a static binary in golang and runs it on distroless', async () => {
    const df = await dockerfileOf({ 'go.mod': 'module x\n', 'main.go': 'package main\nfunc main(){ http.ListenAndServe(":8080", nil) }' });
    expect(df).toContain(`FROM ${BASE_IMAGES.goBuild} AS build`);
    expect(df).toContain('RUN CGO_ENABLED=0 go build');
    expect(df).toContain(`FROM ${BASE_IMAGES.goRun}`);
    expect(df).toContain('ENTRYPOINT ["/app"]');
  });
  it('java/maven without a wrapper builds in the maven image and runs on the JRE', async () => {
    const df = await dockerfileOf({ 'pom.xml': '<project>spring-boot</project>' });
    expect(df).toContain(`FROM ${BASE_IMAGES.maven} AS build`);
    expect(df).toContain('RUN mvn -B -DskipTests package');
    expect(df).toContain(`FROM ${BASE_IMAGES.javaJre}`);
    expect(df).toContain('EXPOSE 8080');
  });
  it('ruby/rails, php/laravel, dotnet and static sites use their images', async () => {
    expect(await dockerfileOf({ 'Gemfile': "gem 'rails'\n" })).toMatch(new RegExp(`FROM ${BASE_IMAGES.ruby}[\\s\\S]*"rails", "server", "-b", "0.0.0.0", "-p", "3000"`));
    rmSync(dir, { recursive: true });
    const php = await dockerfileOf({ 'composer.json': '{"require":{"laravel/framework":"^11"}}' });
    expect(php).toContain(`FROM ${BASE_IMAGES.php}`);
    expect(php).toContain('APACHE_DOCUMENT_ROOT=/var/www/html/public');
    rmSync(dir, { recursive: true });
    const net = await dockerfileOf({ 'Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>' });
    expect(net).toContain(`FROM ${BASE_IMAGES.dotnetSdk} AS build`);
    expect(net).toContain('ENTRYPOINT ["dotnet", "Api.dll"]');
    rmSync(dir, { recursive: true });
    expect(await dockerfileOf({ 'index.html': '' })).toContain(`FROM ${BASE_IMAGES.static}\nCOPY . /usr/share/nginx/html`);
  });
  it('the .dockerignore leaves out dependencies and local state', async () => {
    const preview = await previewGeneratedFiles(fixture({ 'package.json': '{}' }));
    expect(preview.files[1].relPath).toBe('.dockerignore');
    expect(preview.files[1].content.split('\n')).toEqual(expect.arrayContaining(['node_modules', '.git', '.devspace']));
  });
});

describe('preview and write', () => {
  it('previews without writing, then writes both files', async () => {
    fixture({ 'requirements.txt': 'flask\n', 'app.py': '' });
    const preview = await previewGeneratedFiles(dir);
    expect(preview.summary).toMatch(/will write a Dockerfile for a python flask with pip project, port 5000/);
    expect(existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
    const result = await writeGeneratedDockerfile(dir);
    expect(result.written).toEqual(['Dockerfile', '.dockerignore']);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(preview.files[0].content);
  });
  it('never overwrites a Dockerfile, and keeps an existing .dockerignore', async () => {
    fixture({ 'package.json': '{}', 'Dockerfile': 'FROM mine\n', '.dockerignore': 'mine\n' });
    const preview = await previewGeneratedFiles(dir);
    expect(preview.files.map((f) => f.exists)).toEqual([true, true]);
    expect(preview.summary).toMatch(/already has a Dockerfile/);
    await expect(writeGeneratedDockerfile(dir)).rejects.toMatchObject({ message: expect.stringMatching(/already exists, and DevSpace never overwrites/) });
    await expect(writeGeneratedFile(preview.files[0])).rejects.toThrow(/already exists/);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe('FROM mine\n');

    rmSync(path.join(dir, 'Dockerfile'));
    const result = await writeGeneratedDockerfile(dir);
    expect(result).toMatchObject({ written: ['Dockerfile'], kept: ['.dockerignore'] });
    expect(readFileSync(path.join(dir, '.dockerignore'), 'utf8')).toBe('mine\n');
  });
  it('explains an unknown project instead of writing', async () => {
    fixture({ 'README.md': '# hi' });
    const preview = await previewGeneratedFiles(dir);
    expect(preview.files).toEqual([]);
    expect(preview.summary).toMatch(/could not tell what/);
    await expect(writeGeneratedDockerfile(dir)).rejects.toMatchObject({ hint: expect.stringMatching(/Add a Dockerfile/) });
  });
});
