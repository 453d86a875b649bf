// Tar entry headers (POSIX ustar, with a pax extended header when a name, link target or size
// does not fit ustar's fields). Written here rather than through tar-stream because the context
// packer emits thousands of small entries and tar-stream's per-entry stream machinery cost more
// than the rest of packing; this is a pure function that returns the header bytes.

export type TarEntryType = 'file' | 'dir' | 'symlink';

export interface TarHeaderFields {
  name: string;
  type: TarEntryType;
  mode: number;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkname?: string;
}

const BLOCK = 512;
const TYPEFLAG: Record<TarEntryType, string> = { file: '0', dir: '5', symlink: '2' };

/** The header block(s) for one entry: [pax header + pax data +] ustar header. */
export function tarHeader(f: TarHeaderFields): Buffer {
  const name = f.type === 'dir' && !f.name.endsWith('/') ? `${f.name}/` : f.name;
  const pax: Record<string, string> = {};
  let ustarName = name;
  let prefix = '';
  const nameBytes = Buffer.byteLength(name);
  if (!isAscii(name) || nameBytes > 100) {
    const split = splitUstarName(name);
    if (split) [prefix, ustarName] = split;
    else {
      pax.path = name;
      ustarName = asciiFallback(name, 100);
    }
  }
  let linkname = f.linkname ?? '';
  if (linkname && (!isAscii(linkname) || Buffer.byteLength(linkname) > 100)) {
    pax.linkpath = linkname;
    linkname = asciiFallback(linkname, 100);
  }
  const size = f.type === 'file' ? f.size : 0;
  if (size > 0o77777777777) pax.size = String(size);

  const ustar = ustarBlock(ustarName, prefix, f, pax.size ? 0 : size, linkname);
  const keys = Object.keys(pax);
  if (keys.length === 0) return ustar;
  const record = Buffer.from(keys.map((k) => paxRecord(k, pax[k])).join(''));
  const paxHeader = ustarBlock(asciiFallback(`PaxHeaders/${ustarName}`, 100), '', { ...f, type: 'file' }, record.length, '', 'x');
  return Buffer.concat([paxHeader, record, Buffer.alloc(padding(record.length)), ustar]);
}

/** Zero bytes after an entry's data to fill its last block. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The two zero blocks that end an archive. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

function ustarBlock(name: string, prefix: string, f: TarHeaderFields, size: number, linkname: string, typeflag?: string): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(name, 0, 100, 'utf8');
  b.write(octal(f.mode & 0o7777, 7), 100, 'ascii');
  b.write(octal(0, 7), 108, 'ascii'); // uid
  b.write(octal(0, 7), 116, 'ascii'); // gid
  b.write(octal(size, 11), 124, 'ascii');
  b.write(octal(Math.max(0, Math.min(f.mtime, 0o77777777777)), 11), 136, 'ascii');
  b.write('        ', 148, 'ascii'); // checksum placeholder
  b.write(typeflag ?? TYPEFLAG[f.type], 156, 'ascii');
  b.write(linkname, 157, 100, 'utf8');
  b.write('ustar\x0000', 257, 'ascii');
  b.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i];
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return b;
}

function octal(n: number, width: number): string {
  return `${Math.floor(n).toString(8).padStart(width, '0')}\0`;
}

/** Splits a long ASCII path into ustar's prefix (≤155) and name (≤100) at a '/'. */
function splitUstarName(name: string): [string, string] | undefined {
  if (!isAscii(name)) return undefined;
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (prefix.length <= 155 && rest.length <= 100 && rest.length > 0) return [prefix, rest];
  }
  return undefined;
}

/** "<len> key=value\n" where len counts the whole record, itself included. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLen = Buffer.byteLength(body);
  let len = bodyLen + String(bodyLen).length;
  if (String(len).length + bodyLen !== len) len = String(len + 1).length + bodyLen;
  return `${len}${body}`;
}

function isAscii(s: string): boolean {
  return /^[\x00-\x7f]*$/.test(s);
}

function asciiFallback(s: string, max: number): string {
  return s.replace(/[^\x20-\x7e]/g, '_').slice(-max);
}
