// Randomness for the non-hermetic Sprig functions (randAlpha…, shuffle, randInt, uuidv4,
// randBytes), drawn from one injectable source so tests can make them repeatable.

import { randomBytes } from 'node:crypto';

/** Returns a float in [0, 1), like Math.random. */
export type RandomSource = () => number;

/** The default source: crypto-strength, as goutils.CryptoRandom* and uuid.New use crypto/rand. */
export const cryptoRandom: RandomSource = () => randomBytes(6).readUIntBE(0, 6) / 2 ** 48;

export function randomInt(random: RandomSource, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

export function randomString(random: RandomSource, count: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet[randomInt(random, alphabet.length)];
  return out;
}

/** xstrings.Shuffle: a random permutation of the string's runes. */
export function shuffleRunes(random: RandomSource, s: string): string {
  const runes = Array.from(s);
  for (let i = runes.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [runes[i], runes[j]] = [runes[j], runes[i]];
  }
  return runes.join('');
}

export function randomByteArray(random: RandomSource, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = randomInt(random, 256);
  return out;
}

/** uuid.New().String(): version 4, RFC 4122 variant. */
export function uuidv4(random: RandomSource): string {
  const b = randomByteArray(random, 16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
