// Sprig's hashing, password and key functions (crypto.go): sha1sum, sha256sum, adler32sum,
// bcrypt/htpasswd, derivePassword (Master Password algorithm), genPrivateKey, encryptAES and
// decryptAES. Certificates live in certificates.ts. Failures follow Sprig: most functions return
// an error text as their result instead of failing the template.

import { createCipheriv, createDecipheriv, createHash, createHmac, generateKeyPairSync, scryptSync } from 'node:crypto';
import bcryptjs from 'bcryptjs';
import { goFunc, type FuncMap } from './signature';
import { base64Decode } from './encoding';
import type { RandomSource } from './random';
import { randomByteArray } from './random';
import { derInteger, derSequence, parseDer } from './der';

export function sha256sum(input: string): string {
  return createHash('sha256').update(input, 'utf8').digest('hex');
}

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** golang.org/x/crypto/bcrypt at DefaultCost (10), "$2a$" prefix like Go. */
export function bcrypt(input: string): string {
  if (Buffer.byteLength(input, 'utf8') > 72) {
    return 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes';
  }
  return bcryptjs.hashSync(input, 10).replace(/^\$2b\$/, '$2a$');
}

function htpasswd(username: string, password: string): string {
  if (username.includes(':')) return `invalid username: ${username}`;
  return `${username}:${bcrypt(password)}`;
}

const MASTER_PASSWORD_SEED = 'com.lyndir.masterpassword';

const PASSWORD_TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno', 'CvcvnoCvccCvcv', 'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv', 'CvccCvccCvcvno',
    'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc',
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

const TEMPLATE_CHARACTERS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

const uint32be = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** The Master Password algorithm (scrypt N=32768, r=8, p=2, then HMAC-SHA256 into a template). */
export function derivePassword(counter: bigint, passwordType: string, password: string, user: string, site: string): string {
  const templates = PASSWORD_TEMPLATES[passwordType];
  if (!templates) return `cannot find password template ${passwordType}`;
  const userBytes = Buffer.from(user, 'utf8');
  const salt = Buffer.concat([Buffer.from(MASTER_PASSWORD_SEED), uint32be(userBytes.length), userBytes]);
  const key = scryptSync(Buffer.from(password, 'utf8'), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 128 * 1024 * 1024 });
  const siteBytes = Buffer.from(site, 'utf8');
  const seedInput = Buffer.concat([Buffer.from(MASTER_PASSWORD_SEED), uint32be(siteBytes.length), siteBytes, uint32be(Number(counter))]);
  const seed = createHmac('sha256', key).update(seedInput).digest();
  const temp = templates[seed[0] % templates.length];
  let out = '';
  for (let i = 0; i < temp.length; i++) {
    const chars = TEMPLATE_CHARACTERS[temp[i]];
    out += chars[seed[i + 1] % chars.length];
  }
  return out;
}

/** DSA keys in OpenSSL's traditional form: SEQUENCE { 0, p, q, g, y, x }, as Sprig writes them. */
function dsaTraditionalPem(pkcs8: Buffer): string {
  // PKCS#8: SEQ { INT 0, SEQ { OID dsa, SEQ { p, q, g } }, OCTET STRING { INT x } }
  const top = parseDer(pkcs8);
  const alg = top.children![1];
  const params = alg.children![1].children!;
  const [p, q, g] = params.map((n) => n.integer!);
  const x = parseDer(top.children![2].content).integer!;
  let y = 1n;
  let base = g % p;
  let e = x;
  while (e > 0n) {
    if (e & 1n) y = (y * base) % p;
    base = (base * base) % p;
    e >>= 1n;
  }
  const der = derSequence([derInteger(0n), derInteger(p), derInteger(q), derInteger(g), derInteger(y), derInteger(x)]);
  return toPem('DSA PRIVATE KEY', der);
}

export function toPem(type: string, der: Buffer): string {
  const b64 = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${b64.join('\n')}\n-----END ${type}-----\n`;
}

/** genPrivateKey: rsa (4096 bits, PKCS#1), dsa (L2048N256), ecdsa (P-256, SEC 1), ed25519 (PKCS#8). */
export function generatePrivateKey(typ: string): string {
  switch (typ) {
    case '':
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    case 'dsa': {
      const k = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
      return dsaTraditionalPem(k.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer);
    }
    case 'ecdsa':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    default:
      return 'Unknown type ' + typ;
  }
}

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password, 'utf8').copy(key, 0, 0, 32);
  return key;
}

/** encryptAES: AES-256-CBC, PKCS#7 padding, random IV prepended, base64. */
function encryptAES(random: RandomSource, password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const iv = Buffer.from(randomByteArray(random, 16));
  const cipher = createCipheriv('aes-256-cbc', aesKey(password), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** decryptAES: the reverse; Go panics on malformed input, and so does this, with Go's words. */
function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const crypt = base64Decode(crypt64);
  if (crypt.length < 16) throw new Error(`runtime error: slice bounds out of range [:16] with capacity ${crypt.length}`);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new Error('crypto/cipher: input not full blocks');
  if (body.length === 0) throw new Error('runtime error: index out of range [-1]');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, 16));
  decipher.setAutoPadding(false);
  const decrypted = Buffer.concat([decipher.update(body), decipher.final()]);
  const pad = decrypted[decrypted.length - 1];
  if (pad > decrypted.length) throw new Error(`runtime error: slice bounds out of range [:${decrypted.length - pad}]`);
  return decrypted.subarray(0, decrypted.length - pad).toString('utf8');
}

export function cryptoFunctions(random: RandomSource): FuncMap {
  return {
    sha1sum: goFunc('sha1sum', ['string'], (s: string) => createHash('sha1').update(s, 'utf8').digest('hex')),
    sha256sum: goFunc('sha256sum', ['string'], sha256sum),
    // Added in Sprig 3.3.0, which newer Helm 3 releases use.
    sha512sum: goFunc('sha512sum', ['string'], (s: string) => createHash('sha512').update(s, 'utf8').digest('hex')),
    adler32sum: goFunc('adler32sum', ['string'], (s: string) => String(adler32(Buffer.from(s, 'utf8')))),
    bcrypt: goFunc('bcrypt', ['string'], bcrypt),
    htpasswd: goFunc('htpasswd', ['string', 'string'], htpasswd),
    derivePassword: goFunc('derivePassword', ['uint32', 'string', 'string', 'string', 'string'], derivePassword),
    genPrivateKey: goFunc('genPrivateKey', ['string'], generatePrivateKey),
    encryptAES: goFunc('encryptAES', ['string', 'string'], (p: string, t: string) => encryptAES(random, p, t)),
    decryptAES: goFunc('decryptAES', ['string', 'string'], decryptAES),
    randBytes: goFunc('randBytes', ['int'], (count: bigint) => {
      if (count < 0n) throw new Error('runtime error: makeslice: len out of range');
      return Buffer.from(randomByteArray(random, Number(count))).toString('base64');
    }),
  };
}
