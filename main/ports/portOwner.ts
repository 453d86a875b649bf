// Who holds a local TCP port, so "port in use" can say which program to stop. Linux only, best
// effort: the listening socket's inode from /proc/net/tcp{,6}, then the /proc/<pid>/fd link that
// points at it. Processes of other users are unreadable and simply not found.
import { promises as fs } from 'node:fs';

export interface PortOwner {
  pid: number;
  name: string;
}

const LISTEN = '0A';

export async function findPortOwner(port: number, procRoot = '/proc'): Promise<PortOwner | null> {
  if (process.platform !== 'linux') return null;
  const inodes = new Set<string>();
  for (const table of ['net/tcp', 'net/tcp6']) {
    const text = await fs.readFile(`${procRoot}/${table}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (!local || cols[3] !== LISTEN) continue;
      const hexPort = local.split(':').at(-1);
      if (hexPort && parseInt(hexPort, 16) === port && cols[9] && cols[9] !== '0') inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return null;
  const targets = new Set([...inodes].map((i) => `socket:[${i}]`));
  const pids = (await fs.readdir(procRoot).catch(() => [] as string[])).filter((d) => /^\d+$/.test(d));
  for (const pid of pids) {
    const fds = await fs.readdir(`${procRoot}/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await fs.readlink(`${procRoot}/${pid}/fd/${fd}`).catch(() => '');
      if (targets.has(link)) {
        const name = (await fs.readFile(`${procRoot}/${pid}/comm`, 'utf8').catch(() => '?')).trim();
        return { pid: Number(pid), name };
      }
    }
  }
  return null;
}
