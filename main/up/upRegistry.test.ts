// The external registry check of Up against real registries: Debian's docker-registry with
// htpasswd (logins from the app's store, from ~/.docker/config.json, none, wrong), a plain-HTTP
// server on a non-loopback address (HTTPS expected → the insecure hint; insecure → accepted) and a
// closed port (unreachable).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore, fileKeySecretBox } from '../registry/credentials';
import { freePort, registryUnavailable, startTestRegistry, type TestRegistry } from '../registry/testSupport/testRegistry';
import { checkExternalRegistry } from './upRegistry';

const noRegistry = registryUnavailable();
if (noRegistry) console.log(`skipping the external registry checks against docker-registry: ${noRegistry}`);
const lanAddress = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
if (!lanAddress) console.log('skipping the plain-HTTP registry checks: this machine has no non-loopback IPv4 address');

describe('checkExternalRegistry', () => {
  let dir: string;
  let store: CredentialStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'up-registry-'));
    store = new CredentialStore(join(dir, 'data'), fileKeySecretBox(join(dir, 'data')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const home = (auths: Record<string, { auth: string }>) => {
    const h = mkdtempSync(join(dir, 'home-'));
    mkdirSync(join(h, '.docker'));
    writeFileSync(join(h, '.docker', 'config.json'), JSON.stringify({ auths }));
    return h;
  };

  describe.skipIf(!!noRegistry)('with an htpasswd registry', () => {
    let reg: TestRegistry;
    beforeAll(async () => {
      reg = await startTestRegistry({ htpasswd: { username: 'dana', password: 'dana-pw' } });
    });
    afterAll(async () => reg?.stop());

    it('uses the login from ~/.docker/config.json when the app has none; the image is <url>/<name>', async () => {
      const h = home({ [reg.host]: { auth: Buffer.from('dana:dana-pw').toString('base64') } });
      const r = await checkExternalRegistry({ url: `${reg.host}/team`, insecure: false, imageName: 'app', store, homeDir: h, env: {} });
      expect(r).toMatchObject({ kind: 'external', pushHost: reg.host, pullHost: reg.host, repository: `${reg.host}/team/app`, credentials: { username: 'dana', password: 'dana-pw' }, credentialSource: 'docker-config' });
    });

    it('the app\'s saved login wins over Docker\'s; a wrong one is REGISTRY_UNAUTHORIZED with the Registry panel hint', async () => {
      await store.set(reg.host, { username: 'dana', password: 'wrong' });
      const h = home({ [reg.host]: { auth: Buffer.from('dana:dana-pw').toString('base64') } });
      await expect(checkExternalRegistry({ url: reg.host, insecure: false, imageName: 'app', store, homeDir: h, env: {} })).rejects.toMatchObject({
        code: 'REGISTRY_UNAUTHORIZED', message: expect.stringContaining('"dana"'), hint: expect.stringMatching(/^Log in to .* again in the Registry panel/),
      });
      await store.delete(reg.host);
    });

    it('no login at all: REGISTRY_UNAUTHORIZED "needs a login", hint to log in in the Registry panel', async () => {
      await expect(checkExternalRegistry({ url: reg.host, insecure: false, imageName: 'app', store, homeDir: home({}), env: {} })).rejects.toMatchObject({
        code: 'REGISTRY_UNAUTHORIZED', message: expect.stringContaining('needs a login'), hint: expect.stringMatching(/^Log in to .* in the Registry panel/),
      });
    });
  });

  describe.skipIf(!lanAddress)('a plain-HTTP registry on a non-loopback address', () => {
    let server: Server;
    let host: string;
    beforeAll(async () => {
      // Answers the v2 API check like an open registry, over plain HTTP only.
      server = createServer((req, res) => {
        res.writeHead(req.url === '/v2/' ? 200 : 404, { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' }).end('{}');
      });
      await new Promise<void>((r) => server.listen(0, lanAddress, () => r()));
      host = `${lanAddress}:${(server.address() as { port: number }).port}`;
    });
    afterAll(async () => new Promise<void>((r) => server.close(() => r())));

    it('expected HTTPS → REGISTRY_TLS with the hint to mark it insecure', async () => {
      await expect(checkExternalRegistry({ url: host, insecure: false, imageName: 'app', store, homeDir: home({}), env: {} })).rejects.toMatchObject({
        code: 'REGISTRY_TLS', hint: expect.stringMatching(/insecure registry/),
      });
    });

    it('marked insecure → accepted, anonymous', async () => {
      const r = await checkExternalRegistry({ url: host, insecure: true, imageName: 'app', store, homeDir: home({}), env: {} });
      expect(r).toMatchObject({ repository: `${host}/app`, insecure: true });
      expect(r.credentials).toBeUndefined();
    });
  });

  it('nothing listening → REGISTRY_UNREACHABLE naming the address', async () => {
    const port = await freePort();
    await expect(checkExternalRegistry({ url: `127.0.0.1:${port}`, insecure: false, imageName: 'app', store, homeDir: home({}), env: {} })).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE', message: expect.stringContaining(`127.0.0.1:${port}`),
    });
  });
});
