// Test-only PKI: a CA and server certificates (valid, for the wrong host, expired, from another CA)
// so status tests can make real TLS handshakes fail in each way a user meets.
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface TestCa {
  certPem: string;
  keyPem: string;
}

export interface TestCert {
  certPem: string;
  keyPem: string;
}

export function makeCa(commonName = 'devspace-test-ca'): TestCa {
  const { key, keyPem } = newKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPemOf(keyPem));
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86400_000);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

/** A serving certificate for `hosts` (DNS names) and `ips`, signed by `ca`. */
export function makeServerCert(
  ca: TestCa,
  opts: { hosts?: string[]; ips?: string[]; notBefore?: Date; notAfter?: Date; commonName?: string } = {},
): TestCert {
  const { keyPem } = newKey();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPemOf(keyPem));
  cert.serialNumber = serial();
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 3600_000);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 30 * 86400_000);
  cert.setSubject([{ name: 'commonName', value: opts.commonName ?? 'kube-apiserver' }]);
  cert.setIssuer(caCert.subject.attributes);
  const altNames = [
    ...(opts.hosts ?? ['localhost']).map((value) => ({ type: 2, value })),
    ...(opts.ips ?? ['127.0.0.1']).map((ip) => ({ type: 7, ip })),
  ];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

// RSA keys from Node's crypto (native, fast); forge only builds and signs the certificates.
function newKey(): { key: forge.pki.rsa.PrivateKey; keyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return { key: forge.pki.privateKeyFromPem(keyPem), keyPem };
}

function publicPemOf(privateKeyPem: string): string {
  const key = forge.pki.privateKeyFromPem(privateKeyPem);
  return forge.pki.publicKeyToPem(forge.pki.setRsaPublicKey(key.n, key.e));
}

let counter = 1;
function serial(): string {
  return (counter++).toString(16).padStart(4, '0');
}
