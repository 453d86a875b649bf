// Language, package manager, framework and port detection on fixture projects the tests write.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectLanguage, portInCode } from './languageDetection';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
function fixture(files: Record<string, string>): string {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ds-detect-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}
const pkg = (o: object) => JSON.stringify(o);

describe('detectLanguage: node', () => {
  it('npm with a start script naming the server file, and the port from listen()', async () => {
    const d = await detectLanguage(fixture({
      'package.json': pkg({ scripts: { start: 'node server.js' }, dependencies: { express: '^4' } }),
      'package-lock.json': '{}',
      'server.js': "const app = require('express')();\napp.listen(4321, () => console.log('up'));\n",
    }));
    expect(d).toMatchObject({ language: 'node', packageManager: 'npm', framework: 'express', port: 4321, portSource: 'server.js' });
    expect(d.details).toMatchObject({ startScript: 'node server.js', entry: 'server.js', lockfile: 'package-lock.json' });
  });
  it('yarn and pnpm by their lockfiles, or the packageManager field', async () => {
    expect((await detectLanguage(fixture({ 'package.json': '{}', 'yarn.lock': '' }))).packageManager).toBe('yarn');
    rmSync(dir, { recursive: true });
    expect((await detectLanguage(fixture({ 'package.json': '{}', 'pnpm-lock.yaml': '' }))).packageManager).toBe('pnpm');
    rmSync(dir, { recursive: true });
    expect((await detectLanguage(fixture({ 'package.json': pkg({ packageManager: 'pnpm@9.12.0' }), 'package-lock.json': '' }))).packageManager).toBe('pnpm');
  });
  it('PORT fallbacks in code, and framework defaults when the code does not say', async () => {
    expect((await detectLanguage(fixture({ 'package.json': pkg({ main: 'src/index.js' }), 'src/index.js': 'const port = process.env.PORT || 8081;\nserver.listen(port);\n' }))).port).toBe(8081);
    rmSync(dir, { recursive: true });
    const next = await detectLanguage(fixture({ 'package.json': pkg({ scripts: { build: 'next build', start: 'next start' }, dependencies: { next: '15' } }) }));
    expect(next).toMatchObject({ framework: 'next', port: 3000, portSource: "next's usual default" });
    expect(next.details.buildScript).toBe('next build');
  });
  it('PORT in .env beats a framework default', async () => {
    const d = await detectLanguage(fixture({ 'package.json': pkg({ dependencies: { next: '15' } }), '.env': 'NODE_ENV=dev\nPORT=4000\n' }));
    expect(d).toMatchObject({ port: 4000, portSource: 'PORT in .env' });
  });
});

