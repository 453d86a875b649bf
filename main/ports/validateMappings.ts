// Checks what the port-mapping editor sends before anything is written: ports 1–65535, a label
// selector, no two enabled mappings on the same local address and port. Privileged local ports
// are a warning (they work for root or with capabilities), not an error.
import { isIP } from 'node:net';
import type { PortForwarding } from '../../preload/api';

export interface MappingProblems {
  errors: string[];
  warnings: string[];
}

export const DEFAULT_BIND_ADDRESS = '127.0.0.1';

export function validateMappings(forwardings: PortForwarding[]): MappingProblems {
  const errors: string[] = [];
  const warnings: string[] = [];
  const taken = new Map<string, string>();
  forwardings.forEach((fw, i) => {
    const where = `Forwarding ${i + 1}`;
    const selector = fw.labelSelector ?? {};
    if (Object.keys(selector).length === 0) errors.push(`${where}: add a label selector (e.g. app=my-app) so the app knows which pods to forward to.`);
    for (const [k, v] of Object.entries(selector)) {
      if (!k.trim() || typeof v !== 'string' || !v.trim()) errors.push(`${where}: the label selector "${k}=${String(v)}" needs both a key and a value.`);
    }
    (fw.portMappings ?? []).forEach((m, j) => {
      const at = `${where}, mapping ${j + 1}`;
      const bind = m.bindAddress ?? DEFAULT_BIND_ADDRESS;
      let ok = true;
      for (const field of ['localPort', 'remotePort'] as const) {
        const v = m[field];
        if (!Number.isInteger(v) || v < 1 || v > 65535) {
          errors.push(`${at}: ${field === 'localPort' ? 'local' : 'remote'} port ${JSON.stringify(v)} is not a port number from 1 to 65535.`);
          ok = false;
        }
      }
      if (bind !== 'localhost' && !isIP(bind)) {
        errors.push(`${at}: "${bind}" is not an IP address; use 127.0.0.1 (this machine only) or 0.0.0.0 (all interfaces).`);
        ok = false;
      }
      if (!ok || m.enabled === false) return;
      for (const [other, who] of taken) {
        const [otherBind, otherPort] = splitKey(other);
        if (otherPort === m.localPort && overlaps(otherBind, bind)) {
          errors.push(`${at}: local port ${m.localPort} is already used by ${who}.`);
          return;
        }
      }
      taken.set(`${bind}|${m.localPort}`, `${where.toLowerCase()}, mapping ${j + 1}`);
      if (m.localPort < 1024) warnings.push(`Local port ${m.localPort} is privileged: listening on it needs administrator rights on most systems; a port from 1024 up always works.`);
    });
  });
  return { errors, warnings };
}

function splitKey(key: string): [string, number] {
  const i = key.lastIndexOf('|');
  return [key.slice(0, i), Number(key.slice(i + 1))];
}

/** 0.0.0.0 (or ::) takes the port on every address, so it clashes with any other address. */
function overlaps(a: string, b: string): boolean {
  const any = (x: string) => x === '0.0.0.0' || x === '::';
  const norm = (x: string) => (x === 'localhost' ? DEFAULT_BIND_ADDRESS : x);
  return any(a) || any(b) || norm(a) === norm(b);
}
