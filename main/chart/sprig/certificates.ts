// Sprig's certificate functions (genCA, genSelfSignedCert, genSignedCert, their *WithKey
// variants, buildCustomCert): X.509 certificates like Go's crypto/x509 builds from Sprig's
// template — random 128-bit serial, CN subject, IP and DNS SANs, key usage digital signature +
// key encipherment (+ cert sign for a CA), server and client auth, SHA-256 with RSA.
// node:crypto cannot create certificates, so node-forge signs them; forge signs with RSA only,
// so a *WithKey call with an EC, Ed25519 or DSA key fails with a clear error.

import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import { Certificate, goFunc, type FuncMap } from './signature';
import { goSprint } from './convert';
import { toPem } from './crypto';
import { base64Decode } from './encoding';

/** Sprig's parsePrivateKeyPEM, returning a Node key object. */
function parsePrivateKeyPEM(pemBlock: string): KeyObject {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(pemBlock);
  if (!m) throw new Error('no PEM data in input');
  const type = m[1];
  if (type !== 'PRIVATE KEY' && !type.endsWith(' PRIVATE KEY')) throw new Error(`no private key data in PEM block of type ${type}`);
  const kind = type === 'PRIVATE KEY' ? 'PKCS#8' : type.slice(0, -' PRIVATE KEY'.length);
  try {
    return createPrivateKey({ key: m[0], format: 'pem' });
  } catch (e) {
    const what: Record<string, string> = {
      'PKCS#8': 'decoding PEM as PKCS#8',
      RSA: 'parsing RSA private key from PEM',
      EC: 'parsing EC private key from PEM',
      DSA: 'parsing DSA private key from PEM',
    };
    if (!what[kind]) throw new Error(`invalid private key type ${type}`);
    throw new Error(`${what[kind]}: ${(e as Error).message}`);
  }
}

function toForgeKey(key: KeyObject): forge.pki.rsa.PrivateKey {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new Error(
      `error creating certificate: ${key.asymmetricKeyType} keys are not supported here, only RSA (hint: use genPrivateKey "rsa")`,
    );
  }
  return forge.pki.privateKeyFromPem(key.export({ type: 'pkcs1', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey;
}

function netIPs(ips: unknown[] | null): string[] {
  return (ips ?? []).map((ip) => {
    if (typeof ip !== 'string') throw new Error(`error parsing ip: ${goSprint(ip)} is not a string`);
    if (isIP(ip) === 0) throw new Error(`error parsing ip: ${ip}`);
    return ip;
  });
}

function dnsNames(names: unknown[] | null): string[] {
  return (names ?? []).map((n) => {
    if (typeof n !== 'string') throw new Error(`error processing alternate dns name: ${goSprint(n)} is not a string`);
    return n;
  });
}

interface BaseTemplate {
  cn: string;
  ips: string[];
  dns: string[];
  days: number;
  isCA: boolean;
}

function certToPem(cert: forge.pki.Certificate): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  return toPem('CERTIFICATE', Buffer.from(der, 'binary'));
}

function buildCert(
  now: () => Date,
  t: BaseTemplate,
  signeeKey: KeyObject,
  parent: forge.pki.Certificate | undefined,
  signingKey: KeyObject,
): Certificate {
  const signee = toForgeKey(signeeKey);
  const signer = toForgeKey(signingKey);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(signee.n, signee.e);
  let serial = randomBytes(16).toString('hex');
  if (parseInt(serial[0], 16) >= 8) serial = '00' + serial;
  cert.serialNumber = serial;
  const start = now();
  cert.validity.notBefore = start;
  cert.validity.notAfter = new Date(start.getTime() + t.days * 24 * 3600 * 1000);
  const subject = [{ name: 'commonName', value: t.cn }];
  cert.setSubject(subject);
  cert.setIssuer(parent ? parent.subject.attributes : subject);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: t.isCA, critical: true },
    {
      name: 'keyUsage',
      critical: true,
      digitalSignature: true,
      keyEncipherment: true,
      keyCertSign: t.isCA,
    },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
  ];
  const altNames = [...t.dns.map((value) => ({ type: 2, value })), ...t.ips.map((ip) => ({ type: 7, ip }))];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  if (t.isCA) extensions.push({ name: 'subjectKeyIdentifier' });
  if (parent) {
    const skid = parent.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | null;
    if (skid?.subjectKeyIdentifier) extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: forge.util.hexToBytes(skid.subjectKeyIdentifier) });
  }
  cert.setExtensions(extensions);
  cert.sign(signer, forge.md.sha256.create());
  const key = signeeKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  return new Certificate(certToPem(cert), key);
}

function newRsaKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

function keyFromPem(pem: string): KeyObject {
  try {
    return parsePrivateKeyPEM(pem);
  } catch (e) {
    throw new Error(`parsing private key: ${(e as Error).message}`);
  }
}

function signerOf(ca: Certificate): { cert: forge.pki.Certificate; key: KeyObject } {
  if (!/-----BEGIN CERTIFICATE-----/.test(ca.Cert)) throw new Error('unable to decode certificate');
  let cert: forge.pki.Certificate;
  try {
    cert = forge.pki.certificateFromPem(ca.Cert);
  } catch (e) {
    throw new Error(`error parsing certificate: decodedSignerCert.Bytes: ${(e as Error).message}`);
  }
  let key: KeyObject;
  try {
    key = parsePrivateKeyPEM(ca.Key);
  } catch (e) {
    throw new Error(`error parsing private key: ${(e as Error).message}`);
  }
  return { cert, key };
}

export function certificateFunctions(now: () => Date): FuncMap {
  const base = (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint, isCA = false): BaseTemplate => ({
    cn,
    ips: netIPs(ips),
    dns: dnsNames(dns),
    days: Number(days),
    isCA,
  });
  const ca = (cn: string, days: bigint, key: KeyObject) => buildCert(now, base(cn, null, null, days, true), key, undefined, key);
  const selfSigned = (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint, key: KeyObject) =>
    buildCert(now, base(cn, ips, dns, days), key, undefined, key);
  const signed = (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint, c: Certificate, key: KeyObject) => {
    const signer = signerOf(c);
    return buildCert(now, base(cn, ips, dns, days), key, signer.cert, signer.key);
  };
  return {
    genCA: goFunc('genCA', ['string', 'int'], (cn: string, days: bigint) => ca(cn, days, newRsaKey())),
    genCAWithKey: goFunc('genCAWithKey', ['string', 'int', 'string'], (cn: string, days: bigint, pem: string) => ca(cn, days, keyFromPem(pem))),
    genSelfSignedCert: goFunc('genSelfSignedCert', ['string', 'slice', 'slice', 'int'], (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint) =>
      selfSigned(cn, ips, dns, days, newRsaKey()),
    ),
    genSelfSignedCertWithKey: goFunc(
      'genSelfSignedCertWithKey',
      ['string', 'slice', 'slice', 'int', 'string'],
      (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint, pem: string) => selfSigned(cn, ips, dns, days, keyFromPem(pem)),
    ),
    genSignedCert: goFunc(
      'genSignedCert',
      ['string', 'slice', 'slice', 'int', 'cert'],
      (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint, c: Certificate) => signed(cn, ips, dns, days, c, newRsaKey()),
    ),
    genSignedCertWithKey: goFunc(
      'genSignedCertWithKey',
      ['string', 'slice', 'slice', 'int', 'cert', 'string'],
      (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint, c: Certificate, pem: string) =>
        signed(cn, ips, dns, days, c, keyFromPem(pem)),
    ),
    buildCustomCert: goFunc('buildCustomCert', ['string', 'string'], (b64cert: string, b64key: string) => {
      let cert: Buffer;
      let key: Buffer;
      try {
        cert = base64Decode(b64cert);
      } catch {
        throw new Error('unable to decode base64 certificate');
      }
      try {
        key = base64Decode(b64key);
      } catch {
        throw new Error('unable to decode base64 private key');
      }
      const certText = cert.toString('utf8');
      if (!/-----BEGIN [A-Z ]+-----/.test(certText)) throw new Error('unable to decode certificate');
      try {
        new X509Certificate(cert);
      } catch (e) {
        throw new Error(`error parsing certificate: decodedCert.Bytes: ${(e as Error).message}`);
      }
      try {
        parsePrivateKeyPEM(key.toString('utf8'));
      } catch (e) {
        throw new Error(`error parsing private key: ${(e as Error).message}`);
      }
      return new Certificate(certText, key.toString('utf8'));
    }),
  };
}
