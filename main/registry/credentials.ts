// Registry credentials the user gives the app, encrypted at rest and kept out of the project
// (never in .devspace/config.yaml). Encryption is a SecretBox: Electron's safeStorage in the
// desktop app (adapter below; main/electron/ passes safeStorage in), or a file key for browser
// mode and tests. The store is one encrypted JSON document per data dir, per registry host.
import { createCipheriv, createDecipheriv, randomBytes as nodeRandomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../ipc/errors';
import { normaliseRegistryHost } from './imageRef';

export interface SecretBox {
  encrypt(plain: string): Buffer;
  decrypt(b: Buffer): string;
  /** False when encrypting would not protect anything (no OS keychain); the app then uses the file key. */
  available(): boolean;
}

/** The part of Electron's `safeStorage` we use. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means a hard-coded key, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

export function safeStorageSecretBox(safeStorage: SafeStorageLike): SecretBox {
  const available = () => safeStorage.isEncryptionAvailable() && safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
  return {
    available,
    encrypt(plain) {
      if (!available()) throw noKeychain();
      return safeStorage.encryptString(plain);
    },
    decrypt(b) {
      return safeStorage.decryptString(b);
    },
  };
}

function noKeychain(): AppError {
  return new AppError('PERMISSION_DENIED', 'The system keychain is not available to encrypt registry credentials.', 'On Linux, install and unlock a Secret Service keyring (GNOME Keyring or KWallet), then restart the app.');
}

const KEY_FILE = 'credentials.key';
const DATA_FILE = 'credentials.json.enc';
const FORMAT_V1 = 1;

/**
 * AES-256-GCM with a random 32-byte key in `<dataDir>/credentials.key` (mode 0600). Protects
 * against the data file leaking on its own (backups, sync folders, screenshots of a directory),
 * not against someone who can read the whole data dir — that is what the keychain is for.
 */
export function fileKeySecretBox(dataDir: string, deps: { randomBytes?: (n: number) => Buffer } = {}): SecretBox {
  const random = deps.randomBytes ?? nodeRandomBytes;
  const keyPath = join(dataDir, KEY_FILE);
  let key: Buffer | undefined;
  // Loaded (or created, exclusively, mode 0600) on first use; sync because the interface is, and
  // it is one 32-byte file read once per run.
  const loadKey = (): Buffer => {
    if (key) return key;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const fresh = random(32);
    try {
      writeFileSync(keyPath, fresh, { flag: 'wx', mode: 0o600 });
      key = fresh;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const existing = readFileSync(keyPath);
      if (existing.length !== 32) {
        throw new AppError('CONFIG_INVALID', `The credential key ${keyPath} is damaged (${existing.length} bytes instead of 32).`, `Move it and ${DATA_FILE} next to it away, then enter your registry credentials again.`);
      }
      key = existing;
    }
    return key;
  };
  return {
    available: () => true,
    encrypt(plain) {
      const iv = random(12);
      const cipher = createCipheriv('aes-256-gcm', loadKey(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), body]);
    },
    decrypt(b) {
      if (b.length < 29 || b[0] !== FORMAT_V1) throw new Error('unknown format');
      const decipher = createDecipheriv('aes-256-gcm', loadKey(), b.subarray(1, 13));
      decipher.setAuthTag(b.subarray(13, 29));
      return Buffer.concat([decipher.update(b.subarray(29)), decipher.final()]).toString('utf8');
    },
  };
}

export interface RegistryLogin {
  username: string;
  /** Password or access token. */
  password: string;
}

export interface StoredRegistryLogin extends RegistryLogin {
  host: string;
}

/** What the UI may show: never the secret itself. */
export interface MaskedRegistryLogin {
  host: string;
  username: string;
  /** e.g. `ab••••yz`; short secrets are all dots. */
  password: string;
}

/** `ab••••yz`: enough to tell two tokens apart, not enough to use one. */
export function maskSecret(secret: string): string {
  if (secret.length < 10) return '••••••';
  return `${secret.slice(0, 2)}••••${secret.slice(-2)}`;
}

interface StoreDocument {
  version: 1;
  registries: Record<string, RegistryLogin>;
}

export class CredentialStore {
  private readonly path: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataDir: string, private readonly box: SecretBox) {
    this.path = join(dataDir, DATA_FILE);
  }

  /** Credentials for a registry; any spelling of the host works (`https://index.docker.io/v1/` = `docker.io`). */
  async get(host: string): Promise<StoredRegistryLogin | undefined> {
    const doc = await this.read();
    const key = normaliseRegistryHost(host);
    const login = doc.registries[key];
    return login ? { host: key, ...login } : undefined;
  }

  async set(host: string, login: RegistryLogin): Promise<void> {
    const key = normaliseRegistryHost(host);
    if (!key) throw new AppError('INVALID_ARGUMENT', 'The registry host is empty.', 'Enter a host like "ghcr.io" or "registry.example.com:5000".');
    if (!login.username) throw new AppError('INVALID_ARGUMENT', `The username for ${key} is empty.`);
    if (!login.password) throw new AppError('INVALID_ARGUMENT', `The password or token for ${key} is empty.`);
    await this.update((doc) => {
      doc.registries[key] = { username: login.username, password: login.password };
    });
  }

  /** True when something was deleted. */
  async delete(host: string): Promise<boolean> {
    const key = normaliseRegistryHost(host);
    let existed = false;
    await this.update((doc) => {
      existed = key in doc.registries;
      delete doc.registries[key];
    });
    return existed;
  }

  async list(): Promise<MaskedRegistryLogin[]> {
    const doc = await this.read();
    return Object.entries(doc.registries)
      .map(([host, l]) => ({ host, username: l.username, password: maskSecret(l.password) }))
      .sort((a, b) => a.host.localeCompare(b.host));
  }

  private async read(): Promise<StoreDocument> {
    let data: Buffer;
    try {
      data = await readFile(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, registries: {} };
      throw err;
    }
    let doc: StoreDocument;
    try {
      doc = JSON.parse(this.box.decrypt(data)) as StoreDocument;
    } catch (err) {
      // Never overwrite what we cannot read: the user may get it back (other keychain, restored key).
      throw new AppError(
        'CONFIG_INVALID',
        `The saved registry credentials (${this.path}) cannot be decrypted.`,
        'They were encrypted with another key (another user, machine or keychain). Move the file away and enter your registry credentials again.',
        { cause: err },
      );
    }
    if (!doc || typeof doc !== 'object' || typeof doc.registries !== 'object' || doc.registries === null) return { version: 1, registries: {} };
    return doc;
  }

  /** Read-modify-write, one at a time, written to a temp file (0600) and renamed into place. */
  private update(change: (doc: StoreDocument) => void): Promise<void> {
    const run = this.queue.then(async () => {
      if (!this.box.available()) throw noKeychain();
      const doc = await this.read();
      change(doc);
      await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.${process.pid}.tmp`;
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(this.box.encrypt(JSON.stringify(doc)));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await chmod(tmp, 0o600);
      try {
        await rename(tmp, this.path);
      } catch (err) {
        await unlink(tmp).catch(() => {});
        throw err;
      }
    });
    this.queue = run.catch(() => {});
    return run;
  }
}
