// Reading docker's config.json and calling a real credential helper executable (a tiny shell
// script this test writes), the way docker/cli does.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialStore, fileKeySecretBox } from './credentials';
import { credentialsFor, dockerConfigPath, dockerCredentials } from './dockerConfig';

let home: string;
let bin: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'docker-config-test-'));
  bin = join(home, 'bin');
  mkdirSync(bin);
  mkdirSync(join(home, '.docker'));
  env = { PATH: `${bin}:/usr/bin:/bin` };
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');
function writeConfig(doc: unknown) {
  writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify(doc));
}

/** docker-credential-<name>: logs what it got on stdin, answers from a table like a keychain would. */
function writeHelper(name: string, table: Record<string, { Username: string; Secret: string }>) {
  const cases = Object.entries(table)
    .map(([server, c]) => `  '${server}') printf '%s' '${JSON.stringify({ ServerURL: server, ...c })}' ;;`)
    .join('\n');
  const script = `#!/bin/sh
[ "$1" = get ] || { echo "unsupported $1" >&2; exit 2; }
read -r server || true
printf '%s\\n' "$server" >> "${join(home, `${name}.log`)}"
case "$server" in
${cases}
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`;
  writeFileSync(join(bin, `docker-credential-${name}`), script);
  chmodSync(join(bin, `docker-credential-${name}`), 0o755);
}

describe('dockerCredentials', () => {
  it('decodes base64 auth, username/password and identity tokens from auths', async () => {
    writeConfig({
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pass') },
        'ghcr.io': { username: 'octocat', password: 'ghp_x' },
        'https://registry.example.com/v2/': { auth: b64('<token>:'), identitytoken: 'refresh-me' },
      },
    });
    expect(await dockerCredentials('docker.io', { homeDir: home, env })).toEqual({ username: 'hubuser', password: 'hub:pass' });
    expect(await dockerCredentials('index.docker.io', { homeDir: home, env })).toEqual({ username: 'hubuser', password: 'hub:pass' });
    expect(await dockerCredentials('ghcr.io', { homeDir: home, env })).toEqual({ username: 'octocat', password: 'ghp_x' });
    expect(await dockerCredentials('registry.example.com', { homeDir: home, env })).toEqual({ username: '<token>', password: '', identityToken: 'refresh-me' });
    expect(await dockerCredentials('quay.io', { homeDir: home, env })).toBeUndefined();
  });

  it('asks credHelpers for their host and credsStore for the rest, with the server address on stdin', async () => {
    writeHelper('gcr', { 'gcr.io': { Username: 'oauth2accesstoken', Secret: 'ya29.token' } });
    writeHelper('desktop', { 'https://index.docker.io/v1/': { Username: 'hubuser', Secret: 'from-keychain' }, 'id.example.com': { Username: '<token>', Secret: 'refresh' } });
    writeConfig({ credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcr' }, auths: { 'ghcr.io': { auth: b64('octocat:fallback') } } });
    expect(await dockerCredentials('gcr.io', { homeDir: home, env })).toEqual({ username: 'oauth2accesstoken', password: 'ya29.token' });
    expect(await dockerCredentials('docker.io', { homeDir: home, env })).toEqual({ username: 'hubuser', password: 'from-keychain' });
    expect(await dockerCredentials('id.example.com', { homeDir: home, env })).toEqual({ identityToken: 'refresh' });
    // The store does not know ghcr.io: fall back to the auths entry.
    expect(await dockerCredentials('ghcr.io', { homeDir: home, env })).toEqual({ username: 'octocat', password: 'fallback' });
    expect(readFileSync(join(home, 'gcr.log'), 'utf8')).toBe('gcr.io\n');
    expect(readFileSync(join(home, 'desktop.log'), 'utf8').split('\n')).toEqual(['https://index.docker.io/v1/', 'id.example.com', 'ghcr.io', '']);
  });

  it('names a missing or failing helper and the config that names it', async () => {
    writeConfig({ credsStore: 'nothere' });
    await expect(dockerCredentials('ghcr.io', { homeDir: home, env })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringContaining('"docker-credential-nothere"'),
      hint: expect.stringContaining('Install docker-credential-nothere'),
    });
    writeFileSync(join(bin, 'docker-credential-broken'), '#!/bin/sh\necho "keychain is locked" >&2\nexit 3\n');
    chmodSync(join(bin, 'docker-credential-broken'), 0o755);
    writeConfig({ credsStore: 'broken' });
    await expect(dockerCredentials('ghcr.io', { homeDir: home, env })).rejects.toMatchObject({ message: expect.stringContaining('keychain is locked') });
  });

  it('refuses a helper name that is a path', async () => {
    writeConfig({ credsStore: '../../tmp/evil' });
    await expect(dockerCredentials('ghcr.io', { homeDir: home, env })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('not a credential helper name') });
  });

  it('reads $DOCKER_CONFIG, treats a missing file as "no credentials", and names a broken file', async () => {
    expect(dockerConfigPath(home, { DOCKER_CONFIG: '/etc/dc' })).toBe('/etc/dc/config.json');
    expect(await dockerCredentials('ghcr.io', { homeDir: home, env })).toBeUndefined();
    writeFileSync(join(home, '.docker', 'config.json'), '{ "auths": ');
    await expect(dockerCredentials('ghcr.io', { homeDir: home, env })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining(join(home, '.docker', 'config.json')) });
  });
});

describe('credentialsFor', () => {
  it('prefers what the user saved in the app over docker config', async () => {
    writeConfig({ auths: { 'ghcr.io': { auth: b64('docker-user:docker-pass') }, 'quay.io': { auth: b64('q:p') } } });
    const store = new CredentialStore(join(home, 'data'), fileKeySecretBox(join(home, 'data')));
    await store.set('ghcr.io', { username: 'app-user', password: 'app-pass' });
    expect(await credentialsFor('ghcr.io', { store, docker: { homeDir: home, env } })).toEqual({ username: 'app-user', password: 'app-pass' });
    expect(await credentialsFor('quay.io', { store, docker: { homeDir: home, env } })).toEqual({ username: 'q', password: 'p' });
    expect(await credentialsFor('quay.io', { store })).toBeUndefined();
  });
});
