// Container probes as the kubelet runs them: exec (exit 0), httpGet (status 200-399), tcpSocket
// (connect), with the messages `kubectl describe` shows when they fail.
import { connect } from 'node:net';
import http from 'node:http';
import https from 'node:https';
import { runInContainer, type ContainerTarget } from './container-exec';
import { isLoopbackHost } from './local-addresses';

export interface ProbeResult { ok: boolean; message: string }

function resolvePort(port: number | string, container: any): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const p = (container.ports ?? []).find((x: any) => x.name === port);
  return p?.containerPort ?? NaN;
}

/** Probes may only reach the pod itself or loopback (local-addresses.ts). */
function refusedHost(host: string, podIp: string): ProbeResult | undefined {
  return host === podIp || isLoopbackHost(host) ? undefined : { ok: false, message: `the test node probes only the pod's own IP, not ${host}` };
}

export async function runProbe(probe: any, container: any, podIp: string, target: () => Promise<ContainerTarget | undefined>): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.exec) {
    const t = await target();
    if (!t) return { ok: false, message: 'container is not running' };
    const r = await runInContainer(t, probe.exec.command ?? [], timeoutMs);
    if (r.timedOut) return { ok: false, message: `command ${JSON.stringify((probe.exec.command ?? []).join(' '))} timed out` };
    return { ok: r.code === 0, message: r.output.trimEnd() };
  }
  if (probe.httpGet) {
    const g = probe.httpGet;
    const port = resolvePort(g.port, container);
    const host = g.host ?? podIp;
    const refused = refusedHost(host, podIp);
    if (refused) return refused;
    const scheme = (g.scheme ?? 'HTTP').toLowerCase();
    const url = `${scheme}://${host}:${port}${g.path ?? '/'}`;
    return new Promise((resolve) => {
      const mod = scheme === 'https' ? https : http;
      const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.31', Accept: '*/*' };
      for (const h of g.httpHeaders ?? []) headers[h.name] = h.value;
      const req = mod.get(url, { headers, timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400 ? { ok: true, message: '' } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
      });
      req.on('timeout', () => { req.destroy(); resolve({ ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` }); });
      req.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, message: `Get "${url}": dial tcp ${host}:${port}: connect: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}` }));
    });
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, container);
    const host = probe.tcpSocket.host ?? podIp;
    const refused = refusedHost(host, podIp);
    if (refused) return refused;
    return new Promise((resolve) => {
      const s = connect({ host, port });
      const timer = setTimeout(() => { s.destroy(); resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` }); }, timeoutMs);
      s.on('connect', () => { clearTimeout(timer); s.destroy(); resolve({ ok: true, message: '' }); });
      s.on('error', (e: NodeJS.ErrnoException) => { clearTimeout(timer); resolve({ ok: false, message: `dial tcp ${host}:${port}: connect: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}` }); });
    });
  }
  return { ok: false, message: 'the test node supports exec, httpGet and tcpSocket probes only' };
}
