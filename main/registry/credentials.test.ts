// The encrypted credential store with real temp dirs and real files.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../ipc/errors';
import { CredentialStore, fileKeySecretBox, maskSecret, safeStorageSecretBox, type SafeStorageLike } from './credentials';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'credentials-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const password = 'ghp_SuperSecretToken1234567890';

describe('CredentialStore with the file-key SecretBox', () => {
  it('round-trips per registry host, in any spelling of the host', async () => {
    const store = new CredentialStore(dir, fileKeySecretBox(dir));
    await store.set('ghcr.io', { username: 'octocat', password });
    await store.set('https://index.docker.io/v1/', { username: 'hubuser', password: 'hub-password-123' });
    // A second store (next app start) reads what the first wrote.
    const again = new CredentialStore(dir, fileKeySecretBox(dir));
    expect(await again.get('GHCR.IO')).toEqual({ host: 'ghcr.io', username: 'octocat', password });
    expect(await again.get('docker.io')).toEqual({ host: 'docker.io', username: 'hubuser', password: 'hub-password-123' });
    expect(await again.get('quay.io')).toBeUndefined();
  });

  it('lists masked secrets and deletes', async () => {
    const store = new CredentialStore(dir, fileKeySecretBox(dir));
    await store.set('ghcr.io', { username: 'octocat', password });
    await store.set('registry.local:5000', { username: 'me', password: 'short' });
    expect(await store.list()).toEqual([
      { host: 'ghcr.io', username: 'octocat', password: 'gh••••90' },
      { host: 'registry.local:5000', username: 'me', password: '••••••' },
    ]);
    expect(await store.delete('ghcr.io')).toBe(true);
    expect(await store.delete('ghcr.io')).toBe(false);
    expect((await store.list()).map((l) => l.host)).toEqual(['registry.local:5000']);
  });

  it('writes only 0600 files and no plaintext password anywhere', async () => {
    const store = new CredentialStore(dir, fileKeySecretBox(dir));
    await store.set('ghcr.io', { username: 'octocat', password });
    await store.set('ghcr.io', { username: 'octocat', password: `${password}-rotated` });
    const files = readdirSync(dir);
    expect(files.sort()).toEqual(['credentials.json.enc', 'credentials.key']);
    for (const f of files) {
      const path = join(dir, f);
      expect(statSync(path).mode & 0o777, f).toBe(0o600);
      const bytes = readFileSync(path);
      for (const needle of [password, 'SuperSecret', 'octocat']) {
        expect(bytes.includes(Buffer.from(needle)), `${f} contains ${needle}`).toBe(false);
        expect(bytes.includes(Buffer.from(Buffer.from(needle).toString('base64').slice(0, 12))), `${f} contains base64 of ${needle}`).toBe(false);
      }
    }
    expect(readFileSync(join(dir, 'credentials.key')).length).toBe(32);
  });

  it('refuses to read (and so to overwrite) a file encrypted with another key', async () => {
    await new CredentialStore(dir, fileKeySecretBox(dir)).set('ghcr.io', { username: 'octocat', password });
    writeFileSync(join(dir, 'credentials.key'), Buffer.alloc(32, 7));
    const store = new CredentialStore(dir, fileKeySecretBox(dir));
    await expect(store.get('ghcr.io')).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('cannot be decrypted') });
    await expect(store.set('quay.io', { username: 'a', password: 'b' })).rejects.toBeInstanceOf(AppError);
  });

  it('keeps every one of many concurrent saves', async () => {
    const store = new CredentialStore(dir, fileKeySecretBox(dir));
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`registry-${i}.example.com`, { username: `u${i}`, password: `p${i}` })));
    expect((await new CredentialStore(dir, fileKeySecretBox(dir)).list()).length).toBe(20);
  });

  it('rejects empty usernames and passwords', async () => {
    const store = new CredentialStore(dir, fileKeySecretBox(dir));
    await expect(store.set('ghcr.io', { username: '', password: 'x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.set('ghcr.io', { username: 'x', password: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

/** A safeStorage-shaped object: a real (non-Electron) cipher, so the adapter's contract is what is tested. */
function fakeKeychain(backend: string, available = true): SafeStorageLike {
  const box = fileKeySecretBox(join(dir, 'keychain'));
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s) => box.encrypt(s),
    decryptString: (b) => box.decrypt(b),
    getSelectedStorageBackend: () => backend,
  };
}

describe('safeStorageSecretBox', () => {
  it('stores through the keychain when it is available', async () => {
    const store = new CredentialStore(join(dir, 'data'), safeStorageSecretBox(fakeKeychain('gnome_libsecret')));
    await store.set('ghcr.io', { username: 'octocat', password });
    expect((await store.get('ghcr.io'))?.password).toBe(password);
    expect(readFileSync(join(dir, 'data', 'credentials.json.enc')).includes(Buffer.from(password))).toBe(false);
  });

  it('counts Linux basic_text (a hard-coded key) and no keychain as unavailable, and refuses to store', async () => {
    expect(safeStorageSecretBox(fakeKeychain('basic_text')).available()).toBe(false);
    expect(safeStorageSecretBox(fakeKeychain('kwallet5', false)).available()).toBe(false);
    const store = new CredentialStore(join(dir, 'data'), safeStorageSecretBox(fakeKeychain('basic_text')));
    await expect(store.set('ghcr.io', { username: 'octocat', password })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});

describe('maskSecret', () => {
  it('shows two characters at each end of long secrets only', () => {
    expect(maskSecret('abcdefghijklmnopqrstuvwxyz')).toBe('ab••••yz');
    expect(maskSecret('123456789')).toBe('••••••');
  });
});
