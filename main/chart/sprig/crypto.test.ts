import { X509Certificate, createPrivateKey } from 'node:crypto';
import bcryptjs from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { err, fixture, FIXED_NOW, table, type Case } from './testing';
import { Certificate } from './signature';

// Vectors from Sprig's crypto_test.go (derivePassword, sums) and docs/crypto.md.
const cases: Case[] = [
  ['sha256sum', ['abc'], 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['sha1sum', ['abc'], 'a9993e364706816aba3e25717850c26c9cd0d89d'],
  ['sha512sum', ['abc'], 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
  ['adler32sum', ['abc'], '38600999'],
  ['adler32sum', [''], '1'],
  ['derivePassword', [1n, 'long', 'password', 'user', 'example.com'], 'ZedaFaxcZaso9*'],
  ['derivePassword', [2n, 'long', 'password', 'user', 'example.com'], 'Fovi2@JifpTupx'],
  ['derivePassword', [1n, 'maximum', 'password', 'user', 'example.com'], 'pf4zS1LjCg&LjhsZ7T2~'],
  ['derivePassword', [1n, 'medium', 'password', 'user', 'example.com'], 'ZedJuz8$'],
  ['derivePassword', [1n, 'basic', 'password', 'user', 'example.com'], 'pIS54PLs'],
  ['derivePassword', [1n, 'short', 'password', 'user', 'example.com'], 'Zed5'],
  ['derivePassword', [1n, 'pin', 'password', 'user', 'example.com'], '6685'],
  ['derivePassword', [1n, 'nope', 'password', 'user', 'example.com'], 'cannot find password template nope'],
  ['genPrivateKey', ['bad'], 'Unknown type bad'],
  ['htpasswd', ['wrongus:er', 'x'], 'invalid username: wrongus:er'],
  ['decryptAES', ['secretkey', ''], ''],
  ['encryptAES', ['secretkey', ''], ''],
  ['decryptAES', ['secretkey', 'YWJj'], err('runtime error: slice bounds out of range [:16] with capacity 3')],
  ['decryptAES', ['secretkey', '!!!!'], err('illegal base64 data at input byte 0')],
  ['genCA', ['x', '365'], err('wrong type for value; expected int; got string')],
  ['genCAWithKey', ['x', 365n, 'not a key'], err('parsing private key: no PEM data in input')],
  ['genSelfSignedCert', ['x', [1n], null, 365n], err('error parsing ip: 1 is not a string')],
  ['genSelfSignedCert', ['x', ['999.1.1.1'], null, 365n], err('error parsing ip: 999.1.1.1')],
  ['genSelfSignedCert', ['x', null, [true], 365n], err('error processing alternate dns name: true is not a string')],
  ['genSignedCert', ['x', null, null, 365n, new Certificate('nope', 'nope')], err('unable to decode certificate')],
  ['buildCustomCert', ['!!', 'YQ=='], err('unable to decode base64 certificate')],
  ['buildCustomCert', ['ZmFpbA==', 'YQ=='], err('unable to decode certificate')],
];

describe('sprig crypto', () => {
  table(cases);
  const f = fixture();

  it('htpasswd writes user:bcrypt-hash with Go\'s $2a$ prefix and cost 10', () => {
    for (const [user, pass] of [
      ['myUser', 'myPassword'],
      ["special'o79Cv_*qFe,)<user", 'special<j7+3p#6-.Jx2U:m8G;kGypassword'],
    ]) {
      const out = f.htpasswd(user, pass) as string;
      const i = out.indexOf(':');
      expect(out.slice(0, i)).toBe(user);
      expect(out.slice(i + 1)).toMatch(/^\$2a\$10\$/);
      expect(bcryptjs.compareSync(pass, out.slice(i + 1))).toBe(true);
    }
  });

  it('encryptAES and decryptAES round-trip (AES-256-CBC, IV first)', () => {
    const enc = f.encryptAES('secretkey', 'plaintext') as string;
    expect(Buffer.from(enc, 'base64').length).toBe(32);
    expect(f.decryptAES('secretkey', enc)).toBe('plaintext');
    const long = 'x'.repeat(40) + '☃';
    expect(f.decryptAES('a-key-longer-than-thirty-two-bytes-is-cut', f.encryptAES('a-key-longer-than-thirty-two-bytes-is-cut', long))).toBe(long);
  });

  it('genPrivateKey writes the PEM block types Sprig does', () => {
    for (const [typ, block] of [
      ['ecdsa', 'EC PRIVATE KEY'],
      ['ed25519', 'PRIVATE KEY'],
      ['dsa', 'DSA PRIVATE KEY'],
    ]) {
      const pem = f.genPrivateKey(typ) as string;
      expect(pem.startsWith(`-----BEGIN ${block}-----\n`)).toBe(true);
      if (typ !== 'dsa') expect(() => createPrivateKey(pem)).not.toThrow();
    }
    const rsa = f.genPrivateKey('rsa') as string;
    expect(rsa.startsWith('-----BEGIN RSA PRIVATE KEY-----\n')).toBe(true);
    expect(createPrivateKey(rsa).asymmetricKeyDetails?.modulusLength).toBe(4096);
  });

  it('genCA makes a CA certificate for the CN, valid from now for the given days', () => {
    const ca = f.genCA('foo-ca', 365n) as Certificate;
    expect(ca.Cert.startsWith('-----BEGIN CERTIFICATE-----\n')).toBe(true);
    const x = new X509Certificate(ca.Cert);
    expect(x.subject).toBe('CN=foo-ca');
    expect(x.ca).toBe(true);
    expect(new Date(x.validFrom).getTime()).toBe(Math.floor(FIXED_NOW.getTime() / 1000) * 1000);
    expect(new Date(x.validTo).getTime() - new Date(x.validFrom).getTime()).toBe(365 * 24 * 3600 * 1000);
    expect(x.checkPrivateKey(createPrivateKey(ca.Key))).toBe(true);
  });

  it('genSelfSignedCert and genSignedCert carry the IP and DNS names and chain to the CA', () => {
    const self = f.genSelfSignedCert('foo.com', ['10.0.0.1', '10.0.0.2'], ['bar.com', 'bat.com'], 365n) as Certificate;
    const sx = new X509Certificate(self.Cert);
    expect(sx.subject).toBe('CN=foo.com');
    expect(sx.ca).toBe(false);
    expect(sx.subjectAltName).toBe('DNS:bar.com, DNS:bat.com, IP Address:10.0.0.1, IP Address:10.0.0.2');
    expect(sx.verify(sx.publicKey)).toBe(true);

    const ca = f.genCA('foo', 365n) as Certificate;
    const signed = f.genSignedCert('foo.com', ['10.0.0.1'], ['bar.com'], 365n, ca) as Certificate;
    const x = new X509Certificate(signed.Cert);
    expect(x.issuer).toBe('CN=foo');
    expect(x.verify(new X509Certificate(ca.Cert).publicKey)).toBe(true);
    expect(x.checkIssued(new X509Certificate(ca.Cert))).toBe(true);
  });

  it('the *WithKey variants use the given RSA key and explain other key types', () => {
    const key = f.genPrivateKey('rsa') as string;
    const ca = f.genCAWithKey('ca', 10n, key) as Certificate;
    expect(ca.Key).toBe(key);
    const cert = f.genSelfSignedCertWithKey('x', null, null, 10n, key) as Certificate;
    expect(new X509Certificate(cert.Cert).checkPrivateKey(createPrivateKey(key))).toBe(true);
    const signed = f.genSignedCertWithKey('y', null, ['y.local'], 10n, ca, key) as Certificate;
    expect(new X509Certificate(signed.Cert).checkIssued(new X509Certificate(ca.Cert))).toBe(true);
    expect(() => f.genCAWithKey('ca', 10n, f.genPrivateKey('ecdsa'))).toThrow(/ec keys are not supported here, only RSA/);
  });

  it('buildCustomCert accepts a base64 certificate and key, as Sprig\'s test does', () => {
    const ca = f.genCA('example.com', 365n) as Certificate;
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const built = f.buildCustomCert(b64(ca.Cert), b64(ca.Key)) as Certificate;
    expect(built.Cert).toBe(ca.Cert);
    expect(() => f.buildCustomCert(b64('fail'), b64(ca.Key))).toThrow('unable to decode certificate');
  });

  it('uuidv4 and randBytes come from the random source', () => {
    const u = f.uuidv4() as string;
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(f.uuidv4()).not.toBe(u);
    expect(fixture().uuidv4()).toBe(fixture().uuidv4());
    expect(Buffer.from(f.randBytes(24n) as string, 'base64').length).toBe(24);
  });
});
