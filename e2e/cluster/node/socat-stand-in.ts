// Stand-in for socat images (`alpine/socat`, or any repository whose last part contains "socat"),
// e.g. the in-cluster registry's proxy DaemonSet: a small Node TCP forwarder started in the pod's
// network namespace that understands socat's `TCP-LISTEN:<port>[,opts]` and
// `TCP[-CONNECT]:<host>:<port>[,opts]` addresses (the image's entrypoint is `socat`, so argv may
// start with it or not; `-d`/`-v`-style options are accepted). Like socat with `fork`, each client
// connection resolves and connects on its own, through the pod's /etc/hosts (which the node keeps
// up to date with Service names, service-dns.ts): a Service that appears later works without a
// restart. Failures print socat-like `E` lines to the container log. Other address types exit 1.
import { HostProcessContainer, hostPathFor } from './host-process-container';
import type { StandIn } from './node-context';

/** Plain Node (no TypeScript) so it starts in tens of milliseconds. */
const FORWARDER = `
const net = require('net');
const fs = require('fs');
const [listenPort, host, port, hostsFile, bindHost] = process.argv.slice(1);
const say = (m) => { const d = new Date(); const p = (n) => String(n).padStart(2, '0');
  process.stderr.write(d.getFullYear() + '/' + p(d.getMonth() + 1) + '/' + p(d.getDate()) + ' ' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds()) + ' socat[' + process.pid + '] ' + m + '\\n'); };
const resolve = (name) => {
  if (net.isIP(name)) return name;
  try {
    for (const line of fs.readFileSync(hostsFile, 'utf8').split('\\n')) {
      const f = line.replace(/#.*/, '').trim().split(/\\s+/);
      if (f.length > 1 && f.slice(1).includes(name.replace(/\\.$/, ''))) return f[0];
    }
  } catch (e) { /* no hosts file: nothing resolves */ }
  return undefined;
};
const server = net.createServer((c) => {
  c.on('error', () => {});
  const ip = resolve(host);
  if (!ip) { say('E getaddrinfo("' + host + '", "NULL", {1,2,1,6}, {}): Name does not resolve'); c.destroy(); return; }
  const u = net.connect({ host: ip, port: Number(port) });
  u.on('error', (e) => { say('E connect(6, AF=2 ' + ip + ':' + port + ', 16): ' + (e.code === 'ECONNREFUSED' ? 'Connection refused' : e.message)); c.destroy(); });
  u.on('connect', () => { c.pipe(u); u.pipe(c); });
  c.on('close', () => u.destroy()); u.on('close', () => c.destroy());
});
server.on('error', (e) => { say('E bind(5, {AF=2 0.0.0.0:' + listenPort + '}, 16): ' + (e.code === 'EADDRINUSE' ? 'Address in use' : e.message)); process.exit(1); });
server.listen(Number(listenPort), bindHost);
process.on('SIGTERM', () => process.exit(143));
`;

export interface SocatAddresses { listenPort: number; host: string; port: number }

/** socat's argv (with or without the leading `socat`) → what to listen on and where to connect; throws socat's message. */
export function parseSocatArgs(argv: string[]): SocatAddresses {
  const args = argv[0] && /(^|\/)socat$/.test(argv[0]) ? argv.slice(1) : argv;
  const addresses = args.filter((a) => !/^-[a-zA-Z]+$/.test(a) && !/^-[a-zA-Z]$/.test(a));
  if (addresses.length !== 2) throw new Error(`exactly 2 addresses required (there are ${addresses.length}); use option "-h" for help`);
  const [a, b] = addresses as [string, string];
  const listen = /^(?:tcp|tcp4|tcp6)-(?:listen|l):(\d+)(?:,.*)?$/i.exec(a);
  if (!listen) throw new Error(`unknown device/address "${a.split(':')[0]}" (the test node's socat stand-in knows TCP-LISTEN:<port>)`);
  const connect = /^(?:tcp|tcp4|tcp6|tcp-connect|tcp4-connect|tcp6-connect):([^:,]+):(\d+)(?:,.*)?$/i.exec(b);
  if (!connect) throw new Error(`unknown device/address "${b.split(':')[0]}" (the test node's socat stand-in knows TCP:<host>:<port>)`);
  return { listenPort: Number(listen[1]), host: connect[1]!, port: Number(connect[2]) };
}

/** Repositories served: the listed names, and any whose last part contains "socat". */
export function socatStandIn(repositories = ['alpine/socat']): StandIn {
  return {
    name: 'socat',
    repositories,
    matches: (repo) => /(^|\/)[^/]*socat[^/]*$/.test(repo),
    start(o) {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
      let addr: SocatAddresses;
      try {
        addr = parseSocatArgs(o.argv);
      } catch (e) {
        // socat prints its error and exits 1: the container crash-loops with it in the log.
        const msg = `socat[1] E ${(e as Error).message}`;
        return new HostProcessContainer(process.execPath, ['-e', 'console.error(process.argv[1]); process.exit(1)', msg], env, o.logPath);
      }
      const hostsFile = o.mounts.some((m) => m.containerPath === '/etc/hosts') ? hostPathFor('/etc/hosts', o.mounts, o.instanceDir) : o.hostsFile ?? '';
      const bind = o.netnsPath ? '0.0.0.0' : o.podIp;
      const args = ['-e', FORWARDER, String(addr.listenPort), addr.host, String(addr.port), hostsFile, bind];
      return o.netnsPath
        ? new HostProcessContainer('nsenter', [`--net=${o.netnsPath}`, process.execPath, ...args], env, o.logPath)
        : new HostProcessContainer(process.execPath, args, env, o.logPath);
    },
  };
}
