// Test support: pings a Docker socket and prints the outcome as one JSON line. Tests run it as
// another (unprivileged) user to meet a real "permission denied" on a socket, which root never sees.
// Usage: node --import tsx main/build/docker/pingProbe.ts <socket>
import { DockerBuilder } from './dockerBuilder';

const builder = new DockerBuilder({ endpoint: { kind: 'unix', socketPath: process.argv[2] ?? '' }, dockerConfigDir: '/nonexistent' });
builder.ping().then(
  () => console.log(JSON.stringify({ ok: true })),
  (e: { code?: string; message?: string; hint?: string }) => console.log(JSON.stringify({ code: e.code, message: e.message, hint: e.hint })),
);
