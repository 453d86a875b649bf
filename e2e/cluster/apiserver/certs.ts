// A fresh certificate authority and a serving certificate for 127.0.0.1/localhost per start,
// so clients verify TLS against the CA written into the kubeconfig exactly as with a real cluster.
// With the openssl CLI the keys are EC P-256 (milliseconds even on a loaded machine); without it,
// RSA keys from node:crypto, assembled and signed with node-forge.

import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';

const run = promisify(execFile);

export interface ServingCerts { caPem: string; certPem: string; keyPem: string }

/** EC certificates from the openssl CLI; undefined when openssl is missing or fails. */
export async function generateServingCertsWithOpenssl(): Promise<ServingCerts | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'test-cluster-certs-'));
  const f = (n: string) => join(dir, n);
  try {
    const ssl = (...args: string[]) => run('openssl', args, { cwd: dir });
    await Promise.all([
      ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f('ca.key')),
      ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f('srv.key')),
    ]);
    await ssl('req', '-x509', '-new', '-key', f('ca.key'), '-subj', '/CN=test-cluster-ca', '-days', '365', '-sha256', '-out', f('ca.crt'),
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature');
    await ssl('req', '-new', '-key', f('srv.key'), '-subj', '/CN=kube-apiserver', '-out', f('srv.csr'));
    writeFileSync(f('ext.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n');
    await ssl('x509', '-req', '-in', f('srv.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-set_serial', '0x' + randomBytes(8).toString('hex'), '-days', '365', '-sha256', '-extfile', f('ext.cnf'), '-out', f('srv.crt'));
    return { caPem: readFileSync(f('ca.crt'), 'utf8'), certPem: readFileSync(f('srv.crt'), 'utf8'), keyPem: readFileSync(f('srv.key'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function createServingCerts(): Promise<ServingCerts> {
  return (await generateServingCertsWithOpenssl()) ?? generateServingCerts();
}


function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return { keyPem, privateKey: forge.pki.privateKeyFromPem(keyPem), publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) };
}

function serial(): string { return '01' + randomBytes(8).toString('hex'); }

/** RSA certificates without external tools. */
export function generateServingCerts(): ServingCerts {
  const ca = keyPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = new Date(Date.now() - 60_000);
  caCert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const caName = [{ name: 'commonName', value: 'test-cluster-ca' }];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const srv = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = srv.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: 'kube-apiserver' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }, { type: 2, value: 'kubernetes.default.svc' }] },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());
  return { caPem: forge.pki.certificateToPem(caCert), certPem: forge.pki.certificateToPem(cert), keyPem: srv.keyPem };
}
