import { existsSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { findPortOwner } from './portOwner';

const linux = process.platform === 'linux' && existsSync('/proc/net/tcp');
if (!linux) console.warn('skipping findPortOwner tests: needs Linux /proc');

describe.skipIf(!linux)('findPortOwner', () => {
  it('finds this process holding a listening port, and nobody on a free one', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const owner = await findPortOwner(port);
      expect(owner?.pid).toBe(process.pid);
      expect(owner?.name).toBeTruthy();
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(await findPortOwner(port)).toBeNull();
  });
});
