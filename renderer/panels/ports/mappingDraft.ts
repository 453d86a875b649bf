// The port-mapping editor's working copy: what the user is typing (ports as text, so a half-typed
// number is never lost), checked as they type, and turned into the contract's PortForwarding[] on
// Save. The main process checks again; this copy exists so mistakes show next to the field.
import type { PortForwarding, PortMappingStatus } from '../../../preload/api';

export interface DraftMapping {
  id: string;
  bindAddress: string;
  localPort: string;
  remotePort: string;
  enabled: boolean;
  /** `${forwardingIndex}:${mappingIndex}` of the saved mapping this row started from. */
  savedKey?: string;
  /** The file spelled out bindAddress; keep it spelled out even when it is the default. */
  explicitBind?: boolean;
}

export interface DraftForwarding {
  id: string;
  /** "app=web, tier=frontend" */
  selector: string;
  namespace: string;
  mappings: DraftMapping[];
}

export const DEFAULT_BIND = '127.0.0.1';

let nextId = 0;
const newId = () => `d${++nextId}`;

export function draftFrom(forwardings: PortForwarding[]): DraftForwarding[] {
  return forwardings.map((fw, i) => ({
    id: newId(),
    selector: Object.entries(fw.labelSelector)
      .map(([k, v]) => `${k}=${v}`)
      .join(', '),
    namespace: fw.namespace ?? '',
    mappings: fw.portMappings.map((m, j) => ({
      id: newId(),
      bindAddress: m.bindAddress ?? DEFAULT_BIND,
      localPort: String(m.localPort),
      remotePort: String(m.remotePort),
      enabled: m.enabled !== false,
      savedKey: `${i}:${j}`,
      ...(m.bindAddress !== undefined ? { explicitBind: true } : {}),
    })),
  }));
}

export function emptyMapping(): DraftMapping {
  return { id: newId(), bindAddress: DEFAULT_BIND, localPort: '', remotePort: '', enabled: true };
}

export function emptyForwarding(): DraftForwarding {
  return { id: newId(), selector: '', namespace: '', mappings: [emptyMapping()] };
}

export interface DraftCheck {
  forwardings: PortForwarding[];
  /** Field id (`${row id}.localPort`, `${forwarding id}.selector` …) → what is wrong. */
  errors: Record<string, string>;
  warnings: string[];
}

export function parseSelector(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  const parts = text
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return 'Say which pods, e.g. app=my-app';
  for (const part of parts) {
    const m = /^([^=:\s]+)\s*[=:]\s*(\S+)$/.exec(part);
    if (!m) return `"${part}" is not key=value`;
    out[m[1]!] = m[2]!;
  }
  return out;
}

function parsePort(text: string): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return t ? `"${t}" is not a number` : 'Enter a port';
  const n = Number(t);
  return n >= 1 && n <= 65535 ? n : 'Use a port from 1 to 65535';
}

const ADDRESS = /^(localhost|\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/;

export function checkDraft(draft: DraftForwarding[]): DraftCheck {
  const errors: Record<string, string> = {};
  const warnings: string[] = [];
  const forwardings: PortForwarding[] = [];
  const taken: Array<{ bind: string; port: number; id: string }> = [];
  for (const fw of draft) {
    const selector = parseSelector(fw.selector);
    if (typeof selector === 'string') errors[`${fw.id}.selector`] = selector;
    const portMappings: PortForwarding['portMappings'] = [];
    for (const m of fw.mappings) {
      const local = parsePort(m.localPort);
      const remote = parsePort(m.remotePort);
      if (typeof local === 'string') errors[`${m.id}.localPort`] = local;
      if (typeof remote === 'string') errors[`${m.id}.remotePort`] = remote;
      const bind = m.bindAddress.trim() || DEFAULT_BIND;
      if (!ADDRESS.test(bind)) errors[`${m.id}.bindAddress`] = 'Use an IP address such as 127.0.0.1 or 0.0.0.0';
      if (typeof local !== 'number' || typeof remote !== 'number') continue;
      if (m.enabled) {
        const clash = taken.find((t) => t.port === local && overlaps(t.bind, bind));
        if (clash) errors[`${m.id}.localPort`] = `Local port ${local} is used by another mapping`;
        else taken.push({ bind, port: local, id: m.id });
        if (local < 1024) warnings.push(`Local port ${local} is privileged: it needs administrator rights on most systems.`);
      }
      portMappings.push({
        localPort: local,
        remotePort: remote,
        ...(bind !== DEFAULT_BIND || m.explicitBind ? { bindAddress: bind } : {}),
        ...(m.enabled ? {} : { enabled: false }),
      });
    }
    forwardings.push({
      ...(fw.namespace.trim() ? { namespace: fw.namespace.trim() } : {}),
      labelSelector: typeof selector === 'string' ? {} : selector,
      portMappings,
    });
  }
  return { forwardings, errors, warnings };
}

function overlaps(a: string, b: string): boolean {
  const any = (x: string) => x === '0.0.0.0' || x === '::';
  const norm = (x: string) => (x === 'localhost' ? DEFAULT_BIND : x);
  return any(a) || any(b) || norm(a) === norm(b);
}

/** Whether the draft says something other than the saved mappings (bind address default aside). */
export function isDirty(draft: DraftForwarding[], saved: PortForwarding[]): boolean {
  const norm = (fws: PortForwarding[]) =>
    JSON.stringify(
      fws.map((fw) => ({
        ns: fw.namespace ?? '',
        sel: fw.labelSelector,
        m: fw.portMappings.map((m) => [m.bindAddress ?? DEFAULT_BIND, m.localPort, m.remotePort, m.enabled !== false]),
      })),
    );
  const { forwardings, errors } = checkDraft(draft);
  return Object.keys(errors).length > 0 || norm(forwardings) !== norm(saved);
}

/**
 * The observed state for a row, only while the row still says what was saved (otherwise the
 * status describes a mapping the user is changing, and showing it would mislead).
 */
export function statusForRow(row: DraftMapping, saved: PortForwarding[], status: PortMappingStatus[]): PortMappingStatus | 'unsaved' {
  if (!row.savedKey) return 'unsaved';
  const [i, j] = row.savedKey.split(':').map(Number) as [number, number];
  const m = saved[i]?.portMappings[j];
  if (!m) return 'unsaved';
  const same = String(m.localPort) === row.localPort.trim() && String(m.remotePort) === row.remotePort.trim() && (m.bindAddress ?? DEFAULT_BIND) === (row.bindAddress.trim() || DEFAULT_BIND) && (m.enabled !== false) === row.enabled;
  if (!same) return 'unsaved';
  return status.find((s) => s.key === row.savedKey) ?? 'unsaved';
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
