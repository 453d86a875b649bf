// Per-start certificates: both ways of making them give a CA that verifies a serving
// certificate for 127.0.0.1 and localhost.

import { describe, expect, it } from 'vitest';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { generateServingCerts, generateServingCertsWithOpenssl, type ServingCerts } from './certs';

function check(c: ServingCerts): void {
  const ca = new X509Certificate(c.caPem);
  const cert = new X509Certificate(c.certPem);
  expect(ca.ca).toBe(true);
  expect(cert.verify(ca.publicKey)).toBe(true);
  expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
  expect(cert.checkHost('localhost')).toBe('localhost');
  expect(cert.checkPrivateKey(createPrivateKey(c.keyPem))).toBe(true);
}

const haveOpenssl = existsSync('/usr/bin/openssl');
if (!haveOpenssl) console.warn('skipping the openssl certificate test: /usr/bin/openssl is not installed (Debian package openssl)');

describe('serving certificates', () => {
  it.skipIf(!haveOpenssl)('with openssl (EC)', async () => {
    const c = await generateServingCertsWithOpenssl();
    expect(c).toBeDefined();
    check(c!);
    expect(new X509Certificate(c!.certPem).publicKey.asymmetricKeyType).toBe('ec');
  });
  it('with node-forge (RSA)', () => check(generateServingCerts()));
});
