// stop() of the node agent leaves nothing behind: no child process, network namespace, bridge,
// mount under its dataDir, or listening port.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { descendants } from './container-process';
import { SLOW, cannotRunNode, createPod, execPath, openChannelSocket, startNodeTestCluster, waitForRunning } from './node-test-harness';
import { freePort } from './registry-process';

const skip = cannotRunNode();
if (skip) console.log(`skipping node agent stop test: ${skip}`);

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', () => resolve(true));
  });
}

describe.skipIf(!!skip)('stopping the node agent', SLOW, () => {
  it('leaves no process, netns, bridge, mount or listening port', async () => {
    const c = await startNodeTestCluster();
    const hostPort = await freePort();
    const registryPort = Number(c.agent.registry.split(':')[1]);
    let stopped = false;
    try {
      await createPod(c.api, { metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: c.agent.baseImage, command: ['httpd', '-f', '-p', '8080'], ports: [{ containerPort: 8080, hostPort }] }] } });
      await createPod(c.api, { metadata: { name: 'kaniko' }, spec: { containers: [{ name: 'k', image: 'gcr.io/kaniko-project/executor:debug', command: ['sleep', '3600'] }] } });
      await waitForRunning(c.api, 'web');
      await waitForRunning(c.api, 'kaniko');
      const s = await openChannelSocket(c, execPath('web', ['sleep', '600']), ['v5.channel.k8s.io']);
      expect(await refused(hostPort)).toBe(false);
      expect(descendants(process.pid).length).toBeGreaterThan(0);
      const dataDir = c.dataDir;
      await c.agent.stop();
      stopped = true;
      await s.closed;
      const left = descendants(process.pid).map((pid) => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { return ''; } }).filter(Boolean);
      expect(left).toEqual([]);
      const netns = existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith(`dsn${process.pid}-`)) : [];
      expect(netns).toEqual([]);
      expect(execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })).not.toMatch(new RegExp(`dsbr${process.pid}|dsv${process.pid}x`));
      expect(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(dataDir))).toEqual([]);
      expect(await refused(c.agent.kubeletPort)).toBe(true);
      expect(await refused(registryPort)).toBe(true);
      expect(await refused(hostPort)).toBe(true);
    } finally {
      if (!stopped) await c.agent.stop();
      await c.stop();
    }
  });
});
