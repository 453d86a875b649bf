// Just enough ASN.1 DER to read a PKCS#8 DSA key and write OpenSSL's traditional DSA key form,
// which Node's crypto cannot export directly.

export interface DerNode {
  tag: number;
  content: Buffer;
  children?: DerNode[];
  integer?: bigint;
}

function readNode(buf: Buffer, pos: number): [DerNode, number] {
  const tag = buf[pos];
  let len = buf[pos + 1];
  let off = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[off + i];
    off += n;
  }
  const content = buf.subarray(off, off + len);
  const node: DerNode = { tag, content };
  if (tag === 0x30 || tag === 0x31) {
    node.children = [];
    let p = 0;
    while (p < content.length) {
      const [child, next] = readNode(content, p);
      node.children.push(child);
      p = next;
    }
  } else if (tag === 0x02) {
    node.integer = content.length === 0 ? 0n : BigInt('0x' + content.toString('hex'));
  }
  return [node, off + len];
}

export function parseDer(buf: Buffer): DerNode {
  return readNode(buf, 0)[0];
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

export function derInteger(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function derSequence(items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}