describe('detectLanguage: other languages', () => {
  it('python: requirements.txt with Flask, port from app.run', async () => {
    const d = await detectLanguage(fixture({ 'requirements.txt': 'Flask==3.0.0\ngunicorn\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\napp.run(host="0.0.0.0", port=5050)\n' }));
    expect(d).toMatchObject({ language: 'python', packageManager: 'pip', framework: 'flask', port: 5050 });
  });
  it('python: poetry with FastAPI, default port 8000 and the ASGI app found', async () => {
    const d = await detectLanguage(fixture({ 'pyproject.toml': '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\nfastapi = "^0.115"\n', 'poetry.lock': '', 'main.py': 'from fastapi import FastAPI\napi = FastAPI()\n' }));
    expect(d).toMatchObject({ language: 'python', packageManager: 'poetry', framework: 'fastapi', port: 8000 });
    expect(d.details.asgiApp).toBe('main:api');
  });
  it('python: Django by manage.py', async () => {
    expect(await detectLanguage(fixture({ 'requirements.txt': 'django\n', 'manage.py': '' }))).toMatchObject({ framework: 'django', port: 8000 });
  });
  it('go: port from ListenAndServe, main package under cmd/', async () => {
    const d = await detectLanguage(fixture({ 'go.mod': 'module example.com/svc\n\ngo 1.24\n', 'cmd/svc/main.go': 'package main\nfunc main() { http.ListenAndServe(":9090", nil) }\n' }));
    expect(d).toMatchObject({ language: 'go', port: 9090 });
    expect(d.details.mainPackage).toBe('./cmd/svc');
  });
  it('java: maven Spring Boot with server.port, gradle without', async () => {
    const m = await detectLanguage(fixture({ 'pom.xml': '<project><parent><artifactId>spring-boot-starter-parent</artifactId></parent></project>', 'mvnw': '', 'src/main/resources/application.properties': 'server.port=8181\n' }));
    expect(m).toMatchObject({ language: 'java', packageManager: 'maven', framework: 'spring-boot', port: 8181 });
    expect(m.details.wrapper).toBe('mvnw');
    rmSync(dir, { recursive: true });
    expect(await detectLanguage(fixture({ 'build.gradle.kts': 'plugins { java }' }))).toMatchObject({ language: 'java', packageManager: 'gradle', port: undefined });
  });
  it('ruby: Rails and Sinatra defaults', async () => {
    expect(await detectLanguage(fixture({ 'Gemfile': "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\n", 'package.json': '{}' }))).toMatchObject({ language: 'ruby', framework: 'rails', port: 3000 });
    rmSync(dir, { recursive: true });
    expect(await detectLanguage(fixture({ 'Gemfile': "gem 'sinatra'\n", 'app.rb': "require 'sinatra'\n" }))).toMatchObject({ framework: 'sinatra', port: 4567 });
  });
  it('php: composer.json, Laravel serves from public/', async () => {
    const d = await detectLanguage(fixture({ 'composer.json': pkg({ require: { 'laravel/framework': '^11.0' } }), 'artisan': '', 'package.json': '{}' }));
    expect(d).toMatchObject({ language: 'php', framework: 'laravel', port: 80 });
    expect(d.details.documentRoot).toBe('public');
  });
  it('dotnet: the csproj and its assembly name', async () => {
    const d = await detectLanguage(fixture({ 'Shop.Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>' }));
    expect(d).toMatchObject({ language: 'dotnet', framework: 'aspnet', port: 8080 });
    expect(d.details).toMatchObject({ csproj: 'Shop.Api.csproj', assembly: 'Shop.Api' });
  });
  it('static site when there is only an index.html', async () => {
    expect(await detectLanguage(fixture({ 'index.html': '<h1>hi</h1>', 'style.css': '' }))).toMatchObject({ language: 'static', port: 80 });
  });
  it("a project's own Dockerfile: its EXPOSE names the port, over defaults and code", async () => {
    expect(await detectLanguage(fixture({ Dockerfile: 'FROM busybox\nexpose $PORT 8081/tcp 9090\nCMD ["httpd"]\n', 'index.html': '<h1>hi</h1>' })))
      .toMatchObject({ language: 'static', port: 8081, portSource: 'EXPOSE 8081 in the Dockerfile' });
    rmSync(dir, { recursive: true });
    expect(await detectLanguage(fixture({ Dockerfile: 'FROM busybox\nEXPOSE 7000\n' }))).toMatchObject({ language: 'unknown', port: 7000 });
    rmSync(dir, { recursive: true });
    expect((await detectLanguage(fixture({ Dockerfile: 'FROM busybox\n# EXPOSE 7000\n', 'index.html': '' }))).port).toBe(80);
  });
  it('a script project without a manifest, by its bytes (shebang)', async () => {
    const d = await detectLanguage(fixture({ 'app.py': 'print(1)\n', 'tool': '#!/usr/bin/env python3\nprint(2)\n' }));
    expect(d).toMatchObject({ language: 'python', packageManager: 'none', details: { entry: 'app.py' } });
  });
  it('unknown, with a message that says what was looked for', async () => {
    const d = await detectLanguage(fixture({ 'notes.txt': 'hello', 'data.csv': '1,2' }));
    expect(d.language).toBe('unknown');
    expect(d.message).toMatch(/could not tell what .* is written in: it has none of package\.json, requirements\.txt/);
    rmSync(dir, { recursive: true });
    const rb = await detectLanguage(fixture({ 'lib.rb': '', 'other.rb': '' }));
    expect(rb).toMatchObject({ language: 'unknown', message: expect.stringMatching(/looks like a ruby project, but/) });
  });
});

describe('portInCode', () => {
  it.each([
    ['app.listen(3000)', 3000],
    ['const PORT = process.env.PORT ?? 8080', 8080],
    ['port = int(os.environ.get("PORT", 5001))', 5001],
    ['uvicorn.run(app, host="0.0.0.0", port=8002)', 8002],
    ['log.Fatal(http.ListenAndServe("0.0.0.0:7070", mux))', 7070],
    ['r.Run(":8088")', 8088],
    ['console.log("no port here")', undefined],
  ])('%s → %s', (src, port) => {
    expect(portInCode(src)).toBe(port);
  });
});
