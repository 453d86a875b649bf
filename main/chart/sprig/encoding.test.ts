import { describe } from 'vitest';
import { table, type Case } from './testing';

// Cases from Sprig's encoding_test.go and docs/encoding.md; decode failures return Go's error text.
const cases: Case[] = [
  ['b64enc', ['abc'], 'YWJj'],
  ['b64enc', [''], ''],
  ['b64enc', ['héllo'], 'aMOpbGxv'],
  ['b64dec', ['YWJj'], 'abc'],
  ['b64dec', ['YWI='], 'ab'],
  ['b64dec', ['YQ=='], 'a'],
  ['b64dec', ['YW\nJj'], 'abc'],
  ['b64dec', [''], ''],
  ['b64dec', ['YQ'], 'illegal base64 data at input byte 0'],
  ['b64dec', ['YWJj!'], 'illegal base64 data at input byte 4'],
  ['b64dec', ['YQ=a'], 'illegal base64 data at input byte 2'],
  ['b64dec', ['YQ='], 'illegal base64 data at input byte 3'],
  ['b64dec', ['YWJjZA==YQ=='], 'illegal base64 data at input byte 8'],
  ['b64dec', ['Y==='], 'illegal base64 data at input byte 1'],
  ['b32enc', ['abc'], 'MFRGG==='],
  ['b32enc', ['Hello'], 'JBSWY3DP'],
  ['b32enc', ['a'], 'ME======'],
  ['b32enc', [''], ''],
  ['b32dec', ['MFRGG==='], 'abc'],
  ['b32dec', ['JBSWY3DP'], 'Hello'],
  ['b32dec', ['ME======'], 'a'],
  ['b32dec', ['MFRGG'], 'illegal base32 data at input byte 0'],
  ['b32dec', ['MFRG!==='], 'illegal base32 data at input byte 4'],
];

describe('sprig encoding', () => {
  table(cases);
});
