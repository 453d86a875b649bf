// Sprig's base64/base32 functions (standard, padded alphabets). Decoding errors are not thrown:
// Sprig returns Go's error text as the result, e.g. "illegal base64 data at input byte 4".

import { goFunc, type FuncMap } from './signature';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

class CorruptInput extends Error {
  constructor(at: number, kind: string) {
    super(`illegal ${kind} data at input byte ${at}`);
  }
}

/** encoding/base64 StdEncoding.DecodeString, with Go's error positions. */
export function base64Decode(s: string): Buffer {
  const src = Buffer.from(s, 'utf8');
  const out: number[] = [];
  let si = 0;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let end = false;
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out);
        throw new CorruptInput(si - j, 'base64');
      }
      const ch = src[si++];
      const v = B64.indexOf(String.fromCharCode(ch));
      if (v >= 0 && ch < 128) {
        dbuf[j] = v;
        continue;
      }
      if (ch === 10 || ch === 13) {
        j--;
        continue;
      }
      if (ch !== 61) throw new CorruptInput(si - 1, 'base64');
      if (j === 0 || j === 1) throw new CorruptInput(si - 1, 'base64');
      if (j === 2) {
        while (si < src.length && (src[si] === 10 || src[si] === 13)) si++;
        if (si === src.length) throw new CorruptInput(src.length, 'base64');
        if (src[si] !== 61) throw new CorruptInput(si - 1, 'base64');
        si++;
      }
      while (si < src.length && (src[si] === 10 || src[si] === 13)) si++;
      if (si < src.length) throw new CorruptInput(si, 'base64');
      dlen = j;
      end = true;
      break;
    }
    const val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (end) break;
    // Skip newlines between quanta, as Go does.
    while (si < src.length && (src[si] === 10 || src[si] === 13)) si++;
  }
  return Buffer.from(out);
}

/** encoding/base32 StdEncoding.EncodeToString */
export function base32Encode(data: Buffer): string {
  let out = '';
  for (let i = 0; i < data.length; i += 5) {
    const chunk = data.subarray(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const nchars = Math.ceil((chunk.length * 8) / 5);
    for (let k = 0; k < 8; k++) {
      out += k < nchars ? B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)] : '=';
    }
  }
  return out;
}

/** encoding/base32 StdEncoding.DecodeString, with Go's error positions. */
export function base32Decode(s: string): Buffer {
  const src = Buffer.from(s.replace(/[\r\n]/g, ''), 'latin1');
  const olen = src.length;
  let pos = 0;
  const out: number[] = [];
  let end = false;
  while (pos < src.length && !end) {
    const dbuf = new Array<number>(8).fill(0);
    let dlen = 8;
    for (let j = 0; j < 8; ) {
      if (pos >= src.length) throw new CorruptInput(olen - (src.length - pos) - j, 'base32');
      const ch = src[pos++];
      const remaining = src.length - pos;
      if (ch === 61 && j >= 2 && remaining < 8) {
        if (remaining + j < 7) throw new CorruptInput(olen, 'base32');
        for (let k = 0; k < 7 - j; k++) {
          if (remaining > k && src[pos + k] !== 61) throw new CorruptInput(olen - remaining + k - 1, 'base32');
        }
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) throw new CorruptInput(olen - remaining - 1, 'base32');
        break;
      }
      const v = B32.indexOf(String.fromCharCode(ch));
      if (v < 0) throw new CorruptInput(olen - remaining - 1, 'base32');
      dbuf[j++] = v;
    }
    let bits = 0n;
    for (const d of dbuf) bits = (bits << 5n) | BigInt(d);
    const nbytes = Math.floor((dlen * 5) / 8);
    for (let k = 0; k < nbytes; k++) out.push(Number((bits >> BigInt(32 - 8 * k)) & 0xffn));
  }
  return Buffer.from(out);
}

function errorText(f: () => Buffer): string {
  try {
    return f().toString('utf8');
  } catch (e) {
    return (e as Error).message;
  }
}

export function encodingFunctions(): FuncMap {
  return {
    b64enc: goFunc('b64enc', ['string'], (v: string) => Buffer.from(v, 'utf8').toString('base64')),
    b64dec: goFunc('b64dec', ['string'], (v: string) => errorText(() => base64Decode(v))),
    b32enc: goFunc('b32enc', ['string'], (v: string) => base32Encode(Buffer.from(v, 'utf8'))),
    b32dec: goFunc('b32dec', ['string'], (v: string) => errorText(() => base32Decode(v))),
  };
}
